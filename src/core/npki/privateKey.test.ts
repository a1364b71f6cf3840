// Runs under vitest (Node). Every key-encryption form: the shared NPKI identities, plus
// fixtures written by fixtures/make-keys.py with OpenSSL/hashlib (legacy seedCBC, PBES2 PRFs).
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCertificate } from './certificate';
import { MAX_ITERATIONS, decryptPrivateKey, inspectKeyFile, pbkdf1Sha1 } from './privateKey';
import { seedCbcEncrypt } from './seed';
import { children, parseDer } from './der';
import { SKIP_REASON, der, npkiMaterial } from './testSupport';

const fixtureDir = new URL('./fixtures/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, fixtureDir));
const keysJson = JSON.parse(fixture('keys.json').toString('utf8')) as {
  password: string;
  spkiFile: string;
  keys: Record<string, { encryption: string; randomNum?: string }>;
};
const fixtureSpki = fixture(keysJson.spkiFile);

describe('decryptPrivateKey: fixtures made with an independent implementation', () => {
  it.each(Object.entries(keysJson.keys))('%s decrypts to the expected RSA key', (name, info) => {
    const file = fixture(name);
    expect(inspectKeyFile(file).encryption).toBe(info.encryption);
    const key = decryptPrivateKey(file, { password: keysJson.password });
    expect(key.encryption).toBe(info.encryption);
    expect(key.bits).toBe(2048);
    expect(createPublicKey(key.privateKey).export({ type: 'spki', format: 'der' }).equals(fixtureSpki)).toBe(true);
    expect(key.randomNum?.toString('hex') ?? null).toBe(info.randomNum ?? null);
  });

  it.each(Object.keys(keysJson.keys))('%s: a wrong password is NPKI_WRONG_PASSWORD, never a key', (name) => {
    for (const pw of ['fixture#2026', 'Fixture#2027', 'x', '비밀번호1234']) {
      expect(() => decryptPrivateKey(fixture(name), { password: pw })).toThrowError(
        expect.objectContaining({ code: 'NPKI_WRONG_PASSWORD' }),
      );
    }
  });

  it('zeroes a password given as a Buffer, on success and on failure', () => {
    const good = Buffer.from(keysJson.password);
    decryptPrivateKey(fixture('legacy-seed.key'), { password: good });
    expect(good.every((b) => b === 0)).toBe(true);
    const bad = Buffer.from('wrong-password');
    expect(() => decryptPrivateKey(fixture('legacy-seed.key'), { password: bad })).toThrow();
    expect(bad.every((b) => b === 0)).toBe(true);
  });

  it('an empty password is refused as a wrong password', () => {
    expect(() => decryptPrivateKey(fixture('legacy-seed.key'), { password: '' })).toThrowError(
      expect.objectContaining({ code: 'NPKI_WRONG_PASSWORD' }),
    );
  });
});

describe('decryptPrivateKey: PBKDF2 parameter variants', () => {
  // Rebuilds the PBES2-SEED fixture with an explicit keyLength, as some Korean toolkits write it.
  const rebuild = (keyLength: number | null) => {
    const [alg, ct] = children(parseDer(fixture('pbes2-seed-sha256.key')));
    const [, pbes2Params] = children(alg!);
    const [kdf, enc] = children(pbes2Params!);
    const [kdfOid, kdfParams] = children(kdf!);
    const [salt, iter, prf] = children(kdfParams!);
    const params = der.seq(salt!.raw, iter!.raw, ...(keyLength === null ? [] : [der.int(keyLength.toString(16))]), prf!.raw);
    return der.seq(der.seq(der.oid('1.2.840.113549.1.5.13'), der.seq(der.seq(kdfOid!.raw, params), enc!.raw)), ct!.raw);
  };

  it('accepts keyLength 16 for SEED and refuses a keyLength that does not fit the cipher', () => {
    expect(decryptPrivateKey(rebuild(null), { password: keysJson.password }).encryption).toBe('pbes2-seed');
    expect(decryptPrivateKey(rebuild(16), { password: keysJson.password }).encryption).toBe('pbes2-seed');
    expect(() => decryptPrivateKey(rebuild(32), { password: keysJson.password })).toThrowError(
      expect.objectContaining({ code: 'NPKI_BAD_DER' }),
    );
  });
});

describe('decryptPrivateKey: PKCS#8 attributes', () => {
  // A legacy-form key file around a given PKCS#8 body (key = PBKDF1 DK[0..15], IV "0123456789012345").
  const legacyFile = (pkcs8: Buffer, password: string) => {
    const salt = Buffer.alloc(8, 3);
    const dk = pbkdf1Sha1(Buffer.from(password), salt, 2048, 20);
    const ct = seedCbcEncrypt(dk.subarray(0, 16), Buffer.from('0123456789012345'), pkcs8);
    return der.seq(der.seq(der.oid('1.2.410.200004.1.4'), der.seq(der.tlv(0x04, salt), der.int('0800'))), der.tlv(0x04, ct));
  };
  const body = () => {
    const key = decryptPrivateKey(fixture('legacy-seed.key'), { password: keysJson.password });
    return children(parseDer(key.privateKey.export({ type: 'pkcs8', format: 'der' }))).map((n) => n.raw);
  };
  const withAttributes = (...attrs: Buffer[]) => der.seq(...body(), der.tlv(0xa0, ...attrs));
  const randomNumAttr = (value: Buffer) => der.seq(der.oid('1.2.410.200004.10.1.1.3'), der.tlv(0x31, value));

  it('reads randomNum written as OCTET STRING as well as BIT STRING', () => {
    const rn = Buffer.from('00112233445566778899aabbccddeeff00112233', 'hex');
    for (const value of [der.tlv(0x03, Buffer.from([0]), rn), der.tlv(0x04, rn)]) {
      const file = legacyFile(withAttributes(randomNumAttr(value)), 'pw-attr');
      expect(decryptPrivateKey(file, { password: 'pw-attr' }).randomNum?.toString('hex')).toBe(rn.toString('hex'));
    }
  });

  it('a malformed or unknown attribute is tolerated, not reported as a wrong password', () => {
    const odd = [
      randomNumAttr(der.int('05')), // wrong type
      der.seq(der.oid('1.2.3.4'), der.tlv(0x31, der.tlv(0x0c, Buffer.from('x')))), // unknown
      der.tlv(0x02, Buffer.from([1])), // not even an Attribute
    ];
    for (const attr of odd) {
      const key = decryptPrivateKey(legacyFile(withAttributes(attr), 'pw-attr'), { password: 'pw-attr' });
      expect(key.randomNum).toBeNull();
      expect(key.bits).toBe(2048);
    }
  });

  it('an EC key that opens is NPKI_NOT_RSA_KEY, a non-key plaintext is a wrong password', () => {
    const ec = Buffer.from(
      '3041020100301306072a8648ce3d020106082a8648ce3d030107042730250201010420' + '11'.repeat(32),
      'hex',
    );
    expect(() => decryptPrivateKey(legacyFile(ec, 'pw'), { password: 'pw' })).toThrowError(expect.objectContaining({ code: 'NPKI_NOT_RSA_KEY' }));
    expect(() => decryptPrivateKey(legacyFile(Buffer.from('hello world'), 'pw'), { password: 'pw' })).toThrowError(
      expect.objectContaining({ code: 'NPKI_WRONG_PASSWORD' }),
    );
  });
});

describe('decryptPrivateKey: bad input', () => {
  it.each([
    ['empty', Buffer.alloc(0)],
    ['text', Buffer.from('not a key file at all')],
    ['truncated', fixture('pbes2-seed-sha256.key').subarray(0, 200)],
    ['trailing garbage', Buffer.concat([fixture('pbes1-seed-randomnum.key'), Buffer.from([0])])],
    ['indefinite length', Buffer.from('3080020100 0000'.replace(/ /g, ''), 'hex')],
    ['huge', Buffer.alloc(100_000, 0x30)],
  ])('%s → NPKI_BAD_DER', (_what, file) => {
    expect(() => decryptPrivateKey(file, { password: 'x' })).toThrowError(expect.objectContaining({ code: 'NPKI_BAD_DER' }));
  });

  it('an unknown algorithm is NPKI_UNSUPPORTED_ENCRYPTION', () => {
    const file = Buffer.from(fixture('legacy-seed.key'));
    // 1.2.410.200004.1.4 → 1.2.410.200004.1.9 (last OID byte of the algorithm)
    const at = file.indexOf(Buffer.from('06082a831a8c9a440104', 'hex'));
    file[at + 9] = 0x09;
    expect(() => decryptPrivateKey(file, { password: keysJson.password })).toThrowError(
      expect.objectContaining({ code: 'NPKI_UNSUPPORTED_ENCRYPTION' }),
    );
  });

  it('an absurd iteration count is refused before any work', () => {
    const tlv = (tag: number, body: Buffer) => {
      const len = body.length < 0x80 ? Buffer.from([body.length]) : Buffer.from([0x82, body.length >> 8, body.length & 0xff]);
      return Buffer.concat([Buffer.from([tag]), len, body]);
    };
    const count = Buffer.from((MAX_ITERATIONS + 1).toString(16).padStart(6, '0'), 'hex'); // minimal DER INTEGER
    const file = tlv(0x30, Buffer.concat([
      tlv(0x30, Buffer.concat([
        Buffer.from('06082a831a8c9a440104', 'hex'),
        tlv(0x30, Buffer.concat([tlv(0x04, Buffer.alloc(8, 1)), tlv(0x02, count)])),
      ])),
      tlv(0x04, Buffer.alloc(32)),
    ]));
    expect(() => decryptPrivateKey(file, { password: 'x' })).toThrowError(
      expect.objectContaining({ code: 'NPKI_UNSUPPORTED_ENCRYPTION' }),
    );
  });

  it('never throws anything but a coded NPKI error on random or mutated input (property)', () => {
    const base = fixture('pbes2-aes128-sha1.key');
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 400 }).map((a) => Buffer.from(a)),
          fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 1, max: 255 })).map(([i, x]) => {
            const m = Buffer.from(base);
            m[i]! ^= x;
            return m;
          }),
        ),
        (file) => {
          try {
            decryptPrivateKey(file, { password: 'Fixture#2026' });
          } catch (err) {
            expect(String((err as { code?: string }).code)).toMatch(/^NPKI_/);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('pbkdf1Sha1', () => {
  it('matches RFC 8018 PBKDF1-SHA1 as computed by Python hashlib', () => {
    const p = Buffer.from('password');
    const salt = Buffer.from('saltsalt');
    expect(pbkdf1Sha1(p, salt, 1, 20).toString('hex')).toBe('cab86dd6261710891e8cb56ee3625691a75df344');
    expect(pbkdf1Sha1(p, salt, 1000, 16).toString('hex')).toBe('f8833429b112582447bc66f433497f75');
    expect(() => pbkdf1Sha1(p, salt, 1, 21)).toThrowError(expect.objectContaining({ code: 'NPKI_UNSUPPORTED_ENCRYPTION' }));
  });
});

const material = npkiMaterial();
describe.skipIf(!material)(`shared NPKI identities (${material ? 'present' : SKIP_REASON})`, () => {
  const m = material!;
  it.each(m?.identities.map((c) => [c.subjectCN, c] as const) ?? [])('%s: decrypts, form and randomNum as listed', (_cn, c) => {
    const dir = join(m.root, c.dir);
    const key = decryptPrivateKey(readFileSync(join(dir, 'signPri.key')), { password: c.password });
    expect(key.encryption.startsWith(c.encryption)).toBe(true);
    expect(key.randomNum?.toString('hex') ?? null).toBe(c.randomNum);
    const cert = parseCertificate(readFileSync(join(dir, 'signCert.der')));
    expect(createPublicKey(key.privateKey).export({ type: 'spki', format: 'der' }).equals(cert.spki)).toBe(true);
  });

  it.each(m?.identities.map((c) => [c.subjectCN, c] as const) ?? [])('%s: wrong password refused', (_cn, c) => {
    const file = readFileSync(join(m.root, c.dir, 'signPri.key'));
    expect(() => decryptPrivateKey(file, { password: c.password + '!' })).toThrowError(
      expect.objectContaining({ code: 'NPKI_WRONG_PASSWORD', message: expect.stringContaining('암호') }),
    );
  });
});
