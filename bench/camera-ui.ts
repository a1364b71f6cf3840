// Runs in Node after bundling (out/node/bench-camera-ui.js). Does the kiosk UI keep 60 fps while
// the camera decodes? The built renderer in Debian's Chromium against the demo host, with a fake
// camera playing a moving test pattern (no QR code, so every frame is a full decode attempt at
// the default 8 decodes a second: the worst case). requestAnimationFrame intervals are recorded
// in the page for CAMERA_UI_SECONDS (default 5) with the camera running, then with it off.
// Prints {"metrics": …} last. Needs `npm run build` first and /usr/bin/ffmpeg.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { DEFAULT_CAMERA } from '../src/shared/contract';
import { launchWithCamera, makeY4m, measureFrames, updateSettings } from '../tests/e2e/support/fakeCamera';
import { startKioskHost } from '../tests/e2e/support/kioskHost';

const seconds = Math.min(60, Math.max(1, Number(process.env.CAMERA_UI_SECONDS ?? 5)));

async function waitFor(check: () => Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const dir = mkdtempSync(join(tmpdir(), 'munjigi-bench-camera-ui-'));
const host = await startKioskHost();
let browser: Browser | null = null;
try {
  await updateSettings(host.url, { sources: { wedge: true, hid: true, camera: true }, camera: { ...DEFAULT_CAMERA } });
  browser = await launchWithCamera(await makeY4m(dir, 'no-qr', 2));
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(host.url);
  const camera = page.getByTestId('camera');
  const decoded = async () => Number((await camera.getAttribute('data-decoded').catch(() => null)) ?? 0);
  await waitFor(async () => (await camera.getAttribute('data-camera-state').catch(() => null)) === 'running', 'the camera to run');
  await waitFor(async () => (await decoded()) > 3, 'the first decodes');
  const before = await decoded();
  const on = await measureFrames(page, seconds * 1000);
  const decodesPerSecond = ((await decoded()) - before) / seconds;

  await updateSettings(host.url, { sources: { wedge: true, hid: true, camera: false } });
  await page.reload();
  await waitFor(async () => (await page.getByTestId('kiosk').getAttribute('data-screen')) === 'idle' && (await camera.count()) === 0, 'the camera to be off');
  const off = await measureFrames(page, seconds * 1000);

  process.stdout.write(`machine: ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
  process.stdout.write(`camera on : ${JSON.stringify(on)} (${decodesPerSecond.toFixed(1)} decodes/s)\ncamera off: ${JSON.stringify(off)}\n`);
  process.stdout.write(
    JSON.stringify({
      metrics: {
        camera_ui_fps: on.fps,
        camera_ui_dropped_frames_pct: on.droppedPct,
        camera_ui_frame_p95_ms: on.p95Ms,
        camera_ui_off_fps: off.fps,
        camera_ui_off_dropped_frames_pct: off.droppedPct,
        camera_ui_decodes_per_s: Math.round(decodesPerSecond * 10) / 10,
      },
    }) + '\n',
  );
} finally {
  await browser?.close();
  await host.close();
  rmSync(dir, { recursive: true, force: true });
}
