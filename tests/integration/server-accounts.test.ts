// Runs in Node (vitest). Staff accounts on the central API over both engines, with the shared
// NPKI test material: sign-up → approval → role → login carries it; every refusal (corporate,
// expired, revoked by a CA-signed CRL, wrong key, replayed or expired nonce, name mismatch,
// self-approval, another 보건소); the 30-day expiry; and re-binding a renewed certificate.
import { createPrivateKey, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS, fakeClock } from '../../src/core/clock';
import { parseCertificate } from '../../src/core/npki';
import type { NpkiCertificate } from '../../src/core/npki';
import { SKIP_REASON, der, npkiMaterial } from '../../src/core/npki/testSupport';
import { CURRENT_CONSENT, NONCE_TTL_MS, ROLE_REQUEST_TTL_MS, SESSION_TTL_MS, signingMessage } from '../../src/shared/accounts';
import { grantRoleDirectly } from '../../src/server/accounts/bootstrap';
import { loadCertificates } from '../../src/server/accounts/certificates';
import type { ServerDb } from '../../src/server/db/open';
import { createServer } from '../../src/server/app';
import type { FastifyInstance } from 'fastify';
import { silentLogger } from '../../src/core/log';
import { postgresSkipReason } from '../support/postgres';
import type { AccountsServer, Person } from './support/accountsServer';
import { accountsRequests, startAccountsServer, testAccountsPolicy, unlockPerson } from './support/accountsServer';

const mat = npkiMaterial();
const pgSkip = postgresSkipReason();

/** A CRL signed by the test CA key that lists `serials`. */
function crlListing(ca: NpkiCertificate, caKey: KeyObject, serials: string[], thisUpdate: Date, nextUpdate: Date): Buffer {
  const sha256Rsa = der.seq(der.oid('1.2.840.113549.1.1.11'), Buffer.from('0500', 'hex'));
  const revoked = serials.map((s) => der.seq(der.int(s), der.utcTime(thisUpdate)));
  const tbs = der.seq(der.int('01'), sha256Rsa, ca.subject.der, der.utcTime(thisUpdate), der.utcTime(nextUpdate), der.seq(...revoked));
  return der.seq(tbs, sha256Rsa, der.tlv(0x03, Buffer.from([0]), sign('sha256', tbs, caKey)));
}

describe.skipIf(!mat).each([
  { engine: 'sqlite' as const, skip: undefined },
  { engine: 'pg' as const, skip: pgSkip },
])('accounts on $engine', ({ engine, skip }) => {
  if (!mat) it.skip(SKIP_REASON, () => {});
  let server: AccountsServer;
  let db: ServerDb;
  let app: FastifyInstance;
  let hong: Person;
  let kim: Person;
  let corp: Person;
  let expired: Person;
  let caCert: NpkiCertificate;
  let caKey: KeyObject;
  const clock = fakeClock(0);
  const { post, get, challenge, signB64, code } = accountsRequests(() => app);

  const signupBody = async (p: Person, user: Record<string, unknown>, roles: string[], opts: { approverId?: string; signer?: Person } = {}) => {
    const { nonce, audience } = await challenge('signup');
    const consent = { version: CURRENT_CONSENT.version, sha256: CURRENT_CONSENT.sha256, agreedAt: clock() };
    const fullUser = { mobile: '010-1234-5678', officePhone: '02-3423-5555', ...user };
    const payload = { consent, user: fullUser, roles, approverId: opts.approverId ?? null, spkiSha256: p.cert.spkiSha256 };
    const signature = signB64(opts.signer ?? p, signingMessage('signup', audience, nonce, payload));
    return { consent, certificate: p.certB64, user: fullUser, roles, ...(opts.approverId ? { approverId: opts.approverId } : {}), nonce, signature };
  };
  const login = async (p: Person, loginId: string, signer: Person = p) => {
    const { nonce, audience } = await challenge('login');
    const signature = signB64(signer, signingMessage('login', audience, nonce, { loginId, spkiSha256: p.cert.spkiSha256 }));
    return post('/v1/accounts/login', { loginId, certificate: p.certB64, nonce, signature });
  };

  beforeAll(async () => {
    if (skip || !mat) return;
    hong = await unlockPerson(mat, '홍길동');
    kim = await unlockPerson(mat, '김철수');
    corp = await unlockPerson(mat, '(주)');
    expired = await unlockPerson(mat, (i) => i.expired);
    clock.set(Math.max(hong.cert.notBefore.getTime(), kim.cert.notBefore.getTime()) + DAY_MS);
    caCert = parseCertificate(readFileSync(mat.intermediate).toString('latin1').includes('BEGIN') ? loadCertificates([mat.intermediate])[0]!.der : readFileSync(mat.intermediate));
    caKey = createPrivateKey(readFileSync(join(mat.root, 'ca', 'ca.key.pem')));
    server = await startAccountsServer({ mat, engine, name: 'accounts', clock });
    ({ db, app } = server);
  });
  afterAll(async () => {
    await server?.close();
  });

  it.skipIf(!!skip)('serves the consent text, its hash, and the 서울 보건소 directory', async () => {
    expect((await get('/v1/accounts/consent')).json()).toEqual({ version: CURRENT_CONSENT.version, sha256: CURRENT_CONSENT.sha256, text: CURRENT_CONSENT.text });
    const hcs = (await get('/v1/accounts/institutions?kind=health_center')).json<{ institutions: Array<{ name: string }> }>().institutions;
    expect(hcs.length).toBeGreaterThanOrEqual(25);
    expect(hcs.map((h) => h.name)).toContain('강남구보건소');
    expect(code(await get('/v1/accounts/institutions?kind=hospital'))).toBe('VALIDATION_FAILED');
    const search = async (q: string) => (await get(`/v1/accounts/institutions?q=${encodeURIComponent(q)}`)).json<{ institutions: Array<{ name: string }> }>().institutions.map((i) => i.name);
    expect(await search('강남')).toEqual(expect.arrayContaining(['강남구보건소', '예시내과의원']));
    expect(await search('%')).toEqual([]);
    expect(await search('_')).toEqual([]);
  });

  it.skipIf(!!skip)('refuses corporate, expired, wrong-key, name-mismatch, outdated consent and replayed nonces at sign-up', async () => {
    const user = (name: string, loginId: string) => ({ name, loginId, institutionId: 'clinic-example-gangnam' });
    const corpRes = await post('/v1/accounts/signup', await signupBody(corp, user('홍길동', 'corpuser1'), ['facility_manager']));
    expect([corpRes.statusCode, code(corpRes)]).toEqual([403, 'CERT_CORPORATE']);
    const expRes = await post('/v1/accounts/signup', await signupBody(expired, user(expired.cert.holderName, 'expuser1'), ['facility_manager']));
    expect(code(expRes)).toBe('CERT_EXPIRED');
    const wrongKey = await post('/v1/accounts/signup', await signupBody(hong, user('홍길동', 'hongwrong'), ['facility_manager'], { signer: kim }));
    expect([wrongKey.statusCode, code(wrongKey)]).toEqual([401, 'SIGNATURE_INVALID']);
    expect(code(await post('/v1/accounts/signup', await signupBody(hong, user('홍길순', 'hongname'), ['facility_manager'])))).toBe('NAME_MISMATCH');
    const old = await signupBody(hong, user('홍길동', 'hongold1'), ['facility_manager']);
    expect(code(await post('/v1/accounts/signup', { ...old, consent: { ...old.consent, sha256: '0'.repeat(64) } }))).toBe('CONSENT_OUTDATED');
    expect(code(await post('/v1/accounts/signup', await signupBody(hong, user('홍길동', 'hongrole'), ['epidemiologist'])))).toBe('ROLE_NOT_AVAILABLE');
    expect(code(await post('/v1/accounts/signup', await signupBody(hong, user('홍길동', 'hongappr'), ['facility_manager'], { approverId: 'clinic-example-mapo' })))).toBe('APPROVER_INVALID');
    // Bad fields each get VALIDATION_FAILED with the field named.
    for (const bad of [{ mobile: '01012345678' }, { officePhone: '099-123-4567' }, { loginId: 'X' }]) {
      const body = await signupBody(hong, { ...user('홍길동', 'hongfield'), ...bad }, ['facility_manager']);
      const res = await post('/v1/accounts/signup', body);
      expect(code(res), JSON.stringify(bad)).toBe('VALIDATION_FAILED');
    }
    expect(code(await app.inject({ method: 'POST', url: '/v1/accounts/signup', payload: 'nope', headers: { 'content-type': 'application/json' } }))).toBe('BAD_JSON');
    // A nonce is single use and lives two minutes.
    const body = await signupBody(hong, user('홍길동', 'hongnonce'), ['facility_manager']);
    clock.advance(NONCE_TTL_MS + 1);
    expect(code(await post('/v1/accounts/signup', body))).toBe('NONCE_INVALID');
    expect(await db.db.selectFrom('users').select('id').execute()).toEqual([]);
  });

  it.skipIf(!!skip)('sign-up → approval by the jurisdictional 보건소 → login carries the role and its menus', async () => {
    // 김철수 is the 강남구보건소 approver, made approver by the operator bootstrap.
    const kimSignup = await post('/v1/accounts/signup', await signupBody(kim, { name: '김철수', loginId: 'kimapprover', institutionId: 'hc-seoul-gangnam' }, ['health_center_approver']));
    expect(kimSignup.statusCode, kimSignup.body).toBe(201);
    await grantRoleDirectly(db.db, clock, { loginId: 'kimapprover', role: 'health_center_approver', operator: 'test-ops', reason: '초기 승인자 지정' });

    const res = await post('/v1/accounts/signup', await signupBody(hong, { name: '홍길동', loginId: 'hong.gd', institutionId: 'clinic-example-gangnam', department: '원무과' }, ['facility_manager', 'clinic_security']));
    expect(res.statusCode, res.body).toBe(201);
    const signed = res.json<{ status: string; approver: { id: string; name: string }; requests: Array<{ id: string; role: string; state: string }> }>();
    expect(signed.status).toBe('pending');
    expect(signed.approver).toMatchObject({ id: 'hc-seoul-gangnam', name: '강남구보건소' });
    expect(signed.requests.map((r) => r.state)).toEqual(['pending', 'pending']);
    const again = await post('/v1/accounts/signup', await signupBody(hong, { name: '홍길동', loginId: 'hong.other', institutionId: 'clinic-example-gangnam' }, ['facility_manager']));
    expect(code(again)).toBe('CERT_IN_USE');

    // Before approval: login works, only 권한/부가정보.
    const first = await login(hong, 'hong.gd');
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ roles: [], menus: ['myRoles'], user: { status: 'pending', institutionName: '예시내과의원' } });
    const hongToken = first.json<{ token: string }>().token;
    expect(code(await get('/v1/approvals/role-requests?state=pending', hongToken))).toBe('FORBIDDEN');

    const kimToken = (await login(kim, 'kimapprover')).json<{ token: string }>().token;
    const list = (await get('/v1/approvals/role-requests?state=pending', kimToken)).json<{ requests: Array<{ id: string; role: string; requester: { name: string } }> }>();
    expect(list.requests.map((r) => [r.role, r.requester.name])).toEqual(
      expect.arrayContaining([
        ['facility_manager', '홍길동'],
        ['clinic_security', '홍길동'],
      ]),
    );
    expect(list.requests.some((r) => r.role === 'health_center_approver')).toBe(false); // decided by a system admin
    const fm = list.requests.find((r) => r.role === 'facility_manager')!;
    const cs = list.requests.find((r) => r.role === 'clinic_security')!;
    expect(code(await post(`/v1/approvals/role-requests/${cs.id}/decision`, { decision: 'reject', comment: '' }, kimToken))).toBe('VALIDATION_FAILED');
    const approved = await post(`/v1/approvals/role-requests/${fm.id}/decision`, { decision: 'approve', comment: '재직 확인' }, kimToken);
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ request: { state: 'approved', comment: '재직 확인' } });
    expect(code(await post(`/v1/approvals/role-requests/${fm.id}/decision`, { decision: 'reject', comment: '중복' }, kimToken))).toBe('ROLE_REQUEST_NOT_PENDING');
    await post(`/v1/approvals/role-requests/${cs.id}/decision`, { decision: 'reject', comment: '의료기관 보안담당자 지정 공문 필요' }, kimToken);

    // The old session still carries no role; a refresh or a new login carries the grant.
    expect(first.json<{ roles: string[] }>().roles).toEqual([]);
    const refreshed = await post('/v1/accounts/refresh', {}, hongToken);
    expect(refreshed.json()).toMatchObject({ roles: ['facility_manager'], menus: ['myRoles', 'kioskEnrollment', 'entryLog'], user: { status: 'active' } });
    const second = await login(hong, 'hong.gd');
    expect(second.json()).toMatchObject({ roles: ['facility_manager'] });

    const mine = (await get('/v1/accounts/me/roles', hongToken)).json<{ roles: Array<{ role: string; status: string; requestable: boolean }> }>();
    expect(mine.roles.find((r) => r.role === 'facility_manager')!.status).toBe('held');
    expect(mine.roles.find((r) => r.role === 'clinic_security')).toMatchObject({ status: 'available', requestable: true });
    expect(mine.roles.find((r) => r.role === 'epidemiologist')).toMatchObject({ requestable: false });

    // Audit trail: request → reject with the reason, who and when.
    const detail = (await get(`/v1/approvals/role-requests/${cs.id}`, kimToken)).json<{ audit: Array<{ action: string; actorName: string; comment: string | null }> }>();
    expect(detail.audit.map((a) => [a.action, a.actorName])).toEqual([
      ['request', '홍길동(hong.gd)'],
      ['reject', '김철수(kimapprover)'],
    ]);
    const evidence = await db.db.selectFrom('role_requests').select(['signed_message', 'signature']).where('id', '=', cs.id).executeTakeFirstOrThrow();
    expect(evidence.signed_message).toMatch(/^MUNJIGI-ACCOUNTS-1\nsignup\nmunjigi-test\n/);

    // Request more, cancel, and an approver never decides their own request.
    const ask = async (roles: string[], token: string, p: Person, userId: string) => {
      const { nonce, audience } = await challenge('role-request');
      const signature = signB64(p, signingMessage('role-request', audience, nonce, { roles, approverId: null, userId }));
      return post('/v1/accounts/me/role-requests', { roles, nonce, signature }, token);
    };
    const hongId = second.json<{ user: { id: string } }>().user.id;
    const more = await ask(['clinic_security'], hongToken, hong, hongId);
    expect(more.statusCode, more.body).toBe(201);
    expect(code(await ask(['clinic_security'], hongToken, hong, hongId))).toBe('ROLE_REQUEST_PENDING');
    expect(code(await ask(['facility_manager'], hongToken, hong, hongId))).toBe('ROLE_ALREADY_HELD');
    const moreId = more.json<{ requests: Array<{ id: string }> }>().requests[0]!.id;
    expect(code(await post(`/v1/accounts/me/role-requests/${moreId}/cancel`, {}, kimToken))).toBe('ROLE_REQUEST_NOT_FOUND');
    expect((await post(`/v1/accounts/me/role-requests/${moreId}/cancel`, {}, hongToken)).json()).toMatchObject({ request: { state: 'cancelled' } });

    const kimId = (await login(kim, 'kimapprover')).json<{ user: { id: string } }>().user.id;
    const own = await ask(['epidemiologist'], kimToken, kim, kimId);
    expect(own.statusCode, own.body).toBe(201);
    const ownId = own.json<{ requests: Array<{ id: string }> }>().requests[0]!.id;
    expect(code(await post(`/v1/approvals/role-requests/${ownId}/decision`, { decision: 'approve', comment: '' }, kimToken))).toBe('SELF_APPROVAL');

    // A 마포구 approver (a session for that 보건소) cannot decide a 강남구 request.
    const other = app.sessions.issue({ sub: '00000000-0000-4000-8000-000000000001', name: 'x', roles: ['health_center_approver'] }).token;
    expect((await get('/v1/approvals/role-requests?state=pending', other)).json()).toEqual({ requests: [] });
    expect(code(await post(`/v1/approvals/role-requests/${ownId}/decision`, { decision: 'approve', comment: '' }, other))).toBe('NOT_YOUR_HEALTH_CENTER');

    // 30 days later the pending request expires, with an event; it can no longer be approved.
    clock.advance(ROLE_REQUEST_TTL_MS + 1);
    expect(await app.accounts.expirePending()).toBe(1);
    expect((await db.db.selectFrom('role_requests').select('state').where('id', '=', ownId).executeTakeFirstOrThrow()).state).toBe('expired');
    const events = await db.db.selectFrom('role_request_events').select('action').where('request_id', '=', ownId).execute();
    expect(events.map((e) => e.action)).toEqual(['request', 'expire']);
    // Sessions are short: the old token is refused after 15 minutes.
    expect(SESSION_TTL_MS).toBe(15 * 60 * 1000);
    expect(code(await get('/v1/accounts/me', hongToken))).toBe('UNAUTHENTICATED');
  });

  it.skipIf(!!skip)('login refuses wrong keys, unregistered certificates, replayed nonces, revoked certificates and (fail-closed) an unreachable CRL', async () => {
    expect(code(await login(hong, 'hong.gd', kim))).toBe('SIGNATURE_INVALID');
    expect(code(await login(kim, 'hong.gd'))).toBe('CERT_NOT_REGISTERED');
    expect(code(await login(corp, 'hong.gd'))).toBe('CERT_CORPORATE');
    const { nonce, audience } = await challenge('login');
    const body = { loginId: 'hong.gd', certificate: hong.certB64, nonce, signature: signB64(hong, signingMessage('login', audience, nonce, { loginId: 'hong.gd', spkiSha256: hong.cert.spkiSha256 })) };
    expect((await post('/v1/accounts/login', body)).statusCode).toBe(200);
    expect(code(await post('/v1/accounts/login', body))).toBe('NONCE_INVALID');
    // A nonce issued for sign-up cannot log in.
    const s = await challenge('signup');
    expect(code(await post('/v1/accounts/login', { ...body, nonce: s.nonce }))).toBe('NONCE_INVALID');

    // Revoked: the CA publishes a new CRL listing 홍길동's serial. The cached one is used until its nextUpdate.
    const now = new Date(clock());
    const fetchesBefore = server.crl.fetches;
    server.crl.body = crlListing(caCert, caKey, [hong.cert.serial], new Date(now.getTime() - 60_000), new Date(now.getTime() + DAY_MS));
    expect((await login(hong, 'hong.gd')).statusCode).toBe(200); // cached CRL (nextUpdate far off) still says good
    expect(server.crl.fetches).toBe(fetchesBefore);
    // A fresh server (no CRL cache yet) over the same database: logs 홍길동 in and answers.
    const loginOnFreshServer = async () => {
      const fresh = await createServer({
        db,
        clock,
        logger: silentLogger,
        accounts: testAccountsPolicy(mat!, server.crl),
      });
      try {
        const c = (await fresh.inject({ method: 'POST', url: '/v1/accounts/challenge', payload: { purpose: 'login' } })).json<{ nonce: string; audience: string }>();
        const signature = signB64(hong, signingMessage('login', c.audience, c.nonce, { loginId: 'hong.gd', spkiSha256: hong.cert.spkiSha256 }));
        const res = await fresh.inject({ method: 'POST', url: '/v1/accounts/login', payload: { loginId: 'hong.gd', certificate: hong.certB64, nonce: c.nonce, signature } });
        return [res.statusCode, code(res)];
      } finally {
        await fresh.close();
      }
    };
    expect(await loginOnFreshServer()).toEqual([403, 'CERT_REVOKED']);
    // A CRL signed by someone else is not believed: no usable CRL, so refused (fail-closed), not passed.
    const rootKey = createPrivateKey(readFileSync(join(mat!.root, 'ca', 'root.key.pem')));
    server.crl.body = crlListing(caCert, rootKey, [], new Date(now.getTime() - 60_000), new Date(now.getTime() + DAY_MS));
    expect(await loginOnFreshServer()).toEqual([503, 'CRL_UNAVAILABLE']);

    // Re-binding: the new certificate must carry the same holder and both keys must sign.
    const r = await challenge('rebind');
    const rebindMsg = signingMessage('rebind', r.audience, r.nonce, { loginId: 'hong.gd', oldSpkiSha256: hong.cert.spkiSha256, newSpkiSha256: kim.cert.spkiSha256 });
    server.crl.body = readFileSync(mat!.crl);
    const rebind = await post('/v1/accounts/rebind', { loginId: 'hong.gd', oldCertificate: hong.certB64, newCertificate: kim.certB64, nonce: r.nonce, oldSignature: signB64(hong, rebindMsg), newSignature: signB64(kim, rebindMsg) });
    expect(code(rebind)).toBe('NAME_MISMATCH');
    const r2 = await challenge('rebind');
    const wrongOld = await post('/v1/accounts/rebind', { loginId: 'hong.gd', oldCertificate: kim.certB64, newCertificate: kim.certB64, nonce: r2.nonce, oldSignature: 'AAAA', newSignature: 'AAAA' });
    expect(code(wrongOld)).toBe('CERT_NOT_REGISTERED');

    // Past nextUpdate the cache is refreshed; when the CRL cannot be had, login is refused (fail-closed).
    server.crl.body = readFileSync(mat!.crl);
    server.crl.down = true;
    clock.advance(11 * 365 * DAY_MS);
    expect(code(await login(hong, 'hong.gd'))).toMatch(/CRL_UNAVAILABLE|CERT_EXPIRED/);
    server.crl.down = false;
  });
});
