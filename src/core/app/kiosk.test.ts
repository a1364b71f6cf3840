import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../shared/dispatch';
import { fakeClock } from '../clock';
import { generateKeyPair, mintToken } from '../kp1';
import { createFakeHid, hidPosDevice } from '../scanner/fakeHid';
import { scanToReports } from '../scanner/simulate';
import { memoryLogger, silentLogger } from '../log';
import type { KioskApp } from './kiosk';
import { createKioskApp, kioskPaths } from './kiosk';
import { RECEIPT_KEY_FILE } from '../entrylog';

const opened: KioskApp[] = [];
const start = (dataDir: string, demo = true, clock = fakeClock(Date.UTC(2026, 10, 23, 1, 0, 0))) => {
  const app = createKioskApp({ dataDir, demo, logger: silentLogger, clock });
  opened.push(app);
  return app;
};
const tempDir = () => mkdtempSync(join(tmpdir(), 'munjigi-kiosk-'));

afterEach(async () => {
  for (const app of opened.splice(0)) await app.close();
});

describe('kiosk app', () => {
  it('on a demo setup admits a demo token once, then says DUPLICATE, and counts today', async () => {
    const clock = fakeClock(Date.UTC(2026, 10, 23, 1, 0, 0));
    const app = start(tempDir(), true, clock);
    expect(app.status().fault).toBeNull();
    expect(app.status().trustList?.issuers).toBe(3);
    await app.handlers['settings:update']({ sources: { wedge: true, hid: true, camera: true } }); // the camera is off by default
    const { token } = await app.handlers['demo:mintToken']({ issuer: 2 });
    const first = await app.handlers['kiosk:admit']({ data: token, source: 'wedge' });
    expect(first).toMatchObject({ ok: true, code: 'OK', issuerName: 'kakao', todayCount: 1 });
    expect(first.entryId).toMatch(/^[0-9a-f-]{36}$/);
    clock.advance(2_500);
    const again = await app.handlers['kiosk:admit']({ data: token, source: 'camera' });
    expect(again).toMatchObject({ ok: false, code: 'DUPLICATE', todayCount: 1 });
    expect(app.status().todayCount).toBe(1);
    expect(app.status().sync.pending).toBe(1);
  });

  it('keeps its demo keys and entries across a restart', async () => {
    const dir = tempDir();
    const clock = fakeClock(Date.UTC(2026, 10, 23, 1, 0, 0));
    const first = start(dir, true, clock);
    const { token } = await first.handlers['demo:mintToken']({});
    await first.handlers['kiosk:admit']({ data: token, source: 'wedge' });
    await first.close();
    clock.advance(2_500);
    const second = start(dir, true, clock);
    expect((await second.handlers['kiosk:admit']({ data: token, source: 'wedge' })).code).toBe('DUPLICATE');
    const { token: fresh } = await second.handlers['demo:mintToken']({});
    expect((await second.handlers['kiosk:admit']({ data: fresh, source: 'wedge' })).code).toBe('OK');
  });

  it('refuses a token signed by a key the trust list does not hold', async () => {
    const clock = fakeClock(Date.UTC(2026, 10, 23, 1, 0, 0));
    const app = start(tempDir(), true, clock);
    const stray = generateKeyPair();
    const token = mintToken({ privateKey: stray.privateKey, issuer: 1, keyId: 1, issuedAt: Math.floor(clock() / 1000) });
    expect((await app.handlers['kiosk:admit']({ data: token, source: 'wedge' })).code).toBe('BAD_SIGNATURE');
    expect(app.status().todayCount).toBe(0);
  });

  it('without trust roots (not enrolled, not demo) refuses every token and says why in the log', async () => {
    const { logger, lines } = memoryLogger();
    const app = createKioskApp({ dataDir: tempDir(), demo: false, logger, clock: fakeClock(Date.UTC(2026, 10, 23)) });
    opened.push(app);
    const answer = await app.handlers['kiosk:admit']({ data: 'KP1.' + 'A'.repeat(130), source: 'wedge' });
    expect(answer.ok).toBe(false);
    expect(app.status().trustList).toBeNull();
    expect(lines.some((l) => l.msg.includes('no trust roots'))).toBe(true);
    await expect(app.handlers['demo:mintToken']({})).rejects.toMatchObject({ code: 'DEMO_OFF' });
  });

  it('shows a fault and never creates a new log over a corrupt one', async () => {
    const dir = tempDir();
    await start(dir).close();
    opened.length = 0;
    const garbage = Buffer.from('this is not an sqlite database, it is a broken disk'.repeat(200));
    writeFileSync(kioskPaths(dir).entryLog, garbage);
    rmSync(kioskPaths(dir).entryLog + '-wal', { force: true });
    const app = start(dir);
    expect(app.status().fault?.code).toBe('ENTRY_LOG_CORRUPT');
    await expect(Promise.resolve().then(() => app.handlers['kiosk:admit']({ data: 'x', source: 'wedge' }))).rejects.toMatchObject({
      code: 'ENTRY_LOG_CORRUPT',
    });
    expect(readFileSync(kioskPaths(dir).entryLog).equals(garbage)).toBe(true);
  });

  it('shows a fault when the log of a kiosk that was set up before is missing', async () => {
    const dir = tempDir();
    await start(dir).close();
    opened.length = 0;
    rmSync(kioskPaths(dir).entryLog);
    rmSync(kioskPaths(dir).entryLog + '-wal', { force: true });
    rmSync(kioskPaths(dir).entryLog + '-shm', { force: true });
    expect(start(dir).status().fault?.code).toBe('ENTRY_LOG_MISSING');
  });

  it('through the dispatcher: unknown channels, bad payloads and main-only sources are refused', async () => {
    const app = start(tempDir());
    const dispatch = createDispatcher(app.handlers, silentLogger);
    expect(await dispatch('kiosk:deleteEverything', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    expect(await dispatch('kiosk:admit', { data: 42, source: 'wedge' })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(await dispatch('kiosk:admit', { data: 'x', source: 'hid' })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(await dispatch('kiosk:admit', { data: 'x', source: 'wedge', extra: 1 })).toMatchObject({ ok: false });
    expect(await dispatch('settings:update', { voice: { volume: 2, muted: false } })).toMatchObject({ ok: false });
    expect(await dispatch('kiosk:admit', { data: '\u0000\u0001garbage', source: 'wedge' })).toMatchObject({ ok: true, value: { code: 'MALFORMED' } });
    expect(await dispatch('kiosk:admit', { data: 'x'.repeat(100_000), source: 'wedge' })).toMatchObject({ ok: true, value: { code: 'MALFORMED' } });
    expect(await dispatch('kiosk:admit', { data: '8801234567893', source: 'wedge' })).toMatchObject({ ok: true, value: { code: 'MALFORMED' } });
  });

  it('pushes HID scans admitted in main to listeners', async () => {
    const app = start(tempDir());
    const seen: string[] = [];
    app.onEvent((name, payload) => seen.push(`${name}:${(payload as { code: string }).code}`));
    const { token } = await app.handlers['demo:mintToken']({});
    app.admitFromMain({ data: token, source: 'hid' });
    expect(seen).toEqual(['kiosk:admitted:OK']);
  });

  it('one scan, one entry: the same data from two sources within 2 s is answered once', async () => {
    const clock = fakeClock(Date.UTC(2026, 10, 23, 1, 0, 0));
    const app = start(tempDir(), true, clock);
    const pushed: unknown[] = [];
    app.onEvent((name, payload) => name === 'kiosk:admitted' && pushed.push(payload));
    await app.handlers['settings:update']({ sources: { wedge: true, hid: true, camera: true } }); // the camera is off by default
    const { token } = await app.handlers['demo:mintToken']({});
    const byHid = app.admitFromMain({ data: token, source: 'hid' });
    clock.advance(800);
    const byCamera = await app.handlers['kiosk:admit']({ data: token, source: 'camera' });
    expect(byHid).toMatchObject({ code: 'OK' });
    expect(byCamera).toMatchObject({ code: 'OK', entryId: byHid?.entryId, repeat: true });
    expect(app.admitFromMain({ data: token, source: 'hid' })?.repeat).toBe(true);
    expect(pushed).toHaveLength(1);
    expect(app.status().todayCount).toBe(1);
    clock.advance(2_100);
    expect((await app.handlers['kiosk:admit']({ data: token, source: 'wedge' })).code).toBe('DUPLICATE');
  });

  it('admits scans from HID POS scanners through the same path and reports them in status', async () => {
    const fake = createFakeHid();
    fake.plug(hidPosDevice('/dev/hidraw7'));
    const clock = fakeClock(Date.UTC(2026, 10, 23, 1, 0, 0));
    const app = createKioskApp({ dataDir: tempDir(), demo: true, logger: silentLogger, clock, hid: fake.hid });
    opened.push(app);
    await expect.poll(() => app.status().scanner.detail).toContain('HID 스캐너 1대');
    const pushed: Array<{ code: string; source: string }> = [];
    app.onEvent((name, payload) => name === 'kiosk:admitted' && pushed.push(payload as never));
    const { token } = await app.handlers['demo:mintToken']({ issuer: 3 });
    for (const report of scanToReports(token + '\r')) fake.send('/dev/hidraw7', report);
    await expect.poll(() => pushed.length).toBe(1);
    expect(pushed[0]).toMatchObject({ code: 'OK', source: 'hid' });
    expect(app.status().todayCount).toBe(1);
  });

  it('signs deletion receipts with a 0600 key made at first start, kept across restarts, shown for inspectors', async () => {
    const dir = tempDir();
    const clock = fakeClock(Date.UTC(2026, 10, 23, 1, 0, 0));
    const first = start(dir, true, clock);
    const { token } = await first.handlers['demo:mintToken']({});
    await first.handlers['kiosk:admit']({ data: token, source: 'wedge' });
    const integrity = await first.handlers['log:integrity']({});
    expect(integrity).toMatchObject({ head: { seq: 1 }, pendingReceipts: 0, receipts: [] });
    expect(integrity.receiptPublicKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(statSync(join(dir, RECEIPT_KEY_FILE)).mode & 0o777).toBe(0o600);
    await first.close();
    const second = start(dir, true, clock);
    expect((await second.handlers['log:integrity']({})).receiptPublicKey).toBe(integrity.receiptPublicKey);
    await expect(createDispatcher(second.handlers, silentLogger)('log:integrity', { limit: 0 })).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
  });

  it('keeps admitting with an unreadable receipt key, says so in the log, and deletes nothing', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, RECEIPT_KEY_FILE), 'not a key', { mode: 0o600 });
    const mem = memoryLogger();
    const app = createKioskApp({ dataDir: dir, demo: true, logger: mem.logger, clock: fakeClock(Date.UTC(2026, 10, 23, 1, 0, 0)) });
    opened.push(app);
    const { token } = await app.handlers['demo:mintToken']({});
    expect((await app.handlers['kiosk:admit']({ data: token, source: 'wedge' })).code).toBe('OK');
    expect((await app.handlers['log:integrity']({})).receiptPublicKey).toBeNull();
    expect(mem.lines.some((l) => l.msg.startsWith('receipt key unavailable') && l.code === 'KEY_INVALID')).toBe(true);
    expect(readFileSync(join(dir, RECEIPT_KEY_FILE), 'utf8')).toBe('not a key');
  });

  it('runs the opening self-test at start and on demand, with the camera as the renderer reports it', async () => {
    const app = start(tempDir());
    await expect.poll(async () => (await app.handlers['selftest:last']({}))?.trigger).toBe('daily');
    const run = await app.handlers['selftest:run']({ camera: 'denied' });
    expect(run.trigger).toBe('manual');
    expect(run.results.map((r) => r.id)).toEqual(['scanner', 'camera', 'centralApi', 'trustList', 'clock', 'speaker', 'specimen']);
    expect(run.results.find((r) => r.id === 'camera')).toMatchObject({ status: 'fail' });
    expect(run.results.find((r) => r.id === 'trustList')).toMatchObject({ status: 'ok' }); // demo list, just made
    expect(run.results.find((r) => r.id === 'centralApi')).toMatchObject({ status: 'warn' }); // not enrolled
    expect(run.results.find((r) => r.id === 'specimen')).toMatchObject({ status: 'ok' }); // minted, verified, nothing written
    expect(run.ok).toBe(false);
    expect(await app.handlers['selftest:last']({})).toEqual(run);
    const dispatch = createDispatcher(app.handlers, silentLogger);
    expect(await dispatch('selftest:run', { camera: 'maybe' })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
  });
});
