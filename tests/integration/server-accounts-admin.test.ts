// Runs in Node (vitest). 시스템관리자's institution directory (add, change, deactivate,
// reactivate; every change audited; never deleted), role revocation, the approver's people
// search, and re-binding a renewed certificate (a test-CA-signed renewal of 홍길동's): by the
// old key, and by an approver of the person's 보건소 only. Both engines.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS, fakeClock } from '../../src/core/clock';
import { parseCertificate } from '../../src/core/npki';
import { SKIP_REASON, npkiMaterial, renewCertificate } from '../../src/core/npki/testSupport';
import { CURRENT_CONSENT, signingMessage } from '../../src/shared/accounts';
import { grantRoleDirectly } from '../../src/server/accounts/bootstrap';
import type { ServerDb } from '../../src/server/db/open';
import { postgresSkipReason } from '../support/postgres';
import type { AccountsServer, Person } from './support/accountsServer';
import { accountsRequests, startAccountsServer, unlockPerson } from './support/accountsServer';

const mat = npkiMaterial();
const pgSkip = postgresSkipReason();
const ADMIN_ID = '00000000-0000-4000-8000-00000000ad01';

describe.skipIf(!mat).each([
  { engine: 'sqlite' as const, skip: undefined },
  { engine: 'pg' as const, skip: pgSkip },
])('account administration on $engine', ({ engine, skip }) => {
  if (!mat) it.skip(SKIP_REASON, () => {});
  let server: AccountsServer;
  let db: ServerDb;
  let app: FastifyInstance;
  let hong: Person;
  let kim: Person;
  const clock = fakeClock(0);

  const { post, get, challenge, signB64, code } = accountsRequests(() => app);
  const admin = () => app.sessions.issue({ sub: ADMIN_ID, name: '관리자(sysadmin)', roles: ['system_admin'] }).token;
  const renewed = (p: Person, serialHex: string): Person => {
    const r = renewCertificate({ certDer: p.cert.der, caKeyPem: readFileSync(join(mat!.root, 'ca', 'ca.key.pem'), 'utf8'), serialHex, password: 'x' });
    return { certB64: r.certDer.toString('base64'), cert: parseCertificate(r.certDer), key: r.privateKey };
  };
  const signup = async (p: Person, user: Record<string, unknown>, roles: string[]) => {
    const { nonce, audience } = await challenge('signup');
    const consent = { version: CURRENT_CONSENT.version, sha256: CURRENT_CONSENT.sha256, agreedAt: clock() };
    const fullUser = { mobile: '010-1234-5678', officePhone: '02-3423-5555', ...user };
    const payload = { consent, user: fullUser, roles, approverId: null, spkiSha256: p.cert.spkiSha256 };
    return post('/v1/accounts/signup', { consent, certificate: p.certB64, user: fullUser, roles, nonce, signature: signB64(p, signingMessage('signup', audience, nonce, payload)) });
  };
  const login = async (p: Person, loginId: string) => {
    const { nonce, audience } = await challenge('login');
    return post('/v1/accounts/login', { loginId, certificate: p.certB64, nonce, signature: signB64(p, signingMessage('login', audience, nonce, { loginId, spkiSha256: p.cert.spkiSha256 })) });
  };

  beforeAll(async () => {
    if (skip || !mat) return;
    hong = await unlockPerson(mat, '홍길동');
    kim = await unlockPerson(mat, '김철수');
    clock.set(Math.max(hong.cert.notBefore.getTime(), kim.cert.notBefore.getTime()) + DAY_MS);
    server = await startAccountsServer({ mat, engine, name: 'accounts-admin', clock });
    ({ db, app } = server);
  });
  afterAll(async () => {
    await server?.close();
  });

  it.skipIf(!!skip)('adds, changes, deactivates and reactivates institutions, each change audited, bad input refused with codes', async () => {
    const t = admin();
    const hc = { id: 'hc-gyeonggi-suwon-yeongtong', name: '수원시영통구보건소', kind: 'health_center', sido: '경기도', sigungu: '수원시 영통구', phone: '031-228-8700' };
    const created = await post('/v1/system/institutions', hc, t);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ ...hc, healthCenterId: hc.id, active: true, users: 0 });
    const clinic = { id: 'clinic-suwon-1', name: '영통예시의원', kind: 'clinic', sido: '경기도', sigungu: '수원시 영통구', healthCenterId: hc.id };
    expect((await post('/v1/system/institutions', clinic, t)).statusCode).toBe(201);

    // Refusals, each with its code.
    expect(code(await post('/v1/system/institutions', hc, t))).toBe('INSTITUTION_EXISTS');
    expect(code(await post('/v1/system/institutions', { ...clinic, id: 'clinic-suwon-2' }, t))).toBe('INSTITUTION_EXISTS'); // same name, same place
    expect(code(await post('/v1/system/institutions', { ...clinic, id: 'clinic-suwon-3', name: '다른의원', healthCenterId: undefined }, t))).toBe('HEALTH_CENTER_INVALID');
    expect(code(await post('/v1/system/institutions', { ...clinic, id: 'clinic-suwon-4', name: '또다른의원', healthCenterId: 'hc-seoul-gangnam' }, t))).toBe('HEALTH_CENTER_INVALID'); // another 시도
    expect(code(await post('/v1/system/institutions', { ...clinic, id: 'clinic-suwon-5', name: '세번째의원', healthCenterId: 'clinic-example-gangnam' }, t))).toBe('HEALTH_CENTER_INVALID');
    expect(code(await post('/v1/system/institutions', { ...hc, id: 'hc-x-1', name: '엑스보건소', healthCenterId: 'hc-seoul-gangnam' }, t))).toBe('HEALTH_CENTER_INVALID');
    for (const bad of [{ sido: '경기' }, { sigungu: 'Suwon' }, { kind: 'hospital' }, { id: 'UPPER' }, { name: '<b>x</b>' }, { phone: '12345' }, { extra: 1 }]) {
      const res = await post('/v1/system/institutions', { ...clinic, id: 'clinic-bad-1', name: '나쁜의원', ...bad }, t);
      expect([res.statusCode, code(res)], JSON.stringify(bad)).toEqual([400, 'VALIDATION_FAILED']);
    }
    expect(code(await app.inject({ method: 'POST', url: '/v1/system/institutions', payload: '{', headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' } }))).toBe('BAD_JSON');

    // Change: only what changed is recorded, with before and after; the kind never changes.
    const changed = await post(`/v1/system/institutions/${clinic.id}`, { phone: '031-123-4567', reason: '대표번호 확인' }, t);
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ phone: '031-123-4567' });
    expect(code(await post(`/v1/system/institutions/${clinic.id}`, { kind: 'facility' }, t))).toBe('VALIDATION_FAILED');
    expect(code(await post(`/v1/system/institutions/${clinic.id}`, { reason: '없음' }, t))).toBe('VALIDATION_FAILED');
    expect(code(await post('/v1/system/institutions/no-such-inst', { phone: null }, t))).toBe('INSTITUTION_UNKNOWN');
    expect(code(await post(`/v1/system/institutions/${hc.id}`, { healthCenterId: 'hc-seoul-gangnam' }, t))).toBe('HEALTH_CENTER_INVALID');

    // A 보건소 with institutions under it cannot be deactivated; the clinic can, and disappears from sign-up.
    const blocked = await post(`/v1/system/institutions/${hc.id}/deactivate`, { reason: '통폐합' }, t);
    expect([blocked.statusCode, code(blocked)]).toEqual([409, 'INSTITUTION_IN_USE']);
    expect(code(await post(`/v1/system/institutions/${clinic.id}/deactivate`, {}, t))).toBe('VALIDATION_FAILED');
    expect((await post(`/v1/system/institutions/${clinic.id}/deactivate`, { reason: '폐업' }, t)).json()).toMatchObject({ active: false });
    expect(code(await post(`/v1/system/institutions/${clinic.id}/deactivate`, { reason: '폐업' }, t))).toBe('INSTITUTION_INACTIVE');
    const publicNames = async () => (await get('/v1/accounts/institutions?q=%EC%98%81%ED%86%B5')).json<{ institutions: Array<{ id: string }> }>().institutions.map((i) => i.id);
    expect(await publicNames()).toEqual([hc.id]);
    const adminList = (await get('/v1/system/institutions?q=영통&includeInactive=true', t)).json<{ institutions: Array<{ id: string; active: boolean }> }>().institutions;
    expect(adminList.map((i) => [i.id, i.active]).sort()).toEqual([[clinic.id, false], [hc.id, true]].sort());
    const noInactive = (await get('/v1/system/institutions?q=영통', t)).json<{ institutions: Array<{ id: string }> }>().institutions;
    expect(noInactive.map((i) => i.id)).toEqual([hc.id]);
    // Nobody signs up into a deactivated institution.
    const refused = await signup(hong, { name: '홍길동', loginId: 'hong.suwon', institutionId: clinic.id }, ['facility_manager']);
    expect([refused.statusCode, code(refused)]).toEqual([400, 'INSTITUTION_INACTIVE']);
    // Now the 보건소 can be deactivated; the clinic cannot come back under an inactive 보건소.
    expect((await post(`/v1/system/institutions/${hc.id}/deactivate`, { reason: '통폐합' }, t)).statusCode).toBe(200);
    expect(code(await post(`/v1/system/institutions/${clinic.id}/reactivate`, { reason: '재개업' }, t))).toBe('HEALTH_CENTER_INVALID');
    expect((await post(`/v1/system/institutions/${hc.id}/reactivate`, { reason: '복구' }, t)).json()).toMatchObject({ active: true });
    expect((await post(`/v1/system/institutions/${clinic.id}/reactivate`, { reason: '재개업' }, t)).json()).toMatchObject({ active: true });
    expect(code(await post(`/v1/system/institutions/${clinic.id}/reactivate`, { reason: '재개업' }, t))).toBe('INSTITUTION_ACTIVE');

    const events = (await get(`/v1/system/institutions/${clinic.id}/events`, t)).json<{ events: Array<{ action: string; actorName: string; before: unknown; after: unknown; reason: string | null }> }>().events;
    expect(events.map((e) => e.action)).toEqual(['create', 'update', 'deactivate', 'reactivate']);
    expect(events.every((e) => e.actorName === '관리자(sysadmin)')).toBe(true);
    expect(events[1]).toMatchObject({ before: { phone: null }, after: { phone: '031-123-4567' }, reason: '대표번호 확인' });
    expect(code(await get('/v1/system/institutions/nope-nope/events', t))).toBe('INSTITUTION_UNKNOWN');
    // Nothing was deleted.
    expect(await db.db.selectFrom('institutions').select('id').where('id', 'in', [hc.id, clinic.id]).execute()).toHaveLength(2);
  });

  it.skipIf(!!skip)('re-binds a renewed certificate by the old key or by the person\'s own 보건소 approver, and revokes roles', async () => {
    expect((await signup(kim, { name: '김철수', loginId: 'kimapprover', institutionId: 'hc-seoul-gangnam' }, ['health_center_approver'])).statusCode).toBe(201);
    await grantRoleDirectly(db.db, clock, { loginId: 'kimapprover', role: 'health_center_approver', operator: 'test-ops', reason: '초기 승인자' });
    expect((await signup(hong, { name: '홍길동', loginId: 'hong.gd', institutionId: 'clinic-example-gangnam' }, ['facility_manager'])).statusCode).toBe(201);
    await grantRoleDirectly(db.db, clock, { loginId: 'hong.gd', role: 'facility_manager', operator: 'test-ops', reason: '테스트' });

    // 1. By the old key: both keys sign one message; then the new certificate logs in, the old one no longer does.
    const next = renewed(hong, '7001');
    expect(code(await login(next, 'hong.gd'))).toBe('CERT_NOT_REGISTERED');
    const r = await challenge('rebind');
    const msg = signingMessage('rebind', r.audience, r.nonce, { loginId: 'hong.gd', oldSpkiSha256: hong.cert.spkiSha256, newSpkiSha256: next.cert.spkiSha256 });
    const body = { loginId: 'hong.gd', oldCertificate: hong.certB64, newCertificate: next.certB64, nonce: r.nonce, oldSignature: signB64(hong, msg), newSignature: signB64(next, msg) };
    const forged = await post('/v1/accounts/rebind', { ...body, newSignature: signB64(hong, msg) });
    expect(code(forged)).toBe('SIGNATURE_INVALID');
    const r2 = await challenge('rebind');
    const msg2 = msg.replace(r.nonce, r2.nonce);
    const ok = await post('/v1/accounts/rebind', { ...body, nonce: r2.nonce, oldSignature: signB64(hong, msg2), newSignature: signB64(next, msg2) });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ spkiSha256: next.cert.spkiSha256 });
    expect(code(await post('/v1/accounts/rebind', { ...body, nonce: r2.nonce }))).toBe('NONCE_INVALID'); // single use
    expect(code(await login(hong, 'hong.gd'))).toBe('CERT_NOT_REGISTERED');
    expect((await login(next, 'hong.gd')).json()).toMatchObject({ roles: ['facility_manager'] });

    // 2. By an approver: the person lost the key of `next`; 김철수 (강남구보건소) finds them and binds `third`.
    const third = renewed(hong, '7002');
    const kimToken = (await login(kim, 'kimapprover')).json<{ token: string }>().token;
    const found = (await get('/v1/approvals/users?q=hong', kimToken)).json<{ users: Array<{ id: string; loginId: string; institutionName: string }> }>().users;
    expect(found.map((u) => u.loginId)).toEqual(['hong.gd']);
    expect(code(await get('/v1/approvals/users?q=h', kimToken))).toBe('VALIDATION_FAILED');
    const hongId = found[0]!.id;
    // An approver of another 보건소 neither finds nor re-binds 홍길동.
    const other = app.sessions.issue({ sub: '00000000-0000-4000-8000-00000000ad02', name: '타 보건소', roles: ['health_center_approver'] }).token;
    expect((await get('/v1/approvals/users?q=hong', other)).json()).toEqual({ users: [] });
    expect(code(await post(`/v1/approvals/users/${hongId}/rebind`, { newCertificate: third.certB64, comment: '본인 확인' }, other))).toBe('NOT_YOUR_HEALTH_CENTER');
    expect(code(await post(`/v1/approvals/users/${hongId}/rebind`, { newCertificate: third.certB64 }, kimToken))).toBe('VALIDATION_FAILED');
    expect(code(await post(`/v1/approvals/users/${hongId}/rebind`, { newCertificate: kim.certB64, comment: '본인 확인' }, kimToken))).toBe('NAME_MISMATCH');
    const byApprover = await post(`/v1/approvals/users/${hongId}/rebind`, { newCertificate: third.certB64, comment: '신분증으로 본인 확인' }, kimToken);
    expect(byApprover.statusCode, byApprover.body).toBe(200);
    expect((await login(third, 'hong.gd')).statusCode).toBe(200);

    // 3. 시스템관리자 revokes the role: the next refresh carries fewer roles.
    const hongToken = (await login(third, 'hong.gd')).json<{ token: string }>().token;
    const t = admin();
    expect(code(await post(`/v1/system/users/${hongId}/roles/epidemiologist/revoke`, { reason: '퇴직' }, t))).toBe('ROLE_NOT_HELD');
    expect(code(await post(`/v1/system/users/${hongId}/roles/nope/revoke`, { reason: '퇴직' }, t))).toBe('VALIDATION_FAILED');
    expect(code(await post(`/v1/system/users/${ADMIN_ID}/roles/system_admin/revoke`, { reason: '실수' }, t))).toBe('SELF_CHANGE');
    expect(code(await post('/v1/system/users/00000000-0000-4000-8000-0000000000ff/roles/facility_manager/revoke', { reason: '퇴직' }, t))).toBe('USER_NOT_FOUND');
    const revoked = await post(`/v1/system/users/${hongId}/roles/facility_manager/revoke`, { reason: '퇴직' }, t);
    expect(revoked.json()).toEqual({ userId: hongId, role: 'facility_manager', roles: [] });
    expect((await post('/v1/accounts/refresh', {}, hongToken)).json()).toMatchObject({ roles: [], menus: ['myRoles'] });
    const audit = await db.db.withTables<{ user_role_events: { user_id: string; action: string; actor_id: string; reason: string } }>().selectFrom('user_role_events').selectAll().execute();
    expect(audit).toEqual([expect.objectContaining({ user_id: hongId, action: 'revoke', actor_id: ADMIN_ID, reason: '퇴직' })]);
  });
});
