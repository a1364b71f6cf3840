// Runs in Node (kiosk main). Enrolling a kiosk with the central API: make an Ed25519 device
// key, keep its private half in the kiosk's key store (Electron safeStorage in the app, a
// 0600 file in tests and on servers), and send only the public half with the one-time code.
import type { KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { CodedError } from '../../shared/envelope';
import { generateKeyPair, publicKeyToBase64url, readPrivateKeyFile, writePrivateKeyFile } from '../kp1';
import type { HttpClient } from './worker';

export interface DeviceKeyStore {
  load(): KeyObject | null;
  save(privateKey: KeyObject): void;
}

/** A device key in a PKCS#8 file readable only by its owner; never overwritten. */
export function fileKeyStore(path: string): DeviceKeyStore {
  return {
    load: () => (existsSync(path) ? readPrivateKeyFile(path) : null),
    save: (key) => writePrivateKeyFile(path, key),
  };
}

export interface Enrollment {
  kioskId: string;
  facilityId: string;
  facilityName: string;
}

export async function enrollWithCode(opts: { baseUrl: string; code: string; label: string; http: HttpClient; keyStore: DeviceKeyStore }): Promise<Enrollment> {
  if (opts.keyStore.load()) {
    throw new CodedError('DEVICE_KEY_EXISTS', '이 키오스크에는 이미 장치 키가 있습니다. 다시 등록하려면 관리자에게 문의해 주세요.');
  }
  const pair = generateKeyPair();
  let res;
  try {
    res = await opts.http({
      method: 'POST',
      url: `${opts.baseUrl}/v1/kiosks/enroll`,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ code: opts.code.trim(), publicKey: publicKeyToBase64url(pair.publicKey), label: opts.label }),
    });
  } catch {
    throw new CodedError('ENROLL_NETWORK', '중앙 서버에 연결할 수 없습니다. 네트워크와 서버 주소를 확인해 주세요.');
  }
  let body: { kioskId?: unknown; facilityId?: unknown; facilityName?: unknown; error?: { code?: unknown; message?: unknown } };
  try {
    body = JSON.parse(res.body) as typeof body;
  } catch {
    throw new CodedError('ENROLL_BAD_RESPONSE', '중앙 서버의 응답을 읽을 수 없습니다. 서버 주소를 확인해 주세요.');
  }
  if (res.status !== 200) {
    const code = typeof body.error?.code === 'string' ? body.error.code : `HTTP_${res.status}`;
    const message = typeof body.error?.message === 'string' ? body.error.message : '키오스크 등록에 실패했습니다.';
    throw new CodedError(code, message);
  }
  if (typeof body.kioskId !== 'string' || typeof body.facilityId !== 'string' || typeof body.facilityName !== 'string') {
    throw new CodedError('ENROLL_BAD_RESPONSE', '중앙 서버의 응답을 읽을 수 없습니다. 서버 주소를 확인해 주세요.');
  }
  // Saved only once the server accepted it: a failed enrollment leaves no orphan key behind.
  opts.keyStore.save(pair.privateKey);
  return { kioskId: body.kioskId, facilityId: body.facilityId, facilityName: body.facilityName };
}
