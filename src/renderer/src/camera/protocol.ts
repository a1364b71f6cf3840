// Runs in the renderer and its decode worker (pure). The messages between the camera and the
// decode worker, and the checks each side makes on what it receives: a worker message is data
// from another context, so it is validated before use, like any input.
import type { DecoderName } from './decoders';

/** page → worker: choose the decoder (once, and again when the setting changes). */
export interface ConfigureMessage {
  type: 'configure';
  decoder: DecoderName;
}
/** page → worker: one frame (transferred, not copied). */
export interface DecodeMessage {
  type: 'decode';
  id: number;
  frame: ImageBitmap;
}
export type ToWorker = ConfigureMessage | DecodeMessage;

/** worker → page: the answer for frame `id`. `text` null = no QR code; `error` = a stable code. */
export interface DecodedMessage {
  type: 'decoded';
  id: number;
  text: string | null;
  ms: number;
  error: string | null;
}

/** The longest text a camera scan may carry to admit (a KP1 token is far shorter). */
export const MAX_SCAN_TEXT = 2048;

const isDecoder = (v: unknown): v is DecoderName => v === 'zxing-wasm' || v === 'zxing-js';

/** A worker's message, or null when it is not one this page understands. */
export function parseFromWorker(data: unknown): DecodedMessage | null {
  if (typeof data !== 'object' || data === null) return null;
  const m = data as Record<string, unknown>;
  if (m.type !== 'decoded' || !Number.isSafeInteger(m.id) || typeof m.ms !== 'number' || !Number.isFinite(m.ms)) return null;
  if (m.text !== null && (typeof m.text !== 'string' || m.text.length > MAX_SCAN_TEXT)) return null;
  if (m.error !== null && (typeof m.error !== 'string' || !/^[A-Z][A-Z0-9_]{0,63}$/.test(m.error))) return null;
  return { type: 'decoded', id: m.id as number, text: m.text, ms: m.ms, error: m.error };
}

/** A page's message to the worker, or null. `isFrame` checks the transferred image (ImageBitmap in a browser). */
export function parseToWorker(data: unknown, isFrame: (v: unknown) => boolean): ToWorker | null {
  if (typeof data !== 'object' || data === null) return null;
  const m = data as Record<string, unknown>;
  if (m.type === 'configure') {
    if (!isDecoder(m.decoder)) return null;
    return { type: 'configure', decoder: m.decoder };
  }
  if (m.type === 'decode') {
    if (!Number.isSafeInteger(m.id) || !isFrame(m.frame)) return null;
    return { type: 'decode', id: m.id as number, frame: m.frame as ImageBitmap };
  }
  return null;
}
