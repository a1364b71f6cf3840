// Runs in Node (main, hosts). Calendar days as Korea counts them: Asia/Seoul is UTC+9 with no
// daylight saving since 1988, so a fixed offset is exact for every date the log can hold and
// costs nothing per admit (no Intl lookup in the hot path).
import { DAY_MS } from '../clock';

const SEOUL_OFFSET_MS = 9 * 3_600_000;

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** 'YYYY-MM-DD' of the Seoul calendar day that contains `ms`. */
export function seoulDay(ms: number): string {
  return new Date(ms + SEOUL_OFFSET_MS).toISOString().slice(0, 10);
}

/** [start, end) in ms of the Seoul calendar day that contains `ms`. */
export function seoulDayBounds(ms: number): { start: number; end: number } {
  const start = Math.floor((ms + SEOUL_OFFSET_MS) / DAY_MS) * DAY_MS - SEOUL_OFFSET_MS;
  return { start, end: start + DAY_MS };
}

/** True for a real calendar date written 'YYYY-MM-DD' (2026-02-30 is not one). */
export function isSeoulDay(day: unknown): day is string {
  if (typeof day !== 'string') return false;
  const m = DAY_PATTERN.exec(day);
  if (!m) return false;
  const d = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === day;
}
