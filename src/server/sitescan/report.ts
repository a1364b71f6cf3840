// Runs in Node (server, CLI). From findings to a verdict, the indicators analysts collect
// (malicious hosts, URLs, hashes), and a Korean summary a clinic can act on.
import { hostOf, sameSite } from './address';
import type { Finding, Indicators, Verdict } from './types';

export function verdictOf(findings: Finding[]): Verdict {
  if (findings.some((f) => f.severity === 'high')) return 'malicious';
  if (findings.some((f) => f.severity === 'medium')) return 'suspicious';
  return 'clean';
}

export function indicatorsOf(findings: Finding[], siteHost: string): Indicators {
  const hosts = new Set<string>();
  const urls = new Set<string>();
  const hashes = new Set<string>();
  for (const f of findings) {
    if (f.severity === 'low') continue;
    for (const m of `${f.resource} ${f.evidence}`.matchAll(/sha256[: ]([0-9a-f]{64})/g)) hashes.add(m[1] ?? '');
    let url: URL | null = null;
    try {
      url = new URL(f.resource);
    } catch {
      url = null;
    }
    if (url && (url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'ws:' || url.protocol === 'wss:')) {
      const host = hostOf(url);
      if (!sameSite(host, siteHost)) {
        hosts.add(host);
        urls.add(url.href);
      } else if (f.ruleId === 'EXECUTABLE_ATTACHMENT' || f.ruleId === 'DRIVE_BY_DOWNLOAD') {
        urls.add(url.href);
      }
    } else if (/^[a-z0-9.-]+\.[a-z]{2,}$/i.test(f.resource) && !sameSite(f.resource, siteHost)) {
      hosts.add(f.resource.toLowerCase());
    }
  }
  hashes.delete('');
  return { hosts: [...hosts].sort(), urls: [...urls].sort(), hashes: [...hashes].sort() };
}

const RULE_KO: Record<string, { name: string; fix: string }> = {
  HIDDEN_IFRAME: { name: '숨겨진 외부 iframe', fix: '페이지 소스에서 해당 iframe 태그를 삭제하고, 관리자 비밀번호를 바꾸세요.' },
  OBFUSCATED_JS: { name: '난독화된 악성 스크립트', fix: '해당 스크립트를 삭제하고 서버의 다른 파일에도 같은 코드가 있는지 확인하세요.' },
  RUNTIME_INJECTION: { name: '실행 중 외부 코드 삽입', fix: '외부 사이트를 불러오는 코드를 찾아 삭제하세요.' },
  SCRIPT_AFTER_HTML: { name: '</html> 뒤에 덧붙은 스크립트', fix: '파일 끝에 붙은 코드를 삭제하고 파일 변조 경로(FTP·관리자 계정)를 점검하세요.' },
  DYNAMIC_FOREIGN_SCRIPT: { name: '알 수 없는 외부 스크립트 삽입', fix: '직접 넣은 것이 아니면 삽입하는 코드를 삭제하세요.' },
  FOREIGN_REDIRECT: { name: '외부 사이트로 이동', fix: '이동시키는 코드(스크립트·meta refresh·서버 설정 .htaccess 등)를 삭제하세요.' },
  CRYPTOMINER: { name: '암호화폐 채굴 코드', fix: '채굴 스크립트와 이를 불러오는 태그를 삭제하세요.' },
  HIDDEN_SPAM_LINKS: { name: '숨겨진 스팸 링크', fix: '숨겨진 링크를 삭제하고 게시판·관리자 계정의 비밀번호를 바꾸세요.' },
  FORM_SKIMMER: { name: '입력 정보 탈취 코드', fix: '입력값을 외부로 보내는 스크립트를 삭제하세요. 개인정보 유출 신고가 필요할 수 있습니다.' },
  DRIVE_BY_DOWNLOAD: { name: '자동 다운로드', fix: '파일을 내려받게 하는 코드를 삭제하세요.' },
  EXECUTABLE_ATTACHMENT: { name: '게시판 실행 파일 첨부', fix: '해당 게시물과 첨부 파일을 삭제하고 작성 계정을 점검하세요.' },
  CLOAKING: { name: '방문자별로 다른 내용(클로킹)', fix: '검색 유입·로봇·모바일에만 다른 내용을 주는 서버 설정이나 코드를 찾아 삭제하세요.' },
  BLOCKLISTED_HOST: { name: '악성 호스트 연결', fix: '해당 호스트를 불러오는 코드나 링크를 삭제하세요.' },
  PRIVATE_ADDRESS_REQUEST: { name: '내부망 주소 요청', fix: '내부망 주소를 부르는 코드를 삭제하세요.' },
  DEFACEMENT: { name: '홈페이지 변조', fix: '백업에서 복구하고, 관리자 계정과 서버 접근 경로를 점검하세요.' },
  NEW_EXTERNAL_SCRIPT: { name: '새 외부 스크립트', fix: '직접 추가한 것이 아니면 삭제하세요.' },
  SCRIPT_CHANGED: { name: '스크립트 변경', fix: '업데이트한 것이 아니면 확인하세요.' },
  PAGE_CHANGED: { name: '내용 변경', fix: '직접 수정한 것이 아니면 확인하세요.' },
};

const VERDICT_KO: Record<Verdict, string> = { clean: '정상', suspicious: '의심', malicious: '악성 코드 탐지' };
const SEVERITY_KO = { high: '높음', medium: '중간', low: '참고' } as const;

export function summaryKo(r: { url: string; verdict: Verdict; findings: Finding[]; indicators: Indicators; pages: number }): string {
  const lines = [`홈페이지 보안 점검: ${r.url}`, `판정: ${VERDICT_KO[r.verdict]} (검사한 페이지 ${r.pages}개, 발견 ${r.findings.length}건)`];
  const sorted = [...r.findings].sort((a, b) => rank(b.severity) - rank(a.severity));
  for (const f of sorted.slice(0, 30)) {
    const k = RULE_KO[f.ruleId];
    lines.push(`- [${SEVERITY_KO[f.severity]}] ${k?.name ?? f.ruleId} (${f.ruleId}) — ${f.page} (${f.profile})`);
    lines.push(`    ${f.evidence}`);
    lines.push(`    대상: ${f.resource}`);
    if (k && f.severity !== 'low') lines.push(`    조치: ${k.fix}`);
  }
  if (sorted.length > 30) lines.push(`… 외 ${sorted.length - 30}건 (--json 으로 전체 보기)`);
  if (r.indicators.hosts.length) lines.push(`악성 의심 호스트: ${r.indicators.hosts.join(', ')}`);
  if (r.verdict === 'clean') lines.push('발견된 악성 코드가 없습니다.');
  return lines.join('\n');
}

const rank = (s: Finding['severity']) => (s === 'high' ? 3 : s === 'medium' ? 2 : 1);
