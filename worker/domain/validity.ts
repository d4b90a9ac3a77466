import { addMonthsClamped, type IsoDate } from './dates';

export const VALIDITY_MONTHS = 36;

/** The issuer must notify the producer at least this many days before expiry. */
export const EXPIRY_NOTICE_DAYS = 30;

/**
 * Last day of validity, inclusive, counted as the Civil Code 2015 counts periods
 * (Art. 147-148): the period starts the day after the decision and a period in months
 * ends on the same day-of-month of its last month, or that month's last day when the
 * day does not exist. So 2023-05-10 → valid through 2026-05-10; 2024-02-29 → 2027-02-28;
 * 2023-03-31 → 2026-03-31. One inclusive "until" date means every consumer compares
 * `today <= validUntil` and nobody re-derives the period.
 */
export function validUntil(decisionDate: IsoDate): IsoDate {
  return addMonthsClamped(decisionDate, VALIDITY_MONTHS);
}
