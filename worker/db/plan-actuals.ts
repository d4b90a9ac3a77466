// Where each plan indicator's actual value comes from: one source per indicator, so an
// indicator whose data another part of the system records (sales points, showrooms) is
// wired by adding its source here. An indicator without a source shows "chưa có số liệu"
// (no data yet) rather than a made-up zero.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../schema/database';
import { percentOf, type Actual, type MeasuredTarget, measureTargets, type StandardIndicator } from '../domain/plan';
import { planForDay, type PlanDetail } from './plans';
import { producersSellingThroughModernChannels, showroomsPerFormerDistrict } from './sales-points';
import type { PlanProgress } from './reports';

export interface ActualContext {
  /** The day measured (the end of a report's period, or the dashboard's day). */
  day: string;
  plan: PlanDetail;
  progress: PlanProgress;
}

export type ActualSource = (db: Kysely<Database>, ctx: ActualContext) => Promise<Actual | null>;

const fromProgress = (f: (p: PlanProgress) => Actual): ActualSource => async (_db, ctx) => f(ctx.progress);

/** New 3★+ products in the plan's period up to the day: first certificates, renewals left out. */
const newProducts: ActualSource = async (db, ctx) => {
  const row = await db
    .selectFrom('certificates')
    .select(sql<number>`count(distinct product_id)`.as('n'))
    .where('supersedes_id', 'is', null)
    .where('decision_date', '>=', ctx.plan.period_start)
    .where('decision_date', '<=', ctx.day)
    .executeTakeFirstOrThrow();
  const n = Number(row.n);
  const d = ctx.plan.period_start;
  return { value: n, detail: `${n} sản phẩm cấp lần đầu từ ${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}` };
};

/** Producers with a point of sale in a supermarket or online shop recorded by the day, of those with a certificate. */
const modernChannels: ActualSource = async (db, ctx) => {
  const m = await producersSellingThroughModernChannels(db, ctx.day);
  return { value: percentOf(m.producers, m.certifiedProducers), detail: `${m.producers} / ${m.certifiedProducers} chủ thể (nơi bán đã ghi nhận)` };
};

/**
 * "At least N showrooms per district": the value is the fewest showrooms any former district
 * has, so the target is met only when every district is; the detail says how many districts
 * have one. The plan's area's districts; a plan of today's Đồng Nai (no districts since
 * 1 July 2025) is counted over the former districts the register holds, Bình Phước's.
 */
const showroomsPerDistrict: ActualSource = async (db, ctx) => {
  let districts = await showroomsPerFormerDistrict(db, ctx.plan.area_unit_id, ctx.day);
  if (districts.length === 0) districts = await showroomsPerFormerDistrict(db, 'p-70', ctx.day);
  if (districts.length === 0) return null;
  const fewest = Math.min(...districts.map((d) => d.showrooms));
  const withOne = districts.filter((d) => d.showrooms > 0).length;
  return { value: fewest, detail: `${withOne} / ${districts.length} huyện (cũ) có điểm giới thiệu` };
};

/** The sources by indicator; an indicator missing here shows "chưa có số liệu". */
export const ACTUAL_SOURCES: Partial<Record<StandardIndicator, ActualSource>> = {
  products_3_star_cumulative: fromProgress((p) => ({ value: p.certifiedProducts, detail: `3 sao: ${p.byStars[3]}, 4 sao: ${p.byStars[4]}, 5 sao: ${p.byStars[5]}` })),
  new_products_3_star: newProducts,
  share_coop_or_enterprise: fromProgress((p) => {
    const n = p.producersByForm.doanh_nghiep + p.producersByForm.hop_tac_xa;
    return { value: percentOf(n, p.producers), detail: `${n} / ${p.producers} chủ thể` };
  }),
  share_female_led: fromProgress((p) => ({ value: percentOf(p.femaleLed, p.producers), detail: `${p.femaleLed} / ${p.producers} chủ thể` })),
  share_ethnic_minority_led: fromProgress((p) => ({ value: percentOf(p.ethnicMinorityLed, p.producers), detail: `${p.ethnicMinorityLed} / ${p.producers} chủ thể` })),
  community_tourism_products: fromProgress((p) => ({ value: p.tourismProducts, detail: 'nhóm Dịch vụ du lịch nông thôn' })),
  share_expired_recertified: fromProgress((p) => ({ value: percentOf(p.recertifiedProducts, p.expiredProducts), detail: `${p.recertifiedProducts} / ${p.expiredProducts} sản phẩm` })),
  share_modern_channels: modernChannels,
  showrooms_per_district: showroomsPerDistrict,
};

/** The plan's targets measured on `ctx.day`; indicators without a source carry no actual value. */
export async function measurePlan(db: Kysely<Database>, ctx: ActualContext, sources: Partial<Record<StandardIndicator, ActualSource>> = ACTUAL_SOURCES): Promise<MeasuredTarget[]> {
  const actuals = new Map<StandardIndicator, Actual | null>();
  for (const t of ctx.plan.targets) {
    if (t.indicator === 'custom') continue;
    const source = sources[t.indicator];
    actuals.set(t.indicator, source ? await source(db, ctx) : null);
  }
  return measureTargets(ctx.plan.targets, actuals);
}

/** The plan in force on a day and its targets measured: what the dashboard and every report show. */
export interface PlanStatus {
  /** null: no plan covers the day ("Chưa có kế hoạch cho giai đoạn này"). */
  plan: Omit<PlanDetail, 'targets'> | null;
  targets: MeasuredTarget[];
}

export async function planStatus(db: Kysely<Database>, progress: PlanProgress): Promise<PlanStatus> {
  const plan = await planForDay(db, progress.day);
  if (!plan) return { plan: null, targets: [] };
  const { targets: _targets, ...summary } = plan;
  return { plan: summary, targets: await measurePlan(db, { day: progress.day, plan, progress }) };
}
