// Runs under vitest (Node). The device channels as the 장치 설정 screen meets them: through the
// kiosk app's handlers and the dispatcher, with the demo's simulated HID POS scanner fed recorded
// reports. Sources honoured (off drops, HID off closes the device), test mode shows scans and
// writes no entry, bad requests refused with stable codes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DevicesStatus, DevicesTestScan, EventName } from '../../shared/contract';
import { createDispatcher } from '../../shared/dispatch';
import type { KioskApp } from '../app/kiosk';
import { createKioskApp } from '../app/kiosk';
import { memoryLogger } from '../log';
import { SIMULATED_HID_PATH } from './simulatedHid';
import { scanToReports, toHex } from './simulate';

const apps: KioskApp[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function start(demo = true) {
  const dir = mkdtempSync(join(tmpdir(), 'munjigi-devices-'));
  dirs.push(dir);
  const { logger, lines } = memoryLogger();
  const app = createKioskApp({ dataDir: dir, demo, logger, simulatedHid: true });
  apps.push(app);
  const events: Array<{ name: EventName; payload: unknown }> = [];
  app.onEvent((name, payload) => void events.push({ name, payload }));
  const dispatch = createDispatcher(app.handlers, logger);
  const call = async <T>(channel: string, request: unknown): Promise<T> => {
    const env = await dispatch(channel, request);
    if (!env.ok) throw new Error(`${channel}: ${env.error.code}`);
    return env.value as T;
  };
  const status = () => call<DevicesStatus>('devices:status', {});
  const token = async () => (await call<{ token: string }>('demo:mintToken', {})).token;
  const hidScan = (data: string) => call<{ delivered: number }>('demo:hidReports', { reports: scanToReports(data).map(toHex) });
  const testScans = () => events.filter((e) => e.name === 'devices:testScan').map((e) => e.payload as DevicesTestScan);
  const admitted = () => events.filter((e) => e.name === 'kiosk:admitted');
  const entries = async () => (await call<{ todayCount: number }>('kiosk:status', {})).todayCount;
  return { app, dispatch, call, status, token, hidScan, testScans, admitted, entries, events, lines };
}

const connected = async (t: ReturnType<typeof start>) =>
  vi.waitFor(async () => expect((await t.status()).hid.devices[0]?.state).toBe('connected'), { timeout: 3000 });

describe('devices channels', () => {
  it('status lists every source; the simulated HID POS scanner is connected and its scans are admitted', async () => {
    const t = start();
    await connected(t);
    const s = await t.status();
    expect(s.wedge).toMatchObject({ enabled: true, scans: 0 });
    expect(s.camera).toMatchObject({ enabled: false });
    expect(s.hid).toMatchObject({ enabled: true, available: true });
    expect(s.hid.devices).toEqual([
      expect.objectContaining({ path: SIMULATED_HID_PATH, vendorId: 0x1209, productId: 1, usagePage: 0x8c, state: 'connected', label: expect.stringContaining('모의') }),
    ]);
    expect(await t.hidScan(await t.token())).toEqual({ delivered: 3 });
    expect(t.admitted()).toHaveLength(1);
    expect(t.admitted()[0]?.payload).toMatchObject({ ok: true, code: 'OK', source: 'hid' });
    expect(await t.entries()).toBe(1);
  });

  it('test mode: wedge and HID scans are shown, not admitted, and no entry is written', async () => {
    const t = start();
    await connected(t);
    const on = await t.call<DevicesStatus>('devices:testMode', { on: true });
    expect(on.testMode.on).toBe(true);
    const token = await t.token();
    expect(await t.dispatch('kiosk:admit', { data: token, source: 'wedge', charsPerSecond: 240 })).toMatchObject({ ok: false, error: { code: 'SCAN_TEST_MODE' } });
    expect(await t.hidScan(token)).toEqual({ delivered: 3 });
    // A repeat within 2 s from another source is still shown: the test area sees every read.
    expect(t.testScans()).toEqual([
      expect.objectContaining({ source: 'wedge', device: null, symbology: 'qr', charsPerSecond: 240, length: token.length, kp1: expect.objectContaining({ wellFormed: true }) }),
      expect.objectContaining({ source: 'hid', device: expect.stringContaining('1209:0001'), symbology: 'qr', aim: ']Q1', charsPerSecond: null }),
    ]);
    expect(t.admitted()).toHaveLength(0);
    expect(await t.entries()).toBe(0);
    expect(JSON.stringify(t.lines)).not.toContain(token.slice(4, 40));

    // Off again: the same kind of scan is admitted.
    await t.call('devices:testMode', { on: false });
    expect(await t.dispatch('kiosk:admit', { data: await t.token(), source: 'wedge' })).toMatchObject({ ok: true, value: { code: 'OK' } });
    expect(await t.entries()).toBe(1);
  });

  it('HID off closes the scanner: its reports reach nothing and no entry is written; on reopens it', async () => {
    const t = start();
    await connected(t);
    await t.call('settings:update', { sources: { wedge: true, hid: false, camera: false } });
    await vi.waitFor(async () => expect((await t.status()).hid.devices[0]?.state).toBe('off'));
    expect((await t.status()).hid.enabled).toBe(false);
    expect(await t.hidScan(await t.token())).toEqual({ delivered: 0 });
    expect(await t.entries()).toBe(0);
    expect(t.events.some((e) => e.name === 'devices:changed' && (e.payload as DevicesStatus).hid.enabled === false)).toBe(true);

    await t.call('settings:update', { sources: { wedge: true, hid: true, camera: false } });
    await connected(t);
    expect(await t.hidScan(await t.token())).toEqual({ delivered: 3 });
    expect(await t.entries()).toBe(1);
  });

  it('wedge or camera off: their scans are dropped before admit with SCAN_SOURCE_OFF and counted', async () => {
    const t = start();
    await t.call('settings:update', { sources: { wedge: false, hid: true, camera: false } });
    const token = await t.token();
    expect(await t.dispatch('kiosk:admit', { data: token, source: 'wedge' })).toMatchObject({ ok: false, error: { code: 'SCAN_SOURCE_OFF' } });
    expect(await t.dispatch('kiosk:admit', { data: token, source: 'camera' })).toMatchObject({ ok: false, error: { code: 'SCAN_SOURCE_OFF' } });
    const s = await t.status();
    expect([s.wedge.dropped, s.camera.dropped]).toEqual([1, 1]);
    expect(await t.entries()).toBe(0);
    // The demo button is not a device: it still works.
    expect(await t.dispatch('kiosk:admit', { data: token, source: 'demo' })).toMatchObject({ ok: true, value: { code: 'OK' } });
    // Everything off: the status bar says so.
    await t.call('settings:update', { sources: { wedge: false, hid: false, camera: false } });
    expect((await t.call<{ scanner: { state: string } }>('kiosk:status', {})).scanner.state).toBe('off');
  });

  it('refuses bad requests with stable codes', async () => {
    const t = start();
    expect(await t.dispatch('devices:testMode', { on: 'yes' })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(await t.dispatch('devices:testMode', { on: true, minutes: 60 })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(await t.dispatch('devices:status', { all: true })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(await t.dispatch('demo:hidReports', { reports: ['0g'] })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(await t.dispatch('demo:hidReports', { reports: ['abc'] })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(await t.dispatch('demo:hidReports', { reports: [] })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(await t.dispatch('kiosk:admit', { data: 'x', source: 'hid' })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(await t.dispatch('kiosk:admit', { data: 'x', source: 'wedge', charsPerSecond: -1 })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    // A malformed report is the scanner's problem, not the kiosk's: dropped with its code, kiosk still runs.
    await connected(t);
    expect(await t.call('demo:hidReports', { reports: ['02ff'] })).toEqual({ delivered: 1 });
    await vi.waitFor(async () => expect((await t.status()).hid.devices[0]?.lastError?.code).toBe('HID_TRUNCATED_REPORT'));
    expect((await t.status()).hid.devices[0]?.state).toBe('connected');
  });

  it('a real (non-demo) kiosk: test mode needs an unlocked operator; no simulated scanner', async () => {
    const t = start(false);
    expect(await t.dispatch('devices:testMode', { on: true })).toMatchObject({ ok: false, error: { code: 'OPERATOR_LOCKED' } });
    // Turning it off is always allowed (it only ever restores admissions).
    expect(await t.dispatch('devices:testMode', { on: false })).toMatchObject({ ok: true, value: { testMode: { on: false } } });
    expect(await t.dispatch('demo:hidReports', { reports: ['00'] })).toMatchObject({ ok: false, error: { code: 'DEMO_OFF' } });
    expect((await t.status()).hid).toMatchObject({ available: false, devices: [] });
  });
});
