import { sql, type Kysely } from 'kysely';
import type { Database, LegalForm, Producer } from '../../schema/database';
import { DomainError } from '../domain/errors';
import { audit, type Actor } from './audit';
import { CHECK_VIOLATION, FOREIGN_KEY_VIOLATION, pgErrorCode } from './errors';
import { containsPattern, foldSql, producerInScope, type Scope } from './admin-scope';

export interface ProducerInput {
  name: string;
  legalForm: LegalForm;
  taxCode: string | null;
  representative: string | null;
  femaleLed: boolean;
  ethnicMinorityLed: boolean;
  addressLine: string | null;
  addressUnitId: string | null;
  phone: string | null;
  email: string | null;
}

export interface ProducerFilter {
  q?: string | undefined;
  /** A district: producers whose address is the district or one of its communes. */
  area?: string | undefined;
  legalForm?: LegalForm | undefined;
}

export interface ProducerListRow extends Producer {
  district_id: string | null;
  district_name: string | null;
  products: number;
}

export const DISTRICT_OF_ADDRESS = sql<boolean>`ad.level = 'district' and ad.id = case when au.level = 'district' then au.id else au.parent_id end`;

/** The district holding an address unit: the unit itself, or its parent for a commune. */
function districtJoin(db: Kysely<Database>) {
  return db
    .selectFrom('producers as pr')
    .leftJoin('admin_units as au', 'au.id', 'pr.address_unit_id')
    .leftJoin('admin_units as ad', (j) => j.on(DISTRICT_OF_ADDRESS));
}

export async function listProducers(db: Kysely<Database>, scope: Scope, filter: ProducerFilter = {}): Promise<ProducerListRow[]> {
  let q = districtJoin(db)
    .selectAll('pr')
    .select(['ad.id as district_id', 'ad.name as district_name'])
    .select((eb) => eb.selectFrom('products as p').select(eb.fn.countAll<number>().as('n')).whereRef('p.producer_id', '=', 'pr.id').as('products'))
    .where(producerInScope(scope));
  if (filter.q?.trim()) q = q.where(foldSql('pr.name'), 'like', containsPattern(filter.q));
  if (filter.area) q = q.where('ad.id', '=', filter.area);
  if (filter.legalForm) q = q.where('pr.legal_form', '=', filter.legalForm);
  const rows = await q.orderBy('pr.name').limit(500).execute();
  return rows.map((r) => ({ ...r, products: Number(r.products ?? 0) }));
}

export async function getProducer(db: Kysely<Database>, scope: Scope, id: number): Promise<ProducerListRow | undefined> {
  const row = await districtJoin(db)
    .selectAll('pr')
    .select(['ad.id as district_id', 'ad.name as district_name'])
    .select((eb) => eb.selectFrom('products as p').select(eb.fn.countAll<number>().as('n')).whereRef('p.producer_id', '=', 'pr.id').as('products'))
    .where('pr.id', '=', id)
    .where(producerInScope(scope))
    .executeTakeFirst();
  return row ? { ...row, products: Number(row.products ?? 0) } : undefined;
}

/** Producers a principal may pick in a form (products, users, tokens). */
export async function producerOptions(db: Kysely<Database>, scope: Scope): Promise<{ id: number; name: string }[]> {
  return db.selectFrom('producers as pr').select(['pr.id', 'pr.name']).where(producerInScope(scope)).orderBy('pr.name').execute();
}

async function checkAddressInScope(db: Kysely<Database>, scope: Scope, unitId: string | null): Promise<void> {
  if (unitId !== null) {
    const unit = await db.selectFrom('admin_units').select(['id', 'parent_id']).where('id', '=', unitId).executeTakeFirst();
    if (!unit) throw new DomainError('unknown_unit', 'Unknown administrative unit', 'Không tìm thấy đơn vị hành chính');
    if (scope.kind === 'area' && unit.id !== scope.unitId && unit.parent_id !== scope.unitId) {
      throw new DomainError('outside_area', 'The address is outside your area', 'Địa chỉ nằm ngoài địa bàn bạn phụ trách');
    }
  } else if (scope.kind === 'area') {
    throw new DomainError('outside_area', 'Choose an address unit in your area', 'Hãy chọn đơn vị hành chính thuộc địa bàn bạn phụ trách');
  }
}

function values(input: ProducerInput) {
  const blank = (s: string | null) => (s && s.trim() !== '' ? s.trim() : null);
  return {
    name: input.name.trim(),
    legal_form: input.legalForm,
    tax_code: blank(input.taxCode),
    representative: blank(input.representative),
    female_led: input.femaleLed,
    ethnic_minority_led: input.ethnicMinorityLed,
    address_line: blank(input.addressLine),
    address_unit_id: input.addressUnitId,
    phone: blank(input.phone),
    email: blank(input.email)?.toLowerCase() ?? null,
  };
}

function mapWriteError(error: unknown): never {
  const code = pgErrorCode(error);
  if (code === CHECK_VIOLATION) throw new DomainError('invalid_producer', 'A field breaks a database rule', 'Dữ liệu không hợp lệ (mã số thuế 10 hoặc 13 số, tên 2-200 ký tự)');
  if (code === FOREIGN_KEY_VIOLATION) throw new DomainError('unknown_unit', 'Unknown administrative unit', 'Không tìm thấy đơn vị hành chính');
  throw error;
}

export async function createProducer(db: Kysely<Database>, actor: Actor, scope: Scope, input: ProducerInput): Promise<Producer> {
  if (scope.kind === 'producer' || scope.kind === 'none') throw new DomainError('forbidden', 'Not allowed', 'Không có quyền');
  await checkAddressInScope(db, scope, input.addressUnitId);
  try {
    return await db.transaction().execute(async (trx) => {
      const row = await trx.insertInto('producers').values(values(input)).returningAll().executeTakeFirstOrThrow();
      await audit(trx, actor, { action: 'producer.create', entity: 'producer', entityId: row.id, after: row });
      return row;
    });
  } catch (error) {
    return mapWriteError(error);
  }
}

export async function updateProducer(db: Kysely<Database>, actor: Actor, scope: Scope, id: number, input: ProducerInput, now: Date): Promise<Producer> {
  await checkAddressInScope(db, scope, input.addressUnitId);
  try {
    return await db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('producers as pr').selectAll().where('pr.id', '=', id).where(producerInScope(scope)).forUpdate().executeTakeFirst();
      if (!before) throw new DomainError('unknown_producer', 'Unknown producer', 'Không tìm thấy chủ thể sản xuất');
      const after = await trx.updateTable('producers').set({ ...values(input), updated_at: now }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
      await audit(trx, actor, { action: 'producer.update', entity: 'producer', entityId: id, before, after });
      return after;
    });
  } catch (error) {
    return mapWriteError(error);
  }
}

/** Districts (for filters and area choices) and every unit (for address choices). */
export async function unitOptions(db: Kysely<Database>): Promise<{ id: string; name: string; level: string; unit_type: string; parent_id: string | null; valid_to: string | null }[]> {
  return db.selectFrom('admin_units').select(['id', 'name', 'level', 'unit_type', 'parent_id', 'valid_to']).orderBy('level').orderBy('name').execute();
}
