#!/usr/bin/env node
// Writes docs/error-codes.md: every stable error code the product raises, where, and the
// Korean message a person sees. `--check` exits 1 when the document is out of date (a test
// runs it), so a new code cannot ship undocumented.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) && !/testing|testSupport|fake|simulate/i.test(name)) files.push(path);
  }
})(join(root, 'src'));

// CodedError('CODE', '…'), UsageError('CODE', '…'), fail('CODE', '…'), ApiError(400, 'CODE', '…'), { code: 'CODE', message: '…' }
const patterns = [
  /\b(?:CodedError|UsageError|SyncError|BridgeError)\(\s*'([A-Z][A-Z0-9_]+)'\s*,\s*(['`])((?:\\.|(?!\2).)*)\2/gs,
  /\bfail\(\s*'([A-Z][A-Z0-9_]+)'\s*,\s*(['`])((?:\\.|(?!\2).)*)\2/gs,
  /\bApiError\(\s*\d{3}\s*,\s*'([A-Z][A-Z0-9_]+)'\s*,\s*(['`])((?:\\.|(?!\2).)*)\2/gs,
  /\{\s*code:\s*'([A-Z][A-Z0-9_]+)'\s*,\s*message:\s*(['`])((?:\\.|(?!\2).)*)\2/gs,
];

const codes = new Map();
for (const file of files.sort()) {
  const text = readFileSync(file, 'utf8');
  for (const re of patterns) {
    for (const m of text.matchAll(re)) {
      const [, code, , message] = m;
      const where = relative(root, file).replace(/\/[^/]+$/, '');
      const entry = codes.get(code) ?? { wheres: new Set(), message: message.replace(/\$\{[^}]*\}/g, '…').replace(/\s+/g, ' ') };
      entry.wheres.add(where);
      codes.set(code, entry);
    }
  }
}

const rows = [...codes.entries()]
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([code, { wheres, message }]) => `| \`${code}\` | ${[...wheres].sort().join(', ')} | ${message.replace(/\|/g, '\\|')} |`);
const doc = `# Error codes

Every failure that reaches a person is a Korean sentence that says what happened and what to do;
beside it is a stable code that programs and support staff can match on. Codes never change
meaning; a message may be reworded. This list is generated from the source by
\`node scripts/error-codes.mjs\` (a test fails when it is out of date). The result codes of a
scan (OK, MALFORMED, EXPIRED, …) are the KP1 spec's and are described in docs/kp1.md.

| code | raised in | message (… marks a value filled in) |
|---|---|---|
${rows.join('\n')}
`;

const target = join(root, 'docs', 'error-codes.md');
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    current = '';
  }
  if (current !== doc) {
    process.stderr.write('docs/error-codes.md is out of date: run `node scripts/error-codes.mjs`\n');
    process.exit(1);
  }
  process.stdout.write(`docs/error-codes.md lists ${codes.size} codes\n`);
} else {
  writeFileSync(target, doc);
  process.stdout.write(`wrote docs/error-codes.md (${codes.size} codes)\n`);
}
