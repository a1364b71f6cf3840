// Runs under vitest (node). The screenshot dHash decodes PNGs with every row filter and colour
// type Chromium may write, gives the expected bits for simple pictures, and refuses broken files.
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { dhashPng, pngLuminance } from './dhash';

function crcTable() {
  const t: number[] = [];
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t.push(c >>> 0);
  }
  return t;
}
const TABLE = crcTable();
const crc = (b: Buffer) => {
  let c = 0xffffffff;
  for (const x of b) c = (TABLE[(c ^ x) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type: string, data: Buffer) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const c = Buffer.alloc(4);
  c.writeUInt32BE(crc(body));
  return Buffer.concat([len, body, c]);
};

/** Encodes pixels (rgb from a function) as an 8-bit PNG, row filter cycling over 0–4. */
function png(width: number, height: number, colour: 2 | 6, px: (x: number, y: number) => number) {
  const ch = colour === 6 ? 4 : 3;
  const stride = width * ch;
  const rows: Buffer[] = [];
  let prev = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const cur = Buffer.alloc(stride);
    for (let x = 0; x < width; x++) {
      const v = px(x, y);
      cur.fill(v, x * ch, x * ch + 3);
      if (ch === 4) cur[x * ch + 3] = 255;
    }
    const filter = y % 5;
    const out = Buffer.alloc(stride + 1);
    out[0] = filter;
    for (let i = 0; i < stride; i++) {
      const a = i >= ch ? cur[i - ch]! : 0;
      const b = prev[i]!;
      const c = i >= ch ? prev[i - ch]! : 0;
      const p = a + b - c;
      const pred = [0, a, b, (a + b) >> 1, Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c][filter]!;
      out[i + 1] = (cur[i]! - pred) & 0xff;
    }
    rows.push(out);
    prev = cur;
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = colour;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

describe('screenshot dHash', () => {
  it('decodes every row filter to the pixels that were encoded', () => {
    const img = pngLuminance(png(23, 11, 2, (x, y) => (x * 11 + y * 7) % 256));
    expect(img).not.toBeNull();
    for (const [x, y] of [[0, 0], [22, 10], [5, 3], [17, 9]] as const) expect(img!.y[y * 23 + x]).toBeCloseTo((x * 11 + y * 7) % 256, 3);
  });
  it('reads brightness edges: bright-to-dark is all ones, dark-to-bright and flat are all zeros', () => {
    expect(dhashPng(png(90, 40, 6, (x) => 255 - x * 2))).toBe('ffffffffffffffff');
    expect(dhashPng(png(90, 40, 2, (x) => x * 2))).toBe('0000000000000000');
    expect(dhashPng(png(90, 40, 2, () => 200))).toBe('0000000000000000');
  });
  it('a changed picture moves many bits, the same picture none', () => {
    const a = dhashPng(png(180, 80, 2, (x, y) => ((x >> 4) + (y >> 3)) % 2 ? 240 : 20));
    const b = dhashPng(png(180, 80, 2, (x, y) => ((x >> 4) + (y >> 3)) % 2 ? 240 : 20));
    const c = dhashPng(png(180, 80, 2, (x) => (x < 90 ? 30 : 220)));
    expect(a).toBe(b);
    const diff = (BigInt(`0x${a}`) ^ BigInt(`0x${c}`)).toString(2).replace(/0/g, '').length;
    expect(diff).toBeGreaterThan(10);
  });
  it('refuses what is not a whole 8-bit PNG', () => {
    const good = png(30, 20, 2, (x) => x);
    expect(dhashPng(Buffer.from('not a png at all, just some text bytes here'))).toBeNull();
    expect(dhashPng(good.subarray(0, 40))).toBeNull();
    const damaged = Buffer.from(good);
    damaged.fill(0x55, 45, 60);
    expect(dhashPng(damaged)).toBeNull();
    const sixteenBit = Buffer.from(good);
    sixteenBit[24] = 16;
    expect(dhashPng(sixteenBit)).toBeNull();
    expect(dhashPng(png(4, 4, 2, (x) => x))).toBeNull();
  });
});
