// Runs under vitest (Node). admit(scan) against a real SQLite file and real signed KP1 tokens:
// OK writes exactly one entry and one outbox row; DUPLICATE and every refusal write none and
// are counted by code only; no input string throws; nothing personal reaches the log lines.
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { admitAnswer } from '../../shared/contract';
import type { ScanSource } from '../../shared/contract';
import { CodedError } from '../../shared/envelope';
import { fakeClock } from '../clock';
import type { TrustList } from '../kp1';
import { memoryLogger } from '../log';
import { createAdmitter, openEntryLog } from './index';
import { createScanTimings } from './scanTimings';
import type { AdmitSettings, EntryLog, Scan } from './index';
import { createTestIssuer } from './testIssuer';

const NOW_S = 1_795_392_000;
const settings: AdmitSettings = { facilityId: 'clinic-7', kioskId: 'front-1', skewSeconds: 3, maxTtlSeconds: 15 };

const dirs: string[] = [];
const logs: EntryLog[] = [];
const loggers: Array<ReturnType<typeof memoryLogger>> = [];
const secrets: string[] = [];

/** No log line may carry a subject handle, a token or a token id (checked after every test). */
function assertNothingPersonalLogged() {
  const all = loggers.flatMap((m) => m.lines.map((l) => JSON.stringify(l))).join('\n');
  for (const s of secrets) expect(all).not.toContain(s);
  expect(all).not.toMatch(/KP1\./);
  expect(all).not.toMatch(/\b\d{1,3}:[0-9a-f]{16}\b/);
  expect(all).not.toMatch(/[0-9a-f]{32}/);
}

afterEach(() => {
  assertNothingPersonalLogged();
  loggers.length = 0;
  secrets.length = 0;
  for (const l of logs.splice(0)) l.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(opts: { trustList?: TrustList | null } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'munjigi-admit-'));
  dirs.push(dir);
  const path = join(dir, 'entries.sqlite');
  const clock = fakeClock(NOW_S * 1000 + 400);
  const mem = memoryLogger();
  loggers.push(mem);
  const log = openEntryLog({ path, clock, logger: mem.logger, expectExisting: false });
  logs.push(log);
  const issuer = createTestIssuer();
  const trustList = opts.trustList === undefined ? issuer.trustList : opts.trustList;
  const admit = createAdmitter({ log, trustList: () => trustList, clock, settings: () => settings, logger: mem.logger });
  const counts = () => {
    const raw = new Database(path, { readonly: true });
    const entries = raw.prepare('SELECT count(*) FROM entry').pluck().get() as number;
    const outbox = raw.prepare('SELECT count(*) FROM outbox').pluck().get() as number;
    const refusals = raw.prepare('SELECT day, code, count FROM refusal_count ORDER BY code').all();
    raw.close();
    return { entries, outbox, refusals };
  };
  const scan = (data: string, source: ScanSource = 'wedge') => {
    const answer = admit({ data, source });
    expect(admitAnswer.safeParse(answer).success).toBe(true);
    return answer;
  };
  const mint: typeof issuer.mint = (at, extra) => {
    const token = issuer.mint(at, extra);
    secrets.push(token, token.slice(4, 60));
    return token;
  };
  return { path, clock, mem, log, issuer, mint, scan, counts };
}

describe('admit', () => {
  it('admits a valid token: one entry, one outbox row, settings in the row, answer with the entry id', () => {
    const k = setup();
    const token = k.mint(NOW_S - 2);
    const answer = k.scan(token + '\r\n', 'hid');
    expect(answer).toMatchObject({ ok: true, code: 'OK', issuer: 1, issuerName: 'naver', source: 'hid', todayCount: 1 });
    expect(answer.scannedAt).toBe(k.clock());
    expect(answer.entryId).toMatch(/^[0-9a-f-]{36}$/);
    expect(k.counts()).toMatchObject({ entries: 1, outbox: 1, refusals: [] });
    const row = k.log.getEntry(answer.entryId!);
    expect(row).toMatchObject({
      tokenId: answer.tokenId,
      issuer: 1,
      facilityId: 'clinic-7',
      kioskId: 'front-1',
      scannedAt: k.clock(),
      issuedAt: NOW_S - 2,
      source: 'hid',
      result: 'OK',
      replayedAt: null,
    });
    expect(row?.subject).toMatch(/^[0-9a-f]{32}$/);
    secrets.push(row!.subject, answer.tokenId!);
    expect(k.log.outboxBatch(10).map((o) => o.entry.id)).toEqual([answer.entryId]);
    expect(k.scan(k.mint(NOW_S)).todayCount).toBe(2);
  });

  it('answers DUPLICATE for the same token again, writes nothing and counts it', () => {
    const k = setup();
    const token = k.mint(NOW_S);
    expect(k.scan(token).code).toBe('OK');
    k.clock.advance(2000);
    const again = k.scan(token, 'camera');
    expect(again).toMatchObject({ ok: false, code: 'DUPLICATE', todayCount: 1 });
    expect(again.entryId).toBeUndefined();
    const c = k.counts();
    expect(c.entries).toBe(1);
    expect(c.outbox).toBe(1);
    expect(c.refusals).toEqual([{ day: '2026-11-23', code: 'DUPLICATE', count: 1 }]);
  });

  it('refuses each kind of bad token with its code, writes no entry, and counts it by code only', () => {
    const k = setup();
    const revoked = createTestIssuer({ code: 1, keyId: 2, status: 'revoked' });
    const trust: TrustList = {
      ...k.issuer.trustList,
      issuers: [{ ...k.issuer.trustList.issuers[0]!, keys: [...k.issuer.trustList.issuers[0]!.keys, ...revoked.trustList.issuers[0]!.keys] }],
    };
    const admit = createAdmitter({ log: k.log, trustList: () => trust, clock: k.clock, settings: () => settings, logger: k.mem.logger });
    const foreign = createTestIssuer({ code: 9 });
    const good = k.mint(NOW_S);
    const flipped = good.slice(0, 100) + (good[100] === 'A' ? 'B' : 'A') + good.slice(101);
    // Reported by the central API as admitted elsewhere before this kiosk saw it.
    const replayed = k.mint(NOW_S, { nonce: Buffer.from('00112233445566aa', 'hex') });
    secrets.push(flipped, '1:00112233445566aa');
    k.log.markReplayed(['1:00112233445566aa'], NOW_S * 1000);

    const cases: Array<[string, string]> = [
      [k.mint(NOW_S - 60), 'EXPIRED'],
      [k.mint(NOW_S + 30), 'NOT_YET_VALID'],
      [k.mint(NOW_S, { ttl: 30 }), 'TTL_TOO_LONG'],
      [foreign.mint(NOW_S), 'UNKNOWN_KEY'],
      [revoked.mint(NOW_S), 'KEY_REVOKED'],
      [flipped, 'BAD_SIGNATURE'],
      [replayed, 'REPLAYED'],
      ['8801234567893', 'MALFORMED'],
      ['', 'MALFORMED'],
      ['KP1.' + 'A'.repeat(129), 'MALFORMED'],
      ['\u0000\u0001\u00ff\ud800garbage\uffff', 'MALFORMED'],
      ['x'.repeat(100 * 1024), 'MALFORMED'],
      ['KP1.' + 'A'.repeat(300_000), 'MALFORMED'],
    ];
    for (const [data, code] of cases) {
      const answer = admit({ data, source: 'wedge' });
      expect(admitAnswer.safeParse(answer).success).toBe(true);
      expect(answer).toMatchObject({ ok: false, code, todayCount: 0 });
      expect(answer.entryId).toBeUndefined();
    }
    const c = k.counts();
    expect(c.entries).toBe(0);
    expect(c.outbox).toBe(0);
    const counted = Object.fromEntries(c.refusals.map((r) => [(r as { code: string }).code, (r as { count: number }).count]));
    expect(counted).toEqual({
      EXPIRED: 1,
      NOT_YET_VALID: 1,
      TTL_TOO_LONG: 1,
      UNKNOWN_KEY: 1,
      KEY_REVOKED: 1,
      BAD_SIGNATURE: 1,
      REPLAYED: 1,
      MALFORMED: 6,
    });
    expect(k.log.refusalCounts('2026-11-23')).toEqual(counted);
  });

  it('refuses every token with UNKNOWN_KEY until a trust list arrives, and says so once', () => {
    let trust: TrustList | null = null;
    const k = setup({ trustList: null });
    const admit = createAdmitter({ log: k.log, trustList: () => trust, clock: k.clock, settings: () => settings, logger: k.mem.logger });
    expect(admit({ data: k.mint(NOW_S), source: 'wedge' }).code).toBe('UNKNOWN_KEY');
    expect(admit({ data: k.mint(NOW_S), source: 'wedge' }).code).toBe('UNKNOWN_KEY');
    expect(admit({ data: 'garbage', source: 'wedge' }).code).toBe('MALFORMED');
    expect(k.mem.lines.filter((l) => l.msg.includes('no trust list'))).toHaveLength(1);
    trust = k.issuer.trustList;
    expect(admit({ data: k.mint(NOW_S), source: 'wedge' }).code).toBe('OK');
    expect(k.counts().entries).toBe(1);
  });

  it('never throws and never writes for any input string', () => {
    const k = setup();
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 300 }),
          fc.string({ unit: 'grapheme', maxLength: 200 }),
          fc.stringMatching(/^KP1\.[A-Za-z0-9_-]{120,140}\s*$/),
        ),
        fc.constantFrom<ScanSource>('wedge', 'camera', 'hid', 'demo'),
        (data, source) => {
          const answer = k.scan(data, source);
          expect(answer.ok).toBe(false);
        },
      ),
      { numRuns: 400 },
    );
    expect(k.counts().entries).toBe(0);
  });

  it('treats a scan from an unknown source as selftest, and a scan that is not one as MALFORMED', () => {
    const k = setup();
    const answer = k.scan(k.mint(NOW_S), 'bogus' as ScanSource);
    expect(answer.source).toBe('selftest');
    expect(k.log.getEntry(answer.entryId!)?.source).toBe('selftest');
    const admit = createAdmitter({ log: k.log, trustList: () => k.issuer.trustList, clock: k.clock, settings: () => settings, logger: k.mem.logger });
    for (const bad of [null, undefined, {}, { data: 42, source: 'wedge' }, { data: ['KP1.'], source: 'hid' }]) {
      expect(admit(bad as unknown as Scan)).toMatchObject({ ok: false, code: 'MALFORMED' });
    }
    expect(k.counts().entries).toBe(1);
  });

  it('reads facility, kiosk and verification settings at every admit', () => {
    const k = setup();
    let current = settings;
    const admit = createAdmitter({ log: k.log, trustList: () => k.issuer.trustList, clock: k.clock, settings: () => current, logger: k.mem.logger });
    const first = admit({ data: k.mint(NOW_S), source: 'wedge' });
    current = { ...settings, facilityId: 'clinic-8', kioskId: 'side-door', maxTtlSeconds: 10 };
    const second = admit({ data: k.mint(NOW_S, { ttl: 10 }), source: 'wedge' });
    expect(k.log.getEntry(first.entryId!)).toMatchObject({ facilityId: 'clinic-7', kioskId: 'front-1' });
    expect(k.log.getEntry(second.entryId!)).toMatchObject({ facilityId: 'clinic-8', kioskId: 'side-door' });
    expect(admit({ data: k.mint(NOW_S, { ttl: 15 }), source: 'wedge' }).code).toBe('TTL_TOO_LONG');
  });

  it('acknowledges nothing when the log cannot be written, with a coded Korean error', () => {
    const k = setup();
    k.log.close();
    let caught: unknown;
    try {
      k.scan(k.mint(NOW_S));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(CodedError);
    expect((caught as CodedError).code).toBe('ENTRY_LOG_WRITE_FAILED');
    expect((caught as CodedError).message).toMatch(/다시 스캔해 주세요/);
    // A refusal needs no write: it is still answered, the counter failure only logged.
    expect(k.scan('garbage').code).toBe('MALFORMED');
    expect(k.mem.lines.some((l) => l.level === 'error')).toBe(true);
  });

  it('logs each admit with its code and source, and nothing that identifies the visitor or the token', () => {
    const k = setup();
    const token = k.mint(NOW_S);
    const first = k.scan(token);
    secrets.push(first.tokenId!, k.log.getEntry(first.entryId!)!.subject);
    k.scan(token);
    k.scan(k.mint(NOW_S - 100));
    k.scan('KP1.' + token.slice(4, 60));
    const admits = k.mem.lines.filter((l) => l.msg === 'admit');
    expect(admits.map((l) => l.code)).toEqual(['OK', 'DUPLICATE', 'EXPIRED', 'MALFORMED']);
    expect(admits[0]).toMatchObject({ source: 'wedge', entryId: first.entryId });
    assertNothingPersonalLogged();
  });

  it('times decode (as the source reported it), verify and write of each scan by source; counts and durations only', () => {
    const { log, issuer, clock, mem } = setup();
    const timings = createScanTimings({ clock });
    let t = 0;
    const admit = createAdmitter({ log, trustList: () => issuer.trustList, clock, settings: () => settings, logger: mem.logger, timings, now: () => (t += 2) });
    expect(admit({ data: issuer.mint(NOW_S), source: 'wedge', timing: { decodeMs: 40 } }).ok).toBe(true);
    expect(admit({ data: 'garbage', source: 'camera', timing: { decodeMs: 180, retries: 4 } }).code).toBe('MALFORMED');
    // Bad figures from a source are dropped; the scan is still admitted and counted.
    expect(admit({ data: issuer.mint(NOW_S), source: 'camera', timing: { decodeMs: -5, retries: 1.5 } }).ok).toBe(true);
    expect(admit({ data: issuer.mint(NOW_S), source: 'camera', timing: 'x' as never }).ok).toBe(true);
    const summary = timings.summary({ from: clock() - 3_600_000, to: clock() + 1 });
    const wedge = summary.sources.find((x) => x.source === 'wedge')!;
    const camera = summary.sources.find((x) => x.source === 'camera')!;
    expect(wedge.scans).toBe(1);
    expect(wedge.stages.verify).toMatchObject({ samples: 1 });
    expect(wedge.stages.write).toMatchObject({ samples: 1 });
    expect(wedge.stages.decode.samples).toBe(1);
    expect(Math.abs(wedge.stages.decode.p50Ms! - 40) / 40).toBeLessThan(0.11);
    expect(camera).toMatchObject({ scans: 3, retriesPerScan: 4 });
    expect(camera.stages.decode.samples).toBe(1);
    expect(camera.stages.verify.samples).toBe(3);
    expect(summary.hourly.reduce((n, h) => n + h.scans, 0)).toBe(4);
  });
});
