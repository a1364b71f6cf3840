// Runs in Node (main, development host, CLI). The specimen issuer (견본 발급기관) of the opening
// self-test: a per-kiosk Ed25519 key that signs 점검용 QR tokens. A specimen is recognised only
// cryptographically (its signature verifies against this key, through the same verifyToken as
// every scan) and is never admitted: the kiosk answers it before admit, so it writes no entry,
// no outbox row and no refusal count. The key is never in any trust list a visitor's token is
// checked against.
import { createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ResultCode } from '../../shared/kp1';
import { CodedError } from '../../shared/envelope';
import { generateKeyPair, mintToken, publicKeyToBase64url, readPrivateKeyFile, verifyToken, writePrivateKeyFile } from '../kp1';
import type { TrustList } from '../kp1';
import type { Logger } from '../log';

/** Issuer code and key id the specimen signs with. Recognition is by signature, so a real issuer
 * assigned the same code is still verified against its own key and is unaffected. */
export const SPECIMEN_ISSUER = 0;
export const SPECIMEN_KEY_ID = 0;
export const SPECIMEN_DIR = 'specimen';
export const SPECIMEN_KEY_FILE = 'specimen-key.pem';
/** A recognisable, fixed subject: a specimen stands for no person. */
const SPECIMEN_SUBJECT = new Uint8Array(16).fill(0x5e);

/** Results that mean "the specimen key's signature verified" (rules 1–7 passed). */
const SIGNATURE_VERIFIED: ReadonlySet<ResultCode> = new Set<ResultCode>(['OK', 'TTL_TOO_LONG', 'NOT_YET_VALID', 'EXPIRED']);

export interface SpecimenScan {
  /** What verifyToken answered against the specimen list: OK for a fresh specimen, EXPIRED for a printed card. */
  result: ResultCode;
  tokenId: string;
  issuedAt: number;
  /** The result a specimen should give: a fresh one (OK) or a printed card older than its ttl (EXPIRED). */
  expected: boolean;
}

export interface SpecimenIssuer {
  /** base64url raw public key (for docs and the card). */
  publicKey: string;
  /** A trust list holding only the specimen key. */
  trustList: TrustList;
  /** A fresh specimen token issued at `issuedAtS` (Unix seconds), ttl 15 s. */
  mint(issuedAtS: number): string;
  /** The scan verified against the specimen list, or null when it is not a specimen. Never throws for any input. */
  classify(data: unknown, nowS: number, policy?: { skew?: number; maxTtl?: number }): SpecimenScan | null;
}

export function specimenIssuerFromKey(privateKey: KeyObject): SpecimenIssuer {
  const publicKey = publicKeyToBase64url(createPublicKey(privateKey));
  const trustList: TrustList = {
    version: 1,
    sequence: 0,
    issuedAt: '2000-01-01T00:00:00Z',
    issuers: [
      {
        code: SPECIMEN_ISSUER,
        name: 'specimen',
        displayName: '점검용 견본',
        keys: [{ keyId: SPECIMEN_KEY_ID, publicKey, notBefore: '2000-01-01T00:00:00Z', notAfter: '2099-12-31T23:59:59Z', status: 'active' }],
      },
    ],
  };
  return {
    publicKey,
    trustList,
    mint: (issuedAtS) =>
      mintToken({ privateKey, issuer: SPECIMEN_ISSUER, keyId: SPECIMEN_KEY_ID, issuedAt: issuedAtS, ttl: 15, subject: SPECIMEN_SUBJECT }),
    classify(data, nowS, policy = {}) {
      if (typeof data !== 'string') return null;
      // No lookup: a specimen is never a duplicate or a replay, because it is never written.
      const result = verifyToken(data, { trustList, now: nowS, skew: policy.skew, maxTtl: policy.maxTtl });
      if (!SIGNATURE_VERIFIED.has(result.code) || result.tokenId === undefined || result.issuedAt === undefined) return null;
      return { result: result.code, tokenId: result.tokenId, issuedAt: result.issuedAt, expected: result.code === 'OK' || result.code === 'EXPIRED' };
    },
  };
}

/** The kiosk's specimen issuer: `<dataDir>/specimen/specimen-key.pem` (0600), made at first use. */
export function openSpecimenIssuer(opts: { dataDir: string; logger: Logger }): SpecimenIssuer {
  const dir = join(opts.dataDir, SPECIMEN_DIR);
  const path = join(dir, SPECIMEN_KEY_FILE);
  let key: KeyObject;
  try {
    key = readPrivateKeyFile(path);
  } catch (err) {
    if ((err as CodedError).code !== 'KEY_FILE_UNREADABLE') throw err;
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const pair = generateKeyPair();
      writePrivateKeyFile(path, pair.privateKey);
      opts.logger.info('specimen key created');
    } catch (writeErr) {
      if (writeErr instanceof CodedError && writeErr.code !== 'KEY_FILE_EXISTS') throw writeErr;
      if (!(writeErr instanceof CodedError)) {
        throw new CodedError('SPECIMEN_KEY_UNAVAILABLE', '점검용 견본 키를 만들 수 없습니다. 데이터 폴더 권한을 확인해 주세요.');
      }
    }
    key = readPrivateKeyFile(path);
  }
  return specimenIssuerFromKey(key);
}

/** The refusal of a specimen outside the self-test: it is never a visitor's entry. */
export const specimenRefused = () =>
  new CodedError('SPECIMEN_TOKEN', '점검용(견본) QR입니다. 출입 인증에는 쓸 수 없습니다. 자가점검 화면에서만 확인됩니다.');
