// Runs in the renderer (and under vitest). The console's arithmetic as plain functions: which
// rows of a long list are visible (only those are rendered), which pages hold them, and the
// bar geometry of the hourly chart.

export interface Window {
  /** First and one-past-last row index to render (visible rows plus overscan). */
  start: number;
  end: number;
  /** Pixel offset of the first rendered row. */
  offset: number;
}

export function visibleWindow(opts: { scrollTop: number; viewport: number; rowHeight: number; total: number; overscan?: number }): Window {
  const { rowHeight, total } = opts;
  const overscan = opts.overscan ?? 5;
  if (total <= 0 || rowHeight <= 0) return { start: 0, end: 0, offset: 0 };
  const first = Math.max(0, Math.floor(Math.max(0, opts.scrollTop) / rowHeight) - overscan);
  const last = Math.min(total, Math.ceil((Math.max(0, opts.scrollTop) + Math.max(0, opts.viewport)) / rowHeight) + overscan);
  const start = Math.min(first, total);
  return { start, end: Math.max(start, last), offset: start * rowHeight };
}

/** Pages (of pageSize rows, in list order) needed to show rows [start, end). */
export function pagesFor(w: Pick<Window, 'start' | 'end'>, pageSize: number): number[] {
  if (w.end <= w.start) return [];
  const out: number[] = [];
  for (let p = Math.floor(w.start / pageSize); p <= Math.floor((w.end - 1) / pageSize); p++) out.push(p);
  return out;
}

export interface Bar {
  x: number;
  y: number;
  width: number;
  height: number;
  count: number;
}

/** Bars for counts in a width × height box; the tallest bar fills the box, zero is a 0-height bar. */
export function bars(counts: readonly number[], width: number, height: number, gap = 2): Bar[] {
  const max = Math.max(1, ...counts);
  const slot = counts.length > 0 ? width / counts.length : 0;
  return counts.map((count, i) => {
    const h = Math.round((count / max) * height);
    return { x: i * slot + gap / 2, y: height - h, width: Math.max(1, slot - gap), height: h, count };
  });
}

/** The busiest hour of a range (scans per hour), and the mean over hours that had any scan. */
export function throughput(hourly: ReadonlyArray<{ hourStart: number; scans: number }>): { peak: number; peakHourStart: number; meanActive: number } {
  let peak = 0;
  let peakHourStart = hourly[0]?.hourStart ?? 0;
  let sum = 0;
  let active = 0;
  for (const h of hourly) {
    if (h.scans > peak) {
      peak = h.scans;
      peakHourStart = h.hourStart;
    }
    if (h.scans > 0) {
      sum += h.scans;
      active++;
    }
  }
  return { peak, peakHourStart, meanActive: active === 0 ? 0 : Math.round((sum / active) * 10) / 10 };
}
