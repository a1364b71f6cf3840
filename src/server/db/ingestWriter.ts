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
 */
export function ingestTransaction(sqlite: Database.Database): (jobs: IngestJob[]) => IngestOutcome[] {
  const insertEntry = sqlite.prepare(
    `INSERT INTO entries (id, scanned_at, token_id, issuer, subject, facility_id, kiosk_id, issued_at, source, received_at, replay, token_key, facility_key, subject_key)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const tokenRows = sqlite.prepare('SELECT id, replay FROM entries WHERE token_key = ? AND token_id = ? ORDER BY seq');
  const insertNonce = sqlite.prepare('INSERT INTO request_nonces (kiosk_id, nonce, seen_at) VALUES (?, ?, ?) ON CONFLICT (kiosk_id, nonce) DO NOTHING');
  const write = sqlite.transaction((jobs: IngestJob[]) =>
    jobs.map((job) => {
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
        insertEntry.run(id, nums[4 * i + 1], tokenId, nums[4 * i], subjects[i], job.facilityId, job.kioskId, nums[4 * i + 2], sources[i], job.now, replay, tokenKeys[i], job.facilityKey, nums[4 * i + 3]);
        out.accepted++;
        if (replay) out.replays.push({ entryId: id, tokenId });
      }
      return out;
    }),
  );
  return (jobs) => write.immediate(jobs);
}

// The worker: opens the same file with the same pragmas, then runs groups as they come.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const sqlite = new Database(workerData.file, { fileMustExist: true });
for (const p of workerData.pragmas) sqlite.pragma(p);
const run = (${ingestTransaction.toString()})(sqlite);
parentPort.on('message', (msg) => {
  if (msg === 'close') { sqlite.close(); parentPort.close(); return; }
  try { parentPort.postMessage({ outcomes: run(msg) }); }
  catch (err) { parentPort.postMessage({ error: String((err && err.message) || err) }); }
});
`;

export interface IngestWriter {
  /** Resolves once the job's group is committed (durable at the connection's synchronous level). */
  write(job: IngestJob): Promise<IngestOutcome>;
  close(): Promise<void>;
}

interface Waiting {
  job: IngestJob;
  resolve: (o: IngestOutcome) => void;
  reject: (err: unknown) => void;
}

/** Group commit around any runner (the worker below, or an in-thread transaction): one group in flight at a time. */
function groupCommit(run: (jobs: IngestJob[]) => Promise<IngestOutcome[]>): (job: IngestJob) => Promise<IngestOutcome> {
  let queue: Waiting[] = [];
  let busy = false;
  const next = () => {
    if (busy || queue.length === 0) return;
    busy = true;
    const group = queue;
    queue = [];
    run(group.map((w) => w.job)).then(
      (outcomes) => group.forEach((w, i) => w.resolve(outcomes[i]!)),
      (err: unknown) => group.forEach((w) => w.reject(err)),
    ).finally(() => {
      busy = false;
      next();
    });
  };
  return (job) =>
    new Promise<IngestOutcome>((resolve, reject) => {
      queue.push({ job, resolve, reject });
      // Batches parsed in this event-loop turn join the same group.
      setImmediate(next);
    });
}

/** In-thread writer (in-memory databases, which a second connection cannot share). */
export function inThreadWriter(sqlite: Database.Database, holdConnection: (fn: () => void) => Promise<void>): IngestWriter {
  const run = ingestTransaction(sqlite);
  const write = groupCommit(async (jobs) => {
    let outcomes: IngestOutcome[] = [];
    await holdConnection(() => {
      outcomes = run(jobs);
    });
    return outcomes;
  });
  return { write, close: async () => {} };
}

/** Worker-thread writer for a database file; the worker starts on the first write and restarts after a crash. */
export function workerWriter(file: string, pragmas: readonly string[]): IngestWriter {
  let worker: Worker | null = null;
  let pending: { resolve: (o: IngestOutcome[]) => void; reject: (err: unknown) => void } | null = null;
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const fail = (err: unknown) => {
    const p = pending;
    pending = null;
    p?.reject(err);
  };
  const start = () => {
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, pragmas, driver } });
    w.unref();
    w.on('message', (msg: { outcomes?: IngestOutcome[]; error?: string }) => {
      // Idle, the worker does not keep the process alive; a group in flight does (write below).
      w.unref();
      const p = pending;
      pending = null;
      if (msg.outcomes) p?.resolve(msg.outcomes);
      else p?.reject(new Error(`entry ingest failed: ${msg.error ?? 'unknown'}`));
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
  const write = groupCommit(
    (jobs) =>
      new Promise<IngestOutcome[]>((resolve, reject) => {
        worker ??= start();
        pending = { resolve, reject };
        worker.ref();
        worker.postMessage(jobs);
      }),
  );
  return {
    write,
    async close() {
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
