// Runs in the renderer (pure, no DOM). A QR code held in front of the camera is read many times
// a second for as long as it stays there. Only its first sighting becomes a scan; it becomes a
// scan again only after it has been out of view for `holdMs` (the visitor took the phone away
// and showed it again), so a code held for ten seconds is one admit, not one every 2 s.
export interface SightingFilter {
  /** A decoded text at `now`: true when it should be sent to admit. */
  sighted(text: string, now: number): boolean;
  /** Forget everything (the camera was stopped and started again). */
  clear(): void;
}

export const DEFAULT_HOLD_MS = 3000;
/** Distinct codes remembered; the oldest go first (two people at the counter at once is the worst case). */
const MAX_REMEMBERED = 16;

export function createSightingFilter(holdMs: number = DEFAULT_HOLD_MS): SightingFilter {
  // text → when it was last seen; a Map keeps insertion order, a sighting re-inserts.
  const lastSeen = new Map<string, number>();
  return {
    sighted(text, now) {
      const before = lastSeen.get(text);
      lastSeen.delete(text);
      lastSeen.set(text, now);
      if (lastSeen.size > MAX_REMEMBERED) {
        const oldest = lastSeen.keys().next().value;
        if (oldest !== undefined) lastSeen.delete(oldest);
      }
      return before === undefined || now - before > holdMs || now < before;
    },
    clear() {
      lastSeen.clear();
    },
  };
}
