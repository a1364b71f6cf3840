// Runs in Node (main, development host). The console's stats:timing answer: per-scan timings over a
// range the operator chose, checked like every console range (CONSOLE_BAD_RANGE), from the kiosk's
// in-memory ScanTimings. Numbers only: durations, counts, hours.
import type { ScanTimings, TimingSummary } from '../entrylog/scanTimings';
import type { TimeRange } from './queries';
import { checkRange } from './queries';

export function timingStats(timings: Pick<ScanTimings, 'summary'>, range: TimeRange): TimingSummary {
  checkRange(range);
  return timings.summary(range);
}
