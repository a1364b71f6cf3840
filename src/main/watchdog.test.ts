// Runs in Node (vitest). The hang watchdog's decisions: wait through short stalls, reload a hung
// page, relaunch once when reloads are used up, and share the limit with the crash handler.
import { describe, expect, it } from 'vitest';
import { createReloadLimiter } from './recovery';
import { createWatchdog, DEFAULT_WATCHDOG_POLICY, HEARTBEAT_INTERVAL_MS } from './watchdog';

const { hangMs, heartbeatTimeoutMs } = DEFAULT_WATCHDOG_POLICY;

describe('watchdog', () => {
  it('waits while heartbeats arrive', () => {
    const dog = createWatchdog({ startedAt: 0, shouldReload: createReloadLimiter() });
    for (let t = HEARTBEAT_INTERVAL_MS; t < 10 * 60_000; t += HEARTBEAT_INTERVAL_MS) {
      dog.heartbeat(t);
      expect(dog.decide(t)).toBe('wait');
    }
  });

  it('waits through a short unresponsive spell, reloads after hangMs', () => {
    const dog = createWatchdog({ startedAt: 0, shouldReload: createReloadLimiter() });
    dog.unresponsive(1_000);
    expect(dog.decide(1_000 + hangMs - 1)).toBe('wait');
    dog.responsive(1_000 + hangMs - 1);
    expect(dog.decide(1_000 + hangMs + 1)).toBe('wait');
    dog.unresponsive(20_000);
    dog.unresponsive(25_000); // repeated events keep the first time
    expect(dog.decide(20_000 + hangMs)).toBe('reload');
    // The reload restarts the grace period.
    expect(dog.decide(20_000 + hangMs + 1)).toBe('wait');
    // A heartbeat answer means the page runs again.
    dog.unresponsive(60_000);
    dog.heartbeat(61_000);
    expect(dog.decide(60_000 + hangMs)).toBe('wait');
  });

  it('reloads when heartbeats stop even without an unresponsive event', () => {
    const dog = createWatchdog({ startedAt: 0, shouldReload: createReloadLimiter() });
    dog.heartbeat(5_000);
    expect(dog.decide(5_000 + heartbeatTimeoutMs - 1)).toBe('wait');
    expect(dog.decide(5_000 + heartbeatTimeoutMs)).toBe('reload');
  });

  it('relaunches once when the shared reload limit is used up (by crashes or hangs), then waits', () => {
    const shouldReload = createReloadLimiter({ max: 3, windowMs: 10 * 60_000 });
    // Two crashes already reloaded the page.
    expect(shouldReload(0)).toBe(true);
    expect(shouldReload(1)).toBe(true);
    const dog = createWatchdog({ startedAt: 0, shouldReload });
    let t = heartbeatTimeoutMs;
    expect(dog.decide(t)).toBe('reload');
    t += heartbeatTimeoutMs;
    expect(dog.decide(t)).toBe('relaunch');
    t += heartbeatTimeoutMs;
    expect(dog.decide(t)).toBe('wait');
  });
});
