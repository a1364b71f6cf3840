// Runs in Node (the development host). The file dialog's stand-in for 「녹음 파일로 바꾸기」 in the
// browser tests: the operator "chooses" the newest regular file in one folder given on the command
// line. The page still names no path; the kiosk checks the file exactly as it checks a dialog's.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** A chooser answering the newest regular file (by modification time) directly in `dir`, or null when there is none. */
export function newestFileIn(dir: string): () => Promise<string | null> {
  return () => {
    let best: { path: string; mtimeMs: number } | null = null;
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return Promise.resolve(null);
    }
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const path = join(dir, name);
      try {
        const st = statSync(path);
        if (st.isFile() && (!best || st.mtimeMs >= best.mtimeMs)) best = { path, mtimeMs: st.mtimeMs };
      } catch {
        /* gone meanwhile */
      }
    }
    return Promise.resolve(best?.path ?? null);
  };
}
