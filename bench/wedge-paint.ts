/// <reference lib="dom" />
// Benchmark: last wedge key (Enter) to the result screen painted, in Debian's Chromium
// through the development host, against the real core and a SQLite file on disk.
// Prints {"metrics": {"wedge_to_paint_p50_ms", "wedge_to_paint_p95_ms"}} as its last line.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { createKioskApp } from '../src/core/app/kiosk';
import { chromiumArgs, chromiumPath } from '../src/core/chromium';
import { silentLogger } from '../src/core/log';
import { projectRoot } from '../src/core/paths';
import { startDevHost } from '../src/devhost/host';
import { scannerType } from '../tests/e2e/support/scanner';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 60);
const dataDir = mkdtempSync(join(tmpdir(), 'munjigi-bench-paint-'));
const kiosk = createKioskApp({ dataDir, demo: true, logger: silentLogger });
await kiosk.handlers['settings:update']({ resultScreenMs: 1000 });
const host = await startDevHost({ app: kiosk, rendererDir: join(projectRoot(), 'out', 'renderer'), logger: silentLogger });
const browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
const samples: number[] = [];
try {
  const page = await browser.newPage();
  await page.addInitScript(() => {
    window.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') (window as unknown as { __enterAt: number }).__enterAt = performance.now();
    }, true);
  });
  await page.goto(host.url);
  await page.getByTestId('kiosk').and(page.locator('[data-screen="idle"]')).waitFor();
  for (let i = 0; i < ROUNDS; i++) {
    const { token } = await kiosk.handlers['demo:mintToken']({ issuer: 1 + (i % 3) });
    await scannerType(page, token);
    const painted = page.locator('[data-testid="result"][data-painted-at]');
    await painted.waitFor({ timeout: 10_000 });
    const paintedAt = Number(await painted.getAttribute('data-painted-at'));
    const enterAt = await page.evaluate(() => (window as unknown as { __enterAt: number }).__enterAt);
    samples.push(paintedAt - enterAt);
    await page.locator('[data-testid="kiosk"][data-screen="idle"]').waitFor({ timeout: 10_000 });
  }
} finally {
  await browser.close();
  await host.close();
  await kiosk.close();
  rmSync(dataDir, { recursive: true, force: true });
}
samples.sort((a, b) => a - b);
const pct = (p: number) => samples[Math.min(samples.length - 1, Math.floor((p / 100) * samples.length))] ?? NaN;
console.log(`wedge→paint over ${samples.length} scans: p50 ${pct(50).toFixed(1)} ms, p95 ${pct(95).toFixed(1)} ms, max ${samples.at(-1)?.toFixed(1)} ms`);
console.log(JSON.stringify({ metrics: { wedge_to_paint_p50_ms: +pct(50).toFixed(2), wedge_to_paint_p95_ms: +pct(95).toFixed(2) }, notes: { rounds: samples.length } }));
