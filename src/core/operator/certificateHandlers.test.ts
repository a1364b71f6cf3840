// Runs in Node (vitest). 공동인증서로 잠금 해제 through the kiosk app's handlers and the dispatcher:
// the shared NPKI test certificates in a real wallet, the real accounts client, and a fake central
// API (no network) that checks each login signature and answers per login id with a role, another
// institution, a refusal or nothing at all. Bad payloads are refused by the contract.
import { X509Certificate, createHash, randomBytes, verify } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AccountRole } from '../../shared/accounts';
import { loginRequest, signingMessage } from '../../shared/accounts';
import { createDispatcher } from '../../shared/dispatch';
import { createKioskApp } from '../app/kiosk';
import type { KioskApp } from '../app/kiosk';
import { fakeClock } from '../clock';
import { memoryLogger } from '../log';
import { SKIP_REASON, npkiMaterial } from '../npki/testSupport';
import type { HttpRequest, HttpResponse } from '../sync';

const material = npkiMaterial();
const NOW = Date.parse('2026-11-23T10:00:00Z');
const HOME = 'facility-example-jongno';
const PIN = '246813';
const PASSWORD = 'Test1234!';

type Account = { roles: AccountRole[]; institutionId: string; status?: 'active' | 'pending' | 'disabled' } | { error: [number, string] };
const ACCOUNTS: Record<string, Account> = {
  'admin.kim': { roles: ['system_admin'], institutionId: 'hc-seoul-jongno' },
  'manager.home': { roles: ['facility_manager'], institutionId: HOME },
  'manager.other': { roles: ['facility_manager'], institutionId: 'facility-example-songpa' },
  'security.lee': { roles: ['clinic_security'], institutionId: HOME },
  'newcomer1': { roles: [], institutionId: HOME, status: 'pending' },
  'stranger1': { error: [401, 'CERT_NOT_REGISTERED'] },
  'stopped1': { error: [403, 'ACCOUNT_DISABLED'] },
  'busy.server': { error: [503, 'UNAVAILABLE'] },
};

/** The central API's challenge and login, nothing else; `down` makes every request fail like a dead network. */
function fakeApi() {
  const nonces = new Set<string>();
  const seen: string[] = [];
  let down = false;
  const json = (status: number, body: unknown): HttpResponse => ({ status, headers: {}, body: JSON.stringify(body) });
  const http = async (req: HttpRequest): Promise<HttpResponse> => {
    if (down) throw new Error('ECONNREFUSED');
    const path = new URL(req.url).pathname;
    seen.push(path);
    const body = req.body ? (JSON.parse(req.body) as Record<string, unknown>) : {};
    if (path === '/v1/accounts/challenge') {
      const nonce = randomBytes(32).toString('base64url');
      nonces.add(nonce);
      return json(200, { nonce, audience: 'test-api', expiresAt: NOW + 120_000 });
    }
    if (path === '/v1/accounts/login') {
      const r = loginRequest.parse(body);
      const cert = new X509Certificate(Buffer.from(r.certificate, 'base64'));
      const spkiSha256 = createHash('sha256').update(cert.publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
      const good = nonces.delete(r.nonce) && verify('sha256', Buffer.from(signingMessage('login', 'test-api', r.nonce, { loginId: r.loginId, spkiSha256 })), cert.publicKey, Buffer.from(r.signature, 'base64'));
      if (!good) return json(401, { error: { code: 'SIGNATURE_INVALID', message: '서명이 올바르지 않습니다.' } });
      const a = ACCOUNTS[r.loginId];
      if (!a) return json(401, { error: { code: 'CERT_NOT_REGISTERED', message: '이 아이디에 등록된 인증서가 아닙니다.' } });
      if ('error' in a) return json(a.error[0], { error: { code: a.error[1], message: '거부되었습니다.' } });
      const user = { id: '6f1c2a9e-0d4b-4a57-9e3c-2b8f7a1d5c44', loginId: r.loginId, name: '홍길동', institutionId: a.institutionId, institutionName: '예시', status: a.status ?? 'active' };
      return json(200, { token: 'mjs_secret', expiresAt: NOW + 15 * 60_000, user, roles: a.roles, menus: ['myRoles'] });
    }
    return json(404, { error: { code: 'NOT_FOUND', message: '없습니다.' } });
  };
  return { http, seen, setDown: (d: boolean) => (down = d) };
}

const apps: KioskApp[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function start() {
  const dir = mkdtempSync(join(tmpdir(), 'munjigi-operator-cert-app-'));
  dirs.push(dir);
  cpSync(join(material!.root, 'NPKI'), join(dir, 'NPKI'), { recursive: true });
  const api = fakeApi();
  const log = memoryLogger();
  const clock = fakeClock(NOW);
  const app = createKioskApp({
    dataDir: join(dir, 'kiosk'),
    demo: false,
    logger: log.logger,
    clock,
    http: api.http,
    accountsApiUrl: 'http://127.0.0.1:9',
    npkiRoots: [{ path: join(dir, 'NPKI'), location: 'hdd' }],
  });
  apps.push(app);
  const dispatch = createDispatcher(app.handlers, log.logger);
  const listed = await dispatch('accounts:certificates', {});
  if (!listed.ok) throw new Error(listed.error.code);
  const rows = (listed.value as { certificates: Array<{ ref: string; holderName: string }> }).certificates;
  const hong = rows.find((c) => c.holderName === '홍길동')!.ref;
  const expired = rows.find((c) => c.holderName === '박영희')!.ref;
  const unlock = (loginId: string, certificateRef = hong, password = PASSWORD) => dispatch('operator:unlockWithCertificate', { loginId, certificateRef, password });
  return { dispatch, api, log, clock, unlock, expired };
}

describe.skipIf(!material)(`operator:unlockWithCertificate${material ? '' : ` (skipped: ${SKIP_REASON})`}`, () => {
  it('opens for 시스템관리자 and the bound institution 시설관리자 only; keeps no staff session; logs no person', async () => {
    const k = await start();
    expect(await k.dispatch('operator:setPin', { pin: PIN })).toMatchObject({ ok: true, value: { institutionId: null } });
    // Not bound yet: a 시설관리자 has no facility to match.
    expect(await k.unlock('manager.home')).toMatchObject({ ok: false, error: { code: 'OPERATOR_CERT_NO_INSTITUTION' } });
    expect(await k.dispatch('operator:bindInstitution', { institutionId: HOME, currentPin: PIN })).toMatchObject({ ok: true, value: { institutionId: HOME } });

    const opened = await k.unlock('manager.home');
    expect(opened).toEqual({ ok: true, value: { unlockedUntil: NOW + 5 * 60_000, role: 'facility_manager' } });
    expect(await k.dispatch('settings:update', { voice: { volume: 0.4, muted: false } })).toMatchObject({ ok: true });
    // The login was a check, not a staff sign-in: no token kept, nothing to refresh.
    expect(await k.dispatch('accounts:me', {})).toEqual({ ok: true, value: null });
    await k.dispatch('operator:lock', {});
    expect(await k.unlock('admin.kim')).toMatchObject({ ok: true, value: { role: 'system_admin' } });
    await k.dispatch('operator:lock', {});

    for (const [loginId, code] of [
      ['manager.other', 'OPERATOR_CERT_OTHER_FACILITY'],
      ['security.lee', 'OPERATOR_CERT_ROLE'],
      ['newcomer1', 'OPERATOR_CERT_ACCOUNT_INACTIVE'],
      ['stranger1', 'CERT_NOT_REGISTERED'],
    ] as const) {
      const refused = await k.unlock(loginId);
      expect(refused, loginId).toMatchObject({ ok: false, error: { code } });
      if (!refused.ok) expect(refused.error.message).toMatch(/[가-힣]/);
    }
    expect(await k.dispatch('settings:update', { voice: { volume: 0.3, muted: false } })).toMatchObject({ ok: false, error: { code: 'OPERATOR_LOCKED' } });
    // Four refusals so far: one more (a disabled account) locks out, and then even 시스템관리자 waits.
    expect(await k.dispatch('operator:status', {})).toMatchObject({ ok: true, value: { attemptsLeft: 1 } });
    expect(await k.unlock('stopped1')).toMatchObject({ ok: false, error: { code: 'ACCOUNT_DISABLED' } });
    const asked = k.api.seen.length;
    expect(await k.unlock('admin.kim')).toMatchObject({ ok: false, error: { code: 'OPERATOR_LOCKED_OUT' } });
    expect(await k.dispatch('operator:unlock', { pin: PIN })).toMatchObject({ ok: false, error: { code: 'OPERATOR_LOCKED_OUT' } });
    expect(k.api.seen.length).toBe(asked);

    const text = JSON.stringify(k.log.lines);
    for (const secret of [PASSWORD, '홍길동', 'manager.home', 'admin.kim', 'mjs_secret', '6f1c2a9e']) expect(text, secret).not.toContain(secret);
    const unlocks = k.log.lines.filter((l) => l.msg === 'operator unlocked' && l.method === 'certificate');
    expect(unlocks.map((l) => l.role)).toEqual(['facility_manager', 'system_admin']);
  });

  it('a wrong password or an expired certificate sends nothing and counts; a dead or failing API says to use the PIN and counts nothing', async () => {
    const k = await start();
    await k.dispatch('operator:setPin', { pin: PIN });
    expect(await k.unlock('admin.kim', undefined, 'Wrong-pass1')).toMatchObject({ ok: false, error: { code: 'NPKI_WRONG_PASSWORD' } });
    expect(await k.unlock('admin.kim', k.expired)).toMatchObject({ ok: false, error: { code: 'ACCOUNTS_CERT_EXPIRED' } });
    expect(k.api.seen).toEqual([]);
    expect(await k.dispatch('operator:status', {})).toMatchObject({ ok: true, value: { attemptsLeft: 3 } });

    k.api.setDown(true);
    const offline = await k.unlock('admin.kim');
    expect(offline).toMatchObject({ ok: false, error: { code: 'OPERATOR_CERT_OFFLINE' } });
    if (!offline.ok) expect(offline.error.message).toContain('PIN');
    k.api.setDown(false);
    expect(await k.unlock('busy.server')).toMatchObject({ ok: false, error: { code: 'OPERATOR_CERT_OFFLINE' } });
    expect(await k.dispatch('operator:status', {})).toMatchObject({ ok: true, value: { attemptsLeft: 3 } });
    // The PIN path is unchanged.
    expect(await k.dispatch('operator:unlock', { pin: PIN })).toMatchObject({ ok: true });
  });

  it('bad payloads are refused by the contract and count nothing', async () => {
    const k = await start();
    await k.dispatch('operator:setPin', { pin: PIN });
    const bad: unknown[] = [
      {},
      { loginId: 'admin.kim', certificateRef: 'AAAAAAAAAAAAAAAA' },
      { loginId: 'admin.kim', certificateRef: 'AAAAAAAAAAAAAAAA', password: '' },
      { loginId: 'admin.kim', certificateRef: 'AAAAAAAAAAAAAAAA', password: 'x'.repeat(257) },
      { loginId: 'admin.kim', certificateRef: '../../etc/passwd', password: PASSWORD },
      { loginId: 'Admin Kim', certificateRef: 'AAAAAAAAAAAAAAAA', password: PASSWORD },
      { loginId: 'admin.kim', certificateRef: 'AAAAAAAAAAAAAAAA', password: PASSWORD, role: 'system_admin' },
      { loginId: 12, certificateRef: 'AAAAAAAAAAAAAAAA', password: PASSWORD },
      null,
      'admin.kim',
    ];
    for (const request of bad) {
      expect(await k.dispatch('operator:unlockWithCertificate', request as never), JSON.stringify(request)).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    }
    for (const request of [{ institutionId: HOME }, { institutionId: 'Bad Id', currentPin: PIN }, { institutionId: 7, currentPin: PIN }, { institutionId: HOME, currentPin: PIN, extra: 1 }, { currentPin: PIN }]) {
      expect(await k.dispatch('operator:bindInstitution', request as never), JSON.stringify(request)).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    }
    // A ref main never listed is the wallet's refusal (and counts: it is a failed unlock).
    expect(await k.unlock('admin.kim', 'AAAAAAAAAAAAAAAA')).toMatchObject({ ok: false, error: { code: 'ACCOUNTS_UNKNOWN_CERTIFICATE' } });
    expect(await k.dispatch('operator:status', {})).toMatchObject({ ok: true, value: { attemptsLeft: 4, institutionId: null } });
    expect(k.api.seen).toEqual([]);
    expect(JSON.stringify(k.log.lines)).not.toContain(PASSWORD);
  });
});
