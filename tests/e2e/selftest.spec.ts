/// <reference lib="dom" />
// The 자가점검 screen end to end in Chromium against the real core (demo development host):
// the checklist shows every item with an icon and words, a printed specimen card scanned by the
// keyboard-wedge scanner is answered 점검용 QR 확인됨 and proves the scanner, nothing is written to
// the entry log; outside the self-test the same card is refused with SPECIMEN_TOKEN. English
// follows the language setting. Screenshots go to docs/screenshots with UPDATE_SCREENSHOTS=1.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { mintToken, readPrivateKeyFile } from '../../src/core/kp1';
import type { KioskHost } from './support/kioskHost';
import { startKioskHost } from './support/kioskHost';
import { scannerType } from './support/scanner';

const OUT = process.env.UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : 'test-results/screenshots';
const ITEMS = ['scanner', 'camera', 'centralApi', 'trustList', 'clock', 'speaker', 'specimen'];
let host: KioskHost;

test.afterEach(async () => {
  await host.close();
});

test('self-test: every item shown, a printed specimen card proves the scanner and writes nothing; refused outside', async ({ page }) => {
  test.setTimeout(90_000);
  mkdirSync(OUT, { recursive: true });
  host = await startKioskHost();
  await page.goto(host.url);
  await expect(page.getByTestId('kiosk')).toHaveAttribute('data-screen', 'idle');

  await page.getByTestId('open-settings').click();
  await page.getByTestId('open-selftest').click();
  const screen = page.getByTestId('selftest');
  await expect(screen).toBeVisible();
  await expect(page.getByTestId('specimen-waiting')).toContainText('견본 QR을 기다리는 중');

  await page.getByTestId('selftest-run').click();
  await expect(screen).toHaveAttribute('data-running', 'false');
  for (const id of ITEMS) {
    const item = page.getByTestId(`check-${id}`);
    await expect(item).toBeVisible();
    // An icon and a word besides the colour.
    await expect(item.locator('.check-icon')).toHaveText(/[✔▲✖]/);
    await expect(item.locator('.check-word')).toHaveText(/정상|확인 필요|실패/);
  }
  await expect(page.getByTestId('check-specimen')).toHaveAttribute('data-status', 'ok');
  await expect(page.getByTestId('check-camera')).toContainText('카메라 스캔을 쓰지 않도록'); // camera source off by default
  await expect(page.getByTestId('check-centralApi')).toHaveAttribute('data-status', 'warn');
  await expect(page.getByTestId('fix-centralApi')).toContainText('조치');

  // A specimen card printed an hour ago (the kiosk's specimen key, as `munjigi` would print it).
  const key = readPrivateKeyFile(join(host.dataDir, 'specimen', 'specimen-key.pem'));
  const card = mintToken({ privateKey: key, issuer: 0, keyId: 0, issuedAt: Math.floor(Date.now() / 1000) - 3600 });
  await scannerType(page, card);
  await expect(page.getByTestId('specimen-seen')).toContainText('점검용 QR 확인됨 · 키보드 방식 스캐너 · 결과 EXPIRED');
  await page.getByTestId('selftest-run').click();
  await expect(page.getByTestId('check-scanner')).toContainText('견본 QR이 키보드 방식 스캐너로 끝까지 확인됨');
  await page.getByTestId('specimen-card').click();
  await expect(page.getByTestId('specimen-card-figure').locator('img')).toBeVisible();
  await page.screenshot({ path: `${OUT}/selftest-ko.png`, fullPage: true });
  expect(host.entryCount()).toBe(0);

  // Outside the self-test the card is refused with its own code, and still writes nothing.
  await page.getByTestId('selftest-close').click();
  await expect(screen).toHaveCount(0);
  await expect(page.getByTestId('settings')).toBeVisible(); // back where the self-test was opened
  await page.getByTestId('settings-close').click();
  await scannerType(page, card);
  await expect(page.getByTestId('result')).toHaveAttribute('data-code', 'SPECIMEN_TOKEN');
  await expect(page.getByTestId('result')).toContainText('점검용');
  expect(host.entryCount()).toBe(0);
});

test('self-test in English follows the language setting', async ({ page }) => {
  mkdirSync(OUT, { recursive: true });
  host = await startKioskHost();
  await page.goto(host.url);
  await page.getByTestId('open-settings').click();
  await page.getByTestId('settings-language').selectOption('en');
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('settings-saved')).toHaveText('Saved.');
  await page.getByTestId('open-selftest').click();
  await page.getByTestId('selftest-run').click();
  await expect(page.getByTestId('check-specimen')).toContainText('Specimen verified · nothing recorded');
  await expect(page.getByTestId('check-trustList').locator('.check-label')).toHaveText('Trust list');
  await expect(page.getByTestId('check-centralApi').locator('.check-word')).toHaveText('Attention');
  await expect(page.getByTestId('fix-centralApi')).toContainText('What to do');
  await expect(page.getByTestId('selftest-summary')).toContainText(/Last check/);
  await page.screenshot({ path: `${OUT}/selftest-en.png`, fullPage: true });
});
