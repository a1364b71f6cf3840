// Runs under vitest. The certificate wallet against the shared NPKI test identities: rows for
// the dialog, refusals (expired, corporate), wrong password, and a signature the certificate verifies.
import { cpSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate, verify } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { CodedError } from '../../shared/envelope';
import { SKIP_REASON, npkiMaterial } from '../npki/testSupport';
import { createCertificateWallet } from './wallet';

const material = npkiMaterial();
const NOW = Date.parse('2026-11-23T10:00:00Z');
const clock = () => NOW;

describe.skipIf(!material)(`certificate wallet${material ? '' : ` (skipped: ${SKIP_REASON})`}`, () => {
  const tmp = mkdtempSync(join(tmpdir(), 'wallet-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const root = join(tmp, 'NPKI');
  if (material) cpSync(join(material.root, 'NPKI'), root, { recursive: true });
  const wallet = () => createCertificateWallet({ clock, platform: 'linux', roots: [{ path: root, location: 'hdd' }] });
  const byName = async (w: ReturnType<typeof wallet>, prefix: string) => {
    const rows = await w.list();
    const row = rows.find((r) => r.subjectCN.startsWith(prefix));
    if (!row) throw new Error(`no test certificate ${prefix}`);
    return row;
  };
  const codeOf = async (p: Promise<unknown>) => p.then(() => 'resolved', (e: unknown) => (e instanceof CodedError ? e.code : String(e)));

  it('lists 구분/사용자/만료일/발급자 without paths; expired and corporate rows carry the reason', async () => {
    const rows = await wallet().list();
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (const row of rows) {
      expect(JSON.stringify(row)).not.toContain(tmp);
      expect(row.ref).toMatch(/^[A-Za-z0-9_-]{16}$/);
    }
    const hong = rows.find((r) => r.subjectCN.startsWith('홍길동'));
    expect(hong).toMatchObject({ kindLabel: '개인', holderName: '홍길동', expired: false, refusal: null, hasKey: true });
    expect(rows.find((r) => r.subjectCN.startsWith('박영희'))).toMatchObject({ expired: true });
    expect(rows.find((r) => r.subjectCN.startsWith('박영희'))?.refusal).toContain('만료');
    expect(rows.find((r) => r.subjectCN.startsWith('(주)예시병원'))).toMatchObject({ kind: 'corporate', kindLabel: '법인' });
    expect(rows.find((r) => r.subjectCN.startsWith('(주)예시병원'))?.refusal).toContain('법인');
  });

  it('keeps the same ref for the same certificate across rescans', async () => {
    const w = wallet();
    const first = await byName(w, '홍길동');
    expect((await byName(w, '홍길동')).ref).toBe(first.ref);
  });

  it('signs with PKCS#1 v1.5 SHA-256 verifiable by the certificate and zeroes the password', async () => {
    const w = wallet();
    const row = await byName(w, '홍길동');
    const password = Buffer.from('Test1234!', 'utf8');
    const message = Buffer.from('munjigi-login-test|nonce', 'utf8');
    const proof = await w.signWith(row.ref, password, message);
    expect(password.every((b) => b === 0)).toBe(true);
    const cert = new X509Certificate(Buffer.from(proof.certificate, 'base64'));
    expect(verify('sha256', message, cert.publicKey, Buffer.from(proof.signature, 'base64'))).toBe(true);
    expect(verify('sha256', Buffer.from('other'), cert.publicKey, Buffer.from(proof.signature, 'base64'))).toBe(false);
    expect(proof.holderName).toBe('홍길동');
  });

  it('also signs with a PBES1 (seedCBCWithSHA1) key', async () => {
    const w = wallet();
    const row = await byName(w, '김철수');
    const proof = await w.signWith(row.ref, Buffer.from('Test1234!'), Buffer.from('m'));
    expect(proof.signature.length).toBeGreaterThan(100);
  });

  it('refuses a wrong password, an expired or corporate certificate and an unknown ref, zeroing the password each time', async () => {
    const w = wallet();
    const cases: [string, string][] = [
      [(await byName(w, '홍길동')).ref, 'NPKI_WRONG_PASSWORD'],
      [(await byName(w, '박영희')).ref, 'ACCOUNTS_CERT_EXPIRED'],
      [(await byName(w, '(주)예시병원')).ref, 'ACCOUNTS_CERT_CORPORATE'],
      ['not-a-listed-ref', 'ACCOUNTS_UNKNOWN_CERTIFICATE'],
    ];
    for (const [ref, code] of cases) {
      const password = Buffer.from(code === 'NPKI_WRONG_PASSWORD' ? 'wrong-pass' : 'Test1234!');
      expect(await codeOf(w.signWith(ref, password, Buffer.from('m')))).toBe(code);
      expect(password.every((b) => b === 0)).toBe(true);
    }
    expect(await codeOf(w.signWith((await byName(w, '홍길동')).ref, Buffer.alloc(0), Buffer.from('m')))).toBe('NPKI_WRONG_PASSWORD');
  });

  it('finds a certificate by file path, and refuses a missing path and a file without its key', async () => {
    const w = wallet();
    const dir = join(tmp, 'elsewhere');
    cpSync(join(root, 'yessign-Test', 'USER'), dir, { recursive: true });
    const hongDir = join(dir, 'cn=홍길동()004113,ou=personal4IB,ou=yessign-Test,o=yessign-Test,c=kr');
    const row = await w.find(join(hongDir, 'signCert.der'));
    expect(row).toMatchObject({ location: 'file', holderName: '홍길동', refusal: null });
    expect(await codeOf(w.find(join(tmp, 'nope.der')))).toBe('NPKI_FILE_NOT_FOUND');
    unlinkSync(join(hongDir, 'signPri.key'));
    const keyless = await w.find(hongDir);
    expect(keyless.hasKey).toBe(false);
    expect(await codeOf(w.signWith(keyless.ref, Buffer.from('Test1234!'), Buffer.from('m')))).toBe('ACCOUNTS_KEY_MISSING');
  });
});
