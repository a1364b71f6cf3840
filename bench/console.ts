/// <reference lib="dom" />
// Benchmark: the operator console on a log of 1,000,000 entries (all today, Seoul time). Seeds the
// kiosk's own SQLite file (src/core/console/seed.ts), then opens the console several times in
// Debian's Chromium through the development host against the real core: click → total, hourly
// chart and first rows on screen. Also times the console's queries in Node on the same file.
// Prints {"metrics": {"console_render_1m_ms", …}} as its last line (medians).
// BENCH_CONSOLE_ENTRIES and BENCH_CONSOLE_OPENS override the size and the number of opens.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium } from 'playwright-core';
import { createKioskApp, kioskPaths } from '../src/core/app/kiosk';
import { chromiumArgs, chromiumPath } from '../src/core/chromium';
import { openConsoleQueries } from '../src/core/console/queries';
import { seedEntries } from '../src/core/console/seed';
import { seoulDay, seoulDayBounds } from '../src/core/entrylog';
import { silentLogger } from '../src/core/log';
import { projectRoot } from '../src/core/paths';
import { startDevHost } from '../src/devhost/host';

const N = Number(process.env.BENCH_CONSOLE_ENTRIES ?? 1_000_000);
const OPENS = Number(process.env.BENCH_CONSOLE_OPENS ?? 7);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const r1 = (x: number) => Math.round(x * 10) / 10;

const dataDir = mkdtempSync(join(tmpdir(), 'munjigi-bench-console-'));
const kiosk = createKioskApp({ dataDir, demo: true, logger: silentLogger });
const now = Date.now();
const today = seoulDayBounds(now);
const seedStart = performance.now();
seedEntries(kioskPaths(dataDir).entryLog, { count: N, from: today.start, spanMs: Math.max(1000, now - today.start - 5_000) });
console.log(`seeded ${N} entries in ${((performance.now() - seedStart) / 1000).toFixed(1)} s (not timed)`);

// The console's queries in Node, on their own read-only connection as in the app.
const q = openConsoleQueries({ path: kioskPaths(dataDir).entryLog });
const timed = (fn: () => unknown) => {
  const t = performance.now();
  fn();
  return performance.now() - t;
};
const hourly: number[] = [];
const firstPage: number[] = [];
const refusals: number[] = [];
for (let i = 0; i < OPENS; i++) {
  hourly.push(timed(() => q.hourly({ from: today.start, to: today.end })));
  firstPage.push(timed(() => q.entries({ from: today.start, to: today.end, limit: 200 })));
  refusals.push(timed(() => q.refusals(seoulDay(now))));
}
const total = q.entries({ from: today.start, to: today.end, limit: 1 }).total;
q.close();
if (total !== N) throw new Error(`seeded ${N} but the console counts ${total}`);

const host = await startDevHost({ app: kiosk, rendererDir: join(projectRoot(), 'out', 'renderer'), logger: silentLogger });
const browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
const renders: number[] = [];
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(host.url);
  await page.getByTestId('kiosk').and(page.locator('[data-screen="idle"]')).waitFor();
  // The console opens from 운영 설정 (no PIN in a demo setup); closing it may go back to idle.
  const toSettings = async () => {
    if (!(await page.getByTestId('settings').isVisible())) await page.getByTestId('open-settings').click();
    await page.getByTestId('settings').waitFor();
  };
  for (let i = 0; i < OPENS; i++) {
    await toSettings();
    const started = await page.evaluate(() => performance.now());
    await page.getByTestId('open-console').click();
    await page.locator(`[data-testid="console-total"]:text-is("${N}")`).waitFor({ timeout: 60_000 });
    await page.locator(`[data-testid="console-hourly"] svg.chart[data-total="${N}"]`).waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="console-list"] .entry-row').first().waitFor({ timeout: 60_000 });
    renders.push((await page.evaluate(() => performance.now())) - started);
    await page.getByTestId('console-close').click();
    await page.getByTestId('console').waitFor({ state: 'detached' });
  }
} finally {
  await browser.close();
  await host.close();
  await kiosk.close();
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(`console with ${N} entries: render ${renders.map((x) => x.toFixed(0)).join(', ')} ms (first open first)`);
console.log(`queries (median of ${OPENS}): hourly ${median(hourly).toFixed(2)} ms, first page with total ${median(firstPage).toFixed(2)} ms, refusals ${median(refusals).toFixed(2)} ms`);
console.log(
  JSON.stringify({
    metrics: {
      console_render_1m_ms: r1(median(renders)),
      console_render_1m_first_ms: r1(renders[0] ?? NaN),
      console_hourly_1m_ms: r1(median(hourly)),
      console_first_page_1m_ms: r1(median(firstPage)),
      console_refusals_1m_ms: r1(median(refusals)),
    },
    notes: { entries: N, opens: OPENS, loadavg: loadavg()[0] },
  }),
);
