// Runs under vitest (Node). Certificate facts against ../shared/npki-test/cases.json, keyMatches,
// chain links, CRL verification (a revoked CRL is built and signed here with the test CA key).
import { createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isExpired, isIssuedBy, issuerLabel, keyMatches, nameFromCN, parseCertificate } from './certificate';
import { children, parseDer } from './der';
import { isRevoked, parseCrl, verifyCrl } from './crl';
import { classifyPolicies } from './policies';
import { decryptPrivateKey } from './privateKey';
import { SKIP_REASON, der, npkiMaterial } from './testSupport';

describe('classifyPolicies', () => {
  it.each([
    ['1.2.410.200005.1.1.1', 'personal'],
    ['1.2.410.200005.1.1.5', 'corporate'],
    ['1.2.410.200004.5.2.1.2', 'personal'],
    ['1.2.410.200004.5.2.1.1', 'corporate'],
    ['1.2.410.200004.5.1.1.5', 'personal'],
    ['1.2.410.200004.5.1.1.7', 'corporate'],
    ['1.2.410.200004.5.4.1.1', 'personal'],
    ['1.2.410.200004.5.4.1.2', 'corporate'],
    ['1.2.410.200012.1.1.1', 'personal'],
    ['1.2.410.200012.1.1.3', 'corporate'],
    ['1.2.410.200004.5.3.1.9', 'personal'],
    ['1.2.410.200004.5.3.1.2', 'corporate'],
  ])('%s is %s', (oid, kind) => {
    expect(classifyPolicies([oid]).kind).toBe(kind);
  });

  it('unknown policies are "unknown", never guessed; the first known one decides', () => {
    expect(classifyPolicies(['1.2.3.4'])).toEqual({ kind: 'unknown', policy: '1.2.3.4', entry: null });
    expect(classifyPolicies([])).toEqual({ kind: 'unknown', policy: null, entry: null });
    expect(classifyPolicies(['2.5.29.32.0', '1.2.410.200005.1.1.5']).policy).toBe('1.2.410.200005.1.1.5');
  });

  it('takes a caller table (data-driven)', () => {
    const table = [{ oid: '1.2.3.4', kind: 'corporate' as const, ca: 'Test', label: '시험', usage: 'general' as const }];
    expect(classifyPolicies(['1.2.3.4'], table).kind).toBe('corporate');
  });
});

describe('nameFromCN', () => {
  it.each([
    ['홍길동()0041134200612345678', '홍길동'],
    ['홍길동(HongGilDong)0001234', '홍길동'],
    ['(주)예시병원()004147', '(주)예시병원'],
    ['김철수', '김철수'],
    ['()123', '()123'],
  ])('%s → %s', (cn, name) => {
    expect(nameFromCN(cn)).toBe(name);
  });
});

describe('parseCertificate: bad input', () => {
  it.each([
    ['empty', Buffer.alloc(0)],
    ['text', Buffer.from('hello')],
    ['a bare SEQUENCE', Buffer.from('3000', 'hex')],
    ['bad PEM', Buffer.from('-----BEGIN CERTIFICATE-----\n%%%\n-----END CERTIFICATE-----\n')],
    ['too big', Buffer.alloc(70_000, 0x30)],
  ])('%s → NPKI_BAD_CERT', (_w, input) => {
    expect(() => parseCertificate(input)).toThrowError(expect.objectContaining({ code: 'NPKI_BAD_CERT' }));
  });
});

const m = npkiMaterial();
describe.skipIf(!m)(`shared NPKI certificates (${m ? 'present' : SKIP_REASON})`, () => {
  const mat = m!;
  const read = (dir: string, f: string) => readFileSync(join(mat.root, dir, f));
  const cases = mat?.identities.map((c) => [c.subjectCN, c] as const) ?? [];
  const ca = () => parseCertificate(readFileSync(mat.intermediate));
  const root = () => parseCertificate(readFileSync(mat.trustAnchor));
  // cases.json is written on 2026-11-23; "expired" there means expired at that date.
  const now = Date.parse('2026-11-23T12:00:00Z');

  it.each(cases)('%s: facts match cases.json', (_cn, c) => {
    const cert = parseCertificate(read(c.dir, 'signCert.der'));
    expect(cert.subjectCN).toBe(c.subjectCN);
    expect(cert.kind).toBe(c.kind);
    expect(cert.policy).toBe(c.policy);
    expect(cert.serial).toBe(c.serial);
    expect(cert.spkiSha256).toBe(c.spkiSha256);
    expect(cert.notAfter.getTime()).toBe(Date.parse(c.notAfter));
    expect(isExpired(cert, now)).toBe(c.expired);
    expect(cert.keyUsage).toEqual(expect.arrayContaining(['digitalSignature']));
    expect(cert.isCA).toBe(false);
    expect(issuerLabel(cert)).toBe('yessign-Test');
    expect(cert.subject.text.startsWith(`CN=${c.subjectCN.replace(/([,+"\\<>;=])/g, '\\$1')},`)).toBe(true);
  });

  it.each(cases)('%s: holder name and CRL distribution point', (_cn, c) => {
    const cert = parseCertificate(read(c.dir, 'signCert.der'));
    expect(cert.holderName).toBe(nameFromCN(c.subjectCN));
    expect(cert.holderName).not.toContain('()');
    expect(cert.crlUrls).toEqual(['http://127.0.0.1:1/crl/yessign-Test.crl']);
  });

  it('realName from the KISA identifyData subjectAltName wins over the CN', () => {
    const c = mat.identities[0]!;
    const [tbsNode, sigAlg] = children(parseDer(read(c.dir, 'signCert.der')));
    const tbsParts = children(tbsNode!);
    const extsWrapper = tbsParts.at(-1)!;
    const exts = children(children(extsWrapper)[0]!).map((e) => e.raw);
    const identifyData = der.seq(
      der.tlv(0xa0, der.oid('1.2.410.200004.10.1.1'), der.tlv(0xa0, der.seq(der.tlv(0x0c, Buffer.from('홍길순', 'utf8')), der.seq()))),
    );
    const san = der.seq(der.oid('2.5.29.17'), der.tlv(0x04, identifyData));
    const tbs = der.seq(...tbsParts.slice(0, -1).map((n) => n.raw), der.tlv(0xa3, der.seq(...exts, san)));
    const caKey = createPrivateKey(readFileSync(join(mat.root, 'ca', 'ca.key.pem')));
    const certDer = der.seq(tbs, sigAlg!.raw, der.tlv(0x03, Buffer.from([0]), sign('sha256', tbs, caKey)));
    const cert = parseCertificate(certDer);
    expect(cert.holderName).toBe('홍길순');
    expect(isIssuedBy(cert, ca())).toBe(true);
  });

  it.each(cases)('%s: keyMatches its own key and not another identity’s', (_cn, c) => {
    const cert = parseCertificate(read(c.dir, 'signCert.der'));
    const key = decryptPrivateKey(read(c.dir, 'signPri.key'), { password: c.password });
    expect(keyMatches(cert, key.privateKey)).toBe(true);
    const other = mat.identities.find((o) => o.dir !== c.dir)!;
    const otherKey = decryptPrivateKey(read(other.dir, 'signPri.key'), { password: other.password });
    expect(keyMatches(cert, otherKey.privateKey)).toBe(false);
  });

  it('chains: identity ← CA ← root, and not the other way', () => {
    const c = mat.identities[0]!;
    const cert = parseCertificate(read(c.dir, 'signCert.der'));
    expect(isIssuedBy(cert, ca())).toBe(true);
    expect(isIssuedBy(ca(), root())).toBe(true);
    expect(isIssuedBy(cert, root())).toBe(false);
    expect(ca().isCA).toBe(true);
  });

  it('the shared CRL verifies against the CA and lists none of the identities', () => {
    const crl = parseCrl(readFileSync(mat.crl));
    expect(() => verifyCrl(crl, ca())).not.toThrow();
    for (const c of mat.identities) {
      const status = isRevoked(parseCertificate(read(c.dir, 'signCert.der')), crl, { issuer: ca(), now });
      expect(status.revoked).toBe(c.revoked);
      expect(status.stale).toBe(false);
    }
  });

  it('the CRL signed by the wrong CA, or tampered with, is refused', () => {
    const crl = parseCrl(readFileSync(mat.crl));
    expect(() => verifyCrl(crl, root())).toThrowError(expect.objectContaining({ code: 'NPKI_CRL_WRONG_ISSUER' }));
    const tampered = { ...crl, tbs: Buffer.from(crl.tbs) };
    tampered.tbs[tampered.tbs.length - 1]! ^= 1;
    expect(() => verifyCrl(tampered, ca())).toThrowError(expect.objectContaining({ code: 'NPKI_CRL_BAD_SIGNATURE' }));
  });

  it('a certificate on a CA-signed CRL is revoked, with date and reason; staleness follows nextUpdate', () => {
    const target = mat.identities[0]!;
    const cert = parseCertificate(read(target.dir, 'signCert.der'));
    const caKey = createPrivateKey(readFileSync(join(mat.root, 'ca', 'ca.key.pem')));
    const revokedAt = new Date('2026-11-01T00:00:00Z');
    const reasonExt = der.seq(der.seq(der.oid('2.5.29.21'), der.tlv(0x04, der.tlv(0x0a, Buffer.from([1])))));
    const sha256Rsa = der.seq(der.oid('1.2.840.113549.1.1.11'), Buffer.from('0500', 'hex'));
    const tbs = der.seq(
      der.int('01'),
      sha256Rsa,
      ca().subject.der,
      der.utcTime(new Date('2026-11-20T00:00:00Z')),
      der.utcTime(new Date('2026-11-27T00:00:00Z')),
      der.seq(der.seq(der.int(cert.serial), der.utcTime(revokedAt), reasonExt), der.seq(der.int('99'), der.utcTime(revokedAt))),
    );
    const crlDer = der.seq(tbs, sha256Rsa, der.tlv(0x03, Buffer.from([0]), sign('sha256', tbs, caKey)));
    const crl = parseCrl(crlDer);
    expect(crl.revoked.size).toBe(2);
    const status = isRevoked(cert, crl, { issuer: ca(), now });
    expect(status).toEqual({ revoked: true, revokedAt, reason: 'keyCompromise', stale: false });
    expect(isRevoked(cert, crl, { issuer: ca(), now: Date.parse('2026-12-01T00:00:00Z') }).stale).toBe(true);
    const other = parseCertificate(read(mat.identities[1]!.dir, 'signCert.der'));
    expect(isRevoked(other, crl, { issuer: ca(), now }).revoked).toBe(false);
    // The same list re-signed by the root is refused for this CA's certificates.
    const rootKey = createPrivateKey(readFileSync(join(mat.root, 'ca', 'root.key.pem')));
    const forged = parseCrl(der.seq(tbs, sha256Rsa, der.tlv(0x03, Buffer.from([0]), sign('sha256', tbs, rootKey))));
    expect(() => isRevoked(cert, forged, { issuer: ca(), now })).toThrowError(expect.objectContaining({ code: 'NPKI_CRL_BAD_SIGNATURE' }));
  });

  it('mutated certificates and CRLs only ever fail with coded errors (property)', () => {
    const certDer = read(mat.identities[0]!.dir, 'signCert.der');
    const crlDer = readFileSync(mat.crl);
    fc.assert(
      fc.property(fc.nat(10_000), fc.integer({ min: 1, max: 255 }), (pos, x) => {
        for (const [input, parse] of [
          [certDer, parseCertificate],
          [crlDer, parseCrl],
        ] as const) {
          const mutated = Buffer.from(input);
          mutated[pos % mutated.length]! ^= x;
          try {
            parse(mutated);
          } catch (err) {
            expect(String((err as { code?: string }).code)).toMatch(/^NPKI_/);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('parseCrl: bad input', () => {
  it.each([
    ['empty', Buffer.alloc(0)],
    ['garbage', Buffer.from('3003020101', 'hex')],
    ['PEM of something else', Buffer.from('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')],
  ])('%s → NPKI_BAD_CRL', (_w, input) => {
    expect(() => parseCrl(input)).toThrowError(expect.objectContaining({ code: 'NPKI_BAD_CRL' }));
  });
});
