// Runs in Node (main process, CLI, server). The NPKI capability's public surface, plus
// unlockCertificate: the one call the sign-up and login flows make once the person has
// picked a certificate and typed its password.
import { promises as fs } from 'node:fs';
import { CodedError } from '../../shared/envelope';
import { MAX_CERT_FILE_BYTES, keyMatches, parseCertificate } from './certificate';
import type { NpkiCertificate } from './certificate';
import type { PolicyEntry } from './policies';
import { MAX_KEY_FILE_BYTES, decryptPrivateKey } from './privateKey';
import type { DecryptedKey } from './privateKey';

export { parseCertificate, keyMatches, isExpired, isIssuedBy, issuerLabel } from './certificate';
export type { NpkiCertificate, DistinguishedName, KeyUsage } from './certificate';
export { decryptPrivateKey, inspectKeyFile } from './privateKey';
export type { DecryptedKey, KeyEncryption, KeyFileInfo } from './privateKey';
export { discoverCertificates, loadCertificateFile, npkiRoots } from './discover';
export type { CertificateEntry, DiscoveryResult, DiscoveryFs, NpkiRoot } from './discover';
export { parseCrl, verifyCrl, isRevoked } from './crl';
export type { Crl, RevocationStatus } from './crl';
export { KOREAN_POLICIES, classifyPolicies } from './policies';
export type { CertKind, PolicyEntry } from './policies';

export interface UnlockedCertificate {
  cert: NpkiCertificate;
  key: DecryptedKey;
}

/** Reads a certificate or key file of at most `max` bytes; coded errors for missing or oversized. */
export async function readNpkiFile(path: string, max: number, what: '인증서' | '개인키'): Promise<Buffer> {
  // stat before open: opening a FIFO or device would block or stream without end.
  const st = await fs.stat(path).catch(() => null);
  if (!st || !st.isFile()) throw new CodedError('NPKI_FILE_NOT_FOUND', `${what} 파일을 찾을 수 없습니다. 경로를 확인해 주세요.`);
  if (st.size > max) throw new CodedError(what === '인증서' ? 'NPKI_BAD_CERT' : 'NPKI_BAD_DER', `${what} 파일이 너무 큽니다.`);
  try {
    return await fs.readFile(path);
  } catch {
    throw new CodedError('NPKI_FILE_UNREADABLE', `${what} 파일을 읽을 수 없습니다. 파일 권한을 확인해 주세요.`);
  }
}

/**
 * Reads the pair, decrypts the key and checks it belongs to the certificate. Wrong password →
 * NPKI_WRONG_PASSWORD; a key of another certificate → NPKI_KEY_MISMATCH. The password Buffer
 * and the key file bytes are zeroed; the caller owns `key.randomNum` and must zero it.
 */
export async function unlockCertificate(opts: {
  certPath: string;
  keyPath: string;
  password: Buffer;
  policyTable?: readonly PolicyEntry[];
}): Promise<UnlockedCertificate> {
  let keyFile: Buffer | undefined;
  try {
    const cert = parseCertificate(await readNpkiFile(opts.certPath, MAX_CERT_FILE_BYTES, '인증서'), opts.policyTable);
    keyFile = await readNpkiFile(opts.keyPath, MAX_KEY_FILE_BYTES, '개인키');
    const key = decryptPrivateKey(keyFile, { password: opts.password });
    if (!keyMatches(cert, key.privateKey)) {
      key.randomNum?.fill(0);
      throw new CodedError('NPKI_KEY_MISMATCH', '개인키가 인증서와 일치하지 않습니다. 같은 폴더의 signCert.der와 signPri.key인지 확인해 주세요.');
    }
    return { cert, key };
  } finally {
    opts.password.fill(0);
    keyFile?.fill(0);
  }
}
