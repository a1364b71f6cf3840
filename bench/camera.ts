// Runs in Node after bundling (out/node/bench-camera.js). Builds camera-like 640×480 frames of
// freshly minted KP1 QR codes (small codes, perspective, blur, noise, low contrast, glare) and
// measures both QR decoders on the same frames: @zxing/library (the engine inside @zxing/browser)
// and zxing-wasm (loaded from node_modules, never a CDN), in Chromium (where the renderer runs
// them; Debian's binary) or with `--node` in Node. `--out DIR` also writes the frames as PNG.
// Prints {"metrics": …} for the default decoder (zxing-wasm) as its last stdout line.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import zxingLibrary from '@zxing/library';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { chromium } from 'playwright-core';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import { chromiumArgs, chromiumPath } from '../src/core/chromium';
import { generateKeyPair, mintToken } from '../src/core/kp1';
import { seededRandom as rng } from '../src/core/seededRandom';

// @zxing/library is CommonJS: named imports do not resolve under Node's ESM loader.
const { BarcodeFormat, BinaryBitmap, DecodeHintType, HybridBinarizer, QRCodeReader, RGBLuminanceSource } = zxingLibrary;

const W = 640;
const H = 480;

type Mat3 = [number, number, number, number, number, number, number, number, number];

/** Homography taking the unit square to the quad p0..p3 (clockwise from top-left). */
function squareToQuad(q: [number, number][]): Mat3 {
  const [[x0, y0], [x1, y1], [x2, y2], [x3, y3]] = q as [[number, number], [number, number], [number, number], [number, number]];
  const dx1 = x1 - x2, dx2 = x3 - x2, dx3 = x0 - x1 + x2 - x3;
  const dy1 = y1 - y2, dy2 = y3 - y2, dy3 = y0 - y1 + y2 - y3;
  const den = dx1 * dy2 - dx2 * dy1;
  const g = (dx3 * dy2 - dx2 * dy3) / den;
  const h = (dx1 * dy3 - dx3 * dy1) / den;
  return [x1 - x0 + g * x1, x3 - x0 + h * x3, x0, y1 - y0 + g * y1, y3 - y0 + h * y3, y0, g, h, 1];
}

function invert(m: Mat3): Mat3 {
  const [a, b, c, d, e, f, g, h, i] = m;
  const A = e * i - f * h, B = -(d * i - f * g), C = d * h - e * g;
  const det = a * A + b * B + c * C;
  return [A / det, -(b * i - c * h) / det, (b * f - c * e) / det, B / det, (a * i - c * g) / det, -(a * f - c * d) / det, C / det, -(a * h - b * g) / det, (a * e - b * d) / det];
}

export interface FrameSpec {
  name: string;
  /** code width in pixels including a 4-module quiet zone */
  size: number;
  /** corner jitter as a fraction of size (perspective) */
  skew: number;
  rotate: number;
  blur: number;
  noise: number;
  dark: number;
  light: number;
  glare: number;
}

/** Renders one grayscale 640×480 frame. */
export function renderFrame(text: string, spec: FrameSpec, seed: number): Uint8ClampedArray {
  const rand = rng(seed);
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const total = n + 8;
  const cx = W / 2 + (rand() - 0.5) * (W - spec.size) * 0.6;
  const cy = H / 2 + (rand() - 0.5) * (H - spec.size) * 0.6;
  const half = spec.size / 2;
  const corners: [number, number][] = [
    [-half, -half],
    [half, -half],
    [half, half],
    [-half, half],
  ].map(([x, y]) => {
    const jx = x! + (rand() - 0.5) * 2 * spec.skew * spec.size;
    const jy = y! + (rand() - 0.5) * 2 * spec.skew * spec.size;
    const c = Math.cos(spec.rotate), s = Math.sin(spec.rotate);
    return [cx + jx * c - jy * s, cy + jx * s + jy * c];
  });
  const inv = invert(squareToQuad(corners));
  const gray = new Float32Array(W * H);
  const bg = spec.light * 0.85;
  const sub = [0.25, 0.75];
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let acc = 0;
      for (const oy of sub) {
        for (const ox of sub) {
          const px = x + ox, py = y + oy;
          const w = inv[6] * px + inv[7] * py + inv[8];
          const u = (inv[0] * px + inv[1] * py + inv[2]) / w;
          const v = (inv[3] * px + inv[4] * py + inv[5]) / w;
          if (u < 0 || u >= 1 || v < 0 || v >= 1) acc += bg;
          else {
            const mc = Math.floor(u * total) - 4, mr = Math.floor(v * total) - 4;
            const isDark = mc >= 0 && mr >= 0 && mc < n && mr < n && qr.modules.get(mr, mc);
            acc += isDark ? spec.dark : spec.light;
          }
        }
      }
      gray[y * W + x] = acc / 4;
    }
  }
  let img: Float32Array = gray;
  for (let pass = 0; pass < spec.blur; pass++) img = boxBlur(img);
  const gx = rand() * W, gy = rand() * H, gr = 60 + rand() * 80;
  const out = new Uint8ClampedArray(W * H);
  for (let i = 0; i < W * H; i++) {
    const x = i % W, y = (i / W) | 0;
    let g = img[i]!;
    if (spec.glare > 0) {
      const d2 = ((x - gx) ** 2 + (y - gy) ** 2) / (gr * gr);
      g += spec.glare * Math.exp(-d2);
    }
    if (spec.noise > 0) g += (rand() + rand() + rand() - 1.5) * 2 * spec.noise;
    out[i] = g;
  }
  return out;
}

function boxBlur(src: Float32Array): Float32Array {
  const tmp = new Float32Array(W * H);
  const dst = new Float32Array(W * H);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const l = src[y * W + Math.max(0, x - 1)]!, r = src[y * W + Math.min(W - 1, x + 1)]!;
      tmp[y * W + x] = (l + src[y * W + x]! + r) / 3;
    }
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const u = tmp[Math.max(0, y - 1) * W + x]!, d = tmp[Math.min(H - 1, y + 1) * W + x]!;
      dst[y * W + x] = (u + tmp[y * W + x]! + d) / 3;
    }
  return dst;
}

const base: FrameSpec = { name: 'clean', size: 260, skew: 0, rotate: 0, blur: 0, noise: 0, dark: 20, light: 235, glare: 0 };
/** Each kind in several strengths; the set is what a counter webcam sees on a bad day. */
export const FRAME_KINDS: FrameSpec[] = [
  base,
  { ...base, name: 'rotated', rotate: 0.35 },
  ...[1, 2, 3].map((b) => ({ ...base, name: `blur${b}`, blur: b * 2 })),
  ...[15, 30, 45].map((s) => ({ ...base, name: `noise${s}`, noise: s })),
  ...[0.06, 0.12, 0.18].map((k) => ({ ...base, name: `perspective${k}`, skew: k, rotate: 0.2 })),
  ...[[90, 150], [110, 150], [120, 145]].map(([d, l]) => ({ ...base, name: `lowcontrast${l! - d!}`, dark: d!, light: l! })),
  ...[120, 200, 280].map((g) => ({ ...base, name: `glare${g}`, glare: g })),
  ...[170, 130, 110].map((s) => ({ ...base, name: `small${s}`, size: s })),
  { ...base, name: 'combined', size: 170, skew: 0.08, rotate: 0.25, blur: 2, noise: 20, dark: 60, light: 200, glare: 120 },
];

export interface Frame {
  name: string;
  token: string;
  gray: Uint8ClampedArray;
}

export function makeFrames(perKind: number): Frame[] {
  const pair = generateKeyPair();
  const frames: Frame[] = [];
  FRAME_KINDS.forEach((spec, k) => {
    for (let i = 0; i < perKind; i++) {
      const token = mintToken({ privateKey: pair.privateKey, issuer: 1, keyId: 1, issuedAt: 1_795_392_000 + i });
      frames.push({ name: `${spec.name}-${i}`, token, gray: renderFrame(token, spec, 1000 * k + i + 1) });
    }
  });
  return frames;
}

function toRgba(gray: Uint8ClampedArray): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(W * H * 4);
  for (let i = 0; i < gray.length; i++) {
    const g = gray[i]!;
    rgba[4 * i] = g;
    rgba[4 * i + 1] = g;
    rgba[4 * i + 2] = g;
    rgba[4 * i + 3] = 255;
  }
  return rgba;
}

const hints = new Map<zxingLibrary.DecodeHintType, unknown>([
  [DecodeHintType.POSSIBLE_FORMATS, [BarcodeFormat.QR_CODE]],
  [DecodeHintType.TRY_HARDER, true],
]);
const zxingJs = new QRCodeReader();

/** The @zxing/browser path: RGBA → luminance → HybridBinarizer → QRCodeReader. */
function decodeZxingJs(rgba: Uint8ClampedArray): string | null {
  const lum = new Uint8ClampedArray(W * H);
  for (let i = 0; i < lum.length; i++) lum[i] = (rgba[4 * i]! * 77 + rgba[4 * i + 1]! * 150 + rgba[4 * i + 2]! * 29) >> 8;
  try {
    return zxingJs.decode(new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(lum, W, H))), hints).getText();
  } catch {
    return null;
  } finally {
    zxingJs.reset();
  }
}

async function decodeZxingWasm(rgba: Uint8ClampedArray): Promise<string | null> {
  const imageData = { data: rgba, width: W, height: H, colorSpace: 'srgb' } as unknown as ImageData;
  const [hit] = await readBarcodes(imageData, { formats: ['QRCode'], tryHarder: true, maxNumberOfSymbols: 1 });
  return hit?.isValid ? hit.text : null;
}

interface Row {
  kind: string;
  js: [number, number];
  wasm: [number, number];
}

/** One frame decoded by both decoders: [@zxing/library text, ms, zxing-wasm text, ms]. */
type Timed = [string | null, number, string | null, number];
type Engine = { run(rgba: Uint8ClampedArray): Promise<Timed>; close(): Promise<void> };

async function nodeEngine(wasm: Buffer): Promise<Engine> {
  prepareZXingModule({ overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer }, fireImmediately: true });
  await readBarcodes({ data: new Uint8ClampedArray(16 * 16 * 4), width: 16, height: 16 } as unknown as ImageData, { formats: ['QRCode'] });
  return {
    async run(rgba) {
      let t = performance.now();
      const a = decodeZxingJs(rgba);
      const dj = performance.now() - t;
      t = performance.now();
      const b = await decodeZxingWasm(rgba);
      return [a, dj, b, performance.now() - t];
    },
    close: async () => {},
  };
}

/** Both libraries loaded into a blank Chromium page from node_modules; timing is taken in the page. */
async function chromiumEngine(wasm: Buffer): Promise<Engine> {
  const require = createRequire(import.meta.url);
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
  const page = await browser.newPage();
  await page.addScriptTag({ content: readFileSync(require.resolve('@zxing/library/umd/index.min.js'), 'utf8') });
  // zxing-wasm exports no path to its IIFE build; it sits beside the .wasm's folder.
  const iife = join(dirname(require.resolve('zxing-wasm/reader/zxing_reader.wasm')), '../iife/reader/index.js');
  await page.addScriptTag({ content: readFileSync(iife, 'utf8') });
  await page.evaluate(async (b64) => {
    const bin = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const g = globalThis as unknown as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    g.ZXingWASM.prepareZXingModule({ overrides: { wasmBinary: bin.buffer }, fireImmediately: true });
    const Z = g.ZXing;
    const hints = new Map<unknown, unknown>([
      [Z.DecodeHintType.POSSIBLE_FORMATS, [Z.BarcodeFormat.QR_CODE]],
      [Z.DecodeHintType.TRY_HARDER, true],
    ]);
    const reader = new Z.QRCodeReader();
    g.benchDecode = async (b64frame: string, w: number, h: number) => {
      const rgba = new Uint8ClampedArray(Uint8Array.from(atob(b64frame), (c) => c.charCodeAt(0)).buffer);
      let t = performance.now();
      const lum = new Uint8ClampedArray(w * h);
      for (let i = 0; i < lum.length; i++) lum[i] = (rgba[4 * i]! * 77 + rgba[4 * i + 1]! * 150 + rgba[4 * i + 2]! * 29) >> 8;
      let a: string | null = null;
      try {
        a = reader.decode(new Z.BinaryBitmap(new Z.HybridBinarizer(new Z.RGBLuminanceSource(lum, w, h))), hints).getText();
      } catch {
        a = null;
      }
      reader.reset();
      const dj = performance.now() - t;
      t = performance.now();
      const [hit] = await g.ZXingWASM.readBarcodes(new ImageData(rgba, w, h), { formats: ['QRCode'], tryHarder: true, maxNumberOfSymbols: 1 });
      const b = hit?.isValid ? (hit.text as string) : null;
      return [a, dj, b, performance.now() - t];
    };
    await g.ZXingWASM.readBarcodes(new ImageData(16, 16), { formats: ['QRCode'] });
  }, wasm.toString('base64'));
  return {
    run: (rgba) =>
      page.evaluate(
        ([f, w, h]) => (globalThis as unknown as { benchDecode(f: string, w: number, h: number): Promise<Timed> }).benchDecode(f, w, h),
        [Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength).toString('base64'), W, H] as const,
      ),
    close: () => browser.close(),
  };
}

async function main() {
  const args = process.argv.slice(2);
  const outIdx = args.indexOf('--out');
  const perKind = Number(process.env.CAMERA_FRAMES_PER_KIND ?? 6);
  const require = createRequire(import.meta.url);
  const wasm = readFileSync(require.resolve('zxing-wasm/reader/zxing_reader.wasm'));
  const inNode = args.includes('--node') || !existsSync(chromiumPath());
  const engine = inNode ? await nodeEngine(wasm) : await chromiumEngine(wasm);

  const frames = makeFrames(perKind);
  if (outIdx >= 0) {
    const dir = args[outIdx + 1] ?? 'camera-frames';
    mkdirSync(dir, { recursive: true });
    const manifest: { file: string; data: string }[] = [];
    for (const f of frames) {
      const png = new PNG({ width: W, height: H });
      png.data = Buffer.from(toRgba(f.gray).buffer);
      writeFileSync(join(dir, `${f.name}.png`), PNG.sync.write(png));
      manifest.push({ file: `${f.name}.png`, data: f.token });
    }
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 1));
    process.stderr.write(`${frames.length} frames → ${dir}\n`);
  }
  const rows = new Map<string, Row>();
  let jsMs = 0, wasmMs = 0, jsOk = 0, wasmOk = 0;
  for (const f of frames) {
    const [a, dj, b, dw] = await engine.run(toRgba(f.gray));
    jsMs += dj;
    wasmMs += dw;
    const kind = f.name.replace(/-\d+$/, '');
    const row = rows.get(kind) ?? { kind, js: [0, 0], wasm: [0, 0] };
    if (a === f.token) {
      jsOk++;
      row.js[0]++;
    }
    if (b === f.token) {
      wasmOk++;
      row.wasm[0]++;
    }
    row.js[1] += dj;
    row.wasm[1] += dw;
    rows.set(kind, row);
  }
  await engine.close();
  const n = frames.length;
  const pct = (x: number) => `${Math.round((100 * x) / perKind)}%`;
  process.stdout.write(`engine: ${inNode ? 'node' : 'chromium'}\n`);
  process.stdout.write(`| frames (${perKind} each) | @zxing/library found | ms/frame | zxing-wasm found | ms/frame |\n|---|---|---|---|---|\n`);
  for (const r of rows.values())
    process.stdout.write(`| ${r.kind} | ${pct(r.js[0])} | ${(r.js[1] / perKind).toFixed(1)} | ${pct(r.wasm[0])} | ${(r.wasm[1] / perKind).toFixed(1)} |\n`);
  process.stdout.write(`| all (${n}) | ${((100 * jsOk) / n).toFixed(1)}% | ${(jsMs / n).toFixed(1)} | ${((100 * wasmOk) / n).toFixed(1)}% | ${(wasmMs / n).toFixed(1)} |\n`);
  const round = (x: number) => Math.round(x * 1000) / 1000;
  console.log(
    JSON.stringify({
      metrics: {
        camera_decode_ms_per_frame: round(wasmMs / n),
        camera_detection_rate: round(wasmOk / n),
        camera_zxing_library_ms_per_frame: round(jsMs / n),
        camera_zxing_library_detection_rate: round(jsOk / n),
      },
    }),
  );
}

await main();
