// Runs in Node. `munjigi sitescan URL`: scans a clinic homepage like a visitor's browser and
// prints the report (Korean summary, or JSON with --json). Exit 0 clean, 1 suspicious or
// malicious, 2 could not scan. `--preopen` adds the pre-opening check; `update-vulndb FILE`
// installs a newer vulnerable-library data file (retire.js jsrepository.json format).
import { readFile, writeFile } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { parseArgs } from '../args';
import { createLogger } from '../../core/log';
import { CodedError } from '../../shared/envelope';
import { parseBaseline } from '../../server/sitescan/baseline';
import { parseBlocklist } from '../../server/sitescan/blocklist';
import type { PreopenResult } from '../../server/sitescan/preopen';
import { summaryKo } from '../../server/sitescan/report';
import type { ScanReport } from '../../server/sitescan/scan';
import { scanSite } from '../../server/sitescan/scan';
import { installVulnDb, loadVulnDb } from '../../server/sitescan/vulnDb';
import type { Command } from '../io';
import { UsageError, writeLine } from '../io';

const usage = `Usage: munjigi sitescan URL [options]
       munjigi sitescan update-vulndb FILE

  --proxy URL            시험용: 루프백의 HTTP 프록시로 접속 (예: http://127.0.0.1:8080)
  --baseline FILE        저장된 기준선과 비교해 변조를 검사
  --save-baseline FILE   이번 검사 결과를 기준선으로 저장
  --blocklist FILE       악성 호스트 목록 (한 줄에 호스트 하나)
  --chromium PATH        Chromium 실행 파일 (기본 /usr/bin/chromium)
  --max-pages N          검사할 최대 페이지 수 (1–20, 기본 4)
  --preopen              개설 전 점검도 실행 (HTTPS, 보안 헤더, 혼합 콘텐츠, 취약한 JS 라이브러리)
  --json                 JSON 보고서 출력

update-vulndb FILE: retire.js jsrepository.json 형식의 취약 라이브러리 목록을 검증해 설치
  ($MUNJIGI_SITESCAN_VULNDB 또는 .munjigi-data/sitescan/jsrepository.json)

Exit: 0 정상, 1 의심 또는 악성, 2 검사 불가`;

const MAX_FILE = 50 * 1024 * 1024;

async function readSmall(path: string, code: string, what: string): Promise<string> {
  try {
    const text = await readFile(path, 'utf8');
    if (text.length > MAX_FILE) throw new Error('too large');
    return text;
  } catch {
    throw new CodedError(code, `${what} 파일을 읽을 수 없습니다: ${path.slice(0, 200)}`);
  }
}

/** The report as JSON: scripts without their code, screenshots as hashes. */
export function reportJson(r: ScanReport) {
  const { screenshots: _s, baseline: _b, ...rest } = r;
  return rest;
}

export const command: Command = {
  name: 'sitescan',
  summary: 'scan a clinic homepage for injected malware (홈페이지 악성코드 점검)',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        proxy: { type: 'string' },
        baseline: { type: 'string' },
        'save-baseline': { type: 'string' },
        blocklist: { type: 'string' },
        chromium: { type: 'string' },
        'max-pages': { type: 'string' },
        preopen: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
    });
    if (positionals[0] === 'update-vulndb') {
      if (positionals.length !== 2) throw new UsageError('BAD_ARGUMENTS', '설치할 취약 라이브러리 목록 파일을 하나 지정하세요: munjigi sitescan update-vulndb FILE');
      const installed = installVulnDb(positionals[1] ?? '', io.env, io.cwd);
      writeLine(io.stdout, `취약 라이브러리 목록을 설치했습니다: 라이브러리 ${installed.libraries}개 → ${installed.path}`);
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError('BAD_ARGUMENTS', '검사할 홈페이지 주소를 하나 입력하세요.');
    const url = positionals[0] ?? '';
    let maxPages: number | undefined;
    if (values['max-pages'] !== undefined) {
      maxPages = Number(values['max-pages']);
      if (!Number.isInteger(maxPages) || maxPages < 1 || maxPages > 20) throw new UsageError('BAD_OPTION', '--max-pages 는 1에서 20 사이의 정수여야 합니다.');
    }
    const at = (p: string) => resolvePath(io.cwd, p);
    const baseline = values.baseline ? parseBaseline(await readSmall(at(values.baseline), 'BASELINE_UNREADABLE', '기준선')) : undefined;
    const blocklist = values.blocklist ? parseBlocklist(await readSmall(at(values.blocklist), 'BLOCKLIST_UNREADABLE', '악성 호스트 목록')) : undefined;
    const logger = createLogger({ level: 'warn', write: (l) => writeLine(io.stderr, l) });
    const report = await scanOrCode({
      url,
      clock: Date.now,
      logger,
      ...(values.proxy ? { proxy: values.proxy } : {}),
      ...(values.chromium ? { executablePath: values.chromium } : {}),
      ...(baseline ? { baseline } : {}),
      ...(blocklist ? { blocklist } : {}),
      ...(maxPages ? { limits: { maxPages } } : {}),
      ...(values.preopen ? { preopen: loadVulnDb(io.env, io.cwd) } : {}),
    });
    if (values['save-baseline']) {
      try {
        await writeFile(at(values['save-baseline']), JSON.stringify(report.baseline), { mode: 0o600 });
      } catch {
        throw new CodedError('BASELINE_UNWRITABLE', `기준선 파일을 저장할 수 없습니다: ${values['save-baseline'].slice(0, 200)}`);
      }
    }
    if (values.json) writeLine(io.stdout, JSON.stringify(reportJson(report), null, 2));
    else {
      writeLine(io.stdout, summaryKo({ ...report, pages: report.pages.length }));
      if (report.preopen) writeLine(io.stdout, preopenKo(report.preopen));
    }
    return report.verdict === 'clean' ? 0 : 1;
  },
};

/** Anything unexpected while scanning is still "could not scan" (exit 2), with a code. */
async function scanOrCode(opts: Parameters<typeof scanSite>[0]): Promise<ScanReport> {
  try {
    return await scanSite(opts);
  } catch (err) {
    if (err instanceof CodedError) throw err;
    throw new CodedError('SCAN_FAILED', `검사 중 오류가 나서 끝까지 검사하지 못했습니다: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]?.slice(0, 160)}`);
  }
}

/** The pre-opening check for people: one line per finding, worst first. */
export function preopenKo(p: PreopenResult): string {
  const rank = { high: 0, medium: 1, low: 2 } as const;
  const label = { high: '높음', medium: '보통', low: '낮음' } as const;
  const lines = [
    `개설 전 점검: HTTPS ${p.https.available ? (p.https.certificateValid ? '정상' : '인증서 오류') : '없음'}${p.https.tlsIssuer ? ` (발급자 ${p.https.tlsIssuer})` : ''}, 항목 ${p.findings.length}개`,
    ...[...p.findings].sort((a, b) => rank[a.severity] - rank[b.severity]).map((f) => `  [${label[f.severity]}] ${f.ruleId}: ${f.evidence}`),
  ];
  return lines.join('\n');
}
