#!/usr/bin/env node
// `npm test`: lint, typecheck, build, unit and integration tests (vitest), then the
// renderer end to end in Debian's Chromium (Playwright). Stops at the first failing phase
// and ends with one plain summary line that counts every test of both runners.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const phases = [
  ['lint', ['npm', 'run', '-s', 'lint']],
  ['typecheck', ['npm', 'run', '-s', 'typecheck']],
  ['build', ['npm', 'run', '-s', 'build']],
  ['unit', ['npx', 'vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=.test-report/vitest.json']],
  ['e2e', ['npx', 'playwright', 'test']],
];

// Playwright empties test-results/ when it starts, so the runners report into .test-report/.
rmSync('.test-report', { recursive: true, force: true });
let failedPhase = null;
for (const [name, [cmd, ...args]] of phases) {
  process.stdout.write(`\n=== ${name} ===\n`);
  const env = { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: '.test-report/playwright.json' };
  const extra = name === 'e2e' ? ['--reporter=list,json'] : [];
  const run = spawnSync(cmd, [...args, ...extra], { stdio: 'inherit', env });
  if (run.status !== 0) {
    failedPhase = name;
    break;
  }
}

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync('.test-report/vitest.json')) {
  const v = JSON.parse(readFileSync('.test-report/vitest.json', 'utf8'));
  passed += v.numPassedTests ?? 0;
  // A file that fails to load or in a hook has no failed test of its own: count it too.
  const brokenFiles = (v.testResults ?? []).filter(
    (f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed'),
  ).length;
  failed += (v.numFailedTests ?? 0) + brokenFiles;
  skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
}
if (existsSync('.test-report/playwright.json')) {
  const p = JSON.parse(readFileSync('.test-report/playwright.json', 'utf8'));
  passed += p.stats?.expected ?? 0;
  failed += (p.stats?.unexpected ?? 0) + (p.stats?.flaky ?? 0);
  skipped += p.stats?.skipped ?? 0;
}
if (failedPhase) process.stdout.write(`\nphase failed: ${failedPhase}\n`);
process.stdout.write(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(failedPhase || failed > 0 ? 1 : 0);
