#!/usr/bin/env node
// `npm run bench`: runs every bundled benchmark (out/node/bench-*.js) one after another,
// merges their metrics into bench/results.json with the machine they ran on, and rewrites
// the generated table in docs/benchmarks.md. Benchmarks measure; they never pass or fail.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';

const only = process.argv.slice(2);
const benches = readdirSync('out/node')
  .filter((f) => /^bench-.*\.js$/.test(f))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const previous = existsSync('bench/results.json') ? JSON.parse(readFileSync('bench/results.json', 'utf8')) : {};
const metrics = { ...(previous.metrics ?? {}) };
const runs = { ...(previous.runs ?? {}) };

/** Busy and total jiffies of all cores (/proc/stat), or null where there is no /proc. */
function cpuJiffies() {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = f[3] + (f[4] ?? 0);
    const total = f.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

/**
 * Waits (at most 30 s) until the machine has been quiet for a second (under 15 % of all cores
 * busy), so one benchmark's leftovers (a browser closing, a database checkpointing, a cluster
 * stopping) do not run into the next one's timing. Returns the seconds waited.
 */
function waitForQuiet() {
  const start = Date.now();
  for (let tries = 0; tries < 30; tries++) {
    const a = cpuJiffies();
    if (!a) return 0;
    spawnSync('sleep', ['1']);
    const b = cpuJiffies();
    if (b.total > a.total && (b.busy - a.busy) / (b.total - a.total) < 0.15) break;
  }
  return Math.round((Date.now() - start) / 100) / 10;
}

for (const file of benches) {
  const name = file.replace(/^bench-|\.js$/g, '');
  const quietWaitS = waitForQuiet();
  process.stdout.write(`\n=== bench ${name} (machine quiet after ${quietWaitS} s) ===\n`);
  const run = spawnSync('node', [`out/node/${file}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 20 * 60_000 });
  process.stdout.write(run.stdout ?? '');
  const last = (run.stdout ?? '').trim().split('\n').pop() ?? '';
  let parsed = null;
  try {
    parsed = JSON.parse(last);
  } catch {
    parsed = null;
  }
  if (run.status !== 0 || !parsed?.metrics) {
    process.stdout.write(`bench ${name}: no result (exit ${run.status})\n`);
    continue;
  }
  Object.assign(metrics, parsed.metrics);
  runs[name] = { at: new Date().toISOString(), metrics: parsed.metrics, notes: parsed.notes ?? null, quietWaitS };
}

const cpus = os.cpus();
const machine = {
  cpu: cpus[0]?.model ?? 'unknown',
  cores: cpus.length,
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  os: `${os.type()} ${os.release()}`,
};
const results = { ranAt: new Date().toISOString(), machine, metrics, runs };
writeFileSync('bench/results.json', JSON.stringify(results, null, 2) + '\n');

const doc = existsSync('docs/benchmarks.md') ? readFileSync('docs/benchmarks.md', 'utf8') : '# Benchmarks\n\n<!-- bench:start -->\n<!-- bench:end -->\n';
const rows = Object.entries(metrics)
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([k, v]) => `| \`${k}\` | ${typeof v === 'number' ? Number(v.toPrecision(4)) : v} | ${Object.entries(runs).find(([, r]) => k in r.metrics)?.[1].at.slice(0, 16) ?? ''} |`);
const table = [
  '<!-- bench:start -->',
  `Latest run: ${results.ranAt} on ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.os}.`,
  '',
  '| metric | value | measured |',
  '|---|---|---|',
  ...rows,
  '<!-- bench:end -->',
].join('\n');
writeFileSync('docs/benchmarks.md', doc.replace(/<!-- bench:start -->[\s\S]*<!-- bench:end -->/, table));
process.stdout.write(`\nwrote bench/results.json (${Object.keys(metrics).length} metrics) and docs/benchmarks.md\n`);
