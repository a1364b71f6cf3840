// Runs in Node (server, CLI). The visitor profiles a page is seen with: cloakers serve
// malware only to some visitors (search arrivals, mobiles, first visits) and clean pages or
// spam to crawlers, so each page is visited as each of them.
import type { BrowserContextOptions } from 'playwright-core';
import type { ProfileName } from './types';

const CHROME_DESKTOP =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const CHROME_ANDROID =
  'Mozilla/5.0 (Linux; Android 14; SM-S921N) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

/** Search engines a "search arrival" comes from; one per scan, rotating over the day. */
export const SEARCH_ENGINES = [
  (q: string) => `https://search.naver.com/search.naver?where=nexearch&query=${encodeURIComponent(q)}`,
  (q: string) => `https://search.daum.net/search?w=tot&q=${encodeURIComponent(q)}`,
  (q: string) => `https://www.google.com/search?q=${encodeURIComponent(q)}`,
];

/** Which engine a scan at time `ms` arrives from: changes every 8 hours, so 2–3 scans a day cover all three. */
export const searchEngineAt = (ms: number) => Math.floor(ms / (8 * 3_600_000)) % SEARCH_ENGINES.length;

export function contextOptions(profile: ProfileName): BrowserContextOptions {
  const common: BrowserContextOptions = {
    locale: 'ko-KR',
    timezoneId: 'Asia/Seoul',
    acceptDownloads: false,
    serviceWorkers: 'block',
    javaScriptEnabled: true,
    ignoreHTTPSErrors: false,
  };
  switch (profile) {
    case 'mobile':
      return { ...common, userAgent: CHROME_ANDROID, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
    case 'crawler':
      return { ...common, userAgent: GOOGLEBOT, viewport: { width: 1366, height: 768 } };
    default:
      return { ...common, userAgent: CHROME_DESKTOP, viewport: { width: 1366, height: 768 } };
  }
}

export function refererFor(profile: ProfileName, pageUrl: string, scanStartMs: number): string | undefined {
  if (profile !== 'search') return undefined;
  const engine = SEARCH_ENGINES[searchEngineAt(scanStartMs)] ?? SEARCH_ENGINES[0];
  return engine?.(new URL(pageUrl).hostname);
}
