// Runs under vitest (Node). The WebSocket bridge against a fake socket: pairing answers with
// calls, contract checks on answers and pushes, disconnects failing calls, reconnect backoff.
import { describe, expect, it } from 'vitest';
import type { SocketLike } from './wsBridge';
import { createWsBridge, ipcUrl } from './wsBridge';
import { manualTimers } from '../testing/manualTimers';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: string[] = [];
  onopen: ((ev: Event) => void) | null = null;
  onclose: ((ev: CloseEvent) => void) | null = null;
  onerror: ((ev: Event) => void) | null = null;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.drop();
  }
  open() {
    this.readyState = 1;
    this.onopen?.({} as Event);
  }
  drop() {
    this.readyState = 3;
    this.onclose?.({} as CloseEvent);
  }
  answer(frame: unknown) {
    this.onmessage?.({ data: JSON.stringify(frame) } as MessageEvent);
  }
  lastCall() {
    return JSON.parse(this.sent.at(-1) ?? 'null') as { id: number; channel: string; request: unknown };
  }
}

function harness() {
  const sockets: FakeSocket[] = [];
  const clock = manualTimers();
  const bridge = createWsBridge({
    url: 'ws://127.0.0.1:1/ipc',
    createSocket: () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    },
    random: () => 0.5,
    connectWaitMs: 1000,
    callTimeoutMs: 2000,
    setTimeout: clock.setTimeout,
    clearTimeout: clock.clearTimeout,
  });
  const sock = () => sockets.at(-1)!;
  return { bridge, sockets, sock, advance: clock.advance };
}

const status = {
  facilityId: 'F1', kioskId: 'K1', demo: true, todayCount: 3, fault: null, trustList: null,
  scanner: { state: 'ready', detail: '' }, sync: { state: 'disabled', pending: 0, lastSuccessAt: null },
  clock: { state: 'ok', offsetMs: 0 },
};

describe('WebSocket bridge', () => {
  it('builds the /ipc URL from the page origin', () => {
    expect(ipcUrl({ protocol: 'http:', host: '127.0.0.1:5173' })).toBe('ws://127.0.0.1:5173/ipc');
    expect(ipcUrl({ protocol: 'https:', host: 'x' })).toBe('wss://x/ipc');
  });

  it('queues a call made while connecting and pairs the answer by id', async () => {
    const h = harness();
    expect(h.bridge.state()).toBe('connecting');
    const p = h.bridge.invoke('kiosk:status', {});
    h.sock().open();
    const call = h.sock().lastCall();
    expect(call.channel).toBe('kiosk:status');
    h.sock().answer({ id: call.id + 100, envelope: { ok: true, value: {} } }); // someone else's id: ignored
    h.sock().answer({ id: call.id, envelope: { ok: true, value: status } });
    const env = await p;
    expect(env.ok && env.value.todayCount).toBe(3);
  });

  it('refuses an answer that does not match the contract', async () => {
    const h = harness();
    h.sock().open();
    const p = h.bridge.invoke('kiosk:status', {});
    h.sock().answer({ id: h.sock().lastCall().id, envelope: { ok: true, value: { todayCount: -1 } } });
    expect(await p).toEqual({ ok: false, error: { code: 'BAD_RESPONSE', message: expect.stringContaining('응답') } });
  });

  it('passes a failure envelope through', async () => {
    const h = harness();
    h.sock().open();
    const p = h.bridge.invoke('settings:update', { resultScreenMs: 5 });
    h.sock().answer({ id: h.sock().lastCall().id, envelope: { ok: false, error: { code: 'INVALID_REQUEST', message: '요청 형식이 올바르지 않습니다' } } });
    expect(await p).toEqual({ ok: false, error: { code: 'INVALID_REQUEST', message: '요청 형식이 올바르지 않습니다' } });
  });

  it('refuses channels outside the contract without sending anything', async () => {
    const h = harness();
    h.sock().open();
    const env = await h.bridge.invoke('fs:readFile' as never, {} as never);
    expect(env).toEqual({ ok: false, error: { code: 'UNKNOWN_CHANNEL', message: expect.any(String) } });
    expect(h.sock().sent).toHaveLength(0);
  });

  it('fails pending calls at once when the connection drops, then reconnects with growing delays', async () => {
    const h = harness();
    const states: string[] = [];
    h.bridge.onState((s) => states.push(s));
    h.sock().open();
    const p = h.bridge.invoke('kiosk:status', {});
    h.sock().drop();
    expect(await p).toMatchObject({ ok: false, error: { code: 'DISCONNECTED' } });
    expect(h.bridge.state()).toBe('closed');
    expect(h.sockets).toHaveLength(1);
    h.advance(200); // first retry after ~250 ms (jitter 0.5 → 188 ms)
    expect(h.sockets).toHaveLength(2);
    h.sock().drop();
    h.advance(300);
    expect(h.sockets).toHaveLength(2);
    h.advance(100);
    expect(h.sockets).toHaveLength(3);
    h.sock().open();
    expect(h.bridge.state()).toBe('open');
    expect(states).toEqual(['open', 'closed', 'connecting', 'closed', 'connecting', 'open']);
  });

  it('a call waiting for the connection fails after connectWaitMs; an unanswered call times out', async () => {
    const h = harness();
    const p = h.bridge.invoke('kiosk:status', {});
    h.advance(1000);
    expect(await p).toMatchObject({ ok: false, error: { code: 'DISCONNECTED' } });
    h.sock().open();
    const q = h.bridge.invoke('kiosk:status', {});
    h.advance(2000);
    expect(await q).toMatchObject({ ok: false, error: { code: 'TIMEOUT' } });
  });

  it('delivers pushed events that match the contract, drops the rest', () => {
    const h = harness();
    h.sock().open();
    const got: unknown[] = [];
    const off = h.bridge.on('kiosk:status', (s) => got.push(s.todayCount));
    h.sock().answer({ event: 'kiosk:status', payload: status });
    h.sock().answer({ event: 'kiosk:status', payload: { nope: 1 } });
    h.sock().answer({ event: 'not:an-event', payload: status });
    h.sock().onmessage?.({ data: '{not json' } as MessageEvent);
    h.sock().onmessage?.({ data: new ArrayBuffer(4) } as MessageEvent);
    off();
    h.sock().answer({ event: 'kiosk:status', payload: status });
    expect(got).toEqual([3]);
  });

  it('close() stops reconnecting and fails later calls', async () => {
    const h = harness();
    h.sock().open();
    h.bridge.close();
    h.advance(60_000);
    expect(h.sockets).toHaveLength(1);
    expect(await h.bridge.invoke('kiosk:status', {})).toMatchObject({ ok: false, error: { code: 'DISCONNECTED' } });
  });
});
