// Runs under vitest (Node). One scan, one entry: repeats within the window from any source are
// swallowed, later ones pass, memory stays bounded.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fakeClock } from '../clock';
import { createScanGate } from './scanGate';

describe('createScanGate', () => {
  it('the same data from two sources within 2 s is one scan', () => {
    const clock = fakeClock(0);
    const gate = createScanGate({ clock });
    expect(gate.accept('KP1.a', 'hid:/dev/hidraw1')).toBe(true);
    clock.advance(300);
    expect(gate.accept('KP1.a', 'camera')).toBe(false);
    expect(gate.repeats()).toEqual({ sameSource: 0, otherSource: 1 });
  });

  it('the same data from the same source within 2 s is one scan', () => {
    const clock = fakeClock(0);
    const gate = createScanGate({ clock });
    expect(gate.accept('x', 'wedge')).toBe(true);
    clock.advance(2000);
    expect(gate.accept('x', 'wedge')).toBe(false);
    expect(gate.repeats()).toEqual({ sameSource: 1, otherSource: 0 });
  });

  it('after more than the window, the same data is a new scan', () => {
    const clock = fakeClock(0);
    const gate = createScanGate({ clock });
    expect(gate.accept('x', 'wedge')).toBe(true);
    clock.advance(2001);
    expect(gate.accept('x', 'camera')).toBe(true);
  });

  it('a code held in front of the camera stays one scan while it is shown (the window slides)', () => {
    const clock = fakeClock(0);
    const gate = createScanGate({ clock });
    expect(gate.accept('x', 'camera')).toBe(true);
    for (let i = 0; i < 50; i++) {
      clock.advance(200);
      expect(gate.accept('x', 'camera')).toBe(false);
    }
    clock.advance(2500);
    expect(gate.accept('x', 'camera')).toBe(true);
  });

  it('different data is never held back', () => {
    const clock = fakeClock(0);
    const gate = createScanGate({ clock });
    expect(gate.accept('a', 'hid')).toBe(true);
    expect(gate.accept('b', 'hid')).toBe(true);
    expect(gate.accept('A', 'hid')).toBe(true);
  });

  it('windowMs is configurable', () => {
    const clock = fakeClock(0);
    const gate = createScanGate({ clock, windowMs: 100 });
    gate.accept('x', 'hid');
    clock.advance(101);
    expect(gate.accept('x', 'hid')).toBe(true);
  });

  it('a clock set back is not a gap', () => {
    const clock = fakeClock(10_000);
    const gate = createScanGate({ clock });
    gate.accept('x', 'hid');
    clock.set(9_500);
    expect(gate.accept('x', 'hid')).toBe(false);
  });

  it('memory is bounded: expired scans are forgotten, and the cap holds under a flood', () => {
    const clock = fakeClock(0);
    const gate = createScanGate({ clock, maxEntries: 100 });
    for (let i = 0; i < 1000; i++) gate.accept(`scan-${i}`, 'hid');
    expect(gate.size()).toBe(100);
    clock.advance(2001);
    gate.accept('later', 'hid');
    expect(gate.size()).toBe(1);
  });

  it('accepts exactly the first of each run of repeats closer than the window (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.integer({ min: 0, max: 3000 })), { maxLength: 60 }), (steps) => {
        const clock = fakeClock(0);
        const gate = createScanGate({ clock });
        const lastSeen = new Map<string, number>();
        for (const [data, gap] of steps) {
          clock.advance(gap);
          const prev = lastSeen.get(data);
          const expected = prev === undefined || clock() - prev > 2000;
          lastSeen.set(data, clock());
          expect(gate.accept(data, 'src')).toBe(expected);
        }
      }),
    );
  });
});
