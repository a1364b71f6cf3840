import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumPath } from './src/core/chromium';

// The renderer runs in Debian's Chromium (never a downloaded browser), against the real
// core through the WebSocket development host. Each spec starts its own host on loopback.

export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 60_000,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [['list'], ['json', { outputFile: '.test-report/playwright.json' }]] : 'list',
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: chromiumPath(),
      args: chromiumArgs,
    },
    viewport: { width: 1280, height: 800 },
    locale: 'ko-KR',
    timezoneId: 'Asia/Seoul',
  },
});
