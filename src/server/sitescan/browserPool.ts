// Runs in Node (server, CLI). One long-lived Chromium shared by the scans running at the same
// time in this process: starting a browser per scan cost ~0.4 CPU-seconds and ~0.5–1 s of wall
// time each. Scans still never share a context (each visit opens a fresh one and closes it) and
// each context gets its own scan's guard proxy, so sharing the process shares nothing a page sees.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Browser, LaunchOptions } from 'playwright-core';

export interface BrowserLease {
  browser: Browser;
  /** Gives the browser back; the last lease out closes it (nothing lingers between scans). */
  release(): Promise<void>;
}

export type Launch = (opts: LaunchOptions) => Promise<Browser>;

/** Hands out one browser per launch-options key while at least one lease is held. */
export function browserPool(launch: Launch): (key: string, opts: LaunchOptions) => Promise<BrowserLease> {
  const entries = new Map<string, { browser: Promise<Browser>; leases: number }>();
  return async (key, opts) => {
    let entry = entries.get(key);
    if (!entry) {
      const browser = launch(opts);
      const made = { browser, leases: 0 };
      entry = made;
      entries.set(key, made);
      // a failed start or a crash forgets the browser, so the next scan starts a new one
      browser.then(
        (b) => b.on('disconnected', () => entries.get(key) === made && entries.delete(key)),
        () => entries.get(key) === made && entries.delete(key),
      );
    }
    const held = entry;
    held.leases += 1;
    let browser: Browser;
    try {
      browser = await held.browser;
    } catch (err) {
      held.leases -= 1;
      throw err;
    }
    let released = false;
    return {
      browser,
      release: async () => {
        if (released) return;
        released = true;
        held.leases -= 1;
        if (held.leases > 0) return;
        if (entries.get(key) === held) entries.delete(key);
        await browser.close().catch(() => undefined);
      },
    };
  };
}

/**
 * Starts Chromium with its browser-wide proxy set to a local endpoint that refuses everything:
 * only contexts given their own proxy (the scan's guard) reach the network at all.
 */
export function launchBehindRefusal(launch: Launch): Launch {
  return async (opts) => {
    const refusal = await startRefusalProxy();
    try {
      const browser = await launch({ ...opts, args: [...(opts.args ?? []), `--proxy-server=${refusal.url}`, '--proxy-bypass-list=<-loopback>'] });
      browser.on('disconnected', () => void refusal.close());
      return browser;
    } catch (err) {
      await refusal.close();
      throw err;
    }
  };
}

async function startRefusalProxy(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((_req, res) => res.writeHead(403, { 'content-type': 'text/plain' }).end('refused'));
  server.on('connect', (_req, socket: Duplex) => socket.destroy());
  server.on('upgrade', (_req, socket: Duplex) => socket.destroy());
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
