// Runs in Node (main, hosts, server). Time is always injected so validity windows, backoff,
// retention and approvals can be tested with a fake clock.

/** Milliseconds since the Unix epoch. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

/** A clock a test moves by hand. */
export function fakeClock(startMs: number) {
  let now = startMs;
  const clock: Clock & { advance(ms: number): void; set(ms: number): void } = Object.assign(() => now, {
    advance(ms: number) {
      now += ms;
    },
    set(ms: number) {
      now = ms;
    },
  });
  return clock;
}

export const DAY_MS = 86_400_000;
