// Runs in Node (vitest). Every protected route × every credential: only the right credential
// gets through; the others get 401/403 with the error shape, and nothing is stored.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeClock } from '../../src/core/clock';
import { generateKeyPair } from '../../src/core/kp1';
import { signedHeaders } from '../../src/core/sync/requestSignature';
import { openServerDb } from '../../src/server/db/open';
import type { ServerDb } from '../../src/server/db/open';
import type { TestKiosk, TestServer } from '../../src/server/testing';
import { startTestServer } from '../../src/server/testing';

const T0 = Date.UTC(2026, 10, 23, 2, 0, 0);
type Cred = 'none' | 'kiosk' | 'wrongKiosk' | 'unknownKiosk' | 'revokedKiosk' | 'investigator' | 'admin' | 'revokedAdmin';
const CREDS: Cred[] = ['none', 'kiosk', 'wrongKiosk', 'unknownKiosk', 'revokedKiosk', 'investigator', 'admin', 'revokedAdmin'];

interface Route {
  method: 'GET' | 'POST';
  url: () => string;
  body?: () => unknown;
  /** The credential(s) that get through; every other one is refused. */
  needs: Cred | Cred[];
}

describe('route × credential table', () => {
  let dir = '';
  let db: ServerDb;
  let t: TestServer;
  let good: TestKiosk;
  let other: TestKiosk;
  let revoked: TestKiosk;
  let revokedAdminToken = '';
  const clock = fakeClock(T0);
  const entry = () => ({ id: randomUUID(), tokenId: `1:${randomUUID().slice(0, 8)}00000000`, issuer: 1, subject: '01'.repeat(16), scannedAt: T0, issuedAt: T0 / 1000, source: 'wedge' });
  const counts = async () => ({
    entries: (await db.db.selectFrom('entries').select('id').execute()).length,
    facilities: (await db.db.selectFrom('facilities').select('id').execute()).length,
    issuers: (await db.db.selectFrom('issuers').select('code').execute()).length,
    audit: (await db.db.selectFrom('audit_log').select('id').execute()).length,
    codes: (await db.db.selectFrom('enrollment_codes').select('code_hash').execute()).length,
    revokedKiosks: (await db.db.selectFrom('kiosks').select('id').where('status', '=', 'revoked').execute()).length,
    receipts: (await db.db.selectFrom('deletion_receipts').select('n').execute()).length,
    receiptKeys: (await db.db.selectFrom('kiosk_receipt_keys').select('kiosk_id').execute()).length,
  });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'munjigi-authz-'));
    db = await openServerDb({ file: join(dir, 'server.db') });
    t = await startTestServer(db, clock);
    good = await t.enrollKiosk();
    other = await t.enrollKiosk();
    revoked = await t.enrollKiosk();
    await t.app.inject({ method: 'POST', url: `/v1/admin/kiosks/${revoked.kioskId}/revoke`, headers: { authorization: `Bearer ${t.adminToken}` } });
    const { issueApiToken, revokeApiToken } = await import('../../src/server/auth');
    const issued = await issueApiToken(db.db, clock, 'admin', 'former admin');
    await revokeApiToken(db.db, clock, issued.id);
    revokedAdminToken = issued.token;
  });
  afterAll(async () => {
    await t.app.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const routes: Record<string, Route> = {
    'GET /v1/kiosks/me': { method: 'GET', url: () => '/v1/kiosks/me', needs: 'kiosk' },
    'POST /v1/entries': { method: 'POST', url: () => '/v1/entries', body: () => ({ entries: [entry()] }), needs: 'kiosk' },
    'POST /v1/admin/facilities': {
      method: 'POST',
      url: () => '/v1/admin/facilities',
      body: () => ({ name: '새 시설', address: '대구광역시 중구 1', businessNo: '1208147521', jurisdiction: '대구광역시 중구' }),
      needs: 'admin',
    },
    'GET /v1/admin/facilities': { method: 'GET', url: () => '/v1/admin/facilities', needs: 'admin' },
    'POST /v1/admin/facilities/:id/enrollment-codes': { method: 'POST', url: () => `/v1/admin/facilities/${t.facilityId}/enrollment-codes`, needs: 'admin' },
    'GET /v1/admin/facilities/:id/kiosks': { method: 'GET', url: () => `/v1/admin/facilities/${t.facilityId}/kiosks`, needs: 'admin' },
    'POST /v1/admin/kiosks/:id/revoke': { method: 'POST', url: () => `/v1/admin/kiosks/${other.kioskId}/revoke`, needs: 'admin' },
    'POST /v1/admin/issuers': { method: 'POST', url: () => '/v1/admin/issuers', body: () => ({ code: 50 + Math.floor(Math.random() * 200), name: `i${randomUUID().slice(0, 8)}`, displayName: 'x' }), needs: 'admin' },
    'POST /v1/admin/issuers/:code/keys': { method: 'POST', url: () => '/v1/admin/issuers/250/keys', body: () => ({ keyId: 1, publicKey: 'C'.repeat(42) + 'E', notBefore: 0, notAfter: T0 }), needs: 'admin' },
    'POST /v1/admin/issuers/:code/keys/:keyId/revoke': { method: 'POST', url: () => '/v1/admin/issuers/250/keys/1/revoke', needs: 'admin' },
    'GET /v1/admin/audit': { method: 'GET', url: () => `/v1/admin/audit?from=0&to=${T0}`, needs: 'admin' },
    'GET /v1/investigations/facility-visits': { method: 'GET', url: () => `/v1/investigations/facility-visits?facilityId=${t.facilityId}&from=${T0 - 1000}&to=${T0}`, needs: 'investigator' },
    'GET /v1/investigations/subject-visits': { method: 'GET', url: () => `/v1/investigations/subject-visits?issuer=1&subject=${'01'.repeat(16)}&from=${T0 - 1000}&to=${T0}`, needs: 'investigator' },
    'POST /v1/deletion-receipts': { method: 'POST', url: () => '/v1/deletion-receipts', body: () => ({ receipts: [{ body: '{"v":1}', signature: 'A'.repeat(86) }] }), needs: 'kiosk' },
    'GET /v1/investigations/deletion-receipts': {
      method: 'GET',
      url: () => `/v1/investigations/deletion-receipts?facilityId=${t.facilityId}&from=${T0 - 1000}&to=${T0}`,
      needs: ['investigator', 'admin'],
    },
  };

  function headersFor(cred: Cred, method: string, url: string, payload: string): Record<string, string> {
    const sign = (kioskId: string, key: TestKiosk['privateKey']) => signedHeaders({ kioskId, privateKey: key, method, path: url, body: payload, now: clock() });
    switch (cred) {
      case 'none':
        return {};
      case 'kiosk':
        return sign(good.kioskId, good.privateKey);
      case 'wrongKiosk':
        return sign(good.kioskId, other.privateKey);
      case 'unknownKiosk':
        return sign(randomUUID(), generateKeyPair().privateKey);
      case 'revokedKiosk':
        return sign(revoked.kioskId, revoked.privateKey);
      case 'investigator':
        return { authorization: `Bearer ${t.investigatorToken}` };
      case 'admin':
        return { authorization: `Bearer ${t.adminToken}` };
      case 'revokedAdmin':
        return { authorization: `Bearer ${revokedAdminToken}` };
    }
  }

  const cases = Object.entries(routes).flatMap(([name]) => CREDS.map((cred) => [name, cred] as const));

  it.each(cases)('%s with %s', async (name, cred) => {
    const route = routes[name]!;
    const payload = route.body ? JSON.stringify(route.body()) : '';
    const url = route.url();
    const headers = { ...headersFor(cred, route.method, url, payload), ...(route.body ? { 'content-type': 'application/json' } : {}) };
    const before = await counts();
    const res = await t.app.inject({ method: route.method, url, headers, ...(route.body ? { payload } : {}) });
    if ([route.needs].flat().includes(cred)) {
      expect([401, 403], res.body).not.toContain(res.statusCode);
      expect(res.statusCode, res.body).toBeLessThan(500);
    } else {
      expect([401, 403], `${name} ${cred}: ${res.statusCode} ${res.body}`).toContain(res.statusCode);
      const body = res.json<{ error: { code: string; message: string } }>();
      expect(body.error.code).toMatch(/^[A-Z_]+$/);
      expect(body.error.message).toMatch(/[가-힣]/);
      expect(await counts()).toEqual(before);
    }
  });

  it('the public routes need no credential', async () => {
    for (const url of ['/healthz', '/v1/time', '/v1/trust-list', '/openapi.json']) {
      expect((await t.app.inject(url)).statusCode, url).toBe(200);
    }
  });
});
