// Runs in Node (main, CLI, server). Reads an NPKI signCert.der: names (Korean CNs intact),
// serial, validity, policy OIDs → 개인/법인, keyUsage, SPKI hash; and checks a key against it.
import { X509Certificate, createHash, createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { CodedError } from '../../shared/envelope';
import {
  BAD_DER,
  TAG,
  children,
  derError,
  expectUniversal,
  isContext,
  isUniversal,
  parseDer,
  pemOrDer,
  readBitString,
  readBoolean,
  readOctetString,
  readOid,
  readString,
  readTime,
  readUnsignedInteger,
  sequence,
} from './der';
import type { DerNode } from './der';
import { KIND_LABEL, classifyPolicies } from './policies';
import type { CertKind, PolicyEntry } from './policies';

export const BAD_CERT = 'NPKI_BAD_CERT';
/** A certificate is a few KB; anything much larger is not one. */
export const MAX_CERT_FILE_BYTES = 64 * 1024;

const ATTR_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.42': 'GN',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '0.9.2342.19200300.100.1.25': 'DC',
};

export interface NameAttribute {
  type: string;
  oid: string;
  value: string;
}

export interface DistinguishedName {
  /** In certificate order (C first for Korean certificates). */
  attributes: NameAttribute[];
  /** RFC 4514 style, most specific first: "CN=홍길동()0041…,OU=…,O=…,C=KR". */
  text: string;
  /** DER of the Name, for exact issuer/subject comparisons. */
  der: Buffer;
}

const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;
export type KeyUsage = (typeof KEY_USAGE_BITS)[number];

export interface NpkiCertificate {
  der: Buffer;
  x509: X509Certificate;
  subject: DistinguishedName;
  issuer: DistinguishedName;
  /** Common name of the subject ("사용자" in Korean dialogs). */
  subjectCN: string;
  /** Lowercase hex without leading zeros ("1011"). */
  serial: string;
  notBefore: Date;
  notAfter: Date;
  policies: string[];
  kind: CertKind | 'unknown';
  kindLabel: string;
  /** The policy that decided the kind (or the first one present). */
  policy: string | null;
  policyEntry: PolicyEntry | null;
  keyUsage: KeyUsage[] | null;
  isCA: boolean;
  /** The holder's name: realName from the KISA identifyData SAN, else the CN without its "()…" tail. */
  holderName: string;
  /** CRL distribution point URIs (http or ldap), for the login's revocation check. */
  crlUrls: string[];
  /** SHA-256 of the DER SubjectPublicKeyInfo, lowercase hex: the binding to an account. */
  spkiSha256: string;
  spki: Buffer;
  /** The TBSCertificate, signature algorithm OID and signature, for chain checks. */
  tbs: Buffer;
}

const badCert = (why: string) =>
  new CodedError(BAD_CERT, `인증서 파일을 읽을 수 없습니다(${why}). 올바른 signCert.der 파일인지 확인해 주세요.`);

export function readName(node: DerNode | undefined, what: string): DistinguishedName {
  const rdns = sequence(node, what);
  const attributes: NameAttribute[] = [];
  for (const rdn of rdns) {
    for (const atv of children(expectUniversal(rdn, TAG.SET, what))) {
      const [t, v] = sequence(atv, what);
      const oid = readOid(t, what);
      attributes.push({ oid, type: ATTR_NAMES[oid] ?? oid, value: readString(v, what) });
    }
  }
  const escape = (s: string) => s.replace(/([,+"\\<>;=])/g, '\\$1');
  const text = [...attributes]
    .reverse()
    .map((a) => `${a.type}=${escape(a.value)}`)
    .join(',');
  return { attributes, text, der: node!.raw };
}

function readKeyUsage(value: Buffer): KeyUsage[] {
  const { bytes, unusedBits } = readBitString(parseDer(value), 'keyUsage');
  const total = bytes.length * 8 - unusedBits;
  const out: KeyUsage[] = [];
  KEY_USAGE_BITS.forEach((name, bit) => {
    if (bit < total && (bytes[bit >> 3]! & (0x80 >> (bit & 7))) !== 0) out.push(name);
  });
  return out;
}

function readPolicies(value: Buffer): string[] {
  return sequence(parseDer(value), 'certificatePolicies').map((info) => readOid(sequence(info, 'PolicyInformation')[0], 'policy'));
}

function readBasicConstraintsCA(value: Buffer): boolean {
  const parts = sequence(parseDer(value), 'basicConstraints');
  return parts[0] !== undefined && isUniversal(parts[0], TAG.BOOLEAN) ? readBoolean(parts[0]) : false;
}

const IDENTIFY_DATA = '1.2.410.200004.10.1.1';

/**
 * KISA identifyData in subjectAltName: otherName { 1.2.410.200004.10.1.1, [0] EXPLICIT
 * SEQUENCE { realName UTF8String, userInfo … } }. Returns realName; anything unexpected → null
 * (the name then comes from the CN), because an odd SAN must not make a certificate unusable.
 */
function readIdentifyDataRealName(value: Buffer): string | null {
  try {
    for (const gn of sequence(parseDer(value), 'subjectAltName')) {
      if (!isContext(gn, 0) || !gn.constructed) continue; // otherName
      const [typeId, explicit] = children(gn);
      if (readOid(typeId) !== IDENTIFY_DATA || !explicit || !isContext(explicit, 0)) continue;
      const [data] = children(explicit);
      const name = readString(sequence(data, 'identifyData')[0], 'realName').trim();
      if (name) return name;
    }
  } catch {
    return null;
  }
  return null;
}

/** CRLDistributionPoints → fullName URIs ([6] uniformResourceIdentifier). Malformed → none. */
function readCrlUrls(value: Buffer): string[] {
  const out: string[] = [];
  try {
    for (const dp of sequence(parseDer(value), 'CRLDistributionPoints')) {
      const name = sequence(dp, 'DistributionPoint').find((n) => isContext(n, 0));
      if (!name) continue;
      for (const choice of children(name)) {
        if (!isContext(choice, 0)) continue; // fullName; nameRelativeToCRLIssuer is not a URL
        for (const gn of children(choice)) {
          if (isContext(gn, 6) && !gn.constructed) out.push(gn.content.toString('latin1'));
        }
      }
    }
  } catch {
    return [];
  }
  return out.filter((u) => /^(https?|ldap):\/\//i.test(u)).slice(0, 8);
}

/** "홍길동()0041134…" or "홍길동(HongGilDong)0001…" → "홍길동"; "(주)예시병원()004147" → "(주)예시병원". */
export function nameFromCN(cn: string): string {
  return cn.replace(/\([^()]*\)[0-9A-Za-z]*$/, '').trim() || cn;
}

/** Parses a certificate (DER, or PEM for CA files). Garbage → NPKI_BAD_CERT. */
export function parseCertificate(input: Buffer, policyTable?: readonly PolicyEntry[]): NpkiCertificate {
  if (input.length === 0 || input.length > MAX_CERT_FILE_BYTES) throw badCert('크기');
  try {
    const der = pemOrDer(input, 'CERTIFICATE');
    const [tbsNode, sigAlg, sig] = sequence(parseDer(der), '인증서');
    if (!sigAlg || !sig) throw derError('인증서');
    const tbs = sequence(tbsNode, 'TBSCertificate');
    let i = 0;
    if (tbs[0] && isContext(tbs[0], 0)) i++; // [0] EXPLICIT version
    const serialBytes = readUnsignedInteger(tbs[i++], '일련번호');
    i++; // signature AlgorithmIdentifier (repeated outside the TBS)
    const issuer = readName(tbs[i++], '발급자');
    const [nb, na] = sequence(tbs[i++], '유효기간');
    const notBefore = readTime(nb, '유효기간 시작');
    const notAfter = readTime(na, '유효기간 끝');
    const subject = readName(tbs[i++], '사용자');
    const spkiNode = expectUniversal(tbs[i++], TAG.SEQUENCE, '공개키');
    let policies: string[] = [];
    let keyUsage: KeyUsage[] | null = null;
    let isCA = false;
    let realName: string | null = null;
    let crlUrls: string[] = [];
    for (const rest of tbs.slice(i)) {
      if (!isContext(rest, 3)) continue;
      const [exts] = children(rest);
      for (const ext of sequence(exts, '확장')) {
        const parts = sequence(ext, '확장');
        const oid = readOid(parts[0], '확장 OID');
        const value = readOctetString(parts[parts.length - 1], '확장 값');
        if (oid === '2.5.29.32') policies = readPolicies(value);
        else if (oid === '2.5.29.15') keyUsage = readKeyUsage(value);
        else if (oid === '2.5.29.19') isCA = readBasicConstraintsCA(value);
        else if (oid === '2.5.29.17') realName = readIdentifyDataRealName(value);
        else if (oid === '2.5.29.31') crlUrls = readCrlUrls(value);
      }
    }
    let x509: X509Certificate;
    try {
      x509 = new X509Certificate(der);
    } catch {
      throw badCert('X.509');
    }
    const { kind, policy, entry } = classifyPolicies(policies, policyTable);
    const spki = Buffer.from(spkiNode.raw);
    return {
      der: Buffer.from(der),
      x509,
      subject,
      issuer,
      subjectCN: subject.attributes.findLast((a) => a.type === 'CN')?.value ?? '',
      serial: serialBytes.toString('hex').replace(/^0+(?=.)/, ''),
      notBefore,
      notAfter,
      policies,
      kind,
      kindLabel: KIND_LABEL[kind],
      policy,
      policyEntry: entry,
      keyUsage,
      isCA,
      holderName: realName ?? nameFromCN(subject.attributes.findLast((a) => a.type === 'CN')?.value ?? ''),
      crlUrls,
      spkiSha256: createHash('sha256').update(spki).digest('hex'),
      spki,
      tbs: Buffer.from(tbsNode!.raw),
    };
  } catch (err) {
    if (err instanceof CodedError && err.code === BAD_DER) throw badCert(err.message.replace(/^[^(]*\(|\).*$/g, ''));
    throw err;
  }
}

/** Expired (or not yet valid) at `now`. */
export function isExpired(cert: NpkiCertificate, now: number): boolean {
  return now > cert.notAfter.getTime() || now < cert.notBefore.getTime();
}

/** True when the private key is the one the certificate certifies (SPKI comparison). */
export function keyMatches(cert: NpkiCertificate, key: KeyObject): boolean {
  try {
    const spki = createPublicKey(key).export({ type: 'spki', format: 'der' });
    return spki.equals(cert.spki);
  } catch {
    return false;
  }
}

/** True when `issuer` issued and signed `cert` (name chaining and signature, nothing else). */
export function isIssuedBy(cert: NpkiCertificate, issuer: NpkiCertificate): boolean {
  try {
    return cert.issuer.der.equals(issuer.subject.der) && cert.x509.checkIssued(issuer.x509) && cert.x509.verify(issuer.x509.publicKey);
  } catch {
    return false;
  }
}

/** The issuer as Korean certificate dialogs show it (발급자): the issuing CA's O, else its CN. */
export function issuerLabel(cert: NpkiCertificate): string {
  const pick = (t: string) => cert.issuer.attributes.findLast((a) => a.type === t)?.value;
  return pick('O') ?? pick('CN') ?? cert.issuer.text;
}
