// Runs in the central API (Node). The narrow integer lookup keys of SQLite entry rows: the
// first 52 bits of a hex value (token, facility uuid, subject handle) as a plain number, so
// an index entry is ~8 bytes instead of 18-36 characters. Keys may collide; every lookup
// compares the full value too.

/** First 13 hex digits (dashes skipped) as a number; 0 when the text holds no hex. */
export function hexKey(text: string): number {
  const hex = text.length === 32 || text.length === 16 ? text.slice(0, 13) : text.replace(/-/g, '').slice(0, 13);
  const n = parseInt(hex, 16);
  return Number.isFinite(n) ? n : 0;
}

/**
 * The key of a token id `issuer:16 hex`: all 64 bits, exactly (a signed SQLite INTEGER), because
 * ingest looks every entry up by it. A prefix would let low-entropy or crafted token ids share
 * one key and turn each lookup into a scan; with the whole value only the issuer prefix can
 * collide (≤ 256 rows per key, compared in full).
 */
export function tokenKey(tokenId: string): bigint {
  const hex = tokenId.slice(tokenId.indexOf(':') + 1);
  return /^[0-9a-f]{1,16}$/.test(hex) ? BigInt.asIntN(64, BigInt(`0x${hex}`)) : 0n;
}

const HEX16 = /^[0-9a-f]{16}$/;

/**
 * Writes tokenKey(tokenId) into slot i of a BigInt64Array through its Int32Array view (`words`,
 * same buffer, two words per slot), without making a BigInt: ingest does this for every entry.
 * The two 32-bit halves in the platform's byte order are the same 64-bit two's-complement value.
 */
export function fillTokenKey(keys: BigInt64Array, words: Int32Array, i: number, tokenId: string): void {
  const colon = tokenId.indexOf(':');
  // The wire schema guarantees 16 hex digits; anything else takes the exact slow path.
  if (tokenId.length - colon - 1 !== 16 || !HEX16.test(tokenId.slice(colon + 1))) {
    keys[i] = tokenKey(tokenId);
    return;
  }
  const hi = parseInt(tokenId.slice(colon + 1, colon + 9), 16) | 0;
  const lo = parseInt(tokenId.slice(colon + 9), 16) | 0;
  words[2 * i + (LITTLE_ENDIAN ? 1 : 0)] = hi;
  words[2 * i + (LITTLE_ENDIAN ? 0 : 1)] = lo;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
