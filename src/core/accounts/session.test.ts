// Runs under vitest. The staff session in main over time, with a fake clock and hand-moved
// timers: refresh before expiry, new roles pushed as 'roles-changed', a disabled account or a
// revoked session signed out with a Korean message, network trouble retried until the token
// runs out, logout racing a refresh, stop() on quit; and 인증서 갱신 등록 (old + renewed key).
import { X509Certificate, createHash, randomBytes, verify } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SESSION_TTL_MS, loginRequest, rebindRequest, signingMessage } from '../../shared/accounts';
import { CodedError } from '../../shared/envelope';
import { fakeClock } from '../clock';
import { silentLogger } from '../log';
import { SKIP_REASON, npkiMaterial, renewCertificate } from '../npki/testSupport';
import type { HttpRequest, HttpResponse } from '../sync';
import type { SessionChange } from './client';
import { REFRESH_MARGIN_MS, REFRESH_RETRY_MS, createAccountsClient } from './client';
import { createCertificateWallet } from './wallet';

const material = npkiMaterial();
const NOW = Date.parse('2026-11-23T10:00:00Z');
const USER = { id: '0b7c5c1e-2f0a-4c3e-9a51-5c3f1f6a0a01', loginId: 'hong.gildong', name: '홍길동', institutionId: 'clinic-example-gangnam', institutionName: '예시내과의원', status: 'active' };
const spkiOf = (certB64: string) => createHash('sha256').update(new X509Certificate(Buffer.from(certB64, 'base64')).publicKey.export({ type: 'spki', format: 'der' })).digest('hex');

/** Timers moved by hand together with the fake clock. */
function handTimers(clock: ReturnType<typeof fakeClock>) {
  const due: Array<{ at: number; fn: () => void; id: number }> = [];
  let next = 1;
  return {
    setTimeout: (fn: () => void, ms: number) => {
      due.push({ at: clock() + ms, fn, id: next });
      return next++;
    },
    clearTimeout: (h: unknown) => {
      const i = due.findIndex((t) => t.id === h);
      if (i >= 0) due.splice(i, 1);
    },
    pending: () => due.map((t) => t.at - clock()),
    /** Moves the clock, running due timers in order, and lets their promises settle. */
    async advance(ms: number) {
      const end = clock() + ms;
      for (;;) {
        due.sort((a, b) => a.at - b.at);
        const t = due[0];
        if (!t || t.at > end) break;
        due.shift();
        clock.set(t.at);
        t.fn();
        for (let i = 0; i < 20; i++) await Promise.resolve();
        await new Promise((r) => setImmediate(r));
      }
      clock.set(end);
    },
  };
}

describe.skipIf(!material)(`staff session refresh and re-bind${material ? '' : ` (skipped: ${SKIP_REASON})`}`, () => {
  const tmp = mkdtempSync(join(tmpdir(), 'accounts-session-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const root = join(tmp, 'NPKI');
  if (material) {
    cpSync(join(material.root, 'NPKI'), root, { recursive: true });
    // 홍길동's renewed certificate, as the CA hands it out at 갱신, in its own folder.
    const hong = material.identities.find((i) => i.subjectCN.startsWith('홍길동'))!;
    const renewed = renewCertificate({ certDer: readFileSync(join(material.root, hong.dir, 'signCert.der')), caKeyPem: readFileSync(join(material.root, 'ca', 'ca.key.pem'), 'utf8'), serialHex: '5151', password: 'New-pass9' });
    const dir = join(root, 'yessign-Test', 'USER', 'cn=홍길동()004113-renewed,ou=personal4IB,ou=yessign-Test,o=yessign-Test,c=kr');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'signCert.der'), renewed.certDer);
    writeFileSync(join(dir, 'signPri.key'), renewed.keyFile);
  }

  const setup = async (opts: { refreshEveryMs?: number } = {}) => {
    const clock = fakeClock(NOW);
    const timers = handTimers(clock);
    const requests: string[] = [];
    const changes: SessionChange[] = [];
    const nonces = new Map<string, string>();
    let roles: string[] = [];
    let refreshAnswer: 'ok' | 'disabled' | 'unauthenticated' | 'down' = 'ok';
    let hold: Promise<void> | null = null;
    /** The SPKI the fake server holds for the account; '' = any certificate may log in. */
    let registered = '';
    const json = (status: number, body: unknown): HttpResponse => ({ status, headers: {}, body: JSON.stringify(body) });
    const sig = (purpose: string, nonce: string, certB64: string, signature: string, payload: unknown) => {
      const cert = new X509Certificate(Buffer.from(certB64, 'base64'));
      return verify('sha256', Buffer.from(signingMessage(purpose as 'login', 'test-api', nonce, payload)), cert.publicKey, Buffer.from(signature, 'base64'));
    };
    const session = () => ({ token: `mjs_${randomBytes(8).toString('hex')}`, expiresAt: clock() + SESSION_TTL_MS, user: USER, roles, menus: [] });
    const http = async (req: HttpRequest): Promise<HttpResponse> => {
      const path = new URL(req.url).pathname;
      requests.push(path);
      const body = req.body ? (JSON.parse(req.body) as Record<string, unknown>) : {};
      if (path === '/v1/accounts/challenge') {
        const nonce = randomBytes(32).toString('base64url');
        nonces.set(nonce, String(body.purpose));
        return json(200, { nonce, audience: 'test-api', expiresAt: clock() + 120_000 });
      }
      if (path === '/v1/accounts/login') {
        const r = loginRequest.parse(body);
        if (nonces.get(r.nonce) !== 'login' || !sig('login', r.nonce, r.certificate, r.signature, { loginId: r.loginId, spkiSha256: spkiOf(r.certificate) })) return json(401, { error: { code: 'SIGNATURE_INVALID', message: 'x' } });
        if (registered && spkiOf(r.certificate) !== registered) return json(401, { error: { code: 'CERT_NOT_REGISTERED', message: '이 아이디에 등록된 인증서가 아닙니다.' } });
        return json(200, session());
      }
      if (path === '/v1/accounts/rebind') {
        const r = rebindRequest.parse(body);
        const payload = { loginId: r.loginId, oldSpkiSha256: spkiOf(r.oldCertificate), newSpkiSha256: spkiOf(r.newCertificate) };
        if (nonces.get(r.nonce) !== 'rebind' || !sig('rebind', r.nonce, r.oldCertificate, r.oldSignature, payload) || !sig('rebind', r.nonce, r.newCertificate, r.newSignature, payload)) {
          return json(401, { error: { code: 'SIGNATURE_INVALID', message: 'x' } });
        }
        registered = payload.newSpkiSha256;
        return json(200, { userId: USER.id, spkiSha256: registered });
      }
      if (path === '/v1/accounts/refresh') {
        if (hold) await hold;
        if (refreshAnswer === 'down') throw new Error('ECONNREFUSED');
        if (refreshAnswer === 'disabled') return json(403, { error: { code: 'ACCOUNT_DISABLED', message: '사용이 중지된 계정입니다.' } });
        if (refreshAnswer === 'unauthenticated') return json(401, { error: { code: 'UNAUTHENTICATED', message: 'x' } });
        return json(200, session());
      }
      return json(404, { error: { code: 'NOT_FOUND', message: 'x' } });
    };
    const wallet = createCertificateWallet({ clock, platform: 'linux', roots: [{ path: root, location: 'hdd' }] });
    const rows = await wallet.list();
    const client = createAccountsClient({ apiUrl: () => 'http://127.0.0.1:9', http, wallet, clock, logger: silentLogger, timers, onSession: (c) => changes.push(c), ...opts });
    const login = () => client.login({ loginId: USER.loginId, certificateRef: rows.find((r) => r.holderName === '김철수')!.ref, password: Buffer.from('Test1234!') });
    return {
      clock, timers, requests, changes, client, rows, login, wallet,
      registered: () => registered,
      setRoles: (r: string[]) => (roles = r),
      answer: (a: typeof refreshAnswer) => (refreshAnswer = a),
      holdRefresh: () => {
        let release!: () => void;
        hold = new Promise<void>((r) => (release = r));
        return () => {
          hold = null;
          release();
        };
      },
    };
  };

  it('refreshes before expiry, pushes new roles as roles-changed with menus from the table, and keeps refreshing', async () => {
    const s = await setup();
    await s.login();
    expect(s.changes.map((c) => c.reason)).toEqual(['signed-in']);
    // 5 minutes (the default cadence) is sooner than 1 minute before the 15-minute expiry.
    expect(s.timers.pending()).toEqual([5 * 60_000]);
    s.setRoles(['facility_manager']);
    await s.timers.advance(5 * 60_000);
    expect(s.requests.filter((p) => p === '/v1/accounts/refresh')).toHaveLength(1);
    expect(s.changes.at(-1)).toMatchObject({ reason: 'roles-changed', message: null, session: { roles: ['facility_manager'], menus: ['myRoles', 'kioskEnrollment', 'entryLog'] } });
    await s.timers.advance(5 * 60_000);
    expect(s.changes.at(-1)?.reason).toBe('refreshed');
    expect(JSON.stringify(s.changes)).not.toContain('mjs_');
  });

  it('asking before anyone signed in does not stop later refreshes', async () => {
    const s = await setup();
    expect(await s.client.me()).toBeNull();
    await s.login();
    s.setRoles(['facility_manager']);
    expect((await s.client.me())?.roles).toEqual(['facility_manager']);
    expect(s.requests.filter((p) => p === '/v1/accounts/refresh')).toHaveLength(1);
  });

  it('with a cadence longer than the token, refreshes one minute before it expires', async () => {
    const s = await setup({ refreshEveryMs: 60 * 60_000 });
    await s.login();
    expect(s.timers.pending()).toEqual([SESSION_TTL_MS - REFRESH_MARGIN_MS]);
  });

  it('signs out with a Korean message when the account is disabled or the session is refused, and stops refreshing', async () => {
    for (const [answer, reason] of [['disabled', 'disabled'], ['unauthenticated', 'revoked']] as const) {
      const s = await setup();
      await s.login();
      s.answer(answer);
      await s.timers.advance(5 * 60_000);
      const last = s.changes.at(-1)!;
      expect(last).toMatchObject({ session: null, reason });
      expect(last.message).toMatch(/로그아웃되었습니다/);
      expect(s.timers.pending()).toEqual([]);
      expect(await s.client.me()).toBeNull();
    }
  });

  it('retries while the central API is unreachable and signs out when the token has run out', async () => {
    const s = await setup({ refreshEveryMs: 60 * 60_000 });
    await s.login();
    s.answer('down');
    await s.timers.advance(SESSION_TTL_MS - REFRESH_MARGIN_MS);
    expect(s.changes.at(-1)?.reason).toBe('signed-in'); // still signed in, retrying
    expect(s.timers.pending()).toEqual([REFRESH_RETRY_MS]);
    await s.timers.advance(REFRESH_MARGIN_MS + REFRESH_RETRY_MS);
    expect(s.changes.at(-1)).toMatchObject({ session: null, reason: 'expired' });
    expect(s.changes.at(-1)?.message).toContain('로그인 시간이 지나');
    expect(s.timers.pending()).toEqual([]);
    // A network blip that heals in time keeps the session.
    const t = await setup();
    await t.login();
    t.answer('down');
    await t.timers.advance(5 * 60_000);
    t.answer('ok');
    await t.timers.advance(REFRESH_RETRY_MS);
    expect(t.changes.at(-1)?.reason).toBe('refreshed');
  });

  it('a logout while a refresh is on the wire is not undone by its answer; stop() clears the timer', async () => {
    const s = await setup();
    await s.login();
    const release = s.holdRefresh();
    const refreshing = s.client.me();
    s.client.logout();
    release();
    expect(await refreshing).toBeNull();
    expect(s.changes.map((c) => c.reason)).toEqual(['signed-in', 'signed-out']);
    expect(s.changes.at(-1)?.message).toBeNull();
    expect(await s.client.me()).toBeNull();
    const t = await setup();
    await t.login();
    expect(t.timers.pending()).toHaveLength(1);
    t.client.stop();
    expect(t.timers.pending()).toEqual([]);
  });

  it('re-binds a renewed certificate with the old and the new key, then logs in with the new one', async () => {
    const s = await setup();
    const hongs = s.rows.filter((r) => r.holderName === '홍길동');
    expect(hongs).toHaveLength(2);
    const oldRef = hongs.find((r) => s.wallet.entry(r.ref).serial.toLowerCase() !== '5151')!.ref;
    const newRef = hongs.find((r) => s.wallet.entry(r.ref).serial.toLowerCase() === '5151')!.ref;
    const codeOf = (p: Promise<unknown>) => p.then(() => 'resolved', (e: unknown) => (e instanceof CodedError ? e.code : String(e)));

    // The same certificate twice, a wrong new password, or a new certificate of someone else: nothing is sent, both passwords zeroed.
    const pw = () => [Buffer.from('Test1234!'), Buffer.from('New-pass9')] as const;
    let [a, b] = pw();
    expect(await codeOf(s.client.rebindAndLogin({ loginId: USER.loginId, oldCertificateRef: oldRef, oldPassword: a, newCertificateRef: oldRef, newPassword: b }))).toBe('ACCOUNTS_REBIND_SAME_CERTIFICATE');
    expect([...a, ...b].every((x) => x === 0)).toBe(true);
    [a, b] = pw();
    expect(await codeOf(s.client.rebindAndLogin({ loginId: USER.loginId, oldCertificateRef: oldRef, oldPassword: a, newCertificateRef: newRef, newPassword: Buffer.from('wrong-pass') }))).toBe('NPKI_WRONG_PASSWORD');
    expect(a.every((x) => x === 0)).toBe(true);
    // An expired registered certificate may still sign a re-bind (박영희's is expired): here it is refused only for the name.
    const expired = s.rows.find((r) => r.expired)!.ref;
    expect(await codeOf(s.client.rebindAndLogin({ loginId: USER.loginId, oldCertificateRef: expired, oldPassword: Buffer.from('Test1234!'), newCertificateRef: newRef, newPassword: Buffer.from('New-pass9') }))).toBe('NAME_MISMATCH');
    expect(s.requests).toEqual([]);

    [a, b] = pw();
    const view = await s.client.rebindAndLogin({ loginId: USER.loginId, oldCertificateRef: oldRef, oldPassword: a, newCertificateRef: newRef, newPassword: b });
    expect([...a, ...b].every((x) => x === 0)).toBe(true);
    expect(view.user.loginId).toBe(USER.loginId);
    expect(s.requests).toEqual(['/v1/accounts/challenge', '/v1/accounts/rebind', '/v1/accounts/challenge', '/v1/accounts/login']);
    expect(s.changes.at(-1)?.reason).toBe('signed-in');
    expect(s.registered()).toBe(s.wallet.entry(newRef).spkiSha256);
  });
});
