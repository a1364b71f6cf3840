// Runs in Node (vitest). The kiosk sync worker against the real central API (SQLite) and a
// real kiosk entry log, with faults injected between them from a seeded PRNG: dropped
// requests, lost answers, duplicated and re-played old requests, delays, 500s and timeouts. Every
// admitted entry must arrive exactly once and the outbox must drain.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeClock } from '../../src/core/clock';
import { openEntryLog } from '../../src/core/entrylog';
import type { EntryLog } from '../../src/core/entrylog';
import { createTrustStore } from '../../src/core/kp1';
import { silentLogger } from '../../src/core/log';
import { backoffDelay, createSyncWorker, enrollWithCode, fileKeyStore, MAX_BACKOFF_MS } from '../../src/core/sync';
import type { HttpClient, HttpRequest, HttpResponse } from '../../src/core/sync';
import { openServerDb } from '../../src/server/db/open';
import type { ServerDb } from '../../src/server/db/open';
import type { TestKiosk, TestServer } from '../../src/server/testing';
import { startTestServer } from '../../src/server/testing';
import { seededRandom as prng } from '../../src/core/seededRandom';

const T0 = Date.UTC(2026, 10, 23, 1, 0, 0);


function injectClient(t: TestServer, base: string): HttpClient {
  return async (req) => {
    const res = await t.app.inject({ method: req.method, url: req.url.slice(base.length), headers: req.headers, ...(req.body === undefined ? {} : { payload: req.body }) });
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers[k] = v;
    return { status: res.statusCode, headers, body: res.body };
  };
}

interface FaultStats {
  [kind: string]: number;
}

/** Wraps a client with faults chosen by `random`; old requests are kept to re-send later (reordering). */
function faultyClient(inner: HttpClient, random: () => number, stats: FaultStats, delay: (ms: number) => void): HttpClient {
  const sent: HttpRequest[] = [];
  const bump = (k: string) => (stats[k] = (stats[k] ?? 0) + 1);
  return async (req) => {
    const r = random();
    if (r < 0.1) {
      bump('drop');
      throw new Error('connection reset');
    }
    if (r < 0.2) {
      bump('lostAnswer');
      await inner(req);
      throw new Error('timeout waiting for answer');
    }
    if (r < 0.28) {
      bump('http500');
      return { status: 500, headers: {}, body: '{"error":{"code":"INTERNAL","message":"x"}}' };
    }
    if (r < 0.36) {
      bump('duplicate');
      void inner(req);
      return inner(req);
    }
    if (r < 0.46 && sent.length > 0) {
      bump('oldReplayedFirst');
      await inner(sent[Math.floor(random() * sent.length)]!).catch(() => undefined);
    }
    if (r >= 0.46 && r < 0.54) {
      // A slow link: the request arrives up to 6 minutes late, past the 5-minute window at times.
      bump('delay');
      delay(Math.floor(random() * 6 * 60_000));
    }
    if (r > 0.95) {
      bump('garbageAnswer');
      await inner(req);
      return { status: 200, headers: {}, body: '<html>proxy error</html>' } satisfies HttpResponse;
    }
    sent.push(req);
    return inner(req);
  };
}

describe('kiosk sync worker with faults', () => {
  let dir = '';
  let db: ServerDb;
  let t: TestServer;
  let kiosk: TestKiosk;
  const clock = fakeClock(T0);
  const base = 'http://central.test';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'munjigi-sync-'));
    db = await openServerDb({ file: join(dir, 'server.db') });
    t = await startTestServer(db, clock);
    kiosk = await t.enrollKiosk();
  });
  afterAll(async () => {
    await t.app.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const newEntry = (log: EntryLog, random: () => number) => {
    const id = randomUUID();
    const nonce = Math.floor(random() * 2 ** 32).toString(16).padStart(8, '0') + Math.floor(random() * 2 ** 32).toString(16).padStart(8, '0');
    const outcome = log.recordEntry(
      {
        id,
        tokenId: `1:${nonce}`,
        issuer: 1,
        subject: 'ef'.repeat(16),
        facilityId: kiosk.facilityId,
        kioskId: kiosk.kioskId,
        scannedAt: clock(),
        issuedAt: Math.floor(clock() / 1000) - 1,
        source: 'wedge',
      },
      clock(),
    );
    return outcome === 'written' ? id : null;
  };

  it.each([1, 2, 3])('seed %i: every admitted entry arrives exactly once', async (seed) => {
    const random = prng(seed);
    const stats: FaultStats = {};
    const logDir = mkdtempSync(join(tmpdir(), 'munjigi-kiosklog-'));
    let log = openEntryLog({ path: join(logDir, 'entries.db'), clock, logger: silentLogger, expectExisting: false });
    const makeWorker = () =>
      createSyncWorker({
        baseUrl: base,
        kioskId: kiosk.kioskId,
        devicePrivateKey: kiosk.privateKey,
        outbox: log,
        http: faultyClient(injectClient(t, base), random, stats, (ms) => clock.advance(ms)),
        clock,
        random,
        logger: silentLogger,
        batchSize: 7,
      });
    let worker = makeWorker();
    const admitted: string[] = [];
    for (let round = 0; round < 3000 && (admitted.length < 150 || log.pendingCount() > 0); round++) {
      // Admitting never waits on sync: entries keep coming while the link misbehaves.
      if (admitted.length < 150) {
        for (let k = Math.floor(random() * 4); k > 0; k--) {
          const id = newEntry(log, random);
          if (id) admitted.push(id);
        }
      }
      if (round === 40) {
        // A restart mid-way: all state is in the kiosk database.
        log.close();
        log = openEntryLog({ path: join(logDir, 'entries.db'), clock, logger: silentLogger, expectExisting: true });
        worker = makeWorker();
      }
      await worker.syncOnce().catch(() => undefined);
      clock.advance(1_000);
    }
    expect(log.pendingCount()).toBe(0);
    const rows = await db.db.selectFrom('entries').select('id').where('kiosk_id', '=', kiosk.kioskId).where('id', 'in', admitted).execute();
    expect(rows.length).toBe(admitted.length);
    expect(new Set(rows.map((r) => r.id))).toEqual(new Set(admitted));
    expect(Object.keys(stats).length).toBeGreaterThanOrEqual(6);
    log.close();
    rmSync(logDir, { recursive: true, force: true });
  });

  it('backs off with full jitter under a 5-minute cap, and reports state and offset', async () => {
    expect(backoffDelay(0, () => 0.999, 1000)).toBeLessThan(1000);
    expect(backoffDelay(3, () => 0.5, 1000)).toBe(4000);
    expect(backoffDelay(40, () => 0.999999, 1000)).toBeLessThan(MAX_BACKOFF_MS);
    expect(backoffDelay(40, () => 0, 1000)).toBe(0);

    const logDir = mkdtempSync(join(tmpdir(), 'munjigi-kiosklog-'));
    const log = openEntryLog({ path: join(logDir, 'entries.db'), clock, logger: silentLogger, expectExisting: false });
    let down = true;
    const inner = injectClient(t, base);
    const waits: number[] = [];
    // The kiosk clock runs 7 s behind the server: the worker measures it and warns.
    const kioskClock = () => clock() - 7_000;
    const worker = createSyncWorker({
      baseUrl: base,
      kioskId: kiosk.kioskId,
      devicePrivateKey: kiosk.privateKey,
      outbox: log,
      http: async (req) => {
        if (down) throw new Error('offline');
        return inner(req);
      },
      clock: kioskClock,
      random: () => 0.999,
      logger: silentLogger,
      sleep: async (ms) => {
        waits.push(ms);
        clock.advance(ms);
        if (waits.length >= 12) down = false;
        if (waits.length >= 14) void worker.stop();
      },
    });
    newEntry(log, Math.random);
    worker.start();
    await vi_waitFor(() => worker.status().state === 'stopped');
    // Growing waits up to the cap while offline, then an idle poll once it drained.
    expect(waits.slice(0, 9)).toEqual([...waits.slice(0, 9)].sort((a, b) => a - b));
    expect(Math.max(...waits)).toBeLessThan(MAX_BACKOFF_MS);
    expect(Math.max(...waits)).toBeGreaterThan(MAX_BACKOFF_MS * 0.9);
    const status = worker.status();
    expect(status.pending).toBe(0);
    expect(status.lastSuccessAt).not.toBeNull();
    expect(Math.abs(status.offsetMs! - 7_000)).toBeLessThan(50);
    expect(status.clockWarning).toBe(true);
    log.close();
    rmSync(logDir, { recursive: true, force: true });
  });

  it('refreshes the trust list and keeps the last good one when a bad one comes', async () => {
    const store = createTrustStore({ rootKeys: [{ keyId: t.app.authority.keyId, publicKey: t.app.authority.publicKey }] });
    const logDir = mkdtempSync(join(tmpdir(), 'munjigi-kiosklog-'));
    const log = openEntryLog({ path: join(logDir, 'entries.db'), clock, logger: silentLogger, expectExisting: false });
    let tamper = false;
    const inner = injectClient(t, base);
    const saved: number[] = [];
    const worker = createSyncWorker({
      baseUrl: base,
      kioskId: kiosk.kioskId,
      devicePrivateKey: kiosk.privateKey,
      outbox: log,
      http: async (req) => {
        const res = await inner(req);
        if (tamper && req.url.endsWith('/v1/trust-list') && res.status === 200) {
          const env = JSON.parse(res.body) as { signature: string };
          env.signature = env.signature.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
          return { ...res, body: JSON.stringify(env) };
        }
        return res;
      },
      clock,
      logger: silentLogger,
      trustStore: store,
      trustRefreshMs: 1,
      onTrustList: (list) => saved.push(list.sequence),
    });
    await worker.syncOnce();
    const good = store.current()?.sequence;
    expect(good).toBeGreaterThan(0);
    expect(saved).toEqual([good]);
    await t.app.inject({ method: 'POST', url: '/v1/admin/issuers', headers: { authorization: `Bearer ${t.adminToken}` }, payload: { code: 77, name: 'sync-test', displayName: '동기화' } });
    tamper = true;
    clock.advance(10);
    await worker.syncOnce();
    expect(store.current()?.sequence).toBe(good);
    tamper = false;
    clock.advance(10);
    await worker.syncOnce();
    expect(store.current()?.sequence).toBe(good! + 1);
    expect(worker.status().trustListSequence).toBe(good! + 1);
    log.close();
    rmSync(logDir, { recursive: true, force: true });
  });

  it('quarantines entries the API refuses for good (found by bisection) and keeps draining the rest', async () => {
    const logDir = mkdtempSync(join(tmpdir(), 'munjigi-kiosklog-'));
    const log = openEntryLog({ path: join(logDir, 'entries.db'), clock, logger: silentLogger, expectExisting: false });
    const inner = injectClient(t, base);
    const ids = Array.from({ length: 40 }, () => newEntry(log, Math.random)!);
    // A server that refuses, as a whole batch, any upload holding one of these two entries.
    const poisoned = new Set<string>([ids[3]!, ids[29]!]);
    let posts = 0;
    let mode: 'refuse' | 'revoked' = 'refuse';
    const http: HttpClient = async (req) => {
      if (req.url.endsWith('/v1/entries')) {
        posts++;
        const sent = (JSON.parse(req.body!) as { entries: Array<{ id: string }> }).entries;
        if (mode === 'revoked') return { status: 403, headers: {}, body: '{"error":{"code":"KIOSK_REVOKED","message":"x"}}' };
        if (sent.some((e) => poisoned.has(e.id))) return { status: 400, headers: {}, body: '{"error":{"code":"VALIDATION_FAILED","message":"x"}}' };
      }
      return inner(req);
    };
    const worker = createSyncWorker({ baseUrl: base, kioskId: kiosk.kioskId, devicePrivateKey: kiosk.privateKey, outbox: log, http, clock, logger: silentLogger, batchSize: 16 });
    for (let i = 0; i < 5 && log.pendingCount() > 0; i++) await worker.syncOnce();
    expect(log.pendingCount()).toBe(0);
    expect(log.quarantinedCount()).toBe(2);
    expect(worker.status()).toMatchObject({ pending: 0, quarantined: 2, lastError: null });
    expect(log.quarantined(10).map((q) => q.entryId).sort()).toEqual([...poisoned].sort());
    expect(log.quarantined(10).every((q) => q.code === 'VALIDATION_FAILED' && q.quarantinedAt === clock())).toBe(true);
    // Bisection, not one request per entry: 3 batches (16, 16, 8) plus the halves that held a bad entry.
    expect(posts).toBeLessThan(20);
    const stored = await db.db.selectFrom('entries').select('id').where('id', 'in', ids).execute();
    expect(new Set(stored.map((r) => r.id))).toEqual(new Set(ids.filter((id) => !poisoned.has(id))));

    // A refusal about the kiosk (403 revoked), not the entries, quarantines nothing: it backs off.
    const later = newEntry(log, Math.random)!;
    mode = 'revoked';
    await expect(worker.syncOnce()).rejects.toMatchObject({ code: 'KIOSK_REVOKED' });
    expect(log.pendingCount()).toBe(1);
    expect(log.quarantinedCount()).toBe(2);

    // Once the cause is fixed, an operator can put the quarantined entries back; they then drain.
    mode = 'refuse';
    poisoned.clear();
    expect(log.releaseQuarantine(clock())).toBe(2);
    await worker.syncOnce();
    expect(log.pendingCount()).toBe(0);
    expect(log.quarantinedCount()).toBe(0);
    expect(await db.db.selectFrom('entries').select('id').where('id', 'in', [...ids, later]).execute()).toHaveLength(41);
    log.close();
    rmSync(logDir, { recursive: true, force: true });
  });

  it('sends deletion receipts after the entries, marks them sent, and never lets a refused receipt hold up entries', async () => {
    const { DAY_MS } = await import('../../src/core/clock');
    const { generateKeyPair } = await import('../../src/core/kp1');
    const logDir = mkdtempSync(join(tmpdir(), 'munjigi-kiosklog-'));
    const path = join(logDir, 'entries.db');
    const receiptKey = generateKeyPair().privateKey;
    let log = openEntryLog({ path, clock, logger: silentLogger, expectExisting: false, receiptKey });
    const http = injectClient(t, base);
    const worker = (outbox: EntryLog) => createSyncWorker({ baseUrl: base, kioskId: kiosk.kioskId, devicePrivateKey: kiosk.privateKey, outbox, http, clock, logger: silentLogger });
    newEntry(log, Math.random);
    await worker(log).syncOnce();
    clock.advance(29 * DAY_MS);
    expect(log.purgeExpired(clock())).toBe(1);
    expect(log.pendingReceipts()).toHaveLength(1);
    const w = worker(log);
    await w.syncOnce();
    expect(log.pendingReceipts()).toHaveLength(0);
    expect(w.status().receiptError).toBeNull();
    const onServer = await db.db.selectFrom('deletion_receipts').select(['n', 'body']).where('kiosk_id', '=', kiosk.kioskId).execute();
    expect(onServer.map((r) => r.body)).toEqual(log.receipts().map((r) => r.body));
    log.close();

    // The same kiosk with a new receipt key (e.g. a wiped data folder): its receipts are refused
    // (the first key is pinned), the error shows, and entries still drain.
    rmSync(logDir, { recursive: true, force: true });
    const logDir2 = mkdtempSync(join(tmpdir(), 'munjigi-kiosklog-'));
    log = openEntryLog({ path: join(logDir2, 'entries.db'), clock, logger: silentLogger, expectExisting: false, receiptKey: generateKeyPair().privateKey });
    newEntry(log, Math.random);
    await worker(log).syncOnce();
    clock.advance(29 * DAY_MS);
    log.purgeExpired(clock());
    const id = newEntry(log, Math.random)!;
    const w2 = worker(log);
    await w2.syncOnce();
    expect(log.pendingCount()).toBe(0);
    expect(await db.db.selectFrom('entries').select('id').where('id', '=', id).execute()).toHaveLength(1);
    expect(log.pendingReceipts()).toHaveLength(1);
    expect(w2.status().receiptError).toBe('RECEIPT_KEY_MISMATCH');
    log.close();
    rmSync(logDir2, { recursive: true, force: true });
    clock.set(T0);
  });

  it('enrolls with a one-time code, keeps the private key in a 0600 file, and syncs with it', async () => {
    const { createEnrollmentCode } = await import('../../src/server/facilities');
    const { code } = await createEnrollmentCode(db.db, clock, kiosk.facilityId);
    const keyDir = mkdtempSync(join(tmpdir(), 'munjigi-devkey-'));
    const keyPath = join(keyDir, 'device.key.pem');
    const http = injectClient(t, base);
    const enrolled = await enrollWithCode({ baseUrl: base, code, label: '정문', http, keyStore: fileKeyStore(keyPath) });
    expect(enrolled.facilityId).toBe(kiosk.facilityId);
    expect(statSync(keyPath).mode & 0o777).toBe(0o600);
    // Second use of the code and a second enrollment on the same kiosk are both refused.
    await expect(enrollWithCode({ baseUrl: base, code, label: 'x', http, keyStore: fileKeyStore(join(keyDir, 'other.pem')) })).rejects.toMatchObject({ code: 'ENROLLMENT_CODE_INVALID' });
    expect(existsSync(join(keyDir, 'other.pem'))).toBe(false);
    await expect(enrollWithCode({ baseUrl: base, code, label: 'x', http, keyStore: fileKeyStore(keyPath) })).rejects.toMatchObject({ code: 'DEVICE_KEY_EXISTS' });
    const logDir = mkdtempSync(join(tmpdir(), 'munjigi-kiosklog-'));
    const log = openEntryLog({ path: join(logDir, 'entries.db'), clock, logger: silentLogger, expectExisting: false });
    const worker = createSyncWorker({ baseUrl: base, kioskId: enrolled.kioskId, devicePrivateKey: fileKeyStore(keyPath).load()!, outbox: log, http, clock, logger: silentLogger });
    const id = randomUUID();
    log.recordEntry({ id, tokenId: '1:00000000000000e1', issuer: 1, subject: 'aa'.repeat(16), facilityId: enrolled.facilityId, kioskId: enrolled.kioskId, scannedAt: clock(), issuedAt: Math.floor(clock() / 1000), source: 'hid' }, clock());
    await worker.syncOnce();
    expect(log.pendingCount()).toBe(0);
    expect((await db.db.selectFrom('entries').select('kiosk_id').where('id', '=', id).executeTakeFirstOrThrow()).kiosk_id).toBe(enrolled.kioskId);
    log.close();
    rmSync(logDir, { recursive: true, force: true });
    rmSync(keyDir, { recursive: true, force: true });
  });
});

async function vi_waitFor(cond: () => boolean, tries = 2000) {
  for (let i = 0; i < tries && !cond(); i++) await new Promise((r) => setTimeout(r, 1));
  if (!cond()) throw new Error('condition not reached');
}
