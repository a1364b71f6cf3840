// Runs under vitest only. Where the shared NPKI test material lives (../shared/npki-test from
// the project root) and its cases.json, or null when absent so tests can skip with a reason.
import * as nodeCrypto from 'node:crypto';
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

/**
 * A renewed certificate for tests: the same subject, issuer and extensions as `certDer`, a new
 * serial and a fresh RSA key, signed (sha256WithRSA) by the issuing CA's key — what a CA hands
 * out at 인증서 갱신. Returns the DER, the key, and the key as an NPKI signPri.key
 * (PBES2: PBKDF2 + AES-256-CBC) under `password`.
 */
export function renewCertificate(opts: { certDer: Buffer; caKeyPem: string; serialHex: string; password: string; notAfter?: Date; subjectCN?: string }) {
  const { generateKeyPairSync, sign: rsaSign } = nodeCrypto;
  const outer = childrenOf(opts.certDer);
  const tbs = childrenOf(outer[0]!);
  // tbs: [0] version, serial, signature alg, issuer, validity, subject, spki, [3] extensions
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const validity = opts.notAfter ? der.seq(der.utcTime(new Date(Date.now() - 60_000)), der.utcTime(opts.notAfter)) : tbs[4]!;
  // With subjectCN: another person's certificate from the same CA (the CN attribute replaced).
  const cnOid = der.oid('2.5.4.3');
  const subject = opts.subjectCN
    ? der.seq(...childrenOf(tbs[5]!).map((set) => (childrenOf(childrenOf(set)[0]!)[0]!.equals(cnOid) ? der.tlv(0x31, der.seq(cnOid, der.tlv(0x0c, Buffer.from(opts.subjectCN!, 'utf8')))) : set)))
    : tbs[5]!;
  const newTbs = der.seq(tbs[0]!, der.int(opts.serialHex), tbs[2]!, tbs[3]!, validity, subject, spki, ...tbs.slice(7));
  const signature = rsaSign('sha256', newTbs, opts.caKeyPem);
  const certDer = der.seq(newTbs, outer[1]!, der.tlv(0x03, Buffer.from([0]), signature));
  const keyFile = privateKey.export({ type: 'pkcs8', format: 'der', cipher: 'aes-256-cbc', passphrase: opts.password });
  return { certDer, privateKey, keyFile };
}

/** The raw TLVs inside one DER SEQUENCE (enough for re-signing a certificate in tests). */
function childrenOf(tlv: Buffer): Buffer[] {
  let pos = 1;
  const lenByte = tlv[pos++]!;
  if (lenByte & 0x80) pos += lenByte & 0x7f;
  const out: Buffer[] = [];
  while (pos < tlv.length) {
    const start = pos;
    pos++; // tag (single byte in certificates)
    const l = tlv[pos++]!;
    let len = l;
    if (l & 0x80) {
      len = 0;
      for (let i = 0; i < (l & 0x7f); i++) len = len * 256 + tlv[pos++]!;
    }
    pos += len;
    out.push(tlv.subarray(start, pos));
  }
  return out;
}
