// Runs in the development host (Node) and the renderer's WebSocket client. The frames that
// carry the IPC contract over a loopback WebSocket at `/ipc`: only the transport differs
// from Electron's ipcRenderer.invoke / webContents.send.
import type { Envelope } from './envelope';

export const WS_PATH = '/ipc';
/** Frames larger than this are refused by the host before parsing. */
export const WS_MAX_FRAME_BYTES = 1_048_576;

/** renderer → host: a call. `id` pairs the answer with the call. */
export interface CallFrame {
  id: number;
  channel: string;
  request: unknown;
}

/** host → renderer: the answer to call `id`. */
export interface AnswerFrame {
  id: number;
  envelope: Envelope<unknown>;
}

/** host → renderer: a push event. */
export interface EventFrame {
  event: string;
  payload: unknown;
}
