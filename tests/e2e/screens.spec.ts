/// <reference lib="dom" />
// Every visitor screen in both languages, measured for reading from two metres at 1280×800:
// headline ≥ 64 px, headline text vs its background ≥ 7:1 (WCAG), an icon with an accessible
// name beside the colour, and the clip said matching the screen's tone. Screenshots go to
// docs/screenshots/<screen>-<lang>.png with UPDATE_SCREENSHOTS=1, otherwise to test-results/.
import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import type { KioskHost } from './support/kioskHost';
import { startKioskHost } from './support/kioskHost';
import { scannerType } from './support/scanner';

const OUT = process.env.UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : 'test-results/screenshots';
const CLIP_OF_TONE: Record<string, string> = { ok: 'ok', warn: 'duplicate', refused: 'refused' };
let host: KioskHost;

test.beforeAll(() => mkdirSync(OUT, { recursive: true }));
test.afterEach(async () => {
  await host.close();
});

/** WCAG 2 contrast of the headline's colour against the first opaque background up its ancestors. */
async function headlineMeasure(page: Page, selector: string) {
  return page.locator(selector).evaluate((el) => {
    const rgb = (s: string) => (s.match(/[\d.]+/g) ?? []).map(Number);
    const lum = (c: number[]) => {
      const [r, g, b] = c.slice(0, 3).map((v) => {
        const x = v / 255;
        return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
      }) as [number, number, number];
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    let bg: number[] = [255, 255, 255];
    for (let n: Element | null = el; n; n = n.parentElement) {
      const c = rgb(getComputedStyle(n).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] === 1)) {
        bg = c;
        break;
      }
    }
    const fg = rgb(getComputedStyle(el).color);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a) as [number, number];
    return { fontPx: parseFloat(getComputedStyle(el).fontSize), contrast: (hi + 0.05) / (lo + 0.05) };
  });
}

const CASES: { name: string; code: string; token: (h: KioskHost) => string }[] = [
  { name: 'ok', code: 'OK', token: (h) => h.token({ issuer: 1 }) },
  { name: 'expired', code: 'EXPIRED', token: (h) => h.token({ ageSeconds: 60 }) },
  { name: 'not-yet-valid', code: 'NOT_YET_VALID', token: (h) => h.token({ ageSeconds: -120 }) },
  { name: 'ttl-too-long', code: 'TTL_TOO_LONG', token: (h) => h.token({ ttl: 60 }) },
  { name: 'unknown-key', code: '', token: (h) => h.foreignToken() },
  { name: 'malformed', code: 'MALFORMED', token: () => 'hello-this-is-not-kp1' },
];

for (const lang of ['ko', 'en'] as const) {
  test(`result screens in ${lang}: ≥ 64 px, ≥ 7:1, icon and words, voice matches`, async ({ page }) => {
    test.setTimeout(120_000);
    host = await startKioskHost();
    await page.goto(host.url);
    await expect(page.getByTestId('kiosk')).toHaveAttribute('data-screen', 'idle');
    const chooseLang = async () => {
      if ((await page.getByTestId('kiosk').getAttribute('data-lang')) !== lang) await page.getByTestId('language-toggle').click();
      await expect(page.getByTestId('kiosk')).toHaveAttribute('data-lang', lang);
    };
    await chooseLang();
    await page.screenshot({ path: `${OUT}/idle-${lang}.png` });
    const idle = await headlineMeasure(page, '[data-testid="idle"] .headline');
    expect(idle.fontPx).toBeGreaterThanOrEqual(64);
    expect(idle.contrast).toBeGreaterThanOrEqual(7);

    // The same token twice in a row (within its 15 s): OK, then DUPLICATE. Minted when the first of
    // the two is scanned, so a slow machine does not spend the token's life on the steps before.
    let okToken = '';
    const steps = [...CASES];
    steps.splice(
      1,
      0,
      { name: 'ok-2', code: 'OK', token: (h: KioskHost) => (okToken = h.token({ issuer: 2 })) },
      { name: 'duplicate', code: 'DUPLICATE', token: () => okToken },
    );
    for (const step of steps) {
      await expect(page.getByTestId('kiosk')).toHaveAttribute('data-screen', 'idle', { timeout: 10_000 });
      await chooseLang();
      const clipsBefore = Number(await page.getByTestId('kiosk').getAttribute('data-clip-count'));
      await scannerType(page, step.token(host));
      const result = page.getByTestId('result');
      await expect(result).toBeVisible();
      if (step.code) await expect(result).toHaveAttribute('data-code', step.code);
      await expect(page.getByTestId('kiosk')).toHaveAttribute('data-lang', lang);
      const tone = (await result.getAttribute('data-tone')) ?? '';
      const m = await headlineMeasure(page, '[data-testid="result-title"]');
      expect(m.fontPx, `${step.name} headline px`).toBeGreaterThanOrEqual(64);
      expect(m.contrast, `${step.name} contrast`).toBeGreaterThanOrEqual(7);
      const icon = page.getByTestId('result-icon');
      await expect(icon).toHaveAttribute('role', 'img');
      expect((await icon.getAttribute('aria-label'))?.length ?? 0).toBeGreaterThan(0);
      await expect(page.getByTestId('result-action')).not.toBeEmpty();
      if (lang === 'en') expect(await page.getByTestId('result-title').innerText()).toMatch(/^[\x20-\x7e]+$/);
      await expect.poll(async () => Number(await page.getByTestId('kiosk').getAttribute('data-clip-count'))).toBeGreaterThan(clipsBefore);
      await expect(page.getByTestId('kiosk')).toHaveAttribute('data-last-clip', CLIP_OF_TONE[tone] ?? 'none');
      if (['ok', 'duplicate', 'expired'].includes(step.name)) await page.screenshot({ path: `${OUT}/result-${step.name}-${lang}.png` });
      test.info().annotations.push({ type: 'measure', description: `${lang} ${step.name}: ${m.fontPx}px ${m.contrast.toFixed(2)}:1` });
      console.log(`${lang} ${step.name} ${step.code || 'refused'}: headline ${m.fontPx}px, contrast ${m.contrast.toFixed(2)}:1`);
    }
    // The visitor's English lasts one result: the kiosk default (Korean) returns.
    await expect(page.getByTestId('kiosk')).toHaveAttribute('data-screen', 'idle', { timeout: 10_000 });
    await expect(page.getByTestId('kiosk')).toHaveAttribute('data-lang', 'ko');

    // Settings and console (operator screens) in this language: the default language set in settings.
    await page.getByTestId('open-settings').click();
    await page.getByTestId('settings-language').selectOption(lang);
    await page.getByTestId('settings-save').click();
    await expect(page.getByTestId('settings-saved')).toBeVisible();
    await page.screenshot({ path: `${OUT}/settings-${lang}.png`, fullPage: true });
    await page.getByTestId('open-console').click();
    await expect(page.getByTestId('console-total')).not.toHaveText('…');
    await page.screenshot({ path: `${OUT}/console-${lang}.png` });
    await page.getByTestId('console-close').click();
    await page.getByTestId('settings-close').click();

    // Fault: the link to main is lost.
    await host.close();
    await expect(page.getByTestId('fault')).toBeVisible({ timeout: 15_000 });
    const f = await headlineMeasure(page, '[data-testid="fault"] .headline');
    expect(f.fontPx).toBeGreaterThanOrEqual(64);
    expect(f.contrast).toBeGreaterThanOrEqual(7);
    await page.screenshot({ path: `${OUT}/fault-${lang}.png` });
  });
}
