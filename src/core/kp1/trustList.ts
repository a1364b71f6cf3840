// Runs everywhere Node runs (kiosk main, server, CLI). The authority's trust list: its schema,
// the signed envelope it travels in, and a store that refuses rollbacks and bad signatures.
import { createPublicKey, sign as edSign, verify as edVerify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import { CodedError } from '../../shared/envelope';
import { decodeBase64url, encodeBase64url } from './base64url';

/** Upper bound on an envelope payload: a trust list is a few KB; refuse anything absurd. */
export const MAX_PAYLOAD_BYTES = 1_000_000;

const base64urlKey = z
  .string()
  .max(64)
  .refine((s) => decodeBase64url(s)?.length === 32, { message: 'publicKey must be base64url of 32 raw bytes' });
const isoTime = z.iso.datetime({ offset: true });

const trustKeySchema = z.object({
  keyId: z.number().int().min(0).max(255),
  publicKey: base64urlKey,
  notBefore: isoTime,
  notAfter: isoTime,
  status: z.enum(['active', 'revoked']),
});

const trustIssuerSchema = z.object({
  code: z.number().int().min(0).max(255),
  name: z.string().min(1).max(64),
  displayName: z.string().min(1).max(128),
  keys: z.array(trustKeySchema).max(255),
});

export const trustListSchema = z
  .object({
    version: z.literal(1),
    sequence: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    issuedAt: isoTime,
    issuers: z.array(trustIssuerSchema).max(256),
  })
  .superRefine((list, ctx) => {
    const codes = new Set<number>();
    for (const issuer of list.issuers) {
      if (codes.has(issuer.code)) ctx.addIssue({ code: 'custom', message: `duplicate issuer code ${issuer.code}` });
      codes.add(issuer.code);
      const keyIds = new Set<number>();
      for (const key of issuer.keys) {
        if (keyIds.has(key.keyId)) ctx.addIssue({ code: 'custom', message: `duplicate keyId ${key.keyId} for issuer ${issuer.code}` });
        keyIds.add(key.keyId);
        if (Date.parse(key.notBefore) > Date.parse(key.notAfter)) {
          ctx.addIssue({ code: 'custom', message: `notBefore after notAfter for issuer ${issuer.code} key ${key.keyId}` });
        }
      }
    }
  });

export type TrustList = z.infer<typeof trustListSchema>;
export type TrustIssuer = TrustList['issuers'][number];
export type TrustKey = TrustIssuer['keys'][number];

/** The signed form a trust list travels in: Ed25519 by an authority root over the payload bytes. */
export interface TrustEnvelope {
  payload: string;
  keyId: string;
  signature: string;
}

/** An authority root key a kiosk pins. */
export interface RootKey {
  keyId: string;
  /** base64url of the raw 32-byte Ed25519 public key */
  publicKey: string;
}

const envelopeSchema = z.object({
  payload: z.string().min(1).max(Math.ceil((MAX_PAYLOAD_BYTES * 4) / 3)),
  keyId: z.string().min(1).max(128),
  signature: z.string().length(86),
});

const rootKeySchema = z.object({ keyId: z.string().min(1).max(128), publicKey: base64urlKey });

/** An issuer key as the verifier uses it: imported once, validity in Unix seconds. */
export interface IndexedKey {
  issuer: TrustIssuer;
  key: TrustKey;
  publicKey: KeyObject;
  notBefore: number;
  notAfter: number;
  revoked: boolean;
}

/** Imports a raw 32-byte Ed25519 public key given as base64url. Throws on a bad key. */
export function importPublicKey(base64url: string): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: base64url }, format: 'jwk' });
}

// Imported keys per trust list object, so verifying a token never re-imports a key.
const indexCache = new WeakMap<TrustList, Map<number, IndexedKey>>();

/**
 * The (issuer, keyId) → key index of a trust list, built once per list object (lists from
 * parseTrustList are frozen, so the index cannot go stale). Throws TRUST_LIST_INVALID for a
 * hand-built list with an unreadable key or date.
 */
export function keyIndex(list: TrustList): Map<number, IndexedKey> {
  let index = indexCache.get(list);
  if (index) return index;
  index = new Map();
  for (const issuer of list.issuers) {
    for (const key of issuer.keys) {
      let publicKey: KeyObject;
      try {
        publicKey = importPublicKey(key.publicKey);
      } catch {
        throw new CodedError('TRUST_LIST_INVALID', `신뢰 목록에 읽을 수 없는 공개키가 있습니다 (발급기관 ${issuer.code}, 키 ${key.keyId}). 기관에서 받은 원본 파일인지 확인해 주세요.`);
      }
      const notBefore = Date.parse(key.notBefore) / 1000;
      const notAfter = Date.parse(key.notAfter) / 1000;
      if (Number.isNaN(notBefore) || Number.isNaN(notAfter)) {
        throw new CodedError('TRUST_LIST_INVALID', `신뢰 목록의 키 유효기간을 읽을 수 없습니다 (발급기관 ${issuer.code}, 키 ${key.keyId}).`);
      }
      index.set(issuer.code * 256 + key.keyId, { issuer, key, publicKey, notBefore, notAfter, revoked: key.status === 'revoked' });
    }
  }
  indexCache.set(list, index);
  return index;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

const issueSummary = (error: z.ZodError) =>
  error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');

/**
 * Validates a trust list (already JSON-parsed) and returns a frozen copy with its keys imported.
 * Throws CodedError('TRUST_LIST_INVALID').
 */
export function parseTrustList(json: unknown): TrustList {
  const parsed = trustListSchema.safeParse(json);
  if (!parsed.success) {
    throw new CodedError('TRUST_LIST_INVALID', `신뢰 목록 형식이 올바르지 않습니다 (${issueSummary(parsed.error)}). 기관에서 받은 원본 파일인지 확인해 주세요.`);
  }
  const list = deepFreeze(parsed.data);
  keyIndex(list);
  return list;
}

function importRoots(rootKeys: RootKey[]): Map<string, KeyObject> {
  const roots = new Map<string, KeyObject>();
  for (const root of rootKeys) {
    const parsed = rootKeySchema.safeParse(root);
    if (!parsed.success) {
      throw new CodedError('ROOT_KEY_INVALID', '기관 루트 공개키가 올바르지 않습니다. base64url로 된 32바이트 Ed25519 공개키인지 확인해 주세요.');
    }
    try {
      roots.set(parsed.data.keyId, importPublicKey(parsed.data.publicKey));
    } catch {
      throw new CodedError('ROOT_KEY_INVALID', '기관 루트 공개키를 읽을 수 없습니다. 키 값을 다시 확인해 주세요.');
    }
  }
  return roots;
}

function openWithRoots(envelope: unknown, roots: Map<string, KeyObject>): TrustList {
  const shape = envelopeSchema.safeParse(envelope);
  if (!shape.success) {
    throw new CodedError('TRUST_LIST_INVALID', `서명된 신뢰 목록의 형식이 올바르지 않습니다 (${issueSummary(shape.error)}).`);
  }
  const { payload, keyId, signature } = shape.data;
  const root = roots.get(keyId);
  if (!root) {
    throw new CodedError('TRUST_LIST_UNKNOWN_ROOT', `신뢰 목록이 등록되지 않은 기관 루트키(${keyId.slice(0, 40)})로 서명되었습니다. 이 키오스크에 등록된 루트키를 확인해 주세요.`);
  }
  const payloadBytes = decodeBase64url(payload);
  const signatureBytes = decodeBase64url(signature);
  if (!payloadBytes || !signatureBytes || signatureBytes.length !== 64) {
    throw new CodedError('TRUST_LIST_INVALID', '서명된 신뢰 목록의 payload 또는 signature가 base64url 형식이 아닙니다.');
  }
  if (!edVerify(null, payloadBytes, root, signatureBytes)) {
    throw new CodedError('TRUST_LIST_BAD_SIGNATURE', '신뢰 목록의 서명이 맞지 않습니다. 변조되었거나 다른 키로 서명된 목록이므로 사용하지 않습니다.');
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payloadBytes));
  } catch {
    throw new CodedError('TRUST_LIST_INVALID', '서명된 신뢰 목록의 내용이 JSON이 아닙니다.');
  }
  return parseTrustList(json);
}

/**
 * Opens a signed envelope with the pinned root whose keyId matches, then validates the list.
 * Throws CodedError TRUST_LIST_INVALID | TRUST_LIST_UNKNOWN_ROOT | TRUST_LIST_BAD_SIGNATURE
 * (or ROOT_KEY_INVALID when a pinned root itself is unusable).
 */
export function openEnvelope(envelope: unknown, rootKeys: RootKey[]): TrustList {
  return openWithRoots(envelope, importRoots(rootKeys));
}

/** True when a parsed JSON document looks like a signed envelope rather than a bare list. */
export const isEnvelope = (doc: unknown): boolean =>
  typeof doc === 'object' && doc !== null && 'payload' in doc && 'signature' in doc;

/**
 * A trust file as operators handle it: a bare trust list, or a signed envelope that then
 * needs pinned roots. Throws TRUST_LIST_ROOT_REQUIRED for an envelope without roots.
 */
export function readTrustDocument(doc: unknown, rootKeys: RootKey[] = []): TrustList {
  if (!isEnvelope(doc)) return parseTrustList(doc);
  if (rootKeys.length === 0) {
    throw new CodedError('TRUST_LIST_ROOT_REQUIRED', '서명된 신뢰 목록입니다. 검증할 기관 루트 공개키를 함께 지정해 주세요 (--root).');
  }
  return openEnvelope(doc, rootKeys);
}

/** Signs a trust list for distribution. The payload is the list as pretty-printed UTF-8 JSON. */
export function signTrustList(trustList: TrustList, rootPrivateKey: KeyObject, keyId: string): TrustEnvelope {
  const list = parseTrustList(trustList);
  if (rootPrivateKey.type !== 'private' || rootPrivateKey.asymmetricKeyType !== 'ed25519') {
    throw new CodedError('KEY_INVALID', '루트 서명키는 Ed25519 개인키여야 합니다.');
  }
  if (!rootKeySchema.shape.keyId.safeParse(keyId).success) {
    throw new CodedError('KEY_ID_INVALID', '루트키 이름(keyId)은 1~128자여야 합니다.');
  }
  const payload = Buffer.from(JSON.stringify(list, null, 2) + '\n', 'utf8');
  return { payload: encodeBase64url(payload), keyId, signature: encodeBase64url(edSign(null, payload, rootPrivateKey)) };
}

export type AcceptResult = { accepted: true; trustList: TrustList } | { accepted: false; code: string; message: string };

export interface TrustStore {
  current(): TrustList | null;
  /** Opens and installs a newer (or equal) signed list; on any refusal the old list stays. */
  accept(envelope: unknown): AcceptResult;
}

/**
 * Holds the list a verifier uses. A bad signature, an unknown root, a malformed list or a
 * lower `sequence` (rollback) is refused and the current list kept; an equal sequence is
 * accepted so a periodic refresh is idempotent.
 */
export function createTrustStore(options: { rootKeys: RootKey[]; initial?: TrustList | null }): TrustStore {
  const roots = importRoots(options.rootKeys);
  let current: TrustList | null = options.initial ? parseTrustList(options.initial) : null;
  return {
    current: () => current,
    accept(envelope) {
      let next: TrustList;
      try {
        next = openWithRoots(envelope, roots);
      } catch (err) {
        if (err instanceof CodedError) return { accepted: false, code: err.code, message: err.message };
        throw err;
      }
      if (current && next.sequence < current.sequence) {
        return {
          accepted: false,
          code: 'TRUST_LIST_ROLLBACK',
          message: `받은 신뢰 목록(순번 ${next.sequence})이 현재 목록(순번 ${current.sequence})보다 오래되어 사용하지 않습니다.`,
        };
      }
      current = next;
      return { accepted: true, trustList: next };
    },
  };
}
