// Runs under vitest (Node). The DER reader's strictness and decoders; random input only ever
// fails with NPKI_BAD_DER.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  children,
  parseDer,
  pemOrDer,
  readBitString,
  readBoolean,
  readOid,
  readSmallInteger,
  readString,
  readTime,
  readUnsignedInteger,
} from './der';
import type { DerNode } from './der';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const bad = expect.objectContaining({ code: 'NPKI_BAD_DER' });

describe('parseDer', () => {
  it('reads short and long lengths and nested children', () => {
    const n = parseDer(hex('3006 0201 05 0401 ff'));
    expect(n.constructed).toBe(true);
    const kids = children(n);
    expect(kids.map((k) => k.tag)).toEqual([2, 4]);
    const long = parseDer(Buffer.concat([hex('0481 80'), Buffer.alloc(0x80, 7)]));
    expect(long.content.length).toBe(0x80);
  });

  it.each([
    ['empty', ''],
    ['indefinite length (BER)', '3080 0000'],
    ['non-minimal long length', '0481 05 0102030405'],
    ['leading zero in length', '0482 0080' + '00'.repeat(128)],
    ['length past the end', '0405 0102'],
    ['trailing bytes', '0500 00'],
    ['five length octets', '0485 0000000001 00'],
    ['truncated high tag', '1f'],
    ['high tag form for a low tag', '1f05 00'],
  ])('refuses %s', (_w, h) => {
    expect(() => parseDer(hex(h))).toThrowError(bad);
  });

  it('children() of a primitive element is an error', () => {
    expect(() => children(parseDer(hex('0401 00')))).toThrowError(bad);
  });

  it('never throws anything but NPKI_BAD_DER on random bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          const walk = (n: DerNode, depth: number): void => {
            if (n.constructed && depth < 8) children(n).forEach((c) => walk(c, depth + 1));
          };
          walk(parseDer(Buffer.from(bytes)), 0);
        } catch (err) {
          expect(err).toMatchObject({ code: 'NPKI_BAD_DER' });
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('value decoders', () => {
  it('OIDs, including large arcs and the 2.x form', () => {
    expect(readOid(parseDer(hex('0608 2a831a8c9a44010f')))).toBe('1.2.410.200004.1.15');
    expect(readOid(parseDer(hex('0603 551d20')))).toBe('2.5.29.32');
    expect(readOid(parseDer(hex('0609 608648016503040102')))).toBe('2.16.840.1.101.3.4.1.2');
    expect(() => readOid(parseDer(hex('0602 2a80')))).toThrowError(bad); // unterminated arc
    expect(() => readOid(parseDer(hex('0603 2a8001')))).toThrowError(bad); // non-minimal arc
    expect(() => readOid(parseDer(hex('0600')))).toThrowError(bad);
  });

  it('INTEGERs: minimal, non-negative, small', () => {
    expect(readUnsignedInteger(parseDer(hex('0202 00ff'))).toString('hex')).toBe('ff');
    expect(readSmallInteger(parseDer(hex('0202 0800')))).toBe(2048);
    expect(() => readUnsignedInteger(parseDer(hex('0202 0001')))).toThrowError(bad); // non-minimal
    expect(() => readUnsignedInteger(parseDer(hex('0201 80')))).toThrowError(bad); // negative
    expect(() => readSmallInteger(parseDer(hex('0208 0102030405060708')))).toThrowError(bad);
  });

  it('BIT STRING, BOOLEAN', () => {
    expect(readBitString(parseDer(hex('0302 0680'))).unusedBits).toBe(6);
    expect(() => readBitString(parseDer(hex('0301 08')))).toThrowError(bad);
    expect(() => readBitString(parseDer(hex('0300')))).toThrowError(bad);
    expect(readBoolean(parseDer(hex('0101 ff')))).toBe(true);
    expect(() => readBoolean(parseDer(hex('0101 01')))).toThrowError(bad);
  });

  it('times: UTCTime century rule, GeneralizedTime, impossible dates refused', () => {
    const utc = (s: string) => parseDer(Buffer.concat([Buffer.from([0x17, s.length]), Buffer.from(s)]));
    const gen = (s: string) => parseDer(Buffer.concat([Buffer.from([0x18, s.length]), Buffer.from(s)]));
    expect(readTime(utc('491231235959Z')).toISOString()).toBe('2049-12-31T23:59:59.000Z');
    expect(readTime(utc('500101000000Z')).toISOString()).toBe('1950-01-01T00:00:00.000Z');
    expect(readTime(gen('20500101000000Z')).toISOString()).toBe('2050-01-01T00:00:00.000Z');
    for (const s of ['240230000000Z', '241301000000Z', '2401010000Z', '240101000000+0900']) {
      expect(() => readTime(utc(s))).toThrowError(bad);
    }
  });

  it('strings: UTF-8 Korean, BMP, T61 with EUC-KR, invalid UTF-8 refused', () => {
    const str = (tag: number, b: Buffer) => parseDer(Buffer.concat([Buffer.from([tag, b.length]), b]));
    expect(readString(str(0x0c, Buffer.from('홍길동()0041', 'utf8')))).toBe('홍길동()0041');
    const bmp = Buffer.from('보건소', 'utf16le');
    bmp.swap16();
    expect(readString(str(0x1e, bmp))).toBe('보건소');
    // Node and Electron ship full ICU, so EUC-KR decodes; without it the bytes come back as latin1.
    expect(readString(str(0x14, hex('c8ab b1e6 b5bf')))).toBe('홍길동');
    expect(readString(str(0x14, Buffer.from('yessign')))).toBe('yessign');
    expect(() => readString(str(0x0c, hex('c328')))).toThrowError(bad);
    expect(() => readString(str(0x02, hex('01')))).toThrowError(bad);
  });

  it('PEM: finds the labelled block, refuses bad base64', () => {
    const pem = Buffer.from('junk\n-----BEGIN X509 CRL-----\nMAA=\n-----END X509 CRL-----\n');
    expect(pemOrDer(pem, 'X509 CRL').toString('hex')).toBe('3000');
    expect(() => pemOrDer(pem, 'CERTIFICATE')).toThrowError(bad);
    expect(() => pemOrDer(Buffer.from('-----BEGIN X-----\n$$\n-----END X-----'))).toThrowError(bad);
    expect(pemOrDer(hex('3000')).toString('hex')).toBe('3000');
  });
});
