// Runs in the Electron main process (pure). Whether a hung kiosk screen should be left alone,
// reloaded, or the whole app relaunched. Fed by the window's `unresponsive`/`responsive` events
// and a heartbeat (a round trip main makes into the page every few seconds); reloads share the
// crash handler's limiter, so crashes and hangs together cannot spin the CPU.

export type WatchdogAction = 'wait' | 'reload' | 'relaunch';

export interface WatchdogPolicy {
  /** How long Chromium may report the page unresponsive before we act (a long GC is not a hang). */
  hangMs: number;
  /** How long without a heartbeat answer before the page counts as hung. */
  heartbeatTimeoutMs: number;
}

export const DEFAULT_WATCHDOG_POLICY: WatchdogPolicy = { hangMs: 15_000, heartbeatTimeoutMs: 45_000 };
/** How often main pings the page; well inside heartbeatTimeoutMs so one slow answer is not a hang. */
export const HEARTBEAT_INTERVAL_MS = 5_000;

export interface Watchdog {
  unresponsive(now: number): void;
  responsive(now: number): void;
  heartbeat(now: number): void;
  /** Call on every tick; a `reload` answer restarts the grace period, `relaunch` is given once. */
  decide(now: number): WatchdogAction;
}

export function createWatchdog(opts: {
  startedAt: number;
  /** The reload limiter from ./recovery, shared with the crash handler. */
  shouldReload: (now: number) => boolean;
  policy?: WatchdogPolicy;
}): Watchdog {
  const policy = opts.policy ?? DEFAULT_WATCHDOG_POLICY;
  let unresponsiveSince: number | null = null;
  let lastBeat = opts.startedAt;
  let relaunchGiven = false;

  const hung = (now: number) =>
    (unresponsiveSince !== null && now - unresponsiveSince >= policy.hangMs) || now - lastBeat >= policy.heartbeatTimeoutMs;

  return {
    unresponsive(now) {
      unresponsiveSince ??= now;
    },
    responsive(now) {
      unresponsiveSince = null;
      lastBeat = Math.max(lastBeat, now);
    },
    heartbeat(now) {
      lastBeat = Math.max(lastBeat, now);
      unresponsiveSince = null;
    },
    decide(now) {
      if (!hung(now) || relaunchGiven) return 'wait';
      if (opts.shouldReload(now)) {
        // The reloaded page gets a full grace period before it can be judged again.
        unresponsiveSince = null;
        lastBeat = now;
        return 'reload';
      }
      // Reloading keeps failing: a fresh process (new GPU and renderer processes) is the next step.
      relaunchGiven = true;
      return 'relaunch';
    },
  };
}
