// Runs under vitest (Node). Retention with a fake clock and hand-driven timers: a purge at
// start and on every tick, the count logged, a failing purge logged without stopping the kiosk.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { DAY_MS, fakeClock } from '../clock';
import { memoryLogger } from '../log';
import { generateKeyPair } from '../kp1';
import { openEntryLog, startRetention } from './index';
import type { EntryLog } from './index';

const dirs: string[] = [];
const logs: EntryLog[] = [];
afterEach(() => {
  for (const l of logs.splice(0)) l.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const T0 = Date.parse('2026-11-01T00:00:00Z');

function fakeTimers() {
  const ticks: Array<() => void> = [];
  const cleared: unknown[] = [];
  let every = 0;
  return {
    setInterval: (fn: () => void, ms: number) => {
      ticks.push(fn);
      every = ms;
      return 42;
    },
    clearInterval: (h: unknown) => void cleared.push(h),
    tick: () => ticks.forEach((fn) => fn()),
    get every() {
      return every;
    },
    cleared,
  };
}

describe('startRetention', () => {
  it('purges at start and hourly, deleting 29-day-old entries and keeping 27-day-old ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'munjigi-retention-'));
    dirs.push(dir);
    const clock = fakeClock(T0);
    const mem = memoryLogger();
    const log = openEntryLog({ path: join(dir, 'e.sqlite'), clock, logger: mem.logger, expectExisting: false, receiptKey: generateKeyPair().privateKey });
    logs.push(log);
    let n = 0;
    const add = (scannedAt: number) => {
      const id = randomUUID();
      log.recordEntry(
        { id, tokenId: `1:${(n++).toString(16).padStart(16, '0')}`, issuer: 1, subject: '0'.repeat(32), facilityId: 'f', kioskId: 'k', scannedAt, issuedAt: 0, source: 'wedge' },
        scannedAt,
      );
      return id;
    };
    const at29 = add(T0 - 29 * DAY_MS);
    const at27 = add(T0 - 27 * DAY_MS);

    const timers = fakeTimers();
    const retention = startRetention({ log, clock, logger: mem.logger, setInterval: timers.setInterval, clearInterval: timers.clearInterval });
    expect(timers.every).toBe(3_600_000);
    expect(log.getEntry(at29)).toBeUndefined();
    expect(log.getEntry(at27)).toBeDefined();
    expect(mem.lines.filter((l) => l.msg === 'entry log retention').map((l) => l.purged)).toEqual([1]);

    clock.advance(DAY_MS - 1);
    timers.tick();
    expect(log.getEntry(at27)).toBeDefined();
    clock.advance(DAY_MS + 2);
    timers.tick();
    expect(log.getEntry(at27)).toBeUndefined();
    expect(mem.lines.filter((l) => l.msg === 'entry log retention').map((l) => l.purged)).toEqual([1, 0, 1]);

    retention.stop();
    retention.stop();
    expect(timers.cleared).toEqual([42]);
  });

  it('logs a failing purge and keeps going', () => {
    const mem = memoryLogger();
    let fail = true;
    const log = {
      purgeExpired: () => {
        if (fail) throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
        return 3;
      },
    };
    const timers = fakeTimers();
    const retention = startRetention({ log, clock: fakeClock(T0), logger: mem.logger, intervalMs: 1000, setInterval: timers.setInterval, clearInterval: timers.clearInterval });
    expect(mem.lines.find((l) => l.level === 'error')).toMatchObject({ msg: 'entry log retention failed', code: 'SQLITE_IOERR' });
    fail = false;
    expect(retention.runNow()).toBe(3);
    expect(timers.every).toBe(1000);
  });

  it('does not keep the process alive with the real timer', () => {
    const retention = startRetention({ log: { purgeExpired: () => 0 }, clock: () => T0, logger: memoryLogger().logger });
    retention.stop();
  });
});
