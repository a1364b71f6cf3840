// Runs in Node (vitest). `munjigi server` as an operator meets it: a real listener on
// 127.0.0.1, the demo world (issuers, facility, enrollment code, issuer page with strict CSP),
// a demo QR that verifies against the served trust list, and the token subcommand.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/index';
import { systemClock } from '../../src/core/clock';
import { openEnvelope, verifyToken } from '../../src/core/kp1';
import { silentLogger } from '../../src/core/log';
import { DEMO_CSP } from '../../src/server/demo/issuerPage';
import type { RunningServer } from '../../src/server/start';
import { startServer } from '../../src/server/start';

function fakeIo(cwd: string) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  return { io: { stdin: new PassThrough(), stdout, stderr, env: {}, cwd }, out: () => out, err: () => err };
}

describe('munjigi server', () => {
  let dir = '';
  let running: RunningServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'munjigi-srv-'));
    running = await startServer({ target: { file: join(dir, 'server.db') }, host: '127.0.0.1', port: 0, demo: true, clock: systemClock, logger: silentLogger, demoDir: join(dir, 'demo') });
  });
  afterAll(async () => {
    await running?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('listens on loopback and serves health, time and the trust list over HTTP', async () => {
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${running.url}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok', engine: 'sqlite' });
    expect(health.headers.get('x-content-type-options')).toBe('nosniff');
    const time = (await (await fetch(`${running.url}/v1/time`)).json()) as { serverTime: number };
    expect(Math.abs(time.serverTime - Date.now())).toBeLessThan(5_000);
  });

  it('--demo: the issuer page has a strict CSP and mints a QR token the trust list verifies', async () => {
    const page = await fetch(`${running.url}/demo/issuer`);
    expect(page.headers.get('content-security-policy')).toBe(DEMO_CSP);
    const html = await page.text();
    expect(html).toContain('개인정보 수집 및 제공 동의');
    expect(html).not.toMatch(/<script>|on(click|load)=/);
    const script = await (await fetch(`${running.url}/demo/issuer.js`)).text();
    expect(script).toContain('ROUNDS = 3, TTL = 15');
    expect(html).toContain('재시도');
    const noConsent = await fetch(`${running.url}/demo/issuer/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ issuer: 1, subject: '00'.repeat(16), consent: false }) });
    expect(noConsent.status).toBe(400);
    expect(((await noConsent.json()) as { error: { code: string } }).error.code).toBe('CONSENT_REQUIRED');
    const minted = (await (await fetch(`${running.url}/demo/issuer/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ issuer: 2, subject: 'ab'.repeat(16), consent: true }) })).json()) as { token: string; qrDataUrl: string };
    expect(minted.qrDataUrl).toMatch(/^data:image\/png;base64,/);
    const envelope = await (await fetch(`${running.url}/v1/trust-list`)).json();
    const list = openEnvelope(envelope, [{ keyId: running.app.authority.keyId, publicKey: running.app.authority.publicKey }]);
    const result = verifyToken(minted.token, { trustList: list, now: Math.floor(Date.now() / 1000) });
    expect(result).toMatchObject({ ok: true, code: 'OK', issuer: 2, issuerName: 'kakao', subject: 'ab'.repeat(16) });
  });

  it('--demo: the printed enrollment code enrolls one kiosk', async () => {
    const body = { code: running.demo!.enrollmentCode, publicKey: 'B'.repeat(42) + 'E', label: 'front desk' };
    const res = await fetch(`${running.url}/v1/kiosks/enroll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { facilityId: string }).facilityId).toBe(running.demo!.facilityId);
  });

  it('`server token` issues a working investigator token; bad options exit 2 with a code', async () => {
    const db = join(dir, 'server.db');
    const ok = fakeIo(dir);
    expect(await main(['server', 'token', '--db', db, '--role', 'investigator', '--name', '보건소 조사관'], ok.io)).toBe(0);
    const { token } = JSON.parse(ok.out().trim()) as { token: string };
    const res = await fetch(`${running.url}/v1/investigations/facility-visits?facilityId=${running.demo!.facilityId}&from=0&to=1000`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    for (const argv of [
      ['server', 'token', '--db', db, '--role', 'root', '--name', 'x'],
      ['server', 'token', '--db', db, '--role', 'admin'],
      ['server', '--port', '99999'],
      ['server', '--db', db, '--database-url', 'postgres://x@127.0.0.1/x'],
      ['server', '--database-url', 'mysql://x'],
      ['server', '--bogus'],
    ]) {
      const bad = fakeIo(dir);
      expect(await main(argv, bad.io), argv.join(' ')).toBe(2);
      expect(bad.err()).toMatch(/\(code: [A-Z_]+\)/);
    }
  });

  it('`trust add-issuer/add-key/revoke-key` change the served list; bad input exits 2', async () => {
    const db = join(dir, 'server.db');
    const run = async (argv: string[]) => {
      const f = fakeIo(dir);
      const code = await main(argv, f.io);
      return { code, out: f.out(), err: f.err() };
    };
    const added = await run(['trust', 'add-issuer', '--db', db, '--code', '40', '--name', 'toss', '--display-name', '토스']);
    expect(added.code, added.err).toBe(0);
    const pub = 'D'.repeat(42) + 'E';
    const key = await run(['trust', 'add-key', '--db', db, '--issuer', '40', '--key-id', '2', '--public-key', pub, '--not-before', '2026-01-01T00:00:00Z', '--not-after', '2027-01-01T00:00:00Z']);
    expect(key.code, key.err).toBe(0);
    const revoked = await run(['trust', 'revoke-key', '--db', db, '--issuer', '40', '--key-id', '2']);
    expect(revoked.code, revoked.err).toBe(0);
    const sequence = (JSON.parse(revoked.out) as { sequence: number }).sequence;
    const envelope = await (await fetch(`${running.url}/v1/trust-list`)).json();
    const list = openEnvelope(envelope, [{ keyId: running.app.authority.keyId, publicKey: running.app.authority.publicKey }]);
    expect(list.sequence).toBe(sequence);
    expect(list.issuers.find((i) => i.code === 40)).toMatchObject({ name: 'toss', keys: [{ keyId: 2, publicKey: pub, status: 'revoked' }] });
    for (const [argv, code] of [
      [['trust', 'add-issuer', '--db', db, '--code', '40', '--name', 'again', '--display-name', 'x'], 'ISSUER_EXISTS'],
      [['trust', 'add-issuer', '--db', db, '--code', '300', '--name', 'x', '--display-name', 'x'], 'BAD_OPTION'],
      [['trust', 'add-key', '--db', db, '--issuer', '41', '--key-id', '1', '--public-key', pub, '--not-before', '2026-01-01T00:00:00Z', '--not-after', '2027-01-01T00:00:00Z'], 'ISSUER_NOT_FOUND'],
      [['trust', 'add-key', '--db', db, '--issuer', '40', '--key-id', '3', '--public-key', 'short', '--not-before', '2026-01-01T00:00:00Z', '--not-after', '2027-01-01T00:00:00Z'], 'PUBLIC_KEY_INVALID'],
      [['trust', 'add-key', '--db', db, '--issuer', '40', '--key-id', '3', '--public-key', pub, '--not-before', 'yesterday', '--not-after', '2027-01-01T00:00:00Z'], 'BAD_OPTION'],
      [['trust', 'revoke-key', '--db', db, '--issuer', '40', '--key-id', '9'], 'ISSUER_KEY_NOT_FOUND'],
    ] as Array<[string[], string]>) {
      const bad = await run(argv);
      expect(bad.code, argv.join(' ')).toBe(2);
      expect(bad.err).toContain(`(code: ${code})`);
    }
  });
});
