// Runs in Node (main process, CLI, server). A strict DER reader: just enough ASN.1 for NPKI
// key files, certificates and CRLs. Garbage never throws anything but CodedError('NPKI_BAD_DER').
import { CodedError } from '../../shared/envelope';

export const BAD_DER = 'NPKI_BAD_DER';

/** Tag classes as they appear in the top two bits of the identifier octet. */
export const UNIVERSAL = 0;
export const CONTEXT = 2;

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  SEQUENCE: 0x10,
  SET: 0x11,
  PRINTABLE_STRING: 0x13,
  T61_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  VISIBLE_STRING: 0x1a,
  UNIVERSAL_STRING: 0x1c,
  BMP_STRING: 0x1e,
} as const;

/** One DER element. `raw` is the whole TLV, `content` the value octets (both views, no copies). */
export interface DerNode {
  cls: number;
  constructed: boolean;
  /** Tag number within its class (SEQUENCE = 16, [0] = 0 in CONTEXT). */
  tag: number;
  raw: Buffer;
  content: Buffer;
}

const MAX_TAG_BYTES = 4;
const MAX_LENGTH_BYTES = 4;

export function derError(what: string): CodedError {
  return new CodedError(BAD_DER, `파일 형식이 올바르지 않습니다(${what}). 인증서 또는 키 파일이 손상되었을 수 있습니다.`);
}

/** Reads one element starting at `offset`; returns it and where the next one starts. */
function readAt(buf: Buffer, offset: number): { node: DerNode; next: number } {
  let pos = offset;
  if (pos >= buf.length) throw derError('빈 데이터');
  const first = buf[pos++]!;
  const cls = first >> 6;
  const constructed = (first & 0x20) !== 0;
  let tag = first & 0x1f;
  if (tag === 0x1f) {
    tag = 0;
    for (let i = 0; ; i++) {
      if (i >= MAX_TAG_BYTES || pos >= buf.length) throw derError('태그');
      const b = buf[pos++]!;
      if (i === 0 && b === 0x80) throw derError('태그');
      tag = tag * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) break;
    }
    if (tag < 0x1f) throw derError('태그');
  }
  if (pos >= buf.length) throw derError('길이');
  const lenByte = buf[pos++]!;
  let length: number;
  if (lenByte < 0x80) {
    length = lenByte;
  } else {
    const n = lenByte & 0x7f;
    // 0x80 is BER's indefinite length; DER forbids it.
    if (n === 0 || n > MAX_LENGTH_BYTES || pos + n > buf.length) throw derError('길이');
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + buf[pos++]!;
    // DER: the shortest form only.
    if (length < 0x80 || buf[pos - n] === 0) throw derError('길이');
  }
  if (length > buf.length - pos) throw derError('길이가 데이터보다 큽니다');
  const end = pos + length;
  return {
    node: { cls, constructed, tag, raw: buf.subarray(offset, end), content: buf.subarray(pos, end) },
    next: end,
  };
}

/** Parses a buffer that must hold exactly one element (no trailing bytes). */
export function parseDer(buf: Buffer | Uint8Array): DerNode {
  const b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const { node, next } = readAt(b, 0);
  if (next !== b.length) throw derError('뒤에 남는 데이터');
  return node;
}

/** The elements inside a constructed element. */
export function children(node: DerNode): DerNode[] {
  if (!node.constructed) throw derError('구조형이 아닙니다');
  const out: DerNode[] = [];
  let pos = 0;
  while (pos < node.content.length) {
    const { node: child, next } = readAt(node.content, pos);
    out.push(child);
    pos = next;
  }
  return out;
}

export const isUniversal = (node: DerNode, tag: number) => node.cls === UNIVERSAL && node.tag === tag;
export const isContext = (node: DerNode, tag: number) => node.cls === CONTEXT && node.tag === tag;

export function expectUniversal(node: DerNode | undefined, tag: number, what: string): DerNode {
  if (!node || !isUniversal(node, tag)) throw derError(what);
  const mustBeConstructed = tag === TAG.SEQUENCE || tag === TAG.SET;
  if (node.constructed !== mustBeConstructed) throw derError(what);
  return node;
}

/** SEQUENCE children, checked to be a SEQUENCE first. */
export function sequence(node: DerNode | undefined, what: string): DerNode[] {
  return children(expectUniversal(node, TAG.SEQUENCE, what));
}

export function readOid(node: DerNode | undefined, what = 'OID'): string {
  const c = expectUniversal(node, TAG.OID, what).content;
  if (c.length === 0 || c.length > 64 || (c[c.length - 1]! & 0x80) !== 0) throw derError(what);
  const arcs: number[] = [];
  let value = 0;
  let started = false;
  for (const b of c) {
    if (!started && b === 0x80) throw derError(what); // non-minimal arc
    started = true;
    value = value * 128 + (b & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) throw derError(what);
    if ((b & 0x80) === 0) {
      if (arcs.length === 0) {
        const first = value < 40 ? 0 : value < 80 ? 1 : 2;
        arcs.push(first, value - first * 40);
      } else {
        arcs.push(value);
      }
      value = 0;
      started = false;
    }
  }
  return arcs.join('.');
}

/** INTEGER content as unsigned big-endian bytes (leading sign zero removed). Negative → error. */
export function readUnsignedInteger(node: DerNode | undefined, what = 'INTEGER'): Buffer {
  const c = expectUniversal(node, TAG.INTEGER, what).content;
  if (c.length === 0) throw derError(what);
  if (c.length > 1 && ((c[0] === 0 && (c[1]! & 0x80) === 0) || (c[0] === 0xff && (c[1]! & 0x80) !== 0))) {
    throw derError(what);
  }
  if ((c[0]! & 0x80) !== 0) throw derError(`${what}: 음수`);
  return c[0] === 0 && c.length > 1 ? c.subarray(1) : c;
}

/** A small non-negative INTEGER (versions, iteration counts, key lengths). */
export function readSmallInteger(node: DerNode | undefined, what = 'INTEGER'): number {
  const bytes = readUnsignedInteger(node, what);
  if (bytes.length > 6) throw derError(`${what}: 너무 큰 값`);
  let n = 0;
  for (const b of bytes) n = n * 256 + b;
  return n;
}

export function readOctetString(node: DerNode | undefined, what = 'OCTET STRING'): Buffer {
  return expectUniversal(node, TAG.OCTET_STRING, what).content;
}

/** BIT STRING: the bits (without the unused-bits octet) and how many trailing bits are unused. */
export function readBitString(node: DerNode | undefined, what = 'BIT STRING'): { bytes: Buffer; unusedBits: number } {
  const c = expectUniversal(node, TAG.BIT_STRING, what).content;
  if (c.length === 0) throw derError(what);
  const unusedBits = c[0]!;
  if (unusedBits > 7 || (c.length === 1 && unusedBits !== 0)) throw derError(what);
  return { bytes: c.subarray(1), unusedBits };
}

export function readBoolean(node: DerNode | undefined, what = 'BOOLEAN'): boolean {
  const c = expectUniversal(node, TAG.BOOLEAN, what).content;
  if (c.length !== 1 || (c[0] !== 0 && c[0] !== 0xff)) throw derError(what);
  return c[0] === 0xff;
}

/** UTCTime (YYMMDDHHMMSSZ) or GeneralizedTime (YYYYMMDDHHMMSSZ), as RFC 5280 requires. */
export function readTime(node: DerNode | undefined, what = '시각'): Date {
  if (!node || node.cls !== UNIVERSAL || node.constructed) throw derError(what);
  const text = node.content.toString('latin1');
  let m: RegExpExecArray | null;
  let year: number;
  if (node.tag === TAG.UTC_TIME) {
    m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
    if (!m) throw derError(what);
    const yy = Number(m[1]);
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
  } else if (node.tag === TAG.GENERALIZED_TIME) {
    m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
    if (!m) throw derError(what);
    year = Number(m[1]);
  } else {
    throw derError(what);
  }
  const [mo, d, h, mi, s] = [m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number];
  const ms = Date.UTC(year, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) throw derError(what);
  return back;
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

function decodeLegacy(bytes: Buffer): string {
  // Old Korean certificates carry EUC-KR in T61String; try UTF-8 first, then EUC-KR.
  try {
    return utf8Strict.decode(bytes);
  } catch {
    try {
      return new TextDecoder('euc-kr', { fatal: true }).decode(bytes);
    } catch {
      return bytes.toString('latin1');
    }
  }
}

/** Any of the directory-string types used in certificate names. */
export function readString(node: DerNode | undefined, what = '문자열'): string {
  if (!node || node.cls !== UNIVERSAL || node.constructed) throw derError(what);
  const c = node.content;
  switch (node.tag) {
    case TAG.UTF8_STRING:
      try {
        return utf8Strict.decode(c);
      } catch {
        throw derError(what);
      }
    case TAG.PRINTABLE_STRING:
    case TAG.IA5_STRING:
    case TAG.VISIBLE_STRING:
      return c.toString('latin1');
    case TAG.T61_STRING:
      return decodeLegacy(c);
    case TAG.BMP_STRING: {
      if (c.length % 2 !== 0) throw derError(what);
      const swapped = Buffer.from(c);
      swapped.swap16();
      return swapped.toString('utf16le');
    }
    case TAG.UNIVERSAL_STRING: {
      if (c.length % 4 !== 0) throw derError(what);
      let s = '';
      for (let i = 0; i < c.length; i += 4) {
        const cp = c.readUInt32BE(i);
        if (cp > 0x10ffff) throw derError(what);
        s += String.fromCodePoint(cp);
      }
      return s;
    }
    default:
      throw derError(what);
  }
}

/** AlgorithmIdentifier: the OID and the parameters element, if any. */
export function readAlgorithm(node: DerNode | undefined, what = '알고리즘'): { oid: string; params: DerNode | undefined } {
  const parts = sequence(node, what);
  if (parts.length < 1 || parts.length > 2) throw derError(what);
  const params = parts[1];
  return { oid: readOid(parts[0], what), params: params && isUniversal(params, TAG.NULL) ? undefined : params };
}

/** PEM → DER for the given label (or the first block if no label); plain DER passes through. */
export function pemOrDer(input: Buffer, label?: string): Buffer {
  const head = input.subarray(0, 64).toString('latin1');
  if (!head.includes('-----BEGIN')) return input;
  const text = input.toString('latin1');
  const re = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (label && m[1] !== label) continue;
    const body = (m[2] ?? '').replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) throw derError('PEM');
    return Buffer.from(body, 'base64');
  }
  throw derError('PEM');
}
