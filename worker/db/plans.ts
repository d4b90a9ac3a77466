// Provincial OCOP plans and their targets: read by the dashboard and the reports, written by
// province admins (admin/pages/plan-pages.tsx, the admin API), every write audited.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../schema/database';
import { DomainError } from '../domain/errors';
import { assertNoOverlap, assertValidTargets, planInForce, type PlanTargetInput, type PlanTargetRow, type PlanWithArea } from '../domain/plan';
import { audit, type Actor } from './audit';
import { CHECK_VIOLATION, FOREIGN_KEY_VIOLATION, transactWrite } from './errors';

export interface PlanInput {
  name: string;
  legalBasis: string;
  areaUnitId: string;
  periodStart: string;
  periodEnd: string;
  note: string | null;
  targets: PlanTargetInput[];
}

export interface PlanSummary {
  id: number;
  name: string;
  legal_basis: string;
  area_unit_id: string;
  area_name: string;
  period_start: string;
  period_end: string;
  note: string | null;
}

export interface PlanDetail extends PlanSummary {
  targets: PlanTargetRow[];
}

type Db = Kysely<Database> | Transaction<Database>;

function summaries(db: Db) {
  return db
    .selectFrom('plans as pl')
    .innerJoin('admin_units as au', 'au.id', 'pl.area_unit_id')
    .select(['pl.id', 'pl.name', 'pl.legal_basis', 'pl.area_unit_id', 'au.name as area_name', 'pl.period_start', 'pl.period_end', 'pl.note']);
}

/** Every plan, the latest period first. */
export async function listPlans(db: Db): Promise<PlanSummary[]> {
  return summaries(db).orderBy('pl.period_start', 'desc').orderBy('pl.id', 'desc').execute();
}

async function targetsOf(db: Db, planId: number): Promise<PlanTargetRow[]> {
  const rows = await db.selectFrom('plan_targets').select(['indicator', 'name', 'unit', 'target', 'actual', 'position']).where('plan_id', '=', planId).orderBy('position').orderBy('id').execute();
  return rows.map((r) => ({ ...r, target: Number(r.target), actual: r.actual === null ? null : Number(r.actual) }));
}

export async function getPlan(db: Db, id: number): Promise<PlanDetail | null> {
  const plan = await summaries(db).where('pl.id', '=', id).executeTakeFirst();
  return plan ? { ...plan, targets: await targetsOf(db, id) } : null;
}

/** The plan in force on `day` with its targets (worker/domain/plan.ts says which), or null. */
export async function planForDay(db: Db, day: string): Promise<PlanDetail | null> {
  const rows = await db
    .selectFrom('plans as pl')
    .innerJoin('admin_units as au', 'au.id', 'pl.area_unit_id')
    .select(['pl.id', 'pl.area_unit_id as areaUnitId', 'pl.period_start as periodStart', 'pl.period_end as periodEnd', 'au.valid_to as areaValidTo'])
    .where('pl.period_start', '<=', day)
    .where('pl.period_end', '>=', day)
    .execute();
  const chosen = planInForce<PlanWithArea>(rows, day);
  return chosen ? getPlan(db, chosen.id) : null;
}

/** Areas a plan can cover: provinces, current and merged away (Bình Phước before 1 July 2025). */
export async function planAreas(db: Db): Promise<{ id: string; name: string; validTo: string | null }[]> {
  const rows = await db.selectFrom('admin_units').select(['id', 'name', 'valid_to']).where('level', '=', 'province').orderBy('valid_to', 'desc').orderBy('name').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, validTo: r.valid_to }));
}

function explainWriteError(code: string | undefined): void {
  if (code === FOREIGN_KEY_VIOLATION) throw new DomainError('unknown_plan_area', 'Unknown area', 'Không tìm thấy địa bàn');
  if (code === CHECK_VIOLATION) throw new DomainError('invalid_plan_period', 'A field breaks a database rule', 'Dữ liệu kế hoạch không hợp lệ');
}

/**
 * Checks the area and that no other plan of that area overlaps, under a row lock on the
 * area: two admins saving overlapping plans at once are serialised, and the second refused.
 */
async function checkArea(trx: Transaction<Database>, input: PlanInput, exceptId: number | null): Promise<void> {
  const area = await trx.selectFrom('admin_units').select(['id', 'level']).where('id', '=', input.areaUnitId).forUpdate().executeTakeFirst();
  if (!area || area.level !== 'province') throw new DomainError('unknown_plan_area', 'A plan covers a province', 'Kế hoạch phải thuộc một tỉnh');
  let q = trx.selectFrom('plans').select(['id', 'name', 'area_unit_id as areaUnitId', 'period_start as periodStart', 'period_end as periodEnd']).where('area_unit_id', '=', input.areaUnitId);
  if (exceptId !== null) q = q.where('id', '<>', exceptId);
  assertNoOverlap({ areaUnitId: input.areaUnitId, periodStart: input.periodStart, periodEnd: input.periodEnd }, await q.execute());
  assertValidTargets(input.targets);
}

async function writeTargets(trx: Transaction<Database>, planId: number, targets: PlanTargetInput[]): Promise<void> {
  await trx.deleteFrom('plan_targets').where('plan_id', '=', planId).execute();
  if (targets.length === 0) return;
  await trx
    .insertInto('plan_targets')
    .values(
      targets.map((t, position) => ({
        plan_id: planId,
        position,
        indicator: t.indicator,
        name: t.indicator === 'custom' ? t.name : null,
        unit: t.indicator === 'custom' ? t.unit : null,
        target: t.target,
        actual: t.indicator === 'custom' ? t.actual : null,
      })),
    )
    .execute();
}

function planValues(input: PlanInput) {
  return { name: input.name, legal_basis: input.legalBasis, area_unit_id: input.areaUnitId, period_start: input.periodStart, period_end: input.periodEnd, note: input.note };
}

export async function createPlan(db: Kysely<Database>, actor: Actor, input: PlanInput): Promise<PlanDetail> {
  return transactWrite(db, async (trx) => {
    await checkArea(trx, input, null);
    const row = await trx.insertInto('plans').values(planValues(input)).returning('id').executeTakeFirstOrThrow();
    await writeTargets(trx, row.id, input.targets);
    const after = (await getPlan(trx, row.id))!;
    await audit(trx, actor, { action: 'plan.create', entity: 'plan', entityId: row.id, after });
    return after;
  }, explainWriteError);
}

export async function updatePlan(db: Kysely<Database>, actor: Actor, id: number, input: PlanInput, now: Date): Promise<PlanDetail> {
  return transactWrite(db, async (trx) => {
    const locked = await trx.selectFrom('plans').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
    if (!locked) throw new DomainError('unknown_plan', 'Unknown plan', 'Không tìm thấy kế hoạch');
    const before = (await getPlan(trx, id))!;
    await checkArea(trx, input, id);
    await trx.updateTable('plans').set({ ...planValues(input), updated_at: now }).where('id', '=', id).execute();
    await writeTargets(trx, id, input.targets);
    const after = (await getPlan(trx, id))!;
    await audit(trx, actor, { action: 'plan.update', entity: 'plan', entityId: id, before, after });
    return after;
  }, explainWriteError);
}
