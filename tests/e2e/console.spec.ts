/// <reference lib="dom" />
// The operator console end to end on a large log: 1,000,000 entries written straight into the
// kiosk's SQLite file, then the console opened in Chromium against the real core. Asserts it
// renders (chart, refusals, per-scan timing, list) and that the list scrolls and loads more by
// cursor with only the visible rows in the DOM. The time to render is measured and written to
// test-results/console-render.json (no timing assertion: this machine is shared).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { seedEntries } from '../../src/core/console/seed';
import type { KioskHost } from './support/kioskHost';
import { startKioskHost } from './support/kioskHost';
import { scannerType } from './support/scanner';

const SEEDED = 1_000_000;
const HOUR = 3_600_000;
let host: KioskHost;

test.afterEach(async () => {
  await host.close();
});

test('a million entries: the console renders, scrolls and never shows a subject', async ({ page }) => {
  test.setTimeout(180_000);
  host = await startKioskHost();
  const now = Date.now();
  const dayStart = Math.floor((now + 9 * HOUR) / (24 * HOUR)) * 24 * HOUR - 9 * HOUR;
  // All seeded entries fall inside today (Seoul) and before now, so the default range holds them.
  seedEntries(join(host.dataDir, 'entries.sqlite'), { count: SEEDED, from: dayStart, spanMs: Math.max(1000, now - dayStart - 5_000) });

  await page.goto(host.url);
  await expect(page.getByTestId('kiosk')).toHaveAttribute('data-screen', 'idle');
  await scannerType(page, 'not-a-kp1-code-123'); // one refusal for the refusals panel
  await expect(page.getByTestId('result')).toHaveAttribute('data-code', 'MALFORMED');

  await page.getByTestId('open-settings').click();
  await expect(page.getByTestId('settings')).toBeVisible();
  const started = await page.evaluate(() => performance.now());
  await page.getByTestId('open-console').click();
  await expect(page.getByTestId('console-total')).toHaveText(String(SEEDED), { timeout: 30_000 });
  await expect(page.getByTestId('console-hourly').locator('svg.chart')).toHaveAttribute('data-total', String(SEEDED));
  await expect(page.locator('[data-testid="console-list"] .entry-row').first()).toBeVisible();
  const renderMs = (await page.evaluate(() => performance.now())) - started;

  await expect(page.getByTestId('console-refusals').locator('li[data-code="MALFORMED"] .count')).toHaveText('1');

  // Per-scan timing of that one wedge scan: decode (first key to Enter), verify and feedback (answer
  // to the result painted, reported by the renderer) — numbers only, no camera suggestion.
  const timing = page.getByTestId('console-timing');
  await timing.locator('summary').click();
  const wedgeRow = timing.locator('tr[data-source="wedge"]');
  await expect(wedgeRow.locator('.scans')).toHaveText('1');
  for (const stage of ['decode', 'verify', 'feedback']) await expect(wedgeRow.locator(`.${stage}`)).toHaveText(/^\d+(\.\d)? \/ \d+(\.\d)?$/);
  await expect(page.getByTestId('console-timing-suggestion')).toHaveCount(0);
  const list = page.getByTestId('console-list');
  const rendered = Number(await list.getAttribute('data-rendered'));
  expect(rendered).toBeGreaterThan(0);
  expect(rendered).toBeLessThan(60); // virtualised: a screenful plus overscan, not 200 or 1,000,000
  expect(await list.locator('.entry-row').count()).toBe(rendered);

  // Newest first; the row text holds time, token id, result and source only.
  const firstRow = (await list.locator('.entry-row').first().innerText()).split(/\s+/);
  expect(firstRow).toContain('OK');
  expect(await list.innerText()).not.toContain('seed-facility');

  // Scroll to the end of what is loaded: the next page arrives by cursor.
  const loadedBefore = Number(await list.getAttribute('data-loaded'));
  expect(loadedBefore).toBe(200);
  await list.evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect.poll(async () => Number(await list.getAttribute('data-loaded'))).toBeGreaterThan(loadedBefore);
  const lastIndex = Number(await list.locator('.entry-row').last().getAttribute('data-index'));
  expect(lastIndex).toBeGreaterThan(150);
  expect(await list.locator('.entry-row').count()).toBeLessThan(60);

  // CSV export downloads through a Blob URL under the page's CSP.
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  const download = page.waitForEvent('download');
  await page.getByTestId('console-export-hour').click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^munjigi-.+-hour-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await (await file.createReadStream()).toArray();
  const text = Buffer.concat(csv as Buffer[]).toString('utf8');
  expect(text.startsWith('hour_start_kst,entries\r\n')).toBe(true);
  const sum = text.trim().split('\r\n').slice(1).reduce((n, line) => n + Number(line.split(',')[1]), 0);
  expect(sum).toBe(SEEDED);
  expect(violations).toEqual([]);

  // A bad range is refused with a message, and the console keeps working.
  await page.getByTestId('console-from').fill('2026-01-10T00:00');
  await page.getByTestId('console-to').fill('2026-01-01T00:00');
  await page.getByTestId('console-search').click();
  await expect(page.getByTestId('console-error')).toContainText('조회 기간');
  await page.getByTestId('console-close').click();
  await expect(page.getByTestId('console')).toHaveCount(0);

  mkdirSync('test-results', { recursive: true });
  writeFileSync('test-results/console-render.json', JSON.stringify({ metrics: { console_render_1m_ms: Math.round(renderMs) } }) + '\n');
  console.log(`console_render_1m_ms=${Math.round(renderMs)}`);
});
