// Runs in Node (tests and benchmarks). Starts Debian's PostgreSQL in a fresh temporary
// directory on a free loopback port, as the `postgres` user when run as root, and stops it.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CANDIDATE_BINS = ['/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin'];

export interface TestPostgres {
  /** postgres://postgres@127.0.0.1:PORT/postgres */
  url: string;
  port: number;
  /** Creates an empty database and returns its URL (one per test file keeps them apart). */
  createDatabase(name: string): string;
  stop(): void;
}

/** The directory holding initdb/pg_ctl, or undefined when PostgreSQL is not installed. */
export function postgresBinDir(): string | undefined {
  const fromEnv = process.env.MUNJIGI_PG_BIN;
  if (fromEnv && existsSync(join(fromEnv, 'pg_ctl'))) return fromEnv;
  return CANDIDATE_BINS.find((d) => existsSync(join(d, 'pg_ctl')) && existsSync(join(d, 'initdb')));
}

/** Why PG tests are skipped here, or undefined when they can run. */
export const postgresSkipReason = (): string | undefined =>
  postgresBinDir()
    ? undefined
    : 'PostgreSQL binaries not found (/usr/lib/postgresql/*/bin); install Debian package postgresql to run the PostgreSQL server tests';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** `durable: true` keeps fsync and synchronous_commit on (benchmarks); tests run without them. */
export async function startPostgres(opts: { durable?: boolean } = {}): Promise<TestPostgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error(postgresSkipReason());
  const root = mkdtempSync(join(tmpdir(), 'munjigi-pg-'));
  const data = join(root, 'data');
  const sock = join(root, 'sock');
  const isRoot = process.getuid?.() === 0;
  // initdb refuses to run as root: hand the directory to postgres and run as that user.
  const run = (cmd: string, args: string[]) => {
    const full = join(bin, cmd);
    if (isRoot) execFileSync('runuser', ['-u', 'postgres', '--', full, ...args], { stdio: 'pipe' });
    else execFileSync(full, args, { stdio: 'pipe' });
  };
  if (isRoot) {
    chownSync(root, uidOf('postgres'), gidOf('postgres'));
  }
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '-N']);
  if (isRoot) execFileSync('runuser', ['-u', 'postgres', '--', 'mkdir', sock]);
  else execFileSync('mkdir', [sock]);
  let port = 0;
  let started = false;
  let lastError = '';
  for (let attempt = 0; attempt < 5 && !started; attempt++) {
    port = await freePort();
    try {
      run('pg_ctl', ['-D', data, '-l', join(root, 'log'), '-w', '-t', '30', '-o', serverOptions(port, sock, opts.durable ?? false), 'start']);
      started = true;
    } catch (err) {
      // port taken between probe and bind: try another
      lastError = err instanceof Error ? err.message : String(err);
    }
  }
  if (!started) {
    rmSync(root, { recursive: true, force: true });
    throw new Error(`PostgreSQL did not start: ${lastError}`);
  }
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    port,
    createDatabase(name: string) {
      if (!/^[a-z_][a-z0-9_]{0,40}$/.test(name)) throw new Error('bad database name');
      const psql = join(bin, 'psql');
      spawnSync(psql, ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-c', `CREATE DATABASE ${name}`], { stdio: 'pipe' });
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}

// Loopback only and our own socket directory. Tests run throwaway clusters without
// durability (faster); benchmarks ask for the real thing so their figures mean something.
function serverOptions(port: number, sock: string, durable: boolean): string {
  return [
    `-p ${port}`,
    `-k ${sock}`,
    `-c listen_addresses=127.0.0.1`,
    ...(durable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
    '-c max_connections=60',
  ].join(' ');
}

function uidOf(user: string): number {
  return Number(execFileSync('id', ['-u', user]).toString().trim());
}
function gidOf(user: string): number {
  return Number(execFileSync('id', ['-g', user]).toString().trim());
}
