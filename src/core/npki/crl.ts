// Runs in Node (server login checks, CLI, main). Reads an X.509 CRL (RFC 5280 §5), verifies its
// signature against the issuing CA, and answers whether a certificate is on it.
import { createPublicKey, verify } from 'node:crypto';
import { CodedError } from '../../shared/envelope';
import {
  BAD_DER,
  TAG,
  children,
  derError,
  isContext,
  isUniversal,
  parseDer,
  pemOrDer,
  readAlgorithm,
  readBitString,
  readOctetString,
  readOid,
  readSmallInteger,
  readTime,
  readUnsignedInteger,
  sequence,
} from './der';
import type { DerNode } from './der';
import { readName } from './certificate';
import type { DistinguishedName, NpkiCertificate } from './certificate';

export const BAD_CRL = 'NPKI_BAD_CRL';
export const CRL_BAD_SIGNATURE = 'NPKI_CRL_BAD_SIGNATURE';
export const CRL_WRONG_ISSUER = 'NPKI_CRL_WRONG_ISSUER';
/** CRLs of big CAs run to megabytes; 32 MB bounds memory while fitting any real one. */
export const MAX_CRL_BYTES = 32 * 1024 * 1024;

const REASONS = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  'unused',
  'removeFromCRL',
  'privilegeWithdrawn',
  'aACompromise',
] as const;

export interface RevokedEntry {
  revokedAt: Date;
  reason: (typeof REASONS)[number] | null;
}

export interface Crl {
  issuer: DistinguishedName;
  thisUpdate: Date;
  nextUpdate: Date | null;
  crlNumber: string | null;
  /** Serial (lowercase hex, no leading zeros) → entry. */
  revoked: Map<string, RevokedEntry>;
  tbs: Buffer;
  signatureAlgorithm: string;
  signature: Buffer;
}

const SIG_HASH: Record<string, string> = {
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.113549.1.1.14': 'sha224',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};

const badCrl = (why: string) => new CodedError(BAD_CRL, `인증서 폐지 목록(CRL)을 읽을 수 없습니다(${why}).`);

const hexSerial = (b: Buffer) => b.toString('hex').replace(/^0+(?=.)/, '');

function readEntryReason(ext: DerNode | undefined): RevokedEntry['reason'] {
  if (!ext) return null;
  for (const e of sequence(ext, 'CRL 항목 확장')) {
    const parts = sequence(e, 'CRL 항목 확장');
    if (readOid(parts[0]) !== '2.5.29.21') continue;
    const v = parseDer(readOctetString(parts[parts.length - 1]));
    if (!isUniversal(v, 0x0a) || v.content.length !== 1) throw derError('폐지 사유');
    return REASONS[v.content[0]!] ?? 'unspecified';
  }
  return null;
}

/** Parses a CRL (DER or PEM). Does not verify it: use verifyCrl or isRevoked. */
export function parseCrl(input: Buffer): Crl {
  if (input.length === 0 || input.length > MAX_CRL_BYTES) throw badCrl('크기');
  try {
    const der = pemOrDer(input, 'X509 CRL');
    const [tbsNode, sigAlg, sig] = sequence(parseDer(der), 'CRL');
    const tbs = sequence(tbsNode, 'TBSCertList');
    let i = 0;
    if (tbs[0] && isUniversal(tbs[0], TAG.INTEGER)) {
      if (readSmallInteger(tbs[0], 'CRL 버전') !== 1) throw derError('CRL 버전');
      i++;
    }
    i++; // signature algorithm (repeated outside)
    const issuer = readName(tbs[i++], 'CRL 발급자');
    const thisUpdate = readTime(tbs[i++], 'thisUpdate');
    let nextUpdate: Date | null = null;
    const maybeNext = tbs[i];
    if (maybeNext && (isUniversal(maybeNext, TAG.UTC_TIME) || isUniversal(maybeNext, TAG.GENERALIZED_TIME))) {
      nextUpdate = readTime(maybeNext, 'nextUpdate');
      i++;
    }
    const revoked = new Map<string, RevokedEntry>();
    const maybeList = tbs[i];
    if (maybeList && isUniversal(maybeList, TAG.SEQUENCE)) {
      for (const entry of children(maybeList)) {
        const parts = sequence(entry, 'CRL 항목');
        const serial = hexSerial(readUnsignedInteger(parts[0], 'CRL 항목 일련번호'));
        revoked.set(serial, { revokedAt: readTime(parts[1], '폐지 시각'), reason: readEntryReason(parts[2]) });
      }
      i++;
    }
    let crlNumber: string | null = null;
    const maybeExt = tbs[i];
    if (maybeExt && isContext(maybeExt, 0)) {
      for (const e of sequence(children(maybeExt)[0], 'CRL 확장')) {
        const parts = sequence(e, 'CRL 확장');
        if (readOid(parts[0]) === '2.5.29.20') {
          crlNumber = hexSerial(readUnsignedInteger(parseDer(readOctetString(parts[parts.length - 1])), 'CRL 번호'));
        }
      }
    }
    const alg = readAlgorithm(sigAlg, 'CRL 서명 알고리즘');
    const { bytes: signature, unusedBits } = readBitString(sig, 'CRL 서명');
    if (unusedBits !== 0) throw derError('CRL 서명');
    return { issuer, thisUpdate, nextUpdate, crlNumber, revoked, tbs: Buffer.from(tbsNode!.raw), signatureAlgorithm: alg.oid, signature: Buffer.from(signature) };
  } catch (err) {
    if (err instanceof CodedError && err.code === BAD_DER) throw badCrl('형식');
    throw err;
  }
}

/** Throws unless `crl` was issued and signed by `issuer` (name match and signature). */
export function verifyCrl(crl: Crl, issuer: NpkiCertificate): void {
  if (!crl.issuer.der.equals(issuer.subject.der)) {
    throw new CodedError(CRL_WRONG_ISSUER, 'CRL의 발급자가 인증기관 인증서와 다릅니다.');
  }
  const hash = SIG_HASH[crl.signatureAlgorithm];
  if (!hash) throw new CodedError(CRL_BAD_SIGNATURE, `지원하지 않는 CRL 서명 알고리즘입니다(${crl.signatureAlgorithm}).`);
  let good = false;
  try {
    good = verify(hash, crl.tbs, createPublicKey({ key: issuer.spki, format: 'der', type: 'spki' }), crl.signature);
  } catch {
    good = false;
  }
  if (!good) throw new CodedError(CRL_BAD_SIGNATURE, 'CRL 서명이 올바르지 않습니다. 위조되었거나 손상된 목록입니다.');
}

export interface RevocationStatus {
  revoked: boolean;
  revokedAt: Date | null;
  reason: RevokedEntry['reason'];
  /** The CRL is past its nextUpdate at `now`: callers decide (fail-closed by default). */
  stale: boolean;
}

/**
 * Whether `cert` is on `crl`, after checking the CRL is the one `issuer` signed and that
 * `cert` was issued by that same CA. Anything that does not check out throws a coded error.
 */
export function isRevoked(cert: NpkiCertificate, crl: Crl, opts: { issuer: NpkiCertificate; now: number }): RevocationStatus {
  verifyCrl(crl, opts.issuer);
  if (!cert.issuer.der.equals(crl.issuer.der)) {
    throw new CodedError(CRL_WRONG_ISSUER, '이 CRL은 해당 인증서를 발급한 인증기관의 목록이 아닙니다.');
  }
  const entry = crl.revoked.get(cert.serial);
  const stale = crl.nextUpdate !== null && opts.now > crl.nextUpdate.getTime();
  // Listed means revoked, whatever date it carries (deny by default).
  return entry
    ? { revoked: true, revokedAt: entry.revokedAt, reason: entry.reason, stale }
    : { revoked: false, revokedAt: null, reason: null, stale };
}
