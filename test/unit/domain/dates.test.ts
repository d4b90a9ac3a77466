import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addDays, addMonthsClamped, compareIsoDates, daysBetween, parseIsoDate, todayInVietnam, VN_OFFSET_MINUTES } from '../../../worker/domain/dates';
import { DomainError } from '../../../worker/domain/errors';

describe('todayInVietnam', () => {
  it('uses UTC+7: 16:59:59Z is still the same day, 17:00Z is the next', () => {
    expect(VN_OFFSET_MINUTES).toBe(420);
    expect(todayInVietnam(new Date('2025-03-10T16:59:59.999Z'))).toBe('2025-03-10');
    expect(todayInVietnam(new Date('2025-03-10T17:00:00.000Z'))).toBe('2025-03-11');
  });

  it('rolls over month and year ends', () => {
    expect(todayInVietnam(new Date('2024-12-31T17:00:00Z'))).toBe('2025-01-01');
    expect(todayInVietnam(new Date('2024-02-28T17:30:00Z'))).toBe('2024-02-29');
    expect(todayInVietnam(new Date('2023-02-28T17:30:00Z'))).toBe('2023-03-01');
  });

  it('does not depend on the machine time zone (fixed-offset arithmetic)', () => {
    // The same instant expressed with a different offset gives the same Vietnam date.
    expect(todayInVietnam(new Date('2025-07-05T20:00:00-05:00'))).toBe('2025-07-06');
    expect(todayInVietnam(new Date(0))).toBe('1970-01-01');
  });

  it('rejects an invalid Date', () => {
    expect(() => todayInVietnam(new Date('nope'))).toThrow(DomainError);
  });

  // The tz database has Saigon on UTC+8 until mid-1975; OCOP dates are all far later.
  it('agrees with Intl for Asia/Ho_Chi_Minh since 1976', () => {
    const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' });
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1976, 0, 1), max: Date.UTC(2100, 0, 1) }), (ms) => {
        const d = new Date(ms);
        expect(todayInVietnam(d)).toBe(fmt.format(d));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('parseIsoDate', () => {
  it.each(['2024-02-29', '2000-02-29', '2025-12-31', '0001-01-01'])('accepts the real calendar date %s', (day) => expect(parseIsoDate(day)).toBe(day));

  it.each([
    '2023-02-29', // not a leap year
    '1900-02-29', // century, not a leap year
    '2024-02-30',
    '2024-04-31',
    '2024-13-01',
    '2024-00-10',
    '2024-01-00',
    '2024-01-32',
    '0000-01-01',
    '2024-1-05',
    '24-01-05',
    '2024/01/05',
    '2024-01-05T00:00:00Z',
    ' 2024-01-05',
    '2024-01-05 ',
    '',
    '２０２４-01-05',
  ])('rejects %j', (s) => {
    expect(parseIsoDate(s)).toBeNull();
  });

  it('rejects non-strings without throwing', () => {
    expect(parseIsoDate(undefined as unknown as string)).toBeNull();
    expect(parseIsoDate(20240105 as unknown as string)).toBeNull();
  });
});

describe('addDays', () => {
  it('crosses month, year and leap days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2024-01-01', 366)).toBe('2025-01-01');
    expect(addDays('2024-01-01', 0)).toBe('2024-01-01');
  });

  it('rejects impossible dates and fractional days', () => {
    expect(() => addDays('2023-02-29', 1)).toThrow(DomainError);
    expect(() => addDays('2024-01-01', 1.5)).toThrow(DomainError);
    expect(() => addDays('2024-01-01', Number.NaN)).toThrow(DomainError);
    expect(() => addDays('9999-12-31', 1)).toThrow(DomainError);
  });

  it('inverts with daysBetween', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_400_000, max: 1_400_000 }), fc.integer({ min: -300_000, max: 300_000 }), (base, n) => {
        const a = addDays('5000-01-01', base);
        const b = addDays(a, n);
        expect(daysBetween(a, b)).toBe(n);
        expect(parseIsoDate(b)).toBe(b);
      }),
    );
  });
});

describe('addMonthsClamped', () => {
  it('clamps to the end of the target month', () => {
    expect(addMonthsClamped('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonthsClamped('2023-01-31', 1)).toBe('2023-02-28');
    expect(addMonthsClamped('2023-03-31', 1)).toBe('2023-04-30');
    expect(addMonthsClamped('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonthsClamped('2024-02-29', 48)).toBe('2028-02-29');
  });

  it('keeps the day when it exists and crosses years both ways', () => {
    expect(addMonthsClamped('2023-05-10', 36)).toBe('2026-05-10');
    expect(addMonthsClamped('2023-12-15', 1)).toBe('2024-01-15');
    expect(addMonthsClamped('2024-01-15', -1)).toBe('2023-12-15');
    expect(addMonthsClamped('2024-03-31', -1)).toBe('2024-02-29');
    expect(addMonthsClamped('2024-03-31', 0)).toBe('2024-03-31');
  });

  it('rejects bad input', () => {
    expect(() => addMonthsClamped('2024-02-30', 1)).toThrow(DomainError);
    expect(() => addMonthsClamped('2024-01-01', 0.5)).toThrow(DomainError);
  });
});

describe('daysBetween / compareIsoDates', () => {
  it('is b minus a in whole days', () => {
    expect(daysBetween('2024-01-01', '2024-12-31')).toBe(365);
    expect(daysBetween('2023-01-01', '2023-12-31')).toBe(364);
    expect(daysBetween('2024-03-01', '2024-02-28')).toBe(-2);
    expect(daysBetween('1970-01-01', '1970-01-01')).toBe(0);
  });

  it('orders dates and validates them', () => {
    expect(compareIsoDates('2025-07-05', '2025-07-06')).toBe(-1);
    expect(compareIsoDates('2025-07-06', '2025-07-06')).toBe(0);
    expect(compareIsoDates('2026-01-01', '2025-07-06')).toBe(1);
    expect(() => daysBetween('2025-02-29', '2025-03-01')).toThrow(DomainError);
    expect(() => compareIsoDates('yesterday', '2025-03-01')).toThrow(DomainError);
  });
});
