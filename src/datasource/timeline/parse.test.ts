import fc from 'fast-check';
import { formatTime, parseTime } from './parse';

/** What `parseTime` of a string is defined as: `Date.parse`, kept when after the epoch. */
function parseTimeByDate(value: string): number | undefined {
  const ms = Date.parse(value);
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

const twoDigits = (n: number) => String(n).padStart(2, '0');

describe('parseTime', () => {
  it('reads API server timestamps like Date.parse, including days past the end of a month', () => {
    for (const value of [
      '2026-11-20T10:00:00Z',
      '2024-02-29T23:59:59Z',
      '2026-02-30T00:00:00Z',
      '2026-04-31T12:00:00Z',
      '1970-01-01T00:00:01Z',
      '9999-12-31T23:59:59Z',
    ]) {
      expect(parseTime(value)).toBe(parseTimeByDate(value));
    }
  });

  it('leaves every other form to Date.parse', () => {
    for (const value of [
      '0001-01-01T00:00:00Z',
      '0099-06-01T00:00:00Z',
      '2026-11-20T24:00:00Z',
      '2026-11-20T23:59:60Z',
      '2026-13-01T00:00:00Z',
      '2026-11-00T00:00:00Z',
      '2026-11-20T10:00:00.250Z',
      '2026-11-20T10:00:00+02:00',
      '2026-11-20 10:00:00Z',
      '2026-11-2OT10:00:00Z',
      'not a time',
    ]) {
      expect(parseTime(value)).toBe(parseTimeByDate(value));
    }
  });

  it('agrees with Date.parse on any timestamp-shaped text', () => {
    const digits = (length: number, max: number) =>
      fc.integer({ min: 0, max }).map((n) => String(n).padStart(length, '0'));
    const stamp = fc
      .tuple(digits(4, 9999), digits(2, 13), digits(2, 32), digits(2, 25), digits(2, 61), digits(2, 61))
      .map(([y, mo, d, h, mi, s]) => `${y}-${mo}-${d}T${h}:${mi}:${s}Z`);
    fc.assert(
      fc.property(stamp, (value) => {
        expect(parseTime(value)).toBe(parseTimeByDate(value));
      }),
      { numRuns: 5000 }
    );
  });
});

describe('formatTime', () => {
  const byDate = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

  it('writes whole seconds without milliseconds and keeps them otherwise', () => {
    expect(formatTime(Date.parse('2026-11-20T10:00:00Z'))).toBe('2026-11-20T10:00:00Z');
    expect(formatTime(Date.parse('2026-11-20T10:00:00.250Z'))).toBe('2026-11-20T10:00:00.250Z');
    expect(formatTime(Date.parse('2024-02-29T00:00:00Z'))).toBe('2024-02-29T00:00:00Z');
  });

  it('agrees with toISOString on any time, from before 1970 to past the year 9999', () => {
    const wholeSeconds = fc.integer({ min: 0, max: 253402300799 }).map((s) => s * 1000);
    const anyMs = fc.integer({ min: -8.64e15, max: 8.64e15 });
    fc.assert(
      fc.property(fc.oneof(wholeSeconds, anyMs), (ms) => {
        expect(formatTime(ms)).toBe(byDate(ms));
      }),
      { numRuns: 5000 }
    );
    for (const year of [1970, 1999, 2000, 2024, 2100, 9999]) {
      for (const month of [1, 2, 3, 12]) {
        const ms = Date.parse(`${year}-${twoDigits(month)}-01T00:00:00Z`);
        expect(formatTime(ms)).toBe(byDate(ms));
        expect(formatTime(ms - 1000)).toBe(byDate(ms - 1000));
      }
    }
  });

  it('fails on times a Date cannot hold, like toISOString', () => {
    expect(() => formatTime(Number.NaN)).toThrow(RangeError);
    expect(() => formatTime(1e300)).toThrow(RangeError);
  });
});
