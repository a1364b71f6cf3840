// Runs in Node (bundled to out/node/bench-hid.js). Measures how long a HID POS scan takes from
// its last input report arriving (the device's 'data' event) to the admit() call: report parsing,
// reassembly, the device manager and the scan gate, as they run in the main process.
// Prints one JSON line {"metrics": {...}} last.
import { performance } from 'node:perf_hooks';
import { silentLogger } from '../src/core/log';
import { createFakeHid, hidPosDevice } from '../src/core/scanner/fakeHid';
import { createHidScanners } from '../src/core/scanner/manager';
import { createScanGate } from '../src/core/scanner/scanGate';
import { scanToReports } from '../src/core/scanner/simulate';

const WARMUP = 2_000;
const SCANS = 20_000;
const DEVICES = 2;

/** A KP1-sized token (about 140 characters, three reports), different for each scan. */
const tokenFor = (i: number) => `KP1.${i.toString(36).padStart(8, '0')}` + 'Cjyx3yBMA-omt1wFZnK5veZJ5KaYV-b7qGbGO12Vbt43Dk4A'.repeat(3).slice(0, 128);

function percentile(sorted: Float64Array, p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

async function main() {
  const fake = createFakeHid();
  const paths = Array.from({ length: DEVICES }, (_, i) => `/dev/hidraw${i}`);
  for (const p of paths) fake.plug(hidPosDevice(p));

  const gate = createScanGate({ clock: Date.now });
  let lastReportAt = 0;
  let admitted = 0;
  const samples = new Float64Array(SCANS);
  let recording = false;
  let n = 0;

  const scanners = createHidScanners({
    hid: fake.hid,
    logger: silentLogger,
    clock: Date.now,
    setInterval: () => 'bench',
    clearInterval: () => {},
    onScan: (scan) => {
      // What the main process does before admit(): one scan, one entry.
      if (!gate.accept(scan.data, `hid:${scan.path}`)) return;
      const at = performance.now();
      admitted++;
      if (recording) samples[n++] = at - lastReportAt;
    },
  });
  await scanners.start();

  // Reports are built before timing so only the receiving side is measured.
  const total = WARMUP + SCANS;
  const prepared = Array.from({ length: total }, (_, i) => scanToReports(tokenFor(i)));
  for (let i = 0; i < total; i++) {
    recording = i >= WARMUP;
    const path = paths[i % DEVICES] as string;
    const reports = prepared[i] as Uint8Array[];
    for (let k = 0; k < reports.length; k++) {
      if (k === reports.length - 1) lastReportAt = performance.now();
      fake.send(path, reports[k] as Uint8Array);
    }
    // Let the event loop turn between scans, as it does between real USB reports.
    if (i % 100 === 0) await new Promise((r) => setImmediate(r));
  }
  await scanners.stop();

  if (admitted !== total || n !== SCANS) throw new Error(`expected ${total} scans admitted, got ${admitted} (${n} timed)`);
  const sorted = samples.slice(0, n).sort();
  const metrics = {
    hid_report_to_admit_ms_p50: Number(percentile(sorted, 50).toFixed(5)),
    hid_report_to_admit_ms_p99: Number(percentile(sorted, 99).toFixed(5)),
    hid_report_to_admit_ms_max: Number((sorted[sorted.length - 1] as number).toFixed(5)),
  };
  console.log(`hid: ${SCANS} scans of ${prepared[0]?.length ?? 0} reports on ${DEVICES} devices (after ${WARMUP} warm-up)`);
  console.log(JSON.stringify({ metrics, notes: 'last report delivered to admit() called: parse, reassemble, device manager, scan gate (fake device, in process)' }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
