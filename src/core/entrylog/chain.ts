// Runs in Node (main, CLI). The entry log's hash chain: each entry's hash covers the previous
// entry's hash and every field that says who came in where and when, so changing, inserting or
// removing an entry outside a signed purge shows. replayed_at is left out on purpose: the
// central API may set it later.
import { createHash } from 'node:crypto';
import type { EntryRow } from './entryLog';

/** prev_hash of the first entry ever written. */
export const GENESIS_HASH = '0'.repeat(64);
const DOMAIN = 'MJG-ENTRY-1';

/**
 * What an entry's hash covers: every field of EntryRow except replayedAt. source and result are
 * widened to text because rows read back from a file (log verify) may hold anything there.
 */
export type ChainFields = Omit<EntryRow, 'replayedAt' | 'source' | 'result'> & { source: string; result: string };

/**
 * SHA-256 (hex) over a canonical encoding: a JSON array of a domain tag, prev_hash and the
 * fields in a fixed order. Strings and safe integers encode one way only in JSON.
 */
export function entryHash(prevHash: string, e: ChainFields): string {
  const canonical = JSON.stringify([
    DOMAIN,
    prevHash,
    e.id,
    e.tokenId,
    e.issuer,
    e.subject,
    e.facilityId,
    e.kioskId,
    e.scannedAt,
    e.issuedAt,
    e.source,
    e.result,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/** An entry row as SQLite returns it (snake_case columns of table entry). */
export interface EntryRecord {
  id: string;
  token_id: string;
  issuer: number;
  subject: string;
  facility_id: string;
  kiosk_id: string;
  scanned_at: number;
  issued_at: number;
  source: string;
  result: string;
  replayed_at: number | null;
}

/** entryHash of a row as stored. */
export const recordHash = (prevHash: string, r: EntryRecord): string =>
  entryHash(prevHash, {
    id: r.id,
    tokenId: r.token_id,
    issuer: r.issuer,
    subject: r.subject,
    facilityId: r.facility_id,
    kioskId: r.kiosk_id,
    scannedAt: r.scanned_at,
    issuedAt: r.issued_at,
    source: r.source,
    result: r.result,
  });

/** SHA-256 (hex) of entry ids in chain order, one per line: what a receipt says was deleted. */
export function idsDigest(ids: readonly string[]): string {
  const h = createHash('sha256');
  for (const id of ids) h.update(id + '\n', 'utf8');
  return h.digest('hex');
}

export interface ChainHead {
  seq: number;
  hash: string;
}
