// Runs in Node (vitest). The console channels of the kiosk app, through the same dispatcher the
// IPC and the development host use: real admits show up in the console, bad requests are refused
// with stable codes, and a settings patch never resets a key it does not name.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Channel, Request, Response } from '../../shared/contract';
import { createDispatcher } from '../../shared/dispatch';
import type { KioskApp } from '../app/kiosk';
import { createKioskApp } from '../app/kiosk';
import { fakeClock } from '../clock';
import { silentLogger } from '../log';

const NOW = Date.parse('2026-11-23T10:30:00+09:00');
let app: KioskApp | null = null;
let dir = '';
afterEach(async () => {
  await app?.close();
  app = null;
  rmSync(dir, { recursive: true, force: true });
});

describe('console channels', () => {
  it('show admitted entries per hour, refusals by code and a page without the subject', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mjg-kconsole-'));
    const clock = fakeClock(NOW);
    app = createKioskApp({ dataDir: dir, demo: true, logger: silentLogger, clock });
    const dispatch = createDispatcher(app.handlers, silentLogger);
    const { token } = await app.handlers['demo:mintToken']({ issuer: 1 });
    await app.handlers['kiosk:admit']({ data: token, source: 'wedge' });
    clock.advance(3000);
    await app.handlers['kiosk:admit']({ data: token, source: 'wedge' }); // DUPLICATE
    await app.handlers['kiosk:admit']({ data: 'garbage-scan', source: 'wedge' }); // MALFORMED

    const from = Date.parse('2026-11-23T00:00:00+09:00');
    const to = from + 24 * 3_600_000;
    // Through the dispatcher (validated), then read as the contract's response type.
    const call = async <C extends Channel>(channel: C, req: Request<C>): Promise<Response<C>> => {
      const env = await dispatch(channel, req);
      if (!env.ok) throw new Error(env.error.code);
      return env.value as Response<C>;
    };
    const hourly = await call('console:hourly', { from, to });
    expect(hourly.buckets).toHaveLength(24);
    expect(hourly.buckets[10]).toEqual({ start: from + 10 * 3_600_000, count: 1 });

    const refusals = await call('console:refusals', { day: '2026-11-23' });
    expect(refusals.entries).toBe(1);
    expect(refusals.byCode.map((r) => r.code).sort()).toEqual(['DUPLICATE', 'MALFORMED']);

    const page = await call('console:entries', { from, to, limit: 50 });
    expect(page).toMatchObject({ total: 1, cursor: null });
    expect(Object.keys(page.rows[0] ?? {}).sort()).toEqual(['result', 'scannedAt', 'source', 'tokenId']);

    const csv = await call('console:exportCsv', { from, to, granularity: 'hour' });
    expect(csv.csv.split('\r\n')[11]).toBe('2026-11-23 10:00,1');
    expect(csv.filename).toMatch(/^munjigi-[A-Za-z0-9_.-]+-hour-2026-11-23\.csv$/);
  });

  it('refuse bad requests with stable codes and keep answering', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mjg-kconsole-'));
    app = createKioskApp({ dataDir: dir, demo: true, logger: silentLogger, clock: fakeClock(NOW) });
    const dispatch = createDispatcher(app.handlers, silentLogger);
    const code = async (channel: string, req: unknown) => {
      const env = await dispatch(channel, req);
      return env.ok ? 'ok' : env.error.code;
    };
    expect(await code('console:hourly', { from: NOW, to: NOW - 1 })).toBe('CONSOLE_BAD_RANGE');
    expect(await code('console:hourly', { from: 'yesterday', to: NOW })).toBe('INVALID_REQUEST');
    expect(await code('console:hourly', { from: 0, to: NOW })).toBe('CONSOLE_BAD_RANGE');
    expect(await code('console:entries', { from: NOW - 1000, to: NOW, limit: 1000 })).toBe('INVALID_REQUEST');
    expect(await code('console:entries', { from: NOW - 1000, to: NOW, cursor: 'AAAA' })).toBe('CONSOLE_BAD_CURSOR');
    expect(await code('console:refusals', { day: '2026-13-01' })).toBe('CONSOLE_BAD_DAY');
    expect(await code('console:exportCsv', { from: NOW - 1000, to: NOW, granularity: 'minute' })).toBe('INVALID_REQUEST');
    expect(await code('console:entries', { from: NOW - 1000, to: NOW, subject: true })).toBe('INVALID_REQUEST');
    expect(await code('console:hourly', { from: NOW - 1000, to: NOW })).toBe('ok');
  });

  it('per-scan timing: admit carries the decode time, the renderer reports feedback, stats:timing sums by source; bad figures refused', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mjg-kconsole-'));
    const clock = fakeClock(NOW);
    app = createKioskApp({ dataDir: dir, demo: true, logger: silentLogger, clock });
    const dispatch = createDispatcher(app.handlers, silentLogger);
    const code = async (channel: string, req: unknown) => {
      const env = await dispatch(channel, req);
      return env.ok ? 'ok' : env.error.code;
    };
    for (let i = 0; i < 3; i++) {
      const { token } = await app.handlers['demo:mintToken']({ issuer: 1 });
      expect(await dispatch('kiosk:admit', { data: token, source: 'wedge', timing: { decodeMs: 30 + i } })).toMatchObject({ ok: true, value: { code: 'OK' } });
      expect(await dispatch('stats:feedback', { source: 'wedge', feedbackMs: 20 })).toMatchObject({ ok: true, value: { recorded: true } });
      clock.advance(3000);
    }
    // Figures out of bounds or of the wrong shape are refused before they reach main's code.
    for (const timing of [{ decodeMs: -1 }, { decodeMs: 1e9 }, { retries: 1.5 }, { retries: 5000 }, { decodeMs: 5, name: 'x' }, 'fast']) {
      expect(await code('kiosk:admit', { data: 'x', source: 'wedge', timing })).toBe('INVALID_REQUEST');
    }
    expect(await code('stats:feedback', { source: 'wedge', feedbackMs: Number.NaN })).toBe('INVALID_REQUEST');
    expect(await code('stats:feedback', { source: 'phone', feedbackMs: 5 })).toBe('INVALID_REQUEST');
    expect(await code('stats:timing', { from: NOW, to: NOW - 1 })).toBe('CONSOLE_BAD_RANGE');
    expect(await code('stats:timing', { from: NOW - 40 * 86_400_000, to: NOW })).toBe('CONSOLE_BAD_RANGE');

    const env = await dispatch('stats:timing', { from: NOW - 3_600_000, to: NOW + 3_600_000 });
    if (!env.ok) throw new Error(env.error.code);
    const stats = env.value as Response<'stats:timing'>;
    expect(stats.sources).toHaveLength(1);
    const wedge = stats.sources[0]!;
    expect(wedge).toMatchObject({ source: 'wedge', scans: 3 });
    expect(wedge.stages.decode.samples).toBe(3);
    expect(wedge.stages.verify.samples).toBe(3);
    expect(wedge.stages.write.samples).toBe(3);
    expect(wedge.stages.feedback.samples).toBe(3);
    expect(stats.hourly.reduce((n, h) => n + h.scans, 0)).toBe(3);
    expect(stats.suggestion).toBeNull();
    expect(JSON.stringify(stats)).not.toMatch(/token|subject|KP1/i);
  });

  it('settings: new fields are validated, and a patch leaves keys it does not name alone', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mjg-kconsole-'));
    app = createKioskApp({ dataDir: dir, demo: true, logger: silentLogger, clock: fakeClock(NOW) });
    const dispatch = createDispatcher(app.handlers, silentLogger);
    expect(await dispatch('settings:update', { language: 'en', highContrast: true })).toMatchObject({
      ok: true,
      value: { language: 'en', highContrast: true, largeText: false },
    });
    expect(await dispatch('settings:update', { resultScreenMs: 5000 })).toMatchObject({ ok: true, value: { language: 'en', highContrast: true } });
    for (const bad of [{ language: 'fr' }, { centralApiUrl: 'javascript:alert(1)' }, { centralApiUrl: 'https://u:p@x.kr' }, { screenTimeoutMs: 10 }]) {
      expect(await dispatch('settings:update', bad)).toMatchObject({ ok: false });
    }
    expect(await dispatch('settings:update', { centralApiUrl: 'https://api.munjigi.example/' })).toMatchObject({ ok: true });
    expect(await dispatch('settings:get', {})).toMatchObject({ ok: true, value: { language: 'en', centralApiUrl: 'https://api.munjigi.example/' } });
  });
});
