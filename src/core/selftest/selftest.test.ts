// Runs under vitest (Node). The self-test runner with fake checks and a real entry log as its
// store: order, timeouts, throws, one run at a time, first-start-of-the-day, the last N kept;
// and each standard check's ok / warn / fail with a Korean fix.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DAY_MS, fakeClock } from '../clock';
import { openEntryLog } from '../entrylog';
import type { EntryLog } from '../entrylog';
import { SELFTEST_RUNS_KEPT } from '../entrylog/entryLog';
import { memoryLogger } from '../log';
import { cameraCheck, centralApiCheck, clockCheck, createSelftest, scannerCheck, speakerCheck, specimenCheck, trustListCheck } from './index';
import type { SelftestCheck, SpecimenRoundTrip } from './index';

const dirs: string[] = [];
const logs: EntryLog[] = [];
afterEach(() => {
  for (const l of logs.splice(0)) l.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const T0 = Date.parse('2026-11-23T00:30:00Z'); // 09:30 in Seoul

function setup(checks: SelftestCheck[]) {
  const dir = mkdtempSync(join(tmpdir(), 'munjigi-selftest-'));
  dirs.push(dir);
  const clock = fakeClock(T0);
  const log = openEntryLog({ path: join(dir, 'e.sqlite'), clock, logger: memoryLogger().logger, expectExisting: false });
  logs.push(log);
  const mem = memoryLogger();
  return { clock, log, mem, selftest: createSelftest({ checks: () => checks, store: log, clock, logger: mem.logger }) };
}

const fixed = (id: string, status: 'ok' | 'warn' | 'fail'): SelftestCheck => ({
  id,
  label: id,
  run: () => ({ status, detail: `${id} 결과`, fix: status === 'ok' ? null : `${id} 고치기` }),
});

describe('self-test runner', () => {
  it('runs every check in order, keeps the run, and fails only on a failed check', async () => {
    const { selftest, log, mem } = setup([fixed('a', 'ok'), fixed('b', 'warn'), fixed('c', 'ok')]);
    const run = await selftest.run();
    expect(run).toMatchObject({ trigger: 'manual', ok: true, day: '2026-11-23', startedAt: T0 });
    expect(run.results.map((r) => [r.id, r.status])).toEqual([['a', 'ok'], ['b', 'warn'], ['c', 'ok']]);
    expect(selftest.last()).toEqual(run);
    expect(log.selftestRuns(10)).toHaveLength(1);
    expect(mem.lines.find((l) => l.msg === 'selftest')).toMatchObject({ ok: true, warned: 'b', failed: '' });
  });

  it('turns a hang into a timeout failure and a throw into a failure with its code, then goes on', async () => {
    const hang: SelftestCheck = { id: 'hang', label: '멈춤', timeoutMs: 30, run: () => new Promise(() => {}) };
    const boom: SelftestCheck = { id: 'boom', label: '오류', run: () => { throw Object.assign(new Error('x'), { code: 'HID_GONE' }); } };
    const { selftest } = setup([hang, boom, fixed('after', 'ok')]);
    const run = await selftest.run();
    expect(run.ok).toBe(false);
    expect(run.results[0]).toMatchObject({ id: 'hang', status: 'fail' });
    expect(run.results[0]!.fix).toMatch(/[가-힣]/);
    expect(run.results[1]).toMatchObject({ id: 'boom', status: 'fail' });
    expect(run.results[1]!.detail).toContain('HID_GONE');
    expect(run.results[2]).toMatchObject({ id: 'after', status: 'ok' });
  });

  it('runs one at a time: a second request while one runs gets the same run', async () => {
    let release!: () => void;
    const slow: SelftestCheck = { id: 's', label: 's', run: () => new Promise((done) => (release = () => done({ status: 'ok', detail: '', fix: null }))) };
    const { selftest, log } = setup([slow]);
    const a = selftest.run();
    const b = selftest.run();
    await new Promise((r) => setTimeout(r, 5));
    release();
    expect(await a).toBe(await b);
    expect(log.selftestRuns(10)).toHaveLength(1);
  });

  it('runs by itself at the first start of each Seoul day only', async () => {
    const { selftest, clock } = setup([fixed('a', 'ok')]);
    expect(await selftest.runIfFirstToday()).toMatchObject({ trigger: 'daily' });
    clock.advance(3 * 3_600_000);
    expect(await selftest.runIfFirstToday()).toBeNull();
    clock.advance(DAY_MS);
    expect(await selftest.runIfFirstToday()).toMatchObject({ trigger: 'daily', day: '2026-11-24' });
  });

  it('keeps only the newest runs, and refuses bad runs and limits', async () => {
    const { selftest, log } = setup([fixed('a', 'ok')]);
    for (let i = 0; i < SELFTEST_RUNS_KEPT + 5; i++) await selftest.run();
    expect(log.selftestRuns(SELFTEST_RUNS_KEPT)).toHaveLength(SELFTEST_RUNS_KEPT);
    expect(() => log.selftestRuns(0)).toThrow(expect.objectContaining({ code: 'ENTRY_LOG_BAD_ARGUMENT' }) as Error);
    expect(() => log.recordSelftestRun({ startedAt: T0, day: 'nope', trigger: 'manual', ok: true, results: [] })).toThrow(expect.objectContaining({ code: 'ENTRY_LOG_BAD_ARGUMENT' }) as Error);
  });
});

describe('standard checks', () => {
  const status = async (c: SelftestCheck) => (await c.run()).status;

  it('trust list: absent fails, older than 7 days warns, fresh is ok', async () => {
    const clock = fakeClock(T0);
    expect(await status(trustListCheck({ issuedAt: () => null, clock }))).toBe('fail');
    expect(await status(trustListCheck({ issuedAt: () => T0 - 8 * DAY_MS, clock }))).toBe('warn');
    expect(await status(trustListCheck({ issuedAt: () => T0 - DAY_MS, clock }))).toBe('ok');
  });

  it('clock: unknown warns, 3 s warns, 15 s fails, 0.5 s is ok', async () => {
    expect(await status(clockCheck({ offsetMs: () => null }))).toBe('warn');
    expect(await status(clockCheck({ offsetMs: () => -3000 }))).toBe('warn');
    expect(await status(clockCheck({ offsetMs: () => 15_000 }))).toBe('fail');
    expect(await status(clockCheck({ offsetMs: () => 500 }))).toBe('ok');
  });

  it('central API: not configured and unreachable warn (the kiosk works offline), reachable is ok', async () => {
    expect(await status(centralApiCheck({ probe: null }))).toBe('warn');
    expect(await status(centralApiCheck({ probe: () => Promise.reject(new Error('ECONNREFUSED')) }))).toBe('warn');
    expect(await status(centralApiCheck({ probe: () => Promise.resolve() }))).toBe('ok');
  });

  it('scanner, camera and speaker say what to fix', async () => {
    const scanner = (state: 'ready' | 'warning' | 'off', seen: boolean) => scannerCheck({ hid: () => ({ state, detail: 'x' }), scanSeenSinceStart: () => seen });
    expect(await status(scanner('ready', false))).toBe('ok');
    expect(await status(scanner('warning', true))).toBe('fail');
    expect(await status(scanner('off', true))).toBe('ok');
    expect(await status(scanner('off', false))).toBe('warn');
    expect(await status(cameraCheck({ reported: () => 'denied' }))).toBe('fail');
    expect(await status(cameraCheck({ reported: () => null }))).toBe('warn');
    expect(await status(cameraCheck({ reported: () => 'ok' }))).toBe('ok');
    expect(await status(speakerCheck({ voice: () => ({ muted: true, volume: 1 }) }))).toBe('warn');
    expect(await status(speakerCheck({ voice: () => ({ muted: false, volume: 0.1 }) }))).toBe('warn');
    const loud = await speakerCheck({ voice: () => ({ muted: false, volume: 0.8 }) }).run();
    expect(loud).toEqual({ status: 'ok', detail: '음량 80%', fix: null, en: { detail: 'Volume 80%', fix: null } });
    expect(await status(speakerCheck({ voice: () => ({ muted: false, volume: 0.8 }), played: () => 'failed' }))).toBe('fail');
    expect((await speakerCheck({ voice: () => ({ muted: false, volume: 0.8 }), played: () => 'played' }).run()).detail).toContain('시험음');
    for (const c of [scanner('warning', false), cameraCheck({ reported: () => 'missing' })]) expect((await c.run()).fix).toMatch(/[가-힣]/);
  });
});

describe('English beside Korean', () => {
  it('every outcome of every standard check has English words, and a fix in both languages when one is needed', async () => {
    const clock = fakeClock(T0);
    const checks: SelftestCheck[] = [
      trustListCheck({ issuedAt: () => null, clock }),
      trustListCheck({ issuedAt: () => T0 - 8 * DAY_MS, clock }),
      trustListCheck({ issuedAt: () => T0, clock }),
      clockCheck({ offsetMs: () => null }),
      clockCheck({ offsetMs: () => 15_000 }),
      centralApiCheck({ probe: null }),
      centralApiCheck({ probe: () => Promise.reject(new Error('x')) }),
      scannerCheck({ hid: () => ({ state: 'warning', detail: 'x' }), scanSeenSinceStart: () => false }),
      scannerCheck({ hid: () => ({ state: 'off', detail: 'x' }), scanSeenSinceStart: () => false, specimenSeen: () => ({ source: 'hid', scannedAt: 1, expected: false, result: 'NOT_YET_VALID' }) }),
      ...(['ok', 'denied', 'missing', 'disabled', null] as const).map((r) => cameraCheck({ reported: () => r })),
      speakerCheck({ voice: () => ({ muted: true, volume: 1 }) }),
    ];
    for (const check of checks) {
      expect(check.labelEn).toMatch(/^[A-Z]/);
      const out = await check.run();
      expect(out.en?.detail).toMatch(/^[\x20-\x7e–·]+$/);
      if (out.fix === null) expect(out.en?.fix).toBeNull();
      else expect(out.en?.fix).toMatch(/^[\x20-\x7e–·]+$/);
    }
  });
});

describe('scanner check with the specimen card', () => {
  const hidOff = () => ({ state: 'off' as const, detail: '' });
  it('a card read by a scanner passes end to end; an unexpected result fails and says why', async () => {
    const seen = (expected: boolean, result: string) => () => ({ source: 'wedge', scannedAt: T0, expected, result });
    const good = await scannerCheck({ hid: hidOff, scanSeenSinceStart: () => true, specimenSeen: seen(true, 'EXPIRED') }).run();
    expect(good).toMatchObject({ status: 'ok', detail: expect.stringContaining('키보드 방식 스캐너') as string });
    const early = await scannerCheck({ hid: hidOff, scanSeenSinceStart: () => true, specimenSeen: seen(false, 'NOT_YET_VALID') }).run();
    expect(early).toMatchObject({ status: 'fail', fix: expect.stringContaining('시계') as string });
  });
});

describe('specimen check', () => {
  const status = async (c: SelftestCheck) => (await c.run()).status;
  const counts = { entries: 3, outbox: 1 };
  const trip = (over: Partial<SpecimenRoundTrip>): SpecimenRoundTrip => ({ recognised: true, result: 'OK', entryId: null, before: counts, after: counts, ...over });
  it('passes only when the specimen is recognised with OK and nothing is written', async () => {
    expect(await status(specimenCheck({ roundTrip: () => trip({}) }))).toBe('ok');
    expect(await status(specimenCheck({ roundTrip: () => trip({ recognised: false, result: 'UNKNOWN_KEY' }) }))).toBe('fail');
    expect(await status(specimenCheck({ roundTrip: () => trip({ result: 'EXPIRED' }) }))).toBe('fail');
    expect(await status(specimenCheck({ roundTrip: () => trip({ entryId: 'e1' }) }))).toBe('fail');
    expect(await status(specimenCheck({ roundTrip: () => trip({ after: { entries: 4, outbox: 2 } }) }))).toBe('fail');
  });
});
