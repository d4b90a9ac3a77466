// Reports: the plan's progress (dashboard) and the 6-month / annual period report, for the admin dashboard, report pages and admin API.
import { sql, type Kysely } from 'kysely';
import type { Database, LegalForm, RevocationGroundColumn } from '../../schema/database';
import { addDays, vietnamDayStart } from '../domain/dates';
import { certificatesWithProducer } from './certificates';
import { planStatus, type PlanStatus } from './plan-actuals';
import { scansByVerdict } from './scans';
import { DISTRICT_OF_ADDRESS } from './units';

/**
 * Certificates in force on `day`: decided by then, not past their last valid day, and not
 * yet revoked or replaced by a renewal on that day. Works for any past day, so a report
 * for an earlier period counts what was in force then, not what is in force now.
 */
function inForceOn(day: string) {
  const dayEnd = vietnamDayStart(addDays(day, 1));
  return sql<boolean>`(c.decision_date <= ${day} and c.valid_until >= ${day}
    and not (c.status = 'revoked' and c.revocation_date <= ${day})
    and not (c.status = 'superseded' and c.superseded_at < ${dayEnd}))`;
}

export interface PlanProgress {
  day: string;
  certifiedProducts: number;
  byStars: Record<3 | 4 | 5, number>;
  producers: number;
  producersByForm: Record<LegalForm, number>;
  femaleLed: number;
  ethnicMinorityLed: number;
  tourismProducts: number;
  /** Products whose certificate reached its end (expired, or renewed) and how many were recertified. */
  expiredProducts: number;
  recertifiedProducts: number;
  coverage: { districtId: string | null; districtName: string; products: number }[];
  starsByGroup: { groupId: number | null; groupVi: string; groupEn: string; stars3: number; stars4: number; stars5: number }[];
}

export async function planProgress(db: Kysely<Database>, day: string): Promise<PlanProgress> {
  const certified = await certificatesWithProducer(db)
    .leftJoin('product_groups as g', 'g.id', 'p.plan_group_id')
    .leftJoin('admin_units as au', 'au.id', 'pr.address_unit_id')
    .leftJoin('admin_units as ad', (j) => j.on(DISTRICT_OF_ADDRESS))
    .select([
      'c.product_id', 'c.stars', 'pr.id as producer_id', 'pr.legal_form', 'pr.female_led', 'pr.ethnic_minority_led',
      'g.id as group_id', 'g.code as group_code', 'g.name_vi as group_vi', 'g.name_en as group_en', 'ad.id as district_id', 'ad.name as district_name',
    ])
    .where(inForceOn(day))
    .execute();

  const byStars: Record<3 | 4 | 5, number> = { 3: 0, 4: 0, 5: 0 };
  const producers = new Map<number, { form: LegalForm; female: boolean; ethnic: boolean }>();
  const coverage = new Map<string | null, { districtName: string; products: number }>();
  const groups = new Map<number | null, { groupVi: string; groupEn: string; stars3: number; stars4: number; stars5: number }>();
  let tourism = 0;
  for (const r of certified) {
    byStars[r.stars as 3 | 4 | 5]++;
    producers.set(r.producer_id, { form: r.legal_form, female: r.female_led, ethnic: r.ethnic_minority_led });
    const cov = coverage.get(r.district_id) ?? { districtName: r.district_name ?? 'Chưa xác định / unknown', products: 0 };
    cov.products++;
    coverage.set(r.district_id, cov);
    const g = groups.get(r.group_id) ?? { groupVi: r.group_vi ?? 'Chưa phân nhóm', groupEn: r.group_en ?? 'No group', stars3: 0, stars4: 0, stars5: 0 };
    if (r.stars === 3) g.stars3++;
    else if (r.stars === 4) g.stars4++;
    else g.stars5++;
    groups.set(r.group_id, g);
    if (r.group_code === 'tourism') tourism++;
  }

  // Every district and plan group appears, also with zero, so gaps show on the charts.
  const districts = await db.selectFrom('admin_units').select(['id', 'name']).where('level', '=', 'district').orderBy('name').execute();
  for (const d of districts) if (!coverage.has(d.id)) coverage.set(d.id, { districtName: d.name, products: 0 });
  const planGroups = await db.selectFrom('product_groups').select(['id', 'name_vi', 'name_en']).where('kind', '=', 'plan_group').orderBy('id').execute();
  for (const g of planGroups) if (!groups.has(g.id)) groups.set(g.id, { groupVi: g.name_vi, groupEn: g.name_en, stars3: 0, stars4: 0, stars5: 0 });

  const producersByForm: Record<LegalForm, number> = { doanh_nghiep: 0, hop_tac_xa: 0, to_hop_tac: 0, ho_kinh_doanh: 0 };
  let female = 0;
  let ethnic = 0;
  for (const p of producers.values()) {
    producersByForm[p.form]++;
    if (p.female) female++;
    if (p.ethnic) ethnic++;
  }

  const recert = await recertification(db, day);
  return {
    day,
    certifiedProducts: certified.length,
    byStars,
    producers: producers.size,
    producersByForm,
    femaleLed: female,
    ethnicMinorityLed: ethnic,
    tourismProducts: tourism,
    expiredProducts: recert.ended,
    recertifiedProducts: recert.renewed,
    coverage: [...coverage.entries()].map(([districtId, v]) => ({ districtId, ...v })).sort((a, b) => b.products - a.products || a.districtName.localeCompare(b.districtName, 'vi')),
    starsByGroup: [...groups.entries()].map(([groupId, v]) => ({ groupId, ...v })),
  };
}

/**
 * The plan's recertification share: among products whose certificate term ended by `day`
 * (it expired, or it was replaced by a renewal), those that hold a renewal. Revoked
 * certificates are left out: they ended by decision, not by expiry.
 */
async function recertification(db: Kysely<Database>, day: string): Promise<{ ended: number; renewed: number }> {
  const dayEnd = vietnamDayStart(addDays(day, 1));
  const row = await db
    .selectFrom('products as p')
    .select([
      sql<number>`count(*) filter (where exists (select 1 from certificates c where c.product_id = p.id and ((c.status = 'active' and c.valid_until < ${day}) or (c.status = 'superseded' and c.superseded_at < ${dayEnd}))))`.as('ended'),
      sql<number>`count(*) filter (where exists (select 1 from certificates c where c.product_id = p.id and c.supersedes_id is not null and c.decision_date <= ${day}))`.as('renewed'),
    ])
    .executeTakeFirstOrThrow();
  return { ended: Number(row.ended), renewed: Number(row.renewed) };
}

export interface PeriodReport {
  from: string;
  to: string;
  issued: { stars: number; renewal: boolean; count: number }[];
  revoked: { ground: RevocationGroundColumn; count: number }[];
  expired: number;
  batches: { count: number; codes: number };
  scans: { verdict: string; count: number }[];
  counterfeitReports: number;
  endOfPeriod: PlanProgress;
  /** The plan in force at the end of the period, its targets measured then. */
  plan: PlanStatus;
  certificates: { number: string; product: string; producer: string; stars: number; event: 'issued' | 'renewed' | 'revoked' | 'expired'; date: string }[];
}

/** The 6-month or annual report the plan asks for, over [from, to] (Vietnam calendar days). */
export async function periodReport(db: Kysely<Database>, from: string, to: string, today: string): Promise<PeriodReport> {
  const start = vietnamDayStart(from);
  const end = vietnamDayStart(addDays(to, 1));
  const issuedRows = await certificatesWithProducer(db)
    .select(['c.number', 'c.stars', 'c.supersedes_id', 'c.decision_date', 'p.name as product', 'pr.name as producer'])
    .where('c.decision_date', '>=', from)
    .where('c.decision_date', '<=', to)
    .orderBy('c.decision_date')
    .execute();
  const revokedRows = await certificatesWithProducer(db)
    .select(['c.number', 'c.stars', 'c.revocation_ground', 'c.revocation_date', 'p.name as product', 'pr.name as producer'])
    .where('c.status', '=', 'revoked')
    .where('c.revocation_date', '>=', from)
    .where('c.revocation_date', '<=', to)
    .orderBy('c.revocation_date')
    .execute();
  // Expired within the period: the last valid day fell in it and it had passed by today,
  // with no renewal or revocation before that day.
  const lastExpiredDay = to < today ? to : addDays(today, -1);
  const expiredRows = await certificatesWithProducer(db)
    .select(['c.number', 'c.stars', 'c.valid_until', 'p.name as product', 'pr.name as producer'])
    .where('c.valid_until', '>=', from)
    .where('c.valid_until', '<=', lastExpiredDay)
    .where(sql<boolean>`(c.status = 'active' or (c.status = 'revoked' and c.revocation_date > c.valid_until))`)
    .orderBy('c.valid_until')
    .execute();
  const batches = await db
    .selectFrom('package_batches')
    .select([sql<number>`count(*)`.as('count'), sql<number>`coalesce(sum(quantity), 0)`.as('codes')])
    .where('created_at', '>=', start)
    .where('created_at', '<', end)
    .executeTakeFirstOrThrow();
  const scans = await scansByVerdict(db, from, to);
  const reports = await db
    .selectFrom('counterfeit_reports')
    .select(sql<number>`count(*)`.as('n'))
    .where('created_at', '>=', start)
    .where('created_at', '<', end)
    .executeTakeFirstOrThrow();

  const issued = new Map<string, { stars: number; renewal: boolean; count: number }>();
  for (const r of issuedRows) {
    const key = `${r.stars}-${r.supersedes_id !== null}`;
    const e = issued.get(key) ?? { stars: r.stars, renewal: r.supersedes_id !== null, count: 0 };
    e.count++;
    issued.set(key, e);
  }
  const revoked = new Map<RevocationGroundColumn, number>();
  for (const r of revokedRows) if (r.revocation_ground) revoked.set(r.revocation_ground, (revoked.get(r.revocation_ground) ?? 0) + 1);

  const certificates: PeriodReport['certificates'] = [
    ...issuedRows.map((r) => ({ number: r.number, product: r.product, producer: r.producer, stars: r.stars, event: r.supersedes_id !== null ? ('renewed' as const) : ('issued' as const), date: r.decision_date })),
    ...revokedRows.map((r) => ({ number: r.number, product: r.product, producer: r.producer, stars: r.stars, event: 'revoked' as const, date: r.revocation_date! })),
    ...expiredRows.map((r) => ({ number: r.number, product: r.product, producer: r.producer, stars: r.stars, event: 'expired' as const, date: r.valid_until })),
  ].sort((a, b) => a.date.localeCompare(b.date) || a.number.localeCompare(b.number));

  const endOfPeriod = await planProgress(db, to < today ? to : today);
  return {
    from,
    to,
    issued: [...issued.values()].sort((a, b) => a.stars - b.stars || Number(a.renewal) - Number(b.renewal)),
    revoked: [...revoked.entries()].map(([ground, count]) => ({ ground, count })),
    expired: expiredRows.length,
    batches: { count: Number(batches.count), codes: Number(batches.codes) },
    scans,
    counterfeitReports: Number(reports.n),
    endOfPeriod,
    plan: await planStatus(db, endOfPeriod),
    certificates,
  };
}
