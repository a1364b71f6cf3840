// Runs in the central API (Node). Whether a presented 공동인증서 may act for a staff account:
// chain to the configured trust anchors, validity, keyUsage, personal-policy allow-list and
// revocation by the issuing CA's CRL (cached until nextUpdate; fail-closed unless configured).
// Also checks an RSA PKCS#1 v1.5 SHA-256 signature made with the certificate's key.
import { createPublicKey, verify } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../core/clock';
import type { Logger } from '../../core/log';
import { silentLogger } from '../../core/log';
import { KOREAN_POLICIES, isIssuedBy, isRevoked, parseCertificate, parseCrl, verifyCrl } from '../../core/npki';
import type { Crl, NpkiCertificate } from '../../core/npki';
import { CodedError } from '../../shared/envelope';
import { ApiError } from '../errors';

export const certErrors = {
  invalid: () => new ApiError(400, 'CERT_INVALID', '인증서를 읽을 수 없습니다. signCert.der 파일인지 확인해 주세요.'),
  corporate: () => new ApiError(403, 'CERT_CORPORATE', '법인 인증서로는 가입하거나 로그인할 수 없습니다. 본인 명의의 개인 공동인증서를 사용해 주세요.'),
  policy: () => new ApiError(403, 'CERT_POLICY_NOT_ALLOWED', '허용되지 않은 종류의 인증서입니다. 개인 범용 또는 허용된 개인용 공동인증서를 사용해 주세요.'),
  untrusted: () => new ApiError(403, 'CERT_UNTRUSTED', '신뢰할 수 있는 인증기관에서 발급한 인증서가 아닙니다.'),
  expired: () => new ApiError(403, 'CERT_EXPIRED', '만료된 인증서입니다. 인증서를 갱신한 뒤 다시 시도해 주세요.'),
  notYetValid: () => new ApiError(403, 'CERT_NOT_YET_VALID', '아직 유효기간이 시작되지 않은 인증서입니다. 컴퓨터 시각을 확인해 주세요.'),
  keyUsage: () => new ApiError(403, 'CERT_KEY_USAGE', '전자서명용 인증서가 아닙니다(keyUsage). 전자서명용 인증서(signCert)를 사용해 주세요.'),
  revoked: () => new ApiError(403, 'CERT_REVOKED', '폐지되었거나 효력이 정지된 인증서입니다. 인증기관에서 인증서를 재발급받아 주세요.'),
  crlUnavailable: () =>
    new ApiError(503, 'CRL_UNAVAILABLE', '인증서 폐지 목록(CRL)을 확인할 수 없어 로그인을 거부했습니다. 잠시 후 다시 시도하고, 계속되면 관리자에게 문의해 주세요.'),
  badSignature: () => new ApiError(401, 'SIGNATURE_INVALID', '전자서명이 올바르지 않습니다. 인증서와 개인키가 짝이 맞는지, 비밀번호를 올바르게 입력했는지 확인해 주세요.'),
};

/** Fetches a CRL by its distribution point URL (bytes). Injected: tests serve it from 127.0.0.1. */
export type CrlFetcher = (url: string) => Promise<Buffer>;

export interface CertificatePolicyOptions {
  /** Trust anchors (root CA certificates). Nothing configured = every certificate is refused. */
  anchors: NpkiCertificate[];
  /** Intermediate (issuing) CA certificates that may sit between a person and an anchor. */
  intermediates?: NpkiCertificate[];
  /** Allowed policy OIDs; default: every personal policy in KOREAN_POLICIES plus `extraPersonalPolicies`. */
  allowedPolicies?: readonly string[];
  fetchCrl?: CrlFetcher;
  /** 'closed' (default): no usable CRL → refuse. 'open': allow and log a warning. */
  revocation?: 'closed' | 'open' | 'off';
  clock: Clock;
  logger?: Logger;
}

export interface CertificateChecker {
  /** Parses and checks a DER certificate; throws an ApiError saying why it is refused. */
  check(der: Buffer): Promise<NpkiCertificate>;
  /** Parses only (kind, holder, SPKI) — for refusing corporate certificates with the reason first. */
  parse(der: Buffer): NpkiCertificate;
}

const MAX_CHAIN = 4;
const MAX_CRL_BYTES = 32 * 1024 * 1024;

/** Loads PEM/DER certificates from files or every *.pem/*.crt/*.der in a directory. */
export function loadCertificates(paths: readonly string[]): NpkiCertificate[] {
  const out: NpkiCertificate[] = [];
  const files = paths.flatMap((p) => (existsSync(p) && statSync(p).isDirectory() ? readdirSync(p).filter((f) => /\.(pem|crt|cer|der)$/i.test(f)).map((f) => join(p, f)) : [p]));
  for (const file of files) {
    const bytes = readFileSync(file);
    const text = bytes.toString('latin1');
    const ders = text.includes('-----BEGIN CERTIFICATE-----')
      ? [...text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((m) => Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'))
      : [bytes];
    for (const d of ders) out.push(parseCertificate(d));
  }
  return out;
}

/** A CRL in PEM or DER. */
export function crlBytes(input: Buffer): Buffer {
  const text = input.toString('latin1');
  const m = /-----BEGIN X509 CRL-----([\s\S]*?)-----END X509 CRL-----/.exec(text);
  return m ? Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64') : input;
}

/** Default fetcher for production: http(s) only, 10 s, size-capped. */
export const httpCrlFetcher: CrlFetcher = async (url) => {
  if (!/^https?:\/\//i.test(url)) throw new Error('unsupported CRL URL scheme');
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000), redirect: 'error' });
  if (!res.ok) throw new Error(`CRL fetch ${res.status}`);
  const buf = Buffer.from(await res.arrayBuffer());
  if (buf.length > MAX_CRL_BYTES) throw new Error('CRL too large');
  return buf;
};

export function createCertificateChecker(opts: CertificatePolicyOptions): CertificateChecker {
  const logger = opts.logger ?? silentLogger;
  const allowed = new Set(opts.allowedPolicies ?? KOREAN_POLICIES.filter((p) => p.kind === 'personal').map((p) => p.oid));
  const cas = [...(opts.intermediates ?? []), ...opts.anchors];
  const anchorSpki = new Set(opts.anchors.map((a) => a.spkiSha256));
  const revocation = opts.revocation ?? 'closed';
  const fetchCrl = opts.fetchCrl ?? httpCrlFetcher;
  const crlCache = new Map<string, Crl>();

  function parse(der: Buffer): NpkiCertificate {
    try {
      return parseCertificate(der);
    } catch (e) {
      if (e instanceof CodedError) throw certErrors.invalid();
      throw e;
    }
  }

  const validAt = (c: NpkiCertificate, now: number) => c.notBefore.getTime() <= now && now <= c.notAfter.getTime();

  /** The issuing CA of `cert`, after walking to an anchor; throws CERT_UNTRUSTED. */
  function chain(cert: NpkiCertificate, now: number): NpkiCertificate {
    let current = cert;
    let issuer: NpkiCertificate | undefined;
    for (let depth = 0; depth < MAX_CHAIN; depth++) {
      const parent = cas.find((ca) => ca.isCA && ca.subject.der.equals(current.issuer.der) && isIssuedBy(current, ca));
      if (!parent || !validAt(parent, now)) throw certErrors.untrusted();
      issuer ??= parent;
      if (anchorSpki.has(parent.spkiSha256)) return issuer;
      current = parent;
    }
    throw certErrors.untrusted();
  }

  async function crlFor(issuer: NpkiCertificate, urls: string[], now: number): Promise<Crl | null> {
    for (const url of urls) {
      const cached = crlCache.get(url);
      if (cached && cached.nextUpdate && now <= cached.nextUpdate.getTime()) return cached;
      try {
        const crl = parseCrl(crlBytes(await fetchCrl(url)));
        verifyCrl(crl, issuer); // signed by the CA that issued the certificate, or not used
        crlCache.set(url, crl);
        return crl;
      } catch (e) {
        // The URL comes from the certificate: log the host only.
        logger.warn('crl fetch failed', { host: safeHost(url), error: e instanceof Error ? e.message : String(e) });
      }
    }
    return null;
  }

  async function check(der: Buffer): Promise<NpkiCertificate> {
    const cert = parse(der);
    const now = opts.clock();
    if (cert.isCA) throw certErrors.policy();
    if (cert.kind === 'corporate') throw certErrors.corporate();
    if (!cert.policies.some((p) => allowed.has(p))) throw certErrors.policy();
    if (now < cert.notBefore.getTime()) throw certErrors.notYetValid();
    if (now > cert.notAfter.getTime()) throw certErrors.expired();
    if (!cert.keyUsage || !cert.keyUsage.some((u) => u === 'digitalSignature' || u === 'nonRepudiation')) throw certErrors.keyUsage();
    const issuer = chain(cert, now);
    if (revocation !== 'off') {
      const crl = await crlFor(issuer, cert.crlUrls, now);
      if (!crl) {
        if (revocation === 'closed') throw certErrors.crlUnavailable();
        logger.warn('crl unavailable, allowed by configuration (revocation=open)', { serial: cert.serial });
      } else {
        let status;
        try {
          status = isRevoked(cert, crl, { issuer, now });
        } catch {
          throw certErrors.untrusted();
        }
        if (status.revoked) throw certErrors.revoked();
      }
    }
    return cert;
  }

  return { check, parse };
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'invalid-url';
  }
}

/** RSA PKCS#1 v1.5 with SHA-256 over the UTF-8 message, by the certificate's key. */
export function verifyCertificateSignature(cert: NpkiCertificate, message: string, signatureB64: string): boolean {
  try {
    const key = createPublicKey({ key: cert.spki, format: 'der', type: 'spki' });
    if (key.asymmetricKeyType !== 'rsa') return false;
    return verify('sha256', Buffer.from(message, 'utf8'), key, Buffer.from(signatureB64, 'base64'));
  } catch {
    return false;
  }
}

