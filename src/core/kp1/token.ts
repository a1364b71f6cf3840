// Runs everywhere Node runs. The KP1 wire format (../shared/spec/kp1-token.md, "Encoding"):
// parse the exact textual form into its 33-byte body and 64-byte signature, and encode it back.
import { decodeBase64url, encodeBase64url } from './base64url';

export const TOKEN_PREFIX = 'KP1.';
/** Base64url characters after the prefix: 97 bytes → 130 characters, no padding. */
export const TOKEN_BASE64_LENGTH = 130;
export const TOKEN_LENGTH = TOKEN_PREFIX.length + TOKEN_BASE64_LENGTH;
export const BODY_LENGTH = 33;
export const SIGNATURE_LENGTH = 64;
export const SUBJECT_LENGTH = 16;
export const NONCE_LENGTH = 8;
/** The signed message is "KP1" || body. */
export const SIGNING_DOMAIN = Buffer.from('KP1', 'ascii');
export const FLAG_MINOR_WITH_CONSENT = 0x01;
export const RESERVED_FLAGS = 0xfe;
export const MIN_TTL = 1;
export const MAX_TTL = 60;

/**
 * Longest raw input worth looking at: the token plus generous surrounding whitespace from a
 * scanner. Anything longer is refused before any trimming, regex or decoding work.
 */
export const MAX_RAW_LENGTH = 1024;

/** The decoded fields of a token body, before any check beyond the syntax. */
export interface TokenBody {
  version: number;
  issuer: number;
  keyId: number;
  issuedAt: number;
  ttl: number;
  flags: number;
  subject: Uint8Array;
  nonce: Uint8Array;
}

export interface ParsedToken {
  body: TokenBody;
  /** The 33 body bytes exactly as received (what the signature covers after "KP1"). */
  bodyBytes: Uint8Array;
  signature: Uint8Array;
}

// Space, tab, LF, VT, FF, CR: what a scanner or a pasted line may put around a token.
const isAsciiSpace = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d);

/** Strips surrounding ASCII whitespace (and so a trailing CR/LF), nothing else. */
export function stripSurroundingSpace(raw: string): string {
  let start = 0;
  let end = raw.length;
  while (start < end && isAsciiSpace(raw.charCodeAt(start))) start++;
  while (end > start && isAsciiSpace(raw.charCodeAt(end - 1))) end--;
  return start === 0 && end === raw.length ? raw : raw.slice(start, end);
}

/** Rule 1: the exact syntax and decoded length 97, or null (MALFORMED). Never throws. */
export function parseToken(raw: unknown): ParsedToken | null {
  if (typeof raw !== 'string' || raw.length > MAX_RAW_LENGTH) return null;
  const text = stripSurroundingSpace(raw);
  if (text.length !== TOKEN_LENGTH || !text.startsWith(TOKEN_PREFIX)) return null;
  const bytes = decodeBase64url(text.slice(TOKEN_PREFIX.length));
  if (bytes === null || bytes.length !== BODY_LENGTH + SIGNATURE_LENGTH) return null;
  const bodyBytes = bytes.subarray(0, BODY_LENGTH);
  return { body: decodeBody(bodyBytes), bodyBytes, signature: bytes.subarray(BODY_LENGTH) };
}

export function decodeBody(b: Uint8Array): TokenBody {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return {
    version: view.getUint8(0),
    issuer: view.getUint8(1),
    keyId: view.getUint8(2),
    issuedAt: view.getUint32(3, false),
    ttl: view.getUint8(7),
    flags: view.getUint8(8),
    subject: b.subarray(9, 25),
    nonce: b.subarray(25, 33),
  };
}

export function encodeBody(body: TokenBody): Uint8Array {
  const b = new Uint8Array(BODY_LENGTH);
  const view = new DataView(b.buffer);
  view.setUint8(0, body.version);
  view.setUint8(1, body.issuer);
  view.setUint8(2, body.keyId);
  view.setUint32(3, body.issuedAt, false);
  view.setUint8(7, body.ttl);
  view.setUint8(8, body.flags);
  b.set(body.subject, 9);
  b.set(body.nonce, 25);
  return b;
}

/** The message an issuer signs: "KP1" || body. */
export function signingMessage(bodyBytes: Uint8Array): Buffer {
  const m = Buffer.allocUnsafe(SIGNING_DOMAIN.length + bodyBytes.length);
  SIGNING_DOMAIN.copy(m, 0);
  m.set(bodyBytes, SIGNING_DOMAIN.length);
  return m;
}

export function encodeToken(bodyBytes: Uint8Array, signature: Uint8Array): string {
  const all = new Uint8Array(BODY_LENGTH + SIGNATURE_LENGTH);
  all.set(bodyBytes, 0);
  all.set(signature, BODY_LENGTH);
  return TOKEN_PREFIX + encodeBase64url(all);
}

const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

/** `<issuer>:<nonce as 16 lowercase hex digits>`: the token id replay state is keyed on. */
export const tokenIdOf = (body: TokenBody) => `${body.issuer}:${hex(body.nonce)}`;
export const subjectHex = (body: TokenBody) => hex(body.subject);
