// Runs in Node (main, CLI). Signed deletion receipts: what the 28-day purge deleted (count,
// a digest of the ids in chain order, the chain hashes at both ends of the cut), signed with
// the kiosk's Ed25519 receipt key so an inspector can tell a lawful purge from a removal.
// Receipts hold no personal data: ids are random UUIDs, hashes are one-way.
import { createPublicKey, sign as edSign, verify as edVerify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CodedError } from '../../shared/envelope';
import { decodeBase64url, encodeBase64url, generateKeyPair, publicKeyToBase64url, readPrivateKeyFile, writePrivateKeyFile } from '../kp1';

export const RECEIPT_TYPE = 'munjigi.deletion-receipt';
const SIGNING_DOMAIN = 'MJG-RECEIPT-1\n';
/** The receipt key's file name in the kiosk data directory. */
export const RECEIPT_KEY_FILE = 'receipt-key.pem';

export interface ReceiptBody {
  v: 1;
  type: typeof RECEIPT_TYPE;
  /** 1, 2, 3 … with no gaps: a removed receipt shows. */
  n: number;
  kioskId: string;
  facilityId: string;
  /** Seoul calendar day of the purge, YYYY-MM-DD. */
  date: string;
  /** When the purge ran (ms since epoch, kiosk clock). */
  purgedAt: number;
  /** Entries scanned before this (ms) had expired. */
  cutoff: number;
  count: number;
  firstSeq: number;
  lastSeq: number;
  /** SHA-256 (hex) of the deleted entry ids in chain order, one per line. */
  deletedIdsSha256: string;
  /** prev_hash of the first deleted entry: the previous receipt's cutHash, or the genesis hash. */
  firstPrevHash: string;
  /** hash of the last deleted entry: the chain head at the cut. */
  cutHash: string;
  /** prev_hash of the first entry still kept, or null when none was left. Equals cutHash in an intact log. */
  nextPrevHash: string | null;
  /** base64url raw Ed25519 public key of the signer. */
  publicKey: string;
}

export interface StoredReceipt {
  id: number;
  createdAt: number;
  /** The exact JSON that was signed. */
  body: string;
  /** base64url Ed25519 signature over SIGNING_DOMAIN + body. */
  signature: string;
  sentAt: number | null;
}

const message = (body: string) => Buffer.from(SIGNING_DOMAIN + body, 'utf8');

export function signReceipt(body: ReceiptBody, key: KeyObject): { body: string; signature: string } {
  const text = JSON.stringify(body);
  return { body: text, signature: encodeBase64url(edSign(null, message(text), key)) };
}

const BASE64URL_KEY = /^[A-Za-z0-9_-]{43}$/;

/** Imports a raw base64url Ed25519 public key; null when it is not one. */
export function publicKeyFromBase64url(text: string): KeyObject | null {
  if (!BASE64URL_KEY.test(text)) return null;
  try {
    return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: text }, format: 'jwk' });
  } catch {
    return null;
  }
}

/** True when signature is a valid Ed25519 signature by publicKey over the receipt body text. */
export function receiptSignatureValid(body: string, signature: string, publicKey: KeyObject): boolean {
  try {
    const sig = decodeBase64url(signature);
    return sig !== null && sig.length === 64 && edVerify(null, message(body), publicKey, sig);
  } catch {
    return false;
  }
}

const HEX64 = /^[0-9a-f]{64}$/;
const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

/** Parses a stored body; null when it is not a well-formed receipt. */
export function parseReceiptBody(text: string): ReceiptBody | null {
  let b: Partial<ReceiptBody>;
  try {
    b = JSON.parse(text) as Partial<ReceiptBody>;
  } catch {
    return null;
  }
  if (typeof b !== 'object' || b === null) return null;
  const ok =
    b.v === 1 &&
    b.type === RECEIPT_TYPE &&
    isCount(b.n) &&
    typeof b.kioskId === 'string' &&
    typeof b.facilityId === 'string' &&
    typeof b.date === 'string' &&
    isCount(b.purgedAt) &&
    typeof b.cutoff === 'number' &&
    isCount(b.count) &&
    typeof b.firstSeq === 'number' &&
    typeof b.lastSeq === 'number' &&
    typeof b.deletedIdsSha256 === 'string' &&
    HEX64.test(b.deletedIdsSha256) &&
    typeof b.firstPrevHash === 'string' &&
    typeof b.cutHash === 'string' &&
    (b.nextPrevHash === null || typeof b.nextPrevHash === 'string') &&
    typeof b.publicKey === 'string';
  return ok ? (b as ReceiptBody) : null;
}

/**
 * Loads the kiosk's receipt key from dataDir, creating it (0600, never overwritten) at first
 * start. Throws CodedError KEY_FILE_UNREADABLE / KEY_INVALID / KEY_FILE_UNWRITABLE.
 */
export function ensureReceiptKey(dataDir: string): { privateKey: KeyObject; publicKey: string; path: string } {
  const path = join(dataDir, RECEIPT_KEY_FILE);
  if (!existsSync(path)) {
    try {
      writePrivateKeyFile(path, generateKeyPair().privateKey);
    } catch (err) {
      // Another process made it first: use that one.
      if (!(err instanceof CodedError && err.code === 'KEY_FILE_EXISTS')) throw err;
    }
  }
  const privateKey = readPrivateKeyFile(path);
  return { privateKey, publicKey: publicKeyToBase64url(privateKey), path };
}
