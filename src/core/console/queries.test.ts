// Runs in Node (vitest). The console's read-only queries on a real entry log file.
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEntryLog } from '../entrylog';
import { silentLogger } from '../log';
import { HOUR_MS, openConsoleQueries } from './queries';
import { seedEntries } from './seed';

// 2026-03-10 00:00 KST
const DAY0 = Date.parse('2026-03-10T00:00:00+09:00');

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mjg-console-'));
  path = join(dir, 'entries.sqlite');
  openEntryLog({ path, clock: () => DAY0, logger: silentLogger, expectExisting: false }).close();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function insert(rows: { at: number; id?: string }[]): void {
  const db = new Database(path);
  const ins = db.prepare(
    `INSERT INTO entry (id, token_id, issuer, subject, facility_id, kiosk_id, scanned_at, issued_at, source, result)
     VALUES (?, ?, 1, 'SECRET-SUBJECT', 'f', 'k', ?, ?, 'wedge', 'OK')`,
  );
  rows.forEach((r, i) => ins.run(r.id ?? `e${i}`, `t${i}`, r.at, Math.floor(r.at / 1000)));
  db.close();
}

describe('console queries', () => {
  it('counts per hour with zero hours present, rounding from down to the hour', () => {
    insert([{ at: DAY0 + 10 }, { at: DAY0 + HOUR_MS - 1 }, { at: DAY0 + 2 * HOUR_MS + 5 }, { at: DAY0 + 3 * HOUR_MS }]);
    const q = openConsoleQueries({ path });
    const { buckets } = q.hourly({ from: DAY0 + 123, to: DAY0 + 3 * HOUR_MS });
    expect(buckets).toEqual([
      { start: DAY0, count: 2 },
      { start: DAY0 + HOUR_MS, count: 0 },
      { start: DAY0 + 2 * HOUR_MS, count: 1 },
    ]);
    q.close();
  });

  it('counts per Seoul day and exports CSV in Seoul time', () => {
    // 23:30 KST on the 10th is 14:30 UTC: it belongs to the 10th, not the 11th.
    insert([{ at: DAY0 + 23.5 * HOUR_MS }, { at: DAY0 + 24 * HOUR_MS + 1 }, { at: DAY0 + 25 * HOUR_MS }]);
    const q = openConsoleQueries({ path });
    expect(q.daily({ from: DAY0 + 5, to: DAY0 + 48 * HOUR_MS }).buckets.map((b) => b.count)).toEqual([1, 2]);
    expect(q.exportCsv({ from: DAY0, to: DAY0 + 48 * HOUR_MS, granularity: 'day' })).toBe(
      'day_kst,entries\r\n2026-03-10,1\r\n2026-03-11,2\r\n',
    );
    const hourly = q.exportCsv({ from: DAY0 + 23 * HOUR_MS, to: DAY0 + 25 * HOUR_MS, granularity: 'hour' });
    expect(hourly).toBe('hour_start_kst,entries\r\n2026-03-10 23:00,1\r\n2026-03-11 00:00,1\r\n');
    q.close();
  });

  it('pages newest first through ties on scanned_at without loss or repeat, and never returns the subject', () => {
    const rows = Array.from({ length: 57 }, (_, i) => ({ at: DAY0 + Math.floor(i / 4) * 1000, id: `id-${String(i).padStart(3, '0')}` }));
    insert(rows);
    const q = openConsoleQueries({ path });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = q.entries({ from: DAY0, to: DAY0 + HOUR_MS, cursor, limit: 10 });
      expect(page.total).toBe(pages === 0 ? 57 : null);
      for (const r of page.rows) {
        expect(Object.keys(r).sort()).toEqual(['result', 'scannedAt', 'source', 'tokenId']);
        expect(JSON.stringify(r)).not.toContain('SECRET');
        seen.push(r.tokenId);
      }
      cursor = page.cursor;
      pages++;
    } while (cursor && pages < 20);
    expect(seen).toHaveLength(57);
    expect(new Set(seen).size).toBe(57);
    const times = seen.map((t) => rows[Number(t.slice(1))]?.at ?? -1);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    q.close();
  });

  it('refusals by code for one day, with that day’s entry count', () => {
    insert([{ at: DAY0 + 1 }]);
    const db = new Database(path);
    db.prepare("INSERT INTO refusal_count VALUES ('2026-03-10', 'EXPIRED', 3), ('2026-03-10', 'DUPLICATE', 5), ('2026-03-11', 'EXPIRED', 9)").run();
    db.close();
    const q = openConsoleQueries({ path });
    expect(q.refusals('2026-03-10')).toEqual({
      day: '2026-03-10',
      entries: 1,
      byCode: [
        { code: 'DUPLICATE', count: 5 },
        { code: 'EXPIRED', count: 3 },
      ],
    });
    q.close();
  });

  it('refuses bad input with stable codes and keeps working', () => {
    const q = openConsoleQueries({ path });
    const code = (fn: () => unknown): string => {
      try {
        fn();
        return 'no error';
      } catch (e) {
        return (e as { code?: string }).code ?? 'untyped';
      }
    };
    expect(code(() => q.hourly({ from: DAY0, to: DAY0 }))).toBe('CONSOLE_BAD_RANGE');
    expect(code(() => q.hourly({ from: DAY0, to: DAY0 + 40 * 86_400_000 }))).toBe('CONSOLE_BAD_RANGE');
    expect(code(() => q.hourly({ from: NaN, to: DAY0 }))).toBe('CONSOLE_BAD_RANGE');
    expect(code(() => q.entries({ from: DAY0, to: DAY0 + 1, limit: 201 }))).toBe('CONSOLE_BAD_RANGE');
    expect(code(() => q.entries({ from: DAY0, to: DAY0 + 1, cursor: '!!' }))).toBe('CONSOLE_BAD_CURSOR');
    expect(code(() => q.entries({ from: DAY0, to: DAY0 + 1, cursor: Buffer.from('x:y').toString('base64url') }))).toBe(
      'CONSOLE_BAD_CURSOR',
    );
    expect(code(() => q.refusals('2026-02-30'))).toBe('CONSOLE_BAD_DAY');
    expect(code(() => q.exportCsv({ from: DAY0, to: DAY0 + 1, granularity: 'week' as 'day' }))).toBe('CONSOLE_BAD_RANGE');
    expect(q.hourly({ from: DAY0, to: DAY0 + HOUR_MS }).buckets).toHaveLength(1);
    q.close();
  });

  it('cannot write: the connection is read-only', () => {
    const q = openConsoleQueries({ path });
    const db = (q as unknown as { db?: unknown }).db;
    expect(db).toBeUndefined(); // no handle leaks out
    const before = readFileSync(path);
    q.hourly({ from: DAY0, to: DAY0 + HOUR_MS });
    q.close();
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('a missing or foreign file is CONSOLE_LOG_UNAVAILABLE and is not created', () => {
    const code = (p: string): string => {
      try {
        const q = openConsoleQueries({ path: p });
        q.hourly({ from: DAY0, to: DAY0 + 1 });
        return 'no error';
      } catch (e) {
        return (e as { code?: string }).code ?? 'untyped';
      }
    };
    expect(code(join(dir, 'absent.sqlite'))).toBe('CONSOLE_LOG_UNAVAILABLE');
    const junk = join(dir, 'junk.sqlite');
    writeFileSync(junk, 'not a database at all');
    expect(code(junk)).toBe('CONSOLE_LOG_UNAVAILABLE');
  });

  it('uses the scanned_at index for every range query and entry_hour for whole hours', () => {
    seedEntries(path, { count: 1000, from: DAY0, spanMs: HOUR_MS });
    const db = new Database(path, { readonly: true });
    const plan = (sql: string, ...args: unknown[]): string =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan('SELECT count(*) FROM entry WHERE scanned_at >= ? AND scanned_at < ?', 0, 1)).toMatch(/USING COVERING INDEX entry_scanned_at/);
    expect(
      plan('SELECT id FROM entry WHERE scanned_at >= ? AND scanned_at < ? ORDER BY scanned_at DESC, id DESC LIMIT 10', 0, 1),
    ).toMatch(/USING INDEX entry_scanned_at/);
    // Whole hours come from entry_hour by its key: 24 rows for a day, whatever the day holds.
    expect(plan('SELECT coalesce(sum(count), 0) FROM entry_hour WHERE hour >= ? AND hour < ?', 0, 1)).toMatch(/SEARCH entry_hour USING INTEGER PRIMARY KEY/);
    db.close();
    const q = openConsoleQueries({ path });
    expect(q.entries({ from: DAY0, to: DAY0 + HOUR_MS, limit: 200 }).total).toBe(1000);
    q.close();
  });
});
