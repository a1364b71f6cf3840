// Runs in the Playwright test process and the camera UI benchmark (Node). A fake camera for
// Chromium: a .y4m file (a QR code on a white 640×480 frame, or a moving test pattern with no
// QR code) made with Debian's ffmpeg, the browser started with Chromium's fake-device flags
// reading it, the camera source switched on through settings:update over the development
// host's own WebSocket, and the page's frame intervals measured with requestAnimationFrame.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import QRCode from 'qrcode';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import WebSocket from 'ws';
import { chromiumArgs, chromiumPath } from '../../../src/core/chromium';
import type { SettingsPatch } from '../../../src/shared/contract';
import type { Envelope } from '../../../src/shared/envelope';

export const FFMPEG = process.env.FFMPEG_PATH ?? '/usr/bin/ffmpeg';

/** A y4m video Chromium loops as its camera: `qr` text centred on white, or a test pattern without any QR code. */
export async function makeY4m(dir: string, content: { qr: string } | 'no-qr', seconds = 2): Promise<string> {
  const out = join(dir, content === 'no-qr' ? 'no-qr.y4m' : 'qr.y4m');
  const common = ['-hide_banner', '-loglevel', 'error', '-y'];
  const encode = ['-r', '10', '-t', String(seconds), '-pix_fmt', 'yuv420p', '-f', 'yuv4mpegpipe', out];
  if (content === 'no-qr') {
    execFileSync(FFMPEG, [...common, '-f', 'lavfi', '-i', 'testsrc=size=640x480:rate=10', ...encode], { timeout: 30_000 });
  } else {
    const png = join(dir, 'qr.png');
    writeFileSync(png, await QRCode.toBuffer(content.qr, { errorCorrectionLevel: 'M', margin: 4, width: 360, color: { dark: '#000000', light: '#ffffff' } }));
    const vf = 'pad=640:480:(ow-iw)/2:(oh-ih)/2:white,format=yuv420p';
    execFileSync(FFMPEG, [...common, '-loop', '1', '-i', png, '-vf', vf, ...encode], { timeout: 30_000 });
  }
  return out;
}

/** Chromium with `y4m` as its only camera and the permission prompt answered yes. */
export function launchWithCamera(y4m: string | null): Promise<Browser> {
  const media = y4m ? ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${y4m}`] : [];
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: [...chromiumArgs, ...media] });
}

/** One contract call to the development host, the way the renderer makes it (same origin, /ipc). */
export function callHost<T>(hostUrl: string, channel: string, request: unknown): Promise<Envelope<T>> {
  const origin = new URL(hostUrl).origin;
  const ws = new WebSocket(`${origin.replace(/^http/, 'ws')}/ipc`, { origin });
  return new Promise((done, failed) => {
    const timer = setTimeout(() => {
      ws.terminate();
      failed(new Error(`${channel}: no answer`));
    }, 10_000);
    ws.once('error', (e) => {
      clearTimeout(timer);
      failed(e);
    });
    ws.once('open', () => ws.send(JSON.stringify({ id: 1, channel, request })));
    ws.on('message', (raw: Buffer) => {
      const frame = JSON.parse(raw.toString('utf8')) as { id?: number; envelope?: Envelope<T> };
      if (frame.id !== 1 || !frame.envelope) return; // a push event
      clearTimeout(timer);
      ws.close();
      done(frame.envelope);
    });
  });
}

/** settings:update through the host (a demo host has no operator PIN, so it is unlocked). */
export async function updateSettings(hostUrl: string, patch: SettingsPatch): Promise<void> {
  const env = await callHost(hostUrl, 'settings:update', patch);
  if (!env.ok) throw new Error(`settings:update refused: ${env.error.code} ${env.error.message}`);
}

export interface FrameMeasure {
  frames: number;
  fps: number;
  /** Share of frame intervals longer than 1.5 × 16.7 ms (a missed vsync at 60 Hz), in %. */
  droppedPct: number;
  p95Ms: number;
  maxMs: number;
}

/** requestAnimationFrame intervals in the page over `ms` milliseconds. */
export async function measureFrames(page: Page, ms = 5000): Promise<FrameMeasure> {
  const intervals = await page.evaluate(
    (duration) =>
      new Promise<number[]>((done) => {
        const out: number[] = [];
        let last = -1;
        const end = performance.now() + duration;
        const tick = (t: number) => {
          if (last >= 0) out.push(t - last);
          last = t;
          if (t < end) requestAnimationFrame(tick);
          else done(out);
        };
        requestAnimationFrame(tick);
      }),
    ms,
  );
  const total = intervals.reduce((a, b) => a + b, 0);
  const sorted = [...intervals].sort((a, b) => a - b);
  const limit = 1.5 * (1000 / 60);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    frames: intervals.length,
    fps: round(total > 0 ? (intervals.length * 1000) / total : 0),
    droppedPct: round(intervals.length > 0 ? (100 * intervals.filter((d) => d > limit).length) / intervals.length : 0),
    p95Ms: round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? 0),
    maxMs: round(sorted.at(-1) ?? 0),
  };
}
