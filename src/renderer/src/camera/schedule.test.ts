// Runs under vitest (Node). The frame scheduler: the rate cap, one frame in flight, a slow
// decoder lowering the rate instead of queueing, and settings outside the allowed range clamped.
import { describe, expect, it } from 'vitest';
import { createFrameScheduler } from './schedule';

describe('createFrameScheduler', () => {
  it('starts a frame at once, then not before 1000/rate ms, and never two at a time', () => {
    const s = createFrameScheduler(8);
    expect(s.intervalMs).toBe(125);
    expect(s.waitMs(0)).toBe(0);
    expect(s.begin(0)).toBe(true);
    expect(s.inFlight()).toBe(true);
    expect(s.waitMs(500)).toBe(Number.POSITIVE_INFINITY);
    expect(s.begin(500)).toBe(false); // still one in flight
    s.end();
    expect(s.waitMs(10)).toBe(115);
    expect(s.begin(10)).toBe(false);
    expect(s.begin(125)).toBe(true);
  });

  it('never exceeds the rate over a long run with an instant decoder', () => {
    const s = createFrameScheduler(5);
    let started = 0;
    for (let t = 0; t < 10_000; t += 1) {
      if (s.begin(t)) {
        started += 1;
        s.end();
      }
    }
    expect(started).toBe(50);
  });

  it('a decoder slower than the interval sets the pace (no queue)', () => {
    const s = createFrameScheduler(15);
    let t = 0;
    let started = 0;
    while (t < 3000) {
      if (s.begin(t)) {
        started += 1;
        t += 300; // each decode takes 300 ms
        s.end();
      } else t += 1;
    }
    expect(started).toBe(10);
  });

  it('clamps rates to 1..15 and refuses non-numbers', () => {
    expect(createFrameScheduler(0).intervalMs).toBe(1000);
    expect(createFrameScheduler(100).intervalMs).toBeCloseTo(1000 / 15);
    expect(() => createFrameScheduler(Number.NaN)).toThrow(RangeError);
  });

  it('reset forgets the frame in flight', () => {
    const s = createFrameScheduler(8);
    s.begin(0);
    s.reset();
    expect(s.inFlight()).toBe(false);
    expect(s.waitMs(125)).toBe(0);
  });
});
