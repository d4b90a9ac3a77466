// The provincial OCOP plans the service starts with, as data (issue 12). Only the plan whose
// targets are known is seeded: Bình Phước 2022-2025, from the seed document's figures
// (../shared/data/binh-phuoc.json, plan_targets_2025). No targets are invented for
// 2026-2030: a province admin enters that plan on /admin/plans when it is adopted.
import type { Transaction } from 'kysely';
import type { Database } from '../../schema/database';
import type { PlanTargetInput } from '../domain/plan';
import { audit, type Actor } from '../db/audit';
import { PROVINCE } from './reference-data';

export interface SeedPlan {
  name: string;
  legalBasis: string;
  areaUnitId: string;
  periodStart: string;
  periodEnd: string;
  note: string | null;
  targets: PlanTargetInput[];
}

const target = (indicator: Exclude<PlanTargetInput['indicator'], 'custom'>, value: number): PlanTargetInput => ({ indicator, name: null, unit: null, target: value, actual: null });

export const SEED_PLANS: SeedPlan[] = [
  {
    name: 'Kế hoạch OCOP tỉnh Bình Phước giai đoạn 2022-2025',
    legalBasis: 'Kế hoạch thực hiện Chương trình OCOP tỉnh Bình Phước giai đoạn 2022-2025',
    areaUnitId: PROVINCE.id,
    periodStart: '2022-01-01',
    periodEnd: '2025-12-31',
    note: 'Báo cáo tháng 2/2025: 157 sản phẩm OCOP, trong đó 3 sản phẩm 5 sao, 58 sản phẩm 4 sao; khoảng 80 chủ thể.',
    targets: [
      target('products_3_star_cumulative', 250),
      target('new_products_3_star', 150),
      target('share_coop_or_enterprise', 80),
      target('share_female_led', 40),
      target('share_ethnic_minority_led', 5),
      target('community_tourism_products', 6),
      target('share_expired_recertified', 50),
      target('share_modern_channels', 70),
      target('showrooms_per_district', 1),
      // Counted nowhere in this system: the office types the actual value.
      { indicator: 'custom', name: 'Tỷ lệ sản phẩm tiềm năng 5 sao', unit: '%', target: 10, actual: null },
    ],
  },
];

/** Inserts the seed plans that are not there yet (by name), audited. */
export async function seedPlans(trx: Transaction<Database>, actor: Actor): Promise<void> {
  for (const p of SEED_PLANS) {
    const exists = await trx.selectFrom('plans').select('id').where('name', '=', p.name).executeTakeFirst();
    if (exists) continue;
    const row = await trx
      .insertInto('plans')
      .values({ name: p.name, legal_basis: p.legalBasis, area_unit_id: p.areaUnitId, period_start: p.periodStart, period_end: p.periodEnd, note: p.note })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('plan_targets')
      .values(p.targets.map((t, position) => ({ plan_id: row.id, position, indicator: t.indicator, name: t.name, unit: t.unit, target: t.target, actual: t.actual })))
      .execute();
    await audit(trx, actor, { action: 'plan.create', entity: 'plan', entityId: row.id, after: p });
  }
}
