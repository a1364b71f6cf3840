/// <reference lib="dom" />
// The counter camera end to end: Debian's Chromium with a fake camera that plays a .y4m made at
// test time. A KP1 token is minted by the demo host's issuer right before the video is made
// (tokens live 15 s), shown as a QR on a white 640×480 frame; the kiosk decodes it in its
// worker and admits it as source 'camera': 인증되었습니다 and exactly one entry, although the
// code stays in view for seconds. A video without any QR admits nothing and the UI stays
// responsive (a wedge scan still works). A camera that is not there is a status line, not a
// crash. Frame intervals are measured with the camera off and on and printed (no timing
// assertions: the machine is shared); test-results/camera-ui.json keeps the figures.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Browser, Page } from 'playwright-core';
import { DEFAULT_CAMERA } from '../../src/shared/contract';
import type { FrameMeasure } from './support/fakeCamera';
import { launchWithCamera, makeY4m, measureFrames, updateSettings } from './support/fakeCamera';
import type { KioskHost } from './support/kioskHost';
import { startKioskHost } from './support/kioskHost';
import { scannerType } from './support/scanner';

let host: KioskHost;
let browser: Browser | null = null;
let dir: string;

test.beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'munjigi-camera-'));
  host = await startKioskHost();
  await updateSettings(host.url, { sources: { wedge: true, hid: true, camera: true }, camera: { ...DEFAULT_CAMERA } });
});

test.afterEach(async () => {
  await browser?.close();
  browser = null;
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

async function openKiosk(y4m: string | null): Promise<Page> {
  browser = await launchWithCamera(y4m);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'ko-KR', timezoneId: 'Asia/Seoul' });
  // Count the camera tracks the page holds open, to see them stopped (not just hidden).
  await context.addInitScript(() => {
    const tracks: MediaStreamTrack[] = [];
    const w = window as unknown as { __liveTracks: () => number };
    w.__liveTracks = () => tracks.filter((t) => t.readyState === 'live').length;
    const media = navigator.mediaDevices;
    if (!media) return;
    const original = media.getUserMedia.bind(media);
    media.getUserMedia = async (c) => {
      const stream = await original(c);
      tracks.push(...stream.getTracks());
      return stream;
    };
  });
  const page = await context.newPage();
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  (page as Page & { cspViolations?: string[] }).cspViolations = violations;
  await page.goto(host.url);
  await expect(page.getByTestId('kiosk')).toHaveAttribute('data-screen', 'idle');
  return page;
}

const cspViolations = (page: Page) => (page as Page & { cspViolations?: string[] }).cspViolations ?? [];
const figures: Record<string, FrameMeasure> = {};

for (const decoder of ['zxing-wasm', 'zxing-js'] as const) {
  test(`a KP1 QR shown to the camera is admitted once: 인증되었습니다 and one entry (${decoder})`, async () => {
    if (decoder !== DEFAULT_CAMERA.decoder) await updateSettings(host.url, { camera: { ...DEFAULT_CAMERA, decoder } });
    const token = host.token({ issuer: 1 }); // 15 s from here to the admit
    const page = await openKiosk(await makeY4m(dir, { qr: token }));
    await expect(page.getByTestId('result-title')).toHaveText('인증되었습니다', { timeout: 10_000 });
    await expect(page.getByTestId('result')).toHaveAttribute('data-code', 'OK');
    expect(host.entryCount()).toBe(1);
    // The code stays in view (the video loops): still one entry, said once, no 이미 인증되었습니다.
    await page.waitForTimeout(3_000);
    expect(host.entryCount()).toBe(1);
    await expect(page.getByTestId('kiosk')).toHaveAttribute('data-clip-count', '1');
    await expect(page.getByTestId('kiosk')).toHaveAttribute('data-screen', 'idle', { timeout: 10_000 });
    await expect(page.getByTestId('camera')).toHaveAttribute('data-camera-state', 'running');
    const preview = page.getByTestId('camera').locator('video');
    await expect(preview).toHaveClass(/mirrored/); // DEFAULT_CAMERA.mirrored: the preview only
    expect(host.entryCount()).toBe(1);
    expect(cspViolations(page)).toEqual([]);
  });
}

test('a video without a QR code admits nothing, decodes at the capped rate and the UI stays responsive', async () => {
  const page = await openKiosk(await makeY4m(dir, 'no-qr'));
  const camera = page.getByTestId('camera');
  await expect(camera).toHaveAttribute('data-camera-state', 'running', { timeout: 10_000 });
  await expect.poll(async () => Number(await camera.getAttribute('data-decoded')), { timeout: 10_000 }).toBeGreaterThan(3);
  const before = Number(await camera.getAttribute('data-decoded'));
  figures.cameraOn = await measureFrames(page, 5000);
  const decodedIn5s = Number(await camera.getAttribute('data-decoded')) - before;
  // At most maxDecodesPerSecond (8) a second; the counter updates once a second, so allow one tick of slack.
  expect(decodedIn5s).toBeLessThanOrEqual(8 * 6);
  expect(decodedIn5s).toBeGreaterThan(0);
  expect(host.entryCount()).toBe(0);
  await expect(page.getByTestId('kiosk')).toHaveAttribute('data-screen', 'idle');
  // The kiosk keeps working with its scanners while the camera runs.
  await scannerType(page, host.token({ issuer: 2 }));
  await expect(page.getByTestId('result-title')).toHaveText('인증되었습니다');
  expect(host.entryCount()).toBe(1);
  expect(cspViolations(page)).toEqual([]);

  // The same page with the camera off, for comparison.
  await updateSettings(host.url, { sources: { wedge: true, hid: true, camera: false } });
  await page.reload();
  await expect(page.getByTestId('kiosk')).toHaveAttribute('data-screen', 'idle');
  await expect(page.getByTestId('camera')).toHaveCount(0);
  figures.cameraOff = await measureFrames(page, 5000);
  // Control: the same measurement does see a main thread that is blocked 50 ms out of every 60.
  await page.evaluate(() => {
    window.setInterval(() => {
      const t = performance.now();
      while (performance.now() - t < 50);
    }, 60);
  });
  const janky = await measureFrames(page, 2000);
  // Blocks of 50 ms leave ~10 ms gaps in which a frame or two still fit, so not every interval is
  // long; on a loaded machine the share varies (33-40 % seen). A fifth of the frames long tells a
  // blocked page from a free one (0-1 % on an idle machine) with room to spare.
  expect(janky.droppedPct).toBeGreaterThan(20);
  console.log(`camera UI: on ${JSON.stringify(figures.cameraOn)} off ${JSON.stringify(figures.cameraOff)} decodes/5s ${decodedIn5s}`);
  mkdirSync('test-results', { recursive: true });
  writeFileSync(
    'test-results/camera-ui.json',
    JSON.stringify({ metrics: { camera_ui_fps: figures.cameraOn.fps, camera_ui_dropped_frames_pct: figures.cameraOn.droppedPct }, cameraOff: figures.cameraOff, decodedIn5s }) + '\n',
  );
});

test('the camera stops (tracks ended) while the settings are open or the window is hidden, and starts again after', async () => {
  const page = await openKiosk(await makeY4m(dir, 'no-qr'));
  await expect(page.getByTestId('camera')).toHaveAttribute('data-camera-state', 'running', { timeout: 10_000 });
  const live = () => page.evaluate(() => (window as unknown as { __liveTracks: () => number }).__liveTracks());
  expect(await live()).toBe(1);
  await page.getByTestId('open-settings').click();
  await expect(page.getByTestId('settings')).toBeVisible();
  await expect(page.getByTestId('camera')).toHaveCount(0);
  await expect.poll(live).toBe(0); // tracks stopped: the camera light goes out
  await page.getByTestId('settings-close').click();
  await expect(page.getByTestId('camera')).toHaveAttribute('data-camera-state', 'running', { timeout: 10_000 });
  expect(await live()).toBe(1);

  // The window hidden (minimised, another app in front): stopped too, and back when shown.
  const setVisibility = (state: 'hidden' | 'visible') =>
    page.evaluate((v) => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => v });
      document.dispatchEvent(new Event('visibilitychange'));
    }, state);
  await setVisibility('hidden');
  await expect.poll(live).toBe(0);
  await setVisibility('visible');
  await expect(page.getByTestId('camera')).toHaveAttribute('data-camera-state', 'running', { timeout: 10_000 });
  expect(await live()).toBe(1);
});

test('a camera that is not there is a clear status line and the scanner still works', async () => {
  await updateSettings(host.url, { camera: { ...DEFAULT_CAMERA, deviceId: 'no-such-camera' } });
  const page = await openKiosk(await makeY4m(dir, 'no-qr'));
  const camera = page.getByTestId('camera');
  await expect(camera).toHaveAttribute('data-camera-state', 'missing', { timeout: 10_000 });
  await expect(page.getByTestId('camera-status')).toContainText('카메라를 찾을 수 없습니다');
  await expect(page.getByTestId('camera-status')).toContainText('스캐너는 그대로 사용할 수 있습니다');
  await scannerType(page, host.token({ issuer: 3 }));
  await expect(page.getByTestId('result-title')).toHaveText('인증되었습니다');
  expect(host.entryCount()).toBe(1);
});
