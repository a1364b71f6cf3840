// Integration test (Node, built output): the real `node bin/munjigi.js` as an operator runs it.
// Mints keys, signs a trust list, issues a token and a QR image, and verifies through stdin in
// a child process; bad files exit 2 with a Korean message. Builds out/node when it is missing
// or predates the KP1 commands.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'bin/munjigi.js');
const dir = mkdtempSync(join(tmpdir(), 'munjigi-kp1-bin-'));

const munjigi = (args: string[], input?: string) => {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: dir, input, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

beforeAll(() => {
  if (munjigi(['verify', '--help']).code !== 0) {
    execFileSync('npx', ['vite', 'build', '--config', 'vite.node.config.ts'], { cwd: root, stdio: 'pipe', timeout: 300_000 });
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('node bin/munjigi.js (built)', () => {
  it('keys → trust sign → issue → verify on stdin', () => {
    const rootKey = JSON.parse(munjigi(['keys', 'new-authority', '--out', 'root.pem']).out) as { keyId: string; publicKey: string };
    const issuer = munjigi(['keys', 'new-issuer', '--out', 'pass.pem']);
    expect(issuer.code).toBe(0);
    expect(statSync(join(dir, 'pass.pem')).mode & 0o777).toBe(0o600);
    const { trustKey } = JSON.parse(issuer.out) as { trustKey: object };
    const list = { version: 1, sequence: 1, issuedAt: '2026-11-23T00:00:00Z', issuers: [{ code: 3, name: 'pass', displayName: 'PASS', keys: [trustKey] }] };
    writeFileSync(join(dir, 'list.json'), JSON.stringify(list));
    const signed = munjigi(['trust', 'sign', '--key', 'root.pem', '--key-id', rootKey.keyId, 'list.json']);
    expect(signed.code).toBe(0);
    writeFileSync(join(dir, 'trust.envelope.json'), signed.out);

    const now = Math.floor(Date.now() / 1000);
    const issued = munjigi(['issue', '--key', 'pass.pem', '--issuer', '3', '--key-id', '1', '--at', String(now), '--png', 'qr.png']);
    expect(issued.code).toBe(0);
    expect(readFileSync(join(dir, 'qr.png')).subarray(1, 4).toString('latin1')).toBe('PNG');
    const token = issued.out.trim();

    const stdin = `${now + 1}\t${token}\r\n${now + 2}\t${token}\r\nnot a token\n`;
    const r = munjigi(['verify', '--trust', 'trust.envelope.json', '--root', rootKey.publicKey], stdin);
    const results = r.out.trim().split('\n').map((l) => JSON.parse(l) as { code: string; issuerName?: string });
    expect(results.map((x) => x.code)).toEqual(['OK', 'DUPLICATE', 'MALFORMED']);
    expect(results[0]!.issuerName).toBe('pass');
    expect(r.code).toBe(1);

    // with the system clock (no --at): a fresh token is OK
    const fresh = munjigi(['issue', '--key', 'pass.pem', '--issuer', '3', '--key-id', '1']).out.trim();
    expect(munjigi(['verify', '--trust', 'trust.envelope.json', '--root', rootKey.publicKey, fresh]).code).toBe(0);
  });

  it('a corrupt trust file exits 2 with a Korean message and a code', () => {
    writeFileSync(join(dir, 'corrupt.json'), '{"payload": ');
    const r = munjigi(['verify', '--trust', 'corrupt.json', 'KP1.x']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/JSON 형식이 아닙니다.*FILE_NOT_JSON/);
  });
});
