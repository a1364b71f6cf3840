// Runs in the central API (Node). The homepage-security service's public surface: routes for the
// app, the worker's scheduler, the mailer, and the adapter from the scanner to the scheduler.
import type { Clock } from '../../core/clock';
import type { Logger } from '../../core/log';
import { parseBlocklist, scanSite } from '../sitescan';
import type { ScanOptions } from '../sitescan';
import type { SiteScan } from './scheduler';

export { sitescanRoutes, STATUS_LABEL } from './routes';
export type { SitescanRouteDeps } from './routes';
export { createScheduler } from './scheduler';
export type { SchedulerOptions, SitescanScheduler, SiteScan, ClaimedJob } from './scheduler';
export { createSmtpMailer } from './mailer';
export type { Mailer, MailMessage, SmtpOptions } from './mailer';
export { sitescanDb, registerSite, verifyEmail, resendCode, checkRegistration, checkHomepageUrl, nonHomepageKind, isMobilePhone, isOfficePhone } from './registration';
export type { RegistrationInput, SitescanDb } from './registration';
export { listMaliciousHosts, recordMaliciousHosts } from './hostRegister';
export type { MaliciousHost } from './hostRegister';
export { markRemediated, checkDeadlines, FOLLOWUP_LABEL, detectionText, remedyFor } from './followup';

/** The real scanner as the scheduler's scan: the register's hosts become the scan's blocklist. */
export function browserSiteScan(base: { clock: Clock; logger: Logger } & Pick<ScanOptions, 'executablePath' | 'proxy' | 'limits' | 'profiles' | 'resolve'>): SiteScan {
  return async ({ url, blocklist }) => {
    const report = await scanSite({ ...base, url, blocklist: parseBlocklist(blocklist.join('\n')) });
    return { verdict: report.verdict, findings: report.findings, indicators: report.indicators };
  };
}
