import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addDays, daysBetween } from '../../../worker/domain/dates';
import { DomainError } from '../../../worker/domain/errors';
import { EXPIRY_NOTICE_DAYS, VALIDITY_MONTHS, validUntil } from '../../../worker/domain/validity';

describe('validUntil', () => {
  it('36 months, 30 days notice', () => {
    expect(VALIDITY_MONTHS).toBe(36);
    expect(EXPIRY_NOTICE_DAYS).toBe(30);
  });

  it.each([
    ['2023-05-10', '2026-05-10'],
    ['2023-01-01', '2026-01-01'],
    ['2023-12-31', '2026-12-31'],
    ['2023-01-31', '2026-01-31'],
    ['2023-03-31', '2026-03-31'],
    ['2023-03-01', '2026-03-01'],
    ['2028-02-29', '2031-02-28'], // from a leap day: no 29 Feb in 2031, so the month's last day
    ['2024-02-29', '2027-02-28'], // no 29 Feb in 2027: the month's last day
    ['2024-02-28', '2027-02-28'],
    ['2025-02-28', '2028-02-28'], // ends before a leap day, not on it,
    ['2022-05-31', '2025-05-31'],
    ['2025-07-06', '2028-07-06'],
  ])('decision %s → valid until %s (inclusive)', (decision, until) => {
    expect(validUntil(decision)).toBe(until);
  });

  it('always covers three years counted from the day after the decision (1094-1096 days)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40_000 }), (n) => {
        const decision = addDays('1990-01-01', n);
        const until = validUntil(decision);
        const days = daysBetween(decision, until);
        expect(days).toBeGreaterThanOrEqual(1094);
        expect(days).toBeLessThanOrEqual(1096);
      }),
    );
  });

  it('rejects impossible decision dates', () => {
    expect(() => validUntil('2023-02-29')).toThrow(DomainError);
    expect(() => validUntil('')).toThrow(DomainError);
  });
});
