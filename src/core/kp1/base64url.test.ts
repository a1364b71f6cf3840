// Runs under vitest (Node). Strict base64url: round trip, and every non-canonical spelling refused.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64url, encodeBase64url } from './base64url';

describe('base64url', () => {
  it('round-trips any bytes and matches Node’s encoder', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const text = encodeBase64url(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64url'));
        expect(decodeBase64url(text)).toEqual(bytes);
      }),
    );
  });

  it('refuses padding, standard-alphabet characters, whitespace, non-ASCII and impossible lengths', () => {
    for (const bad of ['QQ==', 'a+b/', 'QUJD RA', 'QUJDㅎ', 'QUJDR', '\u0000AAA', 'AAA\n']) {
      expect(decodeBase64url(bad), bad).toBeNull();
    }
  });

  it('refuses non-zero trailing bits, so one byte string has exactly one spelling', () => {
    expect(decodeBase64url('QQ')).toEqual(new Uint8Array([0x41]));
    expect(decodeBase64url('QR')).toBeNull();
    expect(decodeBase64url('QUI')).toEqual(new Uint8Array([0x41, 0x42]));
    expect(decodeBase64url('QUJ')).toBeNull();
  });

  it('decodes the empty string to no bytes', () => {
    expect(decodeBase64url('')).toEqual(new Uint8Array(0));
  });
});
