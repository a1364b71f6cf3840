// Runs in the renderer. The one place the transport is chosen: the Electron preload's
// `window.munjigi` when present, otherwise the WebSocket client to the development host.
import type { MunjigiBridge } from '../../../shared/bridge';
import type { ConnectionState } from './wsBridge';
import { createWsBridge, ipcUrl } from './wsBridge';

export type { ConnectionState };

export interface Connection {
  bridge: MunjigiBridge;
  transport: 'preload' | 'websocket';
  state(): ConnectionState;
  onState(listener: (state: ConnectionState) => void): () => void;
}

declare global {
  interface Window {
    munjigi?: MunjigiBridge;
  }
}

export function connect(win: Window = window): Connection {
  const exposed = win.munjigi;
  if (exposed && typeof exposed.invoke === 'function' && typeof exposed.on === 'function') {
    // In Electron the main process is in-process: the link is up for as long as the page is.
    return { bridge: exposed, transport: 'preload', state: () => 'open', onState: () => () => {} };
  }
  const ws = createWsBridge({ url: ipcUrl(win.location), createSocket: (url) => new WebSocket(url) });
  return { bridge: ws, transport: 'websocket', state: ws.state, onState: ws.onState };
}
