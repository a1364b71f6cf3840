// Runs in the preload and the renderer. What the renderer may call: exactly the contract.
// In Electron the preload exposes this as `window.munjigi`; in a browser against the
// development host the WebSocket client implements the same interface.
import type { Channel, EventName, EventPayload, Request, Response } from './contract';
import type { Envelope } from './envelope';

export interface MunjigiBridge {
  invoke<C extends Channel>(channel: C, request: Request<C>): Promise<Envelope<Response<C>>>;
  /** Subscribes to a push event from main; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}
