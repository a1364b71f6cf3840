// Runs in Node (server, CLI). One visit of one page with one profile, in a fresh browser
// context that is always closed: records requests, redirects, frames, scripts (external,
// inline, eval'd), downloads, the DOM after load and a screenshot.
import { createHash, randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page, Request, Response } from 'playwright-core';
import type { Logger } from '../../core/log';
import { CodedError } from '../../shared/envelope';
import { checkUrlForm, hostOf } from './address';
import type { CollectedDom } from './instrument';
import { COLLECT_DOM, fillCanaryScript, instrumentScript, REPORT_BINDING, SETTLE_PROBE } from './instrument';
import { contextOptions, refererFor } from './profiles';
import type { Limits, ProfileName, ProfileVisit, RequestRecord, ScriptRecord } from './types';

export interface VisitOptions {
  browser: Browser;
  /** The scan's guard proxy: the context reaches the network only through it. */
  proxy: string;
  url: string;
  profile: ProfileName;
  limits: Limits;
  logger: Logger;
  scanStartMs: number;
  /** Cookies and storage of an earlier visit (the repeat profile). */
  storageState?: Awaited<ReturnType<BrowserContext['storageState']>>;
  screenshot: boolean;
  /** Typed into form fields to catch skimmers; absent: forms are left alone. */
  canary?: string;
  /** Return the context's cookies and storage (for a later `repeat` visit). */
  keepStorage?: boolean;
  /**
   * Told when the page has answered (status and redirect chain known) and when its DOM has been
   * read (elements, final URL), so the scan can start dependent visits before this one ends.
   */
  onStage?: (stage: 'answered' | 'dom', visit: ProfileVisit) => void;
  /** A linked page: stop once it answers 4xx (it is reported as a broken link, not examined). */
  brokenLinkCheck?: boolean;
  /** Address of the host actually connected to (from the guard proxy), when known. */
  addressOf?: (host: string) => string | undefined;
}

export interface VisitOutcome {
  visit: ProfileVisit;
  storageState?: VisitOptions['storageState'];
}

const MAX_REQUESTS = 1500;
const MAX_SCRIPTS = 300;
const MAX_CODE = 200_000;

export const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
/** Shortened timers that fire one after another are followed this far (a carousel never ends). */
const MAX_WARPED_WAITS = 4;
interface SettleProbe {
  pending: number;
  fired: number;
  quietMs: number;
}
const settleProbe = `(() => { const f = window[${JSON.stringify(SETTLE_PROBE)}]; return typeof f === 'function' ? f() : null; })()`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves with the value or with `fallback` after `ms`. */
async function within<T>(p: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p.catch(() => fallback), new Promise<T>((r) => (timer = setTimeout(() => r(fallback), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

export async function visitPage(opts: VisitOptions): Promise<VisitOutcome> {
  const { limits, profile } = opts;
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const visit: ProfileVisit = {
    profile,
    page: opts.url,
    finalUrl: opts.url,
    redirectChain: [],
    navigations: [],
    popups: [],
    requests: [],
    scripts: [],
    frames: [],
    elements: [],
    metaRefresh: [],
    downloads: [],
    websockets: [],
    title: '',
    text: '',
    structure: [],
    decoded: [],
    canaryLeaks: [],
    formFields: 0,
    notes: [],
    elapsedMs: 0,
  };
  const timeline: Record<string, number> = {};
  visit.timeline = timeline;
  let phaseStart = performance.now();
  /** Closes the current phase of the visit timeline. */
  const phase = (name: string) => {
    const now = performance.now();
    timeline[name] = Math.round(now - phaseStart);
    phaseStart = now;
  };
  const inserted = new Set<string>();
  const mark = `/*scanner-${randomBytes(8).toString('hex')}*/`;
  const context = await opts.browser.newContext({
    ...contextOptions(profile),
    proxy: { server: opts.proxy },
    ...(opts.storageState ? { storageState: opts.storageState } : {}),
  });
  let storageState: VisitOptions['storageState'];
  const pending: Array<Promise<unknown>> = [];
  const deadline = setTimeout(() => {
    visit.notes.push('VISIT_TIMEOUT');
    void context.close().catch(() => undefined);
  }, limits.visitTimeoutMs);
  try {
    await context.exposeBinding(REPORT_BINDING, (source, kind: unknown, data: unknown) => {
      if (typeof kind !== 'string' || typeof data !== 'string') return;
      const frameUrl = source.frame.url();
      if (kind === 'delay') {
        const ms = Number(data);
        if (Number.isFinite(ms) && (visit.delaysMs ??= []).length < 20) visit.delaysMs.push(ms);
      } else if (kind === 'decoded') {
        if (visit.decoded.length < 200) visit.decoded.push(data);
      } else if (kind === 'insert') {
        try {
          const v = JSON.parse(data) as { src?: string };
          if (v.src) inserted.add(v.src);
        } catch {
          // malformed report from a page that tampered with the binding: ignore
        }
      } else if (kind === 'eval' || kind === 'function' || kind === 'write' || kind === 'timer') {
        addScript({ kind, url: frameUrl, code: data });
      }
    });
    await context.addInitScript(instrumentScript(limits.timerClampMs, mark));

    const page: Page = await context.newPage();
    let mainNavigations = 0;
    await context.route('**/*', async (route) => {
      const req = route.request();
      try {
        checkUrlForm(req.url());
      } catch (err) {
        visit.notes.push(`REFUSED ${(err as CodedError).code ?? ''} ${req.url().slice(0, 200)}`);
        await route.abort('blockedbyclient').catch(() => undefined);
        return;
      }
      if (req.isNavigationRequest() && req.frame() === page.mainFrame()) {
        mainNavigations += 1;
        if (mainNavigations > limits.maxRedirects + 1) {
          visit.notes.push('TOO_MANY_NAVIGATIONS');
          await route.abort('blockedbyclient').catch(() => undefined);
          return;
        }
      }
      await route.continue().catch(() => undefined);
    });

    const p = page;
    const records = new Map<Request, RequestRecord>();
    let inflight = 0;
    let lastActivity = performance.now();
    const mainDocs: Response[] = [];

    context.on('request', (req) => {
      inflight += 1;
      lastActivity = performance.now();
      if (visit.requests.length >= MAX_REQUESTS) return;
      const rec: RequestRecord = {
        url: req.url(),
        method: req.method(),
        resourceType: req.resourceType(),
        mainFrame: req.frame() === p.mainFrame(),
        at: elapsed(),
      };
      const from = req.redirectedFrom();
      if (from) rec.redirectedFrom = from.url();
      const post = req.postData();
      if (post) rec.postData = post.slice(0, 4096);
      records.set(req, rec);
      visit.requests.push(rec);
    });
    const done = (req: Request, failure?: string) => {
      inflight = Math.max(0, inflight - 1);
      lastActivity = performance.now();
      const rec = records.get(req);
      if (rec && failure) rec.failure = failure;
    };
    context.on('requestfailed', (req) => done(req, req.failure()?.errorText ?? 'failed'));
    context.on('requestfinished', (req) => {
      done(req);
      if (req.resourceType() === 'script' && visit.scripts.length < MAX_SCRIPTS) {
        pending.push(
          (async () => {
            const resp = await req.response();
            if (!resp) return;
            const length = Number(resp.headers()['content-length'] ?? 0);
            if (length > limits.maxResponseBytes) {
              visit.notes.push(`SCRIPT_TOO_LARGE ${req.url().slice(0, 200)}`);
              return;
            }
            const body = await resp.body();
            addScript({ kind: 'external', url: req.url(), code: body.toString('utf8'), hash: sha256(body) });
          })().catch(() => undefined),
        );
      }
    });
    context.on('response', (resp) => {
      const rec = records.get(resp.request());
      if (rec) rec.status = resp.status();
      if (resp.request().isNavigationRequest() && resp.frame() === p.mainFrame()) mainDocs.push(resp);
    });
    context.on('page', (popup) => {
      if (popup === p) return;
      pending.push(
        popup
          .waitForLoadState('domcontentloaded', { timeout: 3000 })
          .catch(() => undefined)
          .then(() => {
            visit.popups.push(popup.url());
            return popup.close();
          })
          .catch(() => undefined),
      );
    });
    p.on('framenavigated', (frame) => {
      if (frame === p.mainFrame()) visit.navigations.push(frame.url());
      else if (visit.frames.length < 200) visit.frames.push(frame.url());
    });
    p.on('download', (d) => {
      visit.downloads.push({ url: d.url(), filename: d.suggestedFilename() });
      void d.cancel().catch(() => undefined);
    });
    p.on('websocket', (ws) => {
      if (visit.websockets.length < 50) visit.websockets.push(ws.url());
    });

    function addScript(s: { kind: ScriptRecord['kind']; url: string; code: string; hash?: string }) {
      if (visit.scripts.length >= MAX_SCRIPTS) return;
      visit.scripts.push({ kind: s.kind, url: s.url, sha256: s.hash ?? sha256(s.code), length: s.code.length, code: s.code.slice(0, MAX_CODE) });
    }

    phase('context');
    // navigate
    let navError: string | undefined;
    try {
      const referer = refererFor(profile, opts.url, opts.scanStartMs);
      await p.goto(opts.url, { waitUntil: 'load', timeout: Math.min(limits.visitTimeoutMs, 15_000), ...(referer ? { referer } : {}) });
    } catch (err) {
      navError = err instanceof Error ? err.message.split('\n')[0] : String(err);
    }
    // the first main document that is not a redirect; only redirects means it never arrived
    const first = mainDocs.find((r) => r.status() < 300 || r.status() >= 400);
    if (!first && navError) throw unreachable(navError, opts.url);
    if (first && first.status() >= 500) throw unreachable(`HTTP ${first.status()}`, opts.url);
    if (!first) {
      if (visit.downloads.length > 0) {
        visit.notes.push('DOWNLOAD_INSTEAD_OF_PAGE');
      } else {
        throw unreachable(navError ?? 'no response', opts.url);
      }
    }
    if (first) {
      if (first.headers()['x-munjigi-refused']) throw new CodedError('ADDRESS_REFUSED', '내부망·루프백 등 공개되지 않은 주소로 연결되어 검사를 중단했습니다.');
      visit.status = first.status();
      const chain: string[] = [];
      for (let r: Request | null = first.request(); r; r = r.redirectedFrom()) chain.unshift(r.url());
      visit.redirectChain = chain;
      const host = hostOf(new URL(first.url()));
      visit.serverIp = opts.addressOf?.(host);
      const tls = await within(first.securityDetails(), 1000, null);
      if (tls?.issuer) visit.tlsIssuer = tls.issuer;
    }
    if (navError && !/interrupted|aborted|Download is starting/i.test(navError)) visit.notes.push(`NAVIGATION ${navError.slice(0, 160)}`);
    opts.onStage?.('answered', visit);
    if (opts.brokenLinkCheck && (visit.status ?? 0) >= 400) {
      // a linked page that answers 4xx is left out of the report: nothing more to look at
      visit.notes.push('BROKEN_LINK');
      return { visit };
    }

    phase('navigate');
    // settle: a short minimum dwell (long timers are time-warped to timerClampMs), then the
    // network quiet, the DOM unchanged and no shortened timer still pending, with a cap
    const settleCap = Math.min(limits.visitTimeoutMs / 2, limits.minDwellMs + 4000);
    const settleStart = performance.now();
    for (;;) {
      const now = performance.now();
      if (now - settleStart >= settleCap) {
        visit.notes.push('SETTLE_CAP');
        break;
      }
      if (now - settleStart >= limits.minDwellMs && inflight === 0 && now - lastActivity >= limits.quietMs) {
        const probe = await within(p.evaluate(mark + settleProbe) as Promise<SettleProbe | null>, 1000, null);
        // a page without the probe (closed, navigated away mid-check) counts as settled on the network alone
        if (!probe || ((probe.pending === 0 || probe.fired >= MAX_WARPED_WAITS) && probe.quietMs >= limits.quietMs)) break;
      }
      await sleep(40);
    }

    phase('settle');
    if (opts.canary) {
      const fields = await within(p.evaluate(mark + fillCanaryScript(opts.canary)) as Promise<number>, 2000, 0);
      if (fields > 0) {
        const mark = elapsed();
        // a skimmer sends on input or on a (warped) timer: wait past the clamp, then for quiet
        await sleep(limits.timerClampMs + 100);
        for (let i = 0; i < 20 && (inflight > 0 || performance.now() - lastActivity < limits.quietMs); i++) await sleep(40);
        const needles = canaryForms(opts.canary);
        for (const r of visit.requests) {
          if (r.at < mark) continue;
          const hay = `${r.url}\n${r.postData ?? ''}`;
          if (needles.some((n) => hay.includes(n))) visit.canaryLeaks.push(r.url);
        }
      }
    }

    phase('canary');
    const dom = await within(p.evaluate(mark + COLLECT_DOM) as Promise<CollectedDom | null>, 5000, null);
    if (dom) {
      visit.title = dom.title;
      visit.text = dom.text;
      visit.elements = dom.elements;
      visit.metaRefresh = dom.metaRefresh;
      visit.structure = dom.structure;
      visit.formFields = dom.formFields;
      for (const code of dom.inline) addScript({ kind: 'inline', url: p.url(), code });
    } else {
      visit.notes.push('DOM_UNAVAILABLE');
    }
    visit.finalUrl = p.url();
    opts.onStage?.('dom', visit);

    phase('dom');
    // the document as served: scripts after </html>, scripts not written in it (dynamic)
    const served = first ? await within(servedHtml(first, limits.maxResponseBytes), 3000, null) : null;
    await within(Promise.all(pending), 3000, []);
    if (served !== null) markServedScripts(visit, served, inserted);
    else visit.notes.push('SERVED_HTML_UNAVAILABLE');

    phase('served');
    if (opts.screenshot) {
      const png = await within(p.screenshot({ type: 'png', timeout: 5000, animations: 'disabled' }), 6000, null);
      if (png) visit.screenshot = png;
      else visit.notes.push('SCREENSHOT_FAILED');
    }
    phase('screenshot');
    if (opts.keepStorage) storageState = await within(context.storageState(), 2000, undefined);
    phase('storage');
  } finally {
    clearTimeout(deadline);
    phaseStart = performance.now();
    await context.close().catch(() => undefined);
    phase('close');
    visit.elapsedMs = elapsed();
  }
  return { visit, ...(storageState ? { storageState } : {}) };
}

function unreachable(reason: string, url: string) {
  if (/ERR_TOO_MANY_REDIRECTS/.test(reason)) {
    return new CodedError('REDIRECT_LOOP', `홈페이지가 끝없이 다른 주소로 넘겨 열 수 없습니다 (리다이렉트 반복): ${url.slice(0, 200)}`);
  }
  if (/Timeout|timed out/i.test(reason)) {
    return new CodedError('SITE_TIMEOUT', `홈페이지가 제한 시간 안에 열리지 않았습니다: ${url.slice(0, 200)}`);
  }
  return new CodedError('SITE_UNREACHABLE', `홈페이지에 접속할 수 없습니다: ${url.slice(0, 200)} (${reason.replace(/^.*?net::/, 'net::').slice(0, 80)})`);
}

async function servedHtml(resp: Response, cap: number): Promise<string | null> {
  const length = Number(resp.headers()['content-length'] ?? 0);
  if (length > cap) return null;
  const body = await resp.body();
  return body.length > cap ? null : body.toString('utf8');
}

/** Which external scripts the served HTML did not name, and which code came after </html>. */
export function markServedScripts(visit: ProfileVisit, html: string, inserted: Set<string>) {
  const lower = html.toLowerCase();
  const end = lower.lastIndexOf('</html>');
  const tail = end >= 0 ? html.slice(end + 7) : '';
  const tailSrcs = [...tail.matchAll(/<script[^>]*\bsrc\s*=\s*["']?([^"'\s>]+)/gi)].map((m) => m[1] ?? '');
  const tailInline = [...tail.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/gi)].map((m) => (m[1] ?? '').trim()).filter(Boolean);
  for (const s of visit.scripts) {
    if (s.kind === 'external') {
      const u = safeUrl(s.url);
      const named = u ? lower.includes(u.pathname.toLowerCase()) && (lower.includes(u.host.toLowerCase()) || u.href.startsWith(visit.finalUrl.split('/').slice(0, 3).join('/'))) : true;
      s.dynamic = inserted.has(s.url) || !named;
      if (tailSrcs.some((src) => src && s.url.endsWith(src.replace(/^https?:/, '').replace(/^\/\//, '')))) s.afterHtml = true;
    } else if (s.kind === 'inline') {
      if (tailInline.some((t) => s.code.trim() === t)) s.afterHtml = true;
    }
  }
}

const safeUrl = (u: string) => {
  try {
    return new URL(u);
  } catch {
    return null;
  }
};

/** The canary as a skimmer might send it: raw, URL-encoded, base64 (any alignment). */
export function canaryForms(canary: string): string[] {
  const forms = new Set([canary, encodeURIComponent(canary), '4111111111111111']);
  for (let shift = 0; shift < 3; shift++) {
    const b64 = Buffer.from('xx'.slice(0, shift) + canary).toString('base64');
    // drop the characters that depend on the unknown neighbours
    const start = shift === 0 ? 0 : Math.ceil((shift * 4) / 3) + 1;
    forms.add(b64.slice(start, b64.length - 4));
  }
  return [...forms].filter((f) => f.length >= 8);
}
