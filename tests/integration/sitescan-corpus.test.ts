// Runs under vitest (Node) with Debian's Chromium. The scanner end to end through the CLI:
// every case of the development corpus (served by its serve.mjs as a loopback proxy), then
// the safety cases (refused URLs, redirect to a private address, unreachable site, 10 MB page,
// redirect loop) from a tiny local proxy.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/log';
import { scanSite } from '../../src/server/sitescan/scan';
import { runCli } from './support/cli';
import type { CorpusServer } from './support/sitescanCorpus';
import { corpusDir as corpus, hasChromium, hasCorpus, startCorpusServer } from './support/sitescanCorpus';

if (!hasCorpus) console.warn('sitescan corpus tests skipped: ../shared/sitescan-corpus is absent');
if (!hasChromium) console.warn('sitescan browser tests skipped: /usr/bin/chromium is absent');

const cli = (args: string[]) => runCli(['sitescan', ...args]);

describe.skipIf(!hasCorpus || !hasChromium)('sitescan on the development corpus', () => {
  let server: CorpusServer | undefined;
  let proxy = '';
  const dir = mkdtempSync(join(tmpdir(), 'sitescan-'));
  interface Case { name: string; url: string; expect: 'flag' | 'clean'; baselineState?: string; currentState?: string }
  const cases: Case[] = hasCorpus ? (JSON.parse(readFileSync(join(corpus, 'cases.json'), 'utf8')) as { cases: Case[] }).cases : [];

  beforeAll(async () => {
    server = await startCorpusServer();
    proxy = server.proxy;
  });
  afterAll(() => {
    server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const setState = (s: string) => (server as CorpusServer).setState(s);

  for (const c of cases) {
    it(`${c.name}: ${c.expect}`, async () => {
      const common = ['--proxy', proxy, '--blocklist', join(corpus, 'blocklist.txt'), '--max-pages', '2', '--json'];
      let extra: string[] = [];
      if (c.currentState !== undefined) {
        const file = join(dir, `${c.name}.baseline.json`);
        await setState(c.baselineState ?? '');
        const before = await cli([c.url, ...common, '--save-baseline', file]);
        expect(before.code, before.err).toBe(0);
        await setState(c.currentState);
        extra = ['--baseline', file];
      }
      try {
        const r = await cli([c.url, ...common, ...extra]);
        const report = JSON.parse(r.out) as { verdict: string; findings: Array<{ ruleId: string; severity: string }>; notes: string[]; pages: Array<{ url: string; board: boolean }> };
        const summary = `${c.name}: ${report.verdict} ${JSON.stringify(report.findings.map((f) => `${f.ruleId}/${f.severity}`))} pages ${JSON.stringify(report.pages.map((p) => [p.url, p.board]))} notes ${report.notes.join(' | ')}`;
        if (c.expect === 'flag') {
          expect(report.verdict, summary).not.toBe('clean');
          expect(r.code).toBe(1);
        } else {
          expect(report.verdict, summary).toBe('clean');
          expect(r.code).toBe(0);
        }
      } finally {
        if (c.currentState !== undefined) await setState('');
      }
    }, 120_000);
  }
});

describe('sitescan refuses what it must not fetch', () => {
  for (const [url, code] of [
    ['javascript:alert(1)', 'URL_SCHEME_REFUSED'],
    ['file:///etc/passwd', 'URL_SCHEME_REFUSED'],
    ['data:text/html,<h1>x</h1>', 'URL_SCHEME_REFUSED'],
    ['http://127.0.0.1/', 'ADDRESS_REFUSED'],
    ['http://10.0.0.1/', 'ADDRESS_REFUSED'],
    ['http://[::1]/', 'ADDRESS_REFUSED'],
    ['http://[::ffff:192.168.0.1]/', 'ADDRESS_REFUSED'],
    ['http://localhost:8080/', 'ADDRESS_REFUSED'],
    ['not a url', 'URL_MALFORMED'],
  ] as const) {
    it(`${url} → exit 2 ${code}`, async () => {
      const r = await cli([url, '--proxy', 'http://127.0.0.1:9']);
      expect(r.code).toBe(2);
      expect(r.err).toContain(code);
      expect(r.out).toBe('');
    });
  }
  it('a proxy that is not on loopback is refused', async () => {
    const r = await cli(['http://clinic.example/', '--proxy', 'http://203.0.113.5:8080']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('PROXY_REFUSED');
  });
  it('a host that resolves to a private address is refused before any browser starts', async () => {
    let launched = false;
    const run = scanSite({
      url: 'http://clinic.example/',
      clock: Date.now,
      logger: silentLogger,
      resolve: async () => ['192.168.1.10'],
      launch: async () => {
        launched = true;
        throw new Error('must not launch');
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'ADDRESS_REFUSED' });
    expect(launched).toBe(false);
  });
  it('a host that does not resolve is a clear DNS_FAILED', async () => {
    const run = scanSite({ url: 'http://nowhere.example/', clock: Date.now, logger: silentLogger, resolve: async () => Promise.reject(new Error('ENOTFOUND')) });
    await expect(run).rejects.toMatchObject({ code: 'DNS_FAILED' });
  });
  it('bad options are usage errors', async () => {
    expect((await cli([])).code).toBe(2);
    const r = await cli(['http://clinic.example/', '--max-pages', '999']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('BAD_OPTION');
    const b = await cli(['http://clinic.example/', '--baseline', '/nonexistent/baseline.json']);
    expect(b.code).toBe(2);
    expect(b.err).toContain('BASELINE_UNREADABLE');
  });
});

describe.skipIf(!hasChromium)('sitescan safety against hostile servers', () => {
  let server: http.Server;
  let proxy = '';
  const big = '<!doctype html><html><body><p>' + 'x'.repeat(10 * 1024 * 1024) + '</p></body></html>';
  beforeAll(async () => {
    // a proxy that plays several hostile sites by host name
    server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      switch (url.hostname) {
        case 'to-private.example':
          res.writeHead(302, { location: 'http://10.0.0.1/admin' }).end();
          return;
        case 'loop.example':
          res.writeHead(302, { location: `http://loop.example/?n=${Number(url.searchParams.get('n') ?? 0) + 1}` }).end();
          return;
        case 'big.example':
          res.writeHead(200, { 'content-type': 'text/html' }).end(big);
          return;
        case 'delayed.example':
          // a redirect after 8 s, armed by a second timer after 3 s: the time warp must show it
          res
            .writeHead(200, { 'content-type': 'text/html' })
            .end('<!doctype html><html><body><p>진료 안내</p><script>setTimeout(function () { setTimeout(function () { location.href = "http://landing.example/"; }, 8000); }, 3000);</script></body></html>');
          return;
        case 'down.example':
          req.socket.destroy();
          return;
        default:
          res.writeHead(404).end();
      }
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
    proxy = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

  it('a redirect to a private address is refused', async () => {
    const r = await cli(['http://to-private.example/', '--proxy', proxy, '--max-pages', '1']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('ADDRESS_REFUSED');
  }, 60_000);
  it('a delayed script redirect is seen without waiting for it (time warp), with the delay asked for', async () => {
    const t = performance.now();
    const report = await scanSite({ url: 'http://delayed.example/', proxy, clock: Date.now, logger: silentLogger, profiles: ['desktop'], limits: { maxPages: 1 } });
    expect(performance.now() - t).toBeLessThan(11_000);
    const f = report.findings.find((x) => x.ruleId === 'FOREIGN_REDIRECT');
    expect(f, JSON.stringify(report.findings)).toMatchObject({ severity: 'high', resource: 'http://landing.example/' });
    expect(f?.evidence).toContain('8초');
    expect(report.pages[0]?.visits[0]?.delaysMs).toEqual([3000, 8000]);
  }, 60_000);
  it('a redirect loop ends with REDIRECT_LOOP', async () => {
    const r = await cli(['http://loop.example/', '--proxy', proxy, '--max-pages', '1']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/REDIRECT_LOOP|SITE_UNREACHABLE/);
  }, 60_000);
  it('an unreachable site is exit 2 with a Korean message', async () => {
    const r = await cli(['http://down.example/', '--proxy', proxy, '--max-pages', '1']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/SITE_UNREACHABLE|SITE_TIMEOUT/);
    expect(r.err).toMatch(/[가-힣]/);
  }, 60_000);
  it('a 10 MB page neither hangs nor crashes: the response is cut at the cap', async () => {
    const t = performance.now();
    const r = await cli(['http://big.example/', '--proxy', proxy, '--max-pages', '1', '--json']);
    // bounded by the limits: 5 profile visits, each closed at visitTimeoutMs (20 s), two rounds
    expect(performance.now() - t).toBeLessThan(110_000);
    expect([0, 1, 2]).toContain(r.code);
    if (r.code !== 2) expect((JSON.parse(r.out) as { notes: string[] }).notes.join(' ')).toContain('RESPONSE_TOO_LARGE');
  }, 150_000);
});
