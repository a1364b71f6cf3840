// Runs in Node (server, CLI). Reading JavaScript for the marks of injected code: decoded or
// assembled strings fed to execution sinks, packers, long high-entropy payloads, miners.
// A minified bundle is not suspicious by itself; what matters is decoding feeding a sink.

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
  if (!s) return 0;
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) {
    const p = c / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

const SINKS = /(?:\beval|\bFunction|\.write(?:ln)?|\bsetTimeout|\bsetInterval|\bexecScript)\s*\(/g;
const DECODERS = /\b(?:atob|unescape|fromCharCode|fromCodePoint|decodeURIComponent|decodeURI)\b|\\x[0-9a-f]{2}(?:\\x[0-9a-f]{2}){7}|\\u00[0-9a-f]{2}(?:\\u00[0-9a-f]{2}){7}|\.split\(\s*["']{2}\s*\)\.reverse\(\)/i;
const PACKER = /eval\s*\(\s*function\s*\(\s*p\s*,\s*a\s*,\s*c\s*,\s*k\s*,\s*e\s*,\s*[dr]\s*\)/;
const LONG_LITERAL = /(["'`])((?:\\.|(?!\1)[^\\\n]){400,})\1/g;
const CHAR_ARRAY = /\[\s*(?:\d{2,3}\s*,\s*){30,}\d{2,3}\s*\]/;

/** The text between a call's parentheses, starting at the '(' at `open`, bounded. */
export function callArgument(code: string, open: number, max = 20_000): string {
  let depth = 0;
  let quote: string | null = null;
  const end = Math.min(code.length, open + max);
  for (let i = open; i < end; i++) {
    const ch = code[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return code.slice(open + 1, i);
  }
  return code.slice(open + 1, end);
}

export interface SinkFinding {
  sink: string;
  why: string;
  snippet: string;
}

/**
 * Finds sink calls whose argument is decoded or assembled at run time: directly
 * (`eval(atob(...))`) or through a variable assigned from a decoder in the same script.
 */
export function obfuscatedSinks(code: string): SinkFinding[] {
  const out: SinkFinding[] = [];
  if (PACKER.test(code)) out.push({ sink: 'eval', why: 'packer', snippet: snippetAt(code, code.search(PACKER)) });
  const decodedVars = new Set<string>();
  for (const m of code.matchAll(/\b(?:var|let|const)?\s*([A-Za-z_$][\w$]*)\s*=\s*([^;\n]{0,2000})/g)) {
    const rhs = m[2] ?? '';
    if (DECODERS.test(rhs) || CHAR_ARRAY.test(rhs) || hasPayloadLiteral(rhs)) decodedVars.add(m[1] ?? '');
  }
  for (const m of code.matchAll(SINKS)) {
    const open = (m.index ?? 0) + m[0].length - 1;
    const arg = callArgument(code, open);
    const name = m[0].replace(/\s*\($/, '').replace(/^\./, '');
    // timers with a function argument are ordinary; only string code counts
    if ((name === 'setTimeout' || name === 'setInterval') && /^\s*(?:function\b|\(|[A-Za-z_$][\w$]*\s*=>|async\b)/.test(arg)) continue;
    let why = '';
    if (DECODERS.test(arg)) why = 'decoder';
    else if (hasPayloadLiteral(arg)) why = 'high-entropy';
    else {
      const ids = arg.match(/[A-Za-z_$][\w$]*/g) ?? [];
      if (ids.some((id) => decodedVars.has(id))) why = 'decoded-variable';
    }
    if (why) out.push({ sink: name, why, snippet: snippetAt(code, m.index ?? 0) });
    if (out.length >= 10) break;
  }
  return out;
}

/** A long string literal that looks like an encoded payload rather than text or markup. */
export function hasPayloadLiteral(code: string): boolean {
  for (const m of code.matchAll(LONG_LITERAL)) {
    const body = m[2] ?? '';
    const escapes = (body.match(/\\x[0-9a-f]{2}|\\u[0-9a-f]{4}|%[0-9a-f]{2}/gi) ?? []).length;
    if (escapes * 4 > body.length * 0.5) return true;
    const spaces = (body.match(/\s/g) ?? []).length;
    if (spaces / body.length < 0.02 && entropy(body) > 5.0) return true;
  }
  return false;
}

const snippetAt = (code: string, at: number) => code.slice(Math.max(0, at - 20), at + 140).replace(/\s+/g, ' ');

/** Browser coin miners: library names, APIs and pool protocols seen in the wild. */
const MINER_SIGNS = [
  /\bCoinHive\b/i,
  /\bcoinhive\.min\.js/i,
  /\bCRLT\s*\.\s*Anonymous\b/,
  /\bCryptoLoot\b/i,
  /\bcrypto-?loot\b/i,
  /\bCoinImp\b/i,
  /\bClient\s*\.\s*Anonymous\s*\(/,
  /\bCoinHive\s*\.\s*(?:Anonymous|User|Token)\b/,
  /\bJSECoin\b/i,
  /\bwebminepool\b/i,
  /\bdeepMiner\b/,
  /\bcryptonight\b/i,
  /\bminero\.cc\b/i,
  /\bauthedmine\b/i,
  /\bstratum\+(?:tcp|ssl):\/\//i,
  /\bmonerominer\b/i,
  /\bnew\s+[A-Za-z_$.]*Miner\s*\(/,
  /\bthrottle\s*:\s*0?\.\d+[\s\S]{0,80}\bthreads\s*:/,
  /\bthreads\s*:\s*\d+[\s\S]{0,200}\.start\s*\(/,
];
const MINER_HOSTS = /(?:coinhive|coin-hive|crypto-?loot|cryptaloot|coinimp|jsecoin|webminepool|minero|authedmine|monero|xmrpool|coinpot|mineralt|2giga|ppoi|cryptonoter|webmine|hashing\.win)/i;

export function minerSign(code: string): string | null {
  for (const re of MINER_SIGNS) {
    const m = re.exec(code);
    if (m) return m[0].slice(0, 80);
  }
  return null;
}

export const minerHost = (host: string) => MINER_HOSTS.test(host);
