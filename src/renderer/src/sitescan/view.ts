// Runs in the renderer. Pure view helpers of the 홈페이지 보안점검 screens: a site's status badge
// (words + icon + colour, never colour alone), the follow-up steps, and the scan-history chart's
// geometry, so they can be tested without a browser.
import type { SiteSummary } from '../../../shared/sitescanApp';
import type { SitescanUiKey } from '../i18n/text';

export type BadgeTone = 'ok' | 'pending' | 'warn' | 'danger' | 'off';
export interface Badge {
  key: SitescanUiKey;
  icon: string;
  tone: BadgeTone;
}

/** The badge for a site: the follow-up state wins over the registration status once monitoring. */
export function siteBadge(site: Pick<SiteSummary, 'status' | 'followup' | 'lastOutcome'>): Badge {
  if (site.status === 'suspended' || site.followup === 'suspended') return { key: 'badge_suspended', icon: '⛔', tone: 'off' };
  if (site.status === 'applied') return { key: 'badge_applied', icon: '✉', tone: 'pending' };
  if (site.followup === 'detected' || site.followup === 'action_requested') return { key: 'badge_action', icon: '⚠', tone: 'danger' };
  if (site.followup === 'remediated') return { key: 'badge_remediated', icon: '↻', tone: 'warn' };
  if (site.status === 'verified') return { key: 'badge_verified', icon: '⏳', tone: 'pending' };
  if (site.lastOutcome === 'failed') return { key: 'badge_failing', icon: '⚡', tone: 'warn' };
  return { key: 'badge_monitoring', icon: '✔', tone: 'ok' };
}

/** 신청 → 이메일 인증 → 모니터링 중: how many steps are done (1–3); 0 when stopped. */
export function registrationStep(status: SiteSummary['status']): 0 | 1 | 2 | 3 {
  return status === 'applied' ? 1 : status === 'verified' ? 2 : status === 'monitoring' ? 3 : 0;
}

/** The follow-up path as shown: 탐지 → 조치요청 → 조치완료(재점검) → 정상, or 서비스 중단. */
export const FOLLOWUP_STEPS = [
  { state: 'detected', key: 'fuDetected' },
  { state: 'action_requested', key: 'fuRequested' },
  { state: 'remediated', key: 'fuRemediated' },
  { state: 'normal', key: 'fuNormal' },
] as const satisfies ReadonlyArray<{ state: SiteSummary['followup']; key: SitescanUiKey }>;

/** 조치 완료 can be pressed while the clinic has been asked to act. */
export const canMarkRemediated = (followup: SiteSummary['followup']): boolean => followup === 'detected' || followup === 'action_requested';

export const OUTCOME_COLOUR = { clean: '#188038', suspicious: '#e37400', malicious: '#c5221f', failed: '#5f6368' } as const;

export interface ChartBar {
  resultId: string;
  x: number;
  y: number;
  width: number;
  height: number;
  outcome: keyof typeof OUTCOME_COLOUR;
  findings: number;
  startedAt: number;
}

/**
 * Scan history as bars, oldest left: height = number of findings (a clean scan a short stub,
 * a failed one a full-height grey hatch), colour = outcome. Width and height in SVG units.
 */
export function historyBars(
  results: ReadonlyArray<{ resultId: string; startedAt: number; outcome: keyof typeof OUTCOME_COLOUR; findings: readonly unknown[] }>,
  width: number,
  height: number,
): { bars: ChartBar[]; maxFindings: number } {
  const ordered = [...results].sort((a, b) => a.startedAt - b.startedAt);
  const maxFindings = Math.max(1, ...ordered.map((r) => r.findings.length));
  const slot = ordered.length ? width / ordered.length : width;
  const barWidth = Math.max(1, Math.min(24, slot * 0.7));
  const stub = Math.max(2, height * 0.04);
  const bars = ordered.map((r, i) => {
    const h = r.outcome === 'failed' ? height : r.findings.length === 0 ? stub : Math.max(stub, (r.findings.length / maxFindings) * height);
    return { resultId: r.resultId, x: i * slot + (slot - barWidth) / 2, y: height - h, width: barWidth, height: h, outcome: r.outcome, findings: r.findings.length, startedAt: r.startedAt };
  });
  return { bars, maxFindings };
}

/** Seoul wall-clock time for display (the service runs in KST whatever the PC's zone). */
export function seoulTime(ms: number, withDate = true): string {
  const d = new Date(ms + 9 * 3_600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  const time = `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
  return withDate ? `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${time}` : time;
}
