// Runs under vitest (Node). How scanSite starts Chromium: one --disable-features switch (Chromium
// keeps only the last one), the browser-wide proxy refusing everything, and a launch failure
// reported as BROWSER_UNAVAILABLE with nothing left running.
import type { LaunchOptions } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { fakeClock } from '../../core/clock';
import { silentLogger } from '../../core/log';
import { scanSite } from './scan';

describe('scanSite launch', () => {
  it('passes one merged --disable-features and a refusing browser-wide proxy', async () => {
    let seen: LaunchOptions | undefined;
    const err = await scanSite({
      url: 'http://clinic.example/',
      proxy: 'http://127.0.0.1:9',
      clock: fakeClock(Date.UTC(2026, 10, 23)),
      logger: silentLogger,
      launch: async (o) => {
        seen = o;
        throw new Error('no browser here');
      },
    }).catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe('BROWSER_UNAVAILABLE');
    const args = seen?.args ?? [];
    const features = args.filter((a) => a.startsWith('--disable-features='));
    expect(features).toHaveLength(1);
    expect(features[0]).toContain('DnsOverHttps');
    expect(features[0]).toContain('HttpsUpgrades');
    // the omnibox dropdown WebUI every headless window preloads (a renderer per visit)
    expect(features[0]).toContain('WebUIOmniboxAimPopup');
    const proxies = args.filter((a) => a.startsWith('--proxy-server='));
    expect(proxies).toHaveLength(1);
    expect(proxies[0]).toMatch(/^--proxy-server=http:\/\/127\.0\.0\.1:\d+$/);
    // the refusal endpoint was closed with the failed start
    await expect(fetch(`${(proxies[0] ?? '').slice('--proxy-server='.length)}/x`)).rejects.toThrow();
  });
});
