/// <reference lib="dom" />
// The operator lock end to end in Chromium against the real core (development host, a real
// kiosk setup without demo, so no PIN exists at first): the first PIN is set twice under the
// rules, settings open, 잠금 locks; wrong PINs show the tries left, then the lockout until when;
// after it the right PIN opens settings, the language changes to English (status bar and
// settings follow), the PIN is changed and the old one no longer opens. Screenshots of the lock
// screen in both languages (setup, lock and lockout) go to docs/screenshots with UPDATE_SCREENSHOTS=1.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { KioskHost } from './support/kioskHost';
import { startKioskHost } from './support/kioskHost';

const OUT = process.env.UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : 'test-results/screenshots';

/** The development host on a real (non-demo) setup: no PIN, no trust list. On close, checks that
 * the PINs typed in this test never reached a log line or the data folder in clear. */
async function startRealKiosk(): Promise<KioskHost> {
  const host = await startKioskHost({ demo: false });
  return {
    ...host,
    async close() {
      for (const pin of ['246813', '111222', '135792']) {
        expect(host.log()).not.toContain(pin);
        expect(readFileSync(join(host.dataDir, 'operator.json'), 'utf8')).not.toContain(pin);
      }
      expect(host.log()).toContain('operator unlocked'); // the log is really being read
      await host.close();
    },
  };
}

/** Touch: the on-screen keys, then OK. */
async function tapPin(page: Page, pin: string) {
  for (const d of pin) await page.getByTestId(`pin-key-${d}`).click();
  await page.getByTestId('pin-ok').click();
}
/** Keyboard: digits into the focused field, then Enter. */
async function typePin(page: Page, pin: string) {
  await page.getByTestId('pin-field').fill(pin);
  await page.getByTestId('pin-field').press('Enter');
}

test('set the first PIN, lock, wrong PINs to the lockout, unlock, English settings, change the PIN, lock', async ({ page }) => {
  test.setTimeout(150_000);
  mkdirSync(OUT, { recursive: true });
  const host = await startRealKiosk();
  try {
    await page.goto(host.url);
    await expect(page.getByTestId('kiosk')).toHaveAttribute('data-screen', 'idle');

    // First start: settings ask for a new PIN, twice, under the rules.
    await page.getByTestId('open-settings').click();
    const lock = page.getByTestId('lock-screen');
    await expect(lock).toHaveAttribute('data-mode', 'setup');
    await expect(page.getByTestId('settings')).toHaveCount(0);
    await page.screenshot({ path: `${OUT}/lock-setup-ko.png` });
    await tapPin(page, '123456');
    await expect(page.getByTestId('lock-message')).toContainText('연속된 숫자');
    await typePin(page, '246813');
    await expect(page.getByTestId('lock-prompt')).toContainText('한 번 더');
    await tapPin(page, '246813');
    await expect(page.getByTestId('settings')).toBeVisible();
    await expect(page.getByTestId('session-left')).toContainText(/남은 시간 [45]:\d\d/);

    // 잠금 closes everything at once.
    await page.getByTestId('lock-now').click();
    await expect(page.getByTestId('settings')).toHaveCount(0);
    await expect(page.getByTestId('session-bar')).toHaveCount(0);

    // Wrong PINs: tries left, then the lockout with its end time.
    await page.keyboard.press('Control+Shift+KeyS');
    await expect(lock).toHaveAttribute('data-mode', 'unlock');
    for (const left of [4, 3, 2, 1]) {
      await typePin(page, '111222');
      await expect(page.getByTestId('lock-message')).toHaveAttribute('data-code', 'OPERATOR_PIN_WRONG');
      await expect(page.getByTestId('lock-message')).toContainText(`${left}번 더`);
    }
    await tapPin(page, '111222');
    await expect(lock).toHaveAttribute('data-locked-out', 'true');
    await expect(page.getByTestId('lock-message')).toContainText(/\d{2}:\d{2}:\d{2}까지 잠겼습니다/);
    await expect(page.getByTestId('pin-ok')).toBeDisabled();
    await page.screenshot({ path: `${OUT}/lock-lockout-ko.png` });

    // After 30 s the right PIN opens settings again.
    await expect(lock).toHaveAttribute('data-locked-out', 'false', { timeout: 40_000 });
    await typePin(page, '246813');
    await expect(page.getByTestId('settings')).toBeVisible();

    // English: the settings panel and the status bar follow the language setting.
    await page.getByTestId('settings-language').selectOption('en');
    await page.getByTestId('settings-save').click();
    await expect(page.getByTestId('settings-saved')).toHaveText('Saved.');
    await expect(page.locator('.settings .panel-title')).toHaveText('Settings');
    await expect(page.locator('.status-bar .today')).toContainText('Today');
    await expect(page.getByTestId('light-scanner')).toContainText('Scanner');
    await expect(page.getByTestId('session-left')).toContainText(/left$/);

    // Change the PIN: the current one is needed.
    await page.getByTestId('menu-pin').click();
    await page.getByTestId('pin-change-current').fill('999888');
    await page.getByTestId('pin-change-next').fill('135792');
    await page.getByTestId('pin-change-again').fill('135792');
    await page.getByTestId('pin-change-save').click();
    await expect(page.getByTestId('pin-change-error')).toContainText('more wrong tries');
    await page.getByTestId('pin-change-current').fill('246813');
    await page.getByTestId('pin-change-next').fill('135792');
    await page.getByTestId('pin-change-again').fill('135792');
    await page.getByTestId('pin-change-save').click();
    // Two scrypt runs in main (check the current PIN, hash the new one): slow on a loaded machine.
    await expect(page.getByTestId('pin-change-saved')).toHaveText('The PIN was changed.', { timeout: 30_000 });
    await page.getByTestId('lock-now').click();
    await expect(page.getByTestId('session-bar')).toHaveCount(0);

    // Locked, in English; the old PIN no longer opens, the new one does.
    await page.getByTestId('open-settings').click();
    await expect(lock).toHaveAttribute('data-mode', 'unlock');
    await expect(page.locator('#lock-title')).toContainText('Operator lock');
    await page.screenshot({ path: `${OUT}/lock-en.png` });
    await typePin(page, '246813');
    await expect(page.getByTestId('lock-message')).toContainText('Wrong PIN');
    await typePin(page, '135792');
    await expect(page.getByTestId('settings')).toBeVisible();
    await page.getByTestId('lock-now').click();
    await expect(page.getByTestId('session-bar')).toHaveCount(0);
  } finally {
    await host.close();
  }
});

test('the setup screen in English (visitor language), the lock screen in Korean, Escape leaves it', async ({ page }) => {
  mkdirSync(OUT, { recursive: true });
  const host = await startRealKiosk();
  try {
    await page.goto(host.url);
    await page.getByTestId('language-toggle').click();
    await page.getByTestId('open-settings').click();
    await expect(page.locator('#lock-title')).toHaveText(/Set the operator PIN/);
    await expect(page.getByTestId('lock-prompt')).toContainText('no PIN yet');
    await page.screenshot({ path: `${OUT}/lock-setup-en.png` });
    await tapPin(page, '246813');
    await tapPin(page, '246813');
    await expect(page.getByTestId('settings')).toBeVisible();
    await page.getByTestId('lock-now').click();
    await page.getByTestId('language-toggle').click(); // back to the kiosk's Korean
    await page.getByTestId('open-settings').click();
    await expect(page.getByTestId('lock-screen')).toHaveAttribute('data-mode', 'unlock');
    await expect(page.locator('#lock-title')).toContainText('관리자 잠금');
    await page.screenshot({ path: `${OUT}/lock-ko.png` });
    // Escape leaves the lock screen; nothing opened.
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('lock-screen')).toHaveCount(0);
    await expect(page.getByTestId('kiosk')).toHaveAttribute('data-screen', 'idle');
  } finally {
    await host.close();
  }
});

test('the lockout in English (visitor language): tries left, then locked until when, OK disabled', async ({ page }) => {
  test.setTimeout(90_000);
  mkdirSync(OUT, { recursive: true });
  const host = await startRealKiosk();
  try {
    await page.goto(host.url);
    await page.getByTestId('language-toggle').click();
    await page.getByTestId('open-settings').click();
    await tapPin(page, '246813');
    await tapPin(page, '246813');
    await expect(page.getByTestId('settings')).toBeVisible();
    await page.getByTestId('lock-now').click();
    await page.getByTestId('open-settings').click();
    const lock = page.getByTestId('lock-screen');
    await expect(lock).toHaveAttribute('data-mode', 'unlock');
    await expect(page.locator('#lock-title')).toContainText('Operator lock');
    // Each answer is awaited by its own count, so no PIN is typed while the previous one is checked.
    for (const left of [4, 3, 2, 1]) {
      await typePin(page, '111222');
      await expect(page.getByTestId('lock-message')).toHaveAttribute('data-code', 'OPERATOR_PIN_WRONG');
      await expect(page.getByTestId('lock-message')).toContainText(new RegExp(`Wrong PIN\\. ${left} more wrong`));
    }
    await tapPin(page, '111222');
    await expect(lock).toHaveAttribute('data-locked-out', 'true');
    await expect(page.getByTestId('lock-message')).toContainText(/Too many wrong PINs: locked until \d{2}:\d{2}:\d{2}/);
    await expect(page.getByTestId('lock-message')).not.toContainText(/[가-힣]/);
    await expect(page.getByTestId('pin-ok')).toBeDisabled();
    await page.screenshot({ path: `${OUT}/lock-lockout-en.png` });
  } finally {
    await host.close();
  }
});
