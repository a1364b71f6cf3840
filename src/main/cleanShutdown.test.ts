// Runs in Node (vitest). The run marker: a clean quit leaves nothing to report, anything else
// (no endRun, a torn or unreadable marker) is reported as an unclean shutdown at the next start,
// in the log (index.ts) and in the kiosk status.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKioskApp } from '../core/app/kiosk';
import { silentLogger } from '../core/log';
import { beginRun, endRun, RUN_MARKER_FILE } from './cleanShutdown';

let dir: string;
let marker: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'munjigi-run-'));
  marker = join(dir, RUN_MARKER_FILE);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('run marker', () => {
  it('first start and a start after a clean quit are clean', () => {
    expect(beginRun(marker, 1000, '0.1.0')).toEqual({ unclean: false, startedAt: null, version: null });
    expect(existsSync(marker)).toBe(true);
    endRun(marker);
    expect(existsSync(marker)).toBe(false);
    expect(beginRun(marker, 2000, '0.1.0').unclean).toBe(false);
  });

  it('a run that never reached endRun is reported with its start time and version', () => {
    beginRun(marker, 1000, '0.1.0');
    expect(beginRun(marker, 5000, '0.1.1')).toEqual({ unclean: true, startedAt: 1000, version: '0.1.0' });
    // The new run is marked in turn.
    expect(beginRun(marker, 9000, '0.1.1')).toEqual({ unclean: true, startedAt: 5000, version: '0.1.1' });
  });

  it('a torn or strange marker is still an unclean shutdown, never a crash', () => {
    writeFileSync(marker, '{"startedAt": 12');
    expect(beginRun(marker, 1, 'v')).toEqual({ unclean: true, startedAt: null, version: null });
    writeFileSync(marker, JSON.stringify({ startedAt: 'yesterday', version: 'x'.repeat(500) }));
    expect(beginRun(marker, 1, 'v')).toEqual({ unclean: true, startedAt: null, version: null });
    endRun(marker);
    endRun(marker); // twice is fine
  });
});

describe('kiosk status after an unclean shutdown', () => {
  it('carries the previous run into status, and nothing after a clean one', async () => {
    beginRun(marker, 1000, '0.1.0');
    const previousRun = beginRun(marker, 5000, '0.1.0');
    const app = createKioskApp({ dataDir: join(dir, 'data'), demo: true, logger: silentLogger, previousRun });
    expect(app.status().uncleanShutdown).toEqual({ startedAt: 1000, version: '0.1.0' });
    await app.close();
    endRun(marker);
    const clean = createKioskApp({ dataDir: join(dir, 'data'), demo: true, logger: silentLogger, previousRun: beginRun(marker, 9000, '0.1.0') });
    expect(clean.status().uncleanShutdown).toBeNull();
    await clean.close();
  });
});
