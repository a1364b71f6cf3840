// Runs in Node (vitest). Starts the development corpus's serve.mjs (../shared/sitescan-corpus)
// on a free loopback port as the scanner's test proxy, for the sitescan integration tests.
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';

export const corpusDir = resolve('../shared/sitescan-corpus');
export const hasCorpus = existsSync(join(corpusDir, 'serve.mjs')) && existsSync(join(corpusDir, 'cases.json'));
export const hasChromium = existsSync('/usr/bin/chromium');

export interface CorpusServer {
  /** http://127.0.0.1:<port>, to pass as the scanner's `proxy` */
  proxy: string;
  /** Switches the corpus to a later version of its sites ('' = the first version). */
  setState(state: string): Promise<string>;
  stop(): void;
}

export const freePort = () =>
  new Promise<number>((ok) => {
    const s = http.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => ok(port));
    });
  });

/** Starts serve.mjs and resolves once it prints its first line (10 s bound). */
export async function startCorpusServer(): Promise<CorpusServer> {
  const port = await freePort();
  const proxy = `http://127.0.0.1:${port}`;
  const server: ChildProcess = spawn(process.execPath, [join(corpusDir, 'serve.mjs'), corpusDir, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((ok, fail) => {
    const t = setTimeout(() => {
      server.kill();
      fail(new Error('corpus server did not start'));
    }, 10_000);
    server.stdout?.once('data', () => {
      clearTimeout(t);
      ok();
    });
  });
  return {
    proxy,
    setState: (s) => fetch(`${proxy}/__state/${s}`, { headers: { host: 'state.example' } }).then((r) => r.text()),
    stop: () => void server.kill(),
  };
}
