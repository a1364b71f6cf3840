// Runs under vitest (Node). The pre-opening check against local sites reached through the
// guard proxy in test mode (a loopback proxy that plays the sites): an http-only site without
// security headers and with an old jQuery; an https site with a self-signed certificate, all
// headers and an http image (mixed content). Then `munjigi sitescan --preopen` end to end.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/log';
import type { GuardProxy } from '../../src/server/sitescan/guardProxy';
import { startGuardProxy } from '../../src/server/sitescan/guardProxy';
import { checkPreopen } from '../../src/server/sitescan/preopen';
import { loadVulnDb } from '../../src/server/sitescan/vulnDb';
import { runCli } from './support/cli';
import { hasChromium } from './support/sitescanCorpus';

const hasOpenssl = existsSync('/usr/bin/openssl');
if (!hasOpenssl) console.warn('sitescan-preopen: /usr/bin/openssl absent, the TLS case is skipped');

const OLD_JQUERY = '/*! jQuery v1.12.4 | (c) jQuery Foundation | jquery.org/license */\n!function(a,b){a.jq=b}(window,{});';
const BARE_PAGE = '<!doctype html><html><head><title>열린의원</title><script src="/js/jquery-1.12.4.min.js"></script></head><body><h1>열린의원</h1><p>진료시간 안내</p></body></html>';
const GOOD_PAGE = '<!doctype html><html><head><title>바른의원</title></head><body><h1>바른의원</h1><img src="http://good.example/logo.png" alt="로고"></body></html>';
const GOOD_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'content-security-policy': "default-src 'self'; frame-ancestors 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
};

describe('pre-opening check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'preopen-'));
  let proxy: http.Server;
  let tlsSite: https.Server | undefined;
  let proxyUrl = '';
  let guard: GuardProxy;

  beforeAll(async () => {
    if (hasOpenssl) {
      execFileSync('/usr/bin/openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-subj', '/O=Self Signed Test/CN=good.example', '-days', '2'], { stdio: 'ignore' });
      tlsSite = https.createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (_req, res) => res.writeHead(200, GOOD_HEADERS).end(GOOD_PAGE));
      await new Promise<void>((ok) => tlsSite?.listen(0, '127.0.0.1', () => ok()));
    }
    // a forward proxy that plays bare.example (http only) and good.example (http → https)
    proxy = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.hostname === 'bare.example') {
        if (url.pathname === '/js/jquery-1.12.4.min.js') res.writeHead(200, { 'content-type': 'application/javascript' }).end(OLD_JQUERY);
        else if (url.pathname === '/') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(BARE_PAGE);
        else res.writeHead(404).end();
      } else if (url.hostname === 'good.example') {
        res.writeHead(301, { location: `https://good.example${url.pathname}` }).end();
      } else {
        res.writeHead(404).end();
      }
    });
    proxy.on('connect', (req: http.IncomingMessage, client: net.Socket) => {
      if (req.url === 'good.example:443' && tlsSite) {
        const up = net.connect((tlsSite.address() as AddressInfo).port, '127.0.0.1', () => {
          client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
          up.pipe(client);
          client.pipe(up);
        });
        up.on('error', () => client.destroy());
        client.on('error', () => up.destroy());
      } else {
        client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      }
    });
    await new Promise<void>((ok) => proxy.listen(0, '127.0.0.1', () => ok()));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    guard = await startGuardProxy({ resolve: async () => [], logger: silentLogger, maxResponseBytes: 5 * 1024 * 1024, upstream: new URL(proxyUrl) });
  });
  afterAll(async () => {
    await guard?.close();
    await new Promise<void>((ok) => proxy.close(() => ok()));
    if (tlsSite) await new Promise<void>((ok) => tlsSite?.close(() => ok()));
    rmSync(dir, { recursive: true, force: true });
  });

  const vulnDb = () => loadVulnDb({}, dir);
  const ids = (r: { findings: Array<{ ruleId: string }> }) => r.findings.map((f) => f.ruleId).sort();

  it('an http-only site without headers: no HTTPS, each missing header with what to set', async () => {
    const r = await checkPreopen({ url: 'http://bare.example/', guardUrl: guard.url, vulnDb: vulnDb(), now: Date.UTC(2026, 10, 23) });
    expect(r.https).toMatchObject({ available: false, certificateValid: null, httpRedirectsToHttps: false });
    expect(ids(r)).toEqual(['preopen.clickjacking', 'preopen.csp_missing', 'preopen.https_unavailable', 'preopen.referrer_policy_missing', 'preopen.xcto_missing']);
    for (const f of r.findings) expect(f.evidence).toMatch(/[가-힣]/);
    expect(r.findings.find((f) => f.ruleId === 'preopen.csp_missing')?.evidence).toContain('Content-Security-Policy');
  });

  it.skipIf(!hasOpenssl)('an https site with a self-signed certificate, all headers and an http image', async () => {
    const r = await checkPreopen({ url: 'http://good.example/', guardUrl: guard.url, vulnDb: vulnDb(), now: Date.UTC(2026, 10, 23) });
    expect(r.https).toMatchObject({ available: true, certificateValid: false, httpRedirectsToHttps: true });
    expect(r.https.tlsIssuer).toContain('Self Signed Test');
    expect(r.https.certificateError).toMatch(/SELF_SIGNED|self.signed/i);
    expect(r.headers['strict-transport-security']).toContain('max-age=31536000');
    expect(ids(r)).toEqual(['preopen.mixed_content', 'preopen.tls_invalid']);
    expect(r.mixedContent).toEqual(['http://good.example/logo.png']);
  });

  it('a refused address stays refused in the pre-opening check', async () => {
    const r = await checkPreopen({ url: 'http://10.0.0.1/', guardUrl: guard.url, vulnDb: vulnDb(), now: 0 });
    expect(r.https.available).toBe(false);
    expect(r.https.httpRedirectsToHttps).toBeNull();
  });

  it.skipIf(!hasChromium)('munjigi sitescan --preopen: the old jQuery the page loads is named with its CVEs', async () => {
    const { code, out, err } = await runCli(['sitescan', 'http://bare.example/', '--proxy', proxyUrl, '--max-pages', '1', '--preopen', '--json'], { cwd: dir });
    expect(code, err).toBe(0); // pre-opening findings do not make the homepage malicious
    const report = JSON.parse(out) as { verdict: string; preopen: { findings: Array<{ ruleId: string; severity: string; evidence: string; resource: string }>; libraries: Array<{ library: string; version: string }> } };
    expect(report.verdict).toBe('clean');
    expect(report.preopen.libraries).toEqual([expect.objectContaining({ library: 'jquery', version: '1.12.4' })]);
    const lib = report.preopen.findings.find((f) => f.ruleId === 'preopen.vulnerable_library');
    expect(lib).toMatchObject({ severity: 'medium', resource: 'http://bare.example/js/jquery-1.12.4.min.js' });
    expect(lib?.evidence).toContain('CVE-2019-11358');
  }, 90_000);

  it('update-vulndb refuses a bad file and installs a good one', async () => {
    const run = async (args: string[]) => {
      const r = await runCli(['sitescan', 'update-vulndb', ...args], { env: { MUNJIGI_SITESCAN_VULNDB: join(dir, 'installed.json') }, cwd: dir });
      return { code: r.code, o: r.out, e: r.err };
    };
    const bad = await run(['/nonexistent.json']);
    expect(bad.code).toBe(2);
    expect(bad.e).toContain('VULNDB_UNREADABLE');
    const good = await run([join(process.cwd(), 'resources/sitescan/jsrepository.json')]);
    expect(good.code, good.e).toBe(0);
    expect(existsSync(join(dir, 'installed.json'))).toBe(true);
  });
});
