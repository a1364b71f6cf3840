// Runs under vitest (Node). A code held in front of the camera is one scan; shown again after it
// was out of view for the hold time it is a new one; other codes are independent; memory bounded.
import { describe, expect, it } from 'vitest';
import { createSightingFilter } from './sightings';

describe('createSightingFilter', () => {
  it('passes the first sighting and swallows the same code while it stays in view', () => {
    const f = createSightingFilter(3000);
    expect(f.sighted('KP1.a', 0)).toBe(true);
    // held for 10 s, read 8 times a second
    for (let t = 125; t <= 10_000; t += 125) expect(f.sighted('KP1.a', t)).toBe(false);
  });

  it('passes the code again after it was out of view longer than the hold time', () => {
    const f = createSightingFilter(3000);
    f.sighted('KP1.a', 0);
    expect(f.sighted('KP1.a', 2900)).toBe(false);
    expect(f.sighted('KP1.a', 5800)).toBe(false); // 2900 ms since the last sighting: still in view
    expect(f.sighted('KP1.a', 8801)).toBe(true); // 3001 ms out of view
  });

  it('counts the hold from the last sighting', () => {
    const f = createSightingFilter(3000);
    f.sighted('KP1.a', 0);
    expect(f.sighted('KP1.a', 3001)).toBe(true);
  });

  it('treats different codes independently and clear() forgets', () => {
    const f = createSightingFilter(3000);
    expect(f.sighted('KP1.a', 0)).toBe(true);
    expect(f.sighted('KP1.b', 10)).toBe(true);
    expect(f.sighted('KP1.a', 20)).toBe(false);
    f.clear();
    expect(f.sighted('KP1.a', 30)).toBe(true);
  });

  it('remembers a bounded number of codes', () => {
    const f = createSightingFilter(3000);
    for (let i = 0; i < 100; i++) f.sighted(`code-${i}`, i);
    expect(f.sighted('code-0', 200)).toBe(true); // long forgotten
    expect(f.sighted('code-99', 201)).toBe(false);
  });

  it('a clock that went backwards does not block a code forever', () => {
    const f = createSightingFilter(3000);
    f.sighted('KP1.a', 10_000);
    expect(f.sighted('KP1.a', 5)).toBe(true);
  });
});
