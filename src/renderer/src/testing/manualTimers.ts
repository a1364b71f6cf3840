// Runs under vitest (Node), test support only. Timers a test moves by hand, in the shape the
// renderer's modules take them (setTimeout/clearTimeout passed in), with the current time.
export function manualTimers() {
  let now = 0;
  let nextId = 1;
  const timers: { fn: () => void; at: number; id: number; ms: number }[] = [];
  return {
    now: () => now,
    pending: () => timers.map((t) => t.ms),
    setTimeout: (fn: () => void, ms: number): unknown => {
      timers.push({ fn, at: now + ms, id: nextId, ms });
      return nextId++;
    },
    clearTimeout: (h: unknown) => {
      const i = timers.findIndex((t) => t.id === h);
      if (i >= 0) timers.splice(i, 1);
    },
    /** Moves time forward, running every timer that falls due, in order. */
    advance(ms: number) {
      now += ms;
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const t = timers[0];
        if (!t || t.at > now) break;
        timers.shift();
        t.fn();
      }
    },
  };
}
