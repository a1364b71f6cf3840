import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createKioskApp } from '../core/app/kiosk';
import type { KioskApp } from '../core/app/kiosk';
import { silentLogger } from '../core/log';
import { WS_PATH } from '../shared/wsProtocol';
import type { DevHost } from './host';
import { resolveStatic, startDevHost } from './host';

let host: DevHost;
let kiosk: KioskApp;
const root = mkdtempSync(join(tmpdir(), 'munjigi-renderer-'));

beforeAll(async () => {
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(root, 'assets', 'a.js'), 'export {}');
  writeFileSync(join(root, '.secret'), 'no');
  kiosk = createKioskApp({ dataDir: mkdtempSync(join(tmpdir(), 'munjigi-devhost-')), demo: true, logger: silentLogger });
  host = await startDevHost({ app: kiosk, rendererDir: root, logger: silentLogger });
});
afterAll(async () => {
  await host.close();
  await kiosk.close();
});

const connect = (origin: string) =>
  new Promise<WebSocket>((done, failed) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}${WS_PATH}`, { origin });
    ws.once('open', () => done(ws));
    ws.once('error', failed);
    ws.once('unexpected-response', (_req, res) => failed(new Error(`HTTP ${res.statusCode}`)));
  });

const call = (ws: WebSocket, frame: unknown) =>
  new Promise<unknown>((done) => {
    ws.once('message', (data) => done(JSON.parse(data.toString())));
    ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  });

describe('development host', () => {
  it('listens on loopback only', async () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    await expect(startDevHost({ app: kiosk, rendererDir: root, logger: silentLogger, host: '0.0.0.0' })).rejects.toThrow(/loopback/);
  });

  it('serves the renderer with the CSP and nothing outside it', async () => {
    const index = await fetch(host.url);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await fetch(`${host.url}assets/a.js`)).headers.get('content-type')).toContain('javascript');
    for (const path of ['..%2f..%2fetc%2fpasswd', '.secret', 'assets/../../x', '%00', 'nope.js']) {
      expect((await fetch(host.url + path)).status).toBe(404);
    }
    expect((await fetch(host.url, { method: 'POST' })).status).toBe(405);
    expect(resolveStatic('/%E0%A4%A', root)).toBeNull();
  });

  it('refuses a WebSocket from another origin', async () => {
    await expect(connect('http://evil.example')).rejects.toThrow(/403/);
  });

  it('answers contract calls and refuses bad frames without dropping the connection', async () => {
    const ws = await connect(`http://127.0.0.1:${host.port}`);
    const status = (await call(ws, { id: 1, channel: 'kiosk:status', request: {} })) as { id: number; envelope: { ok: boolean } };
    expect(status).toMatchObject({ id: 1, envelope: { ok: true } });
    expect(await call(ws, { id: 2, channel: 'fs:read', request: {} })).toMatchObject({ id: 2, envelope: { ok: false, error: { code: 'UNKNOWN_CHANNEL' } } });
    ws.send('not json');
    ws.send(JSON.stringify({ id: 'x' }));
    const mint = (await call(ws, { id: 3, channel: 'demo:mintToken', request: {} })) as { envelope: { value: { token: string } } };
    const admitted = await call(ws, { id: 4, channel: 'kiosk:admit', request: { data: mint.envelope.value.token, source: 'wedge' } });
    expect(admitted).toMatchObject({ id: 4, envelope: { ok: true, value: { code: 'OK' } } });
    ws.close();
  });

  it('pushes events from main to connected pages', async () => {
    const ws = await connect(`http://127.0.0.1:${host.port}`);
    const pushed = new Promise<unknown>((done) => ws.once('message', (d) => done(JSON.parse(d.toString()))));
    const { token } = await kiosk.handlers['demo:mintToken']({});
    kiosk.admitFromMain({ data: token, source: 'hid' });
    expect(await pushed).toMatchObject({ event: 'kiosk:admitted', payload: { code: 'OK', source: 'hid' } });
    ws.close();
  });
});
