// Runs in Node after bundling (out/node/bench-admit.js). What a kiosk pays per scan end to
// end in admit(): KP1 verification, the duplicate lookup, ONE transaction (entry + outbox
// row) on a file database with WAL and synchronous=FULL (an fsync per admit), and today's
// count. Tokens are minted before timing. Prints {"metrics": …} as its last line.
// Wall-clock and per-admit CPU time are both reported: on a shared machine the first
// includes waiting for a core.
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createAdmitter, openEntryLog } from '../src/core/entrylog';
import { createTestIssuer } from '../src/core/entrylog/testIssuer';
import { silentLogger } from '../src/core/log';

const N = 10_000;
const WARMUP = 500;
const T0 = 1_795_392_000;

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;

const dir = mkdtempSync(join(tmpdir(), 'munjigi-bench-admit-'));
try {
  const issuer = createTestIssuer();
  const tokens = Array.from({ length: WARMUP + N }, () => issuer.mint(T0));
  const garbage = Array.from({ length: 1000 }, (_, i) => (i % 2 ? 'x'.repeat(100 * 1024) : '8801234567893'));

  const log = openEntryLog({ path: join(dir, 'entries.sqlite'), clock: () => T0 * 1000, logger: silentLogger, expectExisting: false });
  const pragmas = log.pragmas();
  if (pragmas.journalMode !== 'wal' || pragmas.synchronous !== 2) throw new Error(`unexpected pragmas ${JSON.stringify(pragmas)}`);
  // The kiosk clock stands one second after issue, so every minted token is inside its window.
  const admit = createAdmitter({
    log,
    trustList: () => issuer.trustList,
    clock: () => T0 * 1000 + 1000,
    settings: () => ({ facilityId: 'bench-facility', kioskId: 'bench-kiosk', skewSeconds: 3, maxTtlSeconds: 15 }),
    logger: silentLogger,
  });

  // Wall time is what the visitor waits (fsync included); CPU time (user + system of this
  // process) is what admit itself costs, apart from other work sharing the cores.
  const times: number[] = [];
  const cpuTimes: number[] = [];
  let ok = 0;
  for (const [i, data] of tokens.entries()) {
    // Each scan is its own event at a kiosk: let the loop turn between admits (untimed), as
    // deferred work such as the WAL checkpoint runs after an answer has gone out.
    await new Promise((done) => setImmediate(done));
    const cpu = process.cpuUsage();
    const t = performance.now();
    const answer = admit({ data, source: 'selftest' });
    const dt = performance.now() - t;
    const used = process.cpuUsage(cpu);
    if (i >= WARMUP) {
      times.push(dt);
      cpuTimes.push((used.user + used.system) / 1000);
      if (answer.ok) ok++;
    }
  }
  if (ok !== N) throw new Error(`only ${ok} of ${N} admits were OK`);

  const refusals = garbage.map((data) => {
    const t = performance.now();
    const answer = admit({ data, source: 'wedge' });
    const dt = performance.now() - t;
    if (answer.code !== 'MALFORMED') throw new Error(`garbage answered ${answer.code}`);
    return dt;
  });
  const entries = log.todayCount(T0 * 1000 + 1000);
  log.close();
  if (entries !== WARMUP + N) throw new Error(`log holds ${entries} entries, expected ${WARMUP + N}`);

  // The floor any durable admit pays on this disk right now: 4 KB written and fdatasync'd.
  const fd = openSync(join(dir, 'fsync-probe'), 'w');
  const page = Buffer.alloc(4096, 7);
  const fsyncs = Array.from({ length: 1000 }, (_, i) => {
    const t = performance.now();
    writeSync(fd, page, 0, page.length, (i % 64) * page.length);
    fdatasyncSync(fd);
    return performance.now() - t;
  });
  closeSync(fd);

  const metrics = {
    admit_p50_ms: round(quantile(times, 0.5)),
    admit_p99_ms: round(quantile(times, 0.99)),
    admit_p999_ms: round(quantile(times, 0.999)),
    admit_max_ms: round(Math.max(...times)),
    admit_garbage_p99_ms: round(quantile(refusals, 0.99)),
    admit_cpu_p50_ms: round(quantile(cpuTimes, 0.5)),
    admit_cpu_p99_ms: round(quantile(cpuTimes, 0.99)),
    admit_fsync_floor_p50_ms: round(quantile(fsyncs, 0.5)),
    admit_fsync_floor_p99_ms: round(quantile(fsyncs, 0.99)),
  };
  const notes =
    `${N} OK admits after ${WARMUP} warm-up, file database in ${tmpdir()} (WAL, synchronous=FULL), ` +
    `then 1000 garbage scans (EAN-13 and 100 KB) refused as MALFORMED; load average at end ${loadavg()[0]?.toFixed(2)}`;
  console.log(notes);
  console.log(JSON.stringify({ metrics, notes }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
