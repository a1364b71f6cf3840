// Runs in Node (vitest). Every person route × every role, derived from ROUTE_PERMISSIONS (the
// same table that decides the app's menus): no session → 401, a role without the permission →
// 403 FORBIDDEN, a role with it gets past the gate. Also forged and expired sessions → 401.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeClock } from '../../src/core/clock';
import { silentLogger } from '../../src/core/log';
import type { AccountRole, AccountRoute } from '../../src/shared/accounts';
import { ROLES, ROUTE_PERMISSIONS, SESSION_TTL_MS, allows } from '../../src/shared/accounts';
import { createServer } from '../../src/server/app';
import { createCertificateChecker } from '../../src/server/accounts/certificates';
import { createAccountsService } from '../../src/server/accounts/service';
import { loadSessionKeys } from '../../src/server/accounts/sessions';
import { openServerDb } from '../../src/server/db/open';
import type { ServerDb } from '../../src/server/db/open';
import { sitescanRoutes } from '../../src/server/sitescan-service';

const T0 = Date.UTC(2026, 10, 24, 2, 0, 0);
const SOME_ID = '00000000-0000-4000-8000-0000000000aa';
type Who = 'none' | 'noRole' | AccountRole;
const WHO: Who[] = ['none', 'noRole', ...ROLES];

function request(route: AccountRoute) {
  const [method, pattern] = route.split(' ') as ['GET' | 'POST', string];
  let url = pattern.replace(':requestId', SOME_ID).replace(':userId', SOME_ID).replace(':institutionId', 'hc-seoul-gangnam').replace(':role', 'facility_manager').replace(':siteId', SOME_ID).replace(':resultId', 'r1');
  // Query strings valid for the routes' own schemas, so the gate is what answers.
  if (url === '/v1/investigations/facility-visits' || url === '/v1/investigations/deletion-receipts') url += `?facilityId=${SOME_ID}&from=${T0 - 1000}&to=${T0}`;
  if (url === '/v1/approvals/users') url += '?q=hong';
  if (url === '/v1/investigations/subject-visits') url += `?issuer=1&subject=${'01'.repeat(16)}&from=${T0 - 1000}&to=${T0}`;
  return { method, url };
}

describe('person route × role table (from ROUTE_PERMISSIONS)', () => {
  let dir = '';
  let db: ServerDb;
  let app: FastifyInstance;
  const clock = fakeClock(T0);
  const token = (who: Who) => (who === 'none' ? undefined : app.sessions.issue({ sub: SOME_ID, name: `test ${who}`, roles: who === 'noRole' ? [] : [who] }).token);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'munjigi-acct-table-'));
    db = await openServerDb({ file: join(dir, 'server.db') });
    // The homepage-security routes are a plugin (on when mail is configured); their mailer is never reached here.
    const mailer = { send: async () => Promise.reject(new Error('no mail in this test')) };
    app = await createServer({ db, clock, logger: silentLogger, plugins: [sitescanRoutes({ db: db.db, clock, mailer, logger: silentLogger })] });
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const cases = (Object.keys(ROUTE_PERMISSIONS) as AccountRoute[]).flatMap((route) => WHO.map((who) => ({ route, who })));
  it.each(cases)('$route as $who', async ({ route, who }) => {
    const { method, url } = request(route);
    const t = token(who);
    const res = await app.inject({ method, url, headers: t ? { authorization: `Bearer ${t}` } : {}, ...(method === 'POST' ? { payload: {} } : {}) });
    const code = res.json<{ error?: { code: string } }>().error?.code;
    if (who === 'none') expect([res.statusCode, code]).toEqual([401, 'UNAUTHENTICATED']);
    else if (!allows(who === 'noRole' ? [] : [who], ROUTE_PERMISSIONS[route])) expect([res.statusCode, code]).toEqual([403, 'FORBIDDEN']);
    else {
      expect(res.statusCode, res.body).not.toBe(401);
      expect(code, res.body).not.toBe('FORBIDDEN');
    }
  });

  it('a forged, tampered or expired session is 401', async () => {
    const good = token('epidemiologist')!;
    const { url } = request('GET /v1/investigations/facility-visits');
    const tampered = good.replace(/\.(.)/, (_m, c: string) => `.${c === 'A' ? 'B' : 'A'}`);
    const [body, mac] = good.slice(4).split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as { roles: string[] };
    claims.roles = ['system_admin'];
    const escalated = `mjs_${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${mac}`;
    for (const t of [tampered, escalated, 'mjs_x.y', 'Bearer']) {
      const res = await app.inject({ method: 'GET', url: '/v1/accounts/me', headers: { authorization: `Bearer ${t}` } });
      expect(res.statusCode, t.slice(0, 12)).toBe(401);
    }
    // Valid: past the gate (no such facility here → 404, and the query is audited under the person).
    expect((await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${good}` } })).statusCode).toBe(404);
    // (The table above also audited 시스템관리자 reading deletion receipts; this checks the epidemiologist's query.)
    const audit = await db.db.selectFrom('audit_log').select(['actor_id', 'actor_name']).where('action', '=', 'facility-visits').execute();
    expect(audit.length).toBeGreaterThan(0);
    expect(audit.every((a) => a.actor_id === SOME_ID && a.actor_name === 'test epidemiologist')).toBe(true);
    clock.advance(SESSION_TTL_MS);
    expect((await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${good}` } })).statusCode).toBe(401);
  });
});

describe('challenge flood', () => {
  it('caps unexpired nonces with 429 TOO_MANY_CHALLENGES and recovers when they expire', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'munjigi-acct-flood-'));
    const db = await openServerDb({ file: join(dir, 'server.db') });
    const clock = fakeClock(T0);
    try {
      const service = createAccountsService({
        db: db.db,
        clock,
        logger: silentLogger,
        checker: createCertificateChecker({ anchors: [], clock }),
        sessions: await loadSessionKeys(db.db, clock),
        audience: 'test',
        maxOpenNonces: 5,
      });
      for (let i = 0; i < 5; i++) await service.challenge('login');
      await expect(service.challenge('login')).rejects.toMatchObject({ code: 'TOO_MANY_CHALLENGES', status: 429 });
      clock.advance(3 * 60 * 1000);
      await expect(service.challenge('login')).resolves.toMatchObject({ audience: 'test' });
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
