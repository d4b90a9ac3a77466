import type { Kysely } from 'kysely';
import type { Database } from '../../schema/database';
import { todayInVietnam } from '../../worker/domain/dates';
import { demoCertificateNumber } from '../../worker/seed/demo-data';

/**
 * The demo certificates' numbers as seeded at `now` (the test context's clock): numbers carry
 * the year of their own decision, and decisions are dated relative to the seed day, so tests
 * ask here instead of spelling a year (issue 12).
 */
export function demoNumbers(now: Date = new Date()) {
  const today = todayInVietnam(now);
  const n = (slug: string, index = -1) => demoCertificateNumber(slug, today, index);
  return {
    /** Hà Mỵ's salted cashews: the first 5★ decision, superseded by its renewal. */
    haMyOld: n('hat-dieu-rang-muoi-ha-my', 0),
    /** …and the renewal in force (the first demo batch, HM-RM-01, is printed under it). */
    haMy5: n('hat-dieu-rang-muoi-ha-my'),
    keo: n('keo-dieu-ha-my'),
    robusta: n('ca-phe-robusta-ha-my'),
    khanhSam: n('hat-dieu-rang-muoi-khanh-sam'),
    greenLotus: n('hat-dieu-rang-muoi-green-lotus'),
    myLe: n('dieu-rang-muoi-vo-lua-my-le'),
    phucThinh: n('dieu-mat-ong-phuc-thinh'),
    vinahe: n('banh-cashewpie-vinahe'),
    cong: n('ca-phe-nguyen-chat-cong'),
    namPhu: n('yen-sao-nam-phu'),
    tieuDen: n('tieu-den-vo-thi-hien'),
    locQuang: n('ho-tieu-huu-co-loc-quang'),
    thoCam: n('tho-cam-stieng-bu-dang'),
    duLich: n('du-lich-cong-dong-bu-dang'),
    /** Revoked (illustrative). */
    matOng: n('mat-ong-rung-bu-gia-map'),
    /** Expired, renewal under review (illustrative). */
    banhTrang: n('banh-trang-phoi-suong-phu-rieng'),
    /** Valid, with a lot past its best-before date (illustrative). */
    mutDieu: n('mut-dieu-phu-rieng'),
  };
}

/**
 * A fish-sauce producer and its certified product (the demo data has none), as the catalogue
 * would hold it: certificate TEST-NM-001, evaluation copied from Công Phát's coffee.
 */
export async function addFishSauceProduct(db: Kysely<Database>): Promise<{ producerId: number; productId: number }> {
  const producer = await db.insertInto('producers').values({ name: 'Cơ sở nước mắm thử nghiệm', legal_form: 'ho_kinh_doanh', address_unit_id: 'd-689' }).returning('id').executeTakeFirstOrThrow();
  const product = await db.insertInto('products').values({ slug: 'nuoc-mam-thu', name: 'Nước mắm cá cơm', producer_id: producer.id }).returning('id').executeTakeFirstOrThrow();
  const cert = await db.selectFrom('certificates').select(['evaluation_id']).where('number', '=', demoNumbers().cong).executeTakeFirstOrThrow();
  const evaluation = await db.selectFrom('evaluations').selectAll().where('id', '=', cert.evaluation_id).executeTakeFirstOrThrow();
  const { id: _id, created_at: _c, ...copy } = evaluation;
  const ev = await db.insertInto('evaluations').values({ ...copy, product_id: product.id }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('certificates').values({
    number: 'TEST-NM-001', product_id: product.id, evaluation_id: ev.id, stars: 3, decision_number: '1/QĐ-UBND', decision_date: '2026-01-10', issuing_body: 'UBND tỉnh Đồng Nai',
    issuing_level: 'province', legal_basis_id: 'QD-148-2023', valid_from: '2026-01-10', valid_until: '2029-01-09',
  }).execute();
  return { producerId: producer.id, productId: product.id };
}
