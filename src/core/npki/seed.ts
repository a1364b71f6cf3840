// Runs in Node (main process, CLI). The SEED block cipher (RFC 4269) and CBC mode with
// PKCS#7 padding, in plain TypeScript: Electron's BoringSSL and Node's OpenSSL build lack SEED.
import { CodedError } from '../../shared/envelope';

// S1 and S2 from RFC 4269 section 2.3 (two 8-bit S-boxes); the four 32-bit G tables are
// built from them at load time with the masks of section 2.2.
const S1_HEX =
  'a985d6d3541dac255d43181e51fcca632844209de0e2c817a58f037bbb13d2ee' +
  '708c3fa832ddf674ec950b575c5bbd01241c739810ccf2d92ce772839bd186c9' +
  '6050a3eb0db69e4fb75ac678a612afd561c3b441527d8d081f9900190453f7e1' +
  'fd762f27b08b0eaba26e934d697c090abfeff3c58714fe64de2e4b1a06216b66' +
  '02f5928a0cb37ed07a4796e52680addfa13037ae36152238f4a7454c81e98497' +
  '35cbce3c7111c78975fbdaf8945982c4ff493967c0cfd7b80f8e4223916cdba4' +
  '34f148c26f3d2d40be3ebcc1aaba4e553bdc687f9cd84a5677a0ed46b52b65fa' +
  'e3b9b19f5ef9e6b231ea6d5fe4f0cd88163a58d462290733e81b0579906a2a9a';
const S2_HEX =
  '38e82da6cfdeb3b8af6055c7446f6b5bc36233b529a0e2a7d39111061cbc364b' +
  'ef886ca817c416f4c245e1d63f3d8e98284ef63ea5f90ddfd82b667a272ff172' +
  '42d441c07367ac8bf7ad801fca2caa34d20beee95d9418f857ae08c513cd86b9' +
  'ff7dc131f58a6ab1d120d7022204687107db9d9961bee659dd5190dc9aa3abd0' +
  '810f471ae3ec8dbf967b5ca2a163234dc89e9c3a0c2eba6e9f5af292f34978cc' +
  '15fb70757f351003646dc674d5b4ea097619fe4012e0bd05fa01f02a5ea95643' +
  '8514899bb0e5487997fc1e82218c1b5f7754b21d254f0046ed5852eb7edac9fd' +
  '3095653cb6e4bb7c0e5039263284699337e724a4cb530a87d94c838fce3b4ab7';

function sbox(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

const S1 = sbox(S1_HEX);
const S2 = sbox(S2_HEX);
const MASKS = [0xfc, 0xf3, 0xcf, 0x3f] as const;

/** SS[i][v]: what input byte i (0 = least significant) with value v adds to G's output. */
const SS: Uint32Array[] = [0, 1, 2, 3].map((i) => {
  const table = new Uint32Array(256);
  const box = i % 2 === 0 ? S1 : S2;
  for (let v = 0; v < 256; v++) {
    const a = box[v]!;
    let word = 0;
    for (let j = 0; j < 4; j++) word |= (a & MASKS[(i + j) % 4]!) << (8 * j);
    table[v] = word >>> 0;
  }
  return table;
});
const [SS0, SS1, SS2, SS3] = SS as [Uint32Array, Uint32Array, Uint32Array, Uint32Array];

/** Key-schedule constants: the golden ratio 0x9E3779B9 rotated left one bit per round. */
export const KC: readonly number[] = Array.from({ length: 16 }, (_, i) =>
  i === 0 ? 0x9e3779b9 : ((0x9e3779b9 << i) | (0x9e3779b9 >>> (32 - i))) >>> 0,
);

const g = (x: number): number =>
  (SS0[x & 0xff]! ^ SS1[(x >>> 8) & 0xff]! ^ SS2[(x >>> 16) & 0xff]! ^ SS3[x >>> 24]!) >>> 0;

const readWord = (b: Uint8Array, o: number) => ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
function writeWord(b: Uint8Array, o: number, w: number) {
  b[o] = w >>> 24;
  b[o + 1] = (w >>> 16) & 0xff;
  b[o + 2] = (w >>> 8) & 0xff;
  b[o + 3] = w & 0xff;
}

/** A SEED key schedule: 16 rounds × (K0, K1). */
export class SeedCipher {
  private readonly rk = new Uint32Array(32);

  constructor(key: Uint8Array) {
    if (key.length !== 16) throw new CodedError('SEED_BAD_KEY', 'SEED 키는 16바이트여야 합니다.');
    let k0 = readWord(key, 0);
    let k1 = readWord(key, 4);
    let k2 = readWord(key, 8);
    let k3 = readWord(key, 12);
    for (let i = 0; i < 16; i++) {
      const kc = KC[i]!;
      this.rk[2 * i] = g((k0 + k2 - kc) >>> 0);
      this.rk[2 * i + 1] = g((k1 - k3 + kc) >>> 0);
      if (i % 2 === 0) {
        // (K0 || K1) rotated right by 8 bits
        const t = k0;
        k0 = ((k0 >>> 8) | (k1 << 24)) >>> 0;
        k1 = ((k1 >>> 8) | (t << 24)) >>> 0;
      } else {
        // (K2 || K3) rotated left by 8 bits
        const t = k2;
        k2 = ((k2 << 8) | (k3 >>> 24)) >>> 0;
        k3 = ((k3 << 8) | (t >>> 24)) >>> 0;
      }
    }
    k0 = k1 = k2 = k3 = 0;
  }

  /** Transforms one 16-byte block from `input` at `inOff` into `output` at `outOff`. */
  private transform(input: Uint8Array, inOff: number, output: Uint8Array, outOff: number, forwards: boolean) {
    let l0 = readWord(input, inOff);
    let l1 = readWord(input, inOff + 4);
    let r0 = readWord(input, inOff + 8);
    let r1 = readWord(input, inOff + 12);
    const rk = this.rk;
    for (let round = 0; round < 16; round++) {
      const k = forwards ? round : 15 - round;
      // F (RFC 4269 section 2.1)
      const a = (r0 ^ rk[2 * k]!) >>> 0;
      const b = (r1 ^ rk[2 * k + 1]!) >>> 0;
      const c = g((a ^ b) >>> 0);
      const d = g((c + a) >>> 0);
      const e = g((d + c) >>> 0);
      const f0 = (e + d) >>> 0;
      const nl0 = (l0 ^ f0) >>> 0;
      const nl1 = (l1 ^ e) >>> 0;
      l0 = r0;
      l1 = r1;
      r0 = nl0;
      r1 = nl1;
    }
    // No swap after the last round: the output is R || L.
    writeWord(output, outOff, r0);
    writeWord(output, outOff + 4, r1);
    writeWord(output, outOff + 8, l0);
    writeWord(output, outOff + 12, l1);
  }

  encryptBlock(block: Uint8Array): Buffer {
    if (block.length !== 16) throw new CodedError('SEED_BAD_BLOCK', 'SEED 블록은 16바이트여야 합니다.');
    const out = Buffer.alloc(16);
    this.transform(block, 0, out, 0, true);
    return out;
  }

  decryptBlock(block: Uint8Array): Buffer {
    if (block.length !== 16) throw new CodedError('SEED_BAD_BLOCK', 'SEED 블록은 16바이트여야 합니다.');
    const out = Buffer.alloc(16);
    this.transform(block, 0, out, 0, false);
    return out;
  }

  /** Overwrites the round keys; the object is unusable afterwards. */
  wipe() {
    this.rk.fill(0);
  }

  /** @internal CBC helpers reach the raw transform without per-block allocation. */
  run(input: Uint8Array, inOff: number, output: Uint8Array, outOff: number, forwards: boolean) {
    this.transform(input, inOff, output, outOff, forwards);
  }
}

export const BAD_PADDING = 'CIPHER_BAD_PADDING';

/**
 * Removes PKCS#7 padding. Every padding byte is checked; a mismatch is the usual sign of a
 * wrong key (callers turn it into NPKI_WRONG_PASSWORD).
 */
export function unpadPkcs7(data: Buffer, blockSize = 16): Buffer {
  const n = data.length === 0 ? 0 : data[data.length - 1]!;
  let bad = data.length === 0 || data.length % blockSize !== 0 || n === 0 || n > blockSize ? 1 : 0;
  if (!bad) for (let i = data.length - n; i < data.length; i++) bad |= data[i]! ^ n;
  if (bad) throw new CodedError(BAD_PADDING, '복호화 결과의 패딩이 올바르지 않습니다.');
  return data.subarray(0, data.length - n);
}

export function padPkcs7(data: Uint8Array, blockSize = 16): Buffer {
  const n = blockSize - (data.length % blockSize);
  const out = Buffer.alloc(data.length + n, n);
  out.set(data, 0);
  return out;
}

function checkIv(iv: Uint8Array) {
  if (iv.length !== 16) throw new CodedError('SEED_BAD_IV', 'SEED-CBC 초기 벡터는 16바이트여야 합니다.');
}

/** SEED-CBC decryption with PKCS#7 padding removed. The round keys are wiped before returning. */
export function seedCbcDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Buffer {
  checkIv(iv);
  if (ciphertext.length === 0 || ciphertext.length % 16 !== 0) {
    throw new CodedError(BAD_PADDING, '암호문 길이가 블록 크기의 배수가 아닙니다.');
  }
  const cipher = new SeedCipher(key);
  const out = Buffer.alloc(ciphertext.length);
  try {
    for (let off = 0; off < ciphertext.length; off += 16) {
      cipher.run(ciphertext, off, out, off, false);
      for (let i = 0; i < 16; i++) out[off + i]! ^= off === 0 ? iv[i]! : ciphertext[off - 16 + i]!;
    }
    const plain = unpadPkcs7(out);
    // Copy out so the padding tail of `out` can be zeroed with the rest.
    const result = Buffer.from(plain);
    return result;
  } finally {
    out.fill(0);
    cipher.wipe();
  }
}

/** SEED-CBC encryption with PKCS#7 padding (used to write test keys and for round-trip checks). */
export function seedCbcEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Buffer {
  checkIv(iv);
  const cipher = new SeedCipher(key);
  const data = padPkcs7(plaintext);
  try {
    const out = Buffer.alloc(data.length);
    for (let off = 0; off < data.length; off += 16) {
      for (let i = 0; i < 16; i++) data[off + i]! ^= off === 0 ? iv[i]! : out[off - 16 + i]!;
      cipher.run(data, off, out, off, true);
    }
    return out;
  } finally {
    data.fill(0);
    cipher.wipe();
  }
}
