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
    ['2023-05-10', '2026-05-09'],
    ['2023-01-01', '2025-12-31'],
    ['2023-12-31', '2026-12-30'],
    ['2023-01-31', '2026-01-30'],
    ['2023-03-31', '2026-03-30'],
    ['2023-03-01', '2026-02-28'],
    ['2025-03-01', '2028-02-29'], // ends on a leap day
    ['2024-02-29', '2027-02-27'], // anniversary clamped to 2027-02-28, minus one day
    ['2024-02-28', '2027-02-27'],
    ['2023-02-28', '2026-02-27'],
    ['2022-05-31', '2025-05-30'],
    ['2025-07-06', '2028-07-05'],
  ])('decision %s → valid until %s (inclusive)', (decision, until) => {
    expect(validUntil(decision)).toBe(until);
  });

  it('always covers about three years (1094-1096 days, decision day included)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40_000 }), (n) => {
        const decision = addDays('1990-01-01', n);
        const until = validUntil(decision);
        const days = daysBetween(decision, until) + 1;
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
