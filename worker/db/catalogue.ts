// Catalogue and search: the public product catalogue, and the LIKE patterns every admin search uses.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../schema/database';
import { addDays } from '../domain/dates';
import { foldVietnamese, searchTokens } from '../domain/search';
import { EXPIRY_NOTICE_DAYS } from '../domain/validity';

/** `s` with LIKE's wildcards and escape character taken literally. */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/** A LIKE pattern matching the folded `term` anywhere: compare it with a `search_*` column. */
export function containsPattern(term: string): string {
  return `%${escapeLike(foldVietnamese(term))}%`;
}

/**
 * The folded name of a `products` or `producers` row under `alias` (a generated column of
 * migration 2026-11-28-02, so not in the Database type); compare with containsPattern.
 */
export function searchName(alias: 'p' | 'pr'): RawBuilder<string> {
  return sql<string>`${sql.ref(`${alias}.search_name`)}`;
}

export type PublicState = 'valid' | 'expiring' | 'expired' | 'revoked';
export const PUBLIC_STATES: readonly PublicState[] = ['valid', 'expiring', 'expired', 'revoked'] as const;

export interface CatalogueFilters {
  q?: string | undefined;
  /** Plan group code (food, beverages, ...). */
  group?: string | undefined;
  /** Admin unit id of a district or province; matches producers addressed in it. */
  area?: string | undefined;
  stars?: number | undefined;
  status?: PublicState | undefined;
  page?: number | undefined;
}

export interface CatalogueItem {
  slug: string;
  name: string;
  producerName: string;
  groupVi: string | null;
  groupEn: string | null;
  stars: number;
  certificateNumber: string;
  validUntil: string;
  state: PublicState;
}

export interface CataloguePage {
  items: CatalogueItem[];
  total: number;
  page: number;
  pageCount: number;
  pageSize: number;
}

function stateSql(today: string) {
  const noticeFrom = addDays(today, EXPIRY_NOTICE_DAYS);
  return sql<PublicState>`case when c.status = 'revoked' then 'revoked'
    when c.valid_until < ${today} then 'expired'
    when c.valid_until < ${noticeFrom} then 'expiring'
    else 'valid' end`;
}

// The product's current certificate: the newest one not replaced by a renewal.
const currentCertificate = sql<boolean>`c.id = (select max(c2.id) from certificates c2 where c2.product_id = p.id and c2.status <> 'superseded')`;

const GTIN_DIGITS = /^([0-9]{8}|[0-9]{12,14})$/;

/**
 * The digits of a query that is a GTIN and nothing else (spaces between digit groups allowed).
 * Not hyphens: "70-32-2021" is a certificate number, searched as words.
 */
function gtinQuery(q: string): string | null {
  const digits = q.replace(/\s/g, '');
  return GTIN_DIGITS.test(digits) ? digits : null;
}

/** The public catalogue: certified products with their current certificate, filtered and paged. */
export async function searchCatalogue(db: Kysely<Database>, filters: CatalogueFilters, today: string, pageSize = 20): Promise<CataloguePage> {
  // A GTIN as printed under a barcode ("8 934567 890123") is one number, not words.
  const gtin = gtinQuery(filters.q ?? '');
  const tokens = gtin ? [gtin] : searchTokens(filters.q ?? '');
  const state = stateSql(today);
  let query = db
    .selectFrom('products as p')
    .innerJoin('producers as pr', 'pr.id', 'p.producer_id')
    .innerJoin('certificates as c', 'c.product_id', 'p.id')
    .leftJoin('product_groups as g', 'g.id', 'p.plan_group_id')
    .where(currentCertificate);
  for (const token of tokens) {
    const pattern = containsPattern(token);
    // A GTIN matches exactly, whatever length it was entered with (GTIN-8/12/13 are GTIN-14 padded with zeros).
    const byGtin = GTIN_DIGITS.test(token) ? sql<boolean>` or lpad(p.gtin, 14, '0') = ${token.padStart(14, '0')}` : sql<boolean>``;
    query = query.where(sql<boolean>`(p.search_text like ${pattern} or pr.search_name like ${pattern} or lower(c.number) like ${pattern}${byGtin})`);
  }
  if (filters.group) query = query.where('g.code', '=', filters.group);
  if (filters.stars) query = query.where('c.stars', '=', filters.stars);
  if (filters.area) {
    const area = filters.area;
    // Units nest at most three deep (province > district > commune).
    query = query.where(sql<boolean>`pr.address_unit_id in (
      select u.id from admin_units u left join admin_units up on up.id = u.parent_id
      where u.id = ${area} or u.parent_id = ${area} or up.parent_id = ${area})`);
  }
  if (filters.status) query = query.where(sql<boolean>`(${state}) = ${filters.status}`);

  const countRow = await query.select(sql<number>`count(*)::int`.as('n')).executeTakeFirst();
  const total = Number(countRow?.n ?? 0);
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, Math.floor(filters.page ?? 1)), pageCount);
  let listQuery = query.select([
    'p.slug', 'p.name', 'pr.name as producer_name', 'g.name_vi as group_vi', 'g.name_en as group_en',
    'c.stars', 'c.number', 'c.valid_until', state.as('state'),
  ]);
  if (tokens.length > 0) {
    // Products whose name holds every word come before those matched elsewhere.
    listQuery = listQuery.orderBy(sql<number>`case when ${sql.join(tokens.map((t) => sql`p.search_name like ${containsPattern(t)}`), sql` and `)} then 0 else 1 end`);
  }
  const rows = await listQuery
    .orderBy('c.stars', 'desc')
    .orderBy('p.name')
    .orderBy('p.id')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  return {
    items: rows.map((r) => ({
      slug: r.slug, name: r.name, producerName: r.producer_name, groupVi: r.group_vi, groupEn: r.group_en,
      stars: r.stars, certificateNumber: r.number, validUntil: r.valid_until, state: r.state,
    })),
    total,
    page,
    pageCount,
    pageSize,
  };
}

export interface FilterOption { value: string; vi: string; en: string }

/** Choices for the catalogue filters: the plan's product groups and the areas producers are in. */
export async function catalogueOptions(db: Kysely<Database>): Promise<{ groups: FilterOption[]; areas: FilterOption[] }> {
  const groups = await db
    .selectFrom('product_groups')
    .select(['code', 'name_vi', 'name_en'])
    .where('kind', '=', 'plan_group')
    .orderBy('id')
    .execute();
  // Districts (and provinces) that hold at least one producer, directly or through a commune.
  const areas = await db
    .selectFrom('admin_units as a')
    .select(['a.id', 'a.name', 'a.unit_type'])
    .where('a.level', '=', 'district')
    .where(sql<boolean>`exists (select 1 from producers pr left join admin_units u on u.id = pr.address_unit_id
      where pr.address_unit_id = a.id or u.parent_id = a.id)`)
    .orderBy('a.name')
    .execute();
  const typeVi: Record<string, string> = { huyen: 'Huyện', thi_xa: 'Thị xã', thanh_pho: 'Thành phố', tinh: 'Tỉnh' };
  const typeEn: Record<string, string> = { huyen: 'district', thi_xa: 'town', thanh_pho: 'city', tinh: 'province' };
  return {
    groups: groups.map((g) => ({ value: g.code, vi: g.name_vi, en: g.name_en })),
    areas: areas.map((a) => ({ value: a.id, vi: `${typeVi[a.unit_type] ?? ''} ${a.name}`.trim(), en: `${a.name} ${typeEn[a.unit_type] ?? ''}`.trim() })),
  };
}
