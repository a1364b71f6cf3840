// Runs in Node after bundling (out/node/bench-sitescan.js). Scans every case of the
// development corpus (../shared/sitescan-corpus, served by its serve.mjs on loopback) with the
// default limits and all five profiles, as many sites at once as the service scans, and reports
// pages per minute over the wall time (all profiles of one page count as one page), recall on
// `flag` cases and false positives on `clean` cases.
// Prints {"metrics": …} as its last line.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { projectRoot } from '../src/core/paths';
import { silentLogger } from '../src/core/log';
import type { Baseline } from '../src/server/sitescan/baseline';
import { parseBlocklist } from '../src/server/sitescan/blocklist';
import { limiter, scanSite } from '../src/server/sitescan/scan';

interface Case { name: string; url: string; expect: 'flag' | 'clean'; baselineState?: string; currentState?: string }

const corpus = process.env.SITESCAN_CORPUS ?? resolve(projectRoot(), '..', 'shared', 'sitescan-corpus');
if (!existsSync(join(corpus, 'cases.json'))) {
  console.error(`sitescan bench: corpus not found at ${corpus}`);
  process.exit(2);
}
const cases = (JSON.parse(readFileSync(join(corpus, 'cases.json'), 'utf8')) as { cases: Case[] }).cases;
const blocklist = parseBlocklist(readFileSync(join(corpus, 'blocklist.txt'), 'utf8'));

const port = await new Promise<number>((ok) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = (s.address() as { port: number }).port;
    s.close(() => ok(p));
  });
});
const server = spawn(process.execPath, [join(corpus, 'serve.mjs'), corpus, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise((ok) => server.stdout.once('data', ok));
const proxy = `http://127.0.0.1:${port}`;
const setState = (s: string) => fetch(`${proxy}/__state/${s}`).then((r) => r.text());

// The service scans MUNJIGI_SITESCAN_CONCURRENCY sites at once (default 2, each with its own
// browser); the bench does the same, so pages per minute is what the service would get here.
const sitesAtOnce = Math.max(1, Math.min(16, Number(process.env.MUNJIGI_SITESCAN_CONCURRENCY ?? 2) || 2));
// serve.mjs switches `/__state/<k>` for the whole corpus: cases whose host has later versions
// run one at a time so one case's switch never changes what another case's scan sees.
const hasStates = (c: Case) => {
  if (c.currentState !== undefined || c.baselineState !== undefined) return true;
  const dir = join(corpus, 'hosts', new URL(c.url).hostname);
  return existsSync(dir) && readdirSync(dir, { recursive: true }).some((f) => String(f).includes('.state-'));
};
const stateLock = limiter(1);

let pages = 0;
let flagged = 0;
let flagCases = 0;
let falsePositives = 0;
let cleanCases = 0;
const lines: string[] = [];
const runCase = async (c: Case, index: number) => {
  const scan = async (baseline?: Baseline) => {
    const r = await scanSite({ url: c.url, proxy, blocklist, clock: Date.now, logger: silentLogger, ...(baseline ? { baseline } : {}) });
    pages += r.pages.length;
    return r;
  };
  const r = !hasStates(c)
    ? await scan()
    : await stateLock(async () => {
        let baseline: Baseline | undefined;
        if (c.currentState !== undefined) {
          await setState(c.baselineState ?? '');
          baseline = (await scan()).baseline;
          await setState(c.currentState);
        }
        try {
          return await scan(baseline);
        } finally {
          await setState('');
        }
      });
  if (c.expect === 'flag') {
    flagCases += 1;
    if (r.verdict !== 'clean') flagged += 1;
  } else {
    cleanCases += 1;
    if (r.verdict !== 'clean') falsePositives += 1;
  }
  lines[index] = `${c.name}: expect ${c.expect}, got ${r.verdict} (${r.findings.map((f) => f.ruleId).join(', ') || 'no findings'})`;
};
const site = limiter(sitesAtOnce);
const t0 = performance.now();
let scanMs = 0;
try {
  await Promise.all(cases.map((c, i) => site(() => runCase(c, i))));
  scanMs = performance.now() - t0;
} finally {
  server.kill();
}
for (const l of lines) console.log(l);

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
console.log(JSON.stringify({
  metrics: {
    sitescan_pages_per_min: round(pages / (scanMs / 60_000), 2),
    sitescan_pages: pages,
    sitescan_recall: round(flagged / Math.max(1, flagCases)),
    sitescan_false_positives: falsePositives,
    sitescan_clean_cases: cleanCases,
    sitescan_flag_cases: flagCases,
    sitescan_sites_at_once: sitesAtOnce,
    load_avg_1m: round(loadavg()[0] ?? 0, 2),
  },
}));
