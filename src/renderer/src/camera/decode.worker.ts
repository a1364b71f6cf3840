// Runs in a module Web Worker started by the camera (controller.ts): QR decoding off the UI
// thread. Receives frames as transferred ImageBitmaps, reads their pixels on an OffscreenCanvas,
// decodes with the configured decoder and answers {id, text}. The .wasm is this app's own asset
// (Vite `?url`, same origin as the page), never fetched from a CDN.
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';
import type { DecoderName, QrDecoder } from './decoders';
import { createDecoder } from './decoders';
import type { DecodedMessage } from './protocol';
import { MAX_SCAN_TEXT, parseToWorker } from './protocol';

interface WorkerScope {
  onmessage: ((ev: MessageEvent) => void) | null;
  postMessage(message: DecodedMessage): void;
}
const scope = self as unknown as WorkerScope;

let decoderName: DecoderName = 'zxing-wasm';
let decoder: QrDecoder | null = null;
let canvas: OffscreenCanvas | null = null;
let ctx: OffscreenCanvasRenderingContext2D | null = null;

const isFrame = (v: unknown) => typeof ImageBitmap !== 'undefined' && v instanceof ImageBitmap;

function pixelsOf(frame: ImageBitmap): ImageData {
  if (!canvas || canvas.width !== frame.width || canvas.height !== frame.height) {
    canvas = new OffscreenCanvas(frame.width, frame.height);
    ctx = canvas.getContext('2d', { willReadFrequently: true });
  }
  if (!ctx) throw new Error('NO_2D_CONTEXT');
  ctx.drawImage(frame, 0, 0);
  return ctx.getImageData(0, 0, frame.width, frame.height);
}

scope.onmessage = (ev: MessageEvent) => {
  const msg = parseToWorker(ev.data, isFrame);
  if (!msg) {
    // Not ours: an ImageBitmap inside it is still closed so no frame memory is kept.
    const frame = (ev.data as { frame?: unknown } | null)?.frame;
    if (isFrame(frame)) (frame as ImageBitmap).close();
    return;
  }
  if (msg.type === 'configure') {
    if (msg.decoder !== decoderName || !decoder) {
      decoderName = msg.decoder;
      decoder = null;
    }
    return;
  }
  const started = performance.now();
  const answer = (text: string | null, error: string | null) =>
    scope.postMessage({ type: 'decoded', id: msg.id, text: text !== null && text.length <= MAX_SCAN_TEXT ? text : null, ms: performance.now() - started, error });
  let pixels: ImageData;
  try {
    pixels = pixelsOf(msg.frame);
  } catch {
    answer(null, 'FRAME_UNREADABLE');
    return;
  } finally {
    msg.frame.close();
  }
  try {
    decoder ??= createDecoder(decoderName, { url: new URL(wasmUrl, self.location.href).href });
  } catch {
    answer(null, 'DECODER_UNAVAILABLE');
    return;
  }
  decoder(pixels).then(
    (text) => answer(text, null),
    () => answer(null, 'DECODER_FAILED'),
  );
};
