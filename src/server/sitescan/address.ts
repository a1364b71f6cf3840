// Runs in Node (server, CLI). Which addresses the scanner may reach: only http(s) URLs on
// public unicast addresses. Loopback, private, link-local, CGNAT, multicast, reserved and
// their IPv6 forms (including IPv4-mapped) are refused before DNS, after DNS and per request.
import { isIP } from 'node:net';
import { CodedError } from '../../shared/envelope';

export type Resolve = (host: string) => Promise<string[]>;

/** IPv4 ranges that are never a public web server. [network, prefix length] */
const V4_REFUSED: Array<[number, number]> = [
  [0x00000000, 8], // 0.0.0.0/8 "this network"
  [0x0a000000, 8], // 10/8
  [0x64400000, 10], // 100.64/10 CGNAT
  [0x7f000000, 8], // 127/8 loopback
  [0xa9fe0000, 16], // 169.254/16 link-local (cloud metadata)
  [0xac100000, 12], // 172.16/12
  [0xc0000000, 24], // 192.0.0/24 IETF protocol assignments
  [0xc0000200, 24], // 192.0.2/24 TEST-NET-1
  [0xc0a80000, 16], // 192.168/16
  [0xc6120000, 15], // 198.18/15 benchmarking
  [0xc6336400, 24], // 198.51.100/24 TEST-NET-2
  [0xcb007100, 24], // 203.0.113/24 TEST-NET-3
  [0xe0000000, 4], // 224/4 multicast
  [0xf0000000, 4], // 240/4 reserved + broadcast
];

function v4ToInt(ip: string): number | null {
  const parts = ip.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const v = Number(p);
    if (v > 255) return null;
    n = n * 256 + v;
  }
  return n >>> 0;
}

function isPublicV4(ip: string): boolean {
  const n = v4ToInt(ip);
  if (n === null) return false;
  return !V4_REFUSED.some(([net, len]) => {
    const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
    return ((n & mask) >>> 0) === net;
  });
}

/** Expands an IPv6 address to 8 groups of 16 bits; null when malformed. */
function v6Groups(ip: string): number[] | null {
  let s = ip.toLowerCase();
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  // a trailing dotted IPv4 (e.g. ::ffff:10.0.0.1) becomes two groups
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (dotted) {
    const n = v4ToInt(dotted[1] ?? '');
    if (n === null) return null;
    s = s.slice(0, dotted.index) + `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const parse = (h: string) => (h === '' ? [] : h.split(':').map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? parseInt(g, 16) : NaN)));
  const head = parse(halves[0] ?? '');
  const tail = halves.length === 2 ? parse(halves[1] ?? '') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 && missing !== 0) return null;
  if (missing < 0 || [...head, ...tail].some((g) => Number.isNaN(g))) return null;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

function isPublicV6(ip: string): boolean {
  const g = v6Groups(ip);
  if (!g) return false;
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, g6 = 0, h = 0] = g;
  const v4From = (hi: number, lo: number) => `${hi >>> 8}.${hi & 255}.${lo >>> 8}.${lo & 255}`;
  if (a === 0 && b === 0 && c === 0 && d === 0 && e === 0) {
    if (f === 0xffff) return isPublicV4(v4From(g6, h)); // ::ffff:a.b.c.d mapped
    return false; // ::, ::1 and the deprecated IPv4-compatible forms
  }
  if (a === 0x64 && b === 0xff9b) return isPublicV4(v4From(g6, h)); // 64:ff9b::/96 NAT64
  if (a === 0x2002) return isPublicV4(v4From(b, c)); // 6to4 embeds an IPv4 address
  if ((a & 0xfe00) === 0xfc00) return false; // fc00::/7 unique local
  if ((a & 0xffc0) === 0xfe80) return false; // fe80::/10 link-local
  if ((a & 0xffc0) === 0xfec0) return false; // fec0::/10 site-local (deprecated)
  if ((a & 0xff00) === 0xff00) return false; // ff00::/8 multicast
  if (a === 0x2001 && b === 0x0db8) return false; // documentation
  if (a === 0x0100 && b === 0 && c === 0 && d === 0) return false; // discard-only
  return (a & 0xe000) === 0x2000; // only global unicast 2000::/3 is public
}

/** True only for a literal IP that a public web server could have. */
export function isPublicAddress(ip: string): boolean {
  const family = isIP(ip.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
  if (family === 4) return isPublicV4(ip);
  if (family === 6) return isPublicV6(ip.replace(/^\[|\]$/g, ''));
  return false;
}

/** Host names that always mean this machine or its network, whatever DNS says. */
const LOCAL_NAMES = /(^|\.)(localhost|localdomain|local|internal|intranet|lan|home\.arpa|onion)$/i;

export const BLOCKED = {
  scheme: 'URL_SCHEME_REFUSED',
  malformed: 'URL_MALFORMED',
  address: 'ADDRESS_REFUSED',
  dns: 'DNS_FAILED',
} as const;

/**
 * Checks what can be checked from the URL alone: scheme, credentials, port, literal IP and
 * local names. Returns the parsed URL or throws a CodedError with a Korean message.
 */
export function checkUrlForm(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CodedError(BLOCKED.malformed, '주소 형식이 올바르지 않습니다. http:// 또는 https:// 로 시작하는 홈페이지 주소를 입력하세요.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CodedError(BLOCKED.scheme, `http 또는 https 주소만 검사할 수 있습니다 (받은 형식: ${url.protocol.slice(0, 20)}).`);
  }
  if (url.username || url.password) {
    throw new CodedError(BLOCKED.malformed, '주소에 사용자 이름이나 비밀번호를 넣을 수 없습니다.');
  }
  const host = hostOf(url);
  if (!host || host.length > 253) throw new CodedError(BLOCKED.malformed, '주소의 호스트 이름이 올바르지 않습니다.');
  if (isIP(host)) {
    if (!isPublicAddress(host)) throw refusedAddress(host);
  } else if (LOCAL_NAMES.test(host) || !host.includes('.')) {
    throw refusedAddress(host);
  }
  return url;
}

/** The host without IPv6 brackets, lower case. */
export const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '').toLowerCase();

const refusedAddress = (what: string) =>
  new CodedError(BLOCKED.address, `내부망·루프백 등 공개되지 않은 주소는 검사할 수 없습니다: ${what.slice(0, 80)}`);

/** Resolves a host and requires every address to be public; returns the addresses. */
export async function resolvePublic(host: string, resolve: Resolve): Promise<string[]> {
  if (isIP(host)) {
    if (!isPublicAddress(host)) throw refusedAddress(host);
    return [host];
  }
  let addrs: string[];
  try {
    addrs = await resolve(host);
  } catch {
    throw new CodedError(BLOCKED.dns, `호스트 이름을 찾을 수 없습니다: ${host.slice(0, 80)}. 주소를 확인하세요.`);
  }
  if (addrs.length === 0) throw new CodedError(BLOCKED.dns, `호스트 이름을 찾을 수 없습니다: ${host.slice(0, 80)}.`);
  const bad = addrs.find((a) => !isPublicAddress(a));
  if (bad) throw refusedAddress(`${host} → ${bad}`);
  return addrs;
}

/** Second-level labels under which registrations happen (a small public-suffix list). */
const MULTI_LABEL_SUFFIXES = new Set([
  'co.kr', 'or.kr', 'ac.kr', 'go.kr', 're.kr', 'ne.kr', 'pe.kr', 'hs.kr', 'ms.kr', 'es.kr', 'sc.kr', 'kg.kr', 'mil.kr',
  'seoul.kr', 'busan.kr', 'daegu.kr', 'incheon.kr', 'gwangju.kr', 'daejeon.kr', 'ulsan.kr', 'gyeonggi.kr', 'gangwon.kr',
  'chungbuk.kr', 'chungnam.kr', 'jeonbuk.kr', 'jeonnam.kr', 'gyeongbuk.kr', 'gyeongnam.kr', 'jeju.kr',
  'co.uk', 'org.uk', 'ac.uk', 'co.jp', 'ne.jp', 'or.jp', 'com.cn', 'com.au', 'net.au', 'com.br', 'com.tw', 'com.hk',
]);

/** The registrable domain ("site") of a host: example.co.kr for www.example.co.kr. */
export function siteOf(host: string): string {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (isIP(h)) return h;
  const labels = h.split('.');
  if (labels.length <= 2) return h;
  const lastTwo = labels.slice(-2).join('.');
  return MULTI_LABEL_SUFFIXES.has(lastTwo) ? labels.slice(-3).join('.') : lastTwo;
}

export const sameSite = (a: string, b: string) => siteOf(a) === siteOf(b);
