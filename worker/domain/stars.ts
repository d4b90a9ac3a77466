import { DomainError } from './errors';

export type Stars = 1 | 2 | 3 | 4 | 5;

export const STARS: readonly Stars[] = [1, 2, 3, 4, 5] as const;

/** Part A: production organisation, community; B: development, marketing, story; C: quality, standards. */
export const SCORE_MAX = { a: 40, b: 25, c: 35 } as const;

export type ScorePart = keyof typeof SCORE_MAX;

export const TOTAL_MAX = SCORE_MAX.a + SCORE_MAX.b + SCORE_MAX.c;

export function isStars(n: unknown): n is Stars {
  return n === 1 || n === 2 || n === 3 || n === 4 || n === 5;
}

// Scores are given in tenths at most (e.g. 12.5); the tolerance absorbs binary float noise
// such as 12.3 * 10 = 123.00000000000001.
function hasAtMostOneDecimal(x: number): boolean {
  return Math.abs(x * 10 - Math.round(x * 10)) < 1e-6;
}

function roundTenth(x: number): number {
  return Math.round(x * 10) / 10;
}

function checkScore(value: number, max: number, label: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new DomainError('score_not_a_number', `Score ${label} is not a number`, `Điểm phần ${label} không phải là số`);
  }
  if (value < 0 || value > max) {
    throw new DomainError('score_out_of_range', `Score ${label} must be between 0 and ${max}, got ${value}`, `Điểm phần ${label} phải từ 0 đến ${max}, nhận được ${value}`);
  }
  if (!hasAtMostOneDecimal(value)) {
    throw new DomainError('score_precision', `Score ${label} may have at most one decimal place, got ${value}`, `Điểm phần ${label} chỉ được có tối đa một chữ số thập phân, nhận được ${value}`);
  }
}

/**
 * Star band of a total out of 100. Bands are half-open so fractional totals fall somewhere:
 * 49.5 is still 2★ because 3★ starts at 50.
 */
export function starsFromTotal(total: number): Stars {
  if (typeof total !== 'number' || !Number.isFinite(total)) {
    throw new DomainError('score_not_a_number', 'Total score is not a number', 'Tổng điểm không phải là số');
  }
  if (total < 0 || total > TOTAL_MAX) {
    throw new DomainError('score_out_of_range', `Total score must be between 0 and ${TOTAL_MAX}, got ${total}`, `Tổng điểm phải từ 0 đến ${TOTAL_MAX}, nhận được ${total}`);
  }
  if (total < 30) return 1;
  if (total < 50) return 2;
  if (total < 70) return 3;
  if (total < 90) return 4;
  return 5;
}

export interface StarsInput {
  a: number;
  b: number;
  c: number;
  /** Highest star level whose mandatory criteria are all met. */
  mandatoryLevel: Stars;
}

export interface StarsResult {
  total: number;
  stars: Stars;
}

/**
 * The rating a council gives: the score band capped by the mandatory criteria met. A product
 * scoring 95 that misses a 5★ mandatory criterion is 4★ (or lower), never 5★.
 */
export function evaluateStars(input: StarsInput): StarsResult {
  checkScore(input.a, SCORE_MAX.a, 'A');
  checkScore(input.b, SCORE_MAX.b, 'B');
  checkScore(input.c, SCORE_MAX.c, 'C');
  if (!isStars(input.mandatoryLevel)) {
    throw new DomainError(
      'invalid_mandatory_level',
      `Mandatory-criteria level must be a whole number from 1 to 5, got ${String(input.mandatoryLevel)}`,
      `Mức đạt tiêu chí bắt buộc phải là số nguyên từ 1 đến 5, nhận được ${String(input.mandatoryLevel)}`,
    );
  }
  const total = roundTenth(input.a + input.b + input.c);
  const byTotal = starsFromTotal(total);
  const stars = (byTotal < input.mandatoryLevel ? byTotal : input.mandatoryLevel) as Stars;
  return { total, stars };
}

/** Only 3★ and up receive a certificate. */
export function isCertifiable(stars: Stars): boolean {
  return stars >= 3;
}
