// Runs under vitest (Node). Virtual list windows, page selection and chart bars.
import { describe, expect, it } from 'vitest';
import { bars, pagesFor, throughput, visibleWindow } from './layout';

describe('console layout', () => {
  it('renders only the visible rows plus overscan, even for a million', () => {
    const w = visibleWindow({ scrollTop: 36_000_000, viewport: 400, rowHeight: 36, total: 1_000_000, overscan: 3 });
    expect(w).toEqual({ start: 999_997, end: 1_000_000, offset: 999_997 * 36 });
    const top = visibleWindow({ scrollTop: 0, viewport: 400, rowHeight: 36, total: 1_000_000, overscan: 3 });
    expect(top.end - top.start).toBeLessThanOrEqual(Math.ceil(400 / 36) + 3);
    const mid = visibleWindow({ scrollTop: 3600, viewport: 360, rowHeight: 36, total: 1000, overscan: 2 });
    expect(mid).toEqual({ start: 98, end: 112, offset: 98 * 36 });
  });

  it('handles empty lists and odd input without NaN', () => {
    expect(visibleWindow({ scrollTop: 100, viewport: 400, rowHeight: 36, total: 0 })).toEqual({ start: 0, end: 0, offset: 0 });
    expect(visibleWindow({ scrollTop: -50, viewport: 100, rowHeight: 10, total: 3, overscan: 0 })).toEqual({ start: 0, end: 3, offset: 0 });
  });

  it('asks for the pages that cover the window', () => {
    expect(pagesFor({ start: 195, end: 420 }, 200)).toEqual([0, 1, 2]);
    expect(pagesFor({ start: 0, end: 0 }, 200)).toEqual([]);
  });

  it('scales bars to the tallest, zero stays flat', () => {
    const b = bars([0, 5, 10], 300, 100, 0);
    expect(b.map((x) => x.height)).toEqual([0, 50, 100]);
    expect(b[2]).toMatchObject({ x: 200, y: 0, width: 100 });
    expect(bars([0, 0], 10, 10).every((x) => x.height === 0)).toBe(true);
  });

  it('finds the busiest hour and the mean over hours with scans', () => {
    expect(throughput([])).toEqual({ peak: 0, peakHourStart: 0, meanActive: 0 });
    const h = [
      { hourStart: 0, scans: 0 },
      { hourStart: 3_600_000, scans: 40 },
      { hourStart: 7_200_000, scans: 90 },
      { hourStart: 10_800_000, scans: 20 },
    ];
    expect(throughput(h)).toEqual({ peak: 90, peakHourStart: 7_200_000, meanActive: 50 });
  });
});
