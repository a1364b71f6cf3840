// Runs under vitest (Node). The shared scan browser: one per key while leased, closed by the
// last lease, started again after a failed start or a crash; the refusal proxy refuses.
import { EventEmitter } from 'node:events';
import type { Browser, LaunchOptions } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserPool, launchBehindRefusal } from './browserPool';

function fakeLauncher(failFirst = false) {
  const launched: Array<{ opts: LaunchOptions; closed: boolean; crash(): void }> = [];
  let calls = 0;
  const launch = async (opts: LaunchOptions): Promise<Browser> => {
    calls += 1;
    if (failFirst && calls === 1) throw new Error('no chromium');
    const events = new EventEmitter();
    const rec = { opts, closed: false, crash: () => events.emit('disconnected') };
    launched.push(rec);
    const browser = {
      on: (name: string, fn: () => void) => events.on(name, fn),
      close: async () => {
        rec.closed = true;
        events.emit('disconnected');
      },
    };
    return browser as unknown as Browser;
  };
  return { launch, launched };
}

describe('browserPool', () => {
  it('shares one browser between leases and closes it when the last is given back', async () => {
    const { launch, launched } = fakeLauncher();
    const pool = browserPool(launch);
    const [a, b] = await Promise.all([pool('chromium', {}), pool('chromium', {})]);
    expect(a.browser).toBe(b.browser);
    expect(launched).toHaveLength(1);
    await a.release();
    await a.release(); // twice is once
    expect(launched[0]?.closed).toBe(false);
    await b.release();
    expect(launched[0]?.closed).toBe(true);
    // nothing lingers: the next scan starts a new browser
    const c = await pool('chromium', {});
    expect(launched).toHaveLength(2);
    await c.release();
  });

  it('keeps separate browsers for separate executables', async () => {
    const { launch, launched } = fakeLauncher();
    const pool = browserPool(launch);
    const a = await pool('/usr/bin/chromium', {});
    const b = await pool('/opt/other', {});
    expect(a.browser).not.toBe(b.browser);
    expect(launched).toHaveLength(2);
    await Promise.all([a.release(), b.release()]);
  });

  it('a failed start is not remembered', async () => {
    const { launch, launched } = fakeLauncher(true);
    const pool = browserPool(launch);
    await expect(pool('chromium', {})).rejects.toThrow('no chromium');
    const a = await pool('chromium', {});
    expect(launched).toHaveLength(1);
    await a.release();
  });

  it('a crashed browser is replaced for the next lease', async () => {
    const { launch, launched } = fakeLauncher();
    const pool = browserPool(launch);
    const a = await pool('chromium', {});
    launched[0]?.crash();
    const b = await pool('chromium', {});
    expect(b.browser).not.toBe(a.browser);
    await Promise.all([a.release(), b.release()]);
    expect(launched[1]?.closed).toBe(true);
  });
});

describe('launchBehindRefusal', () => {
  it('points the browser-wide proxy at a local endpoint that refuses every request', async () => {
    const { launch, launched } = fakeLauncher();
    const browser = await launchBehindRefusal(launch)({ args: ['--x'] });
    const args = launched[0]?.opts.args ?? [];
    expect(args[0]).toBe('--x');
    const proxyArg = args.find((a) => a.startsWith('--proxy-server='));
    expect(proxyArg).toMatch(/^--proxy-server=http:\/\/127\.0\.0\.1:\d+$/);
    expect(args).toContain('--proxy-bypass-list=<-loopback>');
    const proxy = (proxyArg ?? '').slice('--proxy-server='.length);
    const res = await fetch(`${proxy}/anything`);
    expect(res.status).toBe(403);
    await browser.close();
    // closed with the browser
    await expect(fetch(`${proxy}/anything`)).rejects.toThrow();
  });

  it('closes the refusal endpoint when the browser cannot start', async () => {
    const { launch } = fakeLauncher(true);
    await expect(launchBehindRefusal(launch)({})).rejects.toThrow('no chromium');
  });
});
