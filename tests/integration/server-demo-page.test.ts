// Runs in Node (vitest) with Debian's Chromium through playwright-core. The demo issuer page
// as a visitor uses it on a phone-sized screen: no QR before consent, then a KP1 QR with a
// countdown, all under the page's strict CSP (no violations reported).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock';
import { silentLogger } from '../../src/core/log';
import type { RunningServer } from '../../src/server/start';
import { startServer } from '../../src/server/start';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? undefined : 'Debian chromium not installed at /usr/bin/chromium';
if (skip) console.warn(`server-demo-page: skipped: ${skip}`);

describe.skipIf(skip)('demo issuer page in Chromium', () => {
  let dir = '';
  let running: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'munjigi-demo-page-'));
    running = await startServer({ target: { file: join(dir, 'server.db') }, host: '127.0.0.1', port: 0, demo: true, clock: systemClock, logger: silentLogger, demoDir: join(dir, 'demo') });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-gpu'] });
  });
  afterAll(async () => {
    await browser?.close();
    await running?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('asks for consent, then shows a QR with a countdown, without CSP violations', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${running.url}/demo/issuer`);
    await expect(page.locator('#start').isDisabled()).resolves.toBe(true);
    await expect(page.locator('#qr').isHidden()).resolves.toBe(true);
    await page.check('#agree');
    await page.selectOption('#issuer', '3');
    await page.click('#start');
    await page.waitForFunction(() => (document.getElementById('qrimg') as HTMLImageElement).src.startsWith('data:image/png'), undefined, { timeout: 10_000 });
    const countdown = await page.textContent('#countdown');
    expect(countdown).toMatch(/^(1[0-5]|[1-9])초$/);
    await page.waitForFunction((first) => document.getElementById('countdown')!.textContent !== first, countdown, { timeout: 5_000 });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('regenerates the QR twice on its own, then offers 재시도', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.clock.install();
    await page.goto(`${running.url}/demo/issuer`);
    await page.check('#agree');
    await page.click('#start');
    const srcs: string[] = [];
    for (let round = 0; round < 3; round++) {
      await page.waitForFunction((prev) => {
        const src = (document.getElementById('qrimg') as HTMLImageElement).src;
        return src.startsWith('data:image/png') && !prev.includes(src);
      }, srcs, { timeout: 10_000 });
      srcs.push(await page.getAttribute('#qrimg', 'src') ?? '');
      expect(await page.isHidden('#retry')).toBe(true);
      await page.clock.runFor(15_000);
    }
    await page.waitForSelector('#retry', { state: 'visible', timeout: 5_000 });
    expect(new Set(srcs).size).toBe(3);
    await page.click('#retry');
    await page.waitForFunction((prev) => !prev.includes((document.getElementById('qrimg') as HTMLImageElement).src) && !(document.getElementById('qrimg') as HTMLImageElement).hidden, srcs, { timeout: 10_000 });
    await page.close();
  });
});
