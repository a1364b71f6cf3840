// Runs in the Electron main process. Start at login: on Windows and macOS through
// app.setLoginItemSettings, on Linux through an XDG autostart .desktop file. These functions
// decide what to write where (pure); applyAutostartPlan does it, and index.ts calls that.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Logger } from '../core/log';

export const AUTOSTART_FILE = 'munjigi.desktop';

export type AutostartPlan =
  | { kind: 'login-item'; openAtLogin: boolean; path: string; args: string[] }
  | { kind: 'xdg'; enable: true; path: string; content: string }
  | { kind: 'xdg'; enable: false; path: string }
  | { kind: 'none'; reason: string };

/**
 * An installed kiosk starts at login unless `--no-autostart` or MUNJIGI_AUTOSTART=0 says not to
 * (which also removes an earlier entry). A start from the source tree never touches login items.
 */
export function autostartWanted(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  kiosk: boolean,
): boolean {
  if (argv.includes('--no-autostart') || env.MUNJIGI_AUTOSTART === '0' || env.MUNJIGI_AUTOSTART === 'false') return false;
  return kiosk;
}

/** Quote one Exec argument per the Desktop Entry spec; control characters are refused outright. */
export function desktopExecArg(arg: string): string {
  if ([...arg].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) throw new Error('autostart: control character in a path or argument');
  if (/^[A-Za-z0-9_@+=:,./-]+$/.test(arg)) return arg; // % is a field code, so it is never bare
  // Inside double quotes: escape " ` $ \ ; then the .desktop string escape doubles backslashes again.
  const quoted = `"${arg.replace(/(["`$\\])/g, '\\$1')}"`;
  return quoted.replace(/\\/g, '\\\\').replace(/%/g, '%%');
}

export function linuxAutostartEntry(opts: { exec: string; args: readonly string[] }): string {
  const exec = [opts.exec, ...opts.args].map(desktopExecArg).join(' ');
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Munjigi',
    'Name[ko]=문지기',
    'Comment=Entrance register kiosk (전자출입명부)',
    `Exec=${exec}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    'X-GNOME-Autostart-Delay=5',
    '',
  ].join('\n');
}

export function autostartPlan(opts: {
  platform: NodeJS.Platform;
  enable: boolean;
  isPackaged: boolean;
  execPath: string;
  env: Readonly<Record<string, string | undefined>>;
  homeDir: string;
}): AutostartPlan {
  if (!opts.isPackaged) return { kind: 'none', reason: 'not packaged' };
  const args = ['--kiosk'];
  if (opts.platform === 'win32' || opts.platform === 'darwin') {
    return { kind: 'login-item', openAtLogin: opts.enable, path: opts.execPath, args };
  }
  if (opts.platform !== 'linux') return { kind: 'none', reason: `unsupported platform ${opts.platform}` };
  const configHome = opts.env.XDG_CONFIG_HOME?.startsWith('/') ? opts.env.XDG_CONFIG_HOME : join(opts.homeDir, '.config');
  const path = join(configHome, 'autostart', AUTOSTART_FILE);
  if (!opts.enable) return { kind: 'xdg', enable: false, path };
  // An AppImage runs from a temporary mount; the stable file to start is $APPIMAGE.
  const exec = opts.env.APPIMAGE?.startsWith('/') ? opts.env.APPIMAGE : opts.execPath;
  return { kind: 'xdg', enable: true, path, content: linuxAutostartEntry({ exec, args }) };
}

/** The part of Electron's `app` used to apply a login-item plan. */
export interface LoginItemsLike {
  setLoginItemSettings(settings: { openAtLogin: boolean; path?: string; args?: string[] }): void;
}

/** Applies a plan; failures are logged (a kiosk still runs without autostart) and never thrown. */
export function applyAutostartPlan(plan: AutostartPlan, loginItems: LoginItemsLike, logger: Logger): void {
  try {
    if (plan.kind === 'login-item') {
      loginItems.setLoginItemSettings({ openAtLogin: plan.openAtLogin, path: plan.path, args: plan.args });
    } else if (plan.kind === 'xdg' && plan.enable) {
      mkdirSync(dirname(plan.path), { recursive: true });
      writeFileSync(plan.path, plan.content, { mode: 0o644 });
    } else if (plan.kind === 'xdg') {
      rmSync(plan.path, { force: true });
    }
    logger.info('autostart', { kind: plan.kind, enabled: plan.kind === 'login-item' ? plan.openAtLogin : plan.kind === 'xdg' ? plan.enable : false });
  } catch (err) {
    logger.warn('autostart could not be set', { kind: plan.kind, error: (err as NodeJS.ErrnoException).code ?? 'unknown' });
  }
}
