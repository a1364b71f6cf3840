// Runs in the central API (Node, `munjigi server`). Turns environment settings into the running
// homepage-security service: the routes (only when outgoing mail is configured, since
// registration needs the emailed code) and, when asked, this process's scan worker.
import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../core/clock';
import type { Logger } from '../../core/log';
import { CodedError } from '../../shared/envelope';
import type { ServerDb } from '../db/open';
import { DEFAULT_CHROMIUM } from '../sitescan';
import { browserSiteScan } from './index';
import { createSmtpMailer } from './mailer';
import type { SmtpOptions } from './mailer';
import { sitescanDb } from './registration';
import { sitescanRoutes } from './routes';
import { createScheduler } from './scheduler';

export interface SitescanConfig {
  smtp: SmtpOptions;
  /** Run the scan worker in this API process (MUNJIGI_SITESCAN_WORKER=1). */
  worker: boolean;
  concurrency: number;
  suspendAfterDays: number;
  chromium: string;
}

const int = (env: NodeJS.ProcessEnv, name: string, def: number, min: number, max: number): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (!/^\d{1,6}$/.test(raw) || Number(raw) < min || Number(raw) > max) throw new CodedError('CONFIG_INVALID', `${name} 값이 올바르지 않습니다 (${min}~${max} 사이의 정수).`);
  return Number(raw);
};

/** Reads MUNJIGI_SMTP_* and MUNJIGI_SITESCAN_*; undefined when no SMTP host is set (service off). */
export function sitescanConfigFromEnv(env: NodeJS.ProcessEnv): SitescanConfig | undefined {
  const host = env.MUNJIGI_SMTP_HOST;
  if (!host) return undefined;
  const from = env.MUNJIGI_MAIL_FROM;
  if (!from) throw new CodedError('CONFIG_INVALID', 'MUNJIGI_MAIL_FROM(보내는 사람 주소)을 설정해 주세요.');
  const port = int(env, 'MUNJIGI_SMTP_PORT', 587, 1, 65535);
  return {
    smtp: {
      host,
      port,
      secure: port === 465,
      // Plain SMTP only when explicitly allowed (a relay on this machine).
      requireTls: env.MUNJIGI_SMTP_INSECURE !== '1',
      ...(env.MUNJIGI_SMTP_USER ? { user: env.MUNJIGI_SMTP_USER, pass: env.MUNJIGI_SMTP_PASS ?? '' } : {}),
      from,
    },
    worker: env.MUNJIGI_SITESCAN_WORKER === '1',
    concurrency: int(env, 'MUNJIGI_SITESCAN_CONCURRENCY', 2, 1, 16),
    suspendAfterDays: int(env, 'MUNJIGI_SITESCAN_SUSPEND_DAYS', 14, 1, 365),
    chromium: env.MUNJIGI_CHROMIUM || DEFAULT_CHROMIUM,
  };
}

export interface SitescanService {
  routes: (app: FastifyInstance) => void;
  start(): void;
  stop(): Promise<void>;
}

export function createSitescanService(config: SitescanConfig, deps: { db: ServerDb; clock: Clock; logger: Logger }): SitescanService {
  const mailer = createSmtpMailer(config.smtp);
  const routes = sitescanRoutes({ db: deps.db.db, clock: deps.clock, mailer, logger: deps.logger, suspendAfterDays: config.suspendAfterDays });
  const scheduler = config.worker
    ? createScheduler({
        db: sitescanDb(deps.db.db),
        engine: deps.db.engine,
        clock: deps.clock,
        logger: deps.logger,
        mailer,
        scan: browserSiteScan({ clock: deps.clock, logger: deps.logger, executablePath: config.chromium }),
        workerId: `${hostname()}:${process.pid}`,
        concurrency: config.concurrency,
        suspendAfterDays: config.suspendAfterDays,
      })
    : undefined;
  return {
    routes,
    start: () => scheduler?.start(),
    async stop() {
      await scheduler?.stop();
      mailer.close();
    },
  };
}
