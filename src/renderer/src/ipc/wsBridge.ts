// Runs in the renderer when there is no Electron preload (Chromium against the development
// host). Implements MunjigiBridge over the loopback WebSocket frames of src/shared/wsProtocol:
// calls are paired with answers by id, answers and pushes are checked against the contract,
// and a dropped connection fails pending calls at once and reconnects with backoff.
import type { MunjigiBridge } from '../../../shared/bridge';
import type { Channel, EventName, EventPayload, Request, Response } from '../../../shared/contract';
import { contract, events, isChannel, isEventName } from '../../../shared/contract';
import type { Envelope } from '../../../shared/envelope';
import { fail } from '../../../shared/envelope';
import type { AnswerFrame, CallFrame, EventFrame } from '../../../shared/wsProtocol';
import { WS_PATH } from '../../../shared/wsProtocol';

export type ConnectionState = 'connecting' | 'open' | 'closed';

/** The part of the browser WebSocket this client uses, so tests can pass a fake. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((ev: Event) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
  onerror: ((ev: Event) => void) | null;
  onmessage: ((ev: MessageEvent) => void) | null;
}

export interface WsBridgeOptions {
  url: string;
  createSocket: (url: string) => SocketLike;
  /** How long a call waits for the connection before it fails with DISCONNECTED. */
  connectWaitMs?: number;
  /** How long a call waits for its answer. */
  callTimeoutMs?: number;
  /** Reconnect delays grow from minDelay to maxDelay (with jitter). */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  random?: () => number;
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
}

export interface WsBridge extends MunjigiBridge {
  state(): ConnectionState;
  onState(listener: (state: ConnectionState) => void): () => void;
  close(): void;
}

const OPEN = 1;
const DISCONNECTED = () => fail('DISCONNECTED', '관리 프로그램과 연결이 끊겼습니다. 다시 연결하는 중입니다.');

/** `ws://<host>/ipc` for the page's own origin (wss when the page is https). */
export function ipcUrl(location: { protocol: string; host: string }): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${WS_PATH}`;
}

export function createWsBridge(opts: WsBridgeOptions): WsBridge {
  const setT = opts.setTimeout ?? ((fn, ms) => globalThis.setTimeout(fn, ms));
  const clearT = opts.clearTimeout ?? ((h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>));
  const random = opts.random ?? Math.random;
  const connectWaitMs = opts.connectWaitMs ?? 5000;
  const callTimeoutMs = opts.callTimeoutMs ?? 15_000;
  const minDelay = opts.reconnectMinMs ?? 250;
  const maxDelay = opts.reconnectMaxMs ?? 5000;

  type Pending = { channel: Channel; resolve: (e: Envelope<unknown>) => void; timer: unknown };
  const pending = new Map<number, Pending>();
  /** Calls made while connecting: sent on open, failed on timeout. */
  const waiting = new Set<{ send: () => void; fail: () => void; timer: unknown }>();
  const eventListeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const stateListeners = new Set<(s: ConnectionState) => void>();
  let nextId = 1;
  let socket: SocketLike | null = null;
  let current: ConnectionState = 'connecting';
  let attempts = 0;
  let reconnectTimer: unknown = null;
  let closedForGood = false;

  const setState = (s: ConnectionState) => {
    if (s === current) return;
    current = s;
    for (const l of stateListeners) l(s);
  };

  const settle = (id: number, envelope: Envelope<unknown>) => {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    clearT(p.timer);
    p.resolve(envelope);
  };

  const onMessage = (data: unknown) => {
    if (typeof data !== 'string') return;
    let frame: unknown;
    try {
      frame = JSON.parse(data);
    } catch {
      return;
    }
    if (typeof frame !== 'object' || frame === null) return;
    const f = frame as Partial<AnswerFrame & EventFrame>;
    if (typeof f.id === 'number') {
      const p = pending.get(f.id);
      if (!p) return;
      const env = f.envelope as Envelope<unknown> | undefined;
      if (env && env.ok === true) {
        // Trust nothing that crosses the boundary, even from our own host.
        const parsed = contract[p.channel].response.safeParse(env.value);
        settle(f.id, parsed.success ? { ok: true, value: parsed.data } : fail('BAD_RESPONSE', '관리 프로그램의 응답 형식이 올바르지 않습니다.'));
      } else if (env && env.ok === false && typeof env.error?.code === 'string' && typeof env.error.message === 'string') {
        settle(f.id, fail(env.error.code.slice(0, 64), env.error.message.slice(0, 500)));
      } else {
        settle(f.id, fail('BAD_RESPONSE', '관리 프로그램의 응답 형식이 올바르지 않습니다.'));
      }
      return;
    }
    if (isEventName(f.event)) {
      const parsed = events[f.event].safeParse(f.payload);
      if (!parsed.success) return;
      for (const l of eventListeners.get(f.event) ?? []) l(parsed.data);
    }
  };

  const connect = () => {
    reconnectTimer = null;
    setState('connecting');
    let s: SocketLike;
    try {
      s = opts.createSocket(opts.url);
    } catch {
      scheduleReconnect();
      return;
    }
    socket = s;
    s.onopen = () => {
      if (socket !== s) return;
      attempts = 0;
      setState('open');
      for (const w of [...waiting]) w.send();
    };
    s.onmessage = (ev) => {
      if (socket === s) onMessage(ev.data);
    };
    s.onerror = () => {
      /* onclose follows and decides */
    };
    s.onclose = () => {
      if (socket !== s) return;
      socket = null;
      for (const id of [...pending.keys()]) settle(id, DISCONNECTED());
      if (closedForGood) return;
      setState('closed');
      scheduleReconnect();
    };
  };

  const scheduleReconnect = () => {
    if (closedForGood || reconnectTimer !== null) return;
    const base = Math.min(maxDelay, minDelay * 2 ** Math.min(attempts, 10));
    attempts++;
    reconnectTimer = setT(connect, Math.round(base / 2 + (random() * base) / 2));
  };

  const sendCall = (channel: Channel, request: unknown, resolve: (e: Envelope<unknown>) => void) => {
    const s = socket;
    if (!s || s.readyState !== OPEN) {
      resolve(DISCONNECTED());
      return;
    }
    const id = nextId++;
    const timer = setT(() => settle(id, fail('TIMEOUT', '응답이 없습니다. 잠시 후 다시 시도해 주세요.')), callTimeoutMs);
    pending.set(id, { channel, resolve, timer });
    const frame: CallFrame = { id, channel, request };
    try {
      s.send(JSON.stringify(frame));
    } catch {
      settle(id, DISCONNECTED());
    }
  };

  connect();

  return {
    invoke<C extends Channel>(channel: C, request: Request<C>): Promise<Envelope<Response<C>>> {
      return new Promise<Envelope<unknown>>((resolve) => {
        if (!isChannel(channel)) return resolve(fail('UNKNOWN_CHANNEL', '알 수 없는 요청입니다.'));
        if (current === 'open') return sendCall(channel, request, resolve);
        if (closedForGood) return resolve(DISCONNECTED());
        const w = {
          send: () => {
            waiting.delete(w);
            clearT(w.timer);
            sendCall(channel, request, resolve);
          },
          fail: () => {
            waiting.delete(w);
            resolve(DISCONNECTED());
          },
          timer: null as unknown,
        };
        w.timer = setT(w.fail, connectWaitMs);
        waiting.add(w);
      }) as Promise<Envelope<Response<C>>>;
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      if (!isEventName(event)) return () => {};
      const set = eventListeners.get(event) ?? new Set();
      eventListeners.set(event, set);
      const l = listener as (payload: unknown) => void;
      set.add(l);
      return () => set.delete(l);
    },
    state: () => current,
    onState(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    close() {
      closedForGood = true;
      if (reconnectTimer !== null) clearT(reconnectTimer);
      for (const w of [...waiting]) {
        clearT(w.timer);
        w.fail();
      }
      const s = socket;
      socket = null;
      for (const id of [...pending.keys()]) settle(id, DISCONNECTED());
      s?.close();
      setState('closed');
    },
  };
}
