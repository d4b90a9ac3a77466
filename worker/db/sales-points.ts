// Where to buy (issue 12): showrooms and sales points, the products sold there, the public
// lists (nearest first or by area) and the plan's counts (showrooms per former district,
// producers selling through modern channels). Used by the admin pages, the admin API, the
// public pages and the seed.
import { sql, type Kysely } from 'kysely';
import type { Database, SalesPoint } from '../../schema/database';
import { DomainError } from '../domain/errors';
import { distanceKm, salesPointProblem, type Coordinates } from '../domain/sales-points';
import { MODERN_CHANNEL_KINDS, type SalesPointKind } from '../domain/vocabulary';
import { audit, type Actor } from './audit';
import { escapeLike } from './catalogue';
import { CHECK_VIOLATION, FOREIGN_KEY_VIOLATION, transactWrite } from './errors';
import { producerInScope, type Scope } from './scope';
import { addressAsIssued, type UnitIndex } from './units';

export interface SalesPointInput {
  kind: SalesPointKind;
  name: string;
  producerId: number | null;
  addressLine: string | null;
  unitId: string | null;
  formerUnitId: string | null;
  latitude: number | null;
  longitude: number | null;
  openingHours: string | null;
  phone: string | null;
  url: string | null;
  note: string | null;
  productIds: number[];
}

export interface SalesPointRow extends SalesPoint {
  producer_name: string | null;
  unit_name: string | null;
  former_unit_name: string | null;
  products: number;
}

export interface SalesPointDetail extends SalesPointRow {
  product_ids: number[];
}

/**
 * A condition on `sales_points as sp`: what a principal may see and change. Officials and
 * auditors: every point. An area officer: points in their former district (the point's
 * former unit is the district or one of its communes) and the points of producers
 * registered there. A producer: their own points only, never a showroom.
 */
export function salesPointInScope(scope: Scope) {
  switch (scope.kind) {
    case 'all':
      return sql<boolean>`true`;
    case 'none':
      return sql<boolean>`false`;
    case 'producer':
      return sql<boolean>`sp.producer_id = ${scope.producerId}`;
    case 'area':
      return sql<boolean>`(sp.former_unit_id in (select su.id from admin_units su where su.id = ${scope.unitId} or su.parent_id = ${scope.unitId})
        or sp.producer_id in (select pr.id from producers pr where ${producerInScope(scope)}))`;
  }
}

function base(db: Kysely<Database>, scope: Scope) {
  return db
    .selectFrom('sales_points as sp')
    .leftJoin('producers as spr', 'spr.id', 'sp.producer_id')
    .leftJoin('admin_units as su', 'su.id', 'sp.unit_id')
    .leftJoin('admin_units as sf', 'sf.id', 'sp.former_unit_id')
    .selectAll('sp')
    .select(['spr.name as producer_name', 'su.name as unit_name', 'sf.name as former_unit_name'])
    .select((eb) => eb.selectFrom('sales_point_products as spp').select(eb.fn.countAll<number>().as('n')).whereRef('spp.sales_point_id', '=', 'sp.id').as('products'))
    .where(salesPointInScope(scope));
}

export interface SalesPointFilter {
  q?: string | undefined;
  kind?: SalesPointKind | undefined;
  producerId?: number | undefined;
}

export async function listSalesPoints(db: Kysely<Database>, scope: Scope, filter: SalesPointFilter = {}): Promise<SalesPointRow[]> {
  let q = base(db, scope);
  if (filter.q?.trim()) q = q.where('sp.name', 'ilike', `%${escapeLike(filter.q.trim())}%`);
  if (filter.kind) q = q.where('sp.kind', '=', filter.kind);
  if (filter.producerId) q = q.where('sp.producer_id', '=', filter.producerId);
  const rows = await q.orderBy('sp.kind').orderBy('sp.name').orderBy('sp.id').limit(500).execute();
  return rows.map((r) => ({ ...r, products: Number(r.products ?? 0) }));
}

export async function getSalesPoint(db: Kysely<Database>, scope: Scope, id: number): Promise<SalesPointDetail | undefined> {
  const row = await base(db, scope).where('sp.id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const products = await db.selectFrom('sales_point_products').select('product_id').where('sales_point_id', '=', id).orderBy('product_id').execute();
  return { ...row, products: Number(row.products ?? 0), product_ids: products.map((p) => p.product_id) };
}

/**
 * A point the caller is about to change: unknown is 404; one outside the caller's scope is
 * 403, not 404, because every point is public anyway (/noi-mua) and "not yours" is the
 * honest answer to a producer who tries to edit another's shop.
 */
export async function salesPointForWrite(db: Kysely<Database>, scope: Scope, id: number): Promise<SalesPointDetail> {
  const point = await getSalesPoint(db, { kind: 'all' }, id);
  if (!point) throw new DomainError('unknown_sales_point', 'Unknown sales point', 'Không tìm thấy điểm bán');
  if (!(await getSalesPoint(db, scope, id))) throw new DomainError('forbidden', 'This sales point is not yours to change', 'Bạn không được sửa điểm bán này (của chủ thể khác, hoặc do cơ quan quản lý)');
  return point;
}

/** Products a principal may list at a point: a producer only their own, officials any. */
export async function salesPointProductOptions(db: Kysely<Database>, scope: Scope): Promise<{ id: number; name: string; producer_name: string }[]> {
  return db
    .selectFrom('products as p')
    .innerJoin('producers as pr', 'pr.id', 'p.producer_id')
    .select(['p.id', 'p.name', 'pr.name as producer_name'])
    .where(scope.kind === 'area' ? sql<boolean>`true` : producerInScope(scope))
    .orderBy('p.name')
    .orderBy('pr.name')
    .execute();
}

/**
 * The rules a write must keep beyond the form's: a producer writes only their own points
 * (the producer is set to them, a showroom is refused) and lists only their own products;
 * an area officer writes points in their district or of their producers.
 */
async function checkWrite(db: Kysely<Database>, scope: Scope, input: SalesPointInput): Promise<SalesPointInput> {
  if (scope.kind === 'none') throw new DomainError('forbidden', 'Not allowed', 'Không có quyền');
  const own = scope.kind === 'producer' ? { ...input, producerId: scope.producerId } : input;
  if (scope.kind === 'producer' && own.kind === 'showroom') {
    throw new DomainError('forbidden', 'Showrooms are managed by officials', 'Điểm giới thiệu sản phẩm OCOP do cơ quan quản lý cập nhật');
  }
  const problem = salesPointProblem(own);
  if (problem) throw new DomainError(problem.code, problem.en, problem.vi);
  for (const unitId of [own.unitId, own.formerUnitId]) {
    if (unitId !== null && !(await db.selectFrom('admin_units').select('id').where('id', '=', unitId).executeTakeFirst())) {
      throw new DomainError('unknown_unit', 'Unknown administrative unit', 'Không tìm thấy đơn vị hành chính');
    }
  }
  if (own.producerId !== null && !(await db.selectFrom('producers').select('id').where('id', '=', own.producerId).executeTakeFirst())) {
    throw new DomainError('unknown_producer', 'Unknown producer', 'Không tìm thấy chủ thể sản xuất');
  }
  if (scope.kind === 'area') {
    const inArea = await db
      .selectFrom('admin_units as su')
      .select('su.id')
      .where('su.id', '=', own.formerUnitId ?? '')
      .where((eb) => eb.or([eb('su.id', '=', scope.unitId), eb('su.parent_id', '=', scope.unitId)]))
      .executeTakeFirst();
    const producerInArea = own.producerId !== null && (await db.selectFrom('producers as pr').select('pr.id').where('pr.id', '=', own.producerId).where(producerInScope(scope)).executeTakeFirst());
    if (!inArea && !producerInArea) throw new DomainError('outside_area', 'The point is outside your area', 'Điểm bán nằm ngoài địa bàn bạn phụ trách (chọn đơn vị cũ thuộc địa bàn, hoặc chủ thể của địa bàn)');
  }
  const ids = [...new Set(own.productIds)];
  if (ids.length > 0) {
    const found = await db.selectFrom('products').select(['id', 'producer_id']).where('id', 'in', ids).execute();
    if (found.length !== ids.length) throw new DomainError('unknown_product', 'Unknown product', 'Không tìm thấy sản phẩm');
    // A producer's own point sells their own products: listing another's would put a
    // stranger's goods on their shelf in public without that producer's say.
    if (own.producerId !== null && found.some((p) => p.producer_id !== own.producerId)) {
      throw new DomainError('product_outside_scope', 'A producer\'s point lists only that producer\'s products', 'Điểm bán của chủ thể chỉ ghi sản phẩm của chính chủ thể đó');
    }
  }
  return { ...own, productIds: ids };
}

function values(input: SalesPointInput) {
  return {
    kind: input.kind,
    name: input.name,
    producer_id: input.producerId,
    address_line: input.addressLine,
    unit_id: input.unitId,
    former_unit_id: input.formerUnitId,
    latitude: input.latitude,
    longitude: input.longitude,
    opening_hours: input.openingHours,
    phone: input.phone,
    url: input.url,
    note: input.note,
  };
}

function explainWriteError(code: string | undefined): void {
  if (code === CHECK_VIOLATION) throw new DomainError('invalid_sales_point', 'A field breaks a database rule', 'Dữ liệu điểm bán không hợp lệ');
  if (code === FOREIGN_KEY_VIOLATION) throw new DomainError('unknown_unit', 'Unknown unit, producer or product', 'Không tìm thấy đơn vị hành chính, chủ thể hoặc sản phẩm');
}

export async function createSalesPoint(db: Kysely<Database>, actor: Actor, scope: Scope, input: SalesPointInput, options: { illustrative?: boolean } = {}): Promise<SalesPoint> {
  const checked = await checkWrite(db, scope, input);
  return transactWrite(db, async (trx) => {
    const row = await trx.insertInto('sales_points').values({ ...values(checked), illustrative: options.illustrative ?? false }).returningAll().executeTakeFirstOrThrow();
    if (checked.productIds.length > 0) await trx.insertInto('sales_point_products').values(checked.productIds.map((product_id) => ({ sales_point_id: row.id, product_id }))).execute();
    await audit(trx, actor, { action: 'sales_point.create', entity: 'sales_point', entityId: row.id, after: { ...row, product_ids: checked.productIds } });
    return row;
  }, explainWriteError);
}

export async function updateSalesPoint(db: Kysely<Database>, actor: Actor, scope: Scope, id: number, input: SalesPointInput, now: Date): Promise<SalesPoint> {
  const before = await salesPointForWrite(db, scope, id);
  const checked = await checkWrite(db, scope, input);
  return transactWrite(db, async (trx) => {
    // Scope again under the lock: a point moved out of scope meanwhile is not this caller's.
    const locked = await trx.selectFrom('sales_points as sp').select('sp.id').where('sp.id', '=', id).where(salesPointInScope(scope)).forUpdate().executeTakeFirst();
    if (!locked) throw new DomainError('unknown_sales_point', 'Unknown sales point', 'Không tìm thấy điểm bán');
    const after = await trx.updateTable('sales_points').set({ ...values(checked), updated_at: now }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    await trx.deleteFrom('sales_point_products').where('sales_point_id', '=', id).execute();
    if (checked.productIds.length > 0) await trx.insertInto('sales_point_products').values(checked.productIds.map((product_id) => ({ sales_point_id: id, product_id }))).execute();
    await audit(trx, actor, { action: 'sales_point.update', entity: 'sales_point', entityId: id, before, after: { ...after, product_ids: checked.productIds } });
    return after;
  }, explainWriteError);
}

export async function deleteSalesPoint(db: Kysely<Database>, actor: Actor, scope: Scope, id: number): Promise<void> {
  const before = await salesPointForWrite(db, scope, id);
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('sales_points').where('id', '=', id).execute();
    await audit(trx, actor, { action: 'sales_point.delete', entity: 'sales_point', entityId: id, before });
  });
}

// ---------------------------------------------------------------------------------------
// Public side

/** A place as shoppers see it: the address today and before the merger, how to get there. */
export interface PublicPlace {
  id: number;
  kind: SalesPointKind;
  name: string;
  /** "12 Phú Riềng Đỏ, Phường Bình Phước, Tỉnh Đồng Nai": the address today. */
  address: string | null;
  /** "Thành phố Đồng Xoài, Tỉnh Bình Phước": where that was before 1 July 2025. */
  formerArea: string | null;
  /** The former district's id, for grouping by area. */
  formerUnitId: string | null;
  coordinates: Coordinates | null;
  openingHours: string | null;
  phone: string | null;
  url: string | null;
  illustrative: boolean;
  /** From the shopper, when they shared where they are. */
  distanceKm: number | null;
}

export interface PlaceList {
  places: PublicPlace[];
  total: number;
  /** True when the list is ordered by distance from the shopper. */
  nearest: boolean;
}

type PlaceRow = Pick<SalesPoint, 'id' | 'kind' | 'name' | 'address_line' | 'unit_id' | 'former_unit_id' | 'latitude' | 'longitude' | 'opening_hours' | 'phone' | 'url' | 'illustrative'>;

function toPlace(units: UnitIndex, r: PlaceRow, near: Coordinates | null): PublicPlace {
  const coordinates = r.latitude !== null && r.longitude !== null ? { lat: r.latitude, lng: r.longitude } : null;
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    address: r.unit_id || r.address_line ? addressAsIssued(units, r.unit_id, r.address_line) : null,
    formerArea: r.former_unit_id ? addressAsIssued(units, r.former_unit_id) : null,
    formerUnitId: r.former_unit_id,
    coordinates,
    openingHours: r.opening_hours,
    phone: r.phone,
    url: r.url,
    illustrative: r.illustrative,
    distanceKm: near && coordinates ? distanceKm(near, coordinates) : null,
  };
}

const KIND_ORDER: Record<SalesPointKind, number> = { showroom: 0, supermarket: 1, shop: 2, market_stall: 3, online: 4 };

/**
 * Nearest first when the shopper shared a position (places without coordinates, online
 * shops among them, after every located one); otherwise by area: the former district's
 * name, showrooms before other kinds, then the name, online shops last.
 */
export function orderPlaces(places: PublicPlace[], near: Coordinates | null): PublicPlace[] {
  const area = (p: PublicPlace) => (p.kind === 'online' ? '\uffff' : (p.formerArea ?? p.address ?? '\ufffe'));
  return [...places].sort((a, b) => {
    if (near) {
      const da = a.distanceKm ?? Number.POSITIVE_INFINITY;
      const db = b.distanceKm ?? Number.POSITIVE_INFINITY;
      if (da !== db) return da - db;
    }
    return area(a).localeCompare(area(b), 'vi') || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.name.localeCompare(b.name, 'vi') || a.id - b.id;
  });
}

const PLACE_COLUMNS = ['sp.id', 'sp.kind', 'sp.name', 'sp.address_line', 'sp.unit_id', 'sp.former_unit_id', 'sp.latitude', 'sp.longitude', 'sp.opening_hours', 'sp.phone', 'sp.url', 'sp.illustrative'] as const;

/** Where a product is sold, ordered as orderPlaces says; `limit` cuts the list after ordering (the scan page shows 3). */
export async function placesForProduct(db: Kysely<Database>, productId: number, units: UnitIndex, near: Coordinates | null, limit?: number): Promise<PlaceList> {
  const rows = await db
    .selectFrom('sales_point_products as spp')
    .innerJoin('sales_points as sp', 'sp.id', 'spp.sales_point_id')
    .select([...PLACE_COLUMNS])
    .where('spp.product_id', '=', productId)
    .execute();
  const ordered = orderPlaces(rows.map((r) => toPlace(units, r, near)), near);
  return { places: limit === undefined ? ordered : ordered.slice(0, limit), total: ordered.length, nearest: near !== null };
}

/** The public list (/noi-mua): every point, or one kind, optionally within one former district. */
export async function publicPlaces(db: Kysely<Database>, units: UnitIndex, filter: { kind?: SalesPointKind | undefined; area?: string | undefined }, near: Coordinates | null): Promise<PlaceList> {
  let q = db.selectFrom('sales_points as sp').select([...PLACE_COLUMNS]);
  if (filter.kind) q = q.where('sp.kind', '=', filter.kind);
  if (filter.area) {
    const area = filter.area;
    q = q.where(sql<boolean>`(sp.former_unit_id = ${area} or sp.unit_id = ${area} or sp.former_unit_id in (select su.id from admin_units su where su.parent_id = ${area}))`);
  }
  const rows = await q.limit(2000).execute();
  const ordered = orderPlaces(rows.map((r) => toPlace(units, r, near)), near);
  return { places: ordered, total: ordered.length, nearest: near !== null };
}

/** The areas of the public list's filter: former districts holding at least one point. */
export async function placeAreas(db: Kysely<Database>): Promise<{ id: string; name: string; unit_type: string }[]> {
  return db
    .selectFrom('admin_units as a')
    .select(['a.id', 'a.name', 'a.unit_type'])
    .where('a.level', '=', 'district')
    .where(sql<boolean>`exists (select 1 from sales_points sp left join admin_units f on f.id = sp.former_unit_id where sp.former_unit_id = a.id or f.parent_id = a.id)`)
    .orderBy('a.name')
    .execute();
}

// ---------------------------------------------------------------------------------------
// The plan's measures (for the reports; wired in by the plans/reports work)

/**
 * Points recorded by the end of a Vietnam day (a report's last day): the system knows when a
 * point was entered, not when a shop opened, so a past period counts what had been recorded
 * by then and never today's list. No day: every point recorded.
 */
function recordedBy(asOf: string | undefined) {
  return asOf === undefined ? sql<boolean>`true` : sql<boolean>`sp.created_at < (${asOf}::date + 1)::timestamp at time zone 'Asia/Ho_Chi_Minh'`;
}

export interface ShowroomsByDistrict {
  districtId: string;
  districtName: string;
  showrooms: number;
}

/**
 * OCOP showrooms per former district (the plan's "at least one showroom per district"),
 * every district of the former province listed, those without a showroom with 0. A
 * showroom counts for the district its former unit is, or lies in.
 */
export async function showroomsPerFormerDistrict(db: Kysely<Database>, provinceId = 'p-70', asOf?: string): Promise<ShowroomsByDistrict[]> {
  const rows = await db
    .selectFrom('admin_units as d')
    .select(['d.id', 'd.name'])
    .select(
      sql<number>`(select count(*)::int from sales_points sp left join admin_units f on f.id = sp.former_unit_id
        where sp.kind = 'showroom' and (sp.former_unit_id = d.id or f.parent_id = d.id) and ${recordedBy(asOf)})`.as('showrooms'),
    )
    .where('d.level', '=', 'district')
    .where('d.parent_id', '=', provinceId)
    .orderBy('d.name')
    .execute();
  return rows.map((r) => ({ districtId: r.id, districtName: r.name, showrooms: Number(r.showrooms) }));
}

export interface ModernChannelCount {
  /** Producers with at least one product sold in a supermarket or an online shop, or owning one. */
  producers: number;
  /** Producers with at least one certified product: the share's denominator. */
  certifiedProducers: number;
  /** producers / certifiedProducers, 0 when there are none. */
  share: number;
}

/** Producers selling through modern channels (supermarkets, e-commerce), the plan's indicator. */
export async function producersSellingThroughModernChannels(db: Kysely<Database>, asOf?: string): Promise<ModernChannelCount> {
  const kinds = [...MODERN_CHANNEL_KINDS];
  const row = await db
    .selectNoFrom([
      sql<number>`(select count(distinct x.producer_id)::int from (
        select p.producer_id from sales_point_products spp join sales_points sp on sp.id = spp.sales_point_id join products p on p.id = spp.product_id
        where sp.kind in (${sql.join(kinds)}) and ${recordedBy(asOf)}
        union select sp.producer_id from sales_points sp where sp.producer_id is not null and sp.kind in (${sql.join(kinds)}) and ${recordedBy(asOf)}
      ) x where x.producer_id in (select p2.producer_id from products p2 join certificates c on c.product_id = p2.id))`.as('producers'),
      sql<number>`(select count(distinct p.producer_id)::int from products p join certificates c on c.product_id = p.id)`.as('certified'),
    ])
    .executeTakeFirstOrThrow();
  const producers = Number(row.producers);
  const certifiedProducers = Number(row.certified);
  return { producers, certifiedProducers, share: certifiedProducers === 0 ? 0 : producers / certifiedProducers };
}

/** The product a public place list is about: only a product with a certificate has a public page. */
export async function productForPlaces(db: Kysely<Database>, slug: string): Promise<{ id: number; slug: string; name: string; producerName: string } | null> {
  const row = await db
    .selectFrom('products as p')
    .innerJoin('producers as pr', 'pr.id', 'p.producer_id')
    .select(['p.id', 'p.slug', 'p.name', 'pr.name as producer_name'])
    .where('p.slug', '=', slug)
    .where(sql<boolean>`exists (select 1 from certificates c where c.product_id = p.id)`)
    .executeTakeFirst();
  return row ? { id: row.id, slug: row.slug, name: row.name, producerName: row.producer_name } : null;
}
