// Unit tests (Node) for the preload bridge: only contract channels reach ipcRenderer, events are
// unwrapped so the IpcRendererEvent never reaches the page, unsubscribe works once.
import { describe, expect, it, vi } from 'vitest';
import type { Channel, EventName } from '../shared/contract';
import type { IpcRendererLike } from './bridge';
import { BridgeError, createBridge } from './bridge';

type Listener = (event: unknown, ...args: unknown[]) => void;

function fakeIpcRenderer(answer: (channel: string, request: unknown) => Promise<unknown> = async () => ({ ok: true, value: 1 })) {
  const listeners = new Map<string, Set<Listener>>();
  const invoke = vi.fn(answer);
  const ipc: IpcRendererLike = {
    invoke: (channel, ...args) => invoke(channel, args[0]),
    on(channel, listener) {
      (listeners.get(channel) ?? listeners.set(channel, new Set()).get(channel)!).add(listener);
    },
    removeListener(channel, listener) {
      listeners.get(channel)?.delete(listener);
    },
  };
  const emit = (channel: string, payload: unknown) => {
    for (const l of listeners.get(channel) ?? []) l({ sender: { secret: 'ipcRenderer' }, senderId: 0 }, payload);
  };
  return { ipc, invoke, emit, listeners };
}

describe('createBridge.invoke', () => {
  it('forwards contract channels with their request', async () => {
    const { ipc, invoke } = fakeIpcRenderer();
    const bridge = createBridge(ipc);
    await expect(bridge.invoke('kiosk:admit', { data: 'x', source: 'wedge' })).resolves.toEqual({ ok: true, value: 1 });
    expect(invoke).toHaveBeenCalledWith('kiosk:admit', { data: 'x', source: 'wedge' });
  });

  it.each(['ELECTRON_BROWSER_REQUIRE', 'kiosk:delete', '__proto__', 'constructor', 'toString', '', 42, null, undefined])(
    'refuses %s without touching ipcRenderer',
    async (channel) => {
      const { ipc, invoke } = fakeIpcRenderer();
      const answer = await createBridge(ipc).invoke(channel as Channel, {} as never);
      expect(answer).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
      expect(invoke).not.toHaveBeenCalled();
    },
  );

  it('turns a failed invoke into an IPC_FAILED envelope', async () => {
    const { ipc } = fakeIpcRenderer(async () => {
      throw new Error("No handler registered for 'kiosk:status'");
    });
    await expect(createBridge(ipc).invoke('kiosk:status', {})).resolves.toMatchObject({ ok: false, error: { code: 'IPC_FAILED' } });
  });
});

describe('createBridge.on', () => {
  it('delivers only the payload, never the IpcRendererEvent, until unsubscribed', () => {
    const { ipc, emit, listeners } = fakeIpcRenderer();
    const bridge = createBridge(ipc);
    const got: unknown[][] = [];
    const off = bridge.on('kiosk:admitted', (...args: unknown[]) => got.push(args));
    emit('kiosk:admitted', { code: 'OK' });
    expect(got).toEqual([[{ code: 'OK' }]]);
    off();
    off(); // twice is harmless
    emit('kiosk:admitted', { code: 'OK' });
    expect(got).toHaveLength(1);
    expect(listeners.get('kiosk:admitted')?.size).toBe(0);
  });

  it('refuses events outside the contract and non-function listeners', () => {
    const { ipc, listeners } = fakeIpcRenderer();
    const bridge = createBridge(ipc);
    expect(() => bridge.on('ELECTRON_RENDERER_WINDOW' as EventName, () => {})).toThrow(BridgeError);
    expect(() => bridge.on('kiosk:admit' as EventName, () => {})).toThrow(/알 수 없는 알림/);
    expect(() => bridge.on('kiosk:status', 'alert(1)' as never)).toThrow(BridgeError);
    expect(listeners.size).toBe(0);
  });

  it('is frozen and exposes only invoke and on', () => {
    const bridge = createBridge(fakeIpcRenderer().ipc);
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on']);
    expect(Object.isFrozen(bridge)).toBe(true);
  });
});
