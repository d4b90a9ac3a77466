import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../worker/domain/errors';
import { assertNoOverlap, assertValidTargets, measureTargets, percentOf, planInForce, type PlanTargetRow } from '../../../worker/domain/plan';

// Which plan the dashboard and the reports measure against, and the rules a plan must keep.

const bp = { id: 1, areaUnitId: 'p-70', periodStart: '2022-01-01', periodEnd: '2025-12-31', areaValidTo: '2025-07-01', name: 'Bình Phước 2022-2025' };
const dn = { id: 2, areaUnitId: 'p-dong-nai', periodStart: '2026-01-01', periodEnd: '2030-12-31', areaValidTo: null, name: 'Đồng Nai 2026-2030' };

function code(f: () => void): string | null {
  try {
    f();
    return null;
  } catch (e) {
    return e instanceof DomainError ? e.code : 'not a DomainError';
  }
}

describe('the plan in force', () => {
  it('is the plan whose period covers the day, first and last day included; none outside every period', () => {
    expect(planInForce([bp, dn], '2022-01-01')?.id).toBe(1);
    expect(planInForce([bp, dn], '2025-12-31')?.id).toBe(1);
    expect(planInForce([bp, dn], '2026-01-01')?.id).toBe(2);
    expect(planInForce([bp, dn], '2026-12-15')?.id).toBe(2);
    expect(planInForce([bp, dn], '2021-12-31')).toBeNull();
    expect(planInForce([bp], '2026-03-10')).toBeNull();
    expect(planInForce([], '2026-03-10')).toBeNull();
  });

  it('after a merger prefers the plan of the unit that still exists over the merged-away one', () => {
    const dn2025 = { ...dn, id: 3, periodStart: '2025-07-01', periodEnd: '2025-12-31' };
    expect(planInForce([bp, dn2025], '2025-10-01')?.id).toBe(3);
    // Before the merger only the old province's plan covers the day.
    expect(planInForce([bp, dn2025], '2025-06-30')?.id).toBe(1);
  });
});

describe('plan rules', () => {
  it('refuses a plan that overlaps another plan of the same area by even one day', () => {
    expect(code(() => assertNoOverlap({ areaUnitId: 'p-70', periodStart: '2025-12-31', periodEnd: '2026-06-30' }, [bp]))).toBe('plan_overlap');
    expect(code(() => assertNoOverlap({ areaUnitId: 'p-70', periodStart: '2020-01-01', periodEnd: '2030-12-31' }, [bp]))).toBe('plan_overlap');
    expect(code(() => assertNoOverlap({ areaUnitId: 'p-70', periodStart: '2026-01-01', periodEnd: '2030-12-31' }, [bp]))).toBeNull();
    // Another area may run a plan over the same days.
    expect(code(() => assertNoOverlap({ areaUnitId: 'p-dong-nai', periodStart: '2024-01-01', periodEnd: '2025-12-31' }, [bp]))).toBeNull();
    expect(code(() => assertNoOverlap({ areaUnitId: 'p-70', periodStart: '2026-02-01', periodEnd: '2026-01-01' }, []))).toBe('invalid_plan_period');
  });

  it('refuses a standard indicator listed twice and a free indicator without a name', () => {
    const t = (indicator: PlanTargetRow['indicator'], name: string | null = null) => ({ indicator, name, unit: null, target: 1, actual: null });
    expect(code(() => assertValidTargets([t('share_female_led'), t('share_female_led')]))).toBe('plan_target_repeated');
    expect(code(() => assertValidTargets([t('custom')]))).toBe('plan_target_name_required');
    expect(code(() => assertValidTargets([t('custom', 'Lao động được đào tạo'), t('custom', 'Chuỗi giá trị'), t('share_female_led')]))).toBeNull();
  });
});

describe('measuring targets', () => {
  it('compares each target with its actual value, and says "no data" where there is no source', () => {
    const targets: PlanTargetRow[] = [
      { indicator: 'showrooms_per_district', name: null, unit: null, target: 1, actual: null, position: 2 },
      { indicator: 'share_female_led', name: null, unit: null, target: 40, actual: null, position: 0 },
      { indicator: 'custom', name: 'Tỷ lệ sản phẩm tiềm năng 5 sao', unit: '%', target: 10, actual: 12, position: 1 },
    ];
    const measured = measureTargets(targets, new Map([['share_female_led', { value: 38.5, detail: '5 / 13' }]]));
    expect(measured.map((m) => [m.indicator, m.actual?.value ?? null, m.met])).toEqual([
      ['share_female_led', 38.5, false],
      ['custom', 12, true],
      ['showrooms_per_district', null, null],
    ]);
    expect(measured[1]!.nameVi).toBe('Tỷ lệ sản phẩm tiềm năng 5 sao');
    expect(percentOf(1, 3)).toBe(33.3);
    expect(percentOf(0, 0)).toBe(0);
  });
});
