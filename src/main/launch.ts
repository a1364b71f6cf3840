// Runs in the Electron main process (pure). How this start was asked to run, from the command
// line and the environment: demo setup or not, locked kiosk window or not, and the dev server
// URL that electron-vite passes in development (loopback http only).
import { devRendererOrigin } from './security';

export interface LaunchOptions {
  /** Demo setup: demo trust list and token minting (the lead's kiosk app decides what that means). */
  demo: boolean;
  /** Full-screen locked kiosk window without devtools. */
  kiosk: boolean;
  /** electron-vite's dev server, only when running unpackaged; null = serve app://munjigi. */
  devRendererUrl: string | null;
}

function flag(argv: readonly string[], env: string | undefined, on: string, off: string): boolean | null {
  if (argv.includes(off)) return false;
  if (argv.includes(on)) return true;
  if (env === '1' || env === 'true') return true;
  if (env === '0' || env === 'false') return false;
  return null;
}

/**
 * `--demo`/`--no-demo` (or MUNJIGI_DEMO=1/0) and `--kiosk`/`--windowed` (or MUNJIGI_KIOSK=1/0).
 * Without them, a start from the source tree (`npm start`) is a windowed demo and an installed
 * (packaged) app is a locked kiosk on its real setup. Command-line flags win over the environment.
 */
export function launchOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  isPackaged: boolean,
): LaunchOptions {
  const devUrl = env.ELECTRON_RENDERER_URL;
  return {
    demo: flag(argv, env.MUNJIGI_DEMO, '--demo', '--no-demo') ?? !isPackaged,
    kiosk: flag(argv, env.MUNJIGI_KIOSK, '--kiosk', '--windowed') ?? isPackaged,
    devRendererUrl: !isPackaged && devRendererOrigin(devUrl) !== null ? (devUrl as string) : null,
  };
}
