// Runs in the central API (Node). The homepage-security service's public surface: routes for the
// app, the worker's scheduler, the mailer, and the adapter from the scanner to the scheduler.
import type { Clock } from '../../core/clock';
import type { Logger } from '../../core/log';
import { loadVulnDb, parseBlocklist, scanSite } from '../sitescan';
import type { ScanOptions, VulnDb } from '../sitescan';
import { evidenceFromReport } from './evidence';
import type { SiteScan } from './scheduler';

export { sitescanRoutes, STATUS_LABEL } from './routes';
export type { SitescanRouteDeps } from './routes';
export { createScheduler } from './scheduler';
export type { SchedulerOptions, SitescanScheduler, SiteScan, SiteScanInput, SiteScanOutcome, ClaimedJob } from './scheduler';
export { saveEvidence, loadEvidence, loadBaseline, saveBaseline, evidenceFromReport, capEvidence, EVIDENCE_LIMITS } from './evidence';
export type { ScanEvidence, EvidencePage, EvidenceRequest, StoredBaseline } from './evidence';
export { createSmtpMailer } from './mailer';
export type { Mailer, MailMessage, SmtpOptions } from './mailer';
export { sitescanDb, registerSite, verifyEmail, resendCode, checkRegistration, checkHomepageUrl, nonHomepageKind, isMobilePhone, isOfficePhone } from './registration';
export type { RegistrationInput, SitescanDb } from './registration';
export { listMaliciousHosts, recordMaliciousHosts } from './hostRegister';
export type { MaliciousHost } from './hostRegister';
export { markRemediated, checkDeadlines, FOLLOWUP_LABEL, detectionText, remedyFor } from './followup';

/**
 * The real scanner as the scheduler's scan: the register's hosts become the scan's blocklist,
 * the site's saved baseline is compared against, a new site also gets the pre-opening check
 * (vulnerable-library data: the installed update if any, else the shipped file), and the
 * report's screenshot and pages go back as evidence.
 */
export function browserSiteScan(
  base: { clock: Clock; logger: Logger; vulnDb?: () => VulnDb } & Pick<ScanOptions, 'executablePath' | 'proxy' | 'limits' | 'profiles' | 'resolve'>,
): SiteScan {
  const { vulnDb = () => loadVulnDb(), ...scanBase } = base;
  return async ({ url, blocklist, baseline, preopen }) => {
    const report = await scanSite({
      ...scanBase,
      url,
      blocklist: parseBlocklist(blocklist.join('\n')),
      ...(baseline ? { baseline } : {}),
      ...(preopen ? { preopen: vulnDb() } : {}),
    });
    return {
      verdict: report.verdict,
      findings: report.findings,
      indicators: report.indicators,
      baseline: report.baseline,
      evidence: evidenceFromReport(report),
      ...(report.preopen ? { preopen: report.preopen } : {}),
    };
  };
}
