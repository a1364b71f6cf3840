// Runs in Node (vitest). The central API's SQLite ingest writer must keep its process alive until
// it has closed the database, even when an index pass (migration 0008) is still answering as the
// server closes. The drain bench from the build is the smallest real program that closes right
// after its last batch: 20,000 entries make the writer start an index pass just then. Before the
// fix the process sometimes ended with exit code 13 (a top-level await left unsettled) instead of
// finishing; it is run several times because the race did not show every time.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const bench = resolve(root, 'out/node/bench-drain.js');

describe('central API shutdown with an index pass in flight', () => {
  // Skipped without the build (npm test builds first).
  it.skipIf(!existsSync(bench))('the process closes the writer and finishes normally, every time', { timeout: 5 * 60_000 }, () => {
    for (let run = 0; run < 4; run++) {
      const res = spawnSync(process.execPath, [bench], { cwd: root, env: { ...process.env, BENCH_DRAIN_ENTRIES: '20000' }, encoding: 'utf8', timeout: 120_000 });
      expect({ run, status: res.status, stderr: res.stderr.slice(-500) }).toEqual({ run, status: 0, stderr: '' });
      const last = JSON.parse(res.stdout.trim().split('\n').pop()!) as { notes: { entries: number } };
      expect(last.notes.entries).toBe(20_000);
    }
  });
});
