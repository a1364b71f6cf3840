// Runs in the central API (Node). The SQLite entry-ingest writer: a worker thread with its own
// connection to the server database runs the ingest transactions, so the main thread keeps
// parsing, validating and verifying the next requests on the other core meanwhile. Batches that
// arrive while a group is being written form the next group (one transaction, one fsync).
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/** One entry as the writer stores it; the lookup keys are computed by the caller (entryKeys.ts). */
export interface IngestRow {
  id: string;
  tokenId: string;
  tokenKey: bigint;
  issuer: number;
  subject: string;
  subjectKey: number;
  scannedAt: number;
  issuedAt: number;
  source: string;
}

/** One request's batch: its kiosk, the nonce to claim in the same transaction, its valid entries. */
export interface IngestJob {
  kioskId: string;
  facilityId: string;
  facilityKey: number;
  nonce: string | null;
  now: number;
  rows: IngestRow[];
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
      for (const e of job.rows) {
        const rows = tokenRows.all(e.tokenKey, e.tokenId) as Array<{ id: string; replay: number }>;
        const mine = rows.find((r) => r.id === e.id);
        if (mine) {
          out.duplicates++;
          if (mine.replay === 1) out.replays.push({ entryId: e.id, tokenId: e.tokenId });
          continue;
        }
        const replay = rows.length > 0;
        insertEntry.run(e.id, e.scannedAt, e.tokenId, e.issuer, e.subject, job.facilityId, job.kioskId, e.issuedAt, e.source, job.now, replay ? 1 : 0, e.tokenKey, job.facilityKey, e.subjectKey);
        out.accepted++;
        if (replay) out.replays.push({ entryId: e.id, tokenId: e.tokenId });
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
