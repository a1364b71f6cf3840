// Runs under vitest (Node), across processes. A child process admits in a loop and prints
// each acknowledged entry id; we SIGKILL it at random moments, many times, over one entry
// log file. Afterwards every acknowledged entry (and its outbox row) is in the log and
// PRAGMA integrity_check is 'ok'. The child is bundled here with Vite so this test needs no
// prior `npm run build`.
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/log';
import { openEntryLog } from '../../src/core/entrylog';

const ROUNDS = 30;
const ROUND_LIMIT_MS = 15_000;
const root = resolve(import.meta.dirname, '../..');
// Inside the project so the bundle resolves better-sqlite3 from node_modules.
const bundleDir = join(root, 'out', 'test-support', `admit-loop-${process.pid}`);
const child = join(bundleDir, 'admit-loop.js');
let dataDir = '';

beforeAll(async () => {
  mkdirSync(bundleDir, { recursive: true });
  const external = [...builtinModules, ...builtinModules.map((m) => `node:${m}`), 'better-sqlite3', 'zod'];
  await build({
    configFile: false,
    logLevel: 'silent',
    root,
    build: {
      ssr: resolve(root, 'tests/integration/support/admit-loop.ts'),
      outDir: bundleDir,
      emptyOutDir: true,
      target: 'node20',
      minify: false,
      rollupOptions: {
        external: (id) => external.some((e) => id === e || id.startsWith(`${e}/`)),
        output: { format: 'es', entryFileNames: 'admit-loop.js' },
      },
    },
  });
  dataDir = mkdtempSync(join(tmpdir(), 'munjigi-crash-'));
});

afterAll(() => {
  rmSync(bundleDir, { recursive: true, force: true });
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

interface Round {
  acked: string[];
  ready: boolean;
  exit: { code: number | null; signal: NodeJS.Signals | null };
  stderr: string;
}

/**
 * One child, SIGKILLed `killAfterMs` after it said READY (in the admit loop), or — when
 * `duringStartup` — that long after spawn, wherever it is (start-up, open, migration).
 */
function runRound(dbPath: string, expectExisting: boolean, killAfterMs: number, duringStartup: boolean): Promise<Round> {
  return new Promise((done, fail) => {
    const proc = spawn(process.execPath, [child, dbPath, expectExisting ? '1' : '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let stderr = '';
    let killer: NodeJS.Timeout | undefined;
    const armKiller = () => (killer ??= setTimeout(() => proc.kill('SIGKILL'), killAfterMs));
    if (duringStartup) armKiller();
    proc.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.startsWith('READY\n')) armKiller();
    });
    proc.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const limit = setTimeout(() => {
      proc.kill('SIGKILL');
      fail(new Error('child did not exit in time'));
    }, ROUND_LIMIT_MS);
    proc.on('error', fail);
    proc.on('close', (code, signal) => {
      clearTimeout(killer);
      clearTimeout(limit);
      // Only complete lines count: a torn last line was never fully acknowledged.
      const lines = out.split('\n').slice(0, -1);
      done({ acked: lines.filter((l) => l !== 'READY'), ready: lines.includes('READY'), exit: { code, signal }, stderr });
    });
  });
}

describe('entry log under SIGKILL', () => {
  it(`keeps every acknowledged entry across ${ROUNDS} random kills, and stays intact`, async () => {
    const dbPath = join(dataDir, 'entries.sqlite');
    const acked: string[] = [];
    let killedWhileAdmitting = 0;
    for (let round = 0; round < ROUNDS; round++) {
      // Every fifth kill lands anywhere from start-up on; the rest inside the admit loop.
      const duringStartup = round % 5 === 4;
      const killAfterMs = Math.floor(Math.random() * (duringStartup ? 600 : 250));
      const r = await runRound(dbPath, acked.length > 0, killAfterMs, duringStartup);
      if (r.exit.signal !== 'SIGKILL') throw new Error(`round ${round}: child ended by itself (${r.exit.code}): ${r.stderr.trim()}`);
      for (const id of r.acked) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      if (r.acked.length > 0) killedWhileAdmitting++;
      acked.push(...r.acked);
    }
    console.info(`entrylog crash test: ${acked.length} acknowledged entries over ${ROUNDS} SIGKILLs (${killedWhileAdmitting} mid-admit)`);
    // The test means something only if most kills hit a process that was writing.
    expect(killedWhileAdmitting).toBeGreaterThanOrEqual(ROUNDS / 2);
    expect(new Set(acked).size).toBe(acked.length);

    // Reopen through the product's own path (quick_check, WAL recovery), then look raw.
    const log = openEntryLog({ path: dbPath, clock: Date.now, logger: silentLogger, expectExisting: true });
    log.close();
    const db = new Database(dbPath, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
      const hasEntry = db.prepare('SELECT 1 FROM entry WHERE id = ?').pluck();
      const hasOutbox = db.prepare('SELECT 1 FROM outbox WHERE entry_id = ?').pluck();
      const missing = acked.filter((id) => hasEntry.get(id) === undefined);
      expect(missing).toEqual([]);
      expect(acked.filter((id) => hasOutbox.get(id) === undefined)).toEqual([]);
      // Never an entry without its outbox row, or the reverse: they commit together.
      expect(db.prepare('SELECT count(*) FROM entry').pluck().get()).toBe(db.prepare('SELECT count(*) FROM outbox').pluck().get());
      expect(db.prepare('SELECT count(*) FROM entry').pluck().get()).toBeGreaterThanOrEqual(acked.length);
    } finally {
      db.close();
    }
  }, 300_000);
});
