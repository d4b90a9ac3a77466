// Products, their raw-material regions and groups: the public product page, scans (regions), admin pages and admin API.
import { sql, type Kysely } from 'kysely';
import type { Database, Product } from '../../schema/database';
import { DomainError } from '../domain/errors';
import { slugify } from '../domain/search';
import { audit, type Actor } from './audit';
import { containsPattern, searchName } from './catalogue';
import type { CertificateView } from './certificates';
import { CHECK_VIOLATION, FOREIGN_KEY_VIOLATION, transactWrite, UNIQUE_VIOLATION } from './errors';
import { PRODUCER_CONTACT_COLUMNS, producerView, type ProducerView } from './producers';
import { renewalPendingSince } from './renewals';
import { producerInScope, type Scope } from './scope';
import { addressAsIssued, DISTRICT_OF_ADDRESS, type UnitIndex } from './units';

export interface ProductInput {
  producerId: number;
  name: string;
  slug: string | null;
  planGroupId: number | null;
  nationalGroupId: number | null;
  gtin: string | null;
  description: string | null;
}

export interface ProductFilter {
  q?: string | undefined;
  producerId?: number | undefined;
  groupId?: number | undefined;
  area?: string | undefined;
}

export interface ProductListRow extends Product {
  producer_name: string;
  group_vi: string | null;
  group_en: string | null;
  district_name: string | null;
  /** The product's current (active) certificate, if any. */
  certificate_id: number | null;
  certificate_number: string | null;
  certificate_stars: number | null;
  certificate_valid_until: string | null;
}

function base(db: Kysely<Database>) {
  return db
    .selectFrom('products as p')
    .innerJoin('producers as pr', 'pr.id', 'p.producer_id')
    .leftJoin('product_groups as g', 'g.id', 'p.plan_group_id')
    .leftJoin('admin_units as au', 'au.id', 'pr.address_unit_id')
    .leftJoin('admin_units as ad', (j) => j.on(DISTRICT_OF_ADDRESS))
    .leftJoin('certificates as c', (j) => j.onRef('c.product_id', '=', 'p.id').on('c.status', '=', 'active'))
    .selectAll('p')
    .select([
      'pr.name as producer_name', 'g.name_vi as group_vi', 'g.name_en as group_en', 'ad.name as district_name',
      'c.id as certificate_id', 'c.number as certificate_number', 'c.stars as certificate_stars', 'c.valid_until as certificate_valid_until',
    ]);
}

export async function listProducts(db: Kysely<Database>, scope: Scope, filter: ProductFilter = {}): Promise<ProductListRow[]> {
  let q = base(db).where(producerInScope(scope));
  if (filter.q?.trim()) {
    const pattern = containsPattern(filter.q);
    q = q.where((eb) => eb.or([eb(searchName('p'), 'like', pattern), eb(searchName('pr'), 'like', pattern), eb('p.slug', 'like', pattern)]));
  }
  if (filter.producerId !== undefined) q = q.where('p.producer_id', '=', filter.producerId);
  if (filter.groupId !== undefined) q = q.where('p.plan_group_id', '=', filter.groupId);
  if (filter.area) q = q.where('ad.id', '=', filter.area);
  return q.orderBy('pr.name').orderBy('p.name').limit(500).execute();
}

export async function getProduct(db: Kysely<Database>, scope: Scope, id: number): Promise<ProductListRow | undefined> {
  return base(db).where('p.id', '=', id).where(producerInScope(scope)).executeTakeFirst();
}

export interface RegionRow {
  id: number;
  product_id: number;
  unit_id: string | null;
  unit_name: string | null;
  description: string;
  area_ha: number | null;
  latitude: number | null;
  longitude: number | null;
}

export async function listRegions(db: Kysely<Database>, productId: number): Promise<RegionRow[]> {
  return db
    .selectFrom('raw_material_regions as r')
    .leftJoin('admin_units as u', 'u.id', 'r.unit_id')
    .select(['r.id', 'r.product_id', 'r.unit_id', 'u.name as unit_name', 'r.description', 'r.area_ha', 'r.latitude', 'r.longitude'])
    .where('r.product_id', '=', productId)
    .orderBy('r.id')
    .execute();
}

export async function groupOptions(db: Kysely<Database>): Promise<{ id: number; kind: string; code: string; name_vi: string; name_en: string; legal_basis_id: string }[]> {
  return db.selectFrom('product_groups').select(['id', 'kind', 'code', 'name_vi', 'name_en', 'legal_basis_id']).orderBy('kind').orderBy('code').execute();
}

async function freeSlug(db: Kysely<Database>, wanted: string, exceptId: number | null): Promise<string> {
  for (let i = 1; i < 100; i++) {
    const candidate = i === 1 ? wanted : `${wanted}-${i}`;
    let q = db.selectFrom('products').select('id').where('slug', '=', candidate);
    if (exceptId !== null) q = q.where('id', '<>', exceptId);
    if (!(await q.executeTakeFirst())) return candidate;
  }
  throw new DomainError('slug_taken', 'No free address for this product name', 'Không tạo được đường dẫn cho tên sản phẩm này');
}

async function checkProducer(db: Kysely<Database>, scope: Scope, producerId: number): Promise<string> {
  const producer = await db.selectFrom('producers as pr').select(['pr.id', 'pr.name']).where('pr.id', '=', producerId).where(producerInScope(scope)).executeTakeFirst();
  if (!producer) throw new DomainError('unknown_producer', 'Unknown producer, or outside your area', 'Không tìm thấy chủ thể sản xuất, hoặc chủ thể ngoài địa bàn của bạn');
  return producer.name;
}

async function checkGroups(db: Kysely<Database>, input: ProductInput): Promise<void> {
  if (input.planGroupId !== null) {
    const g = await db.selectFrom('product_groups').select('kind').where('id', '=', input.planGroupId).executeTakeFirst();
    if (g?.kind !== 'plan_group') throw new DomainError('unknown_plan_group', 'Unknown product group', 'Không tìm thấy nhóm sản phẩm');
  }
  if (input.nationalGroupId !== null) {
    const g = await db.selectFrom('product_groups').select('kind').where('id', '=', input.nationalGroupId).executeTakeFirst();
    if (!g || g.kind === 'plan_group') throw new DomainError('unknown_national_group', 'Unknown national product group', 'Không tìm thấy nhóm sản phẩm theo bộ tiêu chí quốc gia');
  }
}

/** What a database rule a product write broke means, in words. */
function explainWriteError(code: string | undefined): void {
  if (code === UNIQUE_VIOLATION) throw new DomainError('slug_taken', 'This address (slug) is already used', 'Đường dẫn (slug) này đã được dùng');
  if (code === CHECK_VIOLATION) throw new DomainError('invalid_product', 'A field breaks a database rule', 'Dữ liệu sản phẩm không hợp lệ');
  if (code === FOREIGN_KEY_VIOLATION) throw new DomainError('unknown_reference', 'A referenced record does not exist', 'Dữ liệu tham chiếu không tồn tại');
}

function values(input: ProductInput, slug: string) {
  const blank = (s: string | null) => (s && s.trim() !== '' ? s.trim() : null);
  return {
    slug,
    producer_id: input.producerId,
    name: input.name.trim(),
    plan_group_id: input.planGroupId,
    national_group_id: input.nationalGroupId,
    gtin: blank(input.gtin),
    description: blank(input.description),
  };
}

export async function createProduct(db: Kysely<Database>, actor: Actor, scope: Scope, input: ProductInput): Promise<Product> {
  if (scope.kind === 'producer' || scope.kind === 'none') throw new DomainError('forbidden', 'Not allowed', 'Không có quyền');
  await checkProducer(db, scope, input.producerId);
  await checkGroups(db, input);
  const slug = input.slug?.trim() ? input.slug.trim() : await freeSlug(db, slugify(input.name), null);
  return transactWrite(db, async (trx) => {
    const row = await trx.insertInto('products').values(values(input, slug)).returningAll().executeTakeFirstOrThrow();
    await audit(trx, actor, { action: 'product.create', entity: 'product', entityId: row.id, after: row });
    return row;
  }, explainWriteError);
}

/**
 * Products keep their producer once certified: a certificate names the producer, so a
 * certified product moves to another producer only through a new certificate.
 */
export async function updateProduct(db: Kysely<Database>, actor: Actor, scope: Scope, id: number, input: ProductInput, now: Date): Promise<Product> {
  await checkProducer(db, scope, input.producerId);
  await checkGroups(db, input);
  return transactWrite(db, async (trx) => {
    const before = await trx
      .selectFrom('products as p')
      .innerJoin('producers as pr', 'pr.id', 'p.producer_id')
      .selectAll('p')
      .where('p.id', '=', id)
      .where(producerInScope(scope))
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw new DomainError('unknown_product', 'Unknown product', 'Không tìm thấy sản phẩm');
    if (before.producer_id !== input.producerId) {
      const cert = await trx.selectFrom('certificates').select('id').where('product_id', '=', id).executeTakeFirst();
      if (cert) throw new DomainError('certified_producer_fixed', 'A certified product cannot change producer', 'Sản phẩm đã được cấp giấy chứng nhận không thể đổi chủ thể');
    }
    const slug = input.slug?.trim() ? input.slug.trim() : before.slug;
    const after = await trx.updateTable('products').set({ ...values(input, slug), updated_at: now }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    await audit(trx, actor, { action: 'product.update', entity: 'product', entityId: id, before, after });
    return after;
  }, explainWriteError);
}

/** Whether the product exists and its producer lies within the scope. */
export async function productInScope(db: Kysely<Database>, scope: Scope, productId: number): Promise<boolean> {
  const row = await db.selectFrom('products as p').innerJoin('producers as pr', 'pr.id', 'p.producer_id').select('p.id').where('p.id', '=', productId).where(producerInScope(scope)).executeTakeFirst();
  return row !== undefined;
}

export interface RegionInput {
  description: string;
  unitId: string | null;
  areaHa: number | null;
  latitude: number | null;
  longitude: number | null;
}

export async function addRegion(db: Kysely<Database>, actor: Actor, scope: Scope, productId: number, input: RegionInput): Promise<RegionRow> {
  return db.transaction().execute(async (trx) => {
    if (!(await productInScope(trx, scope, productId))) throw new DomainError('unknown_product', 'Unknown product', 'Không tìm thấy sản phẩm');
    if (input.unitId !== null) {
      const unit = await trx.selectFrom('admin_units').select('id').where('id', '=', input.unitId).executeTakeFirst();
      if (!unit) throw new DomainError('unknown_unit', 'Unknown administrative unit', 'Không tìm thấy đơn vị hành chính');
    }
    const row = await trx
      .insertInto('raw_material_regions')
      .values({ product_id: productId, description: input.description.trim(), unit_id: input.unitId, area_ha: input.areaHa, latitude: input.latitude, longitude: input.longitude })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, actor, { action: 'region.create', entity: 'product', entityId: productId, after: row });
    const unitName = input.unitId ? (await trx.selectFrom('admin_units').select('name').where('id', '=', input.unitId).executeTakeFirst())?.name ?? null : null;
    return { ...row, unit_name: unitName };
  });
}

export async function removeRegion(db: Kysely<Database>, actor: Actor, scope: Scope, productId: number, regionId: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const region = await trx
      .selectFrom('raw_material_regions as r')
      .innerJoin('products as p', 'p.id', 'r.product_id')
      .innerJoin('producers as pr', 'pr.id', 'p.producer_id')
      .selectAll('r')
      .where('r.id', '=', regionId)
      .where('r.product_id', '=', productId)
      .where(producerInScope(scope))
      .executeTakeFirst();
    if (!region) throw new DomainError('unknown_region', 'Unknown raw-material region', 'Không tìm thấy vùng nguyên liệu');
    await trx.deleteFrom('raw_material_regions').where('id', '=', regionId).execute();
    await audit(trx, actor, { action: 'region.delete', entity: 'product', entityId: productId, before: region });
  });
}

/** A raw-material region as public pages and scans show it. */
export interface RegionView {
  description: string;
  unit: string | null;
  areaHa: number | null;
}

export async function regionViews(db: Kysely<Database>, productId: number, units: UnitIndex): Promise<RegionView[]> {
  return (await regionViewsOf(db, [productId], units)).get(productId) ?? [];
}

/** Raw-material regions of many products in one query, by product. */
export async function regionViewsOf(db: Kysely<Database>, productIds: readonly number[], units: UnitIndex): Promise<Map<number, RegionView[]>> {
  const out = new Map<number, RegionView[]>();
  if (productIds.length === 0) return out;
  const rows = await db
    .selectFrom('raw_material_regions')
    .select(['product_id', 'description', 'unit_id', 'area_ha'])
    .where(sql<boolean>`product_id = any(${[...productIds]}::int[])`)
    .orderBy('id')
    .execute();
  for (const r of rows) {
    const list = out.get(r.product_id) ?? [];
    list.push({ description: r.description, unit: r.unit_id ? addressAsIssued(units, r.unit_id) : null, areaHa: r.area_ha });
    out.set(r.product_id, list);
  }
  return out;
}

/** A certificate in the list on a product's public page. */
export type ProductCertificate = Pick<CertificateView, 'id' | 'number' | 'stars' | 'status' | 'decisionNumber' | 'decisionDate' | 'issuingBody' | 'validFrom' | 'validUntil' | 'renewalPendingSince'> & {
  revocationDate: string | null;
};

export interface ProductDetails {
  id: number;
  slug: string;
  name: string;
  description: string | null;
  /** As entered (8, 12, 13 or 14 digits), for the GS1 Digital Link and the page's JSON-LD. */
  gtin: string | null;
  groupVi: string | null;
  groupEn: string | null;
  producer: ProducerView;
  regions: RegionView[];
  /** Newest first; the first is the current one unless every certificate was superseded. */
  certificates: ProductCertificate[];
}

export async function productBySlug(db: Kysely<Database>, slug: string, units: UnitIndex, today: string): Promise<ProductDetails | null> {
  const row = await db
    .selectFrom('products as p')
    .innerJoin('producers as pr', 'pr.id', 'p.producer_id')
    .leftJoin('product_groups as g', 'g.id', 'p.plan_group_id')
    .select([
      'p.id', 'p.slug', 'p.name', 'p.description', 'p.gtin', 'g.name_vi as group_vi', 'g.name_en as group_en',
      'pr.name as producer_name', 'pr.legal_form', 'pr.address_line', 'pr.address_unit_id', ...PRODUCER_CONTACT_COLUMNS,
    ])
    .where('p.slug', '=', slug)
    .executeTakeFirst();
  if (!row) return null;
  const [regions, certificates] = await Promise.all([
    regionViews(db, row.id, units),
    db
      .selectFrom('certificates')
      .select(['id', 'number', 'stars', 'status', 'decision_number', 'decision_date', 'issuing_body', 'valid_from', 'valid_until', 'revocation_date'])
      .select((eb) => renewalPendingSince(eb.ref('certificates.id')).as('renewal_pending_since'))
      .where('product_id', '=', row.id)
      .orderBy('id', 'desc')
      .execute(),
  ]);
  return {
    id: row.id, slug: row.slug, name: row.name, description: row.description, gtin: row.gtin, groupVi: row.group_vi, groupEn: row.group_en,
    producer: producerView(units, row, today),
    regions,
    certificates: certificates.map((c) => ({
      id: c.id, number: c.number, stars: c.stars, status: c.status, decisionNumber: c.decision_number, decisionDate: c.decision_date,
      issuingBody: c.issuing_body, validFrom: c.valid_from, validUntil: c.valid_until, revocationDate: c.revocation_date,
      renewalPendingSince: c.renewal_pending_since,
    })),
  };
}

export interface GtinProduct {
  slug: string;
  name: string;
  /** The certificate a shopper should see: the newest one not superseded, else the newest. */
  certificateNumber: string;
}

/**
 * The product whose GTIN, padded to 14 digits, is `gtin14` (GTINs are stored as entered:
 * 8, 12, 13 or 14 digits), if it has at least one certificate: a product never certified
 * has no public page to resolve to.
 */
export async function productByGtin(db: Kysely<Database>, gtin14: string): Promise<GtinProduct | null> {
  const row = await db
    .selectFrom('products as p')
    .innerJoin('certificates as c', 'c.product_id', 'p.id')
    .select(['p.slug', 'p.name', 'c.number'])
    .where(sql<boolean>`lpad(p.gtin, 14, '0') = ${gtin14}`)
    .orderBy(sql`(c.status = 'superseded')`)
    .orderBy('c.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { slug: row.slug, name: row.name, certificateNumber: row.number } : null;
}
