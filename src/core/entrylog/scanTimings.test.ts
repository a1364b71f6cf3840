// Runs under vitest (Node). Per-scan timings: quantiles per source and stage within the histogram's
// ±10 %, any range of hours, bad figures refused, 28 days kept, hourly throughput with zero hours,
// and the 2D imager suggestion only when camera scans are slow (median, p95 or retries) over enough scans.
import { describe, expect, it } from 'vitest';
import { fakeClock } from '../clock';
import { SLOW_CAMERA_MIN_SCANS, SLOW_CAMERA_P50_MS, TIMING_HOURS, createScanTimings } from './scanTimings';

const T0 = Date.parse('2026-11-23T00:00:00Z');
const H = 3_600_000;
const near = (got: number | null, want: number) => got !== null && Math.abs(got - want) / want <= 0.1;

describe('scan timings', () => {
  it('gives p50/p95 per source and stage, within 10 % of the exact figures', () => {
    const clock = fakeClock(T0 + 60_000);
    const t = createScanTimings({ clock });
    for (let i = 1; i <= 1000; i++) {
      t.record('wedge', 'verify', i / 10);
      t.countScan('wedge');
    }
    for (let i = 0; i < 10; i++) t.record('hid', 'feedback', 16);
    const s = t.summary({ from: T0, to: T0 + H });
    const wedge = s.sources.find((x) => x.source === 'wedge')!;
    expect(wedge.scans).toBe(1000);
    expect(wedge.stages.verify.samples).toBe(1000);
    expect(near(wedge.stages.verify.p50Ms, 50)).toBe(true);
    expect(near(wedge.stages.verify.p95Ms, 95)).toBe(true);
    expect(wedge.stages.write).toEqual({ samples: 0, p50Ms: null, p95Ms: null });
    expect(wedge.retriesPerScan).toBeNull();
    const hid = s.sources.find((x) => x.source === 'hid')!;
    expect(hid.scans).toBe(0);
    expect(near(hid.stages.feedback.p50Ms, 16)).toBe(true);
    expect(s.sources.map((x) => x.source)).toEqual(['wedge', 'hid']);
  });

  it('refuses figures that are not a duration, an unknown source or stage, and bad retries', () => {
    const t = createScanTimings({ clock: fakeClock(T0) });
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, 61_000, '5' as unknown as number]) expect(t.record('wedge', 'verify', bad)).toBe(false);
    expect(t.record('nope' as never, 'verify', 5)).toBe(false);
    expect(t.record('wedge', 'nope' as never, 5)).toBe(false);
    t.countScan('nope' as never);
    t.countScan('camera', -1);
    t.countScan('camera', 2.5);
    t.countScan('camera', 1_000_000);
    const s = t.summary({ from: T0, to: T0 + H });
    expect(s.sources).toEqual([expect.objectContaining({ source: 'camera', scans: 3, retriesPerScan: null })]);
    expect(s.sources[0]!.stages.verify.samples).toBe(0);
  });

  it('answers for the hours of the range asked, every hour present, and keeps 28 days', () => {
    const clock = fakeClock(T0 + 10 * 60_000);
    const t = createScanTimings({ clock });
    t.countScan('wedge');
    t.countScan('wedge');
    clock.advance(2 * H);
    t.countScan('camera');
    t.record('camera', 'decode', 100);
    expect(t.summary({ from: T0, to: T0 + 3 * H }).hourly).toEqual([
      { hourStart: T0, scans: 2 },
      { hourStart: T0 + H, scans: 0 },
      { hourStart: T0 + 2 * H, scans: 1 },
    ]);
    const later = t.summary({ from: T0 + 2 * H, to: T0 + 3 * H });
    expect(later.sources.map((x) => [x.source, x.scans])).toEqual([['camera', 1]]);
    clock.advance(TIMING_HOURS * H);
    t.countScan('wedge');
    expect(t.summary({ from: T0, to: T0 + 3 * H }).sources).toEqual([]);
  });

  it('suggests a 2D imager only when camera scans are slow over enough scans, with the figures', () => {
    const slow = createScanTimings({ clock: fakeClock(T0) });
    const scan = (t: ReturnType<typeof createScanTimings>, decodeMs: number, retries?: number) => {
      t.record('camera', 'decode', decodeMs);
      t.record('camera', 'verify', 0.3);
      t.countScan('camera', retries);
    };
    for (let i = 0; i < SLOW_CAMERA_MIN_SCANS - 1; i++) scan(slow, SLOW_CAMERA_P50_MS + 150);
    const range = { from: T0, to: T0 + H };
    expect(slow.summary(range).suggestion).toBeNull();
    scan(slow, SLOW_CAMERA_P50_MS + 150);
    const s = slow.summary(range).suggestion;
    expect(s).toMatchObject({ code: 'CAMERA_SLOW', cameraScans: SLOW_CAMERA_MIN_SCANS });
    expect(near(s!.decodeVerifyP50Ms, 400)).toBe(true);
    expect(s!.message).toContain('2D 이미저');

    const retrying = createScanTimings({ clock: fakeClock(T0) });
    for (let i = 0; i < 30; i++) scan(retrying, 90, 6);
    expect(retrying.summary(range).suggestion).toMatchObject({ code: 'CAMERA_SLOW', retriesPerScan: 6 });

    const fast = createScanTimings({ clock: fakeClock(T0) });
    for (let i = 0; i < 50; i++) scan(fast, 120, 1);
    expect(fast.summary(range).suggestion).toBeNull();
    // A slow wedge is not a camera problem.
    for (let i = 0; i < 50; i++) fast.record('wedge', 'decode', 900);
    expect(fast.summary(range).suggestion).toBeNull();
  });
});
