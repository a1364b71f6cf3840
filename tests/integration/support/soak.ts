// Runs in Node (vitest and bench/soak.ts). The kiosk soak: a real kiosk app (createKioskApp: entry
// log on disk, admit, retention, sync worker) enrolled with a real central API (`munjigi server`,
// SQLite, on 127.0.0.1) running as its own process, as it does in the field — so this process's
// RSS is the kiosk's alone (the server keeps a 64 MB page cache that fills as its table grows).
// N distinct valid scans go through the IPC admit handler one at a time, the event loop turning
// between scans as at a door. RSS is sampled after a forced GC; at the end the kiosk's log and
// the server's table are compared id by id.
import Database from 'better-sqlite3';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createKioskApp } from '../../../src/core/app/kiosk';
import { generateKeyPair, mintToken } from '../../../src/core/kp1';
import { silentLogger } from '../../../src/core/log';
import { fetchHttpClient } from '../../../src/core/sync';
import { openServerDb } from '../../../src/server/db/open';
import { createEnrollmentCode, createFacility } from '../../../src/server/facilities';
import { seedTrust } from '../../../src/server/testing';

export interface SoakOptions {
  scans: number;
  /** Scans before the samples that the growth is measured on (caches fill up: SQLite's page cache, malloc arenas, JIT). */
  warmup: number;
  /** A sample every this many scans (from the start: the warm-up's fill is reported too). */
  sampleEvery: number;
  /** How long to wait for the outbox to drain after the last scan. */
  drainTimeoutMs?: number;
  onProgress?: (line: string) => void;
  /** Where the kiosk's and the server's files go (default: see soakBaseDir). */
  baseDir?: string;
  /** bin/munjigi.js of a built tree: the central API runs as `node <cli> server`. */
  cliPath: string;
}

/**
 * RAM-backed /dev/shm when there is one, else the temp dir. The soak is about memory and delivery;
 * on a disk shared with other jobs every synchronous=FULL commit waits ~15 ms for fsync, which
 * turns a few minutes into half an hour without telling us anything about memory. The code path
 * (pragmas, transactions, WAL) is the same on both.
 */
export function soakBaseDir(): string {
  if (process.env.SOAK_DIR) return process.env.SOAK_DIR;
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return tmpdir();
  }
}

export interface SoakSample {
  scans: number;
  rssMb: number;
  heapMb: number;
  /** Linux only (/proc/self/status): RSS split into anonymous (malloc, V8), file-backed and shared (SQLite's mmapped -shm) memory. */
  anonMb?: number;
  fileMb?: number;
  shmemMb?: number;
}

function rssSplit(): Pick<SoakSample, 'anonMb' | 'fileMb' | 'shmemMb'> {
  try {
    const text = readFileSync('/proc/self/status', 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN) / 1024;
    return { anonMb: kb('RssAnon'), fileMb: kb('RssFile'), shmemMb: kb('RssShmem') };
  } catch {
    return {};
  }
}

export interface SoakResult {
  scans: number;
  admittedOk: number;
  refused: Record<string, number>;
  scanSeconds: number;
  drainSeconds: number;
  /** Whether global.gc was available for the samples (it is made available when the runtime allows). */
  forcedGc: boolean;
  samples: SoakSample[];
  /** Median of the first three samples after warm-up, median of the last three, and the difference. */
  earlyRssMb: number;
  lateRssMb: number;
  rssGrowthMb: number;
  /** How much RSS grew during the warm-up (first sample to the early window): caches filling, for information. */
  warmupFillMb: number;
  kioskEntries: number;
  serverRows: number;
  serverDistinct: number;
  /** Ids in the kiosk log and not on the server, and the reverse. */
  missingOnServer: number;
  unknownOnServer: number;
  pendingAtEnd: number;
}

const MB = 1024 * 1024;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** global.gc when the process was started with --expose-gc, or exposed here through V8's flags. */
function findGc(): (() => void) | null {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (typeof existing === 'function') return existing;
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as () => void) : null;
  } catch {
    return null;
  }
}

export async function runSoak(opts: SoakOptions): Promise<SoakResult> {
  const dir = mkdtempSync(join(opts.baseDir ?? soakBaseDir(), 'munjigi-soak-'));
  const progress = opts.onProgress ?? (() => {});
  const gc = findGc();
  let server: ChildProcess | null = null;
  let kiosk: ReturnType<typeof createKioskApp> | null = null;
  try {
    // The server's database is prepared here (authority, an issuer and its key, a facility, an
    // enrollment code), closed, then served by `munjigi server` in a child process.
    const serverFile = join(dir, 'server.sqlite');
    const issuer = generateKeyPair();
    const serverDb = await openServerDb({ file: serverFile });
    const auth = await seedTrust(serverDb, Date.now, issuer.publicKey);
    const facility = await createFacility(serverDb.db, Date.now, {
      name: '소크 테스트 의원',
      address: '서울특별시 중구 세종대로 110',
      businessNo: '2208162517',
      jurisdiction: '서울특별시 중구',
    });
    const { code } = await createEnrollmentCode(serverDb.db, Date.now, facility.id);
    await serverDb.close();

    const child = spawn(process.execPath, [opts.cliPath, 'server', '--db', serverFile, '--host', '127.0.0.1', '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, MUNJIGI_SMTP_HOST: '' },
    });
    server = child;
    const baseUrl = await new Promise<string>((resolveUrl, reject) => {
      let out = '';
      let err = '';
      const timer = setTimeout(() => reject(new Error(`soak: the central API did not start in 60 s: ${err.slice(0, 500)}`)), 60_000);
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        const m = /central API: (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolveUrl(m[1]!);
        }
      });
      child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
      child.once('exit', (status) => {
        clearTimeout(timer);
        reject(new Error(`soak: the central API exited (${status}): ${err.slice(0, 500)}`));
      });
    });

    kiosk = createKioskApp({ dataDir: join(dir, 'kiosk'), demo: false, logger: silentLogger, http: fetchHttpClient(10_000) });
    const enrolled = await kiosk.enroll({ apiUrl: baseUrl, code, rootKeyId: auth.keyId, rootPublicKey: auth.publicKey });
    // The sync worker fetches the signed trust list; until then every token is UNKNOWN_KEY.
    for (let i = 0; i < 300 && (kiosk.status().trustList?.issuers ?? 0) < 1; i++) await new Promise((r) => setTimeout(r, 50));
    if ((kiosk.status().trustList?.issuers ?? 0) < 1) throw new Error('soak: the kiosk never received the trust list');

    const admit = kiosk.handlers['kiosk:admit'];
    const refused: Record<string, number> = {};
    const samples: SoakSample[] = [];
    const sample = (scans: number) => {
      gc?.();
      gc?.();
      const m = process.memoryUsage();
      samples.push({ scans, rssMb: m.rss / MB, heapMb: m.heapUsed / MB, ...rssSplit() });
    };
    let admittedOk = 0;
    const started = performance.now();
    for (let i = 1; i <= opts.scans; i++) {
      const token = mintToken({ privateKey: issuer.privateKey, issuer: 2, keyId: 1, issuedAt: Math.floor(Date.now() / 1000) });
      const answer = await admit({ data: token, source: 'wedge' });
      if (answer.ok) admittedOk++;
      else refused[answer.code] = (refused[answer.code] ?? 0) + 1;
      // One scan at a time with the event loop turning in between, so the sync worker and the
      // server run while scans arrive, as at a door.
      await new Promise((r) => setImmediate(r));
      if (i % opts.sampleEvery === 0) {
        sample(i);
        const last = samples[samples.length - 1]!;
        progress(`${i} scans, rss ${last.rssMb.toFixed(1)} MB, heap ${last.heapMb.toFixed(1)} MB, pending ${kiosk.status().sync.pending}`);
      }
    }
    const scanSeconds = (performance.now() - started) / 1000;

    const drainStart = performance.now();
    const drainTimeout = opts.drainTimeoutMs ?? 120_000;
    while (kiosk.status().sync.pending > 0 && performance.now() - drainStart < drainTimeout) await new Promise((r) => setTimeout(r, 100));
    const drainSeconds = (performance.now() - drainStart) / 1000;
    const pendingAtEnd = kiosk.status().sync.pending;
    await kiosk.close();
    kiosk = null;
    await stopServer(server);
    server = null;

    // Id by id: both sides sorted, walked together (no set of 100,000 ids held in memory).
    const local = new Database(join(dir, 'kiosk', 'entries.sqlite'), { readonly: true });
    const remote = new Database(serverFile, { readonly: true });
    const kioskEntries = local.prepare('SELECT count(*) FROM entry').pluck().get() as number;
    const serverRows = remote.prepare('SELECT count(*) FROM entries WHERE kiosk_id = ?').pluck().get(enrolled.kioskId) as number;
    const serverDistinct = remote.prepare('SELECT count(DISTINCT id) FROM entries WHERE kiosk_id = ?').pluck().get(enrolled.kioskId) as number;
    const a = local.prepare('SELECT id FROM entry ORDER BY id').pluck().iterate() as IterableIterator<string>;
    const b = remote.prepare('SELECT id FROM entries WHERE kiosk_id = ? ORDER BY id').pluck().iterate(enrolled.kioskId) as IterableIterator<string>;
    let missingOnServer = 0;
    let unknownOnServer = 0;
    let x = a.next();
    let y = b.next();
    while (!x.done || !y.done) {
      if (y.done || (!x.done && x.value < y.value)) {
        missingOnServer++;
        x = a.next();
      } else if (x.done || y.value < x.value) {
        unknownOnServer++;
        y = b.next();
      } else {
        x = a.next();
        y = b.next();
      }
    }
    local.close();
    remote.close();

    const measured = samples.filter((s) => s.scans >= opts.warmup);
    const early = measured.slice(0, 3).map((s) => s.rssMb);
    const late = measured.slice(-3).map((s) => s.rssMb);
    return {
      scans: opts.scans,
      admittedOk,
      refused,
      scanSeconds,
      drainSeconds,
      forcedGc: gc !== null,
      samples,
      earlyRssMb: median(early),
      lateRssMb: median(late),
      rssGrowthMb: median(late) - median(early),
      warmupFillMb: median(early) - (samples[0]?.rssMb ?? NaN),
      kioskEntries,
      serverRows,
      serverDistinct,
      missingOnServer,
      unknownOnServer,
      pendingAtEnd,
    };
  } finally {
    await kiosk?.close();
    await stopServer(server);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** SIGTERM (the server closes cleanly), SIGKILL if it is still there after 10 s. */
async function stopServer(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
