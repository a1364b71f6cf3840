// Runs in Node (vitest). The central API end to end over both engines: SQLite file and a real
// PostgreSQL started in a temp dir. Trust list, time, enrollment, signed kiosk requests,
// entry ingest (idempotency, replays, retention), investigations and bad input.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS, fakeClock } from '../../src/core/clock';
import { generateKeyPair, openEnvelope, publicKeyToBase64url } from '../../src/core/kp1';
import { RECEIPT_TYPE, publicKeyFromBase64url, receiptSignatureValid, signReceipt } from '../../src/core/entrylog/receipts';
import type { ReceiptBody } from '../../src/core/entrylog/receipts';
import { signedHeaders } from '../../src/core/sync/requestSignature';
import { openServerDb } from '../../src/server/db/open';
import type { ServerDb } from '../../src/server/db/open';
import type { TestServer } from '../../src/server/testing';
import { startTestServer } from '../../src/server/testing';
import { postgresSkipReason, startPostgres } from '../support/postgres';
import type { TestPostgres } from '../support/postgres';

const T0 = Date.UTC(2026, 10, 23, 3, 0, 0);
const pgSkip = postgresSkipReason();
if (pgSkip) console.warn(`server-api: PostgreSQL tests skipped: ${pgSkip}`);

const entry = (over: Partial<Record<string, unknown>> = {}, at = T0) => ({
  id: randomUUID(),
  tokenId: `1:${randomUUID().replace(/-/g, '').slice(0, 16)}`,
  issuer: 1,
  subject: 'ab'.repeat(16),
  scannedAt: at,
  issuedAt: Math.floor(at / 1000) - 2,
  source: 'wedge',
  ...over,
});

describe.each([
  { engine: 'sqlite' as const, skip: undefined },
  { engine: 'pg' as const, skip: pgSkip },
])('central API on $engine', ({ engine, skip }) => {
  let dir = '';
  let pg: TestPostgres | undefined;
  let db: ServerDb;
  let t: TestServer;
  const clock = fakeClock(T0);
  const countEntries = async () => Number((await db.db.selectFrom('entries').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    if (skip) return;
    if (engine === 'sqlite') {
      dir = mkdtempSync(join(tmpdir(), 'munjigi-api-'));
      db = await openServerDb({ file: join(dir, 'server.db') });
    } else {
      pg = await startPostgres();
      db = await openServerDb({ url: pg.createDatabase('api') });
    }
    t = await startTestServer(db, clock);
  });
  afterAll(async () => {
    await t?.app.close();
    await db?.close();
    pg?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(skip)('answers /healthz, /v1/time, /openapi.json and /docs', async () => {
    expect((await t.app.inject('/healthz')).json()).toEqual({ status: 'ok', engine });
    expect((await t.app.inject('/v1/time')).json()).toEqual({ serverTime: clock() });
    const spec = (await t.app.inject('/openapi.json')).json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/v1/entries', '/v1/trust-list', '/v1/kiosks/enroll', '/v1/investigations/facility-visits']));
    const docs = await t.app.inject('/docs/');
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger');
    expect(docs.body).not.toMatch(/https?:\/\/(cdn|unpkg)/);
  });

  it.skipIf(skip)('serves the signed trust list with ETag and 304, and re-signs on every change', async () => {
    const first = await t.app.inject('/v1/trust-list');
    expect(first.statusCode).toBe(200);
    const etag = first.headers.etag as string;
    const root = [{ keyId: t.app.authority.keyId, publicKey: t.app.authority.publicKey }];
    const list1 = openEnvelope(first.json(), root);
    expect((await t.app.inject({ url: '/v1/trust-list', headers: { 'if-none-match': etag } })).statusCode).toBe(304);

    const auth = { authorization: `Bearer ${t.adminToken}` };
    expect((await t.app.inject({ method: 'POST', url: '/v1/admin/issuers', headers: auth, payload: { code: 9, name: 'testpass', displayName: '테스트' } })).statusCode).toBe(204);
    const pub = 'A'.repeat(42) + 'E';
    const addKey = await t.app.inject({ method: 'POST', url: '/v1/admin/issuers/9/keys', headers: auth, payload: { keyId: 1, publicKey: pub, notBefore: T0, notAfter: T0 + 365 * DAY_MS } });
    expect(addKey.statusCode, addKey.body).toBe(204);
    expect((await t.app.inject({ method: 'POST', url: '/v1/admin/issuers/9/keys/1/revoke', headers: auth })).statusCode).toBe(204);
    const second = await t.app.inject({ url: '/v1/trust-list', headers: { 'if-none-match': etag } });
    expect(second.statusCode).toBe(200);
    const list2 = openEnvelope(second.json(), root);
    expect(list2.sequence).toBe(list1.sequence + 3);
    expect(list2.issuers.find((i) => i.code === 9)?.keys[0]?.status).toBe('revoked');
    // Concurrent changes (as from several API instances) each get their own sequence.
    const seqBefore = openEnvelope((await t.app.inject('/v1/trust-list')).json(), root).sequence;
    const codes = [21, 22, 23, 24];
    const results = await Promise.all(codes.map((code) => t.app.inject({ method: 'POST', url: '/v1/admin/issuers', headers: auth, payload: { code, name: `par${code}`, displayName: '병렬' } })));
    expect(results.map((r) => r.statusCode)).toEqual([204, 204, 204, 204]);
    const after = openEnvelope((await t.app.inject('/v1/trust-list')).json(), root);
    expect(after.sequence).toBe(seqBefore + 4);
    expect(codes.every((c) => after.issuers.some((i) => i.code === c))).toBe(true);
    // Duplicate issuer and unknown key are clear 4xx.
    expect((await t.app.inject({ method: 'POST', url: '/v1/admin/issuers', headers: auth, payload: { code: 9, name: 'other', displayName: 'x' } })).json().error.code).toBe('ISSUER_EXISTS');
    expect((await t.app.inject({ method: 'POST', url: '/v1/admin/issuers/9/keys/7/revoke', headers: auth })).statusCode).toBe(404);
  });

  it.skipIf(skip)('enrolls with a one-time code: single use, expiring, hashed at rest', async () => {
    const auth = { authorization: `Bearer ${t.adminToken}` };
    const codeRes = await t.app.inject({ method: 'POST', url: `/v1/admin/facilities/${t.facilityId}/enrollment-codes`, headers: auth });
    expect(codeRes.statusCode).toBe(201);
    const { code } = codeRes.json<{ code: string }>();
    const stored = await db.db.selectFrom('enrollment_codes').select('code_hash').execute();
    expect(stored.every((r) => !r.code_hash.includes(code.replace(/-/g, '')))).toBe(true);
    const key = () => Buffer.from(randomUUID().replace(/-/g, '')).subarray(0, 32).toString('base64url');
    const ok = await t.app.inject({ method: 'POST', url: '/v1/kiosks/enroll', payload: { code: code.toLowerCase(), publicKey: key(), label: 'k' } });
    expect(ok.statusCode, ok.body).toBe(200);
    const again = await t.app.inject({ method: 'POST', url: '/v1/kiosks/enroll', payload: { code, publicKey: key(), label: 'k' } });
    expect(again.json().error.code).toBe('ENROLLMENT_CODE_INVALID');
    const late = (await t.app.inject({ method: 'POST', url: `/v1/admin/facilities/${t.facilityId}/enrollment-codes`, headers: auth })).json<{ code: string }>().code;
    clock.advance(DAY_MS + 1);
    const expired = await t.app.inject({ method: 'POST', url: '/v1/kiosks/enroll', payload: { code: late, publicKey: key(), label: 'k' } });
    clock.set(T0);
    expect(expired.json().error.code).toBe('ENROLLMENT_CODE_INVALID');
  });

  it.skipIf(skip)('authenticates kiosk requests: signature, staleness, nonce replay, revocation', async () => {
    const k = await t.enrollKiosk();
    expect((await k.request('GET', '/v1/kiosks/me')).json()).toEqual({ kioskId: k.kioskId, facilityId: t.facilityId });
    const stale = await k.request('GET', '/v1/kiosks/me', undefined, { now: T0 - 6 * 60_000 });
    expect(stale.json().error.code).toBe('STALE_REQUEST');
    const nonce = 'n'.repeat(22);
    expect((await k.request('GET', '/v1/kiosks/me', undefined, { nonce })).statusCode).toBe(200);
    expect((await k.request('GET', '/v1/kiosks/me', undefined, { nonce })).json().error.code).toBe('REQUEST_REPLAYED');
    // An entry upload claims its nonce in the write transaction: resending the same request stores nothing.
    const upload = { entries: [entry()] };
    const first = await k.request('POST', '/v1/entries', upload, { nonce: 'u'.repeat(22) });
    expect(first.json().accepted).toBe(1);
    const countAfterFirst = await countEntries();
    const again = await k.request('POST', '/v1/entries', { entries: [entry()] }, { nonce: 'u'.repeat(22) });
    expect(again.json().error.code).toBe('REQUEST_REPLAYED');
    expect(await countEntries()).toBe(countAfterFirst);
    // A signature over one body does not carry another.
    const signedBody = JSON.stringify({ entries: [entry()] });
    const headers = signedHeaders({ kioskId: k.kioskId, privateKey: k.privateKey, method: 'POST', path: '/v1/entries', body: signedBody, now: clock() });
    const forged = await t.app.inject({ method: 'POST', url: '/v1/entries', headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify({ entries: [entry()] }) });
    expect(forged.json().error.code).toBe('BAD_SIGNATURE');
    const auth = { authorization: `Bearer ${t.adminToken}` };
    expect((await t.app.inject({ method: 'POST', url: `/v1/admin/kiosks/${k.kioskId}/revoke`, headers: auth })).statusCode).toBe(204);
    const before = await countEntries();
    const revoked = await k.request('POST', '/v1/entries', { entries: [entry()] });
    expect(revoked.statusCode).toBe(403);
    expect(revoked.json().error.code).toBe('KIOSK_REVOKED');
    expect(await countEntries()).toBe(before);
  });

  it.skipIf(skip)('ingests batches idempotently and reports replays across facilities', async () => {
    const auth = { authorization: `Bearer ${t.adminToken}` };
    const other = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/facilities',
      headers: auth,
      payload: { name: '다른 시설', address: '부산광역시 해운대구 1', businessNo: '1248100998', jurisdiction: '부산광역시 해운대구' },
    });
    expect(other.statusCode, other.body).toBe(201);
    const a = await t.enrollKiosk();
    const b = await t.enrollKiosk(other.json<{ id: string }>().id);
    const batch = Array.from({ length: 600 }, (_, i) => entry({}, T0 - i * 1000));
    const first = (await a.request('POST', '/v1/entries', { entries: batch })).json();
    expect(first).toEqual({ accepted: 600, duplicates: 0, replays: [], rejected: [] });
    const again = (await a.request('POST', '/v1/entries', { entries: batch.slice(0, 10) })).json();
    expect(again).toMatchObject({ accepted: 0, duplicates: 10, replays: [] });
    // The same token admitted at another facility is a replay, reported on first and every later upload.
    const copy = entry({ tokenId: batch[0]!.tokenId });
    const replay = (await b.request('POST', '/v1/entries', { entries: [copy, entry()] })).json();
    expect(replay).toMatchObject({ accepted: 2, duplicates: 0, replays: [{ entryId: copy.id, tokenId: copy.tokenId }] });
    expect((await b.request('POST', '/v1/entries', { entries: [copy] })).json()).toMatchObject({ accepted: 0, duplicates: 1, replays: [{ entryId: copy.id }] });
    const flagged = await db.db.selectFrom('entries').select('replay').where('id', '=', copy.id).executeTakeFirstOrThrow();
    expect(flagged.replay).toBe(1);
    const stored = await db.db.selectFrom('entries').select(['facility_id', 'kiosk_id']).where('id', '=', batch[1]!.id).executeTakeFirstOrThrow();
    expect(stored).toEqual({ facility_id: t.facilityId, kiosk_id: a.kioskId });
    // Concurrent batches (one group commit on SQLite) still let exactly one entry own a token.
    const shared = entry().tokenId;
    const [ra, rb] = await Promise.all([
      a.request('POST', '/v1/entries', { entries: [entry({ tokenId: shared }), entry()] }),
      b.request('POST', '/v1/entries', { entries: [entry({ tokenId: shared })] }),
    ]);
    expect(ra.json().accepted + rb.json().accepted).toBe(3);
    expect(ra.json().replays.length + rb.json().replays.length).toBe(1);
    // Out-of-window entries are refused item by item; the rest of the batch goes in.
    const old = entry({}, T0 - 29 * DAY_MS);
    const future = entry({}, T0 + 2 * DAY_MS);
    const mismatch = entry({ issuer: 2 });
    const fine = entry();
    const mixed = (await a.request('POST', '/v1/entries', { entries: [old, future, mismatch, fine] })).json();
    expect(mixed.accepted).toBe(1);
    expect(mixed.rejected).toEqual([
      { entryId: old.id, code: 'ENTRY_TOO_OLD' },
      { entryId: future.id, code: 'ENTRY_IN_FUTURE' },
      { entryId: mismatch.id, code: 'TOKEN_ISSUER_MISMATCH' },
    ]);
  });

  it.skipIf(skip)('refuses bad input with a clear 4xx and stores nothing', async () => {
    const k = await t.enrollKiosk();
    const before = await countEntries();
    const cases: Array<[string, unknown, number, string]> = [
      ['unknown field', { entries: [{ ...entry(), name: '홍길동' }] }, 400, 'VALIDATION_FAILED'],
      ['wrong type', { entries: [{ ...entry(), scannedAt: String(T0) }] }, 400, 'VALIDATION_FAILED'],
      ['top-level extra', { entries: [entry()], extra: 1 }, 400, 'VALIDATION_FAILED'],
      ['empty batch', { entries: [] }, 400, 'VALIDATION_FAILED'],
      ['too many', { entries: Array.from({ length: 1001 }, () => entry()) }, 400, 'VALIDATION_FAILED'],
      ['bad subject', { entries: [entry({ subject: 'zz' })] }, 400, 'VALIDATION_FAILED'],
      ['not an object', [1, 2, 3], 400, 'VALIDATION_FAILED'],
    ];
    for (const [name, body, status, code] of cases) {
      const res = await k.request('POST', '/v1/entries', body);
      expect(res.statusCode, name).toBe(status);
      expect(res.json().error.code, name).toBe(code);
      expect(res.json().error.message, name).toMatch(/[가-힣]/);
    }
    const dup = entry();
    expect((await k.request('POST', '/v1/entries', { entries: [dup, dup] })).json().error.code).toBe('BATCH_DUPLICATE_IDS');
    const malformed = await t.app.inject({ method: 'POST', url: '/v1/kiosks/enroll', headers: { 'content-type': 'application/json' }, payload: '{"code": "AB' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('BAD_JSON');
    const huge = await t.app.inject({ method: 'POST', url: '/v1/kiosks/enroll', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ code: 'x'.repeat(600_000) }) });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('BODY_TOO_LARGE');
    const text = await t.app.inject({ method: 'POST', url: '/v1/kiosks/enroll', headers: { 'content-type': 'text/plain' }, payload: 'hello' });
    expect(text.statusCode).toBe(415);
    expect((await t.app.inject('/v1/nothing')).json().error.code).toBe('NOT_FOUND');
    const auth = { authorization: `Bearer ${t.adminToken}` };
    const badBiz = await t.app.inject({ method: 'POST', url: '/v1/admin/facilities', headers: auth, payload: { name: 'x', address: 'y', businessNo: '123-45-67890', jurisdiction: '서울특별시 강남구' } });
    expect(badBiz.json().error.code).toBe('BUSINESS_NO_INVALID');
    const badJur = await t.app.inject({ method: 'POST', url: '/v1/admin/facilities', headers: auth, payload: { name: 'x', address: 'y', businessNo: '220-81-62517', jurisdiction: 'Gangnam' } });
    expect(badJur.json().error.code).toBe('JURISDICTION_INVALID');
    expect(await countEntries()).toBe(before);
  });

  it.skipIf(skip)('answers investigations without personal data and audit-logs every query', async () => {
    const k = await t.enrollKiosk();
    const subject = 'cd'.repeat(16);
    await k.request('POST', '/v1/entries', { entries: [entry({ subject }, T0 - 3_600_000), entry({ subject }, T0 - 60_000)] });
    const inv = { authorization: `Bearer ${t.investigatorToken}` };
    const q = `issuer=1&subject=${subject}&from=${T0 - DAY_MS}&to=${T0 + 1}`;
    const res = await t.app.inject({ url: `/v1/investigations/subject-visits?${q}`, headers: inv });
    expect(res.statusCode, res.body).toBe(200);
    const visits = res.json<{ visits: Array<Record<string, unknown>> }>().visits;
    expect(visits).toHaveLength(2);
    expect(Object.keys(visits[0]!).sort()).toEqual(['facilityId', 'facilityName', 'jurisdiction', 'scannedAt']);
    const fac = await t.app.inject({ url: `/v1/investigations/facility-visits?facilityId=${t.facilityId}&from=${T0 - DAY_MS}&to=${T0 + 1}`, headers: inv });
    expect(fac.statusCode).toBe(200);
    expect(Object.keys(fac.json().visits[0]).sort()).toEqual(['issuer', 'kioskId', 'scannedAt', 'subject']);
    const tooWide = await t.app.inject({ url: `/v1/investigations/facility-visits?facilityId=${t.facilityId}&from=0&to=${T0}`, headers: inv });
    expect(tooWide.json().error.code).toBe('WINDOW_INVALID');
    const log = (await t.app.inject({ url: `/v1/admin/audit?from=0&to=${T0 + 1}`, headers: { authorization: `Bearer ${t.adminToken}` } })).json();
    expect(log.entries.map((e: { action: string }) => e.action)).toEqual(['subject-visits', 'facility-visits']);
    expect(log.entries[0]).toMatchObject({ actorName: 'test investigator', resultCount: 2 });
  });

  it.skipIf(skip)('stores signed deletion receipts once, refuses tampered ones and a second key, and lists them for inspectors', async () => {
    const k = await t.enrollKiosk();
    const key = generateKeyPair().privateKey;
    const pub = publicKeyToBase64url(key);
    const receipt = (n: number, over: Partial<ReceiptBody> = {}, signer = key) =>
      signReceipt(
        { v: 1, type: RECEIPT_TYPE, n, kioskId: k.kioskId, facilityId: k.facilityId, date: '2026-11-23', purgedAt: T0 + n, cutoff: T0 - 28 * DAY_MS, count: 10 * n,
          firstSeq: 1, lastSeq: 10, deletedIdsSha256: 'a'.repeat(64), firstPrevHash: '0'.repeat(64), cutHash: 'b'.repeat(64), nextPrevHash: 'b'.repeat(64), publicKey: pub, ...over },
        signer,
      );
    const stored = async () => (await db.db.selectFrom('deletion_receipts').select('n').where('kiosk_id', '=', k.kioskId).execute()).length;
    const upload = (receipts: unknown[]) => k.request('POST', '/v1/deletion-receipts', { receipts });
    const codeOf = (res: { statusCode: number; json: () => { error: { code: string; message: string } } }) => [res.statusCode, res.json().error.code];

    const r1 = receipt(1);
    const tampered = { body: r1.body.replace('"count":10', '"count":9'), signature: r1.signature };
    expect(codeOf(await upload([tampered]))).toEqual([400, 'RECEIPT_SIGNATURE_INVALID']);
    expect(await stored()).toBe(0);
    // The tampered upload pinned nothing: the real key is still accepted first.
    expect((await upload([r1, receipt(2)])).json()).toEqual({ stored: 2, duplicates: 0 });
    expect((await upload([r1, receipt(2)])).json()).toEqual({ stored: 0, duplicates: 2 });
    // One bad receipt refuses the whole upload: the good one beside it is not stored either.
    const r4 = receipt(4);
    expect(codeOf(await upload([receipt(3), { ...r4, body: r4.body.replace('"n":4', '"n":5') }]))).toEqual([400, 'RECEIPT_SIGNATURE_INVALID']);
    expect(await stored()).toBe(2);
    // A receipt signed by another key, even a valid signature, is refused: the first key is pinned.
    const other = generateKeyPair().privateKey;
    expect(codeOf(await upload([receipt(3, { publicKey: publicKeyToBase64url(other) }, other)]))).toEqual([409, 'RECEIPT_KEY_MISMATCH']);
    // Same number, other content: a conflict, not a silent overwrite.
    expect(codeOf(await upload([receipt(2, { count: 999 })]))).toEqual([409, 'RECEIPT_CONFLICT']);
    // Malformed: not a receipt, unknown field, bad signature shape, too many.
    const sig = r1.signature;
    expect(codeOf(await upload([{ body: '{"v":1}', signature: sig }]))).toEqual([400, 'RECEIPT_INVALID']);
    expect(codeOf(await upload([{ ...r1, extra: 1 }]))).toEqual([400, 'VALIDATION_FAILED']);
    expect(codeOf(await upload([{ body: r1.body, signature: 'x' }]))).toEqual([400, 'VALIDATION_FAILED']);
    expect(codeOf(await upload(Array.from({ length: 101 }, () => r1)))).toEqual([400, 'VALIDATION_FAILED']);
    expect(await stored()).toBe(2);

    const list = (q: string, token = t.investigatorToken) => t.app.inject({ url: `/v1/investigations/deletion-receipts?${q}`, headers: { authorization: `Bearer ${token}` } });
    const res = await list(`facilityId=${k.facilityId}&from=${T0}&to=${T0 + 1000}`);
    expect(res.statusCode, res.body).toBe(200);
    const answer = res.json<{ kioskKeys: Array<{ kioskId: string; publicKey: string }>; receipts: Array<{ kioskId: string; n: number; count: number; body: string; signature: string }> }>();
    expect(answer.kioskKeys).toEqual([{ kioskId: k.kioskId, publicKey: pub }]);
    expect(answer.receipts.map((r) => [r.kioskId, r.n, r.count])).toEqual([
      [k.kioskId, 1, 10],
      [k.kioskId, 2, 20],
    ]);
    // An inspector can check each stored receipt with the listed key.
    expect(answer.receipts.every((r) => receiptSignatureValid(r.body, r.signature, publicKeyFromBase64url(pub)!))).toBe(true);
    expect((await list(`facilityId=${k.facilityId}&from=${T0}&to=${T0 + 1000}`, t.adminToken)).statusCode).toBe(200);
    expect(codeOf(await list(`facilityId=${k.facilityId}&from=${T0}&to=${T0 + 400 * DAY_MS}`))).toEqual([400, 'WINDOW_INVALID']);
    expect(codeOf(await list(`facilityId=${randomUUID()}&from=${T0}&to=${T0 + 1000}`))).toEqual([404, 'FACILITY_NOT_FOUND']);
    const audit = (await t.app.inject({ url: `/v1/admin/audit?from=0&to=${T0 + 1}`, headers: { authorization: `Bearer ${t.adminToken}` } })).json<{ entries: Array<{ action: string }> }>();
    expect(audit.entries.filter((e) => e.action === 'deletion-receipts').length).toBeGreaterThanOrEqual(3);
  });

  it.skipIf(skip)('keeps 28 days: older entries and token uses are purged', async () => {
    const k = await t.enrollKiosk();
    const keep = entry({}, T0);
    await k.request('POST', '/v1/entries', { entries: [keep] });
    const total = await countEntries();
    expect(total).toBeGreaterThan(1);
    clock.set(T0 + 28 * DAY_MS + DAY_MS / 2);
    const res = await t.app.entryStore.purge();
    if (engine === 'pg') expect(res.partitions).toBeGreaterThan(0);
    // Everything scanned before now - 28 days is gone; the newest survive until their day comes.
    const left = await db.db.selectFrom('entries').select('scanned_at').execute();
    expect(left.every((r) => r.scanned_at >= clock() - 28 * DAY_MS)).toBe(true);
    expect(left.length).toBeLessThan(total);
    clock.set(T0 + 30 * DAY_MS);
    await t.app.entryStore.purge();
    expect(await countEntries()).toBe(0);
    // PostgreSQL keeps token ownership in token_uses; SQLite in the entries themselves (migration 0004).
    if (engine === 'pg') expect(Number((await db.db.selectFrom('token_uses').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(0);
    clock.set(T0);
  });
});
