/**
 * Search benchmark (npm run bench:search, issue 12): the public catalogue search over the
 * demo data plus 5,000 generated certified products (500 producers spread over the former
 * districts and today's communes), on Postgres. Measures searchCatalogue, as the /products
 * page calls it, for 3-word queries: spelled right (one query), mistyped (the fallback:
 * candidate words by pg_trgm similarity, then the search again), a place, and a query that
 * matches nothing at all (the worst case: both passes, no correction). Budget: a 3-word
 * query under 50 ms (p95 reported beside the median).
 *
 * Options: --products N (default 5,000), --runs N (default 40).
 * DATABASE_URL names a Postgres server (default postgres://postgres@127.0.0.1:5432/postgres);
 * the benchmark creates its own database ocop_bench_<random> there and drops it at the end.
 */
import { sql } from 'kysely';
import { searchCatalogue } from '../../worker/db/catalogue';
import { todayInVietnam } from '../../worker/domain/dates';
import { benchDatabase, option } from './support';

const SERVER_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PRODUCTS = option('products', 5_000);
const RUNS = option('runs', 40);
const PRODUCERS = Math.max(1, Math.round(PRODUCTS / 10));

// Words of real OCOP product names, so the vocabulary the correction searches is realistic.
const KINDS = ['Hạt điều rang muối', 'Cà phê rang xay', 'Tiêu đen', 'Mật ong rừng', 'Nước mắm cá cơm', 'Bánh hạt điều', 'Trà xanh', 'Yến sào', 'Khô bò', 'Rượu cần', 'Măng khô', 'Bơ sáp', 'Sầu riêng sấy', 'Mít sấy', 'Chuối sấy', 'Hồ tiêu hữu cơ', 'Điều mật ong', 'Khăn thổ cẩm', 'Gạo lứt', 'Nấm linh chi'];
const TRAITS = ['loại 1', 'đặc biệt', 'hữu cơ', 'truyền thống', 'cao cấp', 'gia đình', 'xuất khẩu', 'thượng hạng', 'nguyên chất', 'tự nhiên'];
const FORMS = ['HTX', 'Công ty TNHH', 'Hộ kinh doanh', 'Tổ hợp tác'];
const NAMES = ['Phước An', 'Tân Lợi', 'Minh Hưng', 'Đồng Tiến', 'Bình Minh', 'Lộc Thành', 'Hưng Phát', 'Thành Công', 'An Khang', 'Phú Quý'];

function pick<T>(list: readonly T[], i: number): T {
  return list[i % list.length]!;
}

async function main(): Promise<void> {
  const now = new Date();
  const bench = await benchDatabase(SERVER_URL, now, ` · ${PRODUCTS.toLocaleString('en')} generated products`);
  try {
    const { db } = bench;
    const units = (await db.selectFrom('admin_units').select('id').where('level', '=', 'commune').execute()).map((u) => u.id);
    const districts = (await db.selectFrom('admin_units').select('id').where('level', '=', 'district').execute()).map((u) => u.id);
    const places = [...units, ...districts];
    const started = Date.now();
    const producerIds: number[] = [];
    for (let i = 0; i < PRODUCERS; i++) {
      const row = await db
        .insertInto('producers')
        .values({ name: `${pick(FORMS, i)} ${pick(NAMES, i * 7 + 3)} ${i + 1}`, legal_form: pick(['hop_tac_xa', 'doanh_nghiep', 'ho_kinh_doanh', 'to_hop_tac'] as const, i), address_unit_id: pick(places, i * 13 + 5) })
        .returning('id')
        .executeTakeFirstOrThrow();
      producerIds.push(row.id);
    }
    const CHUNK = 500;
    for (let from = 0; from < PRODUCTS; from += CHUNK) {
      const rows = [];
      for (let i = from; i < Math.min(PRODUCTS, from + CHUNK); i++) {
        rows.push({ slug: `bench-${i + 1}`, name: `${pick(KINDS, i)} ${pick(TRAITS, Math.floor(i / KINDS.length))}`, producer_id: pick(producerIds, i * 31 + 7), description: `Sản phẩm thử ${i + 1}.` });
      }
      await db.insertInto('products').values(rows).execute();
    }
    // One 4-star evaluation and certificate per generated product (the catalogue lists certified products only).
    await sql`insert into evaluations (product_id, score_a, score_b, score_c, total, mandatory_level, stars, council_level, evaluated_on, legal_basis_id)
      select id, 30, 19, 27.5, 76.5, 4, 4, 'province', ${todayInVietnam(now)}::date - 400, 'QD-148-2023' from products where slug like 'bench-%'`.execute(db);
    await sql`insert into certificates (number, product_id, evaluation_id, stars, decision_number, decision_date, issuing_body, issuing_level, legal_basis_id, valid_from, valid_until)
      select 'BENCH-' || p.id, p.id, e.id, 4, p.id || '/QĐ-UBND', e.evaluated_on + 14, 'UBND tỉnh Đồng Nai', 'province', 'QD-148-2023', e.evaluated_on + 14, e.evaluated_on + 14 + 1095
      from products p join evaluations e on e.product_id = p.id where p.slug like 'bench-%'`.execute(db);
    await sql`analyze`.execute(db);
    console.log(`generated ${PRODUCERS.toLocaleString('en')} producers and ${PRODUCTS.toLocaleString('en')} certified products in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const today = todayInVietnam(now);
    const queries: [string, string][] = [
      ['3 words, spelled right', 'hat dieu rang'],
      ['3 words, one typo each way ("deu", "rnag")', 'hat deu rnag'],
      ['3 words, "ca fe" for "cà phê"', 'ca fe rang'],
      ['3 words, a place', 'huyen dong phu'],
      ['3 words, nothing close (both passes, no correction)', 'xyzzy qwerty plugh'],
    ];
    console.log(`\n${'query'.padEnd(56)} ${'results'.padStart(8)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'max'.padStart(8)}  suggestion`);
    for (const [label, q] of queries) {
      for (let i = 0; i < 5; i++) await searchCatalogue(db, { q }, today);
      const times: number[] = [];
      let last = await searchCatalogue(db, { q }, today);
      for (let i = 0; i < RUNS; i++) {
        const t0 = performance.now();
        last = await searchCatalogue(db, { q }, today);
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      const at = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!;
      console.log(
        `${`${label}: "${q}"`.padEnd(56)} ${String(last.total).padStart(8)} ${`${at(0.5).toFixed(1)} ms`.padStart(8)} ${`${at(0.95).toFixed(1)} ms`.padStart(8)} ${`${times.at(-1)!.toFixed(1)} ms`.padStart(8)}  ${last.suggestion ?? ''}`,
      );
    }
    console.log('\nbudget: a 3-word query under 50 ms (benchmark, not a timed test)');
  } finally {
    await bench.drop();
  }
}

await main();
