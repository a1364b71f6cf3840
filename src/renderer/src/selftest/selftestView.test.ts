// Runs under vitest (Node). The self-test screen's pure parts: both languages for each item with
// an icon and a word beside the colour, the summary, the camera probe's four outcomes with the
// camera closed again, and the test sound's report.
import { describe, expect, it } from 'vitest';
import type { Settings } from '../../../shared/contract';
import type { SelftestRunView } from './selftestView';
import { checklistOf, playTestSound, probeCamera, summaryOf } from './selftestView';

const run: SelftestRunView = {
  startedAt: 1,
  day: '2026-11-23',
  trigger: 'manual',
  ok: false,
  results: [
    { id: 'trustList', label: '신뢰 목록', labelEn: 'Trust list', status: 'fail', detail: '없음', fix: '등록', en: { detail: 'none', fix: 'enroll' }, durationMs: 1 },
    { id: 'speaker', label: '스피커', labelEn: 'Speaker', status: 'warn', detail: '음소거', fix: '해제', en: { detail: 'muted', fix: 'unmute' }, durationMs: 1 },
    { id: 'old', label: '옛 항목', status: 'ok', detail: '정상', fix: null, durationMs: 1 },
  ],
};

describe('checklist', () => {
  it('each item has an icon and a word, in the chosen language; an old run without English falls back to Korean', () => {
    expect(checklistOf(run, 'ko')[0]).toMatchObject({ icon: '✖', word: '실패', label: '신뢰 목록', detail: '없음', fix: '등록' });
    expect(checklistOf(run, 'en')[0]).toMatchObject({ icon: '✖', word: 'Failed', label: 'Trust list', detail: 'none', fix: 'enroll' });
    expect(checklistOf(run, 'en')[1]).toMatchObject({ icon: '▲', word: 'Attention' });
    expect(checklistOf(run, 'en')[2]).toMatchObject({ icon: '✔', word: 'Passed', label: '옛 항목' });
    expect(summaryOf(run, 'ko')).toBe('1개 항목 실패');
    expect(summaryOf({ ...run, results: [run.results[2]!] }, 'en')).toBe('All checks passed');
  });
});

describe('probeCamera', () => {
  const on = { sources: { wedge: true, hid: true, camera: true }, camera: { deviceId: 'cam-1', decoder: 'zxing-wasm', maxDecodesPerSecond: 8, mirrored: true } } as Pick<Settings, 'sources' | 'camera'>;
  const failing = (name: string) => ({ getUserMedia: () => Promise.reject(Object.assign(new Error(name), { name })) });
  it('opens the configured camera and closes it; names the failure', async () => {
    let stopped = 0;
    let asked: unknown = null;
    const media = {
      getUserMedia: (c: unknown) => {
        asked = c;
        return Promise.resolve({ getTracks: () => [{ stop: () => stopped++ }] });
      },
    };
    expect(await probeCamera(media, on)).toBe('ok');
    expect(asked).toEqual({ video: { deviceId: { exact: 'cam-1' } }, audio: false });
    expect(stopped).toBe(1);
    expect(await probeCamera(failing('NotAllowedError'), on)).toBe('denied');
    expect(await probeCamera(failing('NotFoundError'), on)).toBe('missing');
    expect(await probeCamera(failing('NotReadableError'), on)).toBe('missing');
    expect(await probeCamera(null, on)).toBe('missing');
    expect(await probeCamera(media, { ...on, sources: { ...on.sources, camera: false } })).toBe('disabled');
  });
});

describe('playTestSound', () => {
  it('reports played / failed through the voice path; mute is left to the check', () => {
    const voice = (via: string) => ({ play: () => ({ via }) });
    const s = { voice: { volume: 0.8, muted: false } };
    expect(playTestSound(voice('webaudio'), s)).toBe('played');
    expect(playTestSound(voice('none'), s)).toBe('failed');
    expect(playTestSound(voice('webaudio'), { voice: { volume: 0.8, muted: true } })).toBeNull();
    expect(playTestSound(null, s)).toBeNull();
  });
});
