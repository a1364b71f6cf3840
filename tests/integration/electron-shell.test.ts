// Integration test (Node, built output): loads the bundled Electron main process
// (out/main/index.js) under plain Node with only the `electron` module faked, and drives it as
// Electron would: the window's preload path exists, app:// serves the built renderer with the
// CSP, and IPC from the app frame reaches the real kiosk core (SQLite file, demo trust list):
// a minted token is admitted once, then DUPLICATE; a foreign frame is refused.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const mainBundle = join(root, 'out/main/index.js');

// The fake `electron`: records what the shell registers; the driver below plays Electron's part.
const FAKE_ELECTRON = `
export const state = { calls: [], windows: [], appEvents: new Map(), protocols: new Map(), ipc: new Map() };
let readyResolve; export const ready = new Promise((r) => (readyResolve = r));
export const app = {
  isPackaged: false,
  getPath: (name) => process.env.FAKE_USER_DATA,
  requestSingleInstanceLock: () => true,
  getVersion: () => '0.0.0-test',
  setLoginItemSettings: (s) => state.calls.push(['loginItem', s.openAtLogin]),
  relaunch: () => state.calls.push('relaunch'),
  enableSandbox: () => state.calls.push('enableSandbox'),
  quit: () => state.calls.push('quit'),
  exit: (code) => state.calls.push('exit:' + code),
  on: (name, fn) => state.appEvents.set(name, fn),
  whenReady: () => { const p = Promise.resolve(); p.then(() => setTimeout(readyResolve, 0)); return p; },
};
export const protocol = {
  registerSchemesAsPrivileged: (s) => state.calls.push(['privileged', s]),
  handle: (scheme, fn) => state.protocols.set(scheme, fn),
};
export const session = { defaultSession: {
  setPermissionRequestHandler: (fn) => (state.permissionRequest = fn),
  setPermissionCheckHandler: (fn) => (state.permissionCheck = fn),
  setDevicePermissionHandler: (fn) => (state.devicePermission = fn),
  on: (name, fn) => state.calls.push(['session.on', name]),
} };
export const Menu = { setApplicationMenu: (m) => state.calls.push(['menu', m]) };
export const ipcMain = { handle: (c, fn) => state.ipc.set(c, fn), removeHandler: (c) => state.ipc.delete(c) };
export const dialog = { showErrorBox: (t, b) => state.calls.push(['errorBox', t, b]) };
export const shell = { openExternal: async (u) => state.calls.push(['openExternal', u]) };
export const powerSaveBlocker = { start: (t) => (state.calls.push(['powerSaveBlocker', t]), 1), stop: () => {}, isStarted: () => false };
export const safeStorage = { isEncryptionAvailable: () => false, encryptString: () => { throw new Error('no keychain'); }, decryptString: () => '' };
export class BrowserWindow {
  constructor(options) {
    const win = { options, urls: [], sent: [] };
    state.windows.push(win);
    this.webContents = { on() {}, send: (...a) => win.sent.push(a), isDestroyed: () => false, setVisualZoomLevelLimits: async () => {} };
    this.once = () => {}; this.on = () => {}; this.show = () => {}; this.isDestroyed = () => false;
    this.loadURL = async (u) => { win.urls.push(u); };
  }
}
`;

const DRIVER = `
import { register } from 'node:module';
import { existsSync } from 'node:fs';
const [fakeUrl, mainUrl] = process.argv.slice(2);
register('data:text/javascript,' + encodeURIComponent(
  'export async function resolve(s, c, n) { return s === "electron" ? { url: ' + JSON.stringify(fakeUrl) + ', shortCircuit: true } : n(s, c); }'));
const { state, ready } = await import(fakeUrl);
process.stderr.write = () => true; // the shell logs JSON lines to stderr; keep the output clean
await import(mainUrl);
await ready;
const out = { calls: state.calls };
const win = state.windows[0];
out.window = { count: state.windows.length, urls: win.urls, prefs: win.options.webPreferences, preloadExists: existsSync(win.options.webPreferences.preload) };
const serve = state.protocols.get('app');
const get = async (url) => { const r = await serve({ url, method: 'GET' }); return { status: r.status, type: r.headers.get('content-type'), csp: r.headers.get('content-security-policy'), body: await r.text() }; };
const index = await get('app://munjigi/index.html');
const script = /src="\\.\\/(assets\\/[^"]+\\.js)"/.exec(index.body)?.[1];
out.index = { status: index.status, type: index.type, csp: index.csp, hasRoot: index.body.includes('id="root"'), script };
const js = script ? await get('app://munjigi/' + script) : null;
out.script = js && { status: js.status, type: js.type, csp: js.csp };
out.traversal = (await get('app://munjigi/%2e%2e/%2e%2e/package.json')).status;
const frame = { url: 'app://munjigi/index.html', parent: null };
const call = (channel, request, senderFrame = frame) => state.ipc.get(channel)({ senderFrame }, request);
out.channels = [...state.ipc.keys()].sort();
out.status = await call('kiosk:status', {});
out.foreign = await call('kiosk:status', {}, { url: 'https://evil.example/', parent: null });
const minted = await call('demo:mintToken', {});
out.minted = minted.ok;
out.first = minted.ok ? await call('kiosk:admit', { data: minted.value.token, source: 'wedge' }) : null;
out.second = minted.ok ? await call('kiosk:admit', { data: minted.value.token, source: 'wedge' }) : null;
out.garbage = await call('kiosk:admit', { data: '\\u0000\\u0001 8801234567890', source: 'wedge' });
out.badRequest = await call('kiosk:admit', { data: 1, source: 'hid' });
out.sentEvents = win.sent.map((s) => s[0]);
state.appEvents.get('will-quit')();
out.afterQuit = { ipc: state.ipc.size };
process.stdout.write(JSON.stringify(out) + '\\n');
`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Shell = Record<string, any>;

describe.skipIf(!existsSync(mainBundle))('the built Electron main process under a fake Electron', () => {
  let work: string;
  let shell: Shell;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'munjigi-shell-'));
    const fake = join(work, 'electron.mjs');
    const driver = join(work, 'driver.mjs');
    writeFileSync(fake, FAKE_ELECTRON);
    writeFileSync(driver, DRIVER);
    const userData = join(work, 'userData');
    const stdout = execFileSync(process.execPath, [driver, pathToFileURL(fake).href, pathToFileURL(mainBundle).href, '--demo'], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, FAKE_USER_DATA: userData, ELECTRON_RENDERER_URL: '' },
    });
    shell = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Shell;
  }, 90_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('opens one sandboxed window on app://munjigi whose preload file exists', () => {
    expect(shell.calls).toContain('enableSandbox');
    expect(shell.calls).toContainEqual(['session.on', 'will-download']);
    expect(shell.window.count).toBe(1);
    expect(shell.window.urls).toEqual(['app://munjigi/index.html']);
    expect(shell.window.prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(shell.window.prefs.preload).toMatch(/out[/\\]preload[/\\]index\.cjs$/);
    expect(shell.window.preloadExists).toBe(true);
  });

  it('serves the built renderer over app:// with the CSP, and nothing outside it', () => {
    expect(shell.index).toMatchObject({ status: 200, type: 'text/html; charset=utf-8', hasRoot: true });
    expect(shell.index.csp).toContain("script-src 'self'");
    expect(shell.script).toMatchObject({ status: 200, type: 'text/javascript; charset=utf-8' });
    expect(shell.script.csp).toBe(shell.index.csp);
    expect(shell.traversal).toBe(404);
  });

  it('carries the contract from the app frame to the real kiosk core', () => {
    expect(shell.status).toMatchObject({ ok: true, value: { demo: true, fault: null } });
    expect(shell.foreign).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    expect(shell.minted).toBe(true);
    expect(shell.first).toMatchObject({ ok: true, value: { ok: true, code: 'OK', source: 'wedge' } });
    // read again at once: the scan gate answers with the first answer, marked as a repeat
    expect(shell.second).toMatchObject({ ok: true, value: { ok: true, code: 'OK', repeat: true } });
    expect(shell.garbage).toMatchObject({ ok: true, value: { ok: false, code: 'MALFORMED' } });
    expect(shell.badRequest).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
  });

  it('removes its handlers on quit', () => {
    expect(shell.afterQuit.ipc).toBe(0);
  });
});
