/// <reference lib="dom" />
// The kiosk end to end: the built renderer in Debian's Chromium, the real core behind the
// WebSocket development host, a real SQLite file. Tokens are typed the way a USB wedge
// scanner types them (4 ms a key, Shift held for capitals, Enter at the end).
import type { Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { parseToken, tokenIdOf } from '../../src/core/kp1';
import type { KioskHost } from './support/kioskHost';
import { startKioskHost } from './support/kioskHost';
import { scannerType } from './support/scanner';

let host: KioskHost;

test.beforeEach(async ({ page }) => {
  host = await startKioskHost();
  // Count real Web Audio playback: the clip must be started, not just chosen.
  await page.addInitScript(() => {
    const w = window as unknown as { __audioStarts: number };
    w.__audioStarts = 0;
    const start = AudioBufferSourceNode.prototype.start;
    AudioBufferSourceNode.prototype.start = function (...args: Parameters<typeof start>) {
      w.__audioStarts += 1;
      return start.apply(this, args);
    };
  });
  await page.goto(host.url);
  await expect(page.getByTestId('kiosk')).toHaveAttribute('data-screen', 'idle');
  await expect(page.getByTestId('light-connection')).toHaveCount(0);
});

test.afterEach(async () => {
  await host.close();
});

const audioStarts = (page: Page) => page.evaluate(() => (window as unknown as { __audioStarts: number }).__audioStarts);

test('a valid token typed by a wedge scanner is admitted, announced and logged once', async ({ page }) => {
  await scannerType(page, host.token({ issuer: 1 }));
  const result = page.getByTestId('result');
  await expect(result).toHaveAttribute('data-code', 'OK');
  await expect(page.getByTestId('result-title')).toHaveText('인증되었습니다');
  await expect(page.getByTestId('kiosk')).toHaveAttribute('data-last-clip', 'ok');
  await expect.poll(() => audioStarts(page)).toBeGreaterThan(0);
  await expect(page.getByTestId('today-count')).toHaveText('1');
  expect(host.entryCount()).toBe(1);
  // and the screen returns to idle by itself
  await expect(page.getByTestId('kiosk')).toHaveAttribute('data-screen', 'idle', { timeout: 10_000 });
});

test('the same QR read twice at once (scanner held in front of it) is one scan, said once', async ({ page }) => {
  const token = host.token({ issuer: 2 });
  await scannerType(page, token);
  await expect(page.getByTestId('result')).toHaveAttribute('data-code', 'OK');
  await scannerType(page, token);
  await page.waitForTimeout(500);
  await expect(page.getByTestId('result')).toHaveAttribute('data-code', 'OK');
  await expect(page.getByTestId('kiosk')).toHaveAttribute('data-clip-count', '1');
  expect(host.entryCount()).toBe(1);
});

test('the same token again later is one entry and an amber 이미 인증되었습니다', async ({ page }) => {
  const token = host.token({ issuer: 3 });
  await scannerType(page, token);
  await expect(page.getByTestId('result')).toHaveAttribute('data-code', 'OK');
  await page.waitForTimeout(2_100); // past the 2 s window in which a repeat is the same scan
  await scannerType(page, token);
  await expect(page.getByTestId('result')).toHaveAttribute('data-code', 'DUPLICATE');
  await expect(page.getByTestId('result-title')).toHaveText('이미 인증되었습니다');
  await expect(page.getByTestId('kiosk')).toHaveAttribute('data-last-clip', 'duplicate');
  expect(host.entryCount()).toBe(1);
});

test('an expired token shows what to do and writes nothing', async ({ page }) => {
  await scannerType(page, host.token({ ageSeconds: 60 }));
  await expect(page.getByTestId('result')).toHaveAttribute('data-code', 'EXPIRED');
  await expect(page.getByTestId('result')).toContainText('유효시간이 지났습니다');
  await expect(page.getByTestId('result-action')).toContainText('새로');
  await expect(page.getByTestId('kiosk')).toHaveAttribute('data-last-clip', 'refused');
  expect(host.entryCount()).toBe(0);
});

test('a token reported as used elsewhere is refused as replayed', async ({ page }) => {
  const token = host.token();
  const parsed = parseToken(token);
  if (!parsed) throw new Error('minted token did not parse');
  host.reportReplay(tokenIdOf(parsed.body));
  await scannerType(page, token);
  await expect(page.getByTestId('result')).toHaveAttribute('data-code', 'REPLAYED');
  expect(host.entryCount()).toBe(0);
});

test('a token signed by a foreign key is refused', async ({ page }) => {
  await scannerType(page, host.foreignToken());
  await expect(page.getByTestId('result')).toHaveAttribute('data-code', 'BAD_SIGNATURE');
  await expect(page.getByTestId('result-title')).not.toHaveText('인증되었습니다');
  expect(host.entryCount()).toBe(0);
});

test('garbage bursts get a clear refusal and the kiosk keeps working', async ({ page }) => {
  await scannerType(page, '8801234567893');
  await expect(page.getByTestId('result')).toHaveAttribute('data-code', 'MALFORMED');
  await expect(page.getByTestId('kiosk')).toHaveAttribute('data-screen', 'idle', { timeout: 10_000 });
  await scannerType(page, 'https://example.com/x?y=1'.replace(/[?=]/g, '/'), { delayMs: 0 });
  await expect(page.getByTestId('result')).toHaveAttribute('data-code', 'MALFORMED');
  // 100 KB and binary straight through the IPC boundary (typing 100,000 keys would take minutes)
  const answers = await page.evaluate(async () => {
    const ws = new WebSocket(`ws://${location.host}/ipc`);
    await new Promise((r) => ws.addEventListener('open', r, { once: true }));
    const call = (id: number, data: string) =>
      new Promise<unknown>((done) => {
        ws.addEventListener('message', function on(ev) {
          const frame = JSON.parse(ev.data as string);
          if (frame.id === id) {
            ws.removeEventListener('message', on);
            done(frame.envelope);
          }
        });
        ws.send(JSON.stringify({ id, channel: 'kiosk:admit', request: { data, source: 'wedge' } }));
      });
    const big = await call(1, 'KP1.' + 'A'.repeat(100_000));
    const binary = await call(2, String.fromCharCode(...Array.from({ length: 512 }, (_, i) => i % 256)));
    ws.close();
    return [big, binary];
  });
  expect(answers).toEqual([
    expect.objectContaining({ ok: true, value: expect.objectContaining({ code: 'MALFORMED' }) }),
    expect.objectContaining({ ok: true, value: expect.objectContaining({ code: 'MALFORMED' }) }),
  ]);
  await scannerType(page, host.token());
  await expect(page.getByTestId('result')).toHaveAttribute('data-code', 'OK');
  expect(host.entryCount()).toBe(1);
});

test('typing in a settings field is not taken for a scan', async ({ page }) => {
  await page.getByTestId('open-settings').click();
  await expect(page.getByTestId('settings')).toBeVisible();
  const field = page.getByTestId('settings-wedge-max-gap');
  await field.click();
  await field.fill('');
  // as fast as a scanner, ending in Enter, into a form field
  await scannerType(page, '1234567890', { suffix: 'Tab' });
  await expect(page.getByTestId('result')).toHaveCount(0);
  expect(host.entryCount()).toBe(0);
  await expect(field).toHaveValue('1234567890');
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('settings-error')).toBeVisible();
});
