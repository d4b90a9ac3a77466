import { sql, type Kysely } from 'kysely';
import type { CertificateStatusColumn, Database, LegalForm } from '../../schema/database';
import { addDays } from '../domain/dates';
import { EXPIRY_NOTICE_DAYS } from '../domain/validity';
import { addressAsIssued, mergerNote, type UnitIndex } from './units';

/**
 * The search key of a text: Vietnamese diacritics and đ folded to their base letters,
 * lower case. Must agree with the generated columns of migration 2026-11-28-02.
 */
export function foldVietnamese(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase();
}

/** Query words, folded; at most 8 of at most 40 characters, so a pasted essay stays cheap. */
export function searchTokens(q: string): string[] {
  return foldVietnamese(q)
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 0)
    .slice(0, 8)
    .map((t) => t.slice(0, 40));
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

function likeAny(token: string): string {
  return `%${token.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/** The public catalogue: certified products with their current certificate, filtered and paged. */
export async function searchCatalogue(db: Kysely<Database>, filters: CatalogueFilters, today: string, pageSize = 20): Promise<CataloguePage> {
  const tokens = searchTokens(filters.q ?? '');
  const state = stateSql(today);
  let query = db
    .selectFrom('products as p')
    .innerJoin('producers as pr', 'pr.id', 'p.producer_id')
    .innerJoin('certificates as c', 'c.product_id', 'p.id')
    .leftJoin('product_groups as g', 'g.id', 'p.plan_group_id')
    .where(currentCertificate);
  for (const token of tokens) {
    const pattern = likeAny(token);
    query = query.where(sql<boolean>`(p.search_text like ${pattern} or pr.search_name like ${pattern} or lower(c.number) like ${pattern})`);
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
    listQuery = listQuery.orderBy(sql<number>`case when ${sql.join(tokens.map((t) => sql`p.search_name like ${likeAny(t)}`), sql` and `)} then 0 else 1 end`);
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

export interface ProductCertificate {
  id: number;
  number: string;
  stars: number;
  status: CertificateStatusColumn;
  decisionNumber: string;
  decisionDate: string;
  issuingBody: string;
  validFrom: string;
  validUntil: string;
  revocationDate: string | null;
}

export interface ProductDetails {
  id: number;
  slug: string;
  name: string;
  description: string | null;
  groupVi: string | null;
  groupEn: string | null;
  producer: { name: string; legalForm: LegalForm; addressAsIssued: string; addressNow: string | null };
  regions: { description: string; unit: string | null; areaHa: number | null }[];
  /** Newest first; the first is the current one unless every certificate was superseded. */
  certificates: ProductCertificate[];
}

export async function productBySlug(db: Kysely<Database>, slug: string, units: UnitIndex, today: string): Promise<ProductDetails | null> {
  const row = await db
    .selectFrom('products as p')
    .innerJoin('producers as pr', 'pr.id', 'p.producer_id')
    .leftJoin('product_groups as g', 'g.id', 'p.plan_group_id')
    .select([
      'p.id', 'p.slug', 'p.name', 'p.description', 'g.name_vi as group_vi', 'g.name_en as group_en',
      'pr.name as producer_name', 'pr.legal_form', 'pr.address_line', 'pr.address_unit_id',
    ])
    .where('p.slug', '=', slug)
    .executeTakeFirst();
  if (!row) return null;
  const [regions, certificates] = await Promise.all([
    db.selectFrom('raw_material_regions').select(['description', 'unit_id', 'area_ha']).where('product_id', '=', row.id).orderBy('id').execute(),
    db
      .selectFrom('certificates')
      .select(['id', 'number', 'stars', 'status', 'decision_number', 'decision_date', 'issuing_body', 'valid_from', 'valid_until', 'revocation_date'])
      .where('product_id', '=', row.id)
      .orderBy('id', 'desc')
      .execute(),
  ]);
  return {
    id: row.id, slug: row.slug, name: row.name, description: row.description, groupVi: row.group_vi, groupEn: row.group_en,
    producer: {
      name: row.producer_name, legalForm: row.legal_form,
      addressAsIssued: addressAsIssued(units, row.address_unit_id, row.address_line),
      addressNow: mergerNote(units, row.address_unit_id, today),
    },
    regions: regions.map((r) => ({ description: r.description, unit: r.unit_id ? addressAsIssued(units, r.unit_id) : null, areaHa: r.area_ha })),
    certificates: certificates.map((c) => ({
      id: c.id, number: c.number, stars: c.stars, status: c.status, decisionNumber: c.decision_number, decisionDate: c.decision_date,
      issuingBody: c.issuing_body, validFrom: c.valid_from, validUntil: c.valid_until, revocationDate: c.revocation_date,
    })),
  };
}
