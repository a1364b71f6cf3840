// Runs under vitest only. Where the shared NPKI test material lives (../shared/npki-test from
// the project root) and its cases.json, or null when absent so tests can skip with a reason.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { projectRoot } from '../paths';

export interface NpkiCase {
  dir: string;
  password: string;
  subjectCN: string;
  kind: 'personal' | 'corporate';
  policy: string;
  encryption: string;
  serial: string;
  spkiSha256: string;
  expired: boolean;
  revoked: boolean;
  randomNum: string | null;
  notAfter: string;
}

export interface NpkiMaterial {
  root: string;
  trustAnchor: string;
  intermediate: string;
  crl: string;
  identities: NpkiCase[];
}

export const SKIP_REASON = '../shared/npki-test is absent: shared NPKI test material not available here';

export function npkiMaterial(): NpkiMaterial | null {
  const root = resolve(projectRoot(), '..', 'shared', 'npki-test');
  const casesPath = join(root, 'cases.json');
  if (!existsSync(casesPath)) return null;
  const cases = JSON.parse(readFileSync(casesPath, 'utf8')) as Omit<NpkiMaterial, 'root'>;
  return {
    root,
    trustAnchor: join(root, cases.trustAnchor),
    intermediate: join(root, cases.intermediate),
    crl: join(root, cases.crl),
    identities: cases.identities,
  };
}

/** A minimal DER writer for building CRLs and broken inputs in tests. */
export const der = {
  tlv(tag: number, ...body: Buffer[]): Buffer {
    const b = Buffer.concat(body);
    let len: Buffer;
    if (b.length < 0x80) len = Buffer.from([b.length]);
    else if (b.length < 0x100) len = Buffer.from([0x81, b.length]);
    else len = Buffer.from([0x82, b.length >> 8, b.length & 0xff]);
    return Buffer.concat([Buffer.from([tag]), len, b]);
  },
  seq: (...body: Buffer[]) => der.tlv(0x30, ...body),
  int(hex: string): Buffer {
    const h = hex.length % 2 ? '0' + hex : hex;
    const b = Buffer.from(h, 'hex');
    return der.tlv(0x02, (b[0]! & 0x80) !== 0 ? Buffer.concat([Buffer.from([0]), b]) : b);
  },
  oid(dotted: string): Buffer {
    const arcs = dotted.split('.').map(Number);
    const out = [arcs[0]! * 40 + arcs[1]!];
    for (const a of arcs.slice(2)) {
      const chunk = [a & 0x7f];
      for (let v = Math.floor(a / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift(0x80 | (v & 0x7f));
      out.push(...chunk);
    }
    return der.tlv(0x06, Buffer.from(out));
  },
  utcTime(d: Date): Buffer {
    const s = d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
    return der.tlv(0x17, Buffer.from(s, 'latin1'));
  },
};
