// Runs in the central API (Node). What happens after a scan: in-app notices with an email copy,
// and the follow-up states 탐지 → 조치요청 → 조치완료(재점검) → 정상, or 서비스 중단 when the
// clinic does not act within the configured days.
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock';
import { DAY_MS } from '../../core/clock';
import type { Logger } from '../../core/log';
import type { FollowupState } from '../db/sitescanMigration';
import { ApiError } from '../errors';
import type { Finding, Verdict } from '../sitescan';
import type { Mailer } from './mailer';
import type { SitescanDb } from './registration';

export const FOLLOWUP_LABEL: Record<FollowupState, string> = {
  normal: '정상',
  detected: '탐지',
  action_requested: '조치요청',
  remediated: '조치완료(재점검)',
  suspended: '서비스 중단',
};

/** How to remove what each rule found, in words a clinic's web agency can act on. */
const REMEDY: Record<string, string> = {
  HIDDEN_IFRAME: '페이지 소스에서 숨겨진 iframe 태그를 찾아 삭제하고, 해당 파일을 수정한 관리자 계정의 비밀번호를 바꾸세요.',
  OBFUSCATED_JS: '난독화된 스크립트를 삭제하고 원본 파일로 복원하세요. 웹 서버의 다른 파일에도 같은 코드가 있는지 검색하세요.',
  RUNTIME_INJECTION: '외부 코드를 불러오는 스크립트를 찾아 삭제하고, 사용하는 게시판·플러그인을 최신 버전으로 업데이트하세요.',
  SCRIPT_AFTER_HTML: '문서 끝(</html>) 뒤에 덧붙은 스크립트를 삭제하세요. 같은 코드가 여러 파일에 삽입되는 경우가 많으니 서버 전체를 검색하세요.',
  DYNAMIC_FOREIGN_SCRIPT: '알 수 없는 외부 사이트에서 스크립트를 불러오는 코드를 삭제하세요.',
  FOREIGN_REDIRECT: '방문자를 다른 사이트로 넘기는 코드(.htaccess, meta refresh, 스크립트)를 찾아 삭제하세요.',
  CRYPTOMINER: '암호화폐 채굴 스크립트를 삭제하고 관리자 비밀번호를 바꾸세요.',
  HIDDEN_SPAM_LINKS: '숨겨진 도박·의약품 스팸 링크를 삭제하고, 게시판의 스팸 글과 관리자 계정을 점검하세요.',
  FORM_SKIMMER: '입력 양식의 내용을 외부로 보내는 스크립트를 즉시 삭제하세요. 개인정보 유출 가능성이 있으니 신고를 검토하세요.',
  DRIVE_BY_DOWNLOAD: '방문만으로 파일을 내려받게 하는 코드를 삭제하세요.',
  EXECUTABLE_ATTACHMENT: '게시판의 실행 파일·스크립트 첨부파일과 그 게시글을 삭제하고, 글을 올린 계정을 점검하세요.',
  CLOAKING: '방문 경로(검색엔진, 모바일)에 따라 다른 내용을 보여 주는 코드(.htaccess, 서버 스크립트)를 찾아 삭제하세요.',
  BLOCKLISTED_HOST: '악성코드 유포지로 알려진 사이트를 부르는 코드를 삭제하세요.',
  DEFACEMENT: '변조된 페이지를 백업본으로 복원하고 관리자 계정과 서버 접근 기록을 점검하세요.',
  NEW_EXTERNAL_SCRIPT: '새로 추가된 외부 스크립트가 의도한 것인지 확인하고, 아니라면 삭제하세요.',
  SCRIPT_CHANGED: '바뀐 스크립트 파일이 의도한 수정인지 확인하고, 아니라면 원본으로 복원하세요.',
  PAGE_CHANGED: '바뀐 내용이 의도한 수정인지 확인하세요.',
};
const GENERIC_REMEDY = '해당 코드를 삭제하고 홈페이지 관리 업체에 점검을 요청하세요.';
const MAX_FINDINGS_IN_NOTICE = 20;

export function remedyFor(ruleId: string): string {
  return REMEDY[ruleId] ?? GENERIC_REMEDY;
}

/** The notice text: what was found, where, and how to remove it. */
export function detectionText(clinicName: string, url: string, verdict: Verdict, findings: Finding[]): string {
  const lines = [
    `${clinicName} 홈페이지(${url}) 점검에서 ${verdict === 'malicious' ? '악성코드가 발견되었습니다' : '의심스러운 코드가 발견되었습니다'}.`,
    '',
    '발견된 내용:',
  ];
  for (const f of findings.slice(0, MAX_FINDINGS_IN_NOTICE)) {
    lines.push(`- [${f.severity}] ${f.ruleId}: ${f.evidence}`, `  위치: ${f.page}`, `  대상: ${f.resource}`, `  조치 방법: ${remedyFor(f.ruleId)}`);
  }
  if (findings.length > MAX_FINDINGS_IN_NOTICE) lines.push(`(그 밖에 ${findings.length - MAX_FINDINGS_IN_NOTICE}건은 앱의 보고서에서 확인하세요.)`);
  lines.push('', '조치를 마친 뒤 앱에서 [조치 완료]를 누르면 바로 다시 점검합니다.');
  return lines.join('\n');
}

export interface FollowupDeps {
  db: SitescanDb;
  clock: Clock;
  mailer: Mailer;
  logger: Logger;
  /** Days the clinic has to act on a request before the service is stopped. */
  suspendAfterDays: number;
}

export interface SiteRef {
  id: string;
  clinic_name: string;
  url: string;
  email: string;
  followup: FollowupState;
}

/** Records an in-app notice and emails a copy; returns whether the email went out. */
export async function notify(deps: FollowupDeps, site: SiteRef, kind: string, title: string, body: string): Promise<boolean> {
  const id = randomUUID();
  await deps.db.insertInto('sitescan_notices').values({ id, site_id: site.id, at: deps.clock(), kind, title, body, emailed: 0 }).execute();
  return emailNotice(deps, { id, site_id: site.id, title, body }, site.email);
}

async function emailNotice(deps: FollowupDeps, n: { id: string; site_id: string; title: string; body: string }, to: string): Promise<boolean> {
  try {
    await deps.mailer.send({ to, subject: `[문지기 홈페이지 보안] ${n.title}`, text: n.body });
  } catch (err) {
    // The code only: SMTP error texts often quote the recipient's address.
    const code = err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : 'unknown';
    deps.logger.warn('sitescan notice email failed', { siteId: n.site_id, code });
    return false;
  }
  await deps.db.updateTable('sitescan_notices').set({ emailed: 1 }).where('id', '=', n.id).execute();
  return true;
}

async function setFollowup(deps: FollowupDeps, siteId: string, followup: FollowupState, since?: number): Promise<void> {
  await deps.db
    .updateTable('sitescan_sites')
    .set({ followup, ...(since === undefined ? {} : { followup_since: since }) })
    .where('id', '=', siteId)
    .execute();
}

/** Moves the follow-up state after a completed scan. */
export async function followUpScan(deps: FollowupDeps, site: SiteRef, verdict: Verdict, findings: Finding[]): Promise<FollowupState> {
  const now = deps.clock();
  if (verdict !== 'clean') {
    if (site.followup === 'action_requested' || site.followup === 'detected') return site.followup; // already asked; no mail 3 times a day
    const recheck = site.followup === 'remediated';
    await setFollowup(deps, site.id, 'detected', recheck ? undefined : now);
    const title = recheck ? '재점검 결과: 악성코드가 아직 남아 있습니다' : verdict === 'malicious' ? '홈페이지에서 악성코드가 탐지되었습니다' : '홈페이지에서 의심스러운 코드가 탐지되었습니다';
    const sent = await notify(deps, site, recheck ? 'recheck_failed' : 'detection', title, detectionText(site.clinic_name, site.url, verdict, findings));
    // 조치요청 once the clinic has actually been told (until then the mail is retried); the
    // deadline runs from the first detection, a failed re-check does not restart it.
    if (sent) await setFollowup(deps, site.id, 'action_requested');
    return sent ? 'action_requested' : 'detected';
  }
  if (site.followup === 'detected' || site.followup === 'action_requested' || site.followup === 'remediated') {
    await setFollowup(deps, site.id, 'normal', now);
    await notify(deps, site, 'resolved', '재점검 결과 정상입니다', `${site.clinic_name} 홈페이지(${site.url})를 다시 점검한 결과 악성코드가 발견되지 않았습니다. 모니터링을 계속합니다.`);
    return 'normal';
  }
  return site.followup;
}

export const followupErrors = {
  notRequested: () => new ApiError(409, 'NO_ACTION_REQUESTED', '조치 요청 중인 홈페이지가 아닙니다. 현재 상태를 확인해 주세요.'),
};

/** The clinic says it removed the code: 조치완료(재점검), and a re-scan is due now. */
export async function markRemediated(deps: FollowupDeps, siteId: string): Promise<FollowupState> {
  const now = deps.clock();
  const changed = await deps.db
    .updateTable('sitescan_sites')
    .set({ followup: 'remediated' })
    .where('id', '=', siteId)
    .where('followup', 'in', ['detected', 'action_requested'])
    .executeTakeFirst();
  if (Number(changed.numUpdatedRows) !== 1) throw followupErrors.notRequested();
  await deps.db.updateTable('sitescan_jobs').set({ due_at: now, attempts: 0 }).where('site_id', '=', siteId).execute();
  return 'remediated';
}

/** Stops the service for sites that did not act in time; retries notices whose email failed. */
export async function checkDeadlines(deps: FollowupDeps): Promise<string[]> {
  const now = deps.clock();
  const cutoff = now - deps.suspendAfterDays * DAY_MS;
  const late = await deps.db
    .selectFrom('sitescan_sites')
    .select(['id', 'clinic_name', 'url', 'email', 'followup'])
    .where('followup', '=', 'action_requested')
    .where('followup_since', '<=', cutoff)
    .execute();
  for (const site of late) {
    await deps.db.transaction().execute(async (trx) => {
      await trx.updateTable('sitescan_sites').set({ status: 'suspended', followup: 'suspended', followup_since: now }).where('id', '=', site.id).execute();
      await trx.deleteFrom('sitescan_jobs').where('site_id', '=', site.id).execute();
    });
    await notify(
      deps,
      site,
      'suspended',
      '보안 조치 미이행으로 점검 서비스가 중단되었습니다',
      `${site.clinic_name} 홈페이지(${site.url})에서 발견된 악성코드에 대한 조치가 ${deps.suspendAfterDays}일 안에 이루어지지 않아, 신청 시 동의하신 조건에 따라 점검 서비스를 중단합니다. 조치 후 다시 신청해 주세요.`,
    );
    deps.logger.info('sitescan site suspended', { siteId: site.id });
  }
  const pending = await deps.db
    .selectFrom('sitescan_notices as n')
    .innerJoin('sitescan_sites as s', 's.id', 'n.site_id')
    .select(['n.id', 'n.site_id', 'n.title', 'n.body', 's.email', 's.followup'])
    .where('n.emailed', '=', 0)
    .limit(50)
    .execute();
  for (const n of pending) {
    const sent = await emailNotice(deps, n, n.email);
    if (sent && n.followup === 'detected') await setFollowup(deps, n.site_id, 'action_requested');
  }
  return late.map((s) => s.id);
}
