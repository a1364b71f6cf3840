// Runs in Node (Electron main, development host, CLI). Enrolls a kiosk with the central API
// (src/core/sync enrollWithCode: a fresh Ed25519 device key whose private half never leaves
// the kiosk, sealed here by the secret store), pins the authority root key the operator was
// given, and records where to sync. After this the sync worker starts at every kiosk start.
import type { KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CodedError } from '../../shared/envelope';
import type { DeviceKeyStore, HttpClient } from '../sync';
import { enrollWithCode } from '../sync';
import { privateKeyFromPem, privateKeyToPem } from '../kp1';
import type { Logger } from '../log';
import { writeAtomically } from '../settings/store';
import { writeRoots } from './kioskTrust';

/** Seals secrets at rest: Electron's safeStorage in the app; identity (a 0600 file) elsewhere. */
export interface SecretStore {
  kind: 'safeStorage' | 'file';
  seal(plain: Buffer): Buffer;
  open(sealed: Buffer): Buffer;
}

export const fileSecretStore: SecretStore = { kind: 'file', seal: (b) => Buffer.from(b), open: (b) => Buffer.from(b) };

export const syncLinkSchema = z
  .object({
    apiUrl: z.string().url(),
    kioskId: z.string().min(1).max(64),
    facilityId: z.string().min(1).max(64),
    facilityName: z.string().max(200),
    enrolledAt: z.number().int(),
    secretStore: z.enum(['safeStorage', 'file']),
  })
  .strict();
export type SyncLink = z.infer<typeof syncLinkSchema>;

export const enrollmentPaths = (dataDir: string) => ({
  link: join(dataDir, 'sync.json'),
  deviceKey: join(dataDir, 'device.key'),
});

/** https anywhere; plain http only to this machine (development and tests). */
export function checkApiUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CodedError('API_URL_INVALID', '중앙 서버 주소가 올바르지 않습니다. 예: https://api.example.kr');
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new CodedError('API_URL_INSECURE', '중앙 서버 주소는 https:// 로 시작해야 합니다.');
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new CodedError('API_URL_INVALID', '중앙 서버 주소에는 계정, 쿼리, # 부분을 넣을 수 없습니다.');
  }
  return url.origin + url.pathname.replace(/\/+$/, '');
}

export async function enrollKiosk(opts: {
  dataDir: string;
  apiUrl: string;
  code: string;
  root: { keyId: string; publicKey: string };
  label: string;
  http: HttpClient;
  clock: () => number;
  logger: Logger;
  secrets?: SecretStore;
}): Promise<SyncLink> {
  const secrets = opts.secrets ?? fileSecretStore;
  const apiUrl = checkApiUrl(opts.apiUrl);
  if (!/^[A-Za-z0-9_-]{43}$/.test(opts.root.publicKey)) {
    throw new CodedError('ROOT_KEY_INVALID', '루트 공개키 형식이 올바르지 않습니다. 중앙 서버가 처음 시작할 때 출력한 키를 그대로 입력해 주세요.');
  }
  const code = opts.code.trim();
  if (!/^[A-Za-z0-9 -]{6,64}$/.test(code)) throw new CodedError('ENROLLMENT_CODE_INVALID', '등록 코드 형식이 올바르지 않습니다.');
  const paths = enrollmentPaths(opts.dataDir);
  if (existsSync(paths.link)) {
    throw new CodedError('ALREADY_ENROLLED', '이미 중앙 서버에 등록된 키오스크입니다. 다시 등록하려면 관리자가 기존 등록을 해제해야 합니다.');
  }

  const answer = await enrollWithCode({ baseUrl: apiUrl, code, label: opts.label.slice(0, 100), http: opts.http, keyStore: sealedKeyStore(paths.deviceKey, secrets) });
  writeRoots(join(opts.dataDir, 'trust'), [opts.root]);
  const link: SyncLink = {
    apiUrl,
    kioskId: answer.kioskId,
    facilityId: answer.facilityId,
    facilityName: answer.facilityName,
    enrolledAt: opts.clock(),
    secretStore: secrets.kind,
  };
  writeAtomically(paths.link, link);
  opts.logger.info('kiosk enrolled', { kioskId: link.kioskId, facilityId: link.facilityId });
  return link;
}

/** The device private key, sealed by the secret store, in a 0600 JSON file; never overwritten. */
export function sealedKeyStore(path: string, secrets: SecretStore): DeviceKeyStore {
  return {
    load() {
      if (!existsSync(path)) return null;
      const sealed = Buffer.from((JSON.parse(readFileSync(path, 'utf8')) as { sealed: string }).sealed, 'base64');
      return privateKeyFromPem(secrets.open(sealed).toString('utf8'));
    },
    save(privateKey: KeyObject) {
      if (existsSync(path)) throw new CodedError('DEVICE_KEY_EXISTS', '이 키오스크에는 이미 장치 키가 있습니다. 다시 등록하려면 관리자에게 문의해 주세요.');
      writeAtomically(path, { sealed: secrets.seal(Buffer.from(privateKeyToPem(privateKey))).toString('base64') });
    },
  };
}

/** The enrollment on disk, or null when this kiosk was never enrolled. */
export function loadSyncLink(dataDir: string, secrets: SecretStore = fileSecretStore): { link: SyncLink; deviceKey: KeyObject } | null {
  const paths = enrollmentPaths(dataDir);
  if (!existsSync(paths.link)) return null;
  try {
    const link = syncLinkSchema.parse(JSON.parse(readFileSync(paths.link, 'utf8')));
    if (link.secretStore !== secrets.kind) {
      throw new CodedError('DEVICE_KEY_STORE_MISMATCH', '기기 키를 이 환경에서 열 수 없습니다. 키오스크를 다시 등록해 주세요.');
    }
    const deviceKey = sealedKeyStore(paths.deviceKey, secrets).load();
    if (!deviceKey) throw new Error('device key missing');
    return { link, deviceKey };
  } catch (err) {
    if (err instanceof CodedError) throw err;
    throw new CodedError('ENROLLMENT_DAMAGED', '중앙 서버 등록 정보가 손상되었습니다. 관리자에게 연락해 키오스크를 다시 등록해 주세요.');
  }
}
