// Runs in Node (Electron main, development host, CLI). Enrolls a kiosk with the central API:
// makes the kiosk's Ed25519 device key (its private half never leaves the kiosk), spends the
// one-time enrollment code, pins the authority root key the operator was given, and records
// where to sync. After this the sync worker starts at every kiosk start.
import type { KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CodedError } from '../../shared/envelope';
import type { HttpClient } from '../sync';
import { generateKeyPair, privateKeyFromPem, privateKeyToPem, publicKeyToBase64url } from '../kp1';
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

  const device = generateKeyPair();
  let res;
  try {
    res = await opts.http({
      method: 'POST',
      url: `${apiUrl}/v1/kiosks/enroll`,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ code, publicKey: publicKeyToBase64url(device.publicKey), label: opts.label.slice(0, 100) }),
    });
  } catch {
    throw new CodedError('API_UNREACHABLE', '중앙 서버에 연결할 수 없습니다. 주소와 네트워크를 확인해 주세요.');
  }
  if (res.status !== 200) {
    let message = `중앙 서버가 등록을 거절했습니다 (HTTP ${res.status}).`;
    try {
      const body = JSON.parse(res.body) as { error?: { message?: string } };
      if (body.error?.message) message = body.error.message;
    } catch {
      // keep the generic message
    }
    throw new CodedError('ENROLLMENT_REFUSED', message);
  }
  const answer = z
    .object({ kioskId: z.string().min(1).max(64), facilityId: z.string().min(1).max(64), facilityName: z.string().max(200) })
    .safeParse(JSON.parse(res.body));
  if (!answer.success) throw new CodedError('ENROLLMENT_REFUSED', '중앙 서버의 등록 응답을 이해할 수 없습니다.');

  writeAtomically(paths.deviceKey, { sealed: secrets.seal(Buffer.from(privateKeyToPem(device.privateKey))).toString('base64') });
  writeRoots(join(opts.dataDir, 'trust'), [opts.root]);
  const link: SyncLink = { apiUrl, ...answer.data, enrolledAt: opts.clock(), secretStore: secrets.kind };
  writeAtomically(paths.link, link);
  opts.logger.info('kiosk enrolled', { kioskId: link.kioskId, facilityId: link.facilityId });
  return link;
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
    const sealed = Buffer.from((JSON.parse(readFileSync(paths.deviceKey, 'utf8')) as { sealed: string }).sealed, 'base64');
    return { link, deviceKey: privateKeyFromPem(secrets.open(sealed).toString('utf8')) };
  } catch (err) {
    if (err instanceof CodedError) throw err;
    throw new CodedError('ENROLLMENT_DAMAGED', '중앙 서버 등록 정보가 손상되었습니다. 관리자에게 연락해 키오스크를 다시 등록해 주세요.');
  }
}
