// Runs under vitest (Node). `munjigi specimen-card`: the card verifies against the kiosk's own
// specimen key (the one the kiosk app opens), a PNG is written, bad input gets a code and exit 2.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/log';
import { openSpecimenIssuer } from '../../core/selftest';
import { runCli } from '../testing';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('munjigi specimen-card', () => {
  it('prints a card the kiosk recognises as its specimen, and its QR PNG', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'munjigi-card-'));
    dirs.push(dataDir);
    const run = await runCli(['specimen-card', '--data', dataDir, '--png', 'card.png'], { cwd: dataDir });
    expect(run.code).toBe(0);
    const token = run.out.trim();
    const kiosk = openSpecimenIssuer({ dataDir, logger: silentLogger });
    expect(kiosk.classify(token, Math.floor(Date.now() / 1000) + 3600)).toMatchObject({ result: 'EXPIRED', expected: true });
    expect(readFileSync(join(dataDir, 'card.png')).subarray(1, 4).toString()).toBe('PNG');
  });

  it('refuses a missing data folder and stray arguments with a code', async () => {
    const missing = await runCli(['specimen-card', '--data', '/nonexistent/munjigi']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('DATA_DIR_MISSING');
    expect((await runCli(['specimen-card'])).err).toContain('--data');
    expect((await runCli(['specimen-card', '--data', '.', 'extra'])).err).toContain('BAD_OPTION');
  });
});
