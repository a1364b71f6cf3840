// Runs in Node (main, development host). Deletes entries older than 28 days at start and
// then hourly, and logs how many went. Timers are injected so tests drive it by hand.
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { EntryLog } from './entryLog';

export interface Retention {
  /** Purges now; returns the entries deleted, or null when the purge failed (logged). */
  runNow(): number | null;
  stop(): void;
}

type TimerHandle = unknown;

export function startRetention(opts: {
  log: Pick<EntryLog, 'purgeExpired'>;
  clock: Clock;
  logger: Logger;
  intervalMs?: number;
  setInterval?: (fn: () => void, ms: number) => TimerHandle;
  clearInterval?: (handle: TimerHandle) => void;
}): Retention {
  const { log, clock, logger, intervalMs = 3_600_000 } = opts;
  const set = opts.setInterval ?? ((fn: () => void, ms: number) => setInterval(fn, ms));
  const clear = opts.clearInterval ?? ((h: TimerHandle) => clearInterval(h as ReturnType<typeof setInterval>));

  const runNow = (): number | null => {
    try {
      const purged = log.purgeExpired(clock());
      logger.info('entry log retention', { purged });
      return purged;
    } catch (err) {
      // Keep the kiosk admitting; the next run tries again.
      const code = (err as { code?: unknown } | null)?.code;
      logger.error('entry log retention failed', { code: typeof code === 'string' ? code : 'INTERNAL' });
      return null;
    }
  };

  runNow();
  const handle = set(runNow, intervalMs);
  // A retention timer alone must not keep a process (a CLI, a test) alive.
  (handle as { unref?: () => void } | null)?.unref?.();
  let stopped = false;
  return {
    runNow,
    stop() {
      if (stopped) return;
      stopped = true;
      clear(handle);
    },
  };
}
