// Unit test (Node) of the preload entry with Electron mocked: it exposes exactly one object,
// `munjigi`, whose calls go through ipcRenderer, and exposes nothing of Electron itself.
import { describe, expect, it, vi } from 'vitest';

const exposed: Array<[string, unknown]> = [];
const invoke = vi.fn(async () => ({ ok: true, value: 'pong' }));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.push([key, api]) },
  ipcRenderer: { invoke, on: vi.fn(), removeListener: vi.fn(), send: vi.fn(), sendSync: vi.fn() },
}));

describe('preload entry', () => {
  it('exposes only window.munjigi, wired to ipcRenderer.invoke', async () => {
    await import('./index');
    expect(exposed.map(([key]) => key)).toEqual(['munjigi']);
    const api = exposed[0]![1] as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on']);
    const bridge = api as unknown as { invoke(c: string, r: unknown): Promise<unknown> };
    await expect(bridge.invoke('kiosk:status', {})).resolves.toEqual({ ok: true, value: 'pong' });
    expect(invoke).toHaveBeenCalledWith('kiosk:status', {});
    await expect(bridge.invoke('ELECTRON_BROWSER_REQUIRE', {})).resolves.toMatchObject({ ok: false });
    expect(invoke).toHaveBeenCalledTimes(1);
  });
});
