// Unit tests (Node) for the renderer crash reload limiter.
import { describe, expect, it } from 'vitest';
import { createReloadLimiter } from './recovery';

describe('createReloadLimiter', () => {
  it('allows max reloads per window, then again once the window has passed', () => {
    const shouldReload = createReloadLimiter({ max: 3, windowMs: 60_000 });
    expect([0, 1_000, 2_000, 3_000].map(shouldReload)).toEqual([true, true, true, false]);
    expect(shouldReload(59_999)).toBe(false);
    expect(shouldReload(60_000)).toBe(true); // the first one has aged out
    expect(shouldReload(60_001)).toBe(false);
  });
});
