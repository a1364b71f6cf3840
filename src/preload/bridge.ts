// Runs in the sandboxed preload. Builds the `window.munjigi` object from an ipcRenderer-like
// transport: exactly the contract's channels and events, nothing else. Pure (Electron enters as
// IpcRendererLike), so the exposure rules are unit-tested under Node.
import type { MunjigiBridge } from '../shared/bridge';
import type { Channel, EventName, EventPayload, Request, Response } from '../shared/contract';
import { isChannel, isEventName } from '../shared/contract';
import type { Envelope } from '../shared/envelope';
import { fail } from '../shared/envelope';

type RendererListener = (event: unknown, ...args: unknown[]) => void;

/** The part of Electron's ipcRenderer the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: RendererListener): unknown;
  removeListener(channel: string, listener: RendererListener): unknown;
}

export const UNKNOWN_CHANNEL_MESSAGE = '알 수 없는 요청입니다.';
export const IPC_FAILED_MESSAGE = '앱 내부 연결에 실패했습니다. 앱을 다시 시작해 주세요.';

/** Thrown to the page when it subscribes to something that is not a contract event. */
export class BridgeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'BridgeError';
  }
}

export function createBridge(ipc: IpcRendererLike) {
  const bridge = {
    async invoke<C extends Channel>(channel: C, request: Request<C>): Promise<Envelope<Response<C>>> {
      // Deny by default: only the contract's channels ever reach ipcRenderer.invoke.
      if (!isChannel(channel)) return fail('UNKNOWN_CHANNEL', UNKNOWN_CHANNEL_MESSAGE);
      try {
        return (await ipc.invoke(channel, request)) as Envelope<Response<C>>;
      } catch {
        // A rejected invoke (no handler, main restarting) still answers in the envelope shape.
        return fail('IPC_FAILED', IPC_FAILED_MESSAGE);
      }
    },

    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      if (!isEventName(event)) throw new BridgeError('UNKNOWN_EVENT', `알 수 없는 알림입니다: ${String(event).slice(0, 64)}`);
      if (typeof listener !== 'function') throw new BridgeError('INVALID_LISTENER', '알림을 받을 함수가 필요합니다.');
      // The IpcRendererEvent (with its `sender`) never reaches the page: only the payload does.
      const wrapped: RendererListener = (_event, payload) => listener(payload as EventPayload<E>);
      ipc.on(event, wrapped);
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        ipc.removeListener(event, wrapped);
      };
    },
  } satisfies MunjigiBridge;
  return Object.freeze(bridge);
}
