// Runs in Node (the `munjigi server` command). Opens the database, creates the authority on
// first start, optionally builds the demo world, listens, and purges old entries hourly.
import type { FastifyInstance } from 'fastify';
import { dirname, join, resolve } from 'node:path';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/log';
import { accountsConfigFromEnv } from './accounts/config';
import { createServer } from './app';
import type { ServerOptions } from './app';
import { issueApiToken } from './auth';
import type { Role } from './auth';
import { openServerDb } from './db/open';
import type { DbTarget, ServerDb } from './db/open';
import { demoIssuerRoutes } from './demo/issuerPage';
import { setupDemo } from './demo/setup';
import { ensureAuthority } from './trust';
import { createSitescanService, sitescanConfigFromEnv } from './sitescan-service/config';
import type { DemoWorld } from './demo/setup';

export const RETENTION_INTERVAL_MS = 3_600_000;

export interface StartOptions {
  target: DbTarget;
  host: string;
  port: number;
  demo: boolean;
  clock: Clock;
  logger: Logger;
  /** Where demo issuer keys live (default: beside the SQLite file, or ./munjigi-demo). */
  demoDir?: string;
  /** 공동인증서 trust anchors etc. for staff accounts (docs/accounts.md); none = every certificate refused. */
  accounts?: ServerOptions['accounts'];
}

export interface RunningServer {
  app: FastifyInstance;
  db: ServerDb;
  url: string;
  demo: DemoWorld | null;
  close(): Promise<void>;
}

export const defaultDemoDir = (target: DbTarget, cwd: string) =>
  'file' in target ? join(dirname(resolve(cwd, target.file)), 'munjigi-demo') : join(cwd, 'munjigi-demo');

export async function startServer(opts: StartOptions): Promise<RunningServer> {
  const db = await openServerDb(opts.target);
  try {
    // The demo issuers go into the signed list, so the authority must exist first.
    await ensureAuthority(db.db, opts.clock);
    const sitescanConfig = sitescanConfigFromEnv(process.env);
    const sitescan = sitescanConfig ? createSitescanService(sitescanConfig, { db, clock: opts.clock, logger: opts.logger }) : undefined;
    const demo = opts.demo ? await setupDemo(db.db, opts.clock, opts.demoDir ?? defaultDemoDir(opts.target, process.cwd())) : null;
    const app = await createServer({
      db,
      clock: opts.clock,
      logger: opts.logger,
      plugins: [...(demo ? [demoIssuerRoutes({ issuerKeys: demo.issuerKeys, clock: opts.clock })] : []), ...(sitescan ? [sitescan.routes] : [])],
      accounts: opts.accounts ?? accountsConfigFromEnv(process.env),
    });
    const purge = async () => {
      try {
        const res = await app.entryStore.purge();
        opts.logger.info('retention purge', res);
        // Pending role requests older than 30 days expire on the same hourly beat.
        await app.accounts.expirePending();
      } catch (err) {
        opts.logger.error('retention purge failed', { error: err instanceof Error ? err.message : String(err) });
      }
    };
    await purge();
    const timer = setInterval(() => void purge(), RETENTION_INTERVAL_MS);
    timer.unref();
    await app.listen({ host: opts.host, port: opts.port });
    sitescan?.start();
    const addr = app.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : opts.port;
    const url = `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}`;
    return {
      app,
      db,
      url,
      demo,
      async close() {
        clearInterval(timer);
        await sitescan?.stop();
        await app.close();
        await db.close();
      },
    };
  } catch (err) {
    await db.close();
    throw err;
  }
}

/** `munjigi server token`: issues a bearer token for a person; printed once, stored hashed. */
export async function issueToken(target: DbTarget, clock: Clock, role: Role, name: string) {
  const db = await openServerDb(target);
  try {
    return await issueApiToken(db.db, clock, role, name);
  } finally {
    await db.close();
  }
}
