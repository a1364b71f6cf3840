// Runs in Node (main, dev host). What the setup screen's test area shows of one scan: the data
// with control and invisible characters escaped and long data cut, a symbology guess for sources
// that do not report one, and whether it parses as a KP1 token (syntax only; nothing verified).
import type { DevicesTestScan } from '../../shared/contract';
import { parseToken, TOKEN_PREFIX } from '../kp1';

/** Characters of data shown in the test area; the length says how long the scan really was. */
export const TEST_SCAN_SHOWN_CHARS = 512;

// C0 controls, DEL, C1 controls, and invisible or direction-changing characters (zero-width,
// bidi embeddings and isolates, BOM) that would make the shown text lie about the bytes.
const INVISIBLE: ReadonlyArray<readonly [number, number]> = [
  [0x00, 0x1f], [0x7f, 0x9f], [0xad, 0xad], [0x200b, 0x200f], [0x2028, 0x2029], [0x202a, 0x202e], [0x2060, 0x2069], [0xfeff, 0xfeff],
];
const needsEscape = (ch: string): boolean => {
  const code = ch.codePointAt(0) ?? 0;
  return ch === '\\' || INVISIBLE.some(([from, to]) => code >= from && code <= to);
};
const NAMED: Readonly<Record<string, string>> = { '\r': '\\r', '\n': '\\n', '\t': '\\t', '\\': '\\\\' };

const escapeChar = (ch: string): string => {
  const named = NAMED[ch];
  if (named) return named;
  const code = ch.codePointAt(0) ?? 0;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
};

/** The data as the setup screen shows it: escapes visible, at most `max` characters of the data. */
export function displaySafe(data: string, max = TEST_SCAN_SHOWN_CHARS): { shown: string; truncated: boolean } {
  const chars = Array.from(data);
  const truncated = chars.length > max;
  let shown = '';
  for (const ch of truncated ? chars.slice(0, max) : chars) shown += needsEscape(ch) ? escapeChar(ch) : ch;
  return { shown, truncated };
}

/** Syntax-only KP1 check for the test area: would admit() even look at the signature? */
export function kp1Shape(data: string): DevicesTestScan['kp1'] {
  const parsed = parseToken(data);
  if (!parsed) return { wellFormed: false, version: null, issuer: null, ttl: null };
  return { wellFormed: true, version: parsed.body.version, issuer: parsed.body.issuer, ttl: parsed.body.ttl };
}

/**
 * A wedge scanner types text and says nothing about the symbology: call it QR only when it has
 * the KP1 prefix (a KP1 token comes from a QR code), else unknown. The camera decodes QR only.
 */
export function guessSymbology(source: 'wedge' | 'camera', data: string): string {
  if (source === 'camera') return 'qr';
  return data.trimStart().startsWith(TOKEN_PREFIX) ? 'qr' : 'unknown';
}
