// Runs in Node after bundling (out/node/bench-drain.js). How long a kiosk that was offline
// takes to hand 100,000 waiting entries to an empty central API: the real sync worker over
// real HTTP on loopback, the real kiosk entry log (SQLite, synchronous=FULL) and the server on
// SQLite. Filling the outbox is not timed. Prints {"metrics": …} as its last line.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { systemClock } from '../src/core/clock';
import { MAX_OUTBOX_BATCH, openEntryLog } from '../src/core/entrylog';
import { silentLogger } from '../src/core/log';
import { createSyncWorker, fetchHttpClient } from '../src/core/sync';
import { startServer } from '../src/server/start';
import { startTestServer } from '../src/server/testing';

const N = Number(process.env.BENCH_DRAIN_ENTRIES ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'munjigi-bench-drain-'));
try {
  const running = await startServer({ target: { file: join(dir, 'server.db') }, host: '127.0.0.1', port: 0, demo: false, clock: systemClock, logger: silentLogger });
  const fixtures = await startTestServer(running.db, systemClock);
  const kiosk = await fixtures.enrollKiosk();
  await fixtures.app.close();

  const log = openEntryLog({ path: join(dir, 'kiosk.db'), clock: systemClock, logger: silentLogger, expectExisting: false });
  const fillStart = performance.now();
  const now = Date.now();
  for (let i = 0; i < N; i++) {
    log.recordEntry(
      {
        id: randomUUID(),
        tokenId: `1:${i.toString(16).padStart(16, '0')}`,
        issuer: 1,
        subject: randomUUID().replace(/-/g, ''),
        facilityId: kiosk.facilityId,
        kioskId: kiosk.kioskId,
        scannedAt: now - (N - i) * 10,
        issuedAt: Math.floor((now - (N - i) * 10) / 1000),
        source: 'wedge',
      },
      now,
    );
  }
  const fillSeconds = (performance.now() - fillStart) / 1000;
  console.log(`outbox filled with ${log.pendingCount()} entries in ${fillSeconds.toFixed(1)} s (not timed)`);

  const worker = createSyncWorker({
    baseUrl: running.url,
    kioskId: kiosk.kioskId,
    devicePrivateKey: kiosk.privateKey,
    outbox: log,
    http: fetchHttpClient(),
    clock: systemClock,
    logger: silentLogger,
    batchSize: MAX_OUTBOX_BATCH,
  });
  const start = performance.now();
  while ((await worker.syncOnce()) === 'more') {
    // one batch per cycle until the outbox is empty
  }
  const seconds = (performance.now() - start) / 1000;
  const stored = (await running.db.db.selectFrom('entries').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n;
  if (log.pendingCount() !== 0 || Number(stored) !== N) throw new Error(`drain incomplete: pending ${log.pendingCount()}, stored ${stored}`);
  console.log(`drained ${N} entries in ${seconds.toFixed(2)} s`);
  log.close();
  await running.close();
  console.log(JSON.stringify({ metrics: { outbox_drain_100k_s: Math.round(seconds * 100) / 100 }, notes: { entries: N, batch: MAX_OUTBOX_BATCH, loadavg: loadavg()[0] } }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
