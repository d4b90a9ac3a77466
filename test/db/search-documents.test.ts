import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchCatalogue } from '../../worker/db/catalogue';
import { todayInVietnam } from '../../worker/domain/dates';
import { addFishSauceProduct } from '../helpers/demo';
import { createTestContext, type TestContext } from '../helpers/app';

// The catalogue search reads precomputed search documents and known words (migration
// 2026-12-02-07), kept by triggers. A shopper must find a product by what it is called now,
// by its producer's name now, by its current certificate and its places, never by what they
// were: every write path (admin, CLI, seed, import) goes through these triggers.

let ctx: TestContext;
let productId: number;
let producerId: number;
const today = () => todayInVietnam(ctx.deps.clock());
const search = (q: string) => searchCatalogue(ctx.db, { q }, today());
const slugs = async (q: string) => (await search(q)).items.map((i) => i.slug);

/** Every document equals what the catalogue's joins give now, and the known words are exactly the words of today's names. */
async function expectInStep(): Promise<void> {
  const stale = await sql<{ product_id: number }>`
    select p.id as product_id from products p
    join producers pr on pr.id = p.producer_id
    left join certificates c on c.id = (select max(c2.id) from certificates c2 where c2.product_id = p.id and c2.status <> 'superseded')
    left join admin_units u0 on u0.id = pr.address_unit_id
    left join admin_units u1 on u1.id = u0.parent_id
    left join admin_units u2 on u2.id = u1.parent_id
    left join admin_units s0 on s0.id = u0.successor_id
    left join admin_units s1 on s1.id = u1.successor_id
    left join admin_units s2 on s2.id = u2.successor_id
    left join product_search_documents d on d.product_id = p.id
    where d.product_id is null
      or d.document is distinct from concat_ws(' ', p.search_text, pr.search_name, lower(c.number))
      or d.places is distinct from ' ' || concat_ws(' ', u0.search_name, u1.search_name, u2.search_name, s0.search_name, s1.search_name, s2.search_name) || ' '
      or d.gtin14 is distinct from lpad(p.gtin, 14, '0')`.execute(ctx.db);
  expect(stale.rows).toEqual([]);
  const wrongWords = await sql<{ word: string }>`
    with expected as (
      select w as word, count(*)::int as uses from (
        select search_name from products union all select search_name from producers union all select search_name from admin_units
      ) as n, lateral ocop_name_words(n.search_name) as w group by w
    )
    select coalesce(e.word, s.word) as word from expected e full join search_words s on s.word = e.word
    where e.uses is distinct from s.uses`.execute(ctx.db);
  expect(wrongWords.rows).toEqual([]);
}

beforeAll(async () => {
  ctx = await createTestContext({ seed: true });
  ({ producerId, productId } = await addFishSauceProduct(ctx.db));
});

afterAll(async () => {
  await ctx?.close();
});

describe('search documents and known words follow every write', () => {
  it('are in step with the seeded catalogue (the migration backfilled, the seed went through the triggers)', async () => {
    await expectInStep();
    expect(await slugs('nuoc mam')).toEqual(['nuoc-mam-thu']);
    expect(await slugs('test-nm-001')).toEqual(['nuoc-mam-thu']);
  });

  it('a renamed product is found by its new name only, and its old words stop being suggestions', async () => {
    await ctx.db.updateTable('products').set({ name: 'Tương ớt thử nghiệm', description: 'Ớt chín phơi nắng' }).where('id', '=', productId).execute();
    expect(await slugs('tuong ot')).toEqual(['nuoc-mam-thu']);
    expect(await slugs('phoi nang')).toEqual(['nuoc-mam-thu']);
    // "mắm cá" and "cá cơm" were only in this product's name: no longer words to correct to.
    expect((await search('mam ca com')).total).toBe(0);
    expect(await ctx.db.selectFrom('search_words').select('word').where('word', 'in', ['mam ca', 'ca com']).execute()).toEqual([]);
    const slip = await search('mamca');
    expect(slip.total).toBe(0);
    expect(slip.suggestion).toBeUndefined();
    // A slip in the new name is corrected to it.
    const tuong = await search('tuong ott');
    expect(tuong.items.map((i) => i.slug)).toEqual(['nuoc-mam-thu']);
    expect(tuong.suggestion).toBe('tương ớt');
    await expectInStep();
  });

  it('a renamed producer and a new address: found by the new name and the new place, not the old', async () => {
    await ctx.db.updateTable('producers').set({ name: 'Hộ kinh doanh Zeta Omega', address_unit_id: 'c-2025-xa-dong-phu' }).where('id', '=', producerId).execute();
    expect(await slugs('zeta omega')).toEqual(['nuoc-mam-thu']);
    expect(await slugs('thu nghiem')).toEqual(['nuoc-mam-thu']); // still the product's own words
    expect(await slugs('co so nuoc')).toEqual([]);
    expect(await slugs('dong phu')).toContain('nuoc-mam-thu');
    await expectInStep();
  });

  it('a renamed unit renames the place its products are found by', async () => {
    await ctx.db.updateTable('admin_units').set({ name: 'Đồng Phú Mới' }).where('id', '=', 'c-2025-xa-dong-phu').execute();
    expect(await slugs('dong phu moi')).toContain('nuoc-mam-thu');
    await expectInStep();
    await ctx.db.updateTable('admin_units').set({ name: 'Đồng Phú' }).where('id', '=', 'c-2025-xa-dong-phu').execute();
    expect(await slugs('dong phu moi')).not.toContain('nuoc-mam-thu');
    await expectInStep();
  });

  it('a renewal: the new certificate number finds the product, the superseded one does not', async () => {
    const old = await ctx.db.selectFrom('certificates').selectAll().where('number', '=', 'TEST-NM-001').executeTakeFirstOrThrow();
    await ctx.db.updateTable('certificates').set({ status: 'superseded', superseded_at: new Date() }).where('id', '=', old.id).execute();
    const { id: _id, created_at: _c, ...evaluation } = await ctx.db.selectFrom('evaluations').selectAll().where('id', '=', old.evaluation_id).executeTakeFirstOrThrow();
    const ev = await ctx.db.insertInto('evaluations').values(evaluation).returning('id').executeTakeFirstOrThrow();
    await ctx.db.insertInto('certificates').values({
      number: 'TEST-NM-002', product_id: productId, evaluation_id: ev.id, stars: 3, decision_number: '2/QĐ-UBND', decision_date: '2026-02-10', issuing_body: 'UBND tỉnh Đồng Nai',
      issuing_level: 'province', legal_basis_id: 'QD-148-2023', valid_from: '2026-02-10', valid_until: '2029-02-09', supersedes_id: old.id,
    }).execute();
    expect(await slugs('test-nm-002')).toEqual(['nuoc-mam-thu']);
    expect(await slugs('test-nm-001')).toEqual([]);
    await expectInStep();
  });

  it('a GTIN set later is found exactly; part of it is not', async () => {
    await ctx.db.updateTable('products').set({ gtin: '8939999900997' }).where('id', '=', productId).execute();
    expect(await slugs('8 939999 900997')).toEqual(['nuoc-mam-thu']);
    expect(await slugs('08939999900997')).toEqual(['nuoc-mam-thu']);
    expect(await slugs('939999900997')).toEqual([]);
    await expectInStep();
  });

  it('a producer added and removed with its names leaves no words behind', async () => {
    const extra = await ctx.db.insertInto('producers').values({ name: 'Quixotic Xylograph', legal_form: 'ho_kinh_doanh', address_unit_id: 'd-689' }).returning('id').executeTakeFirstOrThrow();
    expect(await ctx.db.selectFrom('search_words').select('uses').where('word', '=', 'quixotic xylograph').executeTakeFirst()).toEqual({ uses: 1 });
    await ctx.db.deleteFrom('producers').where('id', '=', extra.id).execute();
    expect(await ctx.db.selectFrom('search_words').select('word').where('word', 'in', ['quixotic', 'xylograph', 'quixotic xylograph']).execute()).toEqual([]);
    await expectInStep();
  });
});
