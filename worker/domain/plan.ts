// Provincial OCOP plans as data: the indicators a plan can target, which plan is in force
// on a day, the rule that plans of one area never overlap, and how a target is measured.
// Pure: the rows come from worker/db/plans.ts, the actual values from worker/db/plan-actuals.ts.

import { DomainError } from './errors';

type Label = { vi: string; en: string };

/**
 * The indicators a plan can target. `custom` is a free indicator: its name, unit and
 * actual value are typed by the official, for targets the system cannot count.
 */
export const PLAN_INDICATORS = [
  'products_3_star_cumulative',
  'new_products_3_star',
  'share_coop_or_enterprise',
  'share_female_led',
  'share_ethnic_minority_led',
  'community_tourism_products',
  'share_expired_recertified',
  'share_modern_channels',
  'showrooms_per_district',
  'custom',
] as const;
export type PlanIndicator = (typeof PLAN_INDICATORS)[number];
export type StandardIndicator = Exclude<PlanIndicator, 'custom'>;

/** `percent`: target and actual are percentages (80 = 80 %); `count`: a number of things. */
export type IndicatorUnit = 'percent' | 'count';

export const PLAN_INDICATOR_INFO: Record<StandardIndicator, Label & { unit: IndicatorUnit; unitVi: string }> = {
  products_3_star_cumulative: { vi: 'Sản phẩm OCOP 3 sao trở lên còn hiệu lực (lũy kế)', en: 'Certified 3★+ products in force (cumulative)', unit: 'count', unitVi: 'sản phẩm' },
  new_products_3_star: { vi: 'Sản phẩm mới đạt 3 sao trở lên trong giai đoạn', en: 'New 3★+ products in the plan period', unit: 'count', unitVi: 'sản phẩm' },
  share_coop_or_enterprise: { vi: 'Tỷ lệ chủ thể là hợp tác xã, doanh nghiệp', en: 'Share of producers that are cooperatives or companies', unit: 'percent', unitVi: '%' },
  share_female_led: { vi: 'Tỷ lệ chủ thể do phụ nữ làm chủ', en: 'Share of producers led by women', unit: 'percent', unitVi: '%' },
  share_ethnic_minority_led: { vi: 'Tỷ lệ chủ thể do người dân tộc thiểu số làm chủ', en: 'Share of producers led by ethnic-minority people', unit: 'percent', unitVi: '%' },
  community_tourism_products: { vi: 'Sản phẩm dịch vụ du lịch cộng đồng', en: 'Community-tourism products', unit: 'count', unitVi: 'sản phẩm' },
  share_expired_recertified: { vi: 'Tỷ lệ sản phẩm hết hạn được đánh giá lại', en: 'Share of expired products recertified', unit: 'percent', unitVi: '%' },
  share_modern_channels: { vi: 'Tỷ lệ chủ thể bán qua kênh hiện đại (siêu thị, thương mại điện tử)', en: 'Share of producers selling through modern channels', unit: 'percent', unitVi: '%' },
  showrooms_per_district: { vi: 'Điểm giới thiệu, bán sản phẩm OCOP mỗi huyện (cũ)', en: 'OCOP showrooms per (former) district', unit: 'count', unitVi: 'điểm/huyện' },
};

export function isStandardIndicator(s: string): s is StandardIndicator {
  return s !== 'custom' && (PLAN_INDICATORS as readonly string[]).includes(s);
}

export interface PlanPeriod {
  id: number;
  areaUnitId: string;
  periodStart: string;
  periodEnd: string;
}

/** The area a plan covers, as the plan-in-force rule needs it: until when the unit existed. */
export interface PlanWithArea extends PlanPeriod {
  /** The unit's last day (exclusive, as admin_units.valid_to), null while it exists. */
  areaValidTo: string | null;
}

export function covers(plan: PlanPeriod, day: string): boolean {
  return plan.periodStart <= day && day <= plan.periodEnd;
}

/**
 * The plan in force on `day`: one whose period covers it. Plans of one area never overlap
 * (`assertNoOverlap`), but a plan of a merged-away province (Bình Phước 2022-2025) can run
 * past the merger beside one of its successor: the plan of a unit that still exists on that
 * day wins, then the one that started last. No plan covers the day: null, and the pages say so.
 */
export function planInForce<P extends PlanWithArea>(plans: readonly P[], day: string): P | null {
  const candidates = plans.filter((p) => covers(p, day));
  candidates.sort((a, b) => {
    const aLive = a.areaValidTo === null || a.areaValidTo > day ? 0 : 1;
    const bLive = b.areaValidTo === null || b.areaValidTo > day ? 0 : 1;
    return aLive - bLive || b.periodStart.localeCompare(a.periodStart) || b.id - a.id;
  });
  return candidates[0] ?? null;
}

/** A plan's period: a start on or before its end. */
export function assertValidPeriod(periodStart: string, periodEnd: string): void {
  if (periodStart > periodEnd) {
    throw new DomainError('invalid_plan_period', 'The plan must end on or after its start', 'Kế hoạch phải kết thúc cùng ngày hoặc sau ngày bắt đầu');
  }
}

/**
 * Two plans for the same area never cover the same day: the dashboard would not know which
 * targets to measure. `existing` are the area's other plans (the edited plan left out).
 */
export function assertNoOverlap(plan: Omit<PlanPeriod, 'id'>, existing: readonly (PlanPeriod & { name: string })[]): void {
  assertValidPeriod(plan.periodStart, plan.periodEnd);
  const clash = existing.find((e) => e.areaUnitId === plan.areaUnitId && e.periodStart <= plan.periodEnd && plan.periodStart <= e.periodEnd);
  if (clash) {
    throw new DomainError(
      'plan_overlap',
      `The area already has a plan for part of this period: ${clash.name} (${clash.periodStart} – ${clash.periodEnd})`,
      `Địa bàn này đã có kế hoạch trùng thời gian: ${clash.name} (${clash.periodStart} – ${clash.periodEnd})`,
    );
  }
}

export interface PlanTargetInput {
  indicator: PlanIndicator;
  /** A custom indicator's name and unit; null for the standard ones. */
  name: string | null;
  unit: string | null;
  target: number;
  /** A custom indicator's actual value, typed by the official; null when not known. */
  actual: number | null;
}

/** Each standard indicator once per plan; a custom one needs its name. */
export function assertValidTargets(targets: readonly PlanTargetInput[]): void {
  const seen = new Set<string>();
  for (const t of targets) {
    if (t.indicator === 'custom') {
      if (!t.name) throw new DomainError('plan_target_name_required', 'A free indicator needs a name', 'Chỉ tiêu tự nhập cần có tên');
      continue;
    }
    if (seen.has(t.indicator)) {
      throw new DomainError('plan_target_repeated', `The indicator is listed twice: ${PLAN_INDICATOR_INFO[t.indicator].en}`, `Chỉ tiêu bị lặp: ${PLAN_INDICATOR_INFO[t.indicator].vi}`);
    }
    seen.add(t.indicator);
  }
}

/** What a source says an indicator stands at: the value (in the indicator's unit) and its basis in words. */
export interface Actual {
  value: number;
  /** e.g. "12 / 15 chủ thể", for the card beside the value. */
  detail: string;
}

export interface MeasuredTarget {
  indicator: PlanIndicator;
  nameVi: string;
  nameEn: string;
  unit: IndicatorUnit | 'custom';
  /** For people: "%", "sản phẩm", or the custom unit. */
  unitVi: string;
  target: number;
  /** null: no data source for this indicator yet ("chưa có số liệu"). */
  actual: Actual | null;
  /** Targets are minimums; null when there is no actual value to compare. */
  met: boolean | null;
}

export interface PlanTargetRow extends PlanTargetInput {
  position: number;
}

/** Each target beside its actual value; `actuals` holds what the sources could count. */
export function measureTargets(targets: readonly PlanTargetRow[], actuals: ReadonlyMap<StandardIndicator, Actual | null>): MeasuredTarget[] {
  return [...targets]
    .sort((a, b) => a.position - b.position)
    .map((t) => {
      if (t.indicator === 'custom') {
        const actual = t.actual === null ? null : { value: t.actual, detail: 'nhập tay / entered manually' };
        return { indicator: t.indicator, nameVi: t.name ?? '', nameEn: t.name ?? '', unit: 'custom', unitVi: t.unit ?? '', target: t.target, actual, met: actual ? actual.value >= t.target : null };
      }
      const info = PLAN_INDICATOR_INFO[t.indicator];
      const actual = actuals.get(t.indicator) ?? null;
      return { indicator: t.indicator, nameVi: info.vi, nameEn: info.en, unit: info.unit, unitVi: info.unitVi, target: t.target, actual, met: actual ? actual.value >= t.target : null };
    });
}

/** A share as a percentage with one decimal (0 when there is nothing to divide). */
export function percentOf(part: number, whole: number): number {
  return whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0;
}
