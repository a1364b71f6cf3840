// Runs under vitest. The accounts client against a loopback-free fake of the central API that
// checks requests with the shared schemas and verifies signatures over signingMessage: the wire
// format, the token kept in main, wrong password sending nothing, server errors passed through.
import { X509Certificate, createHash, randomBytes, verify } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CURRENT_CONSENT, loginRequest, signingMessage, signupRequest } from '../../shared/accounts';
import { CodedError } from '../../shared/envelope';
import { silentLogger } from '../log';
import { SKIP_REASON, npkiMaterial } from '../npki/testSupport';
import type { HttpRequest, HttpResponse } from '../sync';
import { createAccountsClient } from './client';
import { createCertificateWallet } from './wallet';

const material = npkiMaterial();
const NOW = Date.parse('2026-11-23T10:00:00Z');
const USER_ID = '0b7c5c1e-2f0a-4c3e-9a51-5c3f1f6a0a01';

/** Just enough of the central API: one audience, single-use nonces, signature checks. */
function fakeApi() {
  const requests: HttpRequest[] = [];
  const nonces = new Map<string, string>();
  const json = (status: number, body: unknown): HttpResponse => ({ status, headers: {}, body: JSON.stringify(body) });
  const checkSig = (purpose: string, nonce: string, certificate: string, signature: string, payload: unknown) => {
    if (nonces.get(nonce) !== purpose) return false;
    nonces.delete(nonce);
    const cert = new X509Certificate(Buffer.from(certificate, 'base64'));
    return verify('sha256', Buffer.from(signingMessage(purpose as 'login', 'test-api', nonce, payload)), cert.publicKey, Buffer.from(signature, 'base64'));
  };
  const session = { token: 'mjs_secret', expiresAt: NOW + 15 * 60_000, user: { id: USER_ID, loginId: 'hong.gildong', name: '홍길동', institutionId: 'seoul-gangnam-clinic', institutionName: '강남 예시의원', status: 'active' }, roles: ['facility_manager'], menus: ['myRoles'] };
  const http = async (req: HttpRequest): Promise<HttpResponse> => {
    requests.push(req);
    const path = new URL(req.url).pathname;
    const body = req.body ? (JSON.parse(req.body) as Record<string, unknown>) : {};
    if (path === '/v1/accounts/challenge') {
      const nonce = randomBytes(32).toString('base64url');
      nonces.set(nonce, String(body.purpose));
      return json(200, { nonce, audience: 'test-api', expiresAt: NOW + 120_000 });
    }
    if (path === '/v1/accounts/login') {
      const r = loginRequest.parse(body);
      const spki = new X509Certificate(Buffer.from(r.certificate, 'base64')).publicKey.export({ type: 'spki', format: 'der' });
      const payload = { loginId: r.loginId, spkiSha256: createHash('sha256').update(spki).digest('hex') };
      if (!checkSig('login', r.nonce, r.certificate, r.signature, payload)) return json(401, { error: { code: 'SIGNATURE_INVALID', message: '서명이 올바르지 않습니다.' } });
      return json(200, session);
    }
    if (path === '/v1/accounts/signup') {
      const r = signupRequest.parse(body);
      const spki = new X509Certificate(Buffer.from(r.certificate, 'base64')).publicKey.export({ type: 'spki', format: 'der' });
      const payload = { consent: r.consent, user: r.user, roles: r.roles, approverId: r.approverId, spkiSha256: createHash('sha256').update(spki).digest('hex') };
      if (!checkSig('signup', r.nonce, r.certificate, r.signature, payload)) return json(401, { error: { code: 'SIGNATURE_INVALID', message: '서명이 올바르지 않습니다.' } });
      return json(200, { userId: USER_ID, status: 'pending', requests: [], approver: { id: 'seoul-gangnam-hc', name: '강남구보건소', phone: '02-3423-5555' } });
    }
    if (path === '/v1/accounts/refresh') {
      if (req.headers.authorization !== 'Bearer mjs_secret') return json(401, { error: { code: 'UNAUTHENTICATED', message: '인증 정보가 없거나 올바르지 않습니다.' } });
      return json(200, { ...session, roles: ['facility_manager', 'health_center_approver'] });
    }
    return json(404, { error: { code: 'NOT_FOUND', message: '요청한 주소를 찾을 수 없습니다.' } });
  };
  return { http, requests };
}

describe.skipIf(!material)(`accounts client${material ? '' : ` (skipped: ${SKIP_REASON})`}`, () => {
  const tmp = mkdtempSync(join(tmpdir(), 'accounts-client-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const root = join(tmp, 'NPKI');
  if (material) cpSync(join(material.root, 'NPKI'), root, { recursive: true });
  const setup = async () => {
    const api = fakeApi();
    const wallet = createCertificateWallet({ clock: () => NOW, platform: 'linux', roots: [{ path: root, location: 'hdd' }] });
    const rows = await wallet.list();
    const ref = (name: string) => rows.find((r) => r.holderName === name)!.ref;
    const client = createAccountsClient({ apiUrl: () => 'http://127.0.0.1:9', http: api.http, wallet, clock: () => NOW, logger: silentLogger });
    return { api, client, ref };
  };
  const codeOf = (p: Promise<unknown>) => p.then(() => 'resolved', (e: unknown) => (e instanceof CodedError ? e.code : String(e)));

  it('signs up with a signature the server can verify over the exact signing message', async () => {
    const { client, ref } = await setup();
    const res = await client.signup({
      certificateRef: ref('홍길동'),
      password: Buffer.from('Test1234!'),
      consent: { version: CURRENT_CONSENT.version, sha256: CURRENT_CONSENT.sha256, agreedAt: NOW },
      user: { name: '홍길동', loginId: 'hong.gildong', institutionId: 'seoul-gangnam-clinic', mobile: '010-1234-5678', officePhone: '02-3423-5555' },
      roles: ['facility_manager'],
      approverId: 'seoul-gangnam-hc',
    });
    expect(res.approver.phone).toBe('02-3423-5555');
  });

  it('a name other than the certificate holder, or a wrong password, sends nothing', async () => {
    const { api, client, ref } = await setup();
    const password = Buffer.from('Test1234!');
    const base = { consent: { version: CURRENT_CONSENT.version, sha256: CURRENT_CONSENT.sha256, agreedAt: NOW }, roles: ['facility_manager' as const], approverId: 'seoul-gangnam-hc' };
    const user = { name: '김철수', loginId: 'hong.gildong', institutionId: 'seoul-gangnam-clinic', mobile: '010-1234-5678', officePhone: '02-3423-5555' };
    expect(await codeOf(client.signup({ ...base, certificateRef: ref('홍길동'), password, user }))).toBe('NAME_MISMATCH');
    expect(password.every((b) => b === 0)).toBe(true);
    expect(await codeOf(client.login({ loginId: 'hong.gildong', certificateRef: ref('홍길동'), password: Buffer.from('nope!') }))).toBe('NPKI_WRONG_PASSWORD');
    expect(api.requests).toHaveLength(0);
  });

  it('logs in, keeps the token in main, and refreshes roles into menus from the permission table', async () => {
    const { api, client, ref } = await setup();
    const view = await client.login({ loginId: 'hong.gildong', certificateRef: ref('홍길동'), password: Buffer.from('Test1234!') });
    expect(JSON.stringify(view)).not.toContain('mjs_secret');
    expect(view.menus).toEqual(['myRoles', 'kioskEnrollment', 'entryLog']);
    const refreshed = await client.me();
    expect(refreshed?.menus).toContain('approvals');
    expect(api.requests.at(-1)?.headers.authorization).toBe('Bearer mjs_secret');
    client.logout();
    expect(await client.me()).toBeNull();
    expect(await codeOf(client.myRoles())).toBe('ACCOUNTS_NOT_SIGNED_IN');
  });

  it('passes server refusals through with their code, and says when no server is configured', async () => {
    const { client, ref } = await setup();
    expect(await codeOf(client.pendingApprovals())).toBe('ACCOUNTS_NOT_SIGNED_IN');
    await client.login({ loginId: 'hong.gildong', certificateRef: ref('홍길동'), password: Buffer.from('Test1234!') });
    expect(await codeOf(client.pendingApprovals())).toBe('NOT_FOUND');
    const wallet = createCertificateWallet({ clock: () => NOW, platform: 'linux', roots: [] });
    const offline = createAccountsClient({ apiUrl: () => null, http: () => Promise.reject(new Error('no')), wallet, clock: () => NOW, logger: silentLogger });
    expect(await codeOf(offline.institutions({ q: '강남' }))).toBe('ACCOUNTS_NO_SERVER');
    const down = createAccountsClient({ apiUrl: () => 'http://127.0.0.1:9', http: () => Promise.reject(new Error('refused')), wallet, clock: () => NOW, logger: silentLogger });
    expect(await codeOf(down.institutions({}))).toBe('ACCOUNTS_NETWORK');
  });
});
