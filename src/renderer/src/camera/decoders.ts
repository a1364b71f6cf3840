// Runs in the camera's decode worker (and under Node in tests): the two QR decoders behind one
// function type. zxing-wasm (zxing-cpp as WebAssembly) is the default by measurement
// (docs/camera.md); @zxing/library, the engine inside @zxing/browser, is the selectable other.
// QR only. The .wasm comes from the app itself (a URL of our own origin or bytes), never a CDN.
import * as zxingModule from '@zxing/library';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';

// The browser build gets @zxing/library's ES module; under Node (tests) its CommonJS build only
// has a default export, so the names are taken from whichever carries them.
const zxingLibrary: typeof zxingModule =
  'QRCodeReader' in zxingModule && zxingModule.QRCodeReader ? zxingModule : (zxingModule as unknown as { default: typeof zxingModule }).default;
const { BarcodeFormat, BinaryBitmap, DecodeHintType, HybridBinarizer, QRCodeReader, RGBLuminanceSource } = zxingLibrary;

export type DecoderName = 'zxing-wasm' | 'zxing-js';

/** RGBA pixels, the shape of ImageData (which Node lacks). */
export interface Pixels {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

/** The text of the first QR code in the frame, or null. Never throws for an unreadable frame. */
export type QrDecoder = (frame: Pixels) => Promise<string | null>;

/** Where zxing-wasm's binary comes from: a same-origin URL (renderer) or its bytes (Node). */
export type WasmSource = { url: string } | { binary: ArrayBuffer };

/** Frames larger than this are refused (a 4K camera frame is 3840×2160). */
export const MAX_FRAME_PIXELS = 3840 * 2160;

export function checkFrame(frame: Pixels): void {
  const { width, height, data } = frame;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width * height > MAX_FRAME_PIXELS) {
    throw new RangeError(`bad frame size ${String(width)}x${String(height)}`);
  }
  if (!(data instanceof Uint8ClampedArray) || data.length !== width * height * 4) throw new RangeError('frame data does not match its size');
}

let wasmPrepared: string | null = null;

function prepareWasm(source: WasmSource): void {
  const key = 'url' in source ? `url:${source.url}` : 'binary';
  if (wasmPrepared === key) return;
  if ('url' in source) {
    // Only a URL we were given (the app's own asset); zxing-wasm's default points at a CDN.
    const url = source.url;
    prepareZXingModule({ overrides: { locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? url : prefix + path) }, fireImmediately: true });
  } else {
    prepareZXingModule({ overrides: { wasmBinary: source.binary }, fireImmediately: true });
  }
  wasmPrepared = key;
}

function zxingWasmDecoder(source: WasmSource): QrDecoder {
  prepareWasm(source);
  return async (frame) => {
    checkFrame(frame);
    const [hit] = await readBarcodes(frame as unknown as ImageData, { formats: ['QRCode'], tryHarder: true, maxNumberOfSymbols: 1 });
    return hit?.isValid ? hit.text : null;
  };
}

function zxingJsDecoder(): QrDecoder {
  const reader = new QRCodeReader();
  const hints = new Map<zxingModule.DecodeHintType, unknown>([
    [DecodeHintType.POSSIBLE_FORMATS, [BarcodeFormat.QR_CODE]],
    [DecodeHintType.TRY_HARDER, true],
  ]);
  return (frame) => {
    try {
      checkFrame(frame);
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
    const { data, width, height } = frame;
    const lum = new Uint8ClampedArray(width * height);
    for (let i = 0; i < lum.length; i++) lum[i] = (data[4 * i]! * 77 + data[4 * i + 1]! * 150 + data[4 * i + 2]! * 29) >> 8;
    try {
      return Promise.resolve(reader.decode(new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(lum, width, height))), hints).getText());
    } catch {
      return Promise.resolve(null); // NotFound / Checksum / Format: no QR code in this frame
    } finally {
      reader.reset();
    }
  };
}

export function createDecoder(name: DecoderName, wasm: WasmSource): QrDecoder {
  return name === 'zxing-js' ? zxingJsDecoder() : zxingWasmDecoder(wasm);
}
