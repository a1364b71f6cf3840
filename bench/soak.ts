// Runs in Node after bundling (out/node/bench-soak.js). The kiosk soak as a benchmark: 100,000
// distinct valid scans through the kiosk app's admit handler while its sync worker delivers them to
// `munjigi server` (its own process, SQLite, 127.0.0.1). Reports RSS growth after warm-up (forced
// GC before each sample) and, for information, the warm-up's fill and scans per second. Fails
// (exit 1) if anything was lost or stored twice. Prints {"metrics": …} as its last line.
// BENCH_SOAK_SCANS overrides the count.
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { runSoak } from '../tests/integration/support/soak';

const SCANS = Number(process.env.BENCH_SOAK_SCANS ?? 100_000);
const result = await runSoak({
  scans: SCANS,
  warmup: Math.floor(SCANS * 0.4),
  sampleEvery: Math.max(100, Math.floor(SCANS / 20)),
  cliPath: resolve(import.meta.dirname, '../../bin/munjigi.js'),
  onProgress: (line) => console.log(line),
});
const delivered =
  result.admittedOk === SCANS && result.serverRows === SCANS && result.serverDistinct === SCANS && result.missingOnServer === 0 && result.unknownOnServer === 0 && result.pendingAtEnd === 0;
console.log(
  `${SCANS} scans in ${result.scanSeconds.toFixed(1)} s; rss ${result.earlyRssMb.toFixed(1)} → ${result.lateRssMb.toFixed(1)} MB after warm-up, ` +
    `${result.warmupFillMb.toFixed(1)} MB during it; delivered exactly once: ${delivered}; forced GC: ${result.forcedGc}`,
);
if (!delivered) {
  console.error(`soak: delivery incomplete ${JSON.stringify({ ...result, samples: undefined })}`);
  process.exitCode = 1;
}
const r = (x: number) => Math.round(x * 100) / 100;
console.log(
  JSON.stringify({
    metrics: {
      soak_rss_growth_mb: r(result.rssGrowthMb),
      soak_rss_warmup_fill_mb: r(result.warmupFillMb),
      soak_scans_per_s: Math.round(SCANS / result.scanSeconds),
    },
    notes: { scans: SCANS, forcedGc: result.forcedGc, loadavg: loadavg()[0], samples: result.samples.map((s) => [s.scans, r(s.rssMb)]) },
  }),
);
