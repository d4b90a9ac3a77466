import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DomainError } from '../../../worker/domain/errors';
import { evaluateStars, isCertifiable, SCORE_MAX, starsFromTotal, type Stars } from '../../../worker/domain/stars';

describe('starsFromTotal', () => {
  it.each([
    [0, 1], [29, 1], [29.9, 1],
    [30, 2], [49, 2], [49.9, 2],
    [50, 3], [69, 3], [69.9, 3],
    [70, 4], [89, 4], [89.9, 4],
    [90, 5], [100, 5],
  ] as const)('%d points → %d★', (total, stars) => {
    expect(starsFromTotal(total)).toBe(stars);
  });

  it.each([-0.1, 100.1, Number.NaN, Number.POSITIVE_INFINITY])('rejects %d', (total) => {
    expect(() => starsFromTotal(total)).toThrow(DomainError);
  });
});

describe('evaluateStars', () => {
  it('parts max out at A 40, B 25, C 35', () => {
    expect(SCORE_MAX).toEqual({ a: 40, b: 25, c: 35 });
    expect(evaluateStars({ a: 40, b: 25, c: 35, mandatoryLevel: 5 })).toEqual({ total: 100, stars: 5 });
    expect(evaluateStars({ a: 0, b: 0, c: 0, mandatoryLevel: 5 })).toEqual({ total: 0, stars: 1 });
  });

  // [a, b, c, total, stars] either side of each band's lower bound: 30, 50, 70, 90.
  it.each([[10, 10, 9, 29, 1], [10, 10, 10, 30, 2], [20, 10, 19, 49, 2], [20, 10, 20, 50, 3], [30, 15, 24, 69, 3], [30, 15, 25, 70, 4], [35, 20, 34, 89, 4], [35, 20, 35, 90, 5]])(
    'takes the band at the boundaries when mandatory criteria allow it: %d + %d + %d',
    (a, b, c, total, stars) => expect(evaluateStars({ a, b, c, mandatoryLevel: 5 })).toEqual({ total, stars }),
  );

  it('never gives more stars than the mandatory criteria met, whatever the total', () => {
    for (const mandatoryLevel of [4, 2] as const) expect(evaluateStars({ a: 40, b: 25, c: 35, mandatoryLevel })).toEqual({ total: 100, stars: mandatoryLevel });
    expect(evaluateStars({ a: 30, b: 15, c: 25, mandatoryLevel: 3 })).toEqual({ total: 70, stars: 3 });
    expect(evaluateStars({ a: 40, b: 25, c: 35, mandatoryLevel: 1 }).stars).toBe(1);
  });

  it('a high mandatory level does not raise a low total', () => {
    expect(evaluateStars({ a: 20, b: 10, c: 10, mandatoryLevel: 5 })).toEqual({ total: 40, stars: 2 });
  });

  it('accepts one decimal place and adds without float noise', () => {
    expect(evaluateStars({ a: 12.5, b: 12.5, c: 25, mandatoryLevel: 5 })).toEqual({ total: 50, stars: 3 });
    expect(evaluateStars({ a: 0.1, b: 0.2, c: 0, mandatoryLevel: 5 }).total).toBe(0.3);
    expect(evaluateStars({ a: 29.9, b: 10, c: 10, mandatoryLevel: 5 })).toEqual({ total: 49.9, stars: 2 });
    expect(evaluateStars({ a: 12.3, b: 20.3, c: 17.4, mandatoryLevel: 5 })).toEqual({ total: 50, stars: 3 });
  });

  it.each([
    ['negative A', { a: -1, b: 0, c: 0 }, 'score_out_of_range'],
    ['negative fraction C', { a: 0, b: 0, c: -0.1 }, 'score_out_of_range'],
    ['A over 40', { a: 40.1, b: 0, c: 0 }, 'score_out_of_range'],
    ['B over 25', { a: 0, b: 26, c: 0 }, 'score_out_of_range'],
    ['C over 35', { a: 0, b: 0, c: 36 }, 'score_out_of_range'],
    ['NaN', { a: Number.NaN, b: 0, c: 0 }, 'score_not_a_number'],
    ['Infinity', { a: 0, b: Number.POSITIVE_INFINITY, c: 0 }, 'score_not_a_number'],
    ['string', { a: '10' as unknown as number, b: 0, c: 0 }, 'score_not_a_number'],
    ['two decimals', { a: 12.25, b: 0, c: 0 }, 'score_precision'],
    ['tiny fraction', { a: 0, b: 0, c: 0.01 }, 'score_precision'],
  ])('rejects %s', (_name, scores, code) => {
    try {
      evaluateStars({ ...scores, mandatoryLevel: 5 });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).code).toBe(code);
      expect((err as DomainError).messageVi).toMatch(/Điểm/);
    }
  });

  it.each([0, 6, 3.5, Number.NaN, '3'])('rejects mandatoryLevel %j', (level) => {
    expect(() => evaluateStars({ a: 30, b: 20, c: 30, mandatoryLevel: level as Stars })).toThrow(DomainError);
  });

  it('property: stars ≤ mandatoryLevel and ≤ starsFromTotal, equal to the smaller', () => {
    const tenths = (max: number) => fc.integer({ min: 0, max: max * 10 }).map((n) => n / 10);
    fc.assert(
      fc.property(tenths(SCORE_MAX.a), tenths(SCORE_MAX.b), tenths(SCORE_MAX.c), fc.constantFrom<Stars>(1, 2, 3, 4, 5), (a, b, c, mandatoryLevel) => {
        const { total, stars } = evaluateStars({ a, b, c, mandatoryLevel });
        const byTotal = starsFromTotal(total);
        expect(stars).toBeLessThanOrEqual(mandatoryLevel);
        expect(stars).toBeLessThanOrEqual(byTotal);
        expect(stars).toBe(Math.min(mandatoryLevel, byTotal));
        expect(Math.round(total * 10)).toBe(Math.round(a * 10) + Math.round(b * 10) + Math.round(c * 10));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('isCertifiable', () => {
  it('only 3★ and up get a certificate', () => {
    expect([1, 2, 3, 4, 5].map((s) => isCertifiable(s as Stars))).toEqual([false, false, true, true, true]);
  });
});
