// Runs in Node (main, hosts). The kiosk's durable entry log: entries and their outbox rows
// written together, refusals counted by code (no subject, no token), retention, and the
// outbox API the sync worker drains. Statements are prepared once; every write is one
// transaction. Subject handles and tokens never reach the logger.
import { CodedError } from '../../shared/envelope';
import type { ScanSource } from '../../shared/contract';
import type { ResultCode } from '../../shared/kp1';
import { DAY_MS } from '../clock';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import { openDatabase } from './open';
import type { Db } from './open';
import { isSeoulDay, seoulDay, seoulDayBounds } from './seoulDay';

/** Entries are kept for 4 weeks (전자출입명부 rule), then deleted. */
export const RETENTION_MS = 28 * DAY_MS;
/** Rows deleted per transaction while purging, so admits never wait long behind a purge. */
export const PURGE_BATCH = 500;
export const MAX_OUTBOX_BATCH = 1000;
/**
 * Written entries between WAL checkpoints. SQLite would checkpoint inside a commit (every
 * ~110 admits at 1000 pages), making that visitor wait for the database fsync; instead we
 * checkpoint right after an answer has gone out. WAL_AUTOCHECKPOINT_PAGES stays as a safety
 * net should the event loop never get a turn.
 */
export const CHECKPOINT_EVERY = 32;
export const WAL_AUTOCHECKPOINT_PAGES = 8000;
const MAX_ERROR_CHARS = 500;
const TOKEN_ID_PATTERN = /^\d{1,3}:[0-9a-f]{16}$/;

export interface EntryRow {
  id: string;
  tokenId: string;
  issuer: number;
  /** The issuer's opaque handle (32 hex). The only subject data Munjigi holds; never logged. */
  subject: string;
  facilityId: string;
  kioskId: string;
  /** Kiosk clock, ms since epoch (offset-corrected). */
  scannedAt: number;
  /** From the token, Unix seconds. */
  issuedAt: number;
  source: ScanSource;
  result: ResultCode;
  /** When the central API reported this token as used elsewhere too (ms), else null. */
  replayedAt: number | null;
}

export type NewEntry = Omit<EntryRow, 'replayedAt' | 'result'>;

export interface OutboxItem {
  seq: number;
  attempts: number;
  entry: EntryRow;
}

export interface EntryLog {
  readonly path: string;
  /** For verifyToken's rule 11/12: an entry here → 'duplicate'; reported elsewhere → 'replayed'. */
  lookup(tokenId: string): 'duplicate' | 'replayed' | null;
  /** Writes the entry and its outbox row in ONE transaction. 'duplicate' if the token id is already in. */
  recordEntry(entry: NewEntry, nowMs: number): 'written' | 'duplicate';
  /** Bumps the counter of a scan that wrote no entry, on its Seoul day. */
  countRefusal(nowMs: number, code: ResultCode): void;
  getEntry(id: string): EntryRow | undefined;
  /** Entries written on the Seoul calendar day containing nowMs. */
  todayCount(nowMs?: number): number;
  /** Scans that wrote no entry, by code, on a Seoul day 'YYYY-MM-DD'. */
  refusalCounts(day: string): Partial<Record<ResultCode, number>>;
  /** Deletes entries (with their outbox rows) and reported replays older than 28 days. Returns entries deleted. */
  purgeExpired(nowMs?: number): number;
  outboxBatch(limit: number): OutboxItem[];
  /** Removes the outbox rows of entries the central API has stored. Returns rows removed. */
  markSynced(entryIds: readonly string[]): number;
  recordAttemptFailure(entryIds: readonly string[], error: string): number;
  pendingCount(): number;
  /** ms of the oldest outbox row still waiting, or null when nothing waits. */
  oldestPendingAt(): number | null;
  /** Records tokens the central API saw used elsewhere. Returns local entries newly flagged. */
  markReplayed(tokenIds: readonly string[], reportedAt: number): number;
  /** What the connection actually runs with (for tests and the status screen). */
  pragmas(): { journalMode: string; synchronous: number; foreignKeys: boolean; userVersion: number };
  close(): void;
}

interface EntryRecord {
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

const toEntry = (r: EntryRecord): EntryRow => ({
  id: r.id,
  tokenId: r.token_id,
  issuer: r.issuer,
  subject: r.subject,
  facilityId: r.facility_id,
  kioskId: r.kiosk_id,
  scannedAt: r.scanned_at,
  issuedAt: r.issued_at,
  source: r.source as ScanSource,
  result: r.result as ResultCode,
  replayedAt: r.replayed_at,
});

const badArgument = (what: string) =>
  new CodedError('ENTRY_LOG_BAD_ARGUMENT', `출입 기록 요청 값이 올바르지 않습니다: ${what}`);

function checkIds(ids: unknown, what: string): readonly string[] {
  if (!Array.isArray(ids) || ids.length > 100_000 || !ids.every((id) => typeof id === 'string' && id.length <= 128)) {
    throw badArgument(what);
  }
  return ids as string[];
}

function checkTime(ms: unknown, what: string): number {
  if (typeof ms !== 'number' || !Number.isSafeInteger(Math.trunc(ms)) || !Number.isFinite(ms)) throw badArgument(what);
  return Math.trunc(ms);
}

/** Runs a function after the current task (after admit's answer went out). */
export type Defer = (fn: () => void) => void;

const deferImmediate: Defer = (fn) => {
  setImmediate(fn).unref();
};

export function openEntryLog(opts: {
  path: string;
  clock: Clock;
  logger: Logger;
  expectExisting: boolean;
  /** Where deferred WAL checkpoints run; setImmediate by default. */
  defer?: Defer;
}): EntryLog {
  const db = openDatabase({ path: opts.path, expectExisting: opts.expectExisting, logger: opts.logger });
  try {
    db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    return createEntryLog(db, opts.path, opts.clock, opts.logger, opts.defer ?? deferImmediate);
  } catch (err) {
    db.close();
    throw err;
  }
}

function createEntryLog(db: Db, path: string, clock: Clock, logger: Logger, defer: Defer): EntryLog {
  const s = {
    hasEntry: db.prepare('SELECT 1 FROM entry WHERE token_id = ?').pluck(),
    hasReplay: db.prepare('SELECT 1 FROM known_replay WHERE token_id = ?').pluck(),
    insertEntry: db.prepare(
      `INSERT INTO entry (id, token_id, issuer, subject, facility_id, kiosk_id, scanned_at, issued_at, source, result)
       VALUES (@id, @tokenId, @issuer, @subject, @facilityId, @kioskId, @scannedAt, @issuedAt, @source, 'OK')
       ON CONFLICT (token_id) DO NOTHING`,
    ),
    insertOutbox: db.prepare('INSERT INTO outbox (entry_id, created_at, attempts) VALUES (?, ?, 0)'),
    bumpRefusal: db.prepare(
      `INSERT INTO refusal_count (day, code, count) VALUES (?, ?, 1)
       ON CONFLICT (day, code) DO UPDATE SET count = count + 1`,
    ),
    getEntry: db.prepare('SELECT * FROM entry WHERE id = ?'),
    countBetween: db.prepare('SELECT count(*) FROM entry WHERE scanned_at >= ? AND scanned_at < ?').pluck(),
    refusals: db.prepare('SELECT code, count FROM refusal_count WHERE day = ?'),
    unsyncedBefore: db
      .prepare('SELECT count(*) FROM outbox o JOIN entry e ON e.id = o.entry_id WHERE e.scanned_at < ?')
      .pluck(),
    purgeEntries: db.prepare(
      'DELETE FROM entry WHERE id IN (SELECT id FROM entry WHERE scanned_at < ? ORDER BY scanned_at LIMIT ?)',
    ),
    purgeReplays: db.prepare(
      'DELETE FROM known_replay WHERE token_id IN (SELECT token_id FROM known_replay WHERE reported_at < ? LIMIT ?)',
    ),
    outboxBatch: db.prepare(
      `SELECT o.seq AS o_seq, o.attempts AS o_attempts, e.* FROM outbox o JOIN entry e ON e.id = o.entry_id
       ORDER BY o.seq LIMIT ?`,
    ),
    deleteOutbox: db.prepare('DELETE FROM outbox WHERE entry_id = ?'),
    failOutbox: db.prepare('UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE entry_id = ?'),
    pending: db.prepare('SELECT count(*) FROM outbox').pluck(),
    oldestPending: db.prepare('SELECT min(created_at) FROM outbox').pluck(),
    insertReplay: db.prepare('INSERT INTO known_replay (token_id, reported_at) VALUES (?, ?) ON CONFLICT DO NOTHING'),
    flagReplay: db.prepare('UPDATE entry SET replayed_at = ? WHERE token_id = ? AND replayed_at IS NULL'),
  };

  const writeEntry = db.transaction((e: NewEntry, nowMs: number): 'written' | 'duplicate' => {
    if (s.insertEntry.run(e).changes === 0) return 'duplicate';
    s.insertOutbox.run(e.id, nowMs);
    return 'written';
  });

  const purgeBatch = db.transaction((cutoff: number) => s.purgeEntries.run(cutoff, PURGE_BATCH).changes);
  const purgeReplayBatch = db.transaction((cutoff: number) => s.purgeReplays.run(cutoff, PURGE_BATCH).changes);

  const removeOutbox = db.transaction((ids: readonly string[]) => {
    let n = 0;
    for (const id of ids) n += s.deleteOutbox.run(id).changes;
    return n;
  });
  const failOutbox = db.transaction((ids: readonly string[], error: string) => {
    let n = 0;
    for (const id of ids) n += s.failOutbox.run(error, id).changes;
    return n;
  });
  const replayed = db.transaction((ids: readonly string[], at: number) => {
    let n = 0;
    for (const id of ids) {
      s.insertReplay.run(id, at);
      n += s.flagReplay.run(at, id).changes;
    }
    return n;
  });

  // Today's count, kept in memory after one range count per Seoul day: counting the index
  // on every admit would cost more than the rest of admit on a busy day. This process is the
  // log's only writer (the kiosk), so the cache cannot miss a row.
  let today: { start: number; end: number; count: number } | null = null;

  let sinceCheckpoint = 0;
  let checkpointQueued = false;
  const checkpointSoon = () => {
    if (++sinceCheckpoint < CHECKPOINT_EVERY || checkpointQueued) return;
    checkpointQueued = true;
    defer(() => {
      checkpointQueued = false;
      if (!db.open) return;
      try {
        // PASSIVE: never waits for readers or writers; what it cannot copy now waits for the next one.
        db.pragma('wal_checkpoint(PASSIVE)');
        sinceCheckpoint = 0;
      } catch (err) {
        const code = (err as { code?: unknown } | null)?.code;
        logger.warn('entry log checkpoint failed', { code: typeof code === 'string' ? code : 'INTERNAL' });
      }
    });
  };

  return {
    path,
    lookup(tokenId) {
      if (s.hasEntry.get(tokenId) !== undefined) return 'duplicate';
      if (s.hasReplay.get(tokenId) !== undefined) return 'replayed';
      return null;
    },
    recordEntry(entry, nowMs) {
      const outcome = writeEntry(entry, nowMs);
      if (outcome === 'written') {
        if (today && entry.scannedAt >= today.start && entry.scannedAt < today.end) today.count++;
        checkpointSoon();
      }
      return outcome;
    },
    countRefusal(nowMs, code) {
      s.bumpRefusal.run(seoulDay(checkTime(nowMs, 'nowMs')), code);
    },
    getEntry(id) {
      const r = s.getEntry.get(id) as EntryRecord | undefined;
      return r && toEntry(r);
    },
    todayCount(nowMs = clock()) {
      const { start, end } = seoulDayBounds(checkTime(nowMs, 'nowMs'));
      if (today?.start !== start) today = { start, end, count: s.countBetween.get(start, end) as number };
      return today.count;
    },
    refusalCounts(day) {
      if (!isSeoulDay(day)) throw badArgument('day (YYYY-MM-DD)');
      const out: Partial<Record<ResultCode, number>> = {};
      for (const r of s.refusals.all(day) as Array<{ code: ResultCode; count: number }>) out[r.code] = r.count;
      return out;
    },
    purgeExpired(nowMs = clock()) {
      const cutoff = checkTime(nowMs, 'nowMs') - RETENTION_MS;
      const unsynced = s.unsyncedBefore.get(cutoff) as number;
      let purged = 0;
      for (let n = PURGE_BATCH; n === PURGE_BATCH; purged += n) n = purgeBatch(cutoff);
      if (purged > 0) today = null;
      for (let n = PURGE_BATCH; n === PURGE_BATCH; ) n = purgeReplayBatch(cutoff);
      if (unsynced > 0) logger.warn('entry log purged entries that never synced', { count: unsynced });
      return purged;
    },
    outboxBatch(limit) {
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_OUTBOX_BATCH) throw badArgument('limit');
      return (s.outboxBatch.all(limit) as Array<EntryRecord & { o_seq: number; o_attempts: number }>).map((r) => ({
        seq: r.o_seq,
        attempts: r.o_attempts,
        entry: toEntry(r),
      }));
    },
    markSynced: (entryIds) => removeOutbox(checkIds(entryIds, 'entryIds')),
    recordAttemptFailure(entryIds, error) {
      const text = typeof error === 'string' ? error.slice(0, MAX_ERROR_CHARS) : 'unknown';
      return failOutbox(checkIds(entryIds, 'entryIds'), text);
    },
    pendingCount: () => s.pending.get() as number,
    oldestPendingAt: () => (s.oldestPending.get() as number | null) ?? null,
    markReplayed(tokenIds, reportedAt) {
      const at = checkTime(reportedAt, 'reportedAt');
      const ids = checkIds(tokenIds, 'tokenIds');
      const valid = ids.filter((id) => TOKEN_ID_PATTERN.test(id));
      if (valid.length !== ids.length) logger.warn('replay report ignored malformed token ids', { count: ids.length - valid.length });
      return replayed(valid, at);
    },
    pragmas: () => ({
      journalMode: String(db.pragma('journal_mode', { simple: true })),
      synchronous: Number(db.pragma('synchronous', { simple: true })),
      foreignKeys: Number(db.pragma('foreign_keys', { simple: true })) === 1,
      userVersion: Number(db.pragma('user_version', { simple: true })),
    }),
    close() {
      if (db.open) db.close();
    },
  };
}
