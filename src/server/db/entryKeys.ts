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

/** The key of a token id `issuer:hex` (the issuer is compared in full on every hit). */
export const tokenKey = (tokenId: string): number => hexKey(tokenId.slice(tokenId.indexOf(':') + 1));
