// Runs under vitest (Node). The SQLite ingest writers, in-thread and worker thread, give the same
// answers: fresh entries accepted, resends duplicates, a second use of a token a replay (also
// within one group and on every resend), a reused request nonce writes nothing; and both index
// entries for investigations after the fact (migration 0008), by count and after a quiet spell.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hexKey, tokenKey } from './entryKeys';
import type { IndexPolicy, IngestJob, WireEntry, IngestWriter } from './ingestWriter';
import { inThreadWriter, packBatch, workerWriter } from './ingestWriter';
import type { ServerDb } from './open';
import { SQLITE_PRAGMAS, openServerDb } from './open';

const FACILITY = '0f1e2d3c-4b5a-4969-8877-665544332211';
let n = 0;
const row = (over: Partial<WireEntry> = {}): WireEntry => {
  n++;
  const tokenId = over.tokenId ?? `1:${n.toString(16).padStart(16, '0')}`;
  const subject = 'ab'.repeat(16);
  return { id: `aaaaaaaa-0000-4000-8000-${n.toString().padStart(12, '0')}`, tokenId, issuer: 1, subject, scannedAt: 1_000 + n, issuedAt: 1, source: 'wedge', ...over };
};
const job = (rows: WireEntry[], nonce: string | null = null, kioskId = 'kiosk-a'): IngestJob => ({ kioskId, facilityId: FACILITY, facilityKey: hexKey(FACILITY), nonce, now: 5_000, batch: packBatch(rows) });

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function open(kind: 'thread' | 'worker', policy?: IndexPolicy): Promise<{ db: ServerDb; writer: IngestWriter }> {
  const dir = mkdtempSync(join(tmpdir(), 'munjigi-writer-'));
  const db = await openServerDb({ file: join(dir, 'server.db') });
  const writer = kind === 'worker' ? workerWriter(join(dir, 'server.db'), SQLITE_PRAGMAS, policy) : inThreadWriter(db.sqlite!, (fn) => db.db.connection().execute(async () => fn()), policy);
  cleanup.push(async () => {
    await writer.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { db, writer };
}

describe.each(['thread', 'worker'] as const)('SQLite ingest writer (%s)', (kind) => {
  it('accepts, deduplicates and flags replays, also between batches of one group', async () => {
    const { db, writer } = await open(kind);
    const a = row();
    const b = row();
    expect(await writer.write(job([a, b], 'nonce-1'))).toEqual({ replayedRequest: false, accepted: 2, duplicates: 0, replays: [] });
    // Two batches in one group: a resend of a, a new use of a's token, and a token used twice in the group.
    const copy = row({ tokenId: a.tokenId });
    const c1 = row();
    const c2 = row({ tokenId: c1.tokenId });
    const [first, second] = await Promise.all([writer.write(job([a, copy, c1])), writer.write(job([c2], null, 'kiosk-b'))]);
    expect(first).toEqual({ replayedRequest: false, accepted: 2, duplicates: 1, replays: [{ entryId: copy.id, tokenId: copy.tokenId }] });
    expect(second).toEqual({ replayedRequest: false, accepted: 1, duplicates: 0, replays: [{ entryId: c2.id, tokenId: c2.tokenId }] });
    // A resend of a replay still reports it.
    expect(await writer.write(job([copy]))).toEqual({ replayedRequest: false, accepted: 0, duplicates: 1, replays: [{ entryId: copy.id, tokenId: copy.tokenId }] });
    const stored = db.sqlite!.prepare('SELECT id, replay FROM entries ORDER BY seq').all();
    expect(stored).toEqual([
      { id: a.id, replay: 0 },
      { id: b.id, replay: 0 },
      { id: copy.id, replay: 1 },
      { id: c1.id, replay: 0 },
      { id: c2.id, replay: 1 },
    ]);
  });

  it('writes nothing for a reused request nonce', async () => {
    const { db, writer } = await open(kind);
    await writer.write(job([row()], 'nonce-x'));
    expect(await writer.write(job([row()], 'nonce-x'))).toMatchObject({ replayedRequest: true, accepted: 0 });
    expect(db.sqlite!.prepare('SELECT count(*) FROM entries').pluck().get()).toBe(1);
  });

  const mark = (db: ServerDb) => db.sqlite!.prepare('SELECT seq FROM entry_index_mark').pluck().get() as number;
  const lookups = (db: ServerDb, table: 'entry_by_facility' | 'entry_by_subject') => db.sqlite!.prepare(`SELECT seq FROM ${table} ORDER BY seq`).pluck().all();
  /** Polls (bounded) until the index mark reaches `seq`; false if it never does within 3 s. */
  async function markReaches(db: ServerDb, seq: number) {
    for (let i = 0; i < 150; i++) {
      if (mark(db) >= seq) return true;
      await new Promise((r) => setTimeout(r, 20));
    }
    return false;
  }

  it('indexes in a pass once `every` entries wait, not before', async () => {
    const { db, writer } = await open(kind, { every: 4, lagMs: 60_000 });
    await writer.write(job([row(), row(), row()]));
    await new Promise((r) => setTimeout(r, 100));
    expect(mark(db)).toBe(0);
    expect(lookups(db, 'entry_by_subject')).toEqual([]);
    await writer.write(job([row(), row()]));
    expect(await markReaches(db, 5)).toBe(true);
    expect(lookups(db, 'entry_by_facility')).toEqual([1, 2, 3, 4, 5]);
    expect(lookups(db, 'entry_by_subject')).toEqual([1, 2, 3, 4, 5]);
  });

  it('indexes what waits after a quiet spell of `lagMs`, and on demand', async () => {
    const quiet = await open(kind, { every: 1_000, lagMs: 30 });
    await quiet.writer.write(job([row(), row()]));
    expect(await markReaches(quiet.db, 2)).toBe(true);
    const onDemand = await open(kind, { every: 1_000, lagMs: 60_000 });
    await onDemand.writer.write(job([row(), row(), row()]));
    expect(mark(onDemand.db)).toBe(0);
    expect(await onDemand.writer.flushIndex()).toBe(3);
    expect(lookups(onDemand.db, 'entry_by_subject')).toEqual([1, 2, 3]);
    expect(await onDemand.writer.flushIndex()).toBe(0);
  });

  it('never hands out a seq at or below the mark, even after the newest entries were deleted', async () => {
    const { db, writer } = await open(kind, { every: 1_000, lagMs: 60_000 });
    await writer.write(job([row(), row(), row()]));
    await writer.flushIndex();
    db.sqlite!.prepare('DELETE FROM entries WHERE seq >= 2').run();
    await writer.write(job([row()]));
    expect(db.sqlite!.prepare('SELECT seq FROM entries ORDER BY seq').pluck().all()).toEqual([1, 4]);
    expect(await writer.flushIndex()).toBe(1);
    expect(lookups(db, 'entry_by_subject')).toEqual([1, 2, 3, 4]);
  });

  it('refuses writes and flushes after close, and closes with an index pass in flight', async () => {
    const { writer } = await open(kind, { every: 2, lagMs: 60_000 });
    // Two entries start an index pass right after the group; close while it may still run.
    await writer.write(job([row(), row()]));
    await writer.close();
    await expect(writer.write(job([row()]))).rejects.toThrow(/closed/);
    await expect(writer.flushIndex()).rejects.toThrow(/closed/);
  });

  it('keeps ingesting when an index pass fails, and indexes everything once it works again', async () => {
    const { db, writer } = await open(kind, { every: 1_000, lagMs: 60_000 });
    await writer.write(job([row()]));
    await writer.flushIndex();
    db.sqlite!.exec('DROP TABLE entry_by_subject');
    await writer.write(job([row()]));
    await expect(writer.flushIndex()).rejects.toThrow(/entry_by_subject/);
    expect(await writer.write(job([row()]))).toMatchObject({ accepted: 1 });
    db.sqlite!.exec('CREATE TABLE entry_by_subject (subject_key INTEGER NOT NULL, scanned_at INTEGER NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (subject_key, scanned_at, seq)) WITHOUT ROWID');
    expect(await writer.flushIndex()).toBe(2);
    expect(lookups(db, 'entry_by_facility')).toEqual([1, 2, 3]);
    expect(mark(db)).toBe(3);
  });
});

it('a worker that cannot open the database rejects the write with an error instead of hanging', async () => {
  const writer = workerWriter(join(tmpdir(), 'munjigi-no-such-dir', 'server.db'), SQLITE_PRAGMAS);
  await expect(writer.write(job([row()]))).rejects.toThrow();
  await writer.close();
});

it('packs the token key the migration computes (all 64 bits, sign included) without BigInt parsing, and the subject key', () => {
  const tokens = ['1:0000000000000000', '1:ffffffffffffffff', '255:8000000000000000', '1:7fffffff80000000', '12:00000001ffffffff', '1:0123456789abcdef'];
  for (let i = 0; i < 200; i++) tokens.push(`${i % 256}:${Array.from({ length: 16 }, () => '0123456789abcdef'[Math.floor(Math.random() * 16)]).join('')}`);
  // Not from the wire (the schema wants 16 hex digits), but still the exact key, never a wrong one.
  tokens.push('1:abc', '1:ABCDEF0123456789', 'no-colon');
  const batch = packBatch(tokens.map((tokenId) => row({ tokenId })));
  expect([...batch.tokenKeys]).toEqual(tokens.map(tokenKey));
  expect(batch.nums[3]).toBe(hexKey('ab'.repeat(16)));
});

it('a server database file uses the worker writer unless told not to; an in-memory one cannot', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'munjigi-writer-'));
  const byDefault = await openServerDb({ file: join(dir, 'a.db') });
  const onMain = await openServerDb({ file: join(dir, 'b.db'), ingestWorker: false });
  try {
    expect(byDefault.ingestWorker).toBe(true);
    expect(onMain.ingestWorker).toBeUndefined();
  } finally {
    await byDefault.close();
    await onMain.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
