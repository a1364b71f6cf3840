// Runs under vitest (Node). Trust list validation, the signed envelope with pinned roots, and
// the store: rollback, bad signature, unknown root and garbage are refused and the old list kept.
import { sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createTrustStore,
  encodeBase64url,
  generateKeyPair,
  openEnvelope,
  parseTrustList,
  publicKeyToBase64url,
  readTrustDocument,
  signTrustList,
} from './index';
import type { TrustList } from './index';

const root = generateKeyPair();
const otherRoot = generateKeyPair();
const issuerKey = generateKeyPair();
const roots = [{ keyId: 'root-1', publicKey: publicKeyToBase64url(root.publicKey) }];
const list = (sequence: number): TrustList => ({
  version: 1,
  sequence,
  issuedAt: '2026-11-23T00:00:00Z',
  issuers: [
    {
      code: 1,
      name: 'naver',
      displayName: '네이버',
      keys: [{ keyId: 1, publicKey: publicKeyToBase64url(issuerKey.publicKey), notBefore: '2026-01-01T00:00:00Z', notAfter: '2027-12-31T23:59:59Z', status: 'active' }],
    },
  ],
});
const coded = (code: string) => expect.objectContaining({ code });

describe('parseTrustList', () => {
  it('accepts a valid list', () => {
    expect(parseTrustList(list(7))).toStrictEqual(list(7));
  });

  it.each([
    ['not an object', 'hello'],
    ['null', null],
    ['wrong version', { ...list(1), version: 2 }],
    ['negative sequence', { ...list(1), sequence: -1 }],
    ['fractional sequence', { ...list(1), sequence: 1.5 }],
    ['bad date', { ...list(1), issuedAt: 'yesterday' }],
    ['issuer code over 255', { ...list(1), issuers: [{ ...list(1).issuers[0]!, code: 256 }] }],
    ['duplicate issuer', { ...list(1), issuers: [list(1).issuers[0]!, list(1).issuers[0]!] }],
    ['short public key', { ...list(1), issuers: [{ ...list(1).issuers[0]!, keys: [{ ...list(1).issuers[0]!.keys[0]!, publicKey: 'AAAA' }] }] }],
    ['unknown status', { ...list(1), issuers: [{ ...list(1).issuers[0]!, keys: [{ ...list(1).issuers[0]!.keys[0]!, status: 'paused' }] }] }],
    ['notBefore after notAfter', { ...list(1), issuers: [{ ...list(1).issuers[0]!, keys: [{ ...list(1).issuers[0]!.keys[0]!, notBefore: '2028-01-01T00:00:00Z' }] }] }],
  ])('refuses %s with TRUST_LIST_INVALID and a Korean message', (_n, value) => {
    expect(() => parseTrustList(value)).toThrow(coded('TRUST_LIST_INVALID'));
    try {
      parseTrustList(value);
    } catch (err) {
      expect((err as Error).message).toMatch(/신뢰 목록/);
    }
  });
});

describe('signed envelope', () => {
  it('sign → open round-trips', () => {
    const envelope = signTrustList(list(3), root.privateKey, 'root-1');
    expect(Object.keys(envelope)).toEqual(['payload', 'keyId', 'signature']);
    expect(openEnvelope(JSON.parse(JSON.stringify(envelope)), roots)).toStrictEqual(list(3));
  });

  it('refuses a changed payload, a foreign root, an unknown root id and garbage', () => {
    const envelope = signTrustList(list(3), root.privateKey, 'root-1');
    const forged = { ...envelope, payload: encodeBase64url(Buffer.from(JSON.stringify(list(99)))) };
    expect(() => openEnvelope(forged, roots)).toThrow(coded('TRUST_LIST_BAD_SIGNATURE'));
    expect(() => openEnvelope(signTrustList(list(3), otherRoot.privateKey, 'root-1'), roots)).toThrow(coded('TRUST_LIST_BAD_SIGNATURE'));
    expect(() => openEnvelope(signTrustList(list(3), otherRoot.privateKey, 'root-2'), roots)).toThrow(coded('TRUST_LIST_UNKNOWN_ROOT'));
    for (const bad of [null, 'x', {}, { ...envelope, signature: 'short' }, { ...envelope, payload: '!!!' }, { ...envelope, payload: encodeBase64url(Buffer.from('not json')) }]) {
      expect(() => openEnvelope(bad, roots)).toThrow(expect.objectContaining({ code: expect.stringMatching(/^TRUST_LIST_/) }));
    }
  });

  it('a validly signed payload that is not a valid list is TRUST_LIST_INVALID', () => {
    const payload = Buffer.from('{"version":1}');
    const envelope = { payload: encodeBase64url(payload), keyId: 'root-1', signature: encodeBase64url(sign(null, payload, root.privateKey)) };
    expect(() => openEnvelope(envelope, roots)).toThrow(coded('TRUST_LIST_INVALID'));
  });

  it('refuses to sign an invalid list or with a public key', () => {
    expect(() => signTrustList({ ...list(1), sequence: -4 }, root.privateKey, 'root-1')).toThrow(coded('TRUST_LIST_INVALID'));
    expect(() => signTrustList(list(1), root.publicKey, 'root-1')).toThrow(coded('KEY_INVALID'));
  });

  it('readTrustDocument takes a bare list, or an envelope only with roots', () => {
    const envelope = signTrustList(list(3), root.privateKey, 'root-1');
    expect(readTrustDocument(list(2))).toStrictEqual(list(2));
    expect(readTrustDocument(envelope, roots)).toStrictEqual(list(3));
    expect(() => readTrustDocument(envelope)).toThrow(coded('TRUST_LIST_ROOT_REQUIRED'));
  });

  it('refuses an unusable pinned root', () => {
    expect(() => openEnvelope(signTrustList(list(1), root.privateKey, 'root-1'), [{ keyId: 'root-1', publicKey: 'nope' }])).toThrow(coded('ROOT_KEY_INVALID'));
  });
});

describe('createTrustStore', () => {
  it('accepts newer and equal sequences, refuses rollback and keeps the old list', () => {
    const store = createTrustStore({ rootKeys: roots });
    expect(store.current()).toBeNull();
    expect(store.accept(signTrustList(list(5), root.privateKey, 'root-1'))).toMatchObject({ accepted: true });
    expect(store.current()?.sequence).toBe(5);
    const rollback = store.accept(signTrustList(list(4), root.privateKey, 'root-1'));
    expect(rollback).toMatchObject({ accepted: false, code: 'TRUST_LIST_ROLLBACK' });
    expect(store.current()?.sequence).toBe(5);
    expect(store.accept(signTrustList(list(5), root.privateKey, 'root-1'))).toMatchObject({ accepted: true });
    expect(store.accept(signTrustList(list(6), root.privateKey, 'root-1'))).toMatchObject({ accepted: true });
    expect(store.current()?.sequence).toBe(6);
  });

  it('a bad signature or garbage is refused and the old list kept', () => {
    const store = createTrustStore({ rootKeys: roots, initial: list(5) });
    const forged = { ...signTrustList(list(5), root.privateKey, 'root-1'), payload: encodeBase64url(Buffer.from(JSON.stringify(list(50)))) };
    expect(store.accept(forged)).toMatchObject({ accepted: false, code: 'TRUST_LIST_BAD_SIGNATURE' });
    expect(store.accept(signTrustList(list(9), otherRoot.privateKey, 'root-1'))).toMatchObject({ accepted: false, code: 'TRUST_LIST_BAD_SIGNATURE' });
    expect(store.accept('garbage')).toMatchObject({ accepted: false, code: 'TRUST_LIST_INVALID' });
    expect(store.current()).toStrictEqual(list(5));
  });
});

describe('trust list objects', () => {
  it('a parsed list is frozen, so its cached keys cannot go stale', () => {
    const parsed = parseTrustList(list(1));
    expect(Object.isFrozen(parsed)).toBe(true);
    expect(Object.isFrozen(parsed.issuers[0]!.keys[0])).toBe(true);
  });

  it('a hand-built list with an unreadable key makes verify throw TRUST_LIST_INVALID, not crash oddly', async () => {
    const { verifyToken } = await import('./index');
    const broken = { ...list(1), issuers: [{ ...list(1).issuers[0]!, keys: [{ ...list(1).issuers[0]!.keys[0]!, publicKey: '!!' }] }] };
    expect(() => verifyToken('KP1.x', { trustList: broken, now: 0 })).not.toThrow();
    const token = 'KP1.' + Buffer.alloc(97).fill(1, 0, 1).fill(15, 7, 8).toString('base64url');
    expect(() => verifyToken(token, { trustList: broken, now: 0 })).toThrow(coded('TRUST_LIST_INVALID'));
  });
});
