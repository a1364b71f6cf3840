// Runs in Node (main, development host, CLI). Counts entries in a time range from entry_hour
// (migration 3: one row per UTC hour, kept by triggers on entry) and, for the partial hours at
// either end of a range, a range count on the entry(scanned_at) index. A day is then at most
// 24 small rows and two partial-hour index ranges, not a scan of every entry in it.
import type Database from 'better-sqlite3';

export const HOUR_MS = 3_600_000;

export interface EntryCounter {
  /** Entries with from <= scanned_at < to. */
  count(from: number, to: number): number;
  /** Entries per whole hour start (ms) over [from, to) where from and to are whole hours; hours without entries are absent. */
  wholeHours(from: number, to: number): Map<number, number>;
}

export function createEntryCounter(db: Database.Database): EntryCounter {
  const sumHours = db.prepare<[number, number], number>('SELECT coalesce(sum(count), 0) FROM entry_hour WHERE hour >= ? AND hour < ?').pluck();
  const hours = db.prepare<[number, number], { hour: number; count: number }>('SELECT hour, count FROM entry_hour WHERE hour >= ? AND hour < ?');
  const rangeCount = db.prepare<[number, number], number>('SELECT count(*) FROM entry WHERE scanned_at >= ? AND scanned_at < ?').pluck();

  return {
    count(from, to) {
      if (to <= from) return 0;
      const firstWhole = Math.ceil(from / HOUR_MS);
      const endWhole = Math.floor(to / HOUR_MS);
      if (firstWhole >= endWhole) return rangeCount.get(from, to) ?? 0;
      let n = sumHours.get(firstWhole, endWhole) ?? 0;
      if (from < firstWhole * HOUR_MS) n += rangeCount.get(from, firstWhole * HOUR_MS) ?? 0;
      if (endWhole * HOUR_MS < to) n += rangeCount.get(endWhole * HOUR_MS, to) ?? 0;
      return n;
    },
    wholeHours(from, to) {
      const out = new Map<number, number>();
      for (const r of hours.all(Math.floor(from / HOUR_MS), Math.ceil(to / HOUR_MS))) out.set(r.hour * HOUR_MS, r.count);
      return out;
    },
  };
}
