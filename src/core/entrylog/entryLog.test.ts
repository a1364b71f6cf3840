// Runs under vitest (Node). The entry log on real SQLite files in a per-test temp dir:
// migrations, pragmas in effect, refusal of missing/corrupt/foreign/newer files (left byte
// for byte untouched), retention, counters and the outbox API.
import Database from 'better-sqlite3';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CodedError } from '../../shared/envelope';
import { DAY_MS, fakeClock } from '../clock';
import { generateKeyPair } from '../kp1';
import { memoryLogger, silentLogger } from '../log';
import { APPLICATION_ID, CHECKPOINT_EVERY, PURGE_BATCH, RETENTION_MS, SCHEMA_VERSION, openEntryLog } from './index';
import type { EntryLog } from './index';
import { tempLogFiles, testEntry } from './testSupport';

const files = tempLogFiles();
const tempPath = files.path;

const T0 = Date.parse('2026-11-23T03:00:00Z'); // 12:00 in Seoul
const receiptKey = generateKeyPair().privateKey;
const open = (path: string, expectExisting = false, clock = fakeClock(T0), logger = silentLogger) => {
  return files.track(openEntryLog({ path, clock, logger, expectExisting, receiptKey }));
};

const entry = testEntry;

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CodedError);
    expect((err as CodedError).message).toMatch(/[가-힣]/);
    return (err as CodedError).code;
  }
  throw new Error('expected a CodedError');
}

/** A real entry log with some rows, closed, for corruption tests (bulk rows in one transaction). */
function writtenLog(rows: number): string {
  const path = tempPath();
  const log = openEntryLog({ path, clock: fakeClock(T0), logger: silentLogger, expectExisting: false });
  log.recordEntry(entry(T0), T0);
  log.close();
  const raw = new Database(path);
  const insert = raw.prepare(
    `INSERT INTO entry (id, token_id, issuer, subject, facility_id, kiosk_id, scanned_at, issued_at, source, result)
     VALUES (@id, @tokenId, @issuer, @subject, @facilityId, @kioskId, @scannedAt, @issuedAt, @source, 'OK')`,
  );
  raw.transaction(() => {
    for (let i = 1; i < rows; i++) insert.run(entry(T0 + i));
  })();
  raw.close();
  return path;
}

describe('opening and migrations', () => {
  it('creates a new log from nothing, migrates it once, and re-opens it with its data', () => {
    const path = tempPath();
    const mem = memoryLogger();
    const log = open(path, false, fakeClock(T0), mem.logger);
    expect(log.pragmas().userVersion).toBe(SCHEMA_VERSION);
    const e = entry(T0);
    expect(log.recordEntry(e, T0)).toBe('written');
    log.close();
    expect(mem.lines.filter((l) => l.msg === 'entry log migrated')).toHaveLength(SCHEMA_VERSION);

    const again = memoryLogger();
    const reopened = open(path, true, fakeClock(T0), again.logger);
    expect(reopened.getEntry(e.id)).toMatchObject({ tokenId: e.tokenId, result: 'OK', replayedAt: null });
    expect(again.lines.filter((l) => l.msg === 'entry log migrated')).toHaveLength(0);

    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    const tables = raw.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['entry', 'known_replay', 'outbox', 'refusal_count']));
    raw.close();
  });

  it('runs WAL, synchronous=FULL and foreign keys on the connection it writes with', () => {
    const path = tempPath();
    const log = open(path);
    expect(log.pragmas()).toMatchObject({ journalMode: 'wal', synchronous: 2, foreignKeys: true });
    log.recordEntry(entry(T0), T0);
    expect(existsSync(`${path}-wal`)).toBe(true);
    // The file holds subject handles: only the kiosk's user may read it.
    expect(statSync(path).mode & 0o077).toBe(0);
  });

  it('checkpoints the WAL after answers, not inside an admit’s commit', () => {
    const path = tempPath();
    const queued: Array<() => void> = [];
    const log = openEntryLog({ path, clock: fakeClock(T0), logger: silentLogger, expectExisting: false, defer: (fn) => queued.push(fn) });
    files.track(log);
    const empty = statSync(path).size;
    for (let i = 0; i < CHECKPOINT_EVERY - 1; i++) log.recordEntry(entry(T0 + i), T0);
    expect(queued).toHaveLength(0);
    log.recordEntry(entry(T0), T0);
    log.recordEntry(entry(T0), T0);
    expect(queued).toHaveLength(1); // one at a time
    expect(statSync(path).size).toBe(empty); // everything still in the WAL
    queued.shift()?.();
    expect(statSync(path).size).toBeGreaterThan(empty);
    for (let i = 0; i < CHECKPOINT_EVERY; i++) log.recordEntry(entry(T0 + i), T0);
    expect(queued).toHaveLength(1);
    log.close();
    expect(() => queued.shift()?.()).not.toThrow(); // a checkpoint after close is skipped
  });

  it('refuses a missing log when one is expected, and creates nothing', () => {
    const path = tempPath();
    expect(codeOf(() => open(path, true))).toBe('ENTRY_LOG_MISSING');
    expect(existsSync(path)).toBe(false);
  });

  it('refuses to start over a write-ahead log whose database is gone', () => {
    const path = writtenLog(1);
    const wal = `${path}-wal`;
    writeFileSync(wal, randomBytes(4096));
    rmSync(path);
    expect(codeOf(() => open(path, false))).toBe('ENTRY_LOG_MISSING');
    expect(existsSync(path)).toBe(false);
  });

  it.each([
    ['random bytes', (p: string) => writeFileSync(p, randomBytes(64 * 1024))],
    ['a short text file', (p: string) => writeFileSync(p, 'not a database\n')],
    ['a header followed by garbage', (p: string) => writeFileSync(p, Buffer.concat([Buffer.from('SQLite format 3\0'), randomBytes(8192)]))],
  ])('refuses %s as ENTRY_LOG_CORRUPT and leaves it untouched', (_name, make) => {
    const path = tempPath();
    make(path);
    const before = sha(path);
    expect(codeOf(() => open(path, true))).toBe('ENTRY_LOG_CORRUPT');
    expect(codeOf(() => open(path, false))).toBe('ENTRY_LOG_CORRUPT');
    expect(sha(path)).toBe(before);
  });

  it('refuses a truncated database as ENTRY_LOG_CORRUPT and leaves it untouched', () => {
    const path = writtenLog(3000);
    const size = statSync(path).size;
    expect(size).toBeGreaterThan(64 * 1024);
    truncateSync(path, Math.floor(size / 2));
    const before = sha(path);
    expect(codeOf(() => open(path, true))).toBe('ENTRY_LOG_CORRUPT');
    expect(sha(path)).toBe(before);
  });

  it('treats an empty file as corrupt when a log was expected, and as new otherwise', () => {
    const path = tempPath();
    writeFileSync(path, '');
    expect(codeOf(() => open(path, true))).toBe('ENTRY_LOG_CORRUPT');
    expect(statSync(path).size).toBe(0);
    expect(open(path, false).pragmas().userVersion).toBe(SCHEMA_VERSION);
  });

  it('refuses another application’s database and one from a newer Munjigi, untouched', () => {
    const foreign = tempPath();
    const other = new Database(foreign);
    other.exec('CREATE TABLE patients (name TEXT)');
    other.close();
    const foreignBefore = sha(foreign);
    expect(codeOf(() => open(foreign, false))).toBe('ENTRY_LOG_FOREIGN');
    expect(sha(foreign)).toBe(foreignBefore);

    const newer = writtenLog(1);
    const raw = new Database(newer);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    const newerBefore = sha(newer);
    expect(codeOf(() => open(newer, true))).toBe('ENTRY_LOG_TOO_NEW');
    expect(sha(newer)).toBe(newerBefore);
  });

  it('refuses paths that are not files', () => {
    expect(codeOf(() => open(''))).toBe('ENTRY_LOG_UNAVAILABLE');
    expect(codeOf(() => open(':memory:'))).toBe('ENTRY_LOG_UNAVAILABLE');
    const dir = files.dir();
    expect(codeOf(() => open(dir, true))).toBe('ENTRY_LOG_UNAVAILABLE');
    const file = join(dir, 'plain-file');
    writeFileSync(file, 'x');
    expect(codeOf(() => open(join(file, 'entries.sqlite'), false))).toBe('ENTRY_LOG_UNAVAILABLE');
    expect(readFileSync(file, 'utf8')).toBe('x');
  });
});

describe('entries, counters and retention', () => {
  it('writes an entry and its outbox row together, and never the same token twice', () => {
    const log = open(tempPath());
    const e = entry(T0);
    expect(log.recordEntry(e, T0)).toBe('written');
    expect(log.lookup(e.tokenId)).toBe('duplicate');
    expect(log.recordEntry({ ...entry(T0), tokenId: e.tokenId }, T0)).toBe('duplicate');
    expect(log.pendingCount()).toBe(1);
    expect(log.todayCount(T0)).toBe(1);
  });

  it('counts today by the Seoul calendar day', () => {
    const log = open(tempPath());
    const midnightSeoul = Date.parse('2026-11-23T15:00:00Z'); // 2026-11-24 00:00 KST
    log.recordEntry(entry(midnightSeoul - 60_000), midnightSeoul);
    log.recordEntry(entry(midnightSeoul - 1), midnightSeoul);
    log.recordEntry(entry(midnightSeoul), midnightSeoul);
    expect(log.todayCount(midnightSeoul - 1)).toBe(2);
    expect(log.todayCount(midnightSeoul)).toBe(1);
    expect(log.todayCount(midnightSeoul + DAY_MS)).toBe(0);
  });

  it('keeps today’s count right as entries arrive, across days and after a reopen', () => {
    const path = tempPath();
    const log = open(path);
    expect(log.todayCount(T0)).toBe(0);
    const first = entry(T0);
    log.recordEntry(first, T0);
    log.recordEntry(entry(T0 - DAY_MS), T0); // yesterday: not today's
    log.recordEntry(entry(T0 + 60_000), T0 + 60_000);
    expect(log.recordEntry({ ...entry(T0), tokenId: first.tokenId }, T0)).toBe('duplicate');
    expect(log.todayCount(T0 + 120_000)).toBe(2);
    expect(log.todayCount(T0 - DAY_MS)).toBe(1);
    log.recordEntry(entry(T0 + 1000), T0 + 1000);
    expect(log.todayCount(T0)).toBe(3);
    log.close();
    const reopened = open(path, true);
    expect(reopened.todayCount(T0)).toBe(3);
    // A purge (after a clock jump) drops the cached count: T0 - 1 day and T0 go, two stay.
    expect(reopened.purgeExpired(T0 + 28 * DAY_MS + 1)).toBe(2);
    expect(reopened.todayCount(T0)).toBe(2);
  });

  it('counts refusals by code and Seoul day, holding nothing else', () => {
    const path = tempPath();
    const log = open(path);
    const lateEvening = Date.parse('2026-11-23T14:30:00Z'); // 23:30 KST on the 23rd
    log.countRefusal(lateEvening, 'EXPIRED');
    log.countRefusal(lateEvening, 'EXPIRED');
    log.countRefusal(lateEvening + 3_600_000, 'MALFORMED'); // 00:30 KST on the 24th
    expect(log.refusalCounts('2026-11-23')).toEqual({ EXPIRED: 2 });
    expect(log.refusalCounts('2026-11-24')).toEqual({ MALFORMED: 1 });
    expect(log.refusalCounts('2026-11-25')).toEqual({});
    expect(codeOf(() => log.refusalCounts('2026-02-30'))).toBe('ENTRY_LOG_BAD_ARGUMENT');
    expect(codeOf(() => log.refusalCounts("'; DROP TABLE entry; --"))).toBe('ENTRY_LOG_BAD_ARGUMENT');
    const raw = new Database(path, { readonly: true });
    const columns = raw.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('refusal_count');
    expect(columns).toEqual(['day', 'code', 'count']);
    raw.close();
  });

  it('purges entries older than 28 days with their outbox rows, in batches, and keeps the rest', () => {
    const path = tempPath();
    const mem = memoryLogger();
    const log = open(path, false, fakeClock(T0), mem.logger);
    const now = T0 + 40 * DAY_MS;
    const old = Array.from({ length: PURGE_BATCH * 2 + 7 }, (_, i) => entry(now - 29 * DAY_MS - i));
    const kept = [entry(now - 27 * DAY_MS), entry(now - RETENTION_MS + 1000)];
    for (const e of [...old, ...kept]) log.recordEntry(e, e.scannedAt);
    log.markSynced(old.slice(0, 10).map((e) => e.id));
    log.markReplayed(['1:00000000000000ff'], now - 30 * DAY_MS);
    log.markReplayed(['1:00000000000000fe'], now - DAY_MS);

    expect(log.purgeExpired(now)).toBe(old.length);
    for (const e of old) expect(log.getEntry(e.id)).toBeUndefined();
    for (const e of kept) expect(log.getEntry(e.id)).toBeDefined();
    expect(log.pendingCount()).toBe(kept.length);
    expect(log.lookup('1:00000000000000ff')).toBeNull();
    expect(log.lookup('1:00000000000000fe')).toBe('replayed');
    expect(mem.lines.find((l) => l.msg.includes('never synced'))).toMatchObject({ count: old.length - 10 });
    expect(log.purgeExpired(now)).toBe(0);

    const raw = new Database(path, { readonly: true });
    expect(raw.prepare('SELECT count(*) FROM outbox WHERE entry_id NOT IN (SELECT id FROM entry)').pluck().get()).toBe(0);
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();
  });
});

describe('outbox API', () => {
  it('hands out entries in order, removes synced ones, and records failures', () => {
    const log = open(tempPath());
    const es = [entry(T0 + 2), entry(T0), entry(T0 + 1)];
    es.forEach((e, i) => log.recordEntry(e, T0 + 100 * (i + 1)));
    expect(log.oldestPendingAt()).toBe(T0 + 100);
    const batch = log.outboxBatch(2);
    expect(batch.map((b) => b.entry.id)).toEqual([es[0]?.id, es[1]?.id]);
    expect(batch[0]?.seq).toBeLessThan(batch[1]?.seq ?? 0);
    expect(batch[0]?.entry).toMatchObject({ facilityId: 'fac-1', kioskId: 'kiosk-1', source: 'wedge', result: 'OK' });

    expect(log.recordAttemptFailure([es[0]!.id], 'HTTP 503 ' + 'x'.repeat(2000))).toBe(1);
    expect(log.outboxBatch(1)[0]?.attempts).toBe(1);

    expect(log.markSynced([es[0]!.id, es[1]!.id, 'no-such-id'])).toBe(2);
    expect(log.pendingCount()).toBe(1);
    expect(log.oldestPendingAt()).toBe(T0 + 300);
    expect(log.getEntry(es[0]!.id)).toBeDefined(); // synced entries stay until retention
    log.markSynced([es[2]!.id]);
    expect(log.pendingCount()).toBe(0);
    expect(log.oldestPendingAt()).toBeNull();
    expect(log.outboxBatch(10)).toEqual([]);
  });

  it('flags entries the central API reports as replayed elsewhere, and remembers the token ids', () => {
    const mem = memoryLogger();
    const log = open(tempPath(), false, fakeClock(T0), mem.logger);
    const e = entry(T0);
    log.recordEntry(e, T0);
    expect(log.markReplayed([e.tokenId, '2:0011223344556677', 'not a token id'], T0 + 5000)).toBe(1);
    expect(log.getEntry(e.id)?.replayedAt).toBe(T0 + 5000);
    expect(log.markReplayed([e.tokenId], T0 + 9000)).toBe(0); // first report wins
    expect(log.lookup(e.tokenId)).toBe('duplicate'); // admitted here first: same visitor again
    expect(log.lookup('2:0011223344556677')).toBe('replayed');
    expect(log.lookup('not a token id')).toBeNull();
    expect(mem.lines.find((l) => l.msg.includes('malformed token ids'))).toMatchObject({ count: 1 });
  });

  it.each([
    ['outboxBatch(0)', (l: EntryLog) => l.outboxBatch(0)],
    ['outboxBatch(1.5)', (l: EntryLog) => l.outboxBatch(1.5)],
    ['outboxBatch(10_000)', (l: EntryLog) => l.outboxBatch(10_000)],
    ['markSynced(string)', (l: EntryLog) => l.markSynced('abc' as unknown as string[])],
    ['markSynced([1])', (l: EntryLog) => l.markSynced([1] as unknown as string[])],
    ['recordAttemptFailure(null)', (l: EntryLog) => l.recordAttemptFailure(null as unknown as string[], 'x')],
    ['markReplayed(NaN)', (l: EntryLog) => l.markReplayed(['1:0011223344556677'], Number.NaN)],
    ['todayCount(Infinity)', (l: EntryLog) => l.todayCount(Number.POSITIVE_INFINITY)],
    ['purgeExpired("x")', (l: EntryLog) => l.purgeExpired('x' as unknown as number)],
  ])('refuses bad arguments: %s', (_name, call) => {
    const log = open(tempPath());
    log.recordEntry(entry(T0), T0);
    expect(codeOf(() => call(log))).toBe('ENTRY_LOG_BAD_ARGUMENT');
    expect(log.pendingCount()).toBe(1);
  });
});
