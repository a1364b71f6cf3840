// Runs under vitest (Node). Entry-log test helpers: temporary folders (and the logs opened in
// them) removed after each test, and entries shaped like admitted scans with distinct token ids.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { EntryLog, NewEntry } from './entryLog';

/** Call once at the top of a test file; everything it hands out is cleaned up after each test. */
export function tempLogFiles(prefix = 'munjigi-entrylog-') {
  const dirs: string[] = [];
  const logs: EntryLog[] = [];
  afterEach(() => {
    for (const l of logs.splice(0)) l.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(d);
    return d;
  };
  return {
    dir,
    /** A database path in a fresh folder. */
    path: () => join(dir(), 'entries.sqlite'),
    /** Closed after the test (closing twice is harmless). */
    track: <T extends EntryLog>(log: T): T => {
      logs.push(log);
      return log;
    },
  };
}

let nonce = 0;
/** A new entry scanned at `scannedAt`: random id and subject handle, a token id no other call repeats. */
export const testEntry = (scannedAt: number, over: Partial<NewEntry> = {}): NewEntry => ({
  id: randomUUID(),
  tokenId: `1:${(nonce++).toString(16).padStart(16, '0')}`,
  issuer: 1,
  subject: randomBytes(16).toString('hex'),
  facilityId: 'fac-1',
  kioskId: 'kiosk-1',
  scannedAt,
  issuedAt: Math.floor(scannedAt / 1000),
  source: 'wedge',
  ...over,
});
