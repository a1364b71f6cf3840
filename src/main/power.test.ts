// Runs in Node (vitest). Display sleep is blocked on a kiosk only, and released once on stop.
import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../core/log';
import { keepDisplayAwake, type PowerSaveBlockerLike } from './power';

function fakeBlocker() {
  const active = new Map<number, string>();
  let next = 1;
  const blocker: PowerSaveBlockerLike = {
    start: (type) => {
      active.set(next, type);
      return next++;
    },
    stop: (id) => void active.delete(id),
    isStarted: (id) => active.has(id),
  };
  return { blocker, active };
}

describe('keepDisplayAwake', () => {
  it('blocks display sleep in kiosk mode and releases it', () => {
    const { blocker, active } = fakeBlocker();
    const release = keepDisplayAwake(blocker, true, memoryLogger().logger);
    expect([...active.values()]).toEqual(['prevent-display-sleep']);
    release();
    release();
    expect(active.size).toBe(0);
  });

  it('leaves a windowed desk PC alone', () => {
    const { blocker, active } = fakeBlocker();
    keepDisplayAwake(blocker, false, memoryLogger().logger)();
    expect(active.size).toBe(0);
  });
});
