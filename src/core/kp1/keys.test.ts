// Runs under vitest (Node). Key files (PKCS#8 PEM, mode 0600, never overwritten), public key
// form, and mint parameter validation.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeBase64url, generateKeyPair, mintToken, privateKeyFromPem, publicKeyToBase64url, readPrivateKeyFile, writePrivateKeyFile } from './index';

const dir = mkdtempSync(join(tmpdir(), 'munjigi-kp1-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const coded = (code: string) => expect.objectContaining({ code });

describe('key files', () => {
  it('writes PKCS#8 PEM with mode 0600 and reads it back', () => {
    const pair = generateKeyPair();
    const path = join(dir, 'issuer.pem');
    writePrivateKeyFile(path, pair.privateKey);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(publicKeyToBase64url(readPrivateKeyFile(path))).toBe(publicKeyToBase64url(pair.publicKey));
    expect(() => writePrivateKeyFile(path, generateKeyPair().privateKey)).toThrow(coded('KEY_FILE_EXISTS'));
  });

  it('public keys are 32 raw bytes in base64url', () => {
    expect(decodeBase64url(publicKeyToBase64url(generateKeyPair().publicKey))?.length).toBe(32);
  });

  it('refuses missing files, garbage and non-Ed25519 keys', () => {
    expect(() => readPrivateKeyFile(join(dir, 'missing.pem'))).toThrow(coded('KEY_FILE_UNREADABLE'));
    writeFileSync(join(dir, 'junk.pem'), 'hello');
    expect(() => readPrivateKeyFile(join(dir, 'junk.pem'))).toThrow(coded('KEY_INVALID'));
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(() => privateKeyFromPem(ec)).toThrow(coded('KEY_INVALID'));
  });
});

describe('mintToken parameters', () => {
  const { privateKey, publicKey } = generateKeyPair();
  const base = { privateKey, issuer: 1, keyId: 1, issuedAt: 1_795_392_000 };
  it.each([
    ['issuer 256', { issuer: 256 }],
    ['negative key id', { keyId: -1 }],
    ['fractional issuedAt', { issuedAt: 1.5 }],
    ['issuedAt past u32', { issuedAt: 2 ** 32 }],
    ['ttl 0', { ttl: 0 }],
    ['ttl 61', { ttl: 61 }],
    ['short subject', { subject: new Uint8Array(15) }],
    ['long nonce', { nonce: new Uint8Array(9) }],
    ['a public key', { privateKey: publicKey }],
  ])('refuses %s', (_n, over) => {
    expect(() => mintToken({ ...base, ...over })).toThrow(coded('TOKEN_PARAMS_INVALID'));
  });
});
