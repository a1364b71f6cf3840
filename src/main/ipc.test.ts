// Unit tests (Node) for the main-side IPC wiring: one handler per contract channel, sender
// checked before the dispatcher, push events filtered by the contract.
import { describe, expect, it, vi } from 'vitest';
import { memoryLogger } from '../core/log';
import type { EventName } from '../shared/contract';
import { channels, eventNames } from '../shared/contract';
import type { Handlers } from '../shared/dispatch';
import { createDispatcher } from '../shared/dispatch';
import type { IpcInvokeEventLike, IpcMainLike, WebContentsLike } from './ipc';
import { forwardEvents, registerIpc } from './ipc';
import { isTrustedSender } from './security';

type Listener = (event: IpcInvokeEventLike, ...args: unknown[]) => unknown;

function fakeIpcMain() {
  const handlers = new Map<string, Listener>();
  const ipc: IpcMainLike = {
    handle(channel, listener) {
      if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      handlers.set(channel, listener);
    },
    removeHandler(channel) {
      handlers.delete(channel);
    },
  };
  return { ipc, handlers };
}

const appFrame = { url: 'app://munjigi/index.html', parent: null };

function fakeHandlers(): Handlers {
  const fail = () => {
    throw new Error('not used in this test');
  };
  // Every channel refuses except the one these tests call, so new channels need no edit here.
  return {
    ...(Object.fromEntries(channels.map((c) => [c, fail])) as unknown as Handlers),
    'demo:mintToken': ({ issuer }) => ({ token: `KP1-${issuer ?? 1}`, issuerName: 'demo', expiresAt: 1, qrSvg: '<svg/>' }),
  };
}

describe('registerIpc', () => {
  it('registers exactly one handler per contract channel and removes them again', () => {
    const { ipc, handlers } = fakeIpcMain();
    const unregister = registerIpc(ipc, vi.fn(), isTrustedSender, memoryLogger().logger);
    expect([...handlers.keys()].sort()).toEqual([...channels].sort());
    unregister();
    expect(handlers.size).toBe(0);
  });

  it('passes a trusted call through the dispatcher, which validates the payload', async () => {
    const { ipc, handlers } = fakeIpcMain();
    const { logger, lines } = memoryLogger();
    registerIpc(ipc, createDispatcher(fakeHandlers(), logger), isTrustedSender, logger);
    const mint = handlers.get('demo:mintToken')!;
    await expect(mint({ senderFrame: appFrame }, { issuer: 7 })).resolves.toMatchObject({ ok: true, value: { token: 'KP1-7' } });
    await expect(mint({ senderFrame: appFrame }, { issuer: 'x' })).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    await expect(mint({ senderFrame: appFrame }, { issuer: 1, extra: true })).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    await expect(mint({ senderFrame: appFrame })).resolves.toMatchObject({ ok: true });
    expect(lines.filter((l) => l.level === 'warn')).toHaveLength(2);
  });

  it.each([
    ['another origin', { url: 'https://evil.example/', parent: null }],
    ['a subframe of the app', { url: 'app://munjigi/index.html', parent: appFrame }],
    ['a file page', { url: 'file:///tmp/x.html', parent: null }],
    ['a destroyed frame (null)', null],
    ['no frame at all', undefined],
  ])('refuses %s with FORBIDDEN_SENDER before dispatching, and logs it', async (_name, frame) => {
    const { ipc, handlers } = fakeIpcMain();
    const { logger, lines } = memoryLogger();
    const dispatch = vi.fn();
    registerIpc(ipc, dispatch, isTrustedSender, logger);
    for (const channel of channels) {
      const answer = await handlers.get(channel)!({ senderFrame: frame }, { data: 'KP1.secret-token', source: 'wedge' });
      expect(answer).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
      expect((answer as { error: { message: string } }).error.message).toMatch(/허용되지 않은/);
    }
    expect(dispatch).not.toHaveBeenCalled();
    const refusals = lines.filter((l) => l.msg === 'ipc refused: untrusted sender');
    expect(refusals).toHaveLength(channels.length);
    // The log says where the call came from, never what it carried.
    expect(JSON.stringify(lines)).not.toContain('secret-token');
  });
});

describe('forwardEvents', () => {
  function source() {
    let listener: ((name: EventName, payload: unknown) => void) | null = null;
    return {
      onEvent(l: (name: EventName, payload: unknown) => void) {
        listener = l;
        return () => {
          listener = null;
        };
      },
      emit(name: string, payload: unknown) {
        listener?.(name as EventName, payload);
      },
      get subscribed() {
        return listener !== null;
      },
    };
  }
  const answer = { ok: true, code: 'OK', source: 'hid', scannedAt: 1_700_000_000_000, todayCount: 3, entryId: 'e1' };

  it('sends contract events to the current window only', () => {
    const src = source();
    const sent: unknown[][] = [];
    const contents: WebContentsLike = { send: (...args) => sent.push(args), isDestroyed: () => false };
    let current: WebContentsLike | null = null;
    const stop = forwardEvents(src, () => current, memoryLogger().logger);
    src.emit('kiosk:admitted', answer); // no window yet: dropped quietly
    current = contents;
    src.emit('kiosk:admitted', answer);
    expect(sent).toEqual([['kiosk:admitted', answer]]);
    current = { send: () => { throw new Error('destroyed'); }, isDestroyed: () => true };
    src.emit('kiosk:admitted', answer);
    stop();
    expect(src.subscribed).toBe(false);
    expect(eventNames).toContain('kiosk:admitted');
  });

  it('drops names outside the contract and payloads that do not match it', () => {
    const src = source();
    const sent: unknown[] = [];
    const { logger, lines } = memoryLogger();
    forwardEvents(src, () => ({ send: (...a) => sent.push(a), isDestroyed: () => false }), logger);
    src.emit('ELECTRON_BROWSER_REQUIRE', { module: 'child_process' });
    src.emit('kiosk:admitted', { ...answer, code: 'NOT_A_CODE' });
    src.emit('kiosk:admitted', 'garbage');
    expect(sent).toEqual([]);
    expect(lines.map((l) => l.level)).toEqual(['warn', 'error', 'error']);
  });
});
