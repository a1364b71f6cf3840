// Runs in the Playwright test process (Node). Starts the built development host
// (out/node/devhost.js) on loopback with the given arguments and reads its address from the
// first stdout line; every e2e helper that needs a kiosk in Chromium starts it through here.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const DEVHOST = join(process.cwd(), 'out', 'node', 'devhost.js');

export interface RunningDevhost {
  url: string;
  child: ChildProcess;
  /** The host's stderr so far (JSON log lines), the last 200,000 characters. */
  log(): string;
  /** SIGTERM, then waits for the exit (a no-op when it already exited). */
  stop(): Promise<void>;
}

/** `args` after the script: `--data DIR --port 0` and whatever the test needs. Fails after 15 s or when the host exits first. */
export async function spawnDevhost(args: string[]): Promise<RunningDevhost> {
  if (!existsSync(DEVHOST)) throw new Error('out/node/devhost.js is missing: run `npm run build` first');
  const child = spawn(process.execPath, [DEVHOST, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-200_000)));
  const url = await new Promise<string>((done, failed) => {
    const timer = setTimeout(() => failed(new Error(`devhost did not start: ${log.slice(-4000)}`)), 15_000);
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      done(line.trim());
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      failed(new Error(`devhost exited ${code}: ${log.slice(-4000)}`));
    });
  });
  return {
    url,
    child,
    log: () => log,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
