/// <reference lib="dom" />
// The 장치 설정 screen end to end in Chromium against the real core (development host in demo
// mode, with its simulated HID POS scanner): open console → 장치 설정, see the HID device and its
// light, turn test mode on, scan with a wedge scanner (keys typed through DevTools with scanner
// timing) and replay HID POS reports, see raw data, source, symbology and speed, and that no
// entry was written; then turn HID off and see a HID scan go nowhere. Screenshots of the screen
// in both languages: docs/screenshots/devices-<lang>.png with UPDATE_SCREENSHOTS=1.
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import WebSocket from 'ws';
import { scanToReports, toHex } from '../../src/core/scanner/simulate';
import type { KioskHost } from './support/kioskHost';
import { startKioskHost } from './support/kioskHost';
import { scannerType } from './support/scanner';

const OUT = process.env.UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : 'test-results/screenshots';
let host: KioskHost;

test.afterEach(async () => {
  await host.close();
});

/** One contract call over the development host's WebSocket, as a page it served would make it. */
async function call(channel: string, request: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string } }> {
  const url = new URL(host.url);
  const ws = new WebSocket(`ws://${url.host}/ipc`, { origin: url.origin });
  try {
    await new Promise<void>((done, failed) => {
      ws.once('open', () => done());
      ws.once('error', failed);
    });
    const answer = new Promise<string>((done, failed) => {
      const timer = setTimeout(() => failed(new Error(`${channel}: no answer`)), 10_000);
      ws.on('message', (raw: Buffer) => {
        const frame = JSON.parse(raw.toString()) as { id?: number };
        if (frame.id === 1) {
          clearTimeout(timer);
          done(raw.toString());
        }
      });
    });
    ws.send(JSON.stringify({ id: 1, channel, request }));
    return (JSON.parse(await answer) as { envelope: { ok: boolean; value?: unknown; error?: { code: string } } }).envelope;
  } finally {
    ws.close();
  }
}

/** The simulated scanner sends `data` as a HID POS scanner would: 64-byte reports, report ID first. */
const hidScan = async (data: string) => {
  const env = await call('demo:hidReports', { reports: scanToReports(data).map(toHex) });
  expect(env.ok).toBe(true);
  return (env.value as { delivered: number }).delivered;
};

async function openDevices(page: Page) {
  await page.goto(host.url);
  await expect(page.getByTestId('kiosk')).toHaveAttribute('data-screen', 'idle');
  await page.getByTestId('open-settings').click();
  await page.getByTestId('open-console').click();
  await page.getByTestId('open-devices').click();
  await expect(page.getByTestId('devices')).toBeVisible();
}

test('장치 설정: live HID status, test mode shows wedge and HID scans without entries, HID off drops scans', async ({ page }) => {
  test.setTimeout(90_000);
  host = await startKioskHost();
  expect((await call('devices:status', {})).ok).toBe(true);
  await openDevices(page);

  // The simulated HID POS scanner, with its light in words and icon, not colour alone.
  const device = page.getByTestId('hid-device');
  await expect(device).toHaveAttribute('data-state', 'connected');
  await expect(device).toContainText('모의 HID POS 스캐너');
  await expect(device).toContainText('1209:0001');
  await expect(device).toContainText('0x8c');
  await expect(device.locator('.device-light')).toHaveText(/✓\s*연결됨/);
  await expect(page.getByTestId('source-hid-light')).toContainText('1대 연결됨');
  await expect(page.getByTestId('source-wedge-light')).toHaveAttribute('data-tone', 'ok');
  await expect(page.getByTestId('source-camera-light')).toHaveText(/○\s*꺼짐/);

  // Test mode on: scans are shown, not admitted.
  await page.getByTestId('test-mode-toggle').click();
  await expect(page.getByTestId('test-area')).toHaveAttribute('data-test-mode', 'on');

  const wedgeToken = host.token({ issuer: 1 });
  await scannerType(page, wedgeToken);
  const first = page.getByTestId('test-scan').first();
  await expect(first).toHaveAttribute('data-source', 'wedge');
  await expect(first.getByTestId('test-scan-data')).toHaveText(wedgeToken);
  await expect(first.getByTestId('test-scan-symbology')).toHaveText('QR Code');
  await expect(first.getByTestId('test-scan-length')).toHaveText(`${wedgeToken.length} 자`);
  // 4 ms a key as the helper types it: 250 characters a second.
  await expect(first.getByTestId('test-scan-speed')).toHaveText('250 자/초');
  await expect(first).toHaveAttribute('data-kp1', 'yes');

  // A wedge scan that is not a KP1 code: symbology unknown, would be refused.
  await scannerType(page, 'ABC-12345');
  await expect(page.getByTestId('test-scan').first().getByTestId('test-scan-symbology')).toHaveText('알 수 없음');
  await expect(page.getByTestId('test-scan').first()).toHaveAttribute('data-kp1', 'no');

  // HID POS reports replayed through the simulated device: AIM ]Q1 names the symbology.
  const hidToken = host.token({ issuer: 2 });
  expect(await hidScan(hidToken)).toBe(3);
  const hid = page.getByTestId('test-scan').first();
  await expect(hid).toHaveAttribute('data-source', 'hid');
  await expect(hid.getByTestId('test-scan-source')).toContainText('모의 HID POS 스캐너');
  await expect(hid.getByTestId('test-scan-symbology')).toHaveText('QR Code (]Q1)');
  await expect(hid.getByTestId('test-scan-data')).toHaveText(hidToken);
  await expect(hid.getByTestId('test-scan-speed')).toHaveCount(0);

  // Control characters inside a scan are shown escaped, never acted on.
  expect(await hidScan('line1\tA\r\nline2\u001d<b>x</b>')).toBe(1);
  await expect(page.getByTestId('test-scan').first().getByTestId('test-scan-data')).toHaveText('line1\\tA\\r\\nline2\\x1d<b>x</b>');

  await expect(page.getByTestId('test-scan')).toHaveCount(4);
  expect(host.entryCount()).toBe(0);
  await expect(page.getByTestId('kiosk')).toHaveAttribute('data-screen', 'console');
  await page.screenshot({ path: `${OUT}/devices-ko.png`, fullPage: true });

  // Test mode off, then HID off: the scanner is closed and its scan reaches nothing.
  await page.getByTestId('test-mode-toggle').click();
  await expect(page.getByTestId('test-area')).toHaveAttribute('data-test-mode', 'off');
  // The box follows main's answer (a locked kiosk would refuse), so click and wait for it.
  await page.getByTestId('source-hid-toggle').click();
  await expect(page.getByTestId('source-hid-toggle')).not.toBeChecked();
  await expect(device).toHaveAttribute('data-state', 'off');
  await expect(page.getByTestId('source-hid-light')).toHaveText(/○\s*꺼짐/);
  expect(await hidScan(host.token({ issuer: 3 }))).toBe(0);
  expect(host.entryCount()).toBe(0);

  // On again: reopened, and a scan is admitted (one entry) now that test mode is off.
  await page.getByTestId('source-hid-toggle').click();
  await expect(page.getByTestId('source-hid-toggle')).toBeChecked();
  await expect(device).toHaveAttribute('data-state', 'connected');
  expect(await hidScan(host.token({ issuer: 3 }))).toBe(3);
  await expect.poll(() => host.entryCount()).toBe(1);
});

test('closing the screen ends test mode; the screen in English', async ({ page }) => {
  test.setTimeout(90_000);
  host = await startKioskHost();
  expect((await call('settings:update', { language: 'en' })).ok).toBe(true);
  await openDevices(page);
  await expect(page.getByTestId('devices')).toContainText('Device setup');
  await page.getByTestId('test-mode-toggle').click();
  await expect(page.getByTestId('test-area')).toHaveAttribute('data-test-mode', 'on');
  await scannerType(page, host.token({ issuer: 1 }));
  await expect(page.getByTestId('test-scan').first().getByTestId('test-scan-speed')).toHaveText('250 chars/s');
  await expect(page.getByTestId('hid-device').locator('.device-light')).toHaveText(/✓\s*Connected/);
  await page.screenshot({ path: `${OUT}/devices-en.png`, fullPage: true });

  await page.getByTestId('devices-close').click();
  await expect(page.getByTestId('console')).toBeVisible();
  await expect.poll(async () => ((await call('devices:status', {})).value as { testMode: { on: boolean } }).testMode.on).toBe(false);
  // Bad requests from a page are refused with codes, and the kiosk keeps running.
  expect((await call('devices:testMode', { on: 'yes' })).error?.code).toBe('INVALID_REQUEST');
  expect((await call('demo:hidReports', { reports: ['zz'] })).error?.code).toBe('INVALID_REQUEST');
  expect((await call('devices:status', {})).ok).toBe(true);
});
