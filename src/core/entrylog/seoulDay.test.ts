// Runs under vitest (Node). Seoul calendar days: fixed UTC+9, checked against Intl's tz data.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSeoulDay, seoulDay, seoulDayBounds } from './seoulDay';

const intlDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Seoul', year: 'numeric', month: '2-digit', day: '2-digit' });

describe('seoulDay', () => {
  it('agrees with the Asia/Seoul time zone at and around midnight', () => {
    const midnight = Date.parse('2026-11-23T15:00:00Z');
    expect(seoulDay(midnight - 1)).toBe('2026-11-23');
    expect(seoulDay(midnight)).toBe('2026-11-24');
    expect(seoulDayBounds(midnight - 1)).toEqual({ start: midnight - 86_400_000, end: midnight });
    fc.assert(
      fc.property(fc.integer({ min: Date.parse('1990-01-01'), max: Date.parse('2100-01-01') }), (ms) => {
        expect(seoulDay(ms)).toBe(intlDay.format(ms));
        const { start, end } = seoulDayBounds(ms);
        expect(start <= ms && ms < end).toBe(true);
        expect(seoulDay(start)).toBe(seoulDay(ms));
        expect(seoulDay(end)).not.toBe(seoulDay(ms));
      }),
      { numRuns: 500 },
    );
  });

  it('accepts only real calendar dates written YYYY-MM-DD', () => {
    expect(isSeoulDay('2026-11-23')).toBe(true);
    expect(isSeoulDay('2028-02-29')).toBe(true);
    for (const bad of ['2026-02-30', '2026-13-01', '26-11-23', '2026-11-23T00:00', '', null, 20261123]) expect(isSeoulDay(bad)).toBe(false);
  });
});
