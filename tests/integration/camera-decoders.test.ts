// Integration test (Node): the renderer camera's two QR decoders (src/renderer/src/camera/decoders.ts;
// here because renderer tests may not import Node modules) on a QR drawn into RGBA pixels: the
// text comes back, a frame without a code is null, a frame whose size and data disagree is refused.
// zxing-wasm gets its binary from node_modules, as the worker gets it from the app's own origin;
// nothing is fetched.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import type { DecoderName, Pixels } from '../../src/renderer/src/camera/decoders';
import { checkFrame, createDecoder } from '../../src/renderer/src/camera/decoders';

const require = createRequire(import.meta.url);
const wasm = readFileSync(require.resolve('zxing-wasm/reader/zxing_reader.wasm'));
const binary = wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer;

/** `text` as a QR code, `scale` px a module, centred on a white 640×480 frame. */
function qrFrame(text: string, scale = 5): Pixels {
  const W = 640;
  const H = 480;
  const data = new Uint8ClampedArray(W * H * 4).fill(255);
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const x0 = Math.floor((W - n * scale) / 2);
  const y0 = Math.floor((H - n * scale) / 2);
  for (let y = 0; y < n * scale; y++) {
    for (let x = 0; x < n * scale; x++) {
      if (!qr.modules.get(Math.floor(y / scale), Math.floor(x / scale))) continue;
      const i = ((y0 + y) * W + x0 + x) * 4;
      data[i] = data[i + 1] = data[i + 2] = 0;
    }
  }
  return { data, width: W, height: H };
}

const TEXT = 'KP1.eyJ2IjoxLCJpc3MiOjF9.c2lnbmF0dXJlLW5vdC1jaGVja2VkLWhlcmU';

describe.each(['zxing-wasm', 'zxing-js'] as DecoderName[])('%s', (name) => {
  const decode = createDecoder(name, { binary });
  it('reads a QR code and only QR', async () => {
    expect(await decode(qrFrame(TEXT))).toBe(TEXT);
    expect(await decode(qrFrame('second code', 3))).toBe('second code');
  });
  it('gives null for a frame with no code', async () => {
    expect(await decode({ data: new Uint8ClampedArray(320 * 240 * 4).fill(200), width: 320, height: 240 })).toBeNull();
  });
  it('refuses a frame whose size does not match its data', async () => {
    await expect(decode({ data: new Uint8ClampedArray(16), width: 640, height: 480 })).rejects.toThrow(RangeError);
  });
});

describe('checkFrame', () => {
  it.each([
    [0, 10],
    [10.5, 10],
    [4000, 4000],
  ])('refuses %s×%s', (width, height) => {
    expect(() => checkFrame({ data: new Uint8ClampedArray(4), width, height })).toThrow(RangeError);
  });
});
