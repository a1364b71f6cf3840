// Runs under vitest (Node). Every result code has words a visitor can act on, and the tone,
// icon and clip always agree (colour is never the only signal).
import { describe, expect, it } from 'vitest';
import { RESULT_CODES } from '../../../shared/kp1';
import { clipFor, errorText, RESULT_TEXT, TONE_ICON, TONE_LABEL } from './resultText';

describe('result texts', () => {
  it.each(RESULT_CODES)('%s has a headline, an action and a spoken fallback', (code) => {
    const t = RESULT_TEXT[code];
    expect(t.title.length).toBeGreaterThan(3);
    expect(t.action.length).toBeGreaterThan(3);
    expect(t.speech.length).toBeGreaterThan(3);
    if (t.tone === 'refused') expect(t.reason.length).toBeGreaterThan(3);
  });

  it('only OK is green and only DUPLICATE is amber; each tone has its own icon, label and clip', () => {
    const tones = RESULT_CODES.map((c) => [c, RESULT_TEXT[c].tone]);
    expect(tones.filter(([, t]) => t === 'ok')).toEqual([['OK', 'ok']]);
    expect(tones.filter(([, t]) => t === 'warn')).toEqual([['DUPLICATE', 'warn']]);
    expect(new Set(Object.values(TONE_ICON)).size).toBe(3);
    expect(new Set(Object.values(TONE_LABEL)).size).toBe(3);
    expect([clipFor('ok'), clipFor('warn'), clipFor('refused')]).toEqual(['ok', 'duplicate', 'refused']);
  });

  it('says what to do for the common refusals', () => {
    expect(RESULT_TEXT.EXPIRED.action).toContain('새로 발급');
    expect(RESULT_TEXT.NOT_YET_VALID.action).toContain('휴대폰 시간');
    expect(RESULT_TEXT.REPLAYED.title).toContain('이미 사용된');
  });

  it('an error without a verdict carries its message', () => {
    expect(errorText('연결이 끊겼습니다').reason).toBe('연결이 끊겼습니다');
  });
});
