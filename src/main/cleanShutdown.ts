// Runs in the Electron main process (plain Node). Noticing an unclean shutdown: a marker file is
// written when the app starts and removed when it quits cleanly; finding it at the next start
// means the last run ended by power loss, a kill or a crash of main.
import { readFileSync, rmSync } from 'node:fs';
import { writeAtomically } from '../core/settings/store';

export const RUN_MARKER_FILE = 'running.json';

export interface PreviousRun {
  /** True when the previous run did not quit cleanly. */
  unclean: boolean;
  /** When that run started (ms since epoch), if the marker could be read. */
  startedAt: number | null;
  version: string | null;
}

/** Reads what the last run left behind, then marks this run as running. Never throws on a bad marker. */
export function beginRun(path: string, now: number, version: string): PreviousRun {
  let previous: PreviousRun = { unclean: false, startedAt: null, version: null };
  let text: string | null = null;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') previous = { ...previous, unclean: true };
  }
  if (text !== null) {
    previous = { unclean: true, startedAt: null, version: null };
    try {
      const data = JSON.parse(text) as { startedAt?: unknown; version?: unknown };
      if (typeof data.startedAt === 'number' && Number.isFinite(data.startedAt)) previous.startedAt = data.startedAt;
      if (typeof data.version === 'string' && data.version.length <= 64) previous.version = data.version;
    } catch {
      // A marker cut short by the power loss itself still means an unclean end.
    }
  }
  writeAtomically(path, { startedAt: now, version, pid: process.pid });
  return previous;
}

/** On a clean quit: the next start will not report an unclean shutdown. */
export function endRun(path: string): void {
  rmSync(path, { force: true });
}
