import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../helpers/db';
import { seedReference } from '../../worker/seed/seed';

let t: TestDatabase;
let productId: number;
let evaluationId: number;

beforeAll(async () => {
  t = await openTestDatabase();
  await seedReference(t.db);
  const producer = await t.db.insertInto('producers').values({ name: 'HTX Thử nghiệm', legal_form: 'hop_tac_xa' }).returning('id').executeTakeFirstOrThrow();
  const product = await t.db.insertInto('products').values({ slug: 'san-pham-thu', name: 'Sản phẩm thử', producer_id: producer.id }).returning('id').executeTakeFirstOrThrow();
  productId = product.id;
  const ev = await t.db
    .insertInto('evaluations')
    .values({ product_id: productId, score_a: 30, score_b: 19, score_c: 27, total: 76, mandatory_level: 4, stars: 4, council_level: 'province', evaluated_on: '2024-01-10', legal_basis_id: 'QD-148-2023' })
    .returning('id')
    .executeTakeFirstOrThrow();
  evaluationId = ev.id;
});
afterAll(async () => t?.close());

const evaluation = (over: Record<string, unknown>) => ({
  product_id: productId, score_a: 30, score_b: 19, score_c: 27, total: 76, mandatory_level: 4, stars: 4,
  council_level: 'province' as const, evaluated_on: '2024-01-10', legal_basis_id: 'QD-148-2023', ...over,
});

const certificate = (over: Record<string, unknown> = {}) => ({
  number: 'BP-T-001', product_id: productId, evaluation_id: evaluationId, stars: 4, decision_number: '1/QĐ-UBND',
  decision_date: '2024-02-01', issuing_body: 'UBND tỉnh Bình Phước', issuing_level: 'province' as const,
  legal_basis_id: 'QD-148-2023', valid_from: '2024-02-01', valid_until: '2027-01-31', ...over,
});

describe('database constraints', () => {
  it('rejects a star that does not follow the total and the mandatory criteria', async () => {
    await expect(t.db.insertInto('evaluations').values(evaluation({ stars: 5 })).execute()).rejects.toThrow();
    // 76 points but only the 3-star mandatory criteria met: 3 stars, never 4.
    await expect(t.db.insertInto('evaluations').values(evaluation({ mandatory_level: 3, stars: 4 })).execute()).rejects.toThrow();
    await expect(t.db.insertInto('evaluations').values(evaluation({ mandatory_level: 3, stars: 3 })).execute()).resolves.toBeDefined();
  });

  it('rejects scores out of range and a total that is not their sum', async () => {
    await expect(t.db.insertInto('evaluations').values(evaluation({ score_a: 41, total: 87 })).execute()).rejects.toThrow();
    await expect(t.db.insertInto('evaluations').values(evaluation({ total: 80 })).execute()).rejects.toThrow();
  });

  it('gives certificates only to 3 stars and up, and 5 stars only nationally', async () => {
    await expect(t.db.insertInto('certificates').values(certificate({ stars: 2 })).execute()).rejects.toThrow();
    await expect(t.db.insertInto('certificates').values(certificate({ stars: 5 })).execute()).rejects.toThrow();
  });

  it('requires valid-until after valid-from', async () => {
    await expect(t.db.insertInto('certificates').values(certificate({ valid_until: '2024-01-01' })).execute()).rejects.toThrow();
  });

  it('allows one active certificate per product and keeps revocation final', async () => {
    const first = await t.db.insertInto('certificates').values(certificate()).returning('id').executeTakeFirstOrThrow();
    const ev2 = await t.db.insertInto('evaluations').values(evaluation({})).returning('id').executeTakeFirstOrThrow();
    await expect(t.db.insertInto('certificates').values(certificate({ number: 'BP-T-002', evaluation_id: ev2.id })).execute()).rejects.toThrow();
    // A revocation without its decision is refused.
    await expect(t.db.updateTable('certificates').set({ status: 'revoked' }).where('id', '=', first.id).execute()).rejects.toThrow();
    await t.db
      .updateTable('certificates')
      .set({ status: 'revoked', revocation_decision_number: '9/QĐ-UBND', revocation_date: '2024-06-01', revocation_ground: 'production_stopped' })
      .where('id', '=', first.id)
      .execute();
    await expect(t.db.updateTable('certificates').set({ status: 'active', revocation_decision_number: null, revocation_date: null, revocation_ground: null }).where('id', '=', first.id).execute()).rejects.toThrow(/revoked/);
  });

  it('keeps the audit log append-only', async () => {
    await t.db.insertInto('audit_log').values({ actor_label: 'test', action: 'test.write', entity: 'test', entity_id: '1' }).execute();
    // The runtime role (Postgres) has no UPDATE, DELETE or TRUNCATE on it at all; the trigger
    // stops anyone else, the owner included (test/db/db-roles.test.ts).
    const refused = t.kind === 'postgres' ? /permission denied/ : /append-only/;
    await expect(t.db.updateTable('audit_log').set({ action: 'tampered' }).execute()).rejects.toThrow(refused);
    await expect(t.db.deleteFrom('audit_log').execute()).rejects.toThrow(refused);
    await expect(sql`truncate audit_log`.execute(t.db)).rejects.toThrow(refused);
  });

  it('returns dates as plain strings and numerics as numbers on this driver', async () => {
    const row = await t.db.selectFrom('evaluations').select(['evaluated_on', 'score_c']).where('id', '=', evaluationId).executeTakeFirstOrThrow();
    expect(row.evaluated_on).toBe('2024-01-10');
    expect(row.score_c).toBe(27);
  });

  it('keeps the 2025 merger as data', async () => {
    const province = await t.db.selectFrom('admin_units').selectAll().where('id', '=', 'p-70').executeTakeFirstOrThrow();
    expect(province).toMatchObject({ name: 'Bình Phước', valid_to: '2025-07-01', successor_id: 'p-dong-nai' });
    const districts = await t.db.selectFrom('admin_units').select('id').where('level', '=', 'district').where('valid_to', 'is', null).execute();
    expect(districts).toHaveLength(0);
  });
});
