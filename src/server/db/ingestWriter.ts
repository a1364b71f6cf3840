// Runs in the central API (Node). The SQLite entry-ingest writer: a worker thread with its own
// connection to the server database runs the ingest transactions, so the main thread keeps
// parsing, validating and verifying the next requests on the other core meanwhile. Batches that
// arrive while a group is being written form the next group (one transaction, one fsync).
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { fillTokenKey, hexKey } from './entryKeys';

/** One entry as a kiosk sends it (POST /v1/entries); the writer adds the lookup keys (entryKeys.ts). */
export interface WireEntry {
  id: string;
  tokenId: string;
  issuer: number;
  subject: string;
  scannedAt: number;
  issuedAt: number;
  source: string;
}

/**
 * A batch in columns: strings in four arrays, numbers in typed arrays. Handed to the worker,
 * this clones several times cheaper than an array of row objects, and building it makes no
 * per-entry object. `nums` holds [issuer, scannedAt, issuedAt, subjectKey] per entry.
 */
export interface IngestBatch {
  ids: string[];
  tokenIds: string[];
  subjects: string[];
  sources: string[];
  nums: Float64Array;
  tokenKeys: BigInt64Array;
}

/** One request's batch: its kiosk, the nonce to claim in the same transaction, its valid entries. */
export interface IngestJob {
  kioskId: string;
  facilityId: string;
  facilityKey: number;
  nonce: string | null;
  now: number;
  batch: IngestBatch;
}

/** Builds the columns of a batch and its lookup keys (token: all 64 bits; subject: 52-bit prefix). */
export function packBatch(rows: readonly WireEntry[]): IngestBatch {
  const n = rows.length;
  const batch: IngestBatch = { ids: new Array<string>(n), tokenIds: new Array<string>(n), subjects: new Array<string>(n), sources: new Array<string>(n), nums: new Float64Array(4 * n), tokenKeys: new BigInt64Array(n) };
  const words = new Int32Array(batch.tokenKeys.buffer);
  for (let i = 0; i < n; i++) {
    const e = rows[i]!;
    batch.ids[i] = e.id;
    batch.tokenIds[i] = e.tokenId;
    batch.subjects[i] = e.subject;
    batch.sources[i] = e.source;
    batch.nums[4 * i] = e.issuer;
    batch.nums[4 * i + 1] = e.scannedAt;
    batch.nums[4 * i + 2] = e.issuedAt;
    batch.nums[4 * i + 3] = hexKey(e.subject);
    fillTokenKey(batch.tokenKeys, words, i, e.tokenId);
  }
  return batch;
}

export interface IngestOutcome {
  /** The request nonce was already used: nothing of this job was written. */
  replayedRequest: boolean;
  accepted: number;
  duplicates: number;
  replays: Array<{ entryId: string; tokenId: string }>;
}

/**
 * The ingest transaction for a group of jobs. Self-contained on purpose (no imports, no outer
 * names): the worker receives it as source text. The entries table only appends (seq); each
 * entry costs one token-key lookup (almost always a miss) and one insert. An entry is a
 * duplicate when a row with its token holds its id, and a replay when the token's first row
 * (lowest seq) is another entry. BEGIN IMMEDIATE: the write lock is taken (waiting through
 * busy_timeout) before anything is read, so the lookups and inserts see one consistent state.
 * Each entry gets its seq here, above both the table's highest and the index mark: a seq freed
 * by the purge is never handed out again below the mark, where the indexer would miss it.
 */
export function ingestTransaction(sqlite: Database.Database): (jobs: IngestJob[]) => IngestOutcome[] {
  const insertEntry = sqlite.prepare(
    `INSERT INTO entries (seq, id, scanned_at, token_id, issuer, subject, facility_id, kiosk_id, issued_at, source, received_at, replay, token_key, facility_key, subject_key)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const lastSeq = sqlite.prepare('SELECT max(coalesce((SELECT max(seq) FROM entries), 0), coalesce((SELECT seq FROM entry_index_mark WHERE id = 1), 0))').pluck();
  const tokenRows = sqlite.prepare('SELECT id, replay FROM entries WHERE token_key = ? AND token_id = ? ORDER BY seq');
  const insertNonce = sqlite.prepare('INSERT INTO request_nonces (kiosk_id, nonce, seen_at) VALUES (?, ?, ?) ON CONFLICT (kiosk_id, nonce) DO NOTHING');
  const write = sqlite.transaction((jobs: IngestJob[]) => {
    let seq = lastSeq.get() as number;
    return jobs.map((job) => {
      const out: IngestOutcome = { replayedRequest: false, accepted: 0, duplicates: 0, replays: [] };
      if (job.nonce !== null && insertNonce.run(job.kioskId, job.nonce, job.now).changes === 0) {
        out.replayedRequest = true;
        return out;
      }
      const { ids, tokenIds, subjects, sources, nums, tokenKeys } = job.batch;
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i]!;
        const tokenId = tokenIds[i]!;
        const rows = tokenRows.all(tokenKeys[i], tokenId) as Array<{ id: string; replay: number }>;
        let mine: { id: string; replay: number } | null = null;
        for (const r of rows) if (r.id === id) mine = r;
        if (mine) {
          out.duplicates++;
          if (mine.replay === 1) out.replays.push({ entryId: id, tokenId });
          continue;
        }
        const replay = rows.length > 0 ? 1 : 0;
        insertEntry.run(++seq, id, nums[4 * i + 1], tokenId, nums[4 * i], subjects[i], job.facilityId, job.kioskId, nums[4 * i + 2], sources[i], job.now, replay, tokenKeys[i], job.facilityKey, nums[4 * i + 3]);
        out.accepted++;
        if (replay) out.replays.push({ entryId: id, tokenId });
      }
      return out;
    });
  });
  return (jobs) => write.immediate(jobs);
}

/**
 * The index pass: entries above the mark go into the facility and subject lookup tables, each
 * sorted by its key (one walk along the B-tree instead of a random descent per entry), and the
 * mark moves up, all in one transaction. Self-contained like ingestTransaction. Returns the
 * number of entries indexed.
 */
export function indexTransaction(sqlite: Database.Database): () => number {
  const mark = sqlite.prepare('SELECT seq FROM entry_index_mark WHERE id = 1').pluck();
  const top = sqlite.prepare('SELECT max(seq) FROM entries').pluck();
  // OR IGNORE: a row already there (it cannot be, below the mark) must never stop indexing for good.
  const byFacility = sqlite.prepare('INSERT OR IGNORE INTO entry_by_facility SELECT facility_key, scanned_at, seq FROM entries WHERE seq > ? AND seq <= ? ORDER BY 1, 2, 3');
  const bySubject = sqlite.prepare('INSERT OR IGNORE INTO entry_by_subject SELECT subject_key, scanned_at, seq FROM entries WHERE seq > ? AND seq <= ? ORDER BY 1, 2, 3');
  const setMark = sqlite.prepare('INSERT INTO entry_index_mark (id, seq) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq');
  const run = sqlite.transaction(() => {
    const from = (mark.get() as number | undefined) ?? 0;
    const to = top.get() as number | null;
    if (to === null || to <= from) return 0;
    byFacility.run(from, to);
    const n = bySubject.run(from, to).changes;
    setMark.run(to);
    return n;
  });
  return () => run.immediate();
}

// The worker: opens the same file with the same pragmas, then runs groups as they come.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const sqlite = new Database(workerData.file, { fileMustExist: true });
for (const p of workerData.pragmas) sqlite.pragma(p);
const run = (${ingestTransaction.toString()})(sqlite);
const index = (${indexTransaction.toString()})(sqlite);
parentPort.on('message', (msg) => {
  if (msg === 'close') { sqlite.close(); parentPort.close(); return; }
  try { parentPort.postMessage(msg === 'index' ? { indexed: index() } : { outcomes: run(msg) }); }
  catch (err) { parentPort.postMessage({ error: String((err && err.message) || err) }); }
});
`;

export interface IngestWriter {
  /** Resolves once the job's group is committed (durable at the connection's synchronous level). */
  write(job: IngestJob): Promise<IngestOutcome>;
  /** Indexes every entry written so far (purge, shutdown, tests); resolves with the number indexed. */
  flushIndex(): Promise<number>;
  close(): Promise<void>;
}

/**
 * When the writer runs an index pass: once `every` entries are waiting, and `lagMs` after the
 * queue last ran dry while any are waiting. Bigger chunks cost less per entry (each key page is
 * written once per chunk); queries read the unindexed tail directly, so the only cost of a big
 * chunk is a longer tail scan.
 */
export interface IndexPolicy {
  every: number;
  lagMs: number;
}

export const ENTRY_INDEX_POLICY: IndexPolicy = { every: 20_000, lagMs: 1_000 };

/** What actually runs a group or an index pass: the worker below, or a transaction in this thread. */
interface Runner {
  write(jobs: IngestJob[]): Promise<IngestOutcome[]>;
  index(): Promise<number>;
}

interface Waiting<T> {
  resolve: (v: T) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit and index passes around a runner, one task in flight at a time. Batches that arrive
 * while a group is written form the next group (one transaction, one fsync).
 */
function serialWriter(runner: Runner, policy: IndexPolicy): Omit<IngestWriter, 'close'> & { stop(): void } {
  let queue: Array<Waiting<IngestOutcome> & { job: IngestJob }> = [];
  let flushes: Array<Waiting<number>> = [];
  let busy = false;
  // Entries written before this process started are not counted: index them before the first group.
  let unindexed = Number.POSITIVE_INFINITY;
  let lagDue = false;
  let timer: NodeJS.Timeout | null = null;
  const settle = <T>(ws: Array<Waiting<T>>, p: Promise<T[]>) => p.then((vs) => ws.forEach((w, i) => w.resolve(vs[i]!)), (err: unknown) => ws.forEach((w) => w.reject(err)));
  const done = () => {
    busy = false;
    next();
  };
  let stopped = false;
  const next = () => {
    if (busy || stopped) return;
    if (flushes.length > 0 || (unindexed > 0 && (unindexed >= policy.every || (lagDue && queue.length === 0)))) {
      busy = true;
      lagDue = false;
      const waiting = flushes;
      flushes = [];
      const pass = runner.index().then(
        (n) => {
          unindexed = 0;
          return n;
        },
        (err: unknown) => {
          // Retried after the lag (or sooner under load); ingest goes on meanwhile.
          unindexed = Math.min(unindexed, policy.every - 1);
          throw err;
        },
      );
      void settle(waiting, pass.then((n) => waiting.map(() => n))).finally(done);
      return;
    }
    if (queue.length === 0) {
      if (unindexed > 0 && !timer) {
        timer = setTimeout(() => {
          timer = null;
          lagDue = true;
          next();
        }, policy.lagMs);
        timer.unref();
      }
      return;
    }
    busy = true;
    const group = queue;
    queue = [];
    const written = runner.write(group.map((w) => w.job)).then((outcomes) => {
      for (const o of outcomes) unindexed += o.accepted;
      return outcomes;
    });
    void settle(group, written).finally(done);
  };
  return {
    write: (job) =>
      new Promise<IngestOutcome>((resolve, reject) => {
        if (stopped) return reject(new Error('entry ingest writer closed'));
        queue.push({ job, resolve, reject });
        // Batches parsed in this event-loop turn join the same group.
        setImmediate(next);
      }),
    flushIndex: () =>
      new Promise<number>((resolve, reject) => {
        if (stopped) return reject(new Error('entry ingest writer closed'));
        flushes.push({ resolve, reject });
        next();
      }),
    /** No task starts after this (a task in flight finishes); whatever still waits is refused. */
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      const closed = new Error('entry ingest writer closed');
      for (const w of [...queue.splice(0), ...flushes.splice(0)]) w.reject(closed);
    },
  };
}

/** In-thread writer (in-memory databases, which a second connection cannot share). */
export function inThreadWriter(sqlite: Database.Database, holdConnection: (fn: () => void) => Promise<void>, policy = ENTRY_INDEX_POLICY): IngestWriter {
  const run = ingestTransaction(sqlite);
  const index = indexTransaction(sqlite);
  const held = async <T>(fn: () => T): Promise<T> => {
    let out: T | undefined;
    await holdConnection(() => {
      out = fn();
    });
    return out as T;
  };
  const writer = serialWriter({ write: (jobs) => held(() => run(jobs)), index: () => held(index) }, policy);
  return {
    write: writer.write,
    flushIndex: writer.flushIndex,
    async close() {
      writer.stop();
    },
  };
}

/** Worker-thread writer for a database file; the worker starts on the first write and restarts after a crash. */
export function workerWriter(file: string, pragmas: readonly string[], policy = ENTRY_INDEX_POLICY): IngestWriter {
  let worker: Worker | null = null;
  let closing = false;
  let pending: Waiting<{ outcomes?: IngestOutcome[]; indexed?: number }> | null = null;
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const fail = (err: unknown) => {
    const p = pending;
    pending = null;
    p?.reject(err);
  };
  const start = () => {
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, pragmas, driver } });
    w.unref();
    w.on('message', (msg: { outcomes?: IngestOutcome[]; indexed?: number; error?: string }) => {
      // Idle, the worker does not keep the process alive; a task in flight does (send below), and
      // so does closing: an index pass answering after close() began must not let the process
      // exit before the worker has closed the database.
      if (!closing) w.unref();
      const p = pending;
      pending = null;
      if (msg.error === undefined) p?.resolve(msg);
      else p?.reject(new Error(`entry ingest failed: ${msg.error}`));
    });
    w.on('error', (err) => {
      worker = null;
      fail(err);
    });
    w.on('exit', () => {
      if (worker === w) worker = null;
      fail(new Error('entry ingest writer stopped'));
    });
    return w;
  };
  const send = (msg: IngestJob[] | 'index') =>
    new Promise<{ outcomes?: IngestOutcome[]; indexed?: number }>((resolve, reject) => {
      worker ??= start();
      pending = { resolve, reject };
      worker.ref();
      worker.postMessage(msg);
    });
  const writer = serialWriter({ write: async (jobs) => (await send(jobs)).outcomes ?? [], index: async () => (await send('index')).indexed ?? 0 }, policy);
  return {
    write: writer.write,
    flushIndex: writer.flushIndex,
    async close() {
      closing = true;
      writer.stop();
      const w = worker;
      worker = null;
      if (!w) return;
      await new Promise<void>((resolve) => {
        w.once('exit', () => resolve());
        w.ref();
        w.postMessage('close');
      });
    },
  };
}
