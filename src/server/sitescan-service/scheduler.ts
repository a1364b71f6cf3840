// Runs in the central API (Node, one or more worker processes). The scan scheduler: jobs live in
// the database (one row per site) so workers on several machines share them. A worker claims due
// jobs atomically (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: one UPDATE … RETURNING), runs at
// most `concurrency` scans and one per host, retries transient failures with backoff, raises an
// availability alert when a site stays down, and reschedules 2–3 scans a day with jitter.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Clock } from '../../core/clock';
import { DAY_MS } from '../../core/clock';
import type { Logger } from '../../core/log';
import type { Engine } from '../db/open';
import type { Baseline, Finding, Indicators, Verdict } from '../sitescan';
import type { ScanEvidence } from './evidence';
import { loadBaseline, saveBaseline, saveEvidence } from './evidence';
import { recordMaliciousHosts, registeredHosts } from './hostRegister';
import type { FollowupDeps } from './followup';
import { checkDeadlines, followUpScan, notify } from './followup';
import type { Mailer } from './mailer';
import type { SitescanDb } from './registration';

export interface SiteScanInput {
  siteId: string;
  url: string;
  blocklist: string[];
  /** The site's saved baseline (tampering and defacement are judged against it). */
  baseline?: Baseline;
  /** Also run the pre-opening check (a new site's first scans). */
  preopen?: boolean;
}
export interface SiteScanOutcome {
  verdict: Verdict;
  findings: Finding[];
  indicators: Indicators;
  /** The baseline made from this scan; saved when the scan is clean. */
  baseline?: Baseline;
  /** Screenshot and pages visited, stored for the app's report. */
  evidence?: Pick<ScanEvidence, 'screenshotPng' | 'pages'>;
  preopen?: unknown;
}
/** What the scheduler needs from a scan; the real one wraps `scanSite`. Throws a CodedError when it cannot scan. */
export type SiteScan = (input: SiteScanInput) => Promise<SiteScanOutcome>;

/** Failures that are ours, not the site's: retried, but never counted as the site being down. */
const INFRA_CODES = new Set(['BROWSER_UNAVAILABLE', 'INTERNAL']);

export interface SchedulerOptions {
  db: SitescanDb;
  engine: Engine;
  clock: Clock;
  logger: Logger;
  mailer: Mailer;
  scan: SiteScan;
  /** Names this worker in job locks and results (host name + pid in production). */
  workerId: string;
  /** Scans running at once in this worker. */
  concurrency?: number;
  scansPerDay?: number;
  /** ± this much random shift of each next scan, so sites do not move in lockstep. */
  jitterMs?: number;
  /** How long a claim holds; a worker that dies loses its jobs to others after this. */
  leaseMs?: number;
  /** Retries of a failed scan before waiting for the next regular slot. */
  maxRetries?: number;
  retryBaseMs?: number;
  /** Failed scans in a row before the availability alert. */
  downAlertAfter?: number;
  suspendAfterDays?: number;
  random?: () => number;
}

export interface ClaimedJob {
  site_id: string;
  host: string;
  attempts: number;
}

export interface SitescanScheduler {
  /** Claims up to `n` due jobs for this worker (one per host). */
  claim(n: number): Promise<ClaimedJob[]>;
  /** Claims and runs due jobs up to the concurrency limit; resolves when they are done. */
  runDue(): Promise<number>;
  /** One round: deadlines and pending notices, then due scans. */
  tick(): Promise<number>;
  /** Polls every `intervalMs` until stop(). */
  start(intervalMs?: number): void;
  stop(): Promise<void>;
}

export function createScheduler(opts: SchedulerOptions): SitescanScheduler {
  const { db, engine, clock, logger, workerId } = opts;
  const concurrency = Math.max(1, opts.concurrency ?? 2);
  const scansPerDay = Math.min(3, Math.max(2, opts.scansPerDay ?? 3));
  const jitterMs = opts.jitterMs ?? 60 * 60_000;
  const leaseMs = opts.leaseMs ?? 15 * 60_000;
  const maxRetries = opts.maxRetries ?? 3;
  const retryBaseMs = opts.retryBaseMs ?? 5 * 60_000;
  const downAlertAfter = opts.downAlertAfter ?? 3;
  const random = opts.random ?? Math.random;
  const followDeps: FollowupDeps = { db, clock, mailer: opts.mailer, logger, suspendAfterDays: opts.suspendAfterDays ?? 14 };

  const nextRegular = (now: number) => Math.round(now + DAY_MS / scansPerDay + (random() * 2 - 1) * jitterMs);

  async function claim(n: number): Promise<ClaimedJob[]> {
    const now = clock();
    const until = now + leaseMs;
    const lockClause = engine === 'pg' ? sql`FOR UPDATE SKIP LOCKED` : sql``;
    // A job is free when unlocked or its lease ran out; its host must have no live claim.
    const result = await sql<ClaimedJob>`
      UPDATE sitescan_jobs SET locked_by = ${workerId}, locked_until = ${until}
      WHERE site_id IN (
        SELECT j.site_id FROM sitescan_jobs j
        WHERE j.due_at <= ${now} AND (j.locked_until IS NULL OR j.locked_until < ${now})
          AND NOT EXISTS (SELECT 1 FROM sitescan_jobs o WHERE o.host = j.host AND o.site_id <> j.site_id AND o.locked_until >= ${now})
        ORDER BY j.due_at, j.site_id LIMIT ${n} ${lockClause})
      RETURNING site_id, host, attempts`.execute(db);
    // Two due sites on one host in the same batch: keep the first, give the others back.
    // Then, after our claim is committed, give a job back if another claim on its host is live:
    // two workers claiming at once may both pass the NOT EXISTS above (snapshots), but whichever
    // checks second sees the other's committed claim, so two never keep the same host.
    const seen = new Set<string>();
    const keep: ClaimedJob[] = [];
    for (const job of result.rows) {
      const rival = seen.has(job.host)
        ? true
        : await db
            .selectFrom('sitescan_jobs')
            .select('site_id')
            .where('host', '=', job.host)
            .where('site_id', '!=', job.site_id)
            .where('locked_until', '>=', now)
            .executeTakeFirst();
      if (rival) {
        await release(job.site_id, undefined);
        continue;
      }
      seen.add(job.host);
      keep.push({ site_id: job.site_id, host: job.host, attempts: Number(job.attempts) });
    }
    return keep;
  }

  async function release(siteId: string, set: { due_at: number; attempts: number } | undefined): Promise<void> {
    await db
      .updateTable('sitescan_jobs')
      .set({ locked_by: null, locked_until: null, ...(set ?? {}) })
      .where('site_id', '=', siteId)
      .where('locked_by', '=', workerId)
      .execute();
  }

  async function runJob(job: ClaimedJob): Promise<void> {
    const site = await db.selectFrom('sitescan_sites').selectAll().where('id', '=', job.site_id).executeTakeFirst();
    if (!site || site.status === 'suspended' || site.status === 'applied') {
      await db.deleteFrom('sitescan_jobs').where('site_id', '=', job.site_id).where('locked_by', '=', workerId).execute();
      return;
    }
    const started = clock();
    let report: SiteScanOutcome | undefined;
    let errorCode = 'INTERNAL';
    const stored = await loadBaseline(db, site.id);
    try {
      report = await opts.scan({
        siteId: site.id,
        url: site.url,
        blocklist: await registeredHosts(db),
        ...(stored ? { baseline: stored.baseline } : {}),
        // a new site (not yet scanned successfully) gets the pre-opening check
        preopen: site.status === 'verified',
      });
    } catch (err) {
      errorCode = err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : 'INTERNAL';
    }
    const finished = clock();
    const resultId = randomUUID();
    await db
      .insertInto('sitescan_results')
      .values({
        id: resultId,
        site_id: site.id,
        started_at: started,
        finished_at: finished,
        outcome: report ? report.verdict : 'failed',
        error_code: report ? null : errorCode,
        findings: JSON.stringify(report?.findings ?? []),
        worker: workerId,
      })
      .execute();

    if (report) {
      await keepEvidence(site.id, site.followup, resultId, report, stored !== null, finished);
      await db
        .updateTable('sitescan_sites')
        .set({ last_scan_at: finished, last_outcome: report.verdict, consecutive_failures: 0, down_alerted: 0, ...(site.status === 'verified' ? { status: 'monitoring' as const } : {}) })
        .where('id', '=', site.id)
        .execute();
      if (site.down_alerted) {
        await notify(followDeps, site, 'recovered', '홈페이지 접속이 다시 정상입니다', `${site.clinic_name} 홈페이지(${site.url})에 다시 접속되어 점검을 계속합니다.`);
      }
      if (report.verdict !== 'clean') await recordMaliciousHosts(db, clock, site.id, report.indicators);
      await followUpScan(followDeps, site, report.verdict, report.findings);
      await release(site.id, { due_at: nextRegular(finished), attempts: 0 });
      logger.info('sitescan scan done', { siteId: site.id, verdict: report.verdict, findings: report.findings.length });
      return;
    }

    const siteFault = !INFRA_CODES.has(errorCode);
    const failures = site.consecutive_failures + (siteFault ? 1 : 0);
    const alertNow = siteFault && failures >= downAlertAfter && !site.down_alerted;
    await db
      .updateTable('sitescan_sites')
      .set({ last_scan_at: finished, last_outcome: 'failed', consecutive_failures: failures, ...(alertNow ? { down_alerted: 1 } : {}) })
      .where('id', '=', site.id)
      .execute();
    if (alertNow) {
      await notify(
        followDeps,
        site,
        'availability',
        '홈페이지에 접속할 수 없습니다',
        `${site.clinic_name} 홈페이지(${site.url})에 ${failures}번 연속으로 접속하지 못했습니다 (${errorCode}). 서버·도메인·인증서 상태를 확인해 주세요. 접속이 되면 점검을 이어 갑니다.`,
      );
    }
    const attempts = job.attempts + 1;
    // Backoff 5, 10, 20 min (with up to 20 % jitter); after that, wait for the next regular slot.
    const due = attempts <= maxRetries ? finished + Math.round(retryBaseMs * 2 ** (attempts - 1) * (1 + random() * 0.2)) : nextRegular(finished);
    await release(site.id, { due_at: due, attempts: attempts <= maxRetries ? attempts : 0 });
    logger.warn('sitescan scan failed', { siteId: site.id, code: errorCode, attempts });
  }

  /**
   * The scan's evidence for the report, and the baseline: saved after the first clean scan,
   * after a clean 조치완료 re-check, and after any later clean scan (an ordinary content update
   * the comparison tolerated). A scan with findings never becomes the baseline. Storage
   * trouble is logged and does not fail the scan.
   */
  async function keepEvidence(siteId: string, followup: string, resultId: string, report: SiteScanOutcome, hadBaseline: boolean, now: number) {
    try {
      if (report.evidence || report.preopen !== undefined) {
        await saveEvidence(db, { resultId, siteId, screenshotPng: report.evidence?.screenshotPng ?? null, pages: report.evidence?.pages ?? [], preopen: report.preopen ?? null }, now);
      }
      if (report.verdict === 'clean' && report.baseline) {
        const reason = !hadBaseline ? 'first_clean' : followup === 'remediated' ? 'remediated' : 'content_update';
        await saveBaseline(db, siteId, report.baseline, reason, resultId, now);
      }
    } catch (err) {
      logger.warn('sitescan evidence not stored', { siteId, error: err instanceof Error ? err.message.slice(0, 200) : 'unknown' });
    }
  }

  async function runDue(): Promise<number> {
    const jobs = await claim(concurrency);
    await Promise.all(
      jobs.map((job) =>
        runJob(job).catch(async (err: unknown) => {
          logger.error('sitescan job crashed', { siteId: job.site_id, error: err instanceof Error ? err.message.slice(0, 200) : 'unknown' });
          await release(job.site_id, { due_at: clock() + retryBaseMs, attempts: job.attempts + 1 }).catch(() => undefined);
        }),
      ),
    );
    return jobs.length;
  }

  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = false;

  async function tick(): Promise<number> {
    await checkDeadlines(followDeps);
    return runDue();
  }

  return {
    claim,
    runDue,
    tick,
    start(intervalMs = 30_000) {
      stopped = false;
      const loop = () => {
        running = tick()
          .catch((err: unknown) => logger.error('sitescan tick failed', { error: err instanceof Error ? err.message.slice(0, 200) : 'unknown' }))
          .finally(() => {
            if (!stopped) timer = setTimeout(loop, intervalMs);
          });
      };
      loop();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
