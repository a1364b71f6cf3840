// Runs under vitest (Node). Per-scan timings: quantiles per stage over a bounded window, bad
// durations refused, hourly throughput kept for 48 hours, and the 2D imager suggestion only
// when camera decoding is slow over enough scans.
import { describe, expect, it } from 'vitest';
import { fakeClock } from '../clock';
import { SLOW_CAMERA_P95_MS, TIMING_HOURS, createScanTimings } from './scanTimings';

const T0 = Date.parse('2026-11-23T00:00:00Z');

describe('scan timings', () => {
  it('gives p50/p95 per stage over the last samples only', () => {
    const t = createScanTimings({ clock: fakeClock(T0), samples: 100 });
    for (let i = 1; i <= 100; i++) t.record('verify', i);
    expect(t.summary().stages.find((s) => s.stage === 'verify')).toEqual({ stage: 'verify', samples: 100, p50Ms: 51, p95Ms: 96 });
    for (let i = 0; i < 100; i++) t.record('verify', 1000);
    expect(t.summary().stages.find((s) => s.stage === 'verify')).toMatchObject({ samples: 100, p50Ms: 1000 });
    expect(t.summary().stages.find((s) => s.stage === 'write')).toEqual({ stage: 'write', samples: 0, p50Ms: null, p95Ms: null });
  });

  it('refuses durations that are not one', () => {
    const t = createScanTimings({ clock: fakeClock(T0) });
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, 61_000, '5' as unknown as number]) expect(t.record('verify', bad)).toBe(false);
    expect(t.record('nope' as never, 5)).toBe(false);
    expect(t.summary().stages.every((s) => s.samples === 0)).toBe(true);
  });

  it('counts scans per hour and keeps 48 hours', () => {
    const clock = fakeClock(T0 + 10 * 60_000);
    const t = createScanTimings({ clock });
    t.countScan();
    t.countScan();
    clock.advance(3_600_000);
    t.countScan();
    expect(t.summary().hourly).toEqual([
      { hourStart: T0, scans: 2 },
      { hourStart: T0 + 3_600_000, scans: 1 },
    ]);
    clock.advance(TIMING_HOURS * 3_600_000);
    t.countScan();
    expect(t.summary().hourly).toHaveLength(1);
  });

  it('suggests a 2D imager only when camera decode p95 is slow over at least 20 scans', () => {
    const t = createScanTimings({ clock: fakeClock(T0) });
    for (let i = 0; i < 19; i++) t.record('cameraDecode', SLOW_CAMERA_P95_MS + 200);
    expect(t.summary().suggestion).toBeNull();
    t.record('cameraDecode', SLOW_CAMERA_P95_MS + 200);
    expect(t.summary().suggestion).toContain('2D 이미저 스캐너 사용을 권장합니다');
    const fast = createScanTimings({ clock: fakeClock(T0) });
    for (let i = 0; i < 50; i++) fast.record('cameraDecode', 120);
    expect(fast.summary().suggestion).toBeNull();
  });
});
