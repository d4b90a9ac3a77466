// The communes of today's province (issue 12): officials add the communes, wards and special
// zones formed in the 2025 reform, with their predecessors, so producers from the whole of
// today's Đồng Nai can be registered (the producer form offers every unit). Audited.
import { sql, type Kysely } from 'kysely';
import type { AdminUnit, Database } from '../../schema/database';
import { DomainError } from '../domain/errors';
import { slugify } from '../domain/search';
import type { CurrentCommuneType } from '../domain/vocabulary';
import { audit, type Actor } from './audit';
import { transactWrite, UNIQUE_VIOLATION } from './errors';

/** The day the 2025 reorganisation took effect: the default start of a new commune. */
export const REFORM_DATE = '2025-07-01';

export interface UnitInput {
  name: string;
  unitType: CurrentCommuneType;
  gsoCode: string | null;
  /** A current province (no end date). */
  parentId: string;
  validFrom: string | null;
  /** Former units (communes or districts with an end date) the new one was formed from. */
  predecessorIds: string[];
}

export interface CurrentUnitRow extends AdminUnit {
  parent_name: string | null;
  predecessors: { id: string; name: string; unit_type: string; parent_name: string | null }[];
  producers: number;
}

/** Provinces in force: the parents a new commune may have. */
export async function currentProvinces(db: Kysely<Database>): Promise<{ id: string; name: string }[]> {
  return db.selectFrom('admin_units').select(['id', 'name']).where('level', '=', 'province').where('valid_to', 'is', null).orderBy('name').execute();
}

/** Units that ended (communes and districts before the reform): the predecessors to choose from. */
export async function formerUnits(db: Kysely<Database>): Promise<{ id: string; name: string; unit_type: string; level: string; parent_name: string | null }[]> {
  return db
    .selectFrom('admin_units as u')
    .leftJoin('admin_units as up', 'up.id', 'u.parent_id')
    .select(['u.id', 'u.name', 'u.unit_type', 'u.level', 'up.name as parent_name'])
    .where('u.valid_to', 'is not', null)
    .where('u.level', 'in', ['commune', 'district'])
    .orderBy('up.name')
    .orderBy('u.name')
    .execute();
}

/** The communes of the provinces in force, with where each came from and how many producers are addressed there. */
export async function listCurrentUnits(db: Kysely<Database>): Promise<CurrentUnitRow[]> {
  const rows = await db
    .selectFrom('admin_units as u')
    .innerJoin('admin_units as up', 'up.id', 'u.parent_id')
    .selectAll('u')
    .select(['up.name as parent_name'])
    .select(sql<number>`(select count(*)::int from producers pr where pr.address_unit_id = u.id)`.as('producers'))
    .where('u.level', '=', 'commune')
    .where('u.valid_to', 'is', null)
    .where('up.valid_to', 'is', null)
    .orderBy('u.name')
    .execute();
  const preds = await db
    .selectFrom('admin_unit_predecessors as ap')
    .innerJoin('admin_units as p', 'p.id', 'ap.predecessor_id')
    .leftJoin('admin_units as pp', 'pp.id', 'p.parent_id')
    .select(['ap.unit_id', 'p.id', 'p.name', 'p.unit_type', 'pp.name as parent_name'])
    .orderBy('p.name')
    .execute();
  return rows.map((r) => ({
    ...r,
    producers: Number(r.producers),
    predecessors: preds.filter((p) => p.unit_id === r.id).map(({ id, name, unit_type, parent_name }) => ({ id, name, unit_type, parent_name })),
  }));
}

export async function getCurrentUnit(db: Kysely<Database>, id: string): Promise<CurrentUnitRow | undefined> {
  return (await listCurrentUnits(db)).find((u) => u.id === id);
}

async function checkUnit(db: Kysely<Database>, input: UnitInput): Promise<void> {
  const parent = await db.selectFrom('admin_units').select(['id', 'level', 'valid_to']).where('id', '=', input.parentId).executeTakeFirst();
  if (!parent || parent.level !== 'province' || parent.valid_to !== null) {
    throw new DomainError('invalid_unit', 'The parent must be a province in force', 'Đơn vị cấp trên phải là tỉnh, thành phố hiện hành');
  }
  const ids = [...new Set(input.predecessorIds)];
  if (ids.length > 0) {
    const found = await db.selectFrom('admin_units').select(['id', 'level', 'valid_to']).where('id', 'in', ids).execute();
    if (found.length !== ids.length || found.some((u) => u.valid_to === null || u.level === 'province')) {
      throw new DomainError('not_a_former_unit', 'A predecessor must be a former commune or district', 'Đơn vị trước đây phải là xã, phường, thị trấn hoặc huyện đã kết thúc');
    }
  }
}

function unitValues(input: UnitInput) {
  return {
    name: input.name,
    unit_type: input.unitType,
    gso_code: input.gsoCode,
    parent_id: input.parentId,
    valid_from: input.validFrom ?? REFORM_DATE,
  };
}

/**
 * Records where the unit came from. A predecessor without a successor gets this one as its
 * successor, so addresses issued there read "…(cũ), nay <this commune>"; a predecessor split
 * between several new communes keeps the first one named, and every link stays in
 * admin_unit_predecessors.
 */
async function linkPredecessors(trx: Kysely<Database>, unitId: string, ids: string[]): Promise<void> {
  await trx.deleteFrom('admin_unit_predecessors').where('unit_id', '=', unitId).execute();
  if (ids.length === 0) return;
  await trx.insertInto('admin_unit_predecessors').values(ids.map((predecessor_id) => ({ unit_id: unitId, predecessor_id }))).execute();
  await trx.updateTable('admin_units').set({ successor_id: unitId }).where('id', 'in', ids).where('successor_id', 'is', null).where('level', '=', 'commune').execute();
}

export async function createCurrentUnit(db: Kysely<Database>, actor: Actor, input: UnitInput): Promise<AdminUnit> {
  await checkUnit(db, input);
  const id = `c-2025-${input.unitType.replace('_', '-')}-${slugify(input.name)}`;
  const predecessorIds = [...new Set(input.predecessorIds)];
  return transactWrite(
    db,
    async (trx) => {
      const row = await trx.insertInto('admin_units').values({ id, level: 'commune', valid_to: null, successor_id: null, ...unitValues(input) }).returningAll().executeTakeFirstOrThrow();
      await linkPredecessors(trx, id, predecessorIds);
      await audit(trx, actor, { action: 'unit.create', entity: 'admin_unit', entityId: id, after: { ...row, predecessors: predecessorIds } });
      return row;
    },
    (code) => {
      if (code === UNIQUE_VIOLATION) throw new DomainError('unit_id_taken', 'A unit of that type and name exists', 'Đã có đơn vị cùng loại và tên này');
    },
  );
}

export async function updateCurrentUnit(db: Kysely<Database>, actor: Actor, id: string, input: UnitInput): Promise<AdminUnit> {
  const before = await getCurrentUnit(db, id);
  if (!before) throw new DomainError('unknown_unit', 'Unknown unit', 'Không tìm thấy đơn vị hành chính');
  await checkUnit(db, input);
  const predecessorIds = [...new Set(input.predecessorIds)];
  return db.transaction().execute(async (trx) => {
    const row = await trx.updateTable('admin_units').set(unitValues(input)).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    await linkPredecessors(trx, id, predecessorIds);
    await audit(trx, actor, { action: 'unit.update', entity: 'admin_unit', entityId: id, before, after: { ...row, predecessors: predecessorIds } });
    return row;
  });
}
