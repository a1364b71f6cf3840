// Runs in the central API (Node). Ingest of kiosk entry batches: the entry id is the
// idempotency key, the token id is checked across all facilities for replays, and entries
// outside the 28-day window are refused item by item (so one bad entry never blocks a batch).
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { DAY_MS } from '../core/clock';
import type { Clock } from '../core/clock';
import type { KioskPrincipal } from './auth';
import { claimNonce } from './auth';
import { apiErrors } from './errors';
import type { Engine, ServerDb } from './db/open';
import { SQLITE_PRAGMAS } from './db/open';
import { inThreadWriter, packBatch, workerWriter } from './db/ingestWriter';
import type { WireEntry } from './db/ingestWriter';
import { hexKey } from './db/entryKeys';
import type { ServerSchema } from './db/schema';

type Db = Kysely<ServerSchema>;

export const MAX_BATCH = 1000;
export const RETENTION_MS = 28 * DAY_MS;
/** A kiosk clock may run ahead a little; further than this the entry is refused. */
export const MAX_FUTURE_MS = DAY_MS;

export type { WireEntry };

export interface IngestResult {
  accepted: number;
  duplicates: number;
  replays: Array<{ entryId: string; tokenId: string }>;
  rejected: Array<{ entryId: string; code: 'ENTRY_TOO_OLD' | 'ENTRY_IN_FUTURE' | 'TOKEN_ISSUER_MISMATCH' }>;
}

const KST_OFFSET_MS = 9 * 3_600_000;
/** Start (ms) of the Seoul calendar day holding t: partitions and retention follow local days. */
export const seoulDayStart = (t: number) => Math.floor((t + KST_OFFSET_MS) / DAY_MS) * DAY_MS - KST_OFFSET_MS;
const partitionName = (dayStart: number) => `entries_p${new Date(dayStart + KST_OFFSET_MS).toISOString().slice(0, 10).replace(/-/g, '')}`;

export interface EntryStore {
  ingest(kiosk: KioskPrincipal, entries: WireEntry[]): Promise<IngestResult>;
  /** Deletes entries and token uses older than 28 days; returns entries removed (or partitions dropped on PG). */
  purge(): Promise<{ entries: number; partitions: number; tokenUses: number; nonces: number }>;
  /** SQLite: indexes every entry written so far for investigations and purge (they read the rest directly); 0 on PostgreSQL. */
  flushIndex(): Promise<number>;
  /** Stops the SQLite ingest writer (waits for the group in flight). */
  close(): Promise<void>;
}

export function createEntryStore(db: Db, engine: Engine, clock: Clock, sqlite?: SqliteHandle, opts: { ingestWorker?: boolean } = {}): EntryStore {
  const knownPartitions = new Set<number>();
  // SQLite: group commit in this thread (the default, measured faster on the loaded 2-core box), or, opted in,
  // in a worker thread with its own connection (docs/server.md; an in-memory database cannot be shared).
  const sqliteWriter =
    engine === 'sqlite' && sqlite
      ? opts.ingestWorker && !sqlite.memory
        ? workerWriter(sqlite.name, SQLITE_PRAGMAS)
        : inThreadWriter(sqlite, (fn) => db.connection().execute(async () => fn()))
      : null;

  async function ensurePartitions(days: Set<number>) {
    for (const day of days) {
      if (knownPartitions.has(day)) continue;
      const name = partitionName(day);
      try {
        await sql.raw(`CREATE TABLE IF NOT EXISTS ${name} PARTITION OF entries FOR VALUES FROM (${day}) TO (${day + DAY_MS})`).execute(db);
      } catch (err) {
        // Another API instance created it between our check and create: fine if it now exists.
        const exists = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_class WHERE relname = ${name}`.execute(db);
        if ((exists.rows[0]?.n ?? 0) === 0) throw err;
      }
      knownPartitions.add(day);
    }
  }

  return {
    async ingest(kiosk, entries) {
      const now = clock();
      const result: IngestResult = { accepted: 0, duplicates: 0, replays: [], rejected: [] };
      const valid: WireEntry[] = [];
      for (const e of entries) {
        if (e.scannedAt < now - RETENTION_MS) result.rejected.push({ entryId: e.id, code: 'ENTRY_TOO_OLD' });
        else if (e.scannedAt > now + MAX_FUTURE_MS) result.rejected.push({ entryId: e.id, code: 'ENTRY_IN_FUTURE' });
        else if (e.tokenId.slice(0, e.tokenId.indexOf(':')) !== String(e.issuer)) result.rejected.push({ entryId: e.id, code: 'TOKEN_ISSUER_MISMATCH' });
        else valid.push(e);
      }
      if (valid.length === 0) {
        if (kiosk.unclaimedNonce && !(await claimNonce(db, kiosk.kioskId, kiosk.unclaimedNonce, now))) throw apiErrors.replayedRequest();
        return result;
      }
      if (sqliteWriter) {
        const facilityKey = hexKey(kiosk.facilityId);
        const out = await sqliteWriter.write({ kioskId: kiosk.kioskId, facilityId: kiosk.facilityId, facilityKey, nonce: kiosk.unclaimedNonce ?? null, now, batch: packBatch(valid) });
        if (out.replayedRequest) throw apiErrors.replayedRequest();
        return { ...result, accepted: out.accepted, duplicates: out.duplicates, replays: out.replays };
      }
      if (engine !== 'pg') throw new Error('SQLite ingest needs the raw handle (openServerDb provides it)');
      await ensurePartitions(new Set(valid.map((e) => seoulDayStart(e.scannedAt))));
      await db.transaction().execute(async (tx) => {
        // Claimed in the same transaction as the entries: a replayed request writes nothing.
        if (kiosk.unclaimedNonce && !(await claimNonce(tx, kiosk.kioskId, kiosk.unclaimedNonce, now))) throw apiErrors.replayedRequest();
        await pgIngest(tx, kiosk, valid, now, result);
      });
      return result;
    },

    flushIndex: async () => (sqliteWriter ? sqliteWriter.flushIndex() : 0),

    close: async () => {
      await sqliteWriter?.close();
    },

    async purge() {
      const now = clock();
      const cutoff = now - RETENTION_MS;
      let entries = 0;
      let partitions = 0;
      let tokenUses = 0;
      if (engine === 'pg') {
        // Drop whole days that ended before the cutoff; the day holding the cutoff is trimmed by DELETE.
        const parts = await sql<{ name: string }>`
          SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
          WHERE p.relname = 'entries'`.execute(db);
        for (const { name } of parts.rows) {
          const m = /^entries_p(\d{4})(\d{2})(\d{2})$/.exec(name);
          if (!m) continue;
          const dayStart = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) - KST_OFFSET_MS;
          if (dayStart + DAY_MS <= cutoff) {
            await sql.raw(`DROP TABLE IF EXISTS ${name}`).execute(db);
            knownPartitions.delete(dayStart);
            partitions++;
          }
        }
        const res = await db.deleteFrom('entries').where('scanned_at', '<', cutoff).executeTakeFirst();
        entries += Number(res.numDeletedRows);
        tokenUses = await purgeTokenUses(db, cutoff);
      } else {
        // No index on scanned_at alone (it would cost every insert): walk the facility lookup table,
        // once every entry written so far is in it.
        await sqliteWriter?.flushIndex();
        const facilities = await db.selectFrom('facilities').select('id').execute();
        for (const key of new Set(facilities.map((f) => hexKey(f.id)))) entries += await sqlitePurgeFacility(db, key, cutoff);
      }
      const nonceRes = await db.deleteFrom('request_nonces').where('seen_at', '<', now - 2 * 5 * 60_000).executeTakeFirst();
      await db.deleteFrom('enrollment_codes').where('expires_at', '<', cutoff).executeTakeFirst();
      return { entries, partitions, tokenUses, nonces: Number(nonceRes.numDeletedRows) };
    },
  };
}

/**
 * The PostgreSQL path: each statement carries the whole batch as a handful of array parameters
 * (`unnest`), not thousands of row parameters, so neither Kysely nor the pg driver does per-value
 * work and the server plans one small statement. Same rules as SQLite: the entry id (with its
 * scanned_at, the partition key) is the idempotency key; the first entry stored with a token owns it.
 */
async function pgIngest(tx: Db, kiosk: KioskPrincipal, valid: WireEntry[], now: number, result: IngestResult) {
  const ids = valid.map((e) => e.id);
  const scanned = valid.map((e) => e.scannedAt);
  const tokens = valid.map((e) => e.tokenId);
  const inserted = await sql<{ id: string }>`
    INSERT INTO entries (id, scanned_at, token_id, issuer, subject, facility_id, kiosk_id, issued_at, source, received_at, replay)
    SELECT u.id, u.scanned_at, u.token_id, u.issuer, u.subject, ${kiosk.facilityId}, ${kiosk.kioskId}, u.issued_at, u.source, ${now}::bigint, 0
    FROM unnest(${ids}::text[], ${scanned}::bigint[], ${tokens}::text[], ${valid.map((e) => e.issuer)}::int[],
      ${valid.map((e) => e.subject)}::text[], ${valid.map((e) => e.issuedAt)}::bigint[], ${valid.map((e) => e.source)}::text[])
      WITH ORDINALITY AS u(id, scanned_at, token_id, issuer, subject, issued_at, source, n)
    ORDER BY u.n
    ON CONFLICT (id, scanned_at) DO NOTHING
    RETURNING id`.execute(tx);
  const fresh = new Set(inserted.rows.map((r) => r.id));
  result.accepted = fresh.size;
  result.duplicates = valid.length - fresh.size;
  // First use of a token wins across every facility (batch order within a batch); later entries with it are replays.
  const firstUses = valid.filter((e) => fresh.has(e.id));
  if (firstUses.length > 0) {
    await sql`
      INSERT INTO token_uses (token_id, first_entry_id, facility_id, scanned_at)
      SELECT u.token_id, u.id, ${kiosk.facilityId}, u.scanned_at
      FROM unnest(${firstUses.map((e) => e.tokenId)}::text[], ${firstUses.map((e) => e.id)}::text[], ${firstUses.map((e) => e.scannedAt)}::bigint[])
        WITH ORDINALITY AS u(token_id, id, scanned_at, n)
      ORDER BY u.n
      ON CONFLICT (token_id) DO NOTHING`.execute(tx);
  }
  // A statement of its own (READ COMMITTED: a fresh snapshot) so an owner committed by a concurrent batch is seen.
  const owners = await sql<{ token_id: string; first_entry_id: string }>`
    SELECT token_id, first_entry_id FROM token_uses WHERE token_id = ANY(${[...new Set(tokens)]}::text[])`.execute(tx);
  const firstEntry = new Map(owners.rows.map((o) => [o.token_id, o.first_entry_id]));
  const replayed = valid.filter((e) => {
    const owner = firstEntry.get(e.tokenId);
    return owner !== undefined && owner !== e.id;
  });
  result.replays = replayed.map((e) => ({ entryId: e.id, tokenId: e.tokenId }));
  const newly = replayed.filter((e) => fresh.has(e.id));
  if (newly.length > 0) {
    await sql`
      UPDATE entries SET replay = 1
      FROM unnest(${newly.map((e) => e.id)}::text[], ${newly.map((e) => e.scannedAt)}::bigint[]) AS u(id, scanned_at)
      WHERE entries.id = u.id AND entries.scanned_at = u.scanned_at`.execute(tx);
  }
}

type SqliteHandle = NonNullable<ServerDb['sqlite']>;

const DELETE_BATCH = 5000;

/** PostgreSQL: deletes old token uses a few thousand at a time so writers are never blocked for long. */
async function purgeTokenUses(db: Db, cutoff: number): Promise<number> {
  let total = 0;
  for (;;) {
    const res = await sql`DELETE FROM token_uses WHERE token_id IN (SELECT token_id FROM token_uses WHERE scanned_at < ${cutoff} LIMIT ${DELETE_BATCH})`.execute(db);
    const n = Number(res.numAffectedRows ?? 0n);
    total += n;
    if (n < DELETE_BATCH) return total;
  }
}

/**
 * SQLite: deletes one facility key's expired entries, found through the facility lookup table
 * (migration 0008), with their rows in both lookup tables: a few thousand at a time, each batch
 * one transaction that takes the write lock first, so the ingest writer waits only briefly.
 */
async function sqlitePurgeFacility(db: Db, facilityKey: number, cutoff: number): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await db.connection().execute(async (conn) => {
      await sql`BEGIN IMMEDIATE`.execute(conn);
      try {
        const expired = await sql<{ seq: number }>`SELECT seq FROM entry_by_facility WHERE facility_key = ${facilityKey} AND scanned_at < ${cutoff} LIMIT ${DELETE_BATCH}`.execute(conn);
        const seqs = JSON.stringify(expired.rows.map((r) => r.seq));
        if (expired.rows.length > 0) {
          await sql`DELETE FROM entry_by_subject
            WHERE subject_key IN (SELECT subject_key FROM entries WHERE seq IN (SELECT value FROM json_each(${seqs})))
              AND seq IN (SELECT value FROM json_each(${seqs}))`.execute(conn);
          await sql`DELETE FROM entries WHERE seq IN (SELECT value FROM json_each(${seqs}))`.execute(conn);
          await sql`DELETE FROM entry_by_facility WHERE facility_key = ${facilityKey} AND scanned_at < ${cutoff} AND seq IN (SELECT value FROM json_each(${seqs}))`.execute(conn);
        }
        await sql`COMMIT`.execute(conn);
        return expired.rows.length;
      } catch (err) {
        await sql`ROLLBACK`.execute(conn).catch(() => undefined);
        throw err;
      }
    });
    total += n;
    if (n < DELETE_BATCH) return total;
  }
}
