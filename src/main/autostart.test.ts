// Runs in Node (vitest). The start-at-login plan per platform and the XDG .desktop file content.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../core/log';
import { applyAutostartPlan, autostartPlan, autostartWanted, desktopExecArg, linuxAutostartEntry } from './autostart';

const base = { isPackaged: true, enable: true, execPath: '/opt/Munjigi/munjigi', env: {}, homeDir: '/home/kiosk' };

describe('autostart', () => {
  it('is wanted on a kiosk unless turned off', () => {
    expect(autostartWanted([], {}, true)).toBe(true);
    expect(autostartWanted([], {}, false)).toBe(false);
    expect(autostartWanted(['--no-autostart'], {}, true)).toBe(false);
    expect(autostartWanted([], { MUNJIGI_AUTOSTART: '0' }, true)).toBe(false);
  });

  it('uses the login item on Windows and nothing when unpackaged', () => {
    expect(autostartPlan({ ...base, platform: 'win32', execPath: 'C:\\Program Files\\Munjigi\\Munjigi.exe' })).toEqual({
      kind: 'login-item',
      openAtLogin: true,
      path: 'C:\\Program Files\\Munjigi\\Munjigi.exe',
      args: ['--kiosk'],
    });
    expect(autostartPlan({ ...base, platform: 'win32', enable: false })).toMatchObject({ openAtLogin: false });
    expect(autostartPlan({ ...base, platform: 'linux', isPackaged: false }).kind).toBe('none');
  });

  it('writes ~/.config/autostart/munjigi.desktop on Linux, $XDG_CONFIG_HOME and $APPIMAGE respected', () => {
    const plan = autostartPlan({ ...base, platform: 'linux' });
    expect(plan).toMatchObject({ kind: 'xdg', enable: true, path: '/home/kiosk/.config/autostart/munjigi.desktop' });
    expect(plan.kind === 'xdg' && plan.enable && plan.content).toContain('Exec=/opt/Munjigi/munjigi --kiosk\n');
    const appImage = autostartPlan({
      ...base,
      platform: 'linux',
      env: { XDG_CONFIG_HOME: '/srv/cfg', APPIMAGE: '/home/kiosk/Apps/Munjigi 0.1.0.AppImage' },
    });
    expect(appImage).toMatchObject({ path: '/srv/cfg/autostart/munjigi.desktop' });
    expect(appImage.kind === 'xdg' && appImage.enable && appImage.content).toContain(
      'Exec="/home/kiosk/Apps/Munjigi 0.1.0.AppImage" --kiosk\n',
    );
    // A relative XDG_CONFIG_HOME is ignored per the spec.
    expect(autostartPlan({ ...base, platform: 'linux', env: { XDG_CONFIG_HOME: 'rel' } })).toMatchObject({
      path: '/home/kiosk/.config/autostart/munjigi.desktop',
    });
    expect(autostartPlan({ ...base, platform: 'linux', enable: false })).toEqual({
      kind: 'xdg',
      enable: false,
      path: '/home/kiosk/.config/autostart/munjigi.desktop',
    });
  });

  it('quotes and escapes Exec arguments, and refuses control characters', () => {
    expect(desktopExecArg('/a b/$x"y')).toBe('"/a b/\\\\$x\\\\"y"');
    expect(desktopExecArg('100%')).toBe('"100%%"');
    expect(desktopExecArg('a b%')).toBe('"a b%%"');
    expect(() => linuxAutostartEntry({ exec: '/x\nExec=/bin/sh', args: [] })).toThrow(/control character/);
    const entry = linuxAutostartEntry({ exec: '/opt/m', args: ['--kiosk'] });
    expect(entry.split('\n')[0]).toBe('[Desktop Entry]');
    expect(entry).toMatch(/^Type=Application$/m);
  });
});

describe('applyAutostartPlan', () => {
  it('writes and removes the .desktop file and sets the login item; a failure is logged, not thrown', () => {
    const home = mkdtempSync(join(tmpdir(), 'munjigi-autostart-'));
    try {
      const calls: unknown[] = [];
      const loginItems = { setLoginItemSettings: (s: unknown) => void calls.push(s) };
      const { logger, lines } = memoryLogger();
      const on = autostartPlan({ ...base, platform: 'linux', homeDir: home });
      applyAutostartPlan(on, loginItems, logger);
      const file = join(home, '.config/autostart/munjigi.desktop');
      expect(readFileSync(file, 'utf8')).toContain('Exec=/opt/Munjigi/munjigi --kiosk');
      expect(statSync(file).mode & 0o777).toBe(0o644);
      applyAutostartPlan(autostartPlan({ ...base, platform: 'linux', homeDir: home, enable: false }), loginItems, logger);
      expect(existsSync(file)).toBe(false);
      applyAutostartPlan(autostartPlan({ ...base, platform: 'win32' }), loginItems, logger);
      expect(calls).toEqual([{ openAtLogin: true, path: '/opt/Munjigi/munjigi', args: ['--kiosk'] }]);
      // ~/.config is a plain file: the kiosk still runs, the log says why autostart is missing.
      writeFileSync(join(home, 'blocked'), '');
      applyAutostartPlan(autostartPlan({ ...base, platform: 'linux', homeDir: join(home, 'blocked') }), loginItems, logger);
      expect(lines.at(-1)).toMatchObject({ level: 'warn', msg: 'autostart could not be set', error: 'ENOTDIR' });
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
