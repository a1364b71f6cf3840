// Runs in Node (server, CLI). 64-bit difference hash (dHash) of a screenshot PNG, decoded here
// with zlib instead of in a browser page, so a scan does not open one more browser context
// (one more renderer process) only to hash its screenshots.
import { inflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Channels per pixel for the 8-bit, non-interlaced colour types Chromium writes (grey, RGB, grey+alpha, RGBA). */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };
/** Refuses images whose pixels would take more memory than this (a 4K screenshot is ~33 MB). */
const MAX_PIXEL_BYTES = 64 * 1024 * 1024;

interface Gray {
  width: number;
  height: number;
  /** luminance per pixel, 0–255 */
  y: Float32Array;
}

/** Decodes an 8-bit non-interlaced PNG to luminance; null for anything else or a damaged file. */
export function pngLuminance(png: Buffer): Gray | null {
  if (png.length < 33 || !png.subarray(0, 8).equals(SIGNATURE)) return null;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  for (let at = 8; at + 8 <= png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    if (data.length !== length) return null;
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const depth = data[8];
      channels = CHANNELS[data[9] ?? -1] ?? 0;
      if (depth !== 8 || channels === 0 || data[12] !== 0 || width === 0 || height === 0) return null;
      if (width * height * channels > MAX_PIXEL_BYTES) return null;
    } else if (type === 'IDAT') {
      idat.push(data);
    } else if (type === 'IEND') {
      break;
    }
    at += 12 + length;
  }
  if (channels === 0 || idat.length === 0) return null;
  const stride = width * channels;
  let raw: Buffer;
  try {
    raw = inflateSync(Buffer.concat(idat), { maxOutputLength: (stride + 1) * height + 1 });
  } catch {
    return null;
  }
  if (raw.length < (stride + 1) * height) return null;
  const y = new Float32Array(width * height);
  let prev = new Uint8Array(stride);
  let cur = new Uint8Array(stride);
  for (let row = 0; row < height; row++) {
    const filter = raw[row * (stride + 1)];
    const line = raw.subarray(row * (stride + 1) + 1, (row + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const x = line[i] ?? 0;
      const a = i >= channels ? (cur[i - channels] ?? 0) : 0;
      const b = prev[i] ?? 0;
      const c = i >= channels ? (prev[i - channels] ?? 0) : 0;
      let v: number;
      if (filter === 0) v = x;
      else if (filter === 1) v = x + a;
      else if (filter === 2) v = x + b;
      else if (filter === 3) v = x + ((a + b) >> 1);
      else if (filter === 4) v = x + paeth(a, b, c);
      else return null;
      cur[i] = v & 0xff;
    }
    for (let px = 0; px < width; px++) {
      const o = px * channels;
      y[row * width + px] =
        channels >= 3 ? (cur[o] ?? 0) * 0.299 + (cur[o + 1] ?? 0) * 0.587 + (cur[o + 2] ?? 0) * 0.114 : (cur[o] ?? 0);
    }
    [prev, cur] = [cur, prev];
  }
  return { width, height, y };
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/**
 * dHash: the image averaged down to 9×8 cells, each bit says whether a cell is brighter than
 * its right neighbour. 16 hex digits, or null when the PNG cannot be decoded.
 */
export function dhashPng(png: Buffer): string | null {
  const img = pngLuminance(png);
  if (!img || img.width < 9 || img.height < 8) return null;
  const cells = new Float64Array(9 * 8);
  for (let cy = 0; cy < 8; cy++) {
    const y0 = Math.floor((cy * img.height) / 8);
    const y1 = Math.max(y0 + 1, Math.floor(((cy + 1) * img.height) / 8));
    for (let cx = 0; cx < 9; cx++) {
      const x0 = Math.floor((cx * img.width) / 9);
      const x1 = Math.max(x0 + 1, Math.floor(((cx + 1) * img.width) / 9));
      let sum = 0;
      for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) sum += img.y[yy * img.width + xx] ?? 0;
      cells[cy * 9 + cx] = sum / ((y1 - y0) * (x1 - x0));
    }
  }
  let bits = 0n;
  for (let cy = 0; cy < 8; cy++) {
    for (let cx = 0; cx < 8; cx++) {
      // a difference under half a grey level is noise (encoder rounding), not an edge
      bits = (bits << 1n) | ((cells[cy * 9 + cx] ?? 0) - (cells[cy * 9 + cx + 1] ?? 0) > 0.5 ? 1n : 0n);
    }
  }
  return bits.toString(16).padStart(16, '0');
}
