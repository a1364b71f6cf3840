// Runs in Node (kiosk main and the central API). How a kiosk signs a request with its
// Ed25519 device key and how the API checks it: one canonical string, shared by both sides.
import { createHash, randomBytes, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

export const HEADER_KIOSK = 'x-munjigi-kiosk';
export const HEADER_TIMESTAMP = 'x-munjigi-timestamp';
export const HEADER_NONCE = 'x-munjigi-nonce';
export const HEADER_SIGNATURE = 'x-munjigi-signature';

/** Requests older or newer than this (by the server clock) are refused as stale. */
export const MAX_REQUEST_AGE_MS = 5 * 60_000;

/**
 * What is signed: method, path with query, timestamp (ms), nonce and the SHA-256 of the
 * exact body bytes, one per line. Binding the body hash means a captured signature cannot
 * carry a different batch; the nonce and timestamp stop replays of the same request.
 */
export function canonicalRequest(method: string, path: string, timestamp: string, nonce: string, body: Buffer | string): Buffer {
  const bodyHash = createHash('sha256').update(body).digest('hex');
  return Buffer.from(`MUNJIGI-KIOSK-1\n${method.toUpperCase()}\n${path}\n${timestamp}\n${nonce}\n${bodyHash}`, 'utf8');
}

export function signedHeaders(opts: {
  kioskId: string;
  privateKey: KeyObject;
  method: string;
  path: string;
  body: string;
  now: number;
  nonce?: string;
}): Record<string, string> {
  const timestamp = String(Math.trunc(opts.now));
  const nonce = opts.nonce ?? randomBytes(16).toString('base64url');
  const signature = sign(null, canonicalRequest(opts.method, opts.path, timestamp, nonce, opts.body), opts.privateKey).toString('base64url');
  return { [HEADER_KIOSK]: opts.kioskId, [HEADER_TIMESTAMP]: timestamp, [HEADER_NONCE]: nonce, [HEADER_SIGNATURE]: signature };
}
