// Runs in Node (Electron main, development host). The certificates the 인증서 선택 dialog
// offers, kept in main behind opaque references: the renderer sees rows (구분/사용자/만료일/
// 발급자) and a ref, never a file path it could swap, and unlocks only what main listed.
import type { KeyObject } from 'node:crypto';
import { randomBytes, sign } from 'node:crypto';
import type { CertificateRow } from '../../shared/contract';
import { CodedError } from '../../shared/envelope';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import { silentLogger } from '../log';
import type { CertificateEntry, DiscoveryFs, NpkiCertificate, NpkiRoot } from '../npki';
import { discoverCertificates, loadCertificateFile, parseCertificate, readNpkiFile, unlockCertificate } from '../npki';
import { MAX_CERT_FILE_BYTES } from '../npki/certificate';

export type { CertificateRow };

export interface SignedProof {
  /** DER certificate, base64. */
  certificate: string;
  /** RSA PKCS#1 v1.5 over SHA-256 of the message, base64. */
  signature: string;
  spkiSha256: string;
  holderName: string;
}

export interface CertificateWallet {
  /** Scans the standard folders (or the configured roots) again and lists what it found. */
  list(): Promise<CertificateRow[]>;
  /** 인증서 찾기: a signCert.der (or its folder) chosen by the person. */
  find(path: string): Promise<CertificateRow>;
  /** The facts of a listed certificate (for sign-up checks); throws for an unknown ref. */
  entry(ref: string): CertificateEntry;
  /**
   * Unlocks the key of a listed personal, unexpired certificate with `password`, signs
   * `message` and forgets the key. The password Buffer is zeroed whatever happens.
   */
  signWith(ref: string, password: Buffer, message: Buffer): Promise<SignedProof>;
  /**
   * 인증서 등록 step: proves the password opens the key of a usable certificate, locally;
   * nothing is sent anywhere. The password Buffer is zeroed whatever happens.
   */
  check(ref: string, password: Buffer): Promise<CertificateCheck>;
  /**
   * Unlocks once, then runs `use` with a signer while the key is held (e.g. fetch a nonce, sign
   * it). A wrong password fails before `use` runs, so nothing reaches the network.
   */
  unlocked<T>(ref: string, password: Buffer, use: (signer: CertificateSigner) => Promise<T>, options?: UnlockOptions): Promise<T>;
  /** The DER (base64) of a listed certificate, without its key: what an approver sends to re-bind a person's renewed certificate. */
  certificateOf(ref: string): Promise<string>;
}

export interface UnlockOptions {
  /** 인증서 갱신 등록 signs with the registered certificate even after it expired (it proves possession, not validity). */
  allowExpired?: boolean;
}

export interface CertificateSigner {
  /** DER certificate, base64. */
  certificate: string;
  spkiSha256: string;
  holderName: string;
  /** RSA PKCS#1 v1.5 over SHA-256 of the UTF-8 message, base64. */
  sign(message: string | Buffer): string;
}

export interface CertificateCheck {
  holderName: string;
  subjectCN: string;
  spkiSha256: string;
  notAfter: string;
}

export interface WalletOptions {
  clock: Clock;
  platform?: NodeJS.Platform;
  env?: Record<string, string | undefined>;
  homedir?: string;
  /** Look only here instead of the standard NPKI folders (tests, `--npki-root`). */
  roots?: NpkiRoot[];
  fs?: DiscoveryFs;
  logger?: Logger;
}

const MAX_REFS = 2000;

/** Why a certificate cannot be used for a personal staff account; null when it can. */
export function refusalOf(entry: CertificateEntry, now: number, options: UnlockOptions = {}): { code: string; message: string } | null {
  if (!options.allowExpired && (entry.expired || Date.parse(entry.notAfter) <= now)) {
    return { code: 'ACCOUNTS_CERT_EXPIRED', message: '만료된 인증서입니다. 인증서를 갱신한 뒤 다시 시도해 주세요.' };
  }
  if (Date.parse(entry.notBefore) > now) {
    return { code: 'ACCOUNTS_CERT_NOT_YET_VALID', message: '아직 유효기간이 시작되지 않은 인증서입니다. 컴퓨터 시각을 확인해 주세요.' };
  }
  if (entry.kind === 'corporate') {
    return { code: 'ACCOUNTS_CERT_CORPORATE', message: '법인 인증서는 사용할 수 없습니다. 직원 본인 명의의 개인 공동인증서를 선택해 주세요.' };
  }
  if (entry.kind !== 'personal') {
    return { code: 'ACCOUNTS_CERT_UNKNOWN_POLICY', message: '개인용 공동인증서인지 확인할 수 없는 인증서입니다. 개인 공동인증서를 선택해 주세요.' };
  }
  if (!entry.keyPath) {
    return { code: 'ACCOUNTS_KEY_MISSING', message: '인증서와 같은 폴더에 개인키(signPri.key)가 없습니다. 인증서 폴더 전체를 복사해 주세요.' };
  }
  return null;
}

export function createCertificateWallet(opts: WalletOptions): CertificateWallet {
  const logger = opts.logger ?? silentLogger;
  const platform = opts.platform ?? process.platform;
  const refs = new Map<string, CertificateEntry>();
  /** The same certificate keeps its ref across rescans, so a dialog row stays valid. */
  const refOfCert = new Map<string, string>();

  const remember = (entry: CertificateEntry): CertificateRow => {
    const identity = `${entry.certPath}\u0000${entry.spkiSha256}\u0000${entry.serial}`;
    let ref = refOfCert.get(identity);
    if (!ref) {
      if (refs.size >= MAX_REFS) {
        refs.clear();
        refOfCert.clear();
      }
      ref = randomBytes(12).toString('base64url');
      refOfCert.set(identity, ref);
    }
    refs.set(ref, entry);
    const refusal = refusalOf(entry, opts.clock());
    return {
      ref,
      kind: entry.kind,
      kindLabel: entry.kindLabel,
      subjectCN: entry.subjectCN,
      holderName: entry.holderName,
      notAfter: entry.notAfter,
      issuerLabel: entry.issuerLabel,
      policyLabel: entry.policyLabel,
      location: entry.location,
      expired: entry.expired,
      hasKey: entry.keyPath !== null,
      refusal: refusal?.message ?? null,
    };
  };

  const entry = (ref: string): CertificateEntry => {
    const found = refs.get(ref);
    if (!found) throw new CodedError('ACCOUNTS_UNKNOWN_CERTIFICATE', '선택한 인증서를 찾을 수 없습니다. 인증서 목록을 새로 고친 뒤 다시 선택해 주세요.');
    return found;
  };

  /** Unlocks the listed certificate's key for one use; zeroes the password and randomNum after. */
  async function withKey<T>(ref: string, password: Buffer, use: (cert: NpkiCertificate, key: KeyObject) => T | Promise<T>, options: UnlockOptions = {}): Promise<T> {
    try {
      const chosen = entry(ref);
      const refusal = refusalOf(chosen, opts.clock(), options);
      if (refusal) throw new CodedError(refusal.code, refusal.message);
      if (password.length === 0) throw new CodedError('NPKI_WRONG_PASSWORD', '인증서 암호를 입력해 주세요.');
      const { cert, key } = await unlockCertificate({ certPath: chosen.certPath, keyPath: chosen.keyPath as string, password });
      try {
        // The files may have been swapped since they were listed: it must still be the listed certificate.
        if (cert.spkiSha256 !== chosen.spkiSha256) {
          throw new CodedError('ACCOUNTS_CERT_CHANGED', '인증서 파일이 바뀌었습니다. 인증서 목록을 새로 고친 뒤 다시 선택해 주세요.');
        }
        return await use(cert, key.privateKey);
      } finally {
        key.randomNum?.fill(0);
      }
    } finally {
      password.fill(0);
    }
  }

  return {
    async list() {
      const result = await discoverCertificates({
        platform,
        env: opts.env ?? process.env,
        homedir: opts.homedir ?? process.env.HOME ?? process.env.USERPROFILE ?? '',
        clock: opts.clock,
        fs: opts.fs,
        roots: opts.roots,
        logger,
      });
      return result.certificates.map(remember);
    },
    async find(path) {
      return remember(await loadCertificateFile(path, { platform, clock: opts.clock, fs: opts.fs }));
    },
    entry,
    async signWith(ref, password, message) {
      return withKey(ref, password, (cert, privateKey) => ({
        certificate: cert.der.toString('base64'),
        signature: sign('sha256', message, privateKey).toString('base64'), // RSA: PKCS#1 v1.5
        spkiSha256: cert.spkiSha256,
        holderName: cert.holderName,
      }));
    },
    async certificateOf(ref) {
      const chosen = entry(ref);
      const der = await readNpkiFile(chosen.certPath, MAX_CERT_FILE_BYTES, '인증서');
      // The file must still be the certificate that was listed.
      if (parseCertificate(der).spkiSha256 !== chosen.spkiSha256) {
        throw new CodedError('ACCOUNTS_CERT_CHANGED', '인증서 파일이 바뀌었습니다. 인증서 목록을 새로 고친 뒤 다시 선택해 주세요.');
      }
      return der.toString('base64');
    },
    async unlocked(ref, password, use, options) {
      return withKey(ref, password, (cert, privateKey) =>
        use({
          certificate: cert.der.toString('base64'),
          spkiSha256: cert.spkiSha256,
          holderName: cert.holderName,
          sign: (message) => sign('sha256', typeof message === 'string' ? Buffer.from(message, 'utf8') : message, privateKey).toString('base64'),
        }),
        options,
      );
    },
    async check(ref, password) {
      return withKey(ref, password, (cert) => ({
        holderName: cert.holderName,
        subjectCN: cert.subjectCN,
        spkiSha256: cert.spkiSha256,
        notAfter: cert.notAfter.toISOString(),
      }));
    },
  };
}
