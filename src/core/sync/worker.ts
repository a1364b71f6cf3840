// Runs in Node (kiosk main). The kiosk sync worker: drains the entry-log outbox to the central
// API in signed batches, backs off with full jitter when the API is away, learns of replays,
// refreshes the signed trust list (keeping the last good one) and keeps the clock offset.
// All durable state is the outbox in the kiosk database, so a restart simply resumes.
import type { KeyObject } from 'node:crypto';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { EntryLog, EntryRow } from '../entrylog';
import type { TrustList, TrustStore } from '../kp1';
import { signedHeaders } from './requestSignature';

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}
export interface HttpResponse {
  status: number;
  headers: Record<string, string | undefined>;
  body: string;
}
/** Sends one request; rejects on network failure or timeout. */
export type HttpClient = (req: HttpRequest) => Promise<HttpResponse>;

export type SyncOutbox = Pick<
  EntryLog,
  'outboxBatch' | 'markSynced' | 'recordAttemptFailure' | 'pendingCount' | 'markReplayed' | 'oldestPendingAt' | 'quarantine' | 'quarantinedCount'
> &
  Partial<Pick<EntryLog, 'pendingReceipts' | 'markReceiptsSent'>>;

export type SyncState = 'starting' | 'idle' | 'syncing' | 'backoff' | 'revoked' | 'stopped';

export interface SyncStatus {
  pending: number;
  /** Entries the central API refused for good, moved out of the outbox (console shows them). */
  quarantined: number;
  lastSuccessAt: number | null;
  state: SyncState;
  /** Server clock minus kiosk clock, ms (NTP-style, RTT/2); null until measured. */
  offsetMs: number | null;
  /** |offset| above 5 s: the screen shows a clock warning. */
  clockWarning: boolean;
  lastError: string | null;
  nextAttemptAt: number | null;
  trustListSequence: number | null;
  /** Why the last deletion-receipt upload failed (e.g. RECEIPT_KEY_MISMATCH), null when it did not. */
  receiptError: string | null;
}

export interface SyncOptions {
  /** e.g. https://api.example.kr (no trailing slash) */
  baseUrl: string;
  kioskId: string;
  devicePrivateKey: KeyObject;
  outbox: SyncOutbox;
  http: HttpClient;
  clock: Clock;
  /** [0, 1) */
  random?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  logger: Logger;
  trustStore?: TrustStore;
  /** Called with a newly accepted list and its envelope so the kiosk can keep it on disk. */
  onTrustList?: (list: TrustList, envelope: unknown) => void;
  batchSize?: number;
  idlePollMs?: number;
  trustRefreshMs?: number;
  timeRefreshMs?: number;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
}

export const CLOCK_WARNING_MS = 5_000;
/** Receipts per upload (the API takes up to 100). */
export const RECEIPTS_PER_REQUEST = 50;
/** After a refused or failed receipt upload, wait this long before the next try (entries keep flowing). */
export const RECEIPT_RETRY_MS = 10 * 60_000;
export const MAX_BACKOFF_MS = 5 * 60_000;

class SyncError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Statuses that say "this content is refused" (validation, size): retrying the same batch can
 * never succeed, so the worker bisects it to find the refused entries. Every other 4xx is about
 * the kiosk, the address or the moment (401 signature, 403 revoked, 404 wrong URL, 408, 409
 * nonce, 415, 429) and is retried with backoff: quarantining on those would empty the outbox
 * into quarantine for a fault that is not the entries'.
 */
export const isEntryRefusal = (status: number) => status === 400 || status === 413 || status === 422;

const toWire = (e: EntryRow) => ({ id: e.id, tokenId: e.tokenId, issuer: e.issuer, subject: e.subject, scannedAt: e.scannedAt, issuedAt: e.issuedAt, source: e.source });

const defaultSleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/** Full jitter: a uniform wait in [0, min(cap, base·2^attempt)). */
export function backoffDelay(attempt: number, random: () => number, baseMs = 1_000, capMs = MAX_BACKOFF_MS): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

export function createSyncWorker(opts: SyncOptions) {
  const random = opts.random ?? Math.random;
  const sleep = opts.sleep ?? defaultSleep;
  const batchSize = opts.batchSize ?? 500;
  const idlePollMs = opts.idlePollMs ?? 5_000;
  const trustRefreshMs = opts.trustRefreshMs ?? 15 * 60_000;
  const timeRefreshMs = opts.timeRefreshMs ?? 10 * 60_000;
  const baseBackoffMs = opts.baseBackoffMs ?? 1_000;
  const maxBackoffMs = Math.min(opts.maxBackoffMs ?? MAX_BACKOFF_MS, MAX_BACKOFF_MS);
  const { clock, logger, outbox, http } = opts;

  let state: SyncState = 'starting';
  let lastSuccessAt: number | null = null;
  let offsetMs: number | null = null;
  let lastError: string | null = null;
  let nextAttemptAt: number | null = null;
  let failures = 0;
  let trustEtag: string | null = null;
  let trustDueAt = 0;
  let receiptsDueAt = 0;
  let receiptError: string | null = null;
  let timeDueAt = 0;
  let stopper: AbortController | null = null;
  let wake: AbortController | null = null;
  let loop: Promise<void> | null = null;

  /** Kiosk clock corrected by the measured offset: what verification and signing use. */
  const now = () => clock() + (offsetMs ?? 0);

  async function send(method: 'GET' | 'POST', path: string, body?: unknown, extra: Record<string, string> = {}, signed = false): Promise<HttpResponse> {
    const text = body === undefined ? '' : JSON.stringify(body);
    const headers: Record<string, string> = { accept: 'application/json', ...extra };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (signed) Object.assign(headers, signedHeaders({ kioskId: opts.kioskId, privateKey: opts.devicePrivateKey, method, path, body: text, now: now() }));
    try {
      return await http({ method, url: opts.baseUrl + path, headers, ...(body === undefined ? {} : { body: text }) });
    } catch (err) {
      throw new SyncError('NETWORK', `network: ${err instanceof Error ? err.message : String(err)}`.slice(0, 200));
    }
  }

  const errorCode = (res: HttpResponse): string => {
    try {
      const parsed = JSON.parse(res.body) as { error?: { code?: unknown } };
      return typeof parsed.error?.code === 'string' ? parsed.error.code.slice(0, 64) : `HTTP_${res.status}`;
    } catch {
      return `HTTP_${res.status}`;
    }
  };

  /** NTP-style: offset = serverTime + RTT/2 − local receive time; the lowest-RTT of 3 samples wins. */
  async function measureOffset(): Promise<void> {
    let best: { rtt: number; offset: number } | null = null;
    for (let i = 0; i < 3; i++) {
      const t0 = clock();
      const res = await send('GET', '/v1/time');
      const t1 = clock();
      if (res.status !== 200) throw new SyncError(errorCode(res), `time: HTTP ${res.status}`);
      const serverTime = (JSON.parse(res.body) as { serverTime?: unknown }).serverTime;
      if (typeof serverTime !== 'number' || !Number.isFinite(serverTime)) throw new SyncError('BAD_RESPONSE', 'time: no serverTime');
      const rtt = t1 - t0;
      const sample = { rtt, offset: Math.round(serverTime + rtt / 2 - t1) };
      if (!best || sample.rtt < best.rtt) best = sample;
    }
    offsetMs = best!.offset;
    if (Math.abs(offsetMs) > CLOCK_WARNING_MS) logger.warn('kiosk clock differs from the central API', { offsetMs });
  }

  async function refreshTrust(): Promise<void> {
    if (!opts.trustStore) return;
    const res = await send('GET', '/v1/trust-list', undefined, trustEtag ? { 'if-none-match': trustEtag } : {});
    if (res.status === 304) return;
    if (res.status !== 200) throw new SyncError(errorCode(res), `trust list: HTTP ${res.status}`);
    let envelope: unknown;
    try {
      envelope = JSON.parse(res.body);
    } catch {
      logger.warn('trust list refused', { code: 'BAD_JSON' });
      return;
    }
    const accepted = opts.trustStore.accept(envelope);
    if (!accepted.accepted) {
      // The last good list stays in use; a bad or older list is never installed.
      logger.warn('trust list refused', { code: accepted.code });
      return;
    }
    trustEtag = res.headers.etag ?? null;
    logger.info('trust list updated', { sequence: accepted.trustList.sequence });
    opts.onTrustList?.(accepted.trustList, envelope);
  }

  /** Sends one batch. Returns how many outbox rows it settled (0: nothing was waiting). */
  async function drainBatch(): Promise<number> {
    const batch = outbox.outboxBatch(batchSize);
    if (batch.length === 0) return 0;
    await deliver(batch.map((b) => b.entry));
    return batch.length;
  }

  /**
   * Posts entries; on a content refusal (isEntryRefusal) splits the batch in halves until the
   * refused entries stand alone, and quarantines those with the server's code. A few bad
   * entries among n cost O(bad · log n) requests, and the rest of the outbox keeps draining.
   * Any other failure records the attempt and throws (backoff); halves already delivered stay settled.
   */
  async function deliver(entries: EntryRow[]): Promise<void> {
    const ids = entries.map((e) => e.id);
    let res: HttpResponse;
    try {
      res = await send('POST', '/v1/entries', { entries: entries.map(toWire) }, {}, true);
    } catch (err) {
      outbox.recordAttemptFailure(ids, err instanceof Error ? err.message : 'network');
      throw err;
    }
    if (res.status !== 200) {
      const code = errorCode(res);
      if (!isEntryRefusal(res.status)) {
        outbox.recordAttemptFailure(ids, code);
        throw new SyncError(code, `entries: HTTP ${res.status} ${code}`);
      }
      if (entries.length === 1) {
        outbox.quarantine(ids, /^[A-Z0-9_]{1,64}$/.test(code) ? code : `HTTP_${res.status}`, clock());
        logger.warn('central API refused an entry; quarantined', { code, status: res.status });
        return;
      }
      const half = Math.ceil(entries.length / 2);
      await deliver(entries.slice(0, half));
      await deliver(entries.slice(half));
      return;
    }
    let answer: { replays?: Array<{ tokenId: string }>; rejected?: Array<{ entryId: string; code: string }> };
    try {
      answer = JSON.parse(res.body) as typeof answer;
    } catch {
      outbox.recordAttemptFailure(ids, 'BAD_RESPONSE');
      throw new SyncError('BAD_RESPONSE', 'entries: unreadable answer');
    }
    // Accepted, duplicate (already stored) and rejected (final: outside the server's window)
    // are all settled; only then are the outbox rows removed.
    const replays = (answer.replays ?? []).map((r) => r.tokenId).filter((t) => typeof t === 'string');
    if (replays.length > 0) outbox.markReplayed(replays, now());
    if ((answer.rejected ?? []).length > 0) logger.warn('central API refused entries', { count: answer.rejected!.length, code: answer.rejected![0]!.code });
    outbox.markSynced(ids);
  }

  /**
   * Sends the log's signed deletion receipts once the outbox has drained. A failure never holds
   * up entries: it is logged, shown as receiptError, and retried after RECEIPT_RETRY_MS.
   */
  async function sendReceipts(): Promise<void> {
    if (!outbox.pendingReceipts || !outbox.markReceiptsSent || clock() < receiptsDueAt) return;
    const pending = outbox.pendingReceipts(RECEIPTS_PER_REQUEST);
    if (pending.length === 0) return;
    try {
      const res = await send('POST', '/v1/deletion-receipts', { receipts: pending.map((r) => ({ body: r.body, signature: r.signature })) }, {}, true);
      if (res.status !== 200) throw new SyncError(errorCode(res), `receipts: HTTP ${res.status}`);
      outbox.markReceiptsSent(pending.map((r) => r.id), clock());
      receiptError = null;
    } catch (err) {
      receiptError = err instanceof SyncError ? err.code : 'INTERNAL';
      receiptsDueAt = clock() + RECEIPT_RETRY_MS;
      logger.warn('deletion receipts not delivered', { code: receiptError, count: pending.length });
    }
  }

  async function cycle(): Promise<'more' | 'idle'> {
    if (clock() >= timeDueAt) {
      await measureOffset();
      timeDueAt = clock() + timeRefreshMs;
    }
    if (clock() >= trustDueAt) {
      await refreshTrust();
      trustDueAt = clock() + trustRefreshMs;
    }
    state = 'syncing';
    const settled = await drainBatch();
    if (settled < batchSize) await sendReceipts();
    lastSuccessAt = clock();
    failures = 0;
    lastError = null;
    nextAttemptAt = null;
    return settled === batchSize ? 'more' : 'idle';
  }

  async function run(stop: AbortSignal) {
    while (!stop.aborted) {
      try {
        const next = await cycle();
        if (next === 'more') continue;
        state = 'idle';
        wake = new AbortController();
        const both = AbortSignal.any([stop, wake.signal]);
        await sleep(idlePollMs, both);
      } catch (err) {
        const code = err instanceof SyncError ? err.code : 'INTERNAL';
        failures++;
        lastError = code;
        state = code === 'KIOSK_REVOKED' || code === 'KIOSK_UNKNOWN' ? 'revoked' : 'backoff';
        const delay = backoffDelay(failures, random, baseBackoffMs, maxBackoffMs);
        nextAttemptAt = clock() + delay;
        logger.warn('sync attempt failed', { code, failures, retryInMs: delay });
        await sleep(delay, stop);
      }
    }
    state = 'stopped';
  }

  return {
    /** Starts the loop (idempotent). Admitting never waits on it. */
    start() {
      if (loop) return;
      stopper = new AbortController();
      loop = run(stopper.signal);
    },
    async stop() {
      stopper?.abort();
      await loop;
      loop = null;
    },
    /** Ends an idle wait early, e.g. right after an admit. */
    poke() {
      wake?.abort();
    },
    /** One cycle without the loop: for the console's "지금 동기화" and for tests. */
    syncOnce: () => cycle(),
    now,
    status(): SyncStatus {
      return {
        pending: outbox.pendingCount(),
        quarantined: outbox.quarantinedCount(),
        lastSuccessAt,
        state,
        offsetMs,
        clockWarning: offsetMs !== null && Math.abs(offsetMs) > CLOCK_WARNING_MS,
        lastError,
        nextAttemptAt,
        trustListSequence: opts.trustStore?.current()?.sequence ?? null,
        receiptError,
      };
    },
  };
}

export type SyncWorker = ReturnType<typeof createSyncWorker>;

/** The production HTTP client: global fetch with a timeout, never following redirects. */
export function fetchHttpClient(timeoutMs = 15_000): HttpClient {
  return async (req) => {
    const res = await fetch(req.url, {
      method: req.method,
      headers: req.headers,
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
      ...(req.body === undefined ? {} : { body: req.body }),
    });
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => (headers[k] = v));
    return { status: res.status, headers, body: await res.text() };
  };
}
