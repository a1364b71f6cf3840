// Integration test (Node) of the packaging configuration: electron-builder.config.cjs says what
// an installer contains, and scripts/after-pack.cjs flips the Electron fuses. The hook is run on
// a stand-in binary carrying Electron's fuse wire, and read back with @electron/fuses. Building
// real installers needs Electron downloads, which this machine cannot make (docs/operations.md).
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/core/paths';

const root = projectRoot();
const require = createRequire(import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const config = require(join(root, 'electron-builder.config.cjs')) as Record<string, any>;
const hook = require(join(root, 'scripts/after-pack.cjs')) as ((context: unknown) => Promise<void>) & { FUSES: Record<string, boolean> };
const hasFuses = (() => {
  try {
    require.resolve('@electron/fuses');
    return true;
  } catch {
    return false;
  }
})();

const tmp = mkdtempSync(join(tmpdir(), 'munjigi-pack-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('electron-builder configuration', () => {
  it('names the app 문지기 / Munjigi with a stable appId', () => {
    expect(config.appId).toBe('kr.munjigi.kiosk');
    expect(config.productName).toBe('Munjigi');
    expect(config.extraMetadata).toEqual({ productName: 'Munjigi' });
    expect(config.nsis.shortcutName).toBe('문지기');
  });

  it('builds NSIS for Windows and AppImage + .deb for Linux', () => {
    const targets = (list: Array<{ target: string }>) => list.map((t) => t.target);
    expect(targets(config.win.target)).toEqual(['nsis']);
    expect(targets(config.linux.target)).toEqual(['AppImage', 'deb']);
    expect(config.nsis.deleteAppDataOnUninstall).toBe(false); // the entry log survives an uninstall
  });

  it('ships only the built output and resources, inside an asar with native addons unpacked and rebuilt', () => {
    const included = (config.files as string[]).filter((f) => !f.startsWith('!'));
    expect(included.sort()).toEqual(['out/**', 'package.json', 'resources/**']);
    expect(config.files).toContain('!**/*.map');
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toContain('**/*.node');
    expect(config.npmRebuild).toBe(true);
    expect(config.buildDependenciesFromSource).toBe(false);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      scripts: Record<string, string>;
    };
    // The native modules the config unpacks are the ones the app depends on at run time.
    expect(Object.keys(pkg.dependencies)).toEqual(expect.arrayContaining(['better-sqlite3', 'node-hid']));
    expect(pkg.scripts.dist).toMatch(/npm run build && electron-builder .*--config electron-builder\.config\.cjs/);
  });

  it('installs the udev rule with the .deb and reloads udev after install and removal', () => {
    const rule = 'resources/udev/70-munjigi-hidpos.rules';
    expect(existsSync(join(root, rule))).toBe(true);
    expect(config.deb.fpm).toContain(`${rule}=/lib/udev/rules.d/70-munjigi-hidpos.rules`);
    expect(config.deb.depends).toContain('udev');
    expect(config.extraResources).toContainEqual({ from: 'resources/udev', to: 'udev', filter: ['*.rules'] });
    for (const script of [config.deb.afterInstall, config.deb.afterRemove] as string[]) {
      const text = readFileSync(join(root, script), 'utf8');
      expect(text.startsWith('#!/bin/sh\n')).toBe(true);
      expect(text).toContain('udevadm control --reload-rules');
      expect(statSync(join(root, script)).mode & 0o111).not.toBe(0);
    }
    // Replacing electron-builder's postinst must keep what it did: the command link and chrome-sandbox.
    const postinst = readFileSync(join(root, config.deb.afterInstall as string), 'utf8');
    expect(postinst).toContain("ln -sf '/opt/${sanitizedProductName}/${executable}' '/usr/bin/${executable}'");
    expect(postinst).toContain('chrome-sandbox');
    expect(postinst).toContain('udevadm trigger --subsystem-match=hidraw');
  });

  it('runs the fuse hook after packing, with the six fuses set the safe way', () => {
    expect(config.afterPack).toBe('scripts/after-pack.cjs');
    expect(hook.FUSES).toEqual({
      RunAsNode: false,
      EnableCookieEncryption: true,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
    });
  });
});

describe('after-pack fuse hook', () => {
  // Electron's binary carries this sentinel, then the wire version, its length and one byte per fuse.
  const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
  function standInBinary(path: string, wire: string) {
    writeFileSync(path, Buffer.concat([Buffer.alloc(4096, 0x90), Buffer.from(SENTINEL), Buffer.from([1, wire.length]), Buffer.from(wire), Buffer.alloc(64)]));
    chmodSync(path, 0o755);
  }
  const context = (platform: string, dir: string) => ({
    electronPlatformName: platform,
    appOutDir: dir,
    packager: { appInfo: { productFilename: 'Munjigi' }, executableName: 'munjigi' },
  });

  it.skipIf(!hasFuses)('flips every fuse in a Linux and a Windows binary and leaves the others alone', async () => {
    // @electron/fuses is a devDependency (packaging only); skipped where it is not installed.
    const fuses = await import('@electron/fuses');
    // Electron's default wire: RunAsNode on, cookie encryption off, NODE_OPTIONS on, inspect on,
    // asar integrity off, only-asar off, plus two fuses this hook does not touch.
    const defaults = '10110011';
    for (const [platform, file] of [['linux', 'munjigi'], ['win32', 'Munjigi.exe']] as const) {
      const dir = mkdtempSync(join(tmp, `${platform}-`));
      standInBinary(join(dir, file), defaults);
      await hook(context(platform, dir));
      const wire = await fuses.getCurrentFuseWire(join(dir, file));
      const O = fuses.FuseV1Options;
      const on = (o: number) => (wire as Record<number, number>)[o] === '1'.charCodeAt(0);
      expect(on(O.RunAsNode)).toBe(false);
      expect(on(O.EnableCookieEncryption)).toBe(true);
      expect(on(O.EnableNodeOptionsEnvironmentVariable)).toBe(false);
      expect(on(O.EnableNodeCliInspectArguments)).toBe(false);
      expect(on(O.EnableEmbeddedAsarIntegrityValidation)).toBe(true);
      expect(on(O.OnlyLoadAppFromAsar)).toBe(true);
      // The two fuses not in the list keep Electron's defaults.
      const start = 4096 + SENTINEL.length + 2;
      expect(readFileSync(join(dir, file)).subarray(start, start + 8).toString()).toBe('01001111');
    }
  });

  it.skipIf(!hasFuses)('fails the build instead of shipping an unfused binary', async () => {
    const dir = mkdtempSync(join(tmp, 'bad-'));
    writeFileSync(join(dir, 'munjigi'), 'not an electron binary');
    await expect(hook(context('linux', dir))).rejects.toThrow();
    await expect(hook(context('aix', dir))).rejects.toThrow(/unsupported platform/);
  });
});
