// Runs in the Electron main process (pure). Whether to reload the kiosk screen after its renderer
// died: yes, so an unattended kiosk comes back by itself, but at most `max` times in `windowMs`,
// so a page that crashes on load does not spin the CPU forever.
export function createReloadLimiter(opts: { max?: number; windowMs?: number } = {}) {
  const max = opts.max ?? 3;
  const windowMs = opts.windowMs ?? 60_000;
  const recent: number[] = [];
  return function shouldReload(now: number): boolean {
    while (recent.length > 0 && now - (recent[0] as number) >= windowMs) recent.shift();
    if (recent.length >= max) return false;
    recent.push(now);
    return true;
  };
}
