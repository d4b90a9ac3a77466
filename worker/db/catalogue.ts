// Catalogue and search: the public product catalogue, and the LIKE patterns every admin search uses.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../schema/database';
import { addDays } from '../domain/dates';
import { correctWord, spellLike, type Candidate } from '../domain/fuzzy';
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
  /**
   * Set when nothing matched the words as typed and the items are those of the nearest known
   * words instead ("hat deu" → "hạt điều"): the page says so ("Có phải bạn muốn tìm: …").
   */
  suggestion?: string | undefined;
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

// The search looks in `d`, the product's search document (migration 2026-12-02-07, kept by
// triggers): its folded text, its producer's places and its GTIN, indexed by trigrams.
function catalogueBase(db: Kysely<Database>) {
  return db
    .selectFrom('products as p')
    .innerJoin('producers as pr', 'pr.id', 'p.producer_id')
    .innerJoin('certificates as c', 'c.product_id', 'p.id')
    .leftJoin('product_groups as g', 'g.id', 'p.plan_group_id')
    .leftJoin('product_search_documents as d', 'd.product_id', 'p.id')
    .where(currentCertificate);
}

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
  // A GTIN as printed under a barcode ("8 934567 890123") is one number, not words, and is
  // never "corrected" into a near word.
  const gtin = gtinQuery(filters.q ?? '');
  const tokens = gtin ? [gtin] : searchTokens(filters.q ?? '');
  const page = await searchWithTokens(db, filters, tokens, today, pageSize);
  if (page.total > 0 || tokens.length === 0 || gtin) return page;
  // Nothing matched the words as typed: try the known words nearest to them.
  const corrected = await correctTokens(db, tokens);
  if (corrected === null) return page;
  const again = await searchWithTokens(db, filters, corrected.flatMap((w) => w.split(' ')), today, pageSize);
  if (again.total === 0) return page;
  const first = again.items[0]!;
  return { ...again, suggestion: spellLike(corrected, [first.name, first.producerName], foldVietnamese) };
}

/**
 * Each query word replaced by the known word it most likely means (worker/domain/fuzzy.ts),
 * from candidates that pg_trgm finds similar among the words of product, producer and place
 * names and their two-word runs ("ca phe", so "cafe" finds it). Null when no word changed,
 * or when a word is too far from every known word (a result for half the query would claim
 * more than the search knows).
 */
async function correctTokens(db: Kysely<Database>, tokens: string[]): Promise<string[] | null> {
  const words = tokens.filter((t) => !/^[0-9]+$/.test(t));
  if (words.length === 0) return null;
  const loose = (x: RawBuilder<string>) => sql<string>`replace(replace(replace(${x}, 'ph', 'f'), 'k', 'c'), 'ngh', 'ng')`;
  // The 40 known words nearest each query word (search_words, kept on write; `<->` is
  // 1 - similarity, answered by the trigram GiST index), and the query words that are known.
  const rows = await sql<{ token: string; word: string; similarity: number }>`
    select t.token, v.word, v.similarity
    from unnest(${sql.val(words)}::text[]) as t(token)
    cross join lateral (
      select word, similarity(loose, ${loose(sql.ref('t.token'))}) as similarity from search_words
      order by loose <-> ${loose(sql.ref('t.token'))} limit 40
    ) as v
    where v.similarity >= 0.1 or v.word = t.token
    union all
    select word, word, 1 from search_words where word = any(${sql.val(words)}::text[])`.execute(db);
  const byToken = new Map<string, Candidate[]>();
  const known = new Set<string>();
  for (const r of rows.rows) {
    if (r.word === r.token) known.add(r.word);
    const list = byToken.get(r.token) ?? [];
    list.push({ word: r.word, similarity: Number(r.similarity) });
    byToken.set(r.token, list);
  }
  const out: string[] = [];
  let changed = false;
  for (const token of tokens) {
    if (/^[0-9]+$/.test(token)) {
      out.push(token);
      continue;
    }
    const word = correctWord(token, known, byToken.get(token) ?? []);
    if (word === null) return null;
    if (word !== token) changed = true;
    out.push(word);
  }
  return changed ? out : null;
}

/** Every word in the product's own text, its producer's name or its certificate number. */
function inProduct(tokens: string[]): RawBuilder<boolean> {
  return sql<boolean>`(${sql.join(
    tokens.map((t) => {
      const pattern = containsPattern(t);
      // A GTIN matches exactly, whatever length it was entered with (GTIN-8/12/13 are GTIN-14 padded with zeros).
      const byGtin = GTIN_DIGITS.test(t) ? sql<boolean>` or d.gtin14 = ${t.padStart(14, '0')}` : sql<boolean>``;
      // The document holds the product's text, its producer's name and its certificate number, joined by spaces (no word holds one).
      return sql`(d.document like ${pattern}${byGtin})`;
    }),
    sql` and `,
  )})`;
}

/** The words, in order, as one phrase of a place name ("dong phu", "binh phuoc"). */
function inPlaces(tokens: string[]): RawBuilder<boolean> {
  // Whole words: "phu" is not "Phúc", and "dong" not "Đông" inside another name's word.
  return sql<boolean>`(d.places like ${`% ${escapeLike(tokens.join(' '))} %`})`;
}

/**
 * A product matches when every word is in its own text (product, producer, certificate), or
 * the words name a place it comes from as a phrase, or the query is both: words about the
 * product then a place, or a place then words ("hat dieu dong phu"). A place must be a
 * phrase: "dong" or "phu" alone are in too many names ("Đồng Nai", "Phú Riềng") to narrow
 * "đồng phú" down to the district it means.
 */
function matchSql(tokens: string[]): RawBuilder<boolean> {
  const ways = [inProduct(tokens), inPlaces(tokens)];
  for (let k = 1; k < tokens.length; k++) {
    const head = tokens.slice(0, k);
    const tail = tokens.slice(k);
    ways.push(sql<boolean>`(${inProduct(head)} and ${inPlaces(tail)})`, sql<boolean>`(${inPlaces(head)} and ${inProduct(tail)})`);
  }
  return sql<boolean>`(${sql.join(ways, sql` or `)})`;
}

async function searchWithTokens(db: Kysely<Database>, filters: CatalogueFilters, tokens: string[], today: string, pageSize: number): Promise<CataloguePage> {
  const state = stateSql(today);
  let query = catalogueBase(db);
  if (tokens.length > 0) query = query.where(matchSql(tokens));
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

  let listQuery = query.select([
    'p.slug', 'p.name', 'pr.name as producer_name', 'g.name_vi as group_vi', 'g.name_en as group_en',
    'c.stars', 'c.number', 'c.valid_until', state.as('state'),
    // The total in the same pass as the page: one scan of the catalogue instead of two.
    sql<number>`count(*) over ()`.as('total'),
  ]);
  if (tokens.length > 0) {
    // Products whose name holds every word come before those matched elsewhere.
    listQuery = listQuery.orderBy(sql<number>`case when ${sql.join(tokens.map((t) => sql`p.search_name like ${containsPattern(t)}`), sql` and `)} then 0 else 1 end`);
    // Then products of the place the whole query names, before those that only share a word with it.
    listQuery = listQuery.orderBy(sql<number>`case when ${inPlaces(tokens)} then 0 else 1 end`);
  }
  const ordered = listQuery.orderBy('c.stars', 'desc').orderBy('p.name').orderBy('p.id');
  const fetchPage = (n: number) => ordered.limit(pageSize).offset((n - 1) * pageSize).execute();
  let page = Math.max(1, Math.floor(filters.page ?? 1));
  let rows = await fetchPage(page);
  let total = rows.length > 0 ? Number(rows[0]!.total) : 0;
  if (rows.length === 0 && page > 1) {
    // Past the last page: count, and show the last page instead.
    const countRow = await query.select(sql<number>`count(*)::int`.as('n')).executeTakeFirst();
    total = Number(countRow?.n ?? 0);
    page = Math.max(1, Math.ceil(total / pageSize));
    if (total > 0) rows = await fetchPage(page);
  }
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
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
