import { addDays, addMonthsClamped, type IsoDate } from './dates';

export const VALIDITY_MONTHS = 36;

/** The issuer must notify the producer at least this many days before expiry. */
export const EXPIRY_NOTICE_DAYS = 30;

/**
 * Last day of validity, inclusive. A certificate is valid 36 months from the decision date,
 * counting the decision day as day one, so it ends the day before the 36-month anniversary:
 * 2023-05-10 → 2026-05-09. The anniversary is clamped to month end first (2023-03-31 →
 * 2026-03-31 → valid until 2026-03-30; 2024-02-29 → 2027-02-28 → valid until 2027-02-27).
 * Using one inclusive "until" date means every consumer compares `today <= validUntil` and
 * nobody re-derives the period.
 */
export function validUntil(decisionDate: IsoDate): IsoDate {
  return addDays(addMonthsClamped(decisionDate, VALIDITY_MONTHS), -1);
}
