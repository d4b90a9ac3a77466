// Producers (the OCOP subjects): admin pages, admin API and forms that pick a producer.
import type { Kysely } from 'kysely';
import type { Database, LegalForm, Producer } from '../../schema/database';
import { DomainError } from '../domain/errors';
import { audit, type Actor } from './audit';
import { containsPattern, searchName } from './catalogue';
import { CHECK_VIOLATION, FOREIGN_KEY_VIOLATION, transactWrite } from './errors';
import { producerInScope, type Scope } from './scope';
import { addressAsIssued, DISTRICT_OF_ADDRESS, mergerNote, type UnitIndex } from './units';

/** A producer's contact as stored: phone and Zalo as digits, the website an https URL (admin/forms.ts checks them). */
export interface ProducerContact {
  phone: string | null;
  website: string | null;
  zalo: string | null;
}

/** The columns public queries select for ProducerContact (`pr` is the producers table). */
export const PRODUCER_CONTACT_COLUMNS = ['pr.phone', 'pr.website', 'pr.zalo'] as const;
type ProducerContactColumns = ProducerContact;

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
  website?: string | null | undefined;
  zalo?: string | null | undefined;
}

/** A producer as public pages and scans show it: the address as issued, and where it lies since the 2025 merger. */
export interface ProducerView {
  name: string;
  legalForm: LegalForm;
  addressAsIssued: string;
  /** Set when the 2025 merger changed the unit: "Bình Phước (cũ), nay Tỉnh Đồng Nai". */
  addressNow: string | null;
  /** How a shopper reaches the producer (worker/public/contact.ts shows it). */
  contact?: ProducerContact;
}

export function producerView(
  units: UnitIndex,
  r: { producer_name: string; legal_form: LegalForm; address_line: string | null; address_unit_id: string | null } & ProducerContactColumns,
  today: string,
): ProducerView {
  return {
    name: r.producer_name, legalForm: r.legal_form,
    addressAsIssued: addressAsIssued(units, r.address_unit_id, r.address_line),
    addressNow: mergerNote(units, r.address_unit_id, today),
    contact: { phone: r.phone, website: r.website, zalo: r.zalo },
  };
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

/** Producers within scope, each with its district (the unit itself, or its parent for a commune) and product count. */
function base(db: Kysely<Database>, scope: Scope) {
  return db
    .selectFrom('producers as pr')
    .leftJoin('admin_units as au', 'au.id', 'pr.address_unit_id')
    .leftJoin('admin_units as ad', (j) => j.on(DISTRICT_OF_ADDRESS))
    .selectAll('pr')
    .select(['ad.id as district_id', 'ad.name as district_name'])
    .select((eb) => eb.selectFrom('products as p').select(eb.fn.countAll<number>().as('n')).whereRef('p.producer_id', '=', 'pr.id').as('products'))
    .where(producerInScope(scope));
}

export async function listProducers(db: Kysely<Database>, scope: Scope, filter: ProducerFilter = {}): Promise<ProducerListRow[]> {
  let q = base(db, scope);
  if (filter.q?.trim()) q = q.where(searchName('pr'), 'like', containsPattern(filter.q));
  if (filter.area) q = q.where('ad.id', '=', filter.area);
  if (filter.legalForm) q = q.where('pr.legal_form', '=', filter.legalForm);
  const rows = await q.orderBy('pr.name').limit(500).execute();
  return rows.map((r) => ({ ...r, products: Number(r.products ?? 0) }));
}

export async function getProducer(db: Kysely<Database>, scope: Scope, id: number): Promise<ProducerListRow | undefined> {
  const row = await base(db, scope).where('pr.id', '=', id).executeTakeFirst();
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
    // Absent (an older API client): left as it is.
    ...(input.website !== undefined ? { website: blank(input.website) } : {}),
    ...(input.zalo !== undefined ? { zalo: blank(input.zalo) } : {}),
  };
}

/** What a database rule a producer write broke means, in words. */
function explainWriteError(code: string | undefined): void {
  if (code === CHECK_VIOLATION) throw new DomainError('invalid_producer', 'A field breaks a database rule', 'Dữ liệu không hợp lệ (mã số thuế 10 hoặc 13 số, tên 2-200 ký tự)');
  if (code === FOREIGN_KEY_VIOLATION) throw new DomainError('unknown_unit', 'Unknown administrative unit', 'Không tìm thấy đơn vị hành chính');
}

export async function createProducer(db: Kysely<Database>, actor: Actor, scope: Scope, input: ProducerInput): Promise<Producer> {
  if (scope.kind === 'producer' || scope.kind === 'none') throw new DomainError('forbidden', 'Not allowed', 'Không có quyền');
  await checkAddressInScope(db, scope, input.addressUnitId);
  return transactWrite(db, async (trx) => {
    const row = await trx.insertInto('producers').values(values(input)).returningAll().executeTakeFirstOrThrow();
    await audit(trx, actor, { action: 'producer.create', entity: 'producer', entityId: row.id, after: row });
    return row;
  }, explainWriteError);
}

export async function updateProducer(db: Kysely<Database>, actor: Actor, scope: Scope, id: number, input: ProducerInput, now: Date): Promise<Producer> {
  await checkAddressInScope(db, scope, input.addressUnitId);
  return transactWrite(db, async (trx) => {
    const before = await trx.selectFrom('producers as pr').selectAll().where('pr.id', '=', id).where(producerInScope(scope)).forUpdate().executeTakeFirst();
    if (!before) throw new DomainError('unknown_producer', 'Unknown producer', 'Không tìm thấy chủ thể sản xuất');
    const after = await trx.updateTable('producers').set({ ...values(input), updated_at: now }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    await audit(trx, actor, { action: 'producer.update', entity: 'producer', entityId: id, before, after });
    return after;
  }, explainWriteError);
}

/**
 * The producer's contact (phone, website, Zalo): what a producer may change on their own
 * record, and officials on any producer in their scope. Audited like every producer change.
 */
export async function updateProducerContact(db: Kysely<Database>, actor: Actor, scope: Scope, id: number, input: ProducerContact, now: Date): Promise<Producer> {
  return transactWrite(db, async (trx) => {
    const before = await trx.selectFrom('producers as pr').selectAll().where('pr.id', '=', id).where(producerInScope(scope)).forUpdate().executeTakeFirst();
    if (!before) throw new DomainError('unknown_producer', 'Unknown producer', 'Không tìm thấy chủ thể sản xuất');
    const after = await trx
      .updateTable('producers')
      .set({ phone: input.phone, website: input.website, zalo: input.zalo, updated_at: now })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, actor, {
      action: 'producer.contact_update', entity: 'producer', entityId: id,
      before: { phone: before.phone, website: before.website, zalo: before.zalo },
      after: { phone: after.phone, website: after.website, zalo: after.zalo },
    });
    return after;
  }, explainWriteError);
}
