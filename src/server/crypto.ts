// Runs in the central API and the kiosk (Node). Hashing, random secrets and Ed25519 request
// signatures; key handling itself comes from src/core/kp1 so there is one way to read keys.
import { createHash, randomBytes, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { importPublicKey } from '../core/kp1';

export const sha256hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
export const randomSecret = (bytes = 32) => randomBytes(bytes).toString('base64url');

/** A KeyObject for a base64url raw Ed25519 public key, or undefined when it is not one. */
export function publicKeyFromRaw(b64: string): KeyObject | undefined {
  if (!/^[A-Za-z0-9_-]{43}$/.test(b64)) return undefined;
  try {
    const key = importPublicKey(b64);
    return key.asymmetricKeyType === 'ed25519' ? key : undefined;
  } catch {
    return undefined;
  }
}

export const ed25519Sign = (key: KeyObject, data: Buffer) => sign(null, data, key);
export function ed25519Verify(key: KeyObject, data: Buffer, signature: Buffer): boolean {
  try {
    return signature.length === 64 && verify(null, data, key, signature);
  } catch {
    return false;
  }
}
