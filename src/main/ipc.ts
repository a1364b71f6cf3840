// Runs in the Electron main process. Wires the IPC contract to ipcMain: one handler per contract
// channel, each checking the sender frame before the dispatcher validates the payload, and push
// events forwarded to the main window only for names in the contract. Electron enters as
// interfaces (IpcMainLike, WebContentsLike), so this module runs under plain Node in tests.
import type { Logger } from '../core/log';
import type { EventName } from '../shared/contract';
import { channels, events, isEventName } from '../shared/contract';
import type { Envelope } from '../shared/envelope';
import { fail } from '../shared/envelope';
import type { FrameLike } from './security';
import { originOf } from './security';

/** What a handler needs from Electron's IpcMainInvokeEvent. */
export interface IpcInvokeEventLike {
  senderFrame: FrameLike | null | undefined;
}

/** The part of Electron's ipcMain this module uses. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export type Dispatch = (channel: unknown, payload: unknown) => Promise<Envelope<unknown>>;

export const FORBIDDEN_SENDER_MESSAGE = '허용되지 않은 화면에서 온 요청이라 처리하지 않았습니다.';

/**
 * Registers exactly one `ipcMain.handle` per contract channel. A call from a frame that is not
 * the app's own main frame is answered FORBIDDEN_SENDER and logged (origin only, never the
 * payload); everything else goes to the dispatcher, which validates the request.
 * Returns a function that removes the handlers again.
 */
export function registerIpc(
  ipcMain: IpcMainLike,
  dispatch: Dispatch,
  isTrustedSender: (frame: FrameLike | null | undefined) => boolean,
  logger: Logger,
): () => void {
  for (const channel of channels) {
    ipcMain.handle(channel, async (event, ...args) => {
      const frame = event?.senderFrame;
      if (!isTrustedSender(frame)) {
        logger.warn('ipc refused: untrusted sender', {
          channel,
          origin: originOf(frame?.url) ?? 'none',
          subframe: frame ? frame.parent !== null : null,
        });
        return fail('FORBIDDEN_SENDER', FORBIDDEN_SENDER_MESSAGE);
      }
      return dispatch(channel, args[0]);
    });
  }
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}

/** The part of Electron's WebContents that receives push events. */
export interface WebContentsLike {
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}

export interface EventSource {
  onEvent(listener: (name: EventName, payload: unknown) => void): () => void;
}

/**
 * Forwards the kiosk's push events to whatever window is current (none while it is being
 * created or after it closed). Names outside the contract and payloads that do not match the
 * contract's schema are dropped and logged: the renderer only ever sees contract events.
 */
export function forwardEvents(source: EventSource, target: () => WebContentsLike | null | undefined, logger: Logger): () => void {
  return source.onEvent((name, payload) => {
    if (!isEventName(name)) {
      logger.warn('event dropped: not in the contract', { event: String(name).slice(0, 64) });
      return;
    }
    const checked = events[name].safeParse(payload);
    if (!checked.success) {
      logger.error('event dropped: payload does not match the contract', {
        event: name,
        where: checked.error.issues[0]?.path.join('.') ?? '',
      });
      return;
    }
    const contents = target();
    if (!contents || contents.isDestroyed()) return;
    contents.send(name, checked.data);
  });
}
