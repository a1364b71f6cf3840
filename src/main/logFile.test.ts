// Unit tests (Node) for the main log file: appends lines, rolls over at the size limit.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLogFile } from './logFile';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'munjigi-log-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('openLogFile', () => {
  it('creates the folder and appends one line per write', () => {
    const path = join(tempDir(), 'logs', 'main.log');
    const log = openLogFile(path);
    log.write('{"a":1}');
    log.write('{"b":2}\n');
    log.close();
    log.write('after close is ignored');
    expect(readFileSync(path, 'utf8')).toBe('{"a":1}\n{"b":2}\n');
  });

  it('rolls over to main.log.1 at the limit, at start and while running', () => {
    const dir = tempDir();
    const path = join(dir, 'main.log');
    writeFileSync(path, 'x'.repeat(100));
    const log = openLogFile(path, 100);
    expect(readFileSync(`${path}.1`, 'utf8')).toBe('x'.repeat(100));
    log.write('a'.repeat(60));
    log.write('b'.repeat(60)); // would pass 100 bytes: previous file rolls
    log.close();
    expect(readFileSync(`${path}.1`, 'utf8')).toBe(`${'a'.repeat(60)}\n`);
    expect(readFileSync(path, 'utf8')).toBe(`${'b'.repeat(60)}\n`);
    expect(existsSync(`${path}.2`)).toBe(false);
  });
});
