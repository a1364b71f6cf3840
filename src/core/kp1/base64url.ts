// Runs everywhere Node runs (kiosk main, server, CLI). Strict base64url (RFC 4648 §5, no
// padding): a KP1 token and a trust envelope have exactly one spelling, so nothing lenient here.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i;

/** Encodes bytes as base64url without padding. */
export function encodeBase64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/**
 * Decodes base64url, or returns null for anything that is not the canonical spelling:
 * characters outside `A-Z a-z 0-9 - _`, padding, whitespace, an impossible length
 * (length % 4 === 1) or non-zero trailing bits (two strings must never decode to the same bytes).
 */
export function decodeBase64url(text: string): Uint8Array | null {
  const n = text.length;
  const rem = n % 4;
  if (rem === 1) return null;
  const out = new Uint8Array(Math.floor(n / 4) * 3 + (rem === 0 ? 0 : rem - 1));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? (VALUE[c] as number) : -1;
    if (v < 0) return null;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  // Leftover bits (2 or 4) must be zero in the canonical encoding.
  if (bits > 0 && (acc & ((1 << bits) - 1)) !== 0) return null;
  return out;
}
