// Runs under vitest (Node). The verifier against keys minted here (independent of the shared
// vectors): every rule in order, the decoded-field sets, skew/maxTtl, replay lookup, and
// hostile input (random strings and bytes never throw; huge input is refused cheaply).
import { sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createMemoryReplayState,
  encodeBase64url,
  encodeBody,
  encodeToken,
  generateKeyPair,
  keyIndex,
  mintToken,
  parseToken,
  parseTrustList,
  publicKeyToBase64url,
  signingMessage,
  verifyToken,
} from './index';
import type { TrustList } from './index';

const T0 = 1_795_392_000;
const naver1 = generateKeyPair();
const naver2 = generateKeyPair();
const kakaoOld = generateKeyPair();
const stray = generateKeyPair();
const key = (keyId: number, pair: { publicKey: KeyObject }, extra: Partial<TrustList['issuers'][number]['keys'][number]> = {}) => ({
  keyId,
  publicKey: publicKeyToBase64url(pair.publicKey),
  notBefore: '2026-01-01T00:00:00Z',
  notAfter: '2027-12-31T23:59:59Z',
  status: 'active' as const,
  ...extra,
});
const trustList = parseTrustList({
  version: 1,
  sequence: 1,
  issuedAt: '2026-11-23T00:00:00Z',
  issuers: [
    { code: 1, name: 'naver', displayName: '네이버', keys: [key(1, naver1), key(2, naver2, { status: 'revoked' })] },
    { code: 2, name: 'kakao', displayName: '카카오', keys: [key(1, kakaoOld, { notAfter: '2026-11-22T00:00:00Z' })] },
  ],
});
const mint = (o: Partial<Parameters<typeof mintToken>[0]> = {}) =>
  mintToken({ privateKey: naver1.privateKey, issuer: 1, keyId: 1, issuedAt: T0, ...o });
const check = (token: string, now = T0 + 1, extra = {}) => verifyToken(token, { trustList, now, ...extra });

describe('verifyToken', () => {
  it('round-trips: a minted token verifies with every field as minted', () => {
    const subject = new Uint8Array(16).fill(0xab);
    const nonce = Uint8Array.from([0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0xaa]);
    const token = mint({ subject, nonce, minorWithConsent: true, ttl: 10 });
    expect(token).toMatch(/^KP1\.[A-Za-z0-9_-]{130}$/);
    expect(check(token)).toStrictEqual({
      ok: true,
      code: 'OK',
      tokenId: '1:00112233445566aa',
      issuer: 1,
      issuerName: 'naver',
      keyId: 1,
      subject: 'ab'.repeat(16),
      issuedAt: T0,
      expiresAt: T0 + 10,
      minorWithConsent: true,
    });
  });

  it('random subject and nonce make distinct token ids', () => {
    expect(check(mint()).tokenId).not.toBe(check(mint()).tokenId);
  });

  it('applies the rules in order, each failure carrying only what was decoded before it', () => {
    const body = (over: Partial<Parameters<typeof encodeBody>[0]>) =>
      encodeBody({ version: 1, issuer: 1, keyId: 1, issuedAt: T0, ttl: 15, flags: 0, subject: new Uint8Array(16), nonce: new Uint8Array(8), ...over });
    const signed = (b: Uint8Array, pair = naver1) => encodeToken(b, sign(null, signingMessage(b), pair.privateKey));
    // version 2 with a reserved flag too: rule 2 decides before rule 3
    expect(check(signed(body({ version: 2, flags: 0x80 })))).toStrictEqual({ ok: false, code: 'UNSUPPORTED_VERSION' });
    // reserved flag and unknown key: rule 3 first
    expect(check(signed(body({ flags: 0x02, issuer: 9 })))).toStrictEqual({ ok: false, code: 'MALFORMED' });
    const unknown = check(signed(body({ issuer: 9 })));
    expect(unknown.code).toBe('UNKNOWN_KEY');
    expect(unknown.issuerName).toBeUndefined();
    expect(unknown.tokenId).toBe('9:0000000000000000');
    // revoked key even with a bad signature: rule 5 first
    expect(check(signed(body({ keyId: 2 }), stray))).toMatchObject({ ok: false, code: 'KEY_REVOKED', issuerName: 'naver' });
    // key expired at issue, and a signature by a stray key is not even looked at
    expect(check(signed(body({ issuer: 2 }), stray))).toMatchObject({ code: 'KEY_NOT_VALID_AT_ISSUE', issuerName: 'kakao' });
    expect(check(signed(body({}), stray))).toMatchObject({ code: 'BAD_SIGNATURE' });
    // ttl over policy and expired: rule 8 first
    expect(check(signed(body({ ttl: 30 })), T0 + 1000)).toMatchObject({ code: 'TTL_TOO_LONG' });
    expect(check(signed(body({ ttl: 30 })), T0 + 1, { maxTtl: 30 })).toMatchObject({ ok: true, code: 'OK', expiresAt: T0 + 30 });
  });

  it('skew bounds are inclusive and fractional clocks work', () => {
    const token = mint();
    expect(check(token, T0 - 3).code).toBe('OK');
    expect(check(token, T0 - 3.001).code).toBe('NOT_YET_VALID');
    expect(check(token, T0 + 18).code).toBe('OK');
    expect(check(token, T0 + 18.001).code).toBe('EXPIRED');
    expect(check(token, T0 + 15.5, { skew: 0 }).code).toBe('EXPIRED');
    expect(check(token, T0 + 25, { skew: 10 }).code).toBe('OK');
  });

  it('rules 11 and 12 come from lookup, after every other rule', () => {
    const token = mint();
    const id = check(token).tokenId!;
    expect(check(token, T0 + 1, { lookup: (t: string) => (t === id ? 'duplicate' : null) })).toMatchObject({ ok: false, code: 'DUPLICATE', tokenId: id });
    expect(check(token, T0 + 1, { lookup: () => 'replayed' })).toMatchObject({ ok: false, code: 'REPLAYED', issuerName: 'naver' });
    // an expired token is EXPIRED even when it was admitted before
    expect(check(token, T0 + 100, { lookup: () => 'duplicate' }).code).toBe('EXPIRED');
  });

  it('the memory replay state remembers only what it is told', () => {
    const replay = createMemoryReplayState();
    const token = mint();
    const first = check(token, T0 + 1, { lookup: replay.lookup });
    expect(first.code).toBe('OK');
    expect(check(token, T0 + 2, { lookup: replay.lookup }).code).toBe('OK');
    replay.remember(first.tokenId!);
    expect(check(token, T0 + 2, { lookup: replay.lookup }).code).toBe('DUPLICATE');
    const other = mint();
    replay.rememberElsewhere(check(other).tokenId!);
    expect(check(other, T0 + 2, { lookup: replay.lookup }).code).toBe('REPLAYED');
  });

  it('imports each trust list’s keys once', () => {
    const list = parseTrustList(structuredClone(trustList));
    const index = keyIndex(list);
    check(mint());
    verifyToken(mint(), { trustList: list, now: T0 });
    expect(keyIndex(list)).toBe(index);
  });

  it('refuses a bad context with a coded error instead of guessing', () => {
    expect(() => verifyToken(mint(), { trustList, now: Number.NaN })).toThrow(expect.objectContaining({ code: 'VERIFY_CONTEXT_INVALID' }));
    expect(() => verifyToken(mint(), { trustList, now: T0, skew: -1 })).toThrow(expect.objectContaining({ code: 'VERIFY_CONTEXT_INVALID' }));
  });
});

describe('hostile input', () => {
  it('a 100 KB input is MALFORMED without decoding it', () => {
    const huge = 'KP1.' + 'A'.repeat(100_000);
    expect(parseToken(huge)).toBeNull();
    expect(check(huge)).toStrictEqual({ ok: false, code: 'MALFORMED' });
    expect(check(' '.repeat(50_000) + mint() + ' '.repeat(50_000))).toStrictEqual({ ok: false, code: 'MALFORMED' });
  });

  it('non-string input from an untyped caller is MALFORMED, not a crash', () => {
    for (const v of [undefined, null, 42, {}, ['KP1.'], Buffer.from('KP1.')]) {
      expect(verifyToken(v as unknown as string, { trustList, now: T0 })).toStrictEqual({ ok: false, code: 'MALFORMED' });
    }
  });

  it('only the listed surrounding whitespace is stripped', () => {
    const token = mint();
    expect(check(`\t ${token}\r\n`).code).toBe('OK');
    expect(check(`\u3000${token}`).code).toBe('MALFORMED');
    expect(check(`\uFEFF${token}`).code).toBe('MALFORMED');
    expect(check(`${token}\u0000`).code).toBe('MALFORMED');
  });

  it('random strings never throw and are MALFORMED', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300, unit: 'binary' }), (s) => {
        expect(check(s)).toStrictEqual({ ok: false, code: 'MALFORMED' });
      }),
      { numRuns: 500 },
    );
  });

  it('random 97-byte bodies in the exact form never throw and never pass', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 97, maxLength: 97 }), (bytes) => {
        const r = check('KP1.' + encodeBase64url(bytes));
        expect(r.ok).toBe(false);
        expect(['MALFORMED', 'UNSUPPORTED_VERSION', 'UNKNOWN_KEY', 'KEY_REVOKED', 'KEY_NOT_VALID_AT_ISSUE', 'BAD_SIGNATURE']).toContain(r.code);
      }),
      { numRuns: 1000 },
    );
  });

  it('any single-character change to a real token is refused', () => {
    const token = mint();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: token.length - 1 }), fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }), (i, c) => {
        fc.pre(token[i] !== c);
        const changed = token.slice(0, i) + c + token.slice(i + 1);
        expect(check(changed).ok).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});
