// Runs in Node (vitest). The 홈페이지 보안점검 view helpers: badges carry words and an icon for
// every state, the follow-up path, and the history chart's bars.
import { describe, expect, it } from 'vitest';
import { FOLLOWUP_STATES, SITE_STATUSES } from '../../../shared/sitescanApp';
import { sst } from '../i18n/text';
import { canMarkRemediated, historyBars, registrationStep, seoulTime, siteBadge } from './view';

describe('sitescan view', () => {
  it('every status × follow-up has a badge with words in both languages and an icon', () => {
    for (const status of SITE_STATUSES)
      for (const followup of FOLLOWUP_STATES) {
        const b = siteBadge({ status, followup, lastOutcome: null });
        expect(b.icon.length).toBeGreaterThan(0);
        expect(sst(b.key, 'ko')).toMatch(/[가-힣]/);
        expect(sst(b.key, 'en')).toMatch(/[A-Za-z]/);
      }
    expect(siteBadge({ status: 'monitoring', followup: 'normal', lastOutcome: 'clean' })).toMatchObject({ key: 'badge_monitoring', tone: 'ok' });
    expect(siteBadge({ status: 'monitoring', followup: 'action_requested', lastOutcome: 'malicious' })).toMatchObject({ key: 'badge_action', tone: 'danger' });
    expect(siteBadge({ status: 'monitoring', followup: 'normal', lastOutcome: 'failed' }).key).toBe('badge_failing');
    expect(siteBadge({ status: 'suspended', followup: 'suspended', lastOutcome: null }).key).toBe('badge_suspended');
    expect(sst('badge_monitoring', 'ko')).toBe('모니터링 중');
  });

  it('registration steps and when 조치 완료 is offered', () => {
    expect(['applied', 'verified', 'monitoring', 'suspended'].map((s) => registrationStep(s as never))).toEqual([1, 2, 3, 0]);
    expect(canMarkRemediated('action_requested')).toBe(true);
    expect(canMarkRemediated('detected')).toBe(true);
    expect(canMarkRemediated('remediated')).toBe(false);
    expect(canMarkRemediated('normal')).toBe(false);
  });

  it('history bars: oldest left, height by findings, failed full height, clean a stub', () => {
    const { bars, maxFindings } = historyBars(
      [
        { resultId: 'c', startedAt: 30, outcome: 'malicious', findings: [1, 2, 3, 4] },
        { resultId: 'a', startedAt: 10, outcome: 'clean', findings: [] },
        { resultId: 'b', startedAt: 20, outcome: 'failed', findings: [] },
        { resultId: 'd', startedAt: 40, outcome: 'suspicious', findings: [1] },
      ],
      400,
      100,
    );
    expect(maxFindings).toBe(4);
    expect(bars.map((b) => b.resultId)).toEqual(['a', 'b', 'c', 'd']);
    expect(bars.map((b) => Math.round(b.height))).toEqual([4, 100, 100, 25]);
    expect(bars.every((b) => b.y + b.height === 100 && b.x >= 0 && b.x + b.width <= 400)).toBe(true);
    expect(historyBars([], 400, 100).bars).toEqual([]);
    expect(seoulTime(Date.UTC(2026, 10, 23, 15, 5))).toBe('2026-11-24 00:05');
  });
});
