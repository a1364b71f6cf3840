// Runs in Node (vitest). entry_hour (migration 3) against the entries themselves: it is backfilled
// for an existing log, follows every admit and every purge, and range counts built from it equal
// a plain count of the index for any range, partial hours included.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { fakeClock } from '../clock';
import { generateKeyPair } from '../kp1';
import { silentLogger } from '../log';
import type { NewEntry } from './entryLog';
import { RETENTION_MS, openEntryLog } from './entryLog';
import { HOUR_MS, createEntryCounter } from './hourCounts';
import { MIGRATIONS } from './schema';
import { tempLogFiles } from './testSupport';

const T0 = Date.parse('2026-03-10T00:00:00+09:00');
const receiptKey = generateKeyPair().privateKey;
const files = tempLogFiles('mjg-hours-');
const tempPath = files.path;

let n = 0;
const entry = (scannedAt: number): NewEntry => {
  n++;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    tokenId: `1:${n.toString(16).padStart(16, '0')}`,
    issuer: 1,
    subject: 'ab'.repeat(16),
    facilityId: 'f',
    kioskId: 'k',
    scannedAt,
    issuedAt: Math.floor(scannedAt / 1000),
    source: 'wedge',
  };
};

/** entry_hour as it is, and as a GROUP BY over the entries says it should be. */
function hourTable(path: string): { kept: unknown[]; truth: unknown[] } {
  const db = new Database(path, { readonly: true });
  const kept = db.prepare('SELECT hour, count FROM entry_hour ORDER BY hour').all();
  const truth = db.prepare('SELECT scanned_at / 3600000 AS hour, count(*) AS count FROM entry GROUP BY 1 ORDER BY 1').all();
  db.close();
  return { kept, truth };
}

describe('entry_hour', () => {
  it('follows admits and purges, and drops hours that become empty', () => {
    const path = tempPath();
    const clock = fakeClock(T0);
    const log = openEntryLog({ path, clock, logger: silentLogger, expectExisting: false, receiptKey });
    files.track(log);
    // A duplicate token writes nothing and counts nothing.
    const dup = entry(T0 + 5);
    log.recordEntry(dup, T0 + 5);
    expect(log.recordEntry({ ...dup, id: 'other-id' }, T0 + 6)).toBe('duplicate');
    const times = Array.from({ length: 700 }, (_, i) => T0 + Math.floor((i * 7.3 * HOUR_MS) / 100) + (i % 13));
    for (const at of times) expect(log.recordEntry(entry(at), at)).toBe('written');
    let t = hourTable(path);
    expect(t.kept).toEqual(t.truth);
    expect(t.kept.length).toBeGreaterThan(40);

    // 28 days after the 3rd hour: the prefix up to then goes (in batches), the hour table with it.
    const purged = log.purgeExpired(T0 + 3 * HOUR_MS + RETENTION_MS);
    expect(purged).toBeGreaterThan(0);
    t = hourTable(path);
    expect(t.kept).toEqual(t.truth);
    expect((t.kept[0] as { hour: number }).hour).toBeGreaterThanOrEqual(Math.floor(T0 / HOUR_MS) + 3);
    const raw = new Database(path, { readonly: true });
    expect(log.todayCount(T0 + 1)).toBe(raw.prepare('SELECT count(*) FROM entry WHERE scanned_at < ?').pluck().get(T0 + 24 * HOUR_MS));
    raw.close();
  });

  it('is backfilled when a version-2 log is opened', () => {
    const path = tempPath();
    const db = new Database(path);
    db.pragma('application_id = 0x4d4a4731');
    for (const m of MIGRATIONS.filter((x) => x.version <= 2)) {
      db.exec(m.sql);
      m.run?.(db);
    }
    db.pragma('user_version = 2');
    const ins = db.prepare(
      `INSERT INTO entry (id, token_id, issuer, subject, facility_id, kiosk_id, scanned_at, issued_at, source, result) VALUES (?, ?, 1, 's', 'f', 'k', ?, 0, 'wedge', 'OK')`,
    );
    for (let i = 0; i < 300; i++) ins.run(`id${i}`, `t${i}`, T0 + i * 97_000);
    db.close();

    const log = openEntryLog({ path, clock: fakeClock(T0), logger: silentLogger, expectExisting: true, receiptKey });
    files.track(log);
    expect(log.pragmas().userVersion).toBeGreaterThanOrEqual(3);
    const t = hourTable(path);
    expect(t.kept).toEqual(t.truth);
    expect(log.todayCount(T0)).toBe(300);
  });

  it('counts any range like a plain index count, partial hours at either end included', () => {
    const path = tempPath();
    const log = openEntryLog({ path, clock: fakeClock(T0), logger: silentLogger, expectExisting: false, receiptKey });
    files.track(log);
    for (let i = 0; i < 400; i++) log.recordEntry(entry(T0 + i * 61_111), T0);
    log.close();
    const db = new Database(path, { readonly: true });
    const counter = createEntryCounter(db);
    const plain = db.prepare<[number, number], number>('SELECT count(*) FROM entry WHERE scanned_at >= ? AND scanned_at < ?').pluck();
    const edges = [T0 - HOUR_MS, T0, T0 + 1, T0 + HOUR_MS - 1, T0 + HOUR_MS, T0 + 2.5 * HOUR_MS, T0 + 6 * HOUR_MS + 17, T0 + 7 * HOUR_MS, T0 + 30 * HOUR_MS];
    for (const from of edges) for (const to of edges) expect(counter.count(from, to)).toBe(to <= from ? 0 : plain.get(from, to));
    expect([...counter.wholeHours(T0, T0 + 2 * HOUR_MS).values()].reduce((a, b) => a + b, 0)).toBe(plain.get(T0, T0 + 2 * HOUR_MS));
    db.close();
  });
});
