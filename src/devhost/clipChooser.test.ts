// Runs under vitest (Node). The development host's stand-in for the clip file dialog: the newest
// regular file in its folder; none (or no folder) is a cancel.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newestFileIn } from './clipChooser';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('newestFileIn', () => {
  it('answers the newest regular file, skipping folders and dotfiles; empty or missing folder: null', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'munjigi-chooser-'));
    dirs.push(dir);
    const choose = newestFileIn(dir);
    expect(await choose()).toBeNull();
    writeFileSync(join(dir, 'old.wav'), 'a');
    writeFileSync(join(dir, 'new.wav'), 'b');
    writeFileSync(join(dir, '.hidden'), 'c');
    mkdirSync(join(dir, 'folder'));
    utimesSync(join(dir, 'old.wav'), new Date(1_000_000), new Date(1_000_000));
    utimesSync(join(dir, 'new.wav'), new Date(2_000_000), new Date(2_000_000));
    utimesSync(join(dir, '.hidden'), new Date(3_000_000), new Date(3_000_000));
    utimesSync(join(dir, 'folder'), new Date(4_000_000), new Date(4_000_000));
    expect(await choose()).toBe(join(dir, 'new.wav'));
    expect(await newestFileIn(join(dir, 'missing'))()).toBeNull();
  });
});
