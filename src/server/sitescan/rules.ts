// Runs in Node (server, CLI). The detection rules: from the visits of one page (every
// profile) to findings. Each rule looks for a kind of attack, not for a particular sample.
import { hostOf, sameSite, siteOf } from './address';
import type { Blocklist } from './blocklist';
import { entropy, minerHost, minerSign, obfuscatedSinks } from './jsAnalysis';
import { isKnownThirdParty } from './knownHosts';
import { similarity } from './textSimilarity';
import type { AttachmentCheck, Finding, PageResult, ProfileVisit, Severity } from './types';

export interface RuleContext {
  /** The host the clinic registered. */
  siteHost: string;
  blocklist: Blocklist;
}

const hostOfUrl = (u: string): string | null => {
  try {
    const url = new URL(u);
    return url.protocol === 'http:' || url.protocol === 'https:' ? hostOf(url) : null;
  } catch {
    return null;
  }
};

/** A host outside the clinic's site and not a well-known third party. */
export function unknownForeign(host: string | null, ctx: { siteHost: string }): host is string {
  return !!host && !sameSite(host, ctx.siteHost) && !isKnownThirdParty(host);
}

const SPAM_KO = /카지노|바카라|토토|슬롯|먹튀|파워볼|홀덤|룰렛|릴게임|바다이야기|경마|도박|배팅|베팅|비아그라|시알리스|레비트라|발기부전|조루|정력제|출장안마|출장마사지|오피걸|유흥|성인용품|작업대출|급전대출|무직자대출/;
const SPAM_EN = /\b(?:casino|baccarat|poker|slots?|betting|sportsbook|roulette|jackpot|viagra|cialis|levitra|kamagra|pharmacy|payday\s*loans?|porn|escort|xxx|replica\s+watch(?:es)?|hentai|toto)\b/i;
export const spamWord = (s: string): string | null => (SPAM_KO.exec(s) ?? SPAM_EN.exec(s))?.[0] ?? null;

const EXECUTABLE = /\.(?:exe|scr|msi|apk|js|jse|vbs|vbe|hta|bat|cmd|ps1|jar|com|pif|lnk|wsf|dll|cpl|reg)$/i;
const ARCHIVE = /\.(?:zip|rar|7z|tar|gz|tgz|alz|egg|iso|img|cab)$/i;
export const isExecutableName = (name: string) => EXECUTABLE.test(name.trim());
export const isArchiveName = (name: string) => ARCHIVE.test(name.trim());
const pathOf = (u: string) => {
  try {
    return decodeURIComponent(new URL(u).pathname);
  } catch {
    return u;
  }
};

type Emit = (f: Omit<Finding, 'page'>) => void;

/** All findings for one page. */
export function pageFindings(page: PageResult, ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  const emit: Emit = (f) => {
    const key = `${f.ruleId}|${f.resource}|${f.severity}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ ...f, page: page.url, evidence: f.evidence.slice(0, 400), resource: f.resource.slice(0, 500) });
  };
  for (const v of page.visits) visitFindings(v, ctx, emit);
  if (page.board) boardFindings(page, ctx, emit);
  cloakingFindings(page.visits, ctx, emit);
  return out;
}

function visitFindings(v: ProfileVisit, ctx: RuleContext, emit: Emit) {
  const profile = v.profile;

  // hidden, tiny or off-screen iframes to other sites
  for (const el of v.elements) {
    if (el.tag !== 'iframe') continue;
    const host = hostOfUrl(el.url);
    if (el.hidden.length > 0 && unknownForeign(host, ctx)) {
      emit({ ruleId: 'HIDDEN_IFRAME', severity: 'high', resource: el.url, profile, evidence: `보이지 않는 iframe(${el.hidden.join(', ')}, ${el.width}×${el.height})이 외부 사이트 ${host}를 불러옵니다.` });
    }
  }

  // obfuscated code feeding execution sinks
  const decoded = v.decoded.filter((d) => d.length >= 24);
  for (const s of v.scripts) {
    const host = s.kind === 'external' ? hostOfUrl(s.url) : null;
    if (s.kind === 'external' && host && !sameSite(host, ctx.siteHost) && isKnownThirdParty(host)) continue;
    const sinks = obfuscatedSinks(s.code);
    const runtime = s.kind !== 'external' && s.kind !== 'inline' && s.code.length >= 24 && decoded.some((d) => s.code.includes(d) || d.includes(s.code.slice(0, 200)));
    if (sinks.length > 0 || runtime) {
      const loadsForeign = [...s.code.matchAll(/https?:\/\/([a-z0-9.-]+)/gi)].some((m) => unknownForeign((m[1] ?? '').toLowerCase(), ctx));
      const severity: Severity = runtime || loadsForeign || sinks.some((x) => x.why === 'packer') ? 'high' : 'medium';
      const what = runtime ? `실행 시 복호화된 코드가 ${s.kind === 'write' ? 'document.write' : s.kind}로 실행되었습니다` : `난독화된 값이 ${sinks[0]?.sink ?? 'eval'}에 전달됩니다(${sinks[0]?.why ?? ''}): ${sinks[0]?.snippet ?? ''}`;
      emit({ ruleId: 'OBFUSCATED_JS', severity, resource: s.kind === 'external' ? s.url : `sha256:${s.sha256}`, profile, evidence: `${what} [${s.kind} ${s.url.slice(0, 120)}]` });
    }
    // code written or eval'd at run time that pulls in other sites
    if ((s.kind === 'eval' || s.kind === 'write' || s.kind === 'function' || s.kind === 'timer') && /<script|<iframe|createElement|location/i.test(s.code)) {
      for (const m of s.code.matchAll(/https?:\/\/([a-z0-9.-]+)[^\s"'<>)]*/gi)) {
        if (unknownForeign((m[1] ?? '').toLowerCase(), ctx)) {
          emit({ ruleId: 'RUNTIME_INJECTION', severity: 'high', resource: m[0], profile, evidence: `스크립트가 실행 중에 만든 코드(${s.kind})가 외부 사이트 ${m[1]}의 자원을 불러옵니다.` });
        }
      }
    }
    // scripts after </html> and scripts inserted from unknown hosts
    if (s.afterHtml) {
      emit({ ruleId: 'SCRIPT_AFTER_HTML', severity: host && unknownForeign(host, ctx) ? 'high' : 'medium', resource: s.kind === 'external' ? s.url : `sha256:${s.sha256}`, profile, evidence: `문서 끝(</html>) 뒤에 스크립트가 덧붙어 있습니다. 정상적인 홈페이지에는 없는 위치입니다.` });
    }
    if (s.kind === 'external' && s.dynamic && unknownForeign(host, ctx)) {
      emit({ ruleId: 'DYNAMIC_FOREIGN_SCRIPT', severity: 'medium', resource: s.url, profile, evidence: `HTML에 없는 외부 스크립트(${host})를 다른 스크립트가 실행 중에 삽입했습니다.` });
    }
    // miners
    const sign = minerSign(s.code);
    if (sign) emit({ ruleId: 'CRYPTOMINER', severity: 'high', resource: s.kind === 'external' ? s.url : `sha256:${s.sha256}`, profile, evidence: `방문자 PC로 암호화폐를 채굴하는 코드의 특징이 있습니다: ${sign}` });
    if (s.kind === 'inline' && s.code.length > 2000 && !/\s/.test(s.code.slice(0, 2000)) && entropy(s.code.slice(0, 5000)) > 5.3) {
      emit({ ruleId: 'OBFUSCATED_JS', severity: 'medium', resource: `sha256:${s.sha256}`, profile, evidence: '공백 없이 엔트로피가 매우 높은 인라인 스크립트가 있습니다(암호화된 코드일 가능성).' });
    }
  }
  for (const u of [...v.requests.map((r) => r.url), ...v.websockets]) {
    const host = hostOfUrl(u.replace(/^ws/, 'http'));
    if (host && minerHost(host)) emit({ ruleId: 'CRYPTOMINER', severity: 'high', resource: u, profile, evidence: `채굴 서비스로 알려진 호스트 ${host}에 접속합니다.` });
  }

  // redirects to other sites: HTTP, meta refresh, script, delayed, pop-ups
  // a main-frame navigation that failed (a dead or refused landing site) is still a redirect attempt
  const attempted = v.requests.filter((r) => r.mainFrame && r.resourceType === 'document' && r.failure).map((r) => r.url);
  const chain = [...new Set([...v.redirectChain, ...v.navigations, ...attempted])].filter((u) => /^https?:/i.test(u));
  let previous = v.page;
  for (const nav of chain) {
    const host = hostOfUrl(nav);
    if (host && !sameSite(host, ctx.siteHost) && nav !== previous) {
      const viaHttp = v.redirectChain.includes(nav);
      const delayed = !viaHttp && v.delaysMs?.length ? `, 페이지가 ${Math.round(Math.max(...v.delaysMs) / 100) / 10}초 지연 실행을 예약함` : '';
      emit({ ruleId: 'FOREIGN_REDIRECT', severity: viaHttp && isKnownThirdParty(host) ? 'low' : viaHttp ? 'medium' : 'high', resource: nav, profile, evidence: `방문자를 다른 사이트 ${host}로 보냅니다(${viaHttp ? 'HTTP 리다이렉트' : `스크립트·meta refresh·지연 이동${delayed}`}).` });
    }
    previous = nav;
  }
  for (const content of v.metaRefresh) {
    const m = /url\s*=\s*['"]?([^'";]+)/i.exec(content);
    const target = m?.[1] ? resolveUrl(m[1], v.page) : null;
    const host = target ? hostOfUrl(target) : null;
    if (target && host && !sameSite(host, ctx.siteHost)) emit({ ruleId: 'FOREIGN_REDIRECT', severity: 'high', resource: target, profile, evidence: `meta refresh가 다른 사이트 ${host}로 이동시킵니다.` });
  }
  for (const popup of v.popups) {
    const host = hostOfUrl(popup);
    if (host && unknownForeign(host, ctx)) emit({ ruleId: 'FOREIGN_REDIRECT', severity: 'high', resource: popup, profile, evidence: `클릭 없이 다른 사이트 ${host}의 새 창(팝업)을 엽니다.` });
  }

  // hidden links with spam words (visible text with the same words is not a finding)
  const spam = v.elements.filter((el) => el.tag === 'a' && el.hidden.length > 0 && spamWord(`${el.text} ${pathOf(el.url)}`));
  if (spam.length > 0) {
    const foreign = spam.filter((el) => !sameSite(hostOfUrl(el.url) ?? ctx.siteHost, ctx.siteHost));
    const words = [...new Set(spam.map((el) => spamWord(`${el.text} ${pathOf(el.url)}`)))].slice(0, 5).join(', ');
    for (const el of spam.slice(0, 10)) {
      emit({ ruleId: 'HIDDEN_SPAM_LINKS', severity: spam.length >= 2 || foreign.length > 0 ? 'high' : 'medium', resource: el.url, profile, evidence: `사람에게 보이지 않게 숨긴 링크 ${spam.length}개에 도박·의약품 스팸 단어(${words})가 있습니다 (${el.hidden.join(', ')}).` });
    }
  }

  // form data sent to other sites (skimmer)
  for (const leak of v.canaryLeaks) {
    const host = hostOfUrl(leak);
    if (!host || sameSite(host, ctx.siteHost)) continue;
    emit({ ruleId: 'FORM_SKIMMER', severity: isKnownThirdParty(host) ? 'low' : 'high', resource: leak, profile, evidence: `입력란에 넣은 시험값이 제출 전에 외부 사이트 ${host}로 전송되었습니다(입력 정보 탈취 코드).` });
  }

  // downloads nobody clicked
  for (const d of v.downloads) {
    const exe = isExecutableName(d.filename) || isArchiveName(d.filename);
    emit({ ruleId: 'DRIVE_BY_DOWNLOAD', severity: exe ? 'high' : 'medium', resource: d.url, profile, evidence: `클릭하지 않았는데 파일(${d.filename.slice(0, 80)}) 다운로드가 시작됩니다.` });
  }

  // malicious-host list: anything requested, framed, linked or navigated to
  const urls = new Set([...v.requests.map((r) => r.url), ...v.elements.map((e) => e.url), ...chain, ...v.popups, ...v.frames, ...v.websockets]);
  for (const u of urls) {
    const host = hostOfUrl(u.replace(/^ws/, 'http'));
    if (host && ctx.blocklist.has(host)) emit({ ruleId: 'BLOCKLISTED_HOST', severity: 'high', resource: u, profile, evidence: `악성 호스트 목록에 있는 ${host}와 연결됩니다.` });
  }

  // the page tried to reach addresses inside the visitor's network
  for (const n of v.notes) {
    if (n.startsWith('REFUSED ')) emit({ ruleId: 'PRIVATE_ADDRESS_REQUEST', severity: 'medium', resource: n.split(' ').slice(2).join(' '), profile, evidence: '방문자의 내부망·루프백 주소로 요청을 보냅니다(공유기 공격 등). 검사기는 이 요청을 차단했습니다.' });
  }
}

function boardFindings(page: PageResult, ctx: RuleContext, emit: Emit) {
  const v = page.visits.find((x) => x.profile === 'desktop') ?? page.visits[0];
  if (!v) return;
  for (const el of v.elements) {
    if (el.tag !== 'a') continue;
    const path = pathOf(el.url);
    if (isExecutableName(path)) {
      emit({ ruleId: 'EXECUTABLE_ATTACHMENT', severity: 'high', resource: el.url, profile: v.profile, evidence: `게시판에 실행 파일·스크립트 첨부(${path.split('/').pop()?.slice(0, 80)})가 있습니다. 관리자 계정 도용으로 올린 악성 파일일 수 있습니다.` });
    }
  }
  for (const a of page.attachments) attachmentFinding(a, v.profile, emit);
  void ctx;
}

function attachmentFinding(a: AttachmentCheck, profile: ProfileVisit['profile'], emit: Emit) {
  const name = pathOf(a.url).split('/').pop() ?? '';
  const hash = a.sha256 ? ` sha256 ${a.sha256}` : '';
  if (a.kind === 'pe' || a.kind === 'elf' || a.kind === 'script') {
    if (!isExecutableName(name)) emit({ ruleId: 'EXECUTABLE_ATTACHMENT', severity: 'high', resource: a.url, profile, evidence: `첨부 ${name.slice(0, 80)}는 이름과 달리 실행 파일입니다.${hash}` });
  }
  const inner = (a.entries ?? []).filter(isExecutableName);
  if (inner.length > 0) emit({ ruleId: 'EXECUTABLE_ATTACHMENT', severity: 'high', resource: a.url, profile, evidence: `압축 첨부 ${name.slice(0, 80)} 안에 실행 파일이 있습니다: ${inner.slice(0, 3).join(', ')}${hash}` });
}

/** What each profile exposes that could hurt a visitor, to compare across profiles. */
function riskSurface(v: ProfileVisit, ctx: RuleContext): Set<string> {
  const s = new Set<string>();
  for (const r of v.requests) {
    if (r.resourceType !== 'script' && r.resourceType !== 'document' && r.resourceType !== 'websocket') continue;
    const host = hostOfUrl(r.url);
    if (unknownForeign(host, ctx)) s.add(siteOf(host));
  }
  for (const el of v.elements) {
    const host = hostOfUrl(el.url);
    if ((el.tag === 'iframe' || el.hidden.length > 0) && unknownForeign(host, ctx)) s.add(siteOf(host));
  }
  for (const n of [...v.navigations, ...v.popups]) {
    const host = hostOfUrl(n);
    if (unknownForeign(host, ctx)) s.add(siteOf(host));
  }
  return s;
}

const PROFILE_KO: Record<string, string> = { mobile: '모바일', search: '검색 유입', crawler: '검색 로봇', repeat: '재방문', desktop: 'PC' };

function cloakingFindings(visits: ProfileVisit[], ctx: RuleContext, emit: Emit) {
  const desktop = visits.find((v) => v.profile === 'desktop');
  if (!desktop) return;
  const base = riskSurface(desktop, ctx);
  for (const v of visits) {
    if (v === desktop) continue;
    const extra = [...riskSurface(v, ctx)].filter((h) => !base.has(h));
    if (extra.length > 0) {
      const severity: Severity = v.profile === 'search' || v.profile === 'crawler' ? 'high' : 'medium';
      for (const h of extra.slice(0, 5)) {
        emit({ ruleId: 'CLOAKING', severity, resource: h, profile: v.profile, evidence: `${PROFILE_KO[v.profile]} 방문자에게만 외부 사이트 ${h}의 스크립트·프레임·이동이 나타납니다(일반 방문과 다른 내용 제공).` });
      }
    }
    if (v.profile === 'repeat') {
      const missing = [...base].filter((h) => !riskSurface(v, ctx).has(h));
      for (const h of missing.slice(0, 5)) {
        emit({ ruleId: 'CLOAKING', severity: 'medium', resource: h, profile: 'desktop', evidence: `첫 방문에만 외부 사이트 ${h}가 나타나고 재방문에는 나타나지 않습니다(한 번만 감염시키는 코드의 특징).` });
      }
    }
    if ((v.profile === 'crawler' || v.profile === 'search') && desktop.text.length > 200 && v.text.length > 0) {
      const sim = similarity(desktop.text, v.text);
      if (sim < 0.5) emit({ ruleId: 'CLOAKING', severity: 'medium', resource: v.page, profile: v.profile, evidence: `${PROFILE_KO[v.profile]} 방문자에게 보이는 글이 일반 방문과 크게 다릅니다(유사도 ${Math.round(sim * 100)}%).` });
    }
  }
}

function resolveUrl(u: string, base: string): string | null {
  try {
    return new URL(u.trim(), base).href;
  } catch {
    return null;
  }
}
