// Runs under vitest (Node). SEED against RFC 4269's four published vectors and, for CBC with
// PKCS#7, against vectors made once with OpenSSL's legacy provider (an independent implementation).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KC, SeedCipher, seedCbcDecrypt, seedCbcEncrypt, unpadPkcs7 } from './seed';

const hex = (s: string) => Buffer.from(s, 'hex');

describe('SEED block cipher (RFC 4269 appendix B)', () => {
  it.each([
    ['00000000000000000000000000000000', '000102030405060708090a0b0c0d0e0f', '5ebac6e0054e166819aff1cc6d346cdb'],
    ['000102030405060708090a0b0c0d0e0f', '00000000000000000000000000000000', 'c11f22f20140505084483597e4370f43'],
    ['4706480851e61be85d74bfb3fd956185', '83a2f8a288641fb9a4e9a5cc2f131c7d', 'ee54d13ebcae706d226bc3142cd40d4a'],
    ['28dbc3bc49ffd87dcfa509b11d422be7', 'b41e6be2eba84a148e2eed84593c5ec7', '9b9b7bfcd1813cb95d0b3618f40f5122'],
  ])('key %s: %s → %s and back', (key, plain, cipher) => {
    const seed = new SeedCipher(hex(key));
    expect(seed.encryptBlock(hex(plain)).toString('hex')).toBe(cipher);
    expect(seed.decryptBlock(hex(cipher)).toString('hex')).toBe(plain);
  });

  it('uses the published key-schedule constants', () => {
    expect(KC.map((k) => k.toString(16).padStart(8, '0'))).toEqual([
      '9e3779b9', '3c6ef373', '78dde6e6', 'f1bbcdcc', 'e3779b99', 'c6ef3733', '8dde6e67', '1bbcdccf',
      '3779b99e', '6ef3733c', 'dde6e678', 'bbcdccf1', '779b99e3', 'ef3733c6', 'de6e678d', 'bcdccf1b',
    ]);
  });

  it('refuses keys and blocks of the wrong size with a code', () => {
    expect(() => new SeedCipher(Buffer.alloc(15))).toThrowError(expect.objectContaining({ code: 'SEED_BAD_KEY' }));
    expect(() => new SeedCipher(Buffer.alloc(16)).encryptBlock(Buffer.alloc(8))).toThrowError(
      expect.objectContaining({ code: 'SEED_BAD_BLOCK' }),
    );
  });
});

describe('SEED-CBC with PKCS#7', () => {
  const fixture = JSON.parse(readFileSync(new URL('./fixtures/seed-cbc-openssl.json', import.meta.url), 'utf8')) as {
    vectors: Array<{ key: string; iv: string; plaintext: string; ciphertext: string }>;
  };

  it.each(fixture.vectors.map((v) => [v.plaintext.length / 2, v] as const))(
    'matches OpenSSL for a %i-byte message, both ways',
    (_n, v) => {
      expect(seedCbcEncrypt(hex(v.key), hex(v.iv), hex(v.plaintext)).toString('hex')).toBe(v.ciphertext);
      expect(seedCbcDecrypt(hex(v.key), hex(v.iv), hex(v.ciphertext)).toString('hex')).toBe(v.plaintext);
    },
  );

  it('reports a padding error (the wrong-password signal) for a wrong key, never garbage', () => {
    const v = fixture.vectors.find((x) => x.plaintext.length === 514)!;
    let paddingErrors = 0;
    let wrongButAccepted = 0;
    for (let i = 0; i < 64; i++) {
      const key = hex(v.key);
      key[i % 16]! ^= 1 + (i >> 4);
      try {
        const out = seedCbcDecrypt(key, hex(v.iv), hex(v.ciphertext));
        // ~1/256 of wrong keys end in a valid 0x01 pad by chance: callers must parse what they get.
        if (out.toString('hex') !== v.plaintext) wrongButAccepted++;
      } catch (err) {
        expect(err).toMatchObject({ code: 'CIPHER_BAD_PADDING' });
        paddingErrors++;
      }
    }
    expect(paddingErrors + wrongButAccepted).toBe(64);
    expect(paddingErrors).toBeGreaterThan(55);
  });

  it('refuses ciphertext that is empty or not whole blocks, and IVs of the wrong size', () => {
    const k = Buffer.alloc(16);
    expect(() => seedCbcDecrypt(k, Buffer.alloc(16), Buffer.alloc(0))).toThrowError(expect.objectContaining({ code: 'CIPHER_BAD_PADDING' }));
    expect(() => seedCbcDecrypt(k, Buffer.alloc(16), Buffer.alloc(17))).toThrowError(expect.objectContaining({ code: 'CIPHER_BAD_PADDING' }));
    expect(() => seedCbcDecrypt(k, Buffer.alloc(8), Buffer.alloc(16))).toThrowError(expect.objectContaining({ code: 'SEED_BAD_IV' }));
  });

  it.each([
    ['', 'empty'],
    ['00000000000000000000000000000000', 'zero pad byte'],
    ['0102030405060708090a0b0c0d0e0f11', 'pad longer than a block'],
    ['0102030405060708090a0b0c0d0e0302', 'inconsistent pad bytes'],
  ])('unpadPkcs7 refuses %s (%s)', (data) => {
    expect(() => unpadPkcs7(hex(data))).toThrowError(expect.objectContaining({ code: 'CIPHER_BAD_PADDING' }));
  });
});
