// Runs in Node (main process, CLI). Decrypts NPKI signPri.key files in every form found in the
// field (PBES2 with SEED or AES, PBES1 seedCBCWithSHA1, the legacy seedCBC form) into a
// KeyObject. Password, derived keys and plaintext buffers are zeroed as soon as they are used.
import { createDecipheriv, createHash, createPrivateKey, pbkdf2Sync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { CodedError } from '../../shared/envelope';
import {
  BAD_DER,
  TAG,
  children,
  derError,
  expectUniversal,
  isContext,
  parseDer,
  readAlgorithm,
  readBitString,
  readOctetString,
  readOid,
  readSmallInteger,
  sequence,
} from './der';
import type { DerNode } from './der';
import { BAD_PADDING, seedCbcDecrypt, unpadPkcs7 } from './seed';

export type KeyEncryption = 'pbes2-seed' | 'pbes2-aes' | 'pbes1-seed' | 'legacy-seed';

export const OID = {
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  seedCbcWithSha1: '1.2.410.200004.1.15',
  seedCbc: '1.2.410.200004.1.4',
  aes128Cbc: '2.16.840.1.101.3.4.1.2',
  aes192Cbc: '2.16.840.1.101.3.4.1.22',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
  rsaEncryption: '1.2.840.113549.1.1.1',
  randomNum: '1.2.410.200004.10.1.1.3',
} as const;

const PRF: Record<string, string> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.8': 'sha224',
  '1.2.840.113549.2.9': 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
};

const AES: Record<string, { name: string; keyLength: number }> = {
  [OID.aes128Cbc]: { name: 'aes-128-cbc', keyLength: 16 },
  [OID.aes192Cbc]: { name: 'aes-192-cbc', keyLength: 24 },
  [OID.aes256Cbc]: { name: 'aes-256-cbc', keyLength: 32 },
};

/** Field keys use 2048 (some newer ones 10 000+); far beyond that is a denial-of-service file. */
export const MAX_ITERATIONS = 1_000_000;
/** A signPri.key is about 1.3 KB; 64 KB leaves room for 8192-bit keys and attributes. */
export const MAX_KEY_FILE_BYTES = 64 * 1024;

export const WRONG_PASSWORD = 'NPKI_WRONG_PASSWORD';
export const UNSUPPORTED_ENCRYPTION = 'NPKI_UNSUPPORTED_ENCRYPTION';
export const NOT_RSA_KEY = 'NPKI_NOT_RSA_KEY';

const wrongPassword = () =>
  new CodedError(WRONG_PASSWORD, '인증서 암호가 올바르지 않습니다. 대소문자와 특수문자를 확인하고 다시 입력해 주세요.');
const unsupported = (what: string) =>
  new CodedError(UNSUPPORTED_ENCRYPTION, `지원하지 않는 개인키 암호화 방식입니다(${what}). 인증서를 다시 발급받거나 관리자에게 문의해 주세요.`);

/** What the encrypted file says about itself, readable without the password. */
export interface KeyFileInfo {
  encryption: KeyEncryption;
  /** Cipher and KDF, for support: e.g. "PBKDF2-HMAC-SHA256/SEED-CBC", never secret. */
  scheme: string;
  iterations: number;
}

interface Plan extends KeyFileInfo {
  derive(password: Buffer): { key: Buffer; iv: Buffer };
  cipher: 'seed' | { name: string };
}

export interface DecryptedKey {
  privateKey: KeyObject;
  encryption: KeyEncryption;
  /**
   * The `randomNum` attribute (identity-check random value for VID), or null. It is personal
   * data tied to the owner's resident number: keep it in the main process and zero it after use.
   */
  randomNum: Buffer | null;
  /** Modulus size, for display. */
  bits: number;
}

function checkIterations(n: number): number {
  if (n < 1 || n > MAX_ITERATIONS) throw unsupported(`반복 횟수 ${n}`);
  return n;
}

/** PBKDF1 with SHA-1 (RFC 8018 section 5.1): T1 = SHA1(P || S), Ti = SHA1(Ti-1). */
export function pbkdf1Sha1(password: Uint8Array, salt: Uint8Array, iterations: number, dkLen: number): Buffer {
  if (dkLen > 20) throw unsupported('PBKDF1 키 길이');
  let t = createHash('sha1').update(password).update(salt).digest();
  for (let i = 1; i < iterations; i++) {
    const next = createHash('sha1').update(t).digest();
    t.fill(0);
    t = next;
  }
  const out = Buffer.from(t.subarray(0, dkLen));
  t.fill(0);
  return out;
}

/** salt + iteration count, the PBES1 parameters used by both Korean SEED forms. */
function pbeParams(params: DerNode | undefined): { salt: Buffer; iterations: number } {
  const p = sequence(params, 'PBE 매개변수');
  if (p.length !== 2) throw derError('PBE 매개변수');
  return { salt: readOctetString(p[0], 'salt'), iterations: checkIterations(readSmallInteger(p[1], '반복 횟수')) };
}

function planPbes2(params: DerNode | undefined): Plan {
  const parts = sequence(params, 'PBES2 매개변수');
  if (parts.length !== 2) throw derError('PBES2 매개변수');
  const kdf = readAlgorithm(parts[0], 'PBES2 키 유도');
  if (kdf.oid !== OID.pbkdf2) throw unsupported(`키 유도 ${kdf.oid}`);
  const kp = sequence(kdf.params, 'PBKDF2 매개변수');
  if (kp.length < 2 || kp.length > 4) throw derError('PBKDF2 매개변수');
  // salt is CHOICE { specified OCTET STRING, otherSource AlgorithmIdentifier }; only the first is used.
  const salt = readOctetString(kp[0], 'PBKDF2 salt');
  const iterations = checkIterations(readSmallInteger(kp[1], 'PBKDF2 반복 횟수'));
  let keyLength: number | undefined;
  let digest = 'sha1';
  for (const extra of kp.slice(2)) {
    if (extra.cls === 0 && extra.tag === TAG.INTEGER && keyLength === undefined) {
      keyLength = readSmallInteger(extra, 'PBKDF2 키 길이');
    } else {
      const prf = readAlgorithm(extra, 'PBKDF2 PRF');
      const d = PRF[prf.oid];
      if (!d) throw unsupported(`PRF ${prf.oid}`);
      digest = d;
    }
  }
  const enc = readAlgorithm(parts[1], 'PBES2 암호화');
  let cipherKeyLength: number;
  let cipher: Plan['cipher'];
  let encryption: KeyEncryption;
  let cipherName: string;
  if (enc.oid === OID.seedCbc) {
    cipher = 'seed';
    cipherKeyLength = 16;
    encryption = 'pbes2-seed';
    cipherName = 'SEED-CBC';
  } else {
    const aes = AES[enc.oid];
    if (!aes) throw unsupported(`암호 ${enc.oid}`);
    cipher = { name: aes.name };
    cipherKeyLength = aes.keyLength;
    encryption = 'pbes2-aes';
    cipherName = aes.name.toUpperCase();
  }
  if (keyLength !== undefined && keyLength !== cipherKeyLength) throw derError('PBKDF2 키 길이가 암호와 맞지 않습니다');
  const iv = readOctetString(enc.params, 'IV');
  if (iv.length !== 16) throw derError('IV 길이');
  return {
    encryption,
    scheme: `PBKDF2-HMAC-${digest.toUpperCase()}/${cipherName}`,
    iterations,
    cipher,
    derive: (password) => ({ key: pbkdf2Sync(password, salt, iterations, cipherKeyLength, digest), iv: Buffer.from(iv) }),
  };
}

const LEGACY_IV = Buffer.from('0123456789012345', 'latin1');

/**
 * Both Korean PBES1 forms derive 20 bytes with PBKDF1-SHA1 and use the first 16 as the SEED
 * key. seedCBCWithSHA1 takes the IV from SHA-1 of bytes 16..19; the legacy seedCBC form uses
 * the fixed IV "0123456789012345".
 */
function planKoreanPbes1(params: DerNode | undefined, form: 'pbes1-seed' | 'legacy-seed'): Plan {
  const { salt, iterations } = pbeParams(params);
  return {
    encryption: form,
    scheme: form === 'pbes1-seed' ? 'PBKDF1-SHA1/SEED-CBC (seedCBCWithSHA1)' : 'PBKDF1-SHA1/SEED-CBC (seedCBC, fixed IV)',
    iterations,
    cipher: 'seed',
    derive(password) {
      const dk = pbkdf1Sha1(password, salt, iterations, 20);
      const key = Buffer.from(dk.subarray(0, 16));
      let iv: Buffer;
      if (form === 'pbes1-seed') {
        const ivHash = createHash('sha1').update(dk.subarray(16, 20)).digest();
        iv = Buffer.from(ivHash.subarray(0, 16));
        ivHash.fill(0);
      } else {
        iv = Buffer.from(LEGACY_IV);
      }
      dk.fill(0);
      return { key, iv };
    },
  };
}

/** Reads EncryptedPrivateKeyInfo: the plan for decrypting it and the ciphertext. */
function readEncryptedKey(file: Buffer): { plan: Plan; ciphertext: Buffer } {
  if (file.length === 0 || file.length > MAX_KEY_FILE_BYTES) throw derError('키 파일 크기');
  const top = sequence(parseDer(file), '개인키 파일');
  if (top.length !== 2) throw derError('개인키 파일');
  const alg = readAlgorithm(top[0], '개인키 암호화 알고리즘');
  const ciphertext = readOctetString(top[1], '암호화된 개인키');
  let plan: Plan;
  switch (alg.oid) {
    case OID.pbes2:
      plan = planPbes2(alg.params);
      break;
    case OID.seedCbcWithSha1:
      plan = planKoreanPbes1(alg.params, 'pbes1-seed');
      break;
    case OID.seedCbc:
      plan = planKoreanPbes1(alg.params, 'legacy-seed');
      break;
    default:
      throw unsupported(alg.oid);
  }
  if (ciphertext.length === 0 || ciphertext.length % 16 !== 0) throw derError('암호문 길이');
  return { plan, ciphertext };
}

/** The encryption form of a key file, without needing the password (for listings and support). */
export function inspectKeyFile(file: Buffer): KeyFileInfo {
  const { plan } = readEncryptedKey(file);
  return { encryption: plan.encryption, scheme: plan.scheme, iterations: plan.iterations };
}

function decryptWith(plan: Plan, key: Buffer, iv: Buffer, ciphertext: Buffer): Buffer {
  if (plan.cipher === 'seed') return seedCbcDecrypt(key, iv, ciphertext);
  let decipher: ReturnType<typeof createDecipheriv>;
  try {
    decipher = createDecipheriv(plan.cipher.name, key, iv);
  } catch {
    // e.g. a crypto build without this AES variant
    throw unsupported(plan.cipher.name);
  }
  decipher.setAutoPadding(false);
  const raw = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  try {
    return Buffer.from(unpadPkcs7(raw));
  } finally {
    raw.fill(0);
  }
}

interface Pkcs8 {
  rsaPrivateKey: Buffer;
  randomNum: Buffer | null;
}

/** The randomNum value among the [0] attributes, if present. */
function readRandomNum(attributes: DerNode): Buffer | null {
  for (const attr of children(attributes)) {
    const a = sequence(attr, '개인키 속성');
    if (a.length !== 2 || readOid(a[0], '속성 OID') !== OID.randomNum) continue;
    const values = children(expectUniversal(a[1], TAG.SET, 'randomNum'));
    const first = values[0];
    if (values.length !== 1 || !first) throw derError('randomNum');
    // Issued as BIT STRING; a few toolkits wrote OCTET STRING. Both are tolerated.
    return Buffer.from(first.tag === TAG.BIT_STRING ? readBitString(first, 'randomNum').bytes : readOctetString(first, 'randomNum'));
  }
  return null;
}

/**
 * PrivateKeyInfo (RFC 5208/5958) holding an RSA key, with the optional [0] attributes. Any
 * structural failure here means the password was wrong (the padding matched by chance).
 */
function readPkcs8(plain: Buffer): Pkcs8 {
  const parts = sequence(parseDer(plain), 'PKCS#8');
  if (parts.length < 3 || parts.length > 5) throw derError('PKCS#8');
  const version = readSmallInteger(parts[0], 'PKCS#8 버전');
  if (version > 1) throw derError('PKCS#8 버전');
  const alg = readAlgorithm(parts[1], '키 알고리즘');
  const rsaPrivateKey = readOctetString(parts[2], '개인키');
  if (alg.oid !== OID.rsaEncryption) {
    throw new CodedError(NOT_RSA_KEY, 'RSA 개인키가 아닙니다. 이 인증서 종류는 지원하지 않습니다.');
  }
  // RSAPrivateKey ::= SEQUENCE { version, n, e, d, p, q, dp, dq, qinv, ... }
  const fields = sequence(parseDer(rsaPrivateKey), 'RSA 개인키');
  if (fields.length < 9) throw derError('RSA 개인키');
  for (const f of fields.slice(0, 9)) expectUniversal(f, TAG.INTEGER, 'RSA 개인키');
  // The RSA key parsed, so the password was right: a malformed attribute is tolerated (ignored),
  // never reported as a wrong password.
  let randomNum: Buffer | null = null;
  for (const extra of parts.slice(3)) {
    if (!isContext(extra, 0) || !extra.constructed) continue; // [1] publicKey (v2) is ignored
    try {
      randomNum = readRandomNum(extra) ?? randomNum;
    } catch {
      randomNum = null;
    }
  }
  return { rsaPrivateKey, randomNum };
}

export interface DecryptOptions {
  /** Password as typed. A Buffer is zeroed by this function; a string cannot be (see docs/npki.md). */
  password: string | Buffer;
}

/**
 * Decrypts a signPri.key. Wrong password → CodedError NPKI_WRONG_PASSWORD, never a key.
 * Garbage → NPKI_BAD_DER; unknown algorithms → NPKI_UNSUPPORTED_ENCRYPTION.
 */
export function decryptPrivateKey(file: Buffer, opts: DecryptOptions): DecryptedKey {
  const password = typeof opts.password === 'string' ? Buffer.from(opts.password, 'utf8') : opts.password;
  let key: Buffer | undefined;
  let iv: Buffer | undefined;
  let plain: Buffer | undefined;
  try {
    const { plan, ciphertext } = readEncryptedKey(file);
    if (password.length === 0) throw wrongPassword();
    ({ key, iv } = plan.derive(password));
    try {
      plain = decryptWith(plan, key, iv, ciphertext);
    } catch (err) {
      if (err instanceof CodedError && err.code === BAD_PADDING) throw wrongPassword();
      throw err;
    }
    let pkcs8: Pkcs8;
    try {
      pkcs8 = readPkcs8(plain);
    } catch (err) {
      if (err instanceof CodedError && err.code === BAD_DER) throw wrongPassword();
      throw err;
    }
    let privateKey: KeyObject;
    try {
      privateKey = createPrivateKey({ key: pkcs8.rsaPrivateKey, format: 'der', type: 'pkcs1' });
    } catch {
      throw wrongPassword();
    }
    const bits = privateKey.asymmetricKeyDetails?.modulusLength ?? 0;
    return { privateKey, encryption: plan.encryption, randomNum: pkcs8.randomNum, bits };
  } finally {
    password.fill(0);
    key?.fill(0);
    iv?.fill(0);
    plain?.fill(0);
  }
}
