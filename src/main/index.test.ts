// Unit test (Node) of the Electron shell itself with a fake Electron: what index.ts registers
// before and after `ready`, and that the registered handlers apply the security decisions.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { channels } from '../shared/contract';

type Fn = (...args: any[]) => any; // eslint-disable-line @typescript-eslint/no-explicit-any

interface FakeWindow {
  options: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  loadURL: ReturnType<typeof vi.fn>;
  sent: unknown[][];
  events: Map<string, Fn>;
  contentsEvents: Map<string, Fn>;
}

const h = vi.hoisted(() => ({
  state: {} as Record<string, any>, // eslint-disable-line @typescript-eslint/no-explicit-any
}));

vi.mock('electron', () => {
  const s = h.state;
  class BrowserWindow {
    webContents: Record<string, unknown>;
    constructor(options: Record<string, unknown>) {
      const win: FakeWindow = { options, loadURL: vi.fn(async () => {}), sent: [], events: new Map(), contentsEvents: new Map() };
      s.windows.push(win);
      this.webContents = {
        on: (name: string, fn: Fn) => win.contentsEvents.set(name, fn),
        send: (...args: unknown[]) => win.sent.push(args),
        isDestroyed: () => false,
        setVisualZoomLevelLimits: async (min: number, max: number) => s.calls.push(['zoomLimits', min, max]),
        executeJavaScript: async () => 0,
        forcefullyCrashRenderer: () => s.calls.push('crashRenderer'),
      };
      Object.assign(this, {
        once: (name: string, fn: Fn) => win.events.set(name, fn),
        on: (name: string, fn: Fn) => win.events.set(name, fn),
        loadURL: win.loadURL,
        show: vi.fn(),
        isDestroyed: () => false,
      });
    }
  }
  return {
    app: {
      isPackaged: false,
      getPath: () => s.userData,
      getVersion: () => '0.0.0-test',
      setLoginItemSettings: (settings: unknown) => s.calls.push(['loginItem', settings]),
      relaunch: () => s.calls.push('relaunch'),
      requestSingleInstanceLock: () => s.lock,
      enableSandbox: () => s.calls.push('enableSandbox'),
      quit: () => s.calls.push('quit'),
      exit: (code: number) => s.calls.push(`exit:${code}`),
      on: (name: string, fn: Fn) => s.appEvents.set(name, fn),
      whenReady: () => Promise.resolve(),
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown) => s.calls.push(['privileged', schemes]),
      handle: (scheme: string, fn: Fn) => s.protocols.set(scheme, fn),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: Fn) => (s.permissionRequest = fn),
        setPermissionCheckHandler: (fn: Fn) => (s.permissionCheck = fn),
        setDevicePermissionHandler: (fn: Fn) => (s.devicePermission = fn),
        on: (name: string, fn: Fn) => s.sessionEvents.set(name, fn),
      },
    },
    powerSaveBlocker: {
      start: (type: string) => (s.calls.push(['powerBlock', type]), 1),
      stop: () => s.calls.push('powerUnblock'),
      isStarted: () => true,
    },
    Menu: { setApplicationMenu: (menu: unknown) => s.calls.push(['menu', menu]) },
    ipcMain: {
      handle: (channel: string, fn: Fn) => s.ipc.set(channel, fn),
      removeHandler: (channel: string) => s.ipc.delete(channel),
    },
    dialog: { showErrorBox: (title: string, body: string) => s.calls.push(['errorBox', title, body]) },
    shell: { openExternal: async (url: string) => s.calls.push(['openExternal', url]) },
    safeStorage: { isEncryptionAvailable: () => false, encryptString: () => Buffer.alloc(0), decryptString: () => '' },
    BrowserWindow,
  };
});

vi.mock('../core/app/kiosk', () => ({
  createKioskApp: (opts: unknown) => {
    const s = h.state;
    s.kioskOpts = opts;
    if (s.kioskThrows) throw new Error('database is locked');
    return {
      handlers: { 'kiosk:status': () => ({ marker: 'status' }) },
      onEvent: (fn: Fn) => {
        s.emit = fn;
        return () => (s.emit = null);
      },
      close: async () => void s.calls.push('kiosk.close'),
    };
  },
}));

const appFrame = { url: 'app://munjigi/index.html', parent: null };
const status = {
  facilityId: 'f', kioskId: 'k', demo: true, todayCount: 0, fault: null, trustList: null,
  scanner: { state: 'off', detail: '' }, sync: { state: 'disabled', pending: 0, lastSuccessAt: null },
  clock: { state: 'unknown', offsetMs: null },
};

async function start(opts: { lock?: boolean; kioskThrows?: boolean; argv?: string[] } = {}) {
  Object.assign(h.state, {
    lock: opts.lock ?? true,
    kioskThrows: opts.kioskThrows ?? false,
    userData: mkdtempSync(join(tmpdir(), 'munjigi-shell-')),
    calls: [], windows: [], appEvents: new Map(), sessionEvents: new Map(), protocols: new Map(), ipc: new Map(), emit: null,
  });
  vi.resetModules();
  const argv = process.argv;
  process.argv = [...argv, ...(opts.argv ?? [])];
  try {
    await import('./index');
  } finally {
    process.argv = argv;
  }
  await new Promise((r) => setTimeout(r, 0)); // let whenReady().then run
  return h.state;
}

beforeEach(() => {
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => {
  vi.restoreAllMocks();
  if (h.state.userData) rmSync(h.state.userData, { recursive: true, force: true });
});

describe('the Electron shell', () => {
  it('registers app:// as privileged and sandboxes every renderer before ready', async () => {
    const s = await start();
    expect(s.calls).toContainEqual(['privileged', [{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]]);
    expect(s.calls).toContain('enableSandbox');
    expect(s.protocols.has('app')).toBe(true);
    const res: Response = await s.protocols.get('app')({ url: 'app://munjigi/../../etc/passwd', method: 'GET' });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('opens one locked-down window on app://munjigi and passes the demo flag to the kiosk app', async () => {
    const s = await start();
    expect(s.windows).toHaveLength(1);
    const { options, loadURL } = s.windows[0];
    expect(options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false });
    expect(options.webPreferences.preload).toMatch(/preload[/\\]index\.cjs$/);
    expect(options.show).toBe(false);
    expect(loadURL).toHaveBeenCalledWith('app://munjigi/index.html');
    expect(s.kioskOpts).toMatchObject({ dataDir: s.userData, demo: true });
  });

  it('locks a kiosk window: full screen, no devtools, no menu accelerators, no pinch zoom', async () => {
    const windowed = await start();
    expect(windowed.calls.some((c: unknown) => Array.isArray(c) && c[0] === 'menu')).toBe(false);
    const s = await start({ argv: ['--kiosk'] });
    expect(s.windows[0].options).toMatchObject({ kiosk: true, fullscreen: true, webPreferences: { devTools: false } });
    expect(s.calls).toContainEqual(['menu', null]);
    expect(s.calls).toContainEqual(['zoomLimits', 1, 1]);
  });

  it('keeps the display awake on a kiosk only, releases it on quit, and marks a clean end of the run', async () => {
    const windowed = await start();
    expect(windowed.calls.some((c: unknown) => Array.isArray(c) && c[0] === 'powerBlock')).toBe(false);
    const s = await start({ argv: ['--kiosk'] });
    expect(s.calls).toContainEqual(['powerBlock', 'prevent-display-sleep']);
    const marker = join(s.userData, 'running.json');
    expect(existsSync(marker)).toBe(true);
    s.appEvents.get('will-quit')();
    await new Promise((r) => setTimeout(r, 0));
    expect(s.calls).toContain('powerUnblock');
    expect(existsSync(marker)).toBe(false);
    expect(s.kioskOpts.previousRun).toEqual({ unclean: false, startedAt: null, version: null });
  });

  it('answers IPC only from the app main frame, through the contract', async () => {
    const s = await start();
    expect([...s.ipc.keys()].sort()).toEqual([...channels].sort());
    const call = s.ipc.get('kiosk:status');
    await expect(call({ senderFrame: appFrame }, {})).resolves.toEqual({ ok: true, value: { marker: 'status' } });
    await expect(call({ senderFrame: { url: 'https://evil.example/', parent: null } }, {})).resolves.toMatchObject({ error: { code: 'FORBIDDEN_SENDER' } });
    await expect(call({ senderFrame: appFrame }, { extra: 1 })).resolves.toMatchObject({ error: { code: 'INVALID_REQUEST' } });
  });

  it('denies navigation away, new windows, webviews and every permission but the camera', async () => {
    const s = await start();
    const events = new Map<string, Fn>();
    let openHandler: Fn = () => null;
    s.appEvents.get('web-contents-created')({}, { on: (n: string, fn: Fn) => events.set(n, fn), setWindowOpenHandler: (fn: Fn) => (openHandler = fn) });
    for (const [name, url, prevented] of [
      ['will-navigate', 'https://evil.example/', true],
      ['will-navigate', 'file:///etc/passwd', true],
      ['will-redirect', 'https://evil.example/', true],
      ['will-navigate', 'app://munjigi/index.html#/x', false],
    ] as const) {
      const event = { preventDefault: vi.fn() };
      events.get(name)!(event, url);
      expect(event.preventDefault).toHaveBeenCalledTimes(prevented ? 1 : 0);
    }
    const webview = { preventDefault: vi.fn() };
    events.get('will-attach-webview')!(webview);
    expect(webview.preventDefault).toHaveBeenCalled();
    expect(openHandler({ url: 'https://www.kdca.go.kr/' })).toEqual({ action: 'deny' });
    expect(openHandler({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });

    const asked = (permission: string, details: object) => {
      let granted: boolean | null = null;
      s.permissionRequest({}, permission, (g: boolean) => (granted = g), details);
      return granted;
    };
    const app = { requestingUrl: 'app://munjigi/index.html', isMainFrame: true };
    expect(asked('media', { ...app, mediaTypes: ['video'] })).toBe(true);
    expect(asked('media', { ...app, mediaTypes: ['audio'] })).toBe(false);
    expect(asked('geolocation', app)).toBe(false);
    expect(asked('media', { requestingUrl: 'https://evil.example/', isMainFrame: true, mediaTypes: ['video'] })).toBe(false);
    expect(s.permissionCheck({}, 'notifications', 'app://munjigi', { isMainFrame: true })).toBe(false);
    expect(s.devicePermission({ deviceType: 'hid' })).toBe(false);
    const download = { preventDefault: vi.fn() };
    s.sessionEvents.get('will-download')(download, {}, {});
    expect(download.preventDefault).toHaveBeenCalled();
  });

  it('forwards kiosk events to the window and closes the kiosk app once on quit', async () => {
    const s = await start();
    s.emit('kiosk:status', status);
    s.emit('not:an-event', {});
    expect(s.windows[0].sent).toEqual([['kiosk:status', status]]);
    s.appEvents.get('will-quit')();
    s.appEvents.get('will-quit')();
    expect(s.calls.filter((c: unknown) => c === 'kiosk.close')).toHaveLength(1);
    expect(s.ipc.size).toBe(0);
  });

  it('reloads a crashed kiosk screen, but not in an endless loop', async () => {
    const s = await start();
    const win = s.windows[0];
    const gone = win.contentsEvents.get('render-process-gone')!;
    gone({}, { reason: 'clean-exit', exitCode: 0 });
    expect(win.loadURL).toHaveBeenCalledTimes(1); // the first load only
    for (let i = 0; i < 5; i++) gone({}, { reason: 'crashed', exitCode: 11 });
    expect(win.loadURL).toHaveBeenCalledTimes(1 + 3);
  });

  it('a second instance quits at once and touches nothing else', async () => {
    const s = await start({ lock: false });
    expect(s.calls).toContain('quit');
    expect(s.windows).toHaveLength(0);
    expect(s.ipc.size).toBe(0);
  });

  it('a kiosk app that cannot start shows a Korean error and exits 1 without a window', async () => {
    const s = await start({ kioskThrows: true });
    expect(s.calls).toContainEqual(['errorBox', '문지기를 시작할 수 없습니다', expect.stringContaining('관리자에게 연락해 주세요')]);
    expect(s.calls).toContain('exit:1');
    expect(s.windows).toHaveLength(0);
  });
});
