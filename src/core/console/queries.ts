// Runs in Node (main, development host). The operator console's read-only questions about the
// entry log: entries per hour/day, refusals by result code, a page of entries, CSV export. It
// opens its own connection with { readonly: true, fileMustExist: true }, so nothing here can
// write. Counts come from the per-hour table entry_hour (plus index ranges for partial hours);
// pages are ranges over the entry(scanned_at) index (see docs/console.md for the query plans).
// Rows carry token id, time, result and source — never subject.
import Database from 'better-sqlite3';
import { CodedError } from '../../shared/envelope';
import { DAY_MS } from '../clock';
import { HOUR_MS, createEntryCounter } from '../entrylog/hourCounts';
import { isSeoulDay, seoulDay, seoulDayBounds } from '../entrylog/seoulDay';

export { HOUR_MS };
/** Longest range one chart or export covers: the log keeps 28 days, this leaves room for clock slack. */
export const MAX_RANGE_MS = 32 * DAY_MS;
export const MAX_PAGE = 200;

export interface TimeRange {
  from: number;
  to: number;
}
export interface Bucket {
  start: number;
  count: number;
}
export interface ConsoleEntry {
  tokenId: string;
  scannedAt: number;
  result: string;
  source: string;
}
export interface EntryPage {
  rows: ConsoleEntry[];
  /** Entries in the whole range, on the first page only (null on later pages: counting costs a scan). */
  total: number | null;
  /** Pass back to get the next (older) page; null at the end. */
  cursor: string | null;
}

export interface ConsoleQueries {
  /** Entries per hour over [from, to), from rounded down to the hour; every hour present, zeros too. */
  hourly(range: TimeRange): { buckets: Bucket[] };
  /** Entries per Seoul calendar day over [from, to). */
  daily(range: TimeRange): { buckets: Bucket[] };
  /** Refused scans of one Seoul day by result code, and that day's entries. */
  refusals(day: string): { day: string; entries: number; byCode: { code: string; count: number }[] };
  /** Newest first, paged by an opaque cursor on (scanned_at, id). */
  entries(req: TimeRange & { cursor?: string | null; limit?: number }): EntryPage;
  /** Counts per hour or per day as CSV (UTF-8, header row, Seoul local times). */
  exportCsv(req: TimeRange & { granularity: 'hour' | 'day' }): string;
  close(): void;
}

export const consoleErrors = {
  unavailable: () =>
    new CodedError('CONSOLE_LOG_UNAVAILABLE', '출입 기록을 읽을 수 없습니다. 키오스크 상태 화면의 오류를 먼저 확인해 주세요.'),
  badRange: () =>
    new CodedError('CONSOLE_BAD_RANGE', '조회 기간이 올바르지 않습니다. 시작이 끝보다 앞서고 32일 이내가 되도록 골라 주세요.'),
  badCursor: () => new CodedError('CONSOLE_BAD_CURSOR', '목록 위치 정보가 올바르지 않습니다. 다시 조회해 주세요.'),
  badDay: () => new CodedError('CONSOLE_BAD_DAY', '날짜는 YYYY-MM-DD 형식의 실제 날짜여야 합니다.'),
};

export function checkRange(r: TimeRange): void {
  if (!Number.isSafeInteger(r.from) || !Number.isSafeInteger(r.to) || r.from < 0 || r.to <= r.from || r.to - r.from > MAX_RANGE_MS) {
    throw consoleErrors.badRange();
  }
}

/** Cursor = base64url of "<scannedAt>:<id>"; entry ids are opaque text from the admitter. */
function encodeCursor(scannedAt: number, id: string): string {
  return Buffer.from(`${scannedAt}:${id}`, 'utf8').toString('base64url');
}
function decodeCursor(cursor: string): { at: number; id: string } {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) throw consoleErrors.badCursor();
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^(\d{1,16}):(.{1,200})$/s.exec(text);
  const at = m ? Number(m[1]) : NaN;
  if (!m || !Number.isSafeInteger(at)) throw consoleErrors.badCursor();
  return { at, id: m[2] as string };
}

const SEOUL_OFFSET_MS = 9 * HOUR_MS;
/** 'YYYY-MM-DD HH:00' in Seoul time. */
function seoulHourLabel(ms: number): string {
  return new Date(ms + SEOUL_OFFSET_MS).toISOString().slice(0, 13).replace('T', ' ') + ':00';
}

export function openConsoleQueries(opts: { path: string }): ConsoleQueries {
  let db: Database.Database | undefined;
  try {
    db = new Database(opts.path, { readonly: true, fileMustExist: true });
    db.pragma('query_only = ON');
    return queriesOn(db);
  } catch {
    db?.close();
    throw consoleErrors.unavailable();
  }
}

function queriesOn(db: Database.Database): ConsoleQueries {
  const counter = createEntryCounter(db);
  const stmt = {
    firstPage: db.prepare<[number, number, number], EntrySqlRow>(
      `SELECT id, token_id, scanned_at, result, source FROM entry
       WHERE scanned_at >= ? AND scanned_at < ? ORDER BY scanned_at DESC, id DESC LIMIT ?`,
    ),
    nextPage: db.prepare<[number, number, number, number, string, number], EntrySqlRow>(
      `SELECT id, token_id, scanned_at, result, source FROM entry
       WHERE scanned_at >= ? AND scanned_at <= ? AND (scanned_at < ? OR (scanned_at = ? AND id < ?))
       ORDER BY scanned_at DESC, id DESC LIMIT ?`,
    ),
    refusals: db.prepare<[string], { code: string; count: number }>(
      'SELECT code, count FROM refusal_count WHERE day = ? ORDER BY count DESC, code',
    ),
  };

  const guard = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (e) {
      if (e instanceof CodedError) throw e;
      throw consoleErrors.unavailable();
    }
  };

  // Whole hours are rows of entry_hour; only a partial last hour counts on the index. (A GROUP BY
  // over a computed hour sorted every row: 1.7 s for 1,000,000 entries; a range count per hour on
  // the index still read every entry: ~0.2 s. The per-hour table reads at most 32 × 24 rows.)
  function hourly(range: TimeRange): { buckets: Bucket[] } {
    checkRange(range);
    const from = Math.floor(range.from / HOUR_MS) * HOUR_MS;
    return guard(() => {
      const whole = counter.wholeHours(from, Math.floor(range.to / HOUR_MS) * HOUR_MS);
      const out: Bucket[] = [];
      for (let start = from; start < range.to; start += HOUR_MS) {
        out.push({ start, count: start + HOUR_MS <= range.to ? (whole.get(start) ?? 0) : counter.count(start, range.to) });
      }
      return { buckets: out };
    });
  }
  function daily(range: TimeRange): { buckets: Bucket[] } {
    checkRange(range);
    // Seoul has no daylight saving since 1988: every day is exactly DAY_MS long.
    return guard(() => {
      const out: Bucket[] = [];
      for (let start = seoulDayBounds(range.from).start; start < range.to; start += DAY_MS) {
        out.push({ start, count: counter.count(start, Math.min(start + DAY_MS, range.to)) });
      }
      return { buckets: out };
    });
  }

  return {
    hourly,
    daily,
    refusals(day) {
      if (!isSeoulDay(day)) throw consoleErrors.badDay();
      const bounds = seoulDayBounds(Date.parse(`${day}T00:00:00+09:00`));
      return guard(() => ({
        day,
        entries: counter.count(bounds.start, bounds.end),
        byCode: stmt.refusals.all(day).map((r) => ({ code: r.code, count: r.count })),
      }));
    },
    entries(req) {
      checkRange(req);
      const limit = req.limit ?? 100;
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw consoleErrors.badRange();
      const after = req.cursor ? decodeCursor(req.cursor) : null;
      return guard(() => {
        const rows = after
          ? stmt.nextPage.all(req.from, Math.min(after.at, req.to - 1), after.at, after.at, after.id, limit)
          : stmt.firstPage.all(req.from, req.to, limit);
        const last = rows.length === limit ? rows[rows.length - 1] : undefined;
        return {
          rows: rows.map((r) => ({ tokenId: r.token_id, scannedAt: r.scanned_at, result: r.result, source: r.source })),
          total: after ? null : counter.count(req.from, req.to),
          cursor: last ? encodeCursor(last.scanned_at, last.id) : null,
        };
      });
    },
    exportCsv(req) {
      const byHour = req.granularity === 'hour';
      if (!byHour && req.granularity !== 'day') throw consoleErrors.badRange();
      const { buckets: rows } = byHour ? hourly(req) : daily(req);
      const lines = [byHour ? 'hour_start_kst,entries' : 'day_kst,entries'];
      for (const b of rows) lines.push(`${byHour ? seoulHourLabel(b.start) : seoulDay(b.start)},${b.count}`);
      return lines.join('\r\n') + '\r\n';
    },
    close: () => db.close(),
  };
}

interface EntrySqlRow {
  id: string;
  token_id: string;
  scanned_at: number;
  result: string;
  source: string;
}
