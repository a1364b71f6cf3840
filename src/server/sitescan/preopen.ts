// Runs in Node (server, CLI). The pre-opening check of a new site (개설 전 점검): HTTPS (the
// http address moves to https, the certificate is valid, who issued it), security headers,
// mixed content and JavaScript libraries with known vulnerabilities. Every connection goes
// through the scan's guard proxy, so the same address rules apply as for the visits.
import http from 'node:http';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { hostOf } from './address';
import type { Finding, ProfileVisit, Severity } from './types';
import type { Vulnerability, VulnDb } from './vulnDb';
import { matchScript } from './vulnDb';

export interface PreopenLibrary {
  library: string;
  version: string;
  url: string;
  vulnerabilities: Array<{ summary: string; severity: string; cve: string[]; info: string[] }>;
}

export interface PreopenResult {
  url: string;
  checkedAt: string;
  https: {
    available: boolean;
    certificateValid: boolean | null;
    certificateError: string | null;
    tlsIssuer: string | null;
    validTo: string | null;
    /** null when the site is not reachable over plain http (nothing to redirect) */
    httpRedirectsToHttps: boolean | null;
  };
  /** The security headers as the site sent them (https response if any, else http), null = absent */
  headers: Record<(typeof HEADER_NAMES)[number], string | null>;
  mixedContent: string[];
  libraries: PreopenLibrary[];
  findings: Finding[];
  vulnDbSource: string;
}

export const HEADER_NAMES = ['strict-transport-security', 'content-security-policy', 'x-content-type-options', 'x-frame-options', 'referrer-policy'] as const;

interface Fetched {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}
interface TlsInfo {
  authorized: boolean;
  error: string | null;
  issuer: string | null;
  validTo: string | null;
}

const TIMEOUT_MS = 10_000;
const MAX_BODY = 2 * 1024 * 1024;
const HSTS_MIN_SECONDS = 180 * 24 * 3600;

/** One GET without following redirects; the body is read up to MAX_BODY. */
function get(opts: http.RequestOptions): Promise<Fetched> {
  return new Promise((ok, fail) => {
    const req = http.request({ ...opts, method: 'GET', timeout: TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= MAX_BODY) chunks.push(c);
        else res.destroy();
      });
      const done = () => ok({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.on('end', done);
      res.on('close', done);
      res.on('error', done);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', fail);
    req.end();
  });
}

/** A tunnel to host:port through the guard proxy (CONNECT), then TLS with the site's name. */
function tlsThroughGuard(guard: URL, host: string, port: number): Promise<{ socket: tls.TLSSocket; info: TlsInfo }> {
  return new Promise((ok, fail) => {
    const req = http.request({ host: guard.hostname, port: Number(guard.port), method: 'CONNECT', path: `${host}:${port}`, headers: { host: `${host}:${port}` }, timeout: TIMEOUT_MS });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', fail);
    req.on('connect', (res, raw: Duplex) => {
      if (res.statusCode !== 200) {
        raw.destroy();
        fail(new Error(`CONNECT ${res.statusCode ?? 0}`));
        return;
      }
      // verification is read, not enforced, so an invalid certificate is reported, not hidden
      const socket = tls.connect({ socket: raw, servername: host, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] });
      socket.setTimeout(TIMEOUT_MS, () => socket.destroy(new Error('timeout')));
      socket.once('error', fail);
      socket.once('secureConnect', () => {
        const cert = socket.getPeerCertificate();
        const issuer = cert?.issuer ? [cert.issuer.O, cert.issuer.CN].filter(Boolean).join(' / ') || null : null;
        const err = socket.authorizationError;
        ok({ socket, info: { authorized: socket.authorized, error: err ? (typeof err === 'string' ? err : ((err as { code?: string }).code ?? err.message)) : null, issuer, validTo: cert?.valid_to ?? null } });
      });
    });
    req.end();
  });
}

const severityOf = (v: Vulnerability[]): Severity => (v.some((x) => x.severity === 'high' || x.severity === 'critical') ? 'high' : v.some((x) => x.severity === 'medium') ? 'medium' : 'low');

export interface PreopenInput {
  url: string;
  /** The scan's guard proxy (http://127.0.0.1:port) */
  guardUrl: string;
  /** The homepage as the desktop profile saw it: its requests and scripts */
  home?: ProfileVisit;
  vulnDb: VulnDb;
  now: number;
}

export async function checkPreopen(input: PreopenInput): Promise<PreopenResult> {
  const guard = new URL(input.guardUrl);
  const start = new URL(input.url);
  const host = hostOf(start);
  const findings: Finding[] = [];
  const page = input.url;
  const add = (ruleId: string, severity: Severity, evidence: string, resource = page) => findings.push({ ruleId, severity, evidence, resource, page, profile: 'all' });

  // plain http: does it move the visitor to https?
  let httpResult: Fetched | null = null;
  try {
    httpResult = await get({ host: guard.hostname, port: Number(guard.port), path: `http://${start.host}/`, headers: { host: start.host, 'user-agent': 'Mozilla/5.0 (Munjigi pre-opening check)' } });
  } catch {
    httpResult = null;
  }
  const location = httpResult?.headers.location;
  const httpRedirectsToHttps = httpResult === null || httpResult.headers['x-munjigi-refused'] ? null : httpResult.status >= 300 && httpResult.status < 400 && typeof location === 'string' && /^https:\/\//i.test(new URL(location, `http://${start.host}/`).href);

  // https: certificate and the response headers
  let tlsInfo: TlsInfo | null = null;
  let httpsResult: Fetched | null = null;
  let httpsError: string | null = null;
  const httpsPort = start.protocol === 'https:' && start.port ? Number(start.port) : 443;
  try {
    const { socket, info } = await tlsThroughGuard(guard, host, httpsPort);
    tlsInfo = info;
    const path = start.protocol === 'https:' ? `${start.pathname}${start.search}` : '/';
    httpsResult = await get({ createConnection: () => socket, path, headers: { host: start.host, 'user-agent': 'Mozilla/5.0 (Munjigi pre-opening check)', connection: 'close' } }).finally(() => socket.destroy());
  } catch (err) {
    httpsError = err instanceof Error ? err.message.slice(0, 120) : 'failed';
  }

  if (!tlsInfo) {
    add('preopen.https_unavailable', 'high', `HTTPS(보안 연결)로 접속되지 않습니다 (${httpsError ?? '응답 없음'}). 방문자의 입력과 개인정보가 암호화되지 않은 채 오갑니다. 웹 서버에 인증서(예: Let's Encrypt 무료 인증서)를 설치하고 443 포트에서 HTTPS를 제공하세요.`);
  } else if (!tlsInfo.authorized) {
    add('preopen.tls_invalid', 'high', `HTTPS 인증서가 유효하지 않습니다 (${tlsInfo.error ?? '검증 실패'}; 발급자: ${tlsInfo.issuer ?? '알 수 없음'}). 방문자 브라우저에 경고가 뜹니다. 공인 인증기관에서 이 도메인 이름으로 발급된, 기간이 남은 인증서를 중간 인증서와 함께 설치하세요.`);
  }
  if (httpRedirectsToHttps === false && tlsInfo) {
    add('preopen.http_not_redirected', 'medium', `http:// 주소로 들어온 방문자를 https:// 로 보내지 않습니다. 웹 서버에서 http 요청을 301 리다이렉트로 https 주소로 보내도록 설정하세요.`, `http://${start.host}/`);
  }

  // security headers: from the https response when there is one
  const source = httpsResult ?? httpResult;
  const header = (name: string): string | null => {
    const v = source?.headers[name];
    return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
  };
  const headers = Object.fromEntries(HEADER_NAMES.map((n) => [n, header(n)])) as PreopenResult['headers'];
  if (source) {
    const hsts = headers['strict-transport-security'];
    if (tlsInfo && !hsts) {
      add('preopen.hsts_missing', 'medium', 'Strict-Transport-Security(HSTS) 헤더가 없습니다. 한 번 방문한 브라우저가 다음부터 반드시 https로만 접속하도록, https 응답에 "Strict-Transport-Security: max-age=31536000; includeSubDomains"를 추가하세요.');
    } else if (hsts) {
      const age = Number(/max-age\s*=\s*"?(\d+)/i.exec(hsts)?.[1] ?? 0);
      if (age < HSTS_MIN_SECONDS) add('preopen.hsts_short', 'low', `HSTS 유효 기간(max-age=${age})이 너무 짧습니다. 최소 6개월(15552000), 권장 1년(31536000)으로 설정하세요.`);
    }
    const csp = headers['content-security-policy'];
    if (!csp) {
      add('preopen.csp_missing', 'medium', 'Content-Security-Policy(CSP) 헤더가 없습니다. 삽입된 악성 스크립트가 외부에서 코드를 불러오지 못하도록, 사용하는 출처만 허용하는 정책(예: "default-src \'self\'; script-src \'self\' 사용하는-CDN; object-src \'none\'; frame-ancestors \'self\'")을 설정하세요.');
    }
    if (!/^\s*nosniff\s*$/i.test(headers['x-content-type-options'] ?? '')) {
      add('preopen.xcto_missing', 'low', 'X-Content-Type-Options: nosniff 헤더가 없습니다. 브라우저가 파일 종류를 추측해 스크립트로 실행하지 않도록 모든 응답에 "X-Content-Type-Options: nosniff"를 추가하세요.');
    }
    const framing = /frame-ancestors/i.test(csp ?? '') || /^\s*(deny|sameorigin)\s*$/i.test(headers['x-frame-options'] ?? '');
    if (!framing) {
      add('preopen.clickjacking', 'medium', '다른 사이트가 이 홈페이지를 보이지 않는 프레임에 넣어 클릭을 가로챌 수 있습니다(클릭재킹). "X-Frame-Options: SAMEORIGIN" 또는 CSP "frame-ancestors \'self\'"를 설정하세요.');
    }
    if (!headers['referrer-policy']) {
      add('preopen.referrer_policy_missing', 'low', 'Referrer-Policy 헤더가 없습니다. 예약·게시판 주소의 개인정보가 다른 사이트로 넘어가지 않도록 "Referrer-Policy: strict-origin-when-cross-origin"을 설정하세요.');
    }
  }

  // mixed content: http resources asked for by an https page (Chromium blocks some of them
  // before any request, so the served HTML is read too)
  const mixed = new Set<string>();
  const httpsPage = input.home && /^https:/i.test(input.home.finalUrl) ? input.home : null;
  if (httpsPage) {
    for (const r of httpsPage.requests) if (/^http:/i.test(r.url) && !(r.mainFrame && r.resourceType === 'document')) mixed.add(r.url);
  }
  if (httpsResult && httpsResult.status < 400) {
    for (const m of httpsResult.body.matchAll(/<(script|iframe|img|link|embed|object|source|audio|video|form)\b[^>]*?\b(?:src|href|data|action)\s*=\s*["']?(http:\/\/[^"'\s>]+)/gi)) {
      if (m[1]?.toLowerCase() === 'link' && !/rel\s*=\s*["']?(stylesheet|preload|icon)/i.test(m[0])) continue;
      if (m[2]) mixed.add(m[2]);
    }
  }
  const mixedContent = [...mixed].slice(0, 100);
  if (mixedContent.length > 0) {
    const active = mixedContent.some((u) => /\.js(\?|$)/i.test(u)) || httpsPage?.requests.some((r) => mixed.has(r.url) && (r.resourceType === 'script' || r.resourceType === 'document'));
    add('preopen.mixed_content', active ? 'high' : 'medium', `https 페이지가 암호화되지 않은 http 주소의 자원 ${mixedContent.length}개를 불러옵니다(혼합 콘텐츠; 예: ${mixedContent[0]?.slice(0, 200) ?? ''}). 중간에서 바꿔치기될 수 있으니 모든 자원 주소를 https로 바꾸세요.`, mixedContent[0]);
  }

  // JavaScript libraries with known vulnerabilities (scripts the homepage loaded, and the HTML's <script src>)
  const libraries: PreopenLibrary[] = [];
  const seen = new Set<string>();
  const scripts = (input.home?.scripts ?? []).filter((s) => s.kind === 'external').map((s) => ({ url: s.url, code: s.code }));
  for (const s of scripts) {
    for (const m of matchScript(input.vulnDb, s)) {
      const key = `${m.library}@${m.version}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const vulns = m.vulnerabilities.map((v) => ({ summary: v.identifiers?.summary ?? '', severity: v.severity ?? 'medium', cve: v.identifiers?.CVE ?? [], info: v.info ?? [] }));
      libraries.push({ library: m.library, version: m.version, url: s.url, vulnerabilities: vulns });
      if (m.vulnerabilities.length > 0) {
        const cves = [...new Set(vulns.flatMap((v) => v.cve))];
        add('preopen.vulnerable_library', severityOf(m.vulnerabilities), `알려진 취약점이 있는 ${m.library} ${m.version} 버전을 사용합니다${cves.length ? ` (${cves.slice(0, 6).join(', ')}${cves.length > 6 ? ' 외' : ''})` : ''}: ${vulns[0]?.summary.slice(0, 160) ?? ''}. 취약점이 고쳐진 최신 버전으로 교체하세요.`, s.url);
      }
    }
  }

  return {
    url: input.url,
    checkedAt: new Date(input.now).toISOString(),
    https: {
      available: tlsInfo !== null,
      certificateValid: tlsInfo ? tlsInfo.authorized : null,
      certificateError: tlsInfo?.error ?? null,
      tlsIssuer: tlsInfo?.issuer ?? null,
      validTo: tlsInfo?.validTo ?? null,
      httpRedirectsToHttps,
    },
    headers,
    mixedContent,
    libraries,
    findings,
    vulnDbSource: input.vulnDb.source,
  };
}
