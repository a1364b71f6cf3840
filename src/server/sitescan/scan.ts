// Runs in Node (server, CLI). scanSite: visits a clinic homepage and a few of its pages
// (boards first) with every profile through the guard proxy, applies the rules, compares with
// the baseline and returns the report. One guard proxy per scan, a browser shared by the scans
// running at once (browserPool.ts), a fresh context per visit behind the scan's guard; the
// proxy is closed and the browser given back at the end whatever happens.
import { randomBytes } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { Browser, LaunchOptions } from 'playwright-core';
import { chromium, request as playwrightRequest } from 'playwright-core';
import type { Clock } from '../../core/clock';
import type { Logger } from '../../core/log';
import { CodedError } from '../../shared/envelope';
import type { Resolve } from './address';
import { checkUrlForm, hostOf, isPublicAddress, resolvePublic, sameSite } from './address';
import { sniffKind, zipEntries } from './attachments';
import type { BrowserLease } from './browserPool';
import { browserPool, launchBehindRefusal } from './browserPool';
import { dhashPng } from './dhash';
import type { Baseline } from './baseline';
import { buildBaseline, compareBaseline } from './baseline';
import type { Blocklist } from './blocklist';
import { emptyBlocklist } from './blocklist';
import type { GuardProxy } from './guardProxy';
import { startGuardProxy } from './guardProxy';
import { indicatorsOf, verdictOf } from './report';
import { isArchiveName, isExecutableName, pageFindings } from './rules';
import type { AttachmentCheck, Finding, Indicators, Limits, PageResult, ProfileName, ProfileVisit, Verdict } from './types';
import { ALL_PROFILES, DEFAULT_LIMITS } from './types';
import type { VisitOutcome } from './visit';
import { sha256, visitPage } from './visit';
import type { PreopenResult } from './preopen';
import { checkPreopen } from './preopen';
import type { VulnDb } from './vulnDb';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-gpu'];

/**
 * Chromium keeps only the last --disable-features switch, and ours comes after Playwright's, so
 * ours must repeat Playwright's list (1.65: HTTPS upgrades, paint holding, media router,
 * optimization hints, … — left on they add requests and delay the first paint) and add DNS over
 * HTTPS (the guard proxy resolves every name itself).
 *
 * The WebUIOmnibox* switches: headless Chromium builds a real (invisible) browser window for
 * every page, and since Chromium ~150 each window preloads its omnibox dropdown as a WebUI page
 * (chrome://omnibox-popup.top-chrome/) in a renderer process of its own. With a fresh context
 * per visit that was one extra renderer per visit spending ~0.6 CPU-s on Lit/JS the scanner
 * never shows (traced), plus ~0.1 in the browser process: about half of a visit's CPU. Pages
 * cannot see or reach that browser UI, so turning it off changes nothing a visit records.
 */
export const DISABLED_FEATURES = [
  'DnsOverHttps',
  'WebUIOmniboxPopup',
  'WebUIOmniboxFullPopup',
  'WebUIOmniboxAimPopup',
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
];

export interface ScanOptions {
  url: string;
  executablePath?: string;
  /** Replaces chromium.launch (tests, other launchers). */
  launch?: (opts: LaunchOptions) => Promise<Browser>;
  /** Test only: an HTTP proxy on loopback that resolves the names itself. */
  proxy?: string;
  profiles?: ProfileName[];
  limits?: Partial<Limits>;
  baseline?: Baseline;
  blocklist?: Blocklist;
  clock: Clock;
  logger: Logger;
  resolve?: Resolve;
  /** Also run the pre-opening check (HTTPS, headers, mixed content, vulnerable libraries) with this data. */
  preopen?: VulnDb;
}

export interface PageSummary {
  url: string;
  board: boolean;
  visits: Array<Omit<ProfileVisit, 'scripts' | 'screenshot' | 'text' | 'structure' | 'decoded'> & {
    scripts: Array<{ kind: string; url: string; sha256: string; length: number; dynamic?: boolean; afterHtml?: boolean }>;
    screenshot?: { sha256: string; bytes: number };
  }>;
  attachments: AttachmentCheck[];
}

export interface ScanReport {
  url: string;
  startedAt: string;
  finishedAt: string;
  verdict: Verdict;
  findings: Finding[];
  indicators: Indicators;
  pages: PageSummary[];
  /** PNG of each page as the desktop profile saw it, keyed by page URL (not in JSON). */
  screenshots: Map<string, Buffer>;
  /** Baseline made from this scan, to save when the site is known to be clean. */
  baseline: Baseline;
  /** The pre-opening check, when asked for (its findings do not change the verdict). */
  preopen?: PreopenResult;
  notes: string[];
}

/** Scans in this process share one browser (per executable) while any of them runs. */
const sharedBrowsers = browserPool(launchBehindRefusal((o) => chromium.launch(o)));

export const systemResolve: Resolve = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** Only a proxy on this machine's loopback is accepted (tests and local corpora). */
export function checkTestProxy(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CodedError('PROXY_INVALID', '--proxy 주소 형식이 올바르지 않습니다 (예: http://127.0.0.1:8080).');
  }
  const host = hostOf(url);
  const loopback = host === 'localhost' || (isIP(host) !== 0 && !isPublicAddress(host) && (host.startsWith('127.') || host === '::1'));
  if (url.protocol !== 'http:' || !loopback || url.username || url.pathname.length > 1) {
    throw new CodedError('PROXY_REFUSED', '--proxy 는 시험용으로 이 컴퓨터의 루프백 주소(http://127.0.0.1:포트)만 쓸 수 있습니다.');
  }
  return url;
}

const BOARD_WORDS = /게시판|공지|자료실|소식|커뮤니티|고객센터|board|bbs|notice|news|community|gnuboard|kboard|write|view\.php|list\.php/i;
const NOT_A_PAGE = /\.(?:pdf|hwp|hwpx|docx?|xlsx?|pptx?|zip|rar|7z|exe|msi|apk|jpe?g|png|gif|webp|svg|mp4|mp3|avi|css|js|ico)$/i;

/** Same-site pages linked from the homepage, boards first, bounded. */
export function pickPages(home: ProfileVisit, siteHost: string, max: number): Array<{ url: string; board: boolean }> {
  const seen = new Set<string>([stripHash(home.page), stripHash(home.finalUrl)]);
  const picked: Array<{ url: string; board: boolean; score: number; order: number }> = [];
  home.elements.forEach((el, order) => {
    if (el.tag !== 'a' || el.hidden.length > 0) return;
    let u: URL;
    try {
      u = new URL(el.url);
    } catch {
      return;
    }
    if ((u.protocol !== 'http:' && u.protocol !== 'https:') || !sameSite(hostOf(u), siteHost) || NOT_A_PAGE.test(u.pathname)) return;
    const key = stripHash(u.href);
    if (seen.has(key)) return;
    seen.add(key);
    const board = BOARD_WORDS.test(`${decodeURIComponent(u.pathname)}${u.search} ${el.text}`);
    picked.push({ url: key, board, score: board ? 1 : 0, order });
  });
  return picked
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .slice(0, Math.max(0, max))
    .map(({ url, board }) => ({ url, board }));
}

const stripHash = (u: string) => u.replace(/#.*$/, '');

/** Runs at most `n` of the given tasks at the same time, in the order they were asked for. */
export function limiter(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= Math.max(1, n)) await new Promise<void>((r) => waiting.push(r));
    else running += 1;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    }
  };
}

export async function scanSite(opts: ScanOptions): Promise<ScanReport> {
  const limits: Limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const profiles = opts.profiles?.length ? opts.profiles : ALL_PROFILES;
  const startMs = opts.clock();
  const started = performance.now();
  const url = checkUrlForm(opts.url);
  const siteHost = hostOf(url);
  const upstream = opts.proxy ? checkTestProxy(opts.proxy) : undefined;
  const resolve = opts.resolve ?? systemResolve;
  if (!upstream) await resolvePublic(siteHost, resolve);
  const log = opts.logger;
  log.info('sitescan.start', { host: siteHost, profiles: profiles.length, proxy: !!upstream });

  let guard: GuardProxy | undefined;
  let lease: BrowserLease | undefined;
  try {
    guard = await startGuardProxy({ resolve, logger: log, maxResponseBytes: limits.maxResponseBytes, ...(upstream ? { upstream } : {}) });
    const executablePath = opts.executablePath ?? DEFAULT_CHROMIUM;
    // the service's scans share one browser; a caller's own launcher gets a browser of its own
    const pool = opts.launch ? browserPool(launchBehindRefusal(opts.launch)) : sharedBrowsers;
    try {
      lease = await pool(executablePath, {
        executablePath,
        headless: true,
        timeout: 30_000,
        args: [
          ...CHROMIUM_ARGS,
          '--force-webrtc-ip-handling-policy=disable_non_proxied_udp',
          '--webrtc-ip-handling-policy=disable_non_proxied_udp',
          `--disable-features=${DISABLED_FEATURES.join(',')}`,
          '--renderer-process-limit=4',
        ],
      });
    } catch (err) {
      log.error('sitescan.launch_failed', { error: err instanceof Error ? err.message.split('\n')[0] : String(err) });
      throw new CodedError('BROWSER_UNAVAILABLE', `검사용 Chromium 을 실행할 수 없습니다(${executablePath}). --chromium 으로 경로를 지정하세요.`);
    }
    const b = lease.browser;
    const g = guard;
    const notes: string[] = [];
    const canary = `mjg${randomBytes(6).toString('hex')}`;
    const overTime = () => performance.now() - started > limits.scanTimeoutMs;

    // Every visit of the scan (all pages, all profiles) shares one bound of `concurrency`
    // contexts, so linked pages start while the homepage's other profiles still run.
    const slot = limiter(limits.concurrency);
    const base = { browser: b, proxy: g.url, limits, logger: log, scanStartMs: startMs, addressOf: g.addressOf };
    const firstProfile: ProfileName = profiles.includes('desktop') ? 'desktop' : (profiles[0] ?? 'desktop');
    const rest = profiles.filter((p) => p !== firstProfile);
    const early = rest.filter((p) => p !== 'repeat');
    const visitOther = (pageUrl: string, profile: ProfileName, storageState?: VisitOutcome['storageState']) =>
      slot(async () => {
        if (overTime()) return null;
        try {
          const o = await visitPage({ ...base, url: pageUrl, profile, screenshot: false, ...(storageState ? { storageState } : {}) });
          return o.visit;
        } catch (err) {
          notes.push(`${profile} ${pageUrl.slice(0, 200)}: ${(err as CodedError).code ?? 'VISIT_FAILED'}`);
          return null;
        }
      });
    /**
     * Every profile of one page. The first profile (screenshot, canary) leads; the profiles that
     * need nothing from it start when it has answered (at once for the homepage); a linked page
     * that answers 4xx is a broken link, visited once and no further; `repeat` waits for its cookies. `onDom` gets the first visit
     * as soon as its DOM is read, before its screenshot and clean-up.
     */
    const visitAll = async (pageUrl: string, isHome: boolean, onDom?: (v: ProfileVisit) => void): Promise<ProfileVisit[]> => {
      let answered: (v: ProfileVisit) => void = () => undefined;
      const answer = new Promise<ProfileVisit>((r) => (answered = r));
      const firstP = slot(() =>
        visitPage({
          ...base,
          url: pageUrl,
          profile: firstProfile,
          screenshot: true,
          canary,
          keepStorage: rest.includes('repeat'),
          brokenLinkCheck: !isHome,
          onStage: (stage, v) => (stage === 'answered' ? answered(v) : onDom?.(v)),
        }),
      );
      let others: Array<Promise<ProfileVisit | null>> = [];
      if (isHome) {
        others = early.map((profile) => visitOther(pageUrl, profile));
      } else {
        const v = await Promise.race([answer, firstP.then((o) => o.visit)]).catch(() => null);
        if (v && (v.status ?? 0) < 400) others = early.map((profile) => visitOther(pageUrl, profile));
      }
      const first = await firstP.catch(async (err: unknown) => {
        await Promise.all(others);
        throw err;
      });
      // a broken link (4xx) is not visited again with the other profiles
      if ((first.visit.status ?? 0) >= 400) {
        await Promise.all(others);
        return [first.visit];
      }
      if (rest.includes('repeat')) others.push(visitOther(pageUrl, 'repeat', first.storageState));
      const visits = (await Promise.all(others)).filter((v): v is ProfileVisit => v !== null);
      // the first profile first, then the others in the order asked
      return [first.visit, ...rest.flatMap((p) => visits.filter((v) => v.profile === p))];
    };

    // the homepage: if it cannot be visited, the scan cannot be done. Its linked pages are
    // picked as soon as its first visit's DOM is known.
    let domRead: (v: ProfileVisit) => void = () => undefined;
    const homeDom = new Promise<ProfileVisit>((r) => (domRead = r));
    const homeAll = visitAll(url.href, true, (v) => domRead(v));
    // awaited below; this only keeps a failure from counting as unhandled meanwhile
    homeAll.catch(() => undefined);
    const home = await Promise.race([homeDom, homeAll.then((v) => v[0] as ProfileVisit)]);
    // linked pages, boards first; a broken link (4xx) does not use up the page budget
    const candidates = pickPages(home, siteHost, (limits.maxPages - 1) * 3);
    const linked: PageResult[] = [];
    let wanted = limits.maxPages - 1;
    while (wanted > 0 && candidates.length > 0) {
      if (overTime()) {
        notes.push('SCAN_TIME_CAP');
        break;
      }
      const batch = candidates.splice(0, wanted);
      const results = await Promise.all(
        batch.map(async (p): Promise<PageResult | null> => {
          try {
            return { url: p.url, board: p.board, visits: await visitAll(p.url, false), attachments: [] };
          } catch (err) {
            notes.push(`${p.url.slice(0, 200)}: ${(err as CodedError).code ?? 'VISIT_FAILED'}`);
            return null;
          }
        }),
      );
      for (const r of results) {
        if (!r) continue;
        const status = r.visits[0]?.status ?? 0;
        if (status >= 400) {
          notes.push(`BROKEN_LINK ${status} ${r.url.slice(0, 200)}`);
          continue;
        }
        linked.push(r);
        wanted -= 1;
      }
    }
    const pages: PageResult[] = [{ url: url.href, board: BOARD_WORDS.test(url.pathname), visits: await homeAll, attachments: [] }, ...linked];

    for (const p of pages.filter((x) => x.board)) {
      p.attachments = await checkAttachments(p, g.url, limits, siteHost);
    }
    const screenshots = new Map<string, Buffer>();
    for (const p of pages) {
      const shot = p.visits.find((v) => v.screenshot)?.screenshot;
      if (shot) screenshots.set(p.url, shot);
    }
    const shotHashes = screenshotHashes(screenshots);

    let preopen: PreopenResult | undefined;
    if (opts.preopen) {
      try {
        preopen = await checkPreopen({ url: url.href, guardUrl: g.url, home: pages[0]?.visits[0], vulnDb: opts.preopen, now: opts.clock() });
      } catch (err) {
        log.warn('sitescan.preopen_failed', { host: siteHost, error: err instanceof Error ? err.message.slice(0, 120) : 'unknown' });
        notes.push('PREOPEN_FAILED');
      }
    }
    const findings = pages.flatMap((p) => pageFindings(p, { siteHost, blocklist: opts.blocklist ?? emptyBlocklist }));
    if (opts.baseline) findings.push(...compareBaseline(opts.baseline, pages, shotHashes, siteHost));
    for (const e of g.events) if (e.kind === 'truncated') notes.push(`RESPONSE_TOO_LARGE ${e.host}`);
    const verdict = verdictOf(findings);
    const report: ScanReport = {
      url: url.href,
      startedAt: new Date(startMs).toISOString(),
      finishedAt: new Date(opts.clock()).toISOString(),
      verdict,
      findings,
      indicators: indicatorsOf(findings, siteHost),
      pages: pages.map(summarizePage),
      screenshots,
      baseline: buildBaseline(siteHost, pages, shotHashes, startMs),
      ...(preopen ? { preopen } : {}),
      notes: [...new Set(notes)].slice(0, 100),
    };
    log.info('sitescan.done', { host: siteHost, verdict, findings: findings.length, pages: pages.length, ms: Math.round(performance.now() - started) });
    return report;
  } finally {
    await lease?.release();
    await guard?.close().catch(() => undefined);
  }
}

function summarizePage(p: PageResult): PageSummary {
  return {
    url: p.url,
    board: p.board,
    attachments: p.attachments,
    visits: p.visits.map((v) => {
      const { scripts, screenshot, text: _t, structure: _s, decoded: _d, ...rest } = v;
      return {
        ...rest,
        scripts: scripts.map(({ code: _c, ...s }) => s),
        ...(screenshot ? { screenshot: { sha256: sha256(screenshot), bytes: screenshot.length } } : {}),
      };
    }),
  };
}

/** Looks inside board attachments that are documents or archives (bounded, through the guard). */
async function checkAttachments(page: PageResult, guardUrl: string, limits: Limits, siteHost: string): Promise<AttachmentCheck[]> {
  const v = page.visits.find((x) => x.profile === 'desktop') ?? page.visits[0];
  if (!v) return [];
  const targets = [...new Set(v.elements.filter((e) => e.tag === 'a' && /\.[a-z0-9]{2,5}$/i.test(pathnameOf(e.url))).map((e) => e.url))]
    .filter((u) => !isExecutableName(pathnameOf(u)) && (isArchiveName(pathnameOf(u)) || NOT_A_PAGE.test(pathnameOf(u))))
    .filter((u) => !/\.(?:jpe?g|png|gif|webp|svg|css|js|ico|mp4|mp3|avi)$/i.test(pathnameOf(u)))
    .slice(0, limits.maxAttachmentChecks);
  if (targets.length === 0) return [];
  const ctx = await playwrightRequest.newContext({ proxy: { server: guardUrl }, timeout: 10_000, maxRedirects: 3 });
  try {
    const out: AttachmentCheck[] = [];
    for (const u of targets) {
      try {
        checkUrlForm(u);
        const resp = await ctx.get(u, { maxRedirects: 3, timeout: 10_000 });
        const body = await resp.body();
        if (!resp.ok()) {
          out.push({ url: u, kind: 'unavailable', error: `HTTP ${resp.status()}` });
          continue;
        }
        const kind = sniffKind(body);
        out.push({ url: u, kind, sha256: sha256(body), ...(kind === 'zip' ? { entries: zipEntries(body).slice(0, 200) } : {}) });
      } catch (err) {
        out.push({ url: u, kind: 'unavailable', error: (err as CodedError).code ?? 'FETCH_FAILED' });
      }
    }
    void siteHost;
    return out;
  } finally {
    await ctx.dispose().catch(() => undefined);
  }
}

const pathnameOf = (u: string) => {
  try {
    return decodeURIComponent(new URL(u).pathname);
  } catch {
    return u;
  }
};

/** 64-bit difference hash of each screenshot (decoded in Node: no extra browser context). */
function screenshotHashes(shots: Map<string, Buffer>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [u, png] of shots) {
    const hash = dhashPng(png);
    if (hash) out.set(u, hash);
  }
  return out;
}
