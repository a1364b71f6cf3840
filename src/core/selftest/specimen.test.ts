// Runs under vitest (Node). The specimen issuer: recognised only by its signature through the
// same verifier, a printed card (expired) still recognised, a tampered or real token never,
// the key made once at 0600 and reused, and no input string makes classify throw.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { generateKeyPair, mintToken } from '../kp1';
import { silentLogger } from '../log';
import { openSpecimenIssuer, SPECIMEN_ISSUER, SPECIMEN_KEY_ID, specimenIssuerFromKey } from './specimen';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const NOW = 1_795_392_000;

describe('specimen issuer', () => {
  const specimen = specimenIssuerFromKey(generateKeyPair().privateKey);

  it('a fresh specimen verifies OK; a printed card gives EXPIRED; both are recognised as specimens', () => {
    expect(specimen.classify(specimen.mint(NOW), NOW)).toMatchObject({ result: 'OK', expected: true, tokenId: expect.stringMatching(/^0:[0-9a-f]{16}$/) as string });
    expect(specimen.classify(specimen.mint(NOW - 86_400 * 30), NOW)).toMatchObject({ result: 'EXPIRED', expected: true });
    // A card printed "in the future" means the kiosk clock is behind: recognised, not expected.
    expect(specimen.classify(specimen.mint(NOW + 3600), NOW)).toMatchObject({ result: 'NOT_YET_VALID', expected: false });
  });

  it('another specimen key, a real issuer with the same code, a tampered token: not specimens', () => {
    const other = specimenIssuerFromKey(generateKeyPair().privateKey);
    expect(specimen.classify(other.mint(NOW), NOW)).toBeNull();
    const real = mintToken({ privateKey: generateKeyPair().privateKey, issuer: SPECIMEN_ISSUER, keyId: SPECIMEN_KEY_ID, issuedAt: NOW });
    expect(specimen.classify(real, NOW)).toBeNull();
    const token = specimen.mint(NOW);
    const last = token.at(-2) === 'A' ? 'B' : 'A';
    expect(specimen.classify(token.slice(0, -2) + last + token.slice(-1), NOW)).toBeNull();
    const visitor = mintToken({ privateKey: generateKeyPair().privateKey, issuer: 1, keyId: 1, issuedAt: NOW });
    expect(specimen.classify(visitor, NOW)).toBeNull();
  });

  it('never throws and never recognises arbitrary input', () => {
    for (const bad of [null, undefined, 42, {}, '', 'KP1.', 'x'.repeat(300_000)]) expect(specimen.classify(bad, NOW)).toBeNull();
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => specimen.classify(s, NOW) === null), { numRuns: 300 });
  });
});

describe('openSpecimenIssuer', () => {
  it('makes the key once (0600) and reuses it, so a printed card stays valid across restarts', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'munjigi-specimen-'));
    dirs.push(dataDir);
    const first = openSpecimenIssuer({ dataDir, logger: silentLogger });
    const card = first.mint(NOW - 3600);
    const again = openSpecimenIssuer({ dataDir, logger: silentLogger });
    expect(again.publicKey).toBe(first.publicKey);
    expect(again.classify(card, NOW)).toMatchObject({ result: 'EXPIRED' });
    if (process.platform !== 'win32') expect(statSync(join(dataDir, 'specimen', 'specimen-key.pem')).mode & 0o777).toBe(0o600);
  });

  it('a damaged key file is refused with a code, not replaced', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'munjigi-specimen-'));
    dirs.push(dataDir);
    openSpecimenIssuer({ dataDir, logger: silentLogger });
    writeFileSync(join(dataDir, 'specimen', 'specimen-key.pem'), 'not a key');
    expect(() => openSpecimenIssuer({ dataDir, logger: silentLogger })).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }) as Error);
  });
});
