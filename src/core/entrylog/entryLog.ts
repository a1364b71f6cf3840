// Runs in Node (main, hosts). The kiosk's durable entry log: entries and their outbox rows
// written together, refusals counted by code (no subject, no token), retention, and the
// outbox API the sync worker drains. Statements are prepared once; every write is one
// transaction. Subject handles and tokens never reach the logger.
import type { KeyObject } from 'node:crypto';
import { CodedError } from '../../shared/envelope';
import type { ScanSource } from '../../shared/contract';
import type { ResultCode } from '../../shared/kp1';
import { DAY_MS } from '../clock';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import { entryHash, idsDigest } from './chain';
import { createEntryCounter } from './hourCounts';
import type { ChainHead, EntryRecord } from './chain';
import { openDatabase } from './open';
import type { Db } from './open';
import { publicKeyToBase64url } from '../kp1';
import { signReceipt } from './receipts';
import type { ReceiptBody, StoredReceipt } from './receipts';
import type { SelftestRun } from '../selftest/runner';
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
/** Opening self-test runs kept (about two months of daily runs plus manual ones). */
export const SELFTEST_RUNS_KEPT = 100;
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
  /**
   * Deletes the chain up to its last entry older than 28 days (with outbox rows) and reported replays older than 28 days, writing a signed receipt in
   * the same transaction as each batch it deletes. Returns entries deleted. Without a
   * receipt key it deletes nothing and throws ENTRY_LOG_NO_RECEIPT_KEY.
   */
  purgeExpired(nowMs?: number): number;
  /** The last entry ever chained (seq 0 and the genesis hash before the first). */
  chainHead(): ChainHead;
  /** Receipts the central API has not acknowledged yet, oldest first. */
  pendingReceipts(limit?: number): StoredReceipt[];
  /** Marks receipts as stored by the central API. Returns receipts newly marked. */
  markReceiptsSent(ids: readonly number[], sentAt?: number): number;
  /** All receipts, oldest first (for inspectors; they hold no personal data). */
  receipts(): StoredReceipt[];
  /** base64url Ed25519 public key that signs this log's receipts, or null without a key. */
  receiptPublicKey(): string | null;
  /** Keeps an opening self-test run; only the newest SELFTEST_RUNS_KEPT stay. */
  recordSelftestRun(run: SelftestRun): void;
  /** Newest first. */
  selftestRuns(limit: number): SelftestRun[];
  outboxBatch(limit: number): OutboxItem[];
  /** Removes the outbox rows of entries the central API has stored. Returns rows removed. */
  markSynced(entryIds: readonly string[]): number;
  recordAttemptFailure(entryIds: readonly string[], error: string): number;
  pendingCount(): number;
  /** ms of the oldest outbox row still waiting, or null when nothing waits. */
  oldestPendingAt(): number | null;
  /**
   * Moves entries the central API refused for good (e.g. 400 about that entry) out of the outbox
   * into quarantine with the refusal code, in one transaction. Returns rows moved.
   */
  quarantine(entryIds: readonly string[], code: string, atMs: number): number;
  quarantinedCount(): number;
  /** Quarantined entries, oldest first: entry and token id, scan time, when and why refused (never the subject). */
  quarantined(limit: number): QuarantinedEntry[];
  /**
   * Puts quarantined entries back in the outbox (after the cause was fixed): all of them, or only
   * `entryIds` (ids not in quarantine are skipped). Returns rows moved.
   */
  releaseQuarantine(nowMs: number, entryIds?: readonly string[]): number;
  /** Records tokens the central API saw used elsewhere. Returns local entries newly flagged. */
  markReplayed(tokenIds: readonly string[], reportedAt: number): number;
  /** What the connection actually runs with (for tests and the status screen). */
  pragmas(): { journalMode: string; synchronous: number; foreignKeys: boolean; userVersion: number };
  close(): void;
}

/** An entry the central API refused for good, waiting for an operator (no subject: it is personal data). */
export interface QuarantinedEntry {
  entryId: string;
  tokenId: string;
  scannedAt: number;
  quarantinedAt: number;
  /** The server's refusal code (UPPER_SNAKE), or HTTP_<status> when it gave none. */
  code: string;
  /** Delivery attempts, the refused one included. */
  attempts: number;
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
  /** Ed25519 private key that signs deletion receipts (see ensureReceiptKey). Purging needs it. */
  receiptKey?: KeyObject;
}): EntryLog {
  const db = openDatabase({ path: opts.path, expectExisting: opts.expectExisting, logger: opts.logger });
  try {
    db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    return createEntryLog(db, opts.path, opts.clock, opts.logger, opts.defer ?? deferImmediate, opts.receiptKey ?? null);
  } catch (err) {
    db.close();
    throw err;
  }
}

const MAX_RECEIPT_BATCH = 1000;

interface ReceiptRecord {
  id: number;
  created_at: number;
  body: string;
  signature: string;
  sent_at: number | null;
}
const toReceipt = (r: ReceiptRecord): StoredReceipt => ({ id: r.id, createdAt: r.created_at, body: r.body, signature: r.signature, sentAt: r.sent_at });

function createEntryLog(db: Db, path: string, clock: Clock, logger: Logger, defer: Defer, receiptKey: KeyObject | null): EntryLog {
  const receiptPublic = receiptKey ? publicKeyToBase64url(receiptKey) : null;
  const s = {
    hasEntry: db.prepare('SELECT 1 FROM entry WHERE token_id = ?').pluck(),
    hasReplay: db.prepare('SELECT 1 FROM known_replay WHERE token_id = ?').pluck(),
    insertEntry: db.prepare(
      `INSERT INTO entry (id, token_id, issuer, subject, facility_id, kiosk_id, scanned_at, issued_at, source, result, seq, prev_hash, hash)
       VALUES (@id, @tokenId, @issuer, @subject, @facilityId, @kioskId, @scannedAt, @issuedAt, @source, 'OK', @seq, @prevHash, @hash)
       ON CONFLICT (token_id) DO NOTHING`,
    ),
    setHead: db.prepare('UPDATE chain_head SET seq = ?, hash = ? WHERE one = 1'),
    getHead: db.prepare('SELECT seq, hash FROM chain_head WHERE one = 1'),
    lastExpiredSeq: db.prepare('SELECT max(seq) FROM entry WHERE scanned_at < ?').pluck(),
    chainPrefix: db.prepare('SELECT id, seq, prev_hash, hash, kiosk_id, facility_id FROM entry WHERE seq <= ? ORDER BY seq LIMIT ?'),
    deleteSeqRange: db.prepare('DELETE FROM entry WHERE seq >= ? AND seq <= ?'),
    firstKeptPrev: db.prepare('SELECT prev_hash FROM entry WHERE seq IS NOT NULL ORDER BY seq LIMIT 1').pluck(),
    lastReceiptId: db.prepare('SELECT max(id) FROM deletion_receipt').pluck(),
    insertReceipt: db.prepare('INSERT INTO deletion_receipt (id, created_at, body, signature, sent_at) VALUES (?, ?, ?, ?, NULL)'),
    pendingReceipts: db.prepare('SELECT * FROM deletion_receipt WHERE sent_at IS NULL ORDER BY id LIMIT ?'),
    allReceipts: db.prepare('SELECT * FROM deletion_receipt ORDER BY id'),
    insertSelftest: db.prepare('INSERT INTO selftest_run (started_at, day, trigger, ok, results) VALUES (?, ?, ?, ?, ?)'),
    trimSelftest: db.prepare('DELETE FROM selftest_run WHERE id <= (SELECT max(id) FROM selftest_run) - ?'),
    selftestRuns: db.prepare('SELECT started_at, day, trigger, ok, results FROM selftest_run ORDER BY id DESC LIMIT ?'),
    markReceipt: db.prepare('UPDATE deletion_receipt SET sent_at = ? WHERE id = ? AND sent_at IS NULL'),
    insertOutbox: db.prepare('INSERT INTO outbox (entry_id, created_at, attempts) VALUES (?, ?, 0)'),
    bumpRefusal: db.prepare(
      `INSERT INTO refusal_count (day, code, count) VALUES (?, ?, 1)
       ON CONFLICT (day, code) DO UPDATE SET count = count + 1`,
    ),
    getEntry: db.prepare('SELECT * FROM entry WHERE id = ?'),
    refusals: db.prepare('SELECT code, count FROM refusal_count WHERE day = ?'),
    unsyncedBefore: db
      // Quarantined entries never reached the server either: a purge of those is counted too.
      .prepare(
        `SELECT (SELECT count(*) FROM outbox o JOIN entry e ON e.id = o.entry_id WHERE e.scanned_at < ?)
              + (SELECT count(*) FROM outbox_quarantine q JOIN entry e ON e.id = q.entry_id WHERE e.scanned_at < ?)`,
      )
      .pluck(),
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
    outboxRow: db.prepare('SELECT attempts FROM outbox WHERE entry_id = ?').pluck(),
    insertQuarantine: db.prepare('INSERT INTO outbox_quarantine (entry_id, quarantined_at, code, attempts) VALUES (?, ?, ?, ?) ON CONFLICT (entry_id) DO NOTHING'),
    quarantinedCount: db.prepare('SELECT count(*) FROM outbox_quarantine').pluck(),
    quarantined: db.prepare(
      `SELECT q.entry_id, e.token_id, e.scanned_at, q.quarantined_at, q.code, q.attempts
       FROM outbox_quarantine q JOIN entry e ON e.id = q.entry_id ORDER BY q.quarantined_at, q.entry_id LIMIT ?`,
    ),
    requeueQuarantined: db.prepare('INSERT INTO outbox (entry_id, created_at, attempts) SELECT entry_id, ?, 0 FROM outbox_quarantine WHERE true ORDER BY quarantined_at ON CONFLICT (entry_id) DO NOTHING'),
    clearQuarantine: db.prepare('DELETE FROM outbox_quarantine'),
    requeueOneQuarantined: db.prepare('INSERT INTO outbox (entry_id, created_at, attempts) SELECT entry_id, ?, 0 FROM outbox_quarantine WHERE entry_id = ? ON CONFLICT (entry_id) DO NOTHING'),
    deleteQuarantined: db.prepare('DELETE FROM outbox_quarantine WHERE entry_id = ?'),
    oldestPending: db.prepare('SELECT min(created_at) FROM outbox').pluck(),
    insertReplay: db.prepare('INSERT INTO known_replay (token_id, reported_at) VALUES (?, ?) ON CONFLICT DO NOTHING'),
    flagReplay: db.prepare('UPDATE entry SET replayed_at = ? WHERE token_id = ? AND replayed_at IS NULL'),
  };

  // The chain head lives in memory too: this process is the log's only writer. It moves only
  // after a commit, so a rolled-back admit leaves it where the database has it.
  let head: ChainHead = s.getHead.get() as ChainHead;
  const writeEntry = db.transaction((e: NewEntry, nowMs: number, next: ChainHead): 'written' | 'duplicate' => {
    if (s.insertEntry.run({ ...e, seq: next.seq, prevHash: head.hash, hash: next.hash }).changes === 0) return 'duplicate';
    s.insertOutbox.run(e.id, nowMs);
    s.setHead.run(next.seq, next.hash);
    return 'written';
  });

  type ChainRow = { id: string; seq: number; prev_hash: string; hash: string; kiosk_id: string; facility_id: string };
  /** Deletes up to PURGE_BATCH expired entries from the start of the chain and signs a receipt for them. */
  const purgeBatch = db.transaction((cutoff: number, nowMs: number, key: KeyObject): number => {
    // The cut is the last expired entry in chain order: everything before it goes too, so the
    // chain stays a prefix cut and no entry older than 28 days survives a clock set back.
    const cutSeq = s.lastExpiredSeq.get(cutoff) as number | null;
    if (cutSeq === null) return 0;
    const rows = s.chainPrefix.all(cutSeq, PURGE_BATCH) as ChainRow[];
    const n = rows.length;
    if (n === 0) return 0;
    const first = rows[0]!;
    const last = rows[n - 1]!;
    s.deleteSeqRange.run(first.seq, last.seq);
    const id = ((s.lastReceiptId.get() as number | null) ?? 0) + 1;
    const body: ReceiptBody = {
      v: 1,
      type: 'munjigi.deletion-receipt',
      n: id,
      kioskId: last.kiosk_id,
      facilityId: last.facility_id,
      date: seoulDay(nowMs),
      purgedAt: nowMs,
      cutoff,
      count: n,
      firstSeq: first.seq,
      lastSeq: last.seq,
      deletedIdsSha256: idsDigest(rows.slice(0, n).map((r) => r.id)),
      firstPrevHash: first.prev_hash,
      cutHash: last.hash,
      nextPrevHash: (s.firstKeptPrev.get() as string | undefined) ?? null,
      publicKey: receiptPublic ?? '',
    };
    const signed = signReceipt(body, key);
    s.insertReceipt.run(id, nowMs, signed.body, signed.signature);
    return n;
  });
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
  const quarantine = db.transaction((ids: readonly string[], code: string, at: number) => {
    let n = 0;
    for (const id of ids) {
      const attempts = s.outboxRow.get(id) as number | undefined;
      if (attempts === undefined) continue;
      s.insertQuarantine.run(id, at, code, attempts + 1);
      n += s.deleteOutbox.run(id).changes;
    }
    return n;
  });
  const releaseQuarantine = db.transaction((at: number, ids: readonly string[] | null) => {
    if (ids === null) {
      const n = s.requeueQuarantined.run(at).changes;
      s.clearQuarantine.run();
      return n;
    }
    let n = 0;
    for (const id of ids) {
      n += s.requeueOneQuarantined.run(at, id).changes;
      s.deleteQuarantined.run(id);
    }
    return n;
  });
  const markReceipts = db.transaction((ids: readonly number[], at: number) => {
    let n = 0;
    for (const id of ids) n += s.markReceipt.run(at, id).changes;
    return n;
  });
  const recordSelftest = db.transaction((run: SelftestRun) => {
    s.insertSelftest.run(run.startedAt, run.day, run.trigger, run.ok ? 1 : 0, JSON.stringify(run.results));
    s.trimSelftest.run(SELFTEST_RUNS_KEPT);
  });
  const replayed = db.transaction((ids: readonly string[], at: number) => {
    let n = 0;
    for (const id of ids) {
      s.insertReplay.run(id, at);
      n += s.flagReplay.run(at, id).changes;
    }
    return n;
  });

  // Today's count, kept in memory after one count per Seoul day (from entry_hour): counting
  // on every admit would cost more than the rest of admit on a busy day. This process is the
  // log's only writer (the kiosk), so the cache cannot miss a row.
  const counter = createEntryCounter(db);
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
      const next = { seq: head.seq + 1, hash: entryHash(head.hash, { ...entry, result: 'OK' }) };
      const outcome = writeEntry(entry, nowMs, next);
      if (outcome === 'written') {
        head = next;
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
      if (today?.start !== start) today = { start, end, count: counter.count(start, end) };
      return today.count;
    },
    refusalCounts(day) {
      if (!isSeoulDay(day)) throw badArgument('day (YYYY-MM-DD)');
      const out: Partial<Record<ResultCode, number>> = {};
      for (const r of s.refusals.all(day) as Array<{ code: ResultCode; count: number }>) out[r.code] = r.count;
      return out;
    },
    purgeExpired(nowMs = clock()) {
      const now = checkTime(nowMs, 'nowMs');
      const cutoff = now - RETENTION_MS;
      if (!receiptKey) {
        throw new CodedError(
          'ENTRY_LOG_NO_RECEIPT_KEY',
          '삭제 영수증 서명 키가 없어 만료된 출입 기록을 지우지 않았습니다. 키오스크 데이터 폴더의 receipt-key.pem 을 확인해 주세요.',
        );
      }
      const unsynced = s.unsyncedBefore.get(cutoff, cutoff) as number;
      let purged = 0;
      for (let n = PURGE_BATCH; n === PURGE_BATCH; purged += n) n = purgeBatch(cutoff, now, receiptKey);
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
    quarantine(entryIds, code, atMs) {
      const at = checkTime(atMs, 'atMs');
      const ids = checkIds(entryIds, 'entryIds');
      if (typeof code !== 'string' || !/^[A-Z0-9_]{1,64}$/.test(code)) throw badArgument('code');
      return quarantine(ids, code, at);
    },
    quarantinedCount: () => s.quarantinedCount.get() as number,
    quarantined(limit) {
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_OUTBOX_BATCH) throw badArgument('limit');
      type Row = { entry_id: string; token_id: string; scanned_at: number; quarantined_at: number; code: string; attempts: number };
      return (s.quarantined.all(limit) as Row[]).map((r) => ({
        entryId: r.entry_id,
        tokenId: r.token_id,
        scannedAt: r.scanned_at,
        quarantinedAt: r.quarantined_at,
        code: r.code,
        attempts: r.attempts,
      }));
    },
    releaseQuarantine: (nowMs, entryIds) => releaseQuarantine(checkTime(nowMs, 'nowMs'), entryIds === undefined ? null : checkIds(entryIds, 'entryIds')),
    oldestPendingAt: () => (s.oldestPending.get() as number | null) ?? null,
    markReplayed(tokenIds, reportedAt) {
      const at = checkTime(reportedAt, 'reportedAt');
      const ids = checkIds(tokenIds, 'tokenIds');
      const valid = ids.filter((id) => TOKEN_ID_PATTERN.test(id));
      if (valid.length !== ids.length) logger.warn('replay report ignored malformed token ids', { count: ids.length - valid.length });
      return replayed(valid, at);
    },
    chainHead: () => ({ ...head }),
    pendingReceipts(limit = 100) {
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RECEIPT_BATCH) throw badArgument('limit');
      return (s.pendingReceipts.all(limit) as ReceiptRecord[]).map(toReceipt);
    },
    markReceiptsSent(ids, sentAt = clock()) {
      const at = checkTime(sentAt, 'sentAt');
      if (!Array.isArray(ids) || ids.length > MAX_RECEIPT_BATCH || !ids.every((id) => Number.isSafeInteger(id))) throw badArgument('receipt ids');
      return markReceipts(ids, at);
    },
    receipts: () => (s.allReceipts.all() as ReceiptRecord[]).map(toReceipt),
    receiptPublicKey: () => receiptPublic,
    recordSelftestRun(run) {
      checkTime(run?.startedAt, 'startedAt');
      if (!isSeoulDay(run.day) || (run.trigger !== 'daily' && run.trigger !== 'manual') || !Array.isArray(run.results)) throw badArgument('selftest run');
      recordSelftest(run);
    },
    selftestRuns(limit) {
      if (!Number.isInteger(limit) || limit < 1 || limit > SELFTEST_RUNS_KEPT) throw badArgument('limit');
      return (s.selftestRuns.all(limit) as Array<{ started_at: number; day: string; trigger: string; ok: number; results: string }>).map((r) => ({
        startedAt: r.started_at,
        day: r.day,
        trigger: r.trigger as SelftestRun['trigger'],
        ok: r.ok === 1,
        results: JSON.parse(r.results) as SelftestRun['results'],
      }));
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
