// Runs in Node (server, CLI, tests, demo setup). Ed25519 keys for issuers and authority roots,
// and minting KP1 tokens for demos and tests. Private keys are PKCS#8 PEM, files mode 0600.
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign as edSign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { CodedError } from '../../shared/envelope';
import { FLAG_MINOR_WITH_CONSENT, MAX_TTL, MIN_TTL, NONCE_LENGTH, SUBJECT_LENGTH, encodeBody, encodeToken, signingMessage } from './token';

export interface Ed25519KeyPair {
  publicKey: KeyObject;
  privateKey: KeyObject;
}

export const generateKeyPair = (): Ed25519KeyPair => generateKeyPairSync('ed25519');

const isEd25519 = (key: KeyObject) => key.asymmetricKeyType === 'ed25519';

/** The raw 32-byte public key as base64url, the form trust lists and root pins use. */
export function publicKeyToBase64url(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  if (!isEd25519(pub)) throw new CodedError('KEY_INVALID', 'Ed25519 키가 아닙니다.');
  const jwk = pub.export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') throw new CodedError('KEY_INVALID', '공개키를 내보낼 수 없습니다.');
  return jwk.x;
}

export const privateKeyToPem = (key: KeyObject): string => {
  if (key.type !== 'private' || !isEd25519(key)) throw new CodedError('KEY_INVALID', 'Ed25519 개인키가 아닙니다.');
  return key.export({ format: 'pem', type: 'pkcs8' }).toString();
};

/** Reads a PKCS#8 PEM Ed25519 private key. Throws CodedError('KEY_INVALID') otherwise. */
export function privateKeyFromPem(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new CodedError('KEY_INVALID', '개인키 파일을 읽을 수 없습니다. PKCS#8 PEM 형식의 Ed25519 개인키인지 확인해 주세요.');
  }
  if (!isEd25519(key)) throw new CodedError('KEY_INVALID', 'Ed25519 개인키가 아닙니다. munjigi keys 로 만든 키를 사용해 주세요.');
  return key;
}

/** Writes a private key as PKCS#8 PEM, readable only by its owner; refuses to overwrite. */
export function writePrivateKeyFile(path: string, key: KeyObject): void {
  try {
    writeFileSync(path, privateKeyToPem(key), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if (err instanceof CodedError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new CodedError('KEY_FILE_EXISTS', `이미 파일이 있습니다: ${path}. 기존 키를 덮어쓰지 않으니 다른 경로를 지정해 주세요.`);
    throw new CodedError('KEY_FILE_UNWRITABLE', `키 파일을 쓸 수 없습니다: ${path} (${code ?? 'error'}).`);
  }
}

export function readPrivateKeyFile(path: string): KeyObject {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (err) {
    throw new CodedError('KEY_FILE_UNREADABLE', `키 파일을 읽을 수 없습니다: ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  if (pem.length > 16_384) throw new CodedError('KEY_INVALID', '키 파일이 너무 큽니다. PKCS#8 PEM 개인키 파일인지 확인해 주세요.');
  return privateKeyFromPem(pem);
}

export interface MintOptions {
  privateKey: KeyObject;
  issuer: number;
  keyId: number;
  /** Unix seconds */
  issuedAt: number;
  /** seconds, 1..60, default 15 */
  ttl?: number;
  minorWithConsent?: boolean;
  /** 16 bytes; random if absent */
  subject?: Uint8Array;
  /** 8 bytes; random if absent */
  nonce?: Uint8Array;
}

const isU8 = (n: number) => Number.isInteger(n) && n >= 0 && n <= 255;

/** Mints a KP1 token the way an issuer would. Throws CodedError('TOKEN_PARAMS_INVALID'). */
export function mintToken(options: MintOptions): string {
  const { privateKey, issuer, keyId, issuedAt, ttl = 15, minorWithConsent = false } = options;
  const subject = options.subject ?? randomBytes(SUBJECT_LENGTH);
  const nonce = options.nonce ?? randomBytes(NONCE_LENGTH);
  const bad = (what: string) => new CodedError('TOKEN_PARAMS_INVALID', `토큰을 만들 수 없습니다: ${what}`);
  if (!isU8(issuer)) throw bad('발급기관 코드는 0~255 정수여야 합니다.');
  if (!isU8(keyId)) throw bad('키 번호는 0~255 정수여야 합니다.');
  if (!Number.isInteger(issuedAt) || issuedAt < 0 || issuedAt > 0xffffffff) throw bad('발급 시각은 0~4294967295 사이의 Unix 초여야 합니다.');
  if (!Number.isInteger(ttl) || ttl < MIN_TTL || ttl > MAX_TTL) throw bad(`유효시간은 ${MIN_TTL}~${MAX_TTL}초여야 합니다.`);
  if (subject.length !== SUBJECT_LENGTH) throw bad('subject는 16바이트여야 합니다.');
  if (nonce.length !== NONCE_LENGTH) throw bad('nonce는 8바이트여야 합니다.');
  if (privateKey.type !== 'private' || !isEd25519(privateKey)) throw bad('Ed25519 개인키가 필요합니다.');
  const body = encodeBody({
    version: 1,
    issuer,
    keyId,
    issuedAt,
    ttl,
    flags: minorWithConsent ? FLAG_MINOR_WITH_CONSENT : 0,
    subject,
    nonce,
  });
  return encodeToken(body, edSign(null, signingMessage(body), privateKey));
}
