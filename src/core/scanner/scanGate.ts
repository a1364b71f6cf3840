// Runs in the main process (in front of admit()). One scan, one entry: the same data read by two
// sources (a HID scanner and the camera) or twice by one source within the window is one scan.
import type { Clock } from '../clock';

export interface ScanGateOptions {
  /** Repeats closer together than this are the same scan. */
  windowMs?: number;
  clock: Clock;
  /** Most distinct scans remembered; the oldest are forgotten first (bounded memory). */
  maxEntries?: number;
}

export interface ScanGate {
  /** True when `data` is a new scan; false for a repeat within the window (from any source). */
  accept(data: string, source: string): boolean;
  /** Repeats swallowed so far, by the same source and by another source (for the setup screen). */
  repeats(): { sameSource: number; otherSource: number };
  /** Distinct scans remembered now. */
  size(): number;
}

export const SCAN_GATE_DEFAULTS = { windowMs: 2000, maxEntries: 1024 } as const;

export function createScanGate(options: ScanGateOptions): ScanGate {
  const windowMs = options.windowMs ?? SCAN_GATE_DEFAULTS.windowMs;
  const maxEntries = options.maxEntries ?? SCAN_GATE_DEFAULTS.maxEntries;
  const { clock } = options;
  // data → when last seen and by whom. A Map keeps insertion order and a repeat is re-inserted,
  // so the oldest entry is first and forgetting costs only what has expired.
  const seen = new Map<string, { at: number; source: string }>();
  let sameSource = 0;
  let otherSource = 0;

  const forgetOlderThan = (cutoff: number) => {
    for (const [data, { at }] of seen) {
      if (at >= cutoff) break;
      seen.delete(data);
    }
  };

  return {
    accept(data, source) {
      const now = clock();
      forgetOlderThan(now - windowMs);
      const last = seen.get(data);
      seen.delete(data);
      seen.set(data, { at: now, source });
      // A code held in front of the camera is read again and again: each repeat extends the
      // window, so it stays one scan for as long as it is shown. abs(): a clock set back is no gap.
      if (last !== undefined && Math.abs(now - last.at) <= windowMs) {
        if (last.source === source) sameSource++;
        else otherSource++;
        return false;
      }
      if (seen.size > maxEntries) {
        const oldest = seen.keys().next();
        if (!oldest.done) seen.delete(oldest.value);
      }
      return true;
    },
    repeats: () => ({ sameSource, otherSource }),
    size: () => seen.size,
  };
}
