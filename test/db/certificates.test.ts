import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKey, KeyRing } from '../../worker/codes/keyring';
import type { Actor } from '../../worker/db/audit';
import { issueBatch } from '../../worker/db/batches';
import { issueCertificate, renewCertificate, revokeCertificates } from '../../worker/db/certificates';
import { createEvaluation } from '../../worker/db/evaluations';
import { syncSigningKeys } from '../../worker/db/keys';
import { runDailyJob } from '../../worker/jobs/daily';
import { certificateState } from '../../worker/domain/certificate-state';
import { DomainError } from '../../worker/domain/errors';
import { seedDemo, seedReference } from '../../worker/seed/seed';
import { openTestDatabase, type TestDatabase } from '../helpers/db';
import { demoNumbers } from '../helpers/demo';

const actor: Actor = { userId: null, label: 'test' };
const NOW = new Date('2026-11-28T03:00:00Z');
/** Demo certificate numbers as seeded at NOW (they carry their decision's year). */
const N = demoNumbers(NOW);
let t: TestDatabase;
let ring: KeyRing;
let productId: number;
let otherProducerId: number;

beforeAll(async () => {
  t = await openTestDatabase();
  ring = await KeyRing.fromJwkSet({ keys: [await generateSigningKey(1)] });
  await syncSigningKeys(t.db, ring);
  await seedReference(t.db);
  const producer = await t.db.insertInto('producers').values({ name: 'HTX Điều Tân Lập', legal_form: 'hop_tac_xa', address_unit_id: 'c-695-tan-lap' }).returning('id').executeTakeFirstOrThrow();
  const other = await t.db.insertInto('producers').values({ name: 'Hộ kinh doanh Khác', legal_form: 'ho_kinh_doanh' }).returning('id').executeTakeFirstOrThrow();
  otherProducerId = other.id;
  productId = (await t.db.insertInto('products').values({ slug: 'dieu-tan-lap', name: 'Điều rang', producer_id: producer.id }).returning('id').executeTakeFirstOrThrow()).id;
});
afterAll(async () => t?.close());

const evaluate = (over: Partial<Parameters<typeof createEvaluation>[2]> = {}) =>
  createEvaluation(t.db, actor, { productId, scoreA: 30, scoreB: 19, scoreC: 27, mandatoryLevel: 4, councilLevel: 'province', evaluatedOn: '2024-01-10', legalBasisId: 'QD-148-2023', ...over }, NOW);

const issueInput = (evaluationId: number, over: Record<string, unknown> = {}) => ({
  evaluationId, number: 'BP-TEST-001', decisionNumber: '12/QĐ-UBND', decisionDate: '2024-02-01', issuingBody: 'UBND tỉnh Bình Phước', issuingLevel: 'province' as const, ...over,
});

async function auditActions(entityId: number | string, entity = 'certificate'): Promise<string[]> {
  const rows = await t.db.selectFrom('audit_log').select('action').where('entity', '=', entity).where('entity_id', '=', String(entityId)).orderBy('id').execute();
  return rows.map((r) => r.action);
}

describe('certificate lifecycle', () => {
  it('derives the stars from scores and mandatory criteria, never the total alone', async () => {
    const ev = await evaluate({ scoreA: 38, scoreB: 24, scoreC: 34, mandatoryLevel: 4 });
    expect(ev.total).toBe(96);
    expect(ev.stars).toBe(4);
  });

  it('refuses a certificate below 3 stars, and 5 stars from a provincial council', async () => {
    const low = await evaluate({ scoreA: 20, scoreB: 10, scoreC: 15, mandatoryLevel: 2 });
    await expect(issueCertificate(t.db, actor, issueInput(low.id), NOW)).rejects.toMatchObject({ code: 'not_certifiable' });
    const five = await evaluate({ scoreA: 38, scoreB: 24, scoreC: 34, mandatoryLevel: 5 });
    await expect(issueCertificate(t.db, actor, issueInput(five.id, { issuingLevel: 'national' }), NOW)).rejects.toMatchObject({ code: 'five_star_national_only' });
  });

  it('issues with validity computed from the decision date, and audits it', async () => {
    const ev = await evaluate();
    const cert = await issueCertificate(t.db, actor, issueInput(ev.id), NOW);
    expect(cert).toMatchObject({ stars: 4, valid_from: '2024-02-01', valid_until: '2027-02-01', status: 'active' });
    expect(await auditActions(cert.id)).toEqual(['certificate.issue']);
    const again = await evaluate();
    await expect(issueCertificate(t.db, actor, issueInput(again.id, { number: 'BP-TEST-002' }), NOW)).rejects.toMatchObject({ code: 'already_certified' });
  });

  it('refuses a district decision for 3 stars after the July 2025 process change', async () => {
    const producer = await t.db.insertInto('products').values({ slug: 'tieu-3-sao', name: 'Tiêu', producer_id: otherProducerId }).returning('id').executeTakeFirstOrThrow();
    const ev = await createEvaluation(t.db, actor, { productId: producer.id, scoreA: 25, scoreB: 15, scoreC: 20, mandatoryLevel: 3, councilLevel: 'district', evaluatedOn: '2025-08-01', legalBasisId: 'QD-148-2023' }, NOW);
    await expect(issueCertificate(t.db, actor, issueInput(ev.id, { number: 'BGM-T-1', issuingLevel: 'district', decisionDate: '2025-08-15' }), NOW)).rejects.toMatchObject({ code: 'body_not_allowed' });
    await expect(issueCertificate(t.db, actor, issueInput(ev.id, { number: 'BGM-T-1', issuingLevel: 'province', decisionDate: '2025-08-15' }), NOW)).resolves.toMatchObject({ stars: 3 });
  });

  it('renews by superseding: stars may fall, the chain is kept, both sides audited', async () => {
    const current = await t.db.selectFrom('certificates').selectAll().where('number', '=', 'BP-TEST-001').executeTakeFirstOrThrow();
    const ev = await evaluate({ scoreA: 26, scoreB: 16, scoreC: 20, mandatoryLevel: 3, evaluatedOn: '2026-11-01' });
    const renewed = await renewCertificate(t.db, actor, current.id, issueInput(ev.id, { number: 'BP-TEST-003', decisionDate: '2026-11-20' }), NOW);
    expect(renewed).toMatchObject({ stars: 3, supersedes_id: current.id, status: 'active', valid_until: '2029-11-20' });
    const old = await t.db.selectFrom('certificates').select(['status']).where('id', '=', current.id).executeTakeFirstOrThrow();
    expect(old.status).toBe('superseded');
    expect(await auditActions(current.id)).toEqual(['certificate.issue', 'certificate.supersede']);
    await expect(renewCertificate(t.db, actor, current.id, issueInput(ev.id, { number: 'BP-TEST-004' }), NOW)).rejects.toMatchObject({ code: 'not_renewable' });
  });

  it('revokes under one decision all or nothing, and revocation is final', async () => {
    const active = await t.db.selectFrom('certificates').select(['id', 'number']).where('status', '=', 'active').execute();
    const superseded = await t.db.selectFrom('certificates').select('id').where('status', '=', 'superseded').executeTakeFirstOrThrow();
    const decision = { decisionNumber: '99/QĐ-UBND', date: '2026-11-25', ground: 'food_safety_violation' as const, note: 'Kiểm tra ngày 20/11' };
    // One of them cannot be revoked: nothing changes.
    await expect(revokeCertificates(t.db, actor, [...active.map((c) => c.id), superseded.id], decision, NOW)).rejects.toMatchObject({ code: 'not_revocable' });
    expect(await t.db.selectFrom('certificates').select('id').where('status', '=', 'revoked').execute()).toHaveLength(0);
    const revoked = await revokeCertificates(t.db, actor, active.map((c) => c.id), decision, NOW);
    expect(revoked.every((c) => c.status === 'revoked' && c.revocation_decision_number === '99/QĐ-UBND')).toBe(true);
    await expect(revokeCertificates(t.db, actor, [active[0]!.id], decision, NOW)).rejects.toBeInstanceOf(DomainError);
    await expect(revokeCertificates(t.db, actor, [active[0]!.id], { ...decision, ground: 'other', note: '' }, NOW)).rejects.toMatchObject({ code: 'note_required' });
  });
});

describe('batches', () => {
  let certId: number;
  beforeAll(async () => {
    const product = await t.db.insertInto('products').values({ slug: 'keo-dieu-test', name: 'Kẹo điều', producer_id: otherProducerId }).returning('id').executeTakeFirstOrThrow();
    const ev = await createEvaluation(t.db, actor, { productId: product.id, scoreA: 30, scoreB: 19, scoreC: 27, mandatoryLevel: 4, councilLevel: 'province', evaluatedOn: '2026-01-05', legalBasisId: 'QD-148-2023' }, NOW);
    certId = (await issueCertificate(t.db, actor, issueInput(ev.id, { number: 'BP-TEST-010', decisionDate: '2026-01-10' }), NOW)).id;
  });

  it('issues a batch for a valid certificate with the current key, audited', async () => {
    const batch = await issueBatch(t.db, actor, { certificateId: certId, lotCode: 'L-01', productionDate: '2026-11-01', bestBefore: '2027-11-01', quantity: 1000 }, ring, NOW);
    expect(batch).toMatchObject({ key_number: 1, quantity: 1000 });
    expect(await auditActions(batch.id, 'package_batch')).toEqual(['batch.issue']);
    await expect(issueBatch(t.db, actor, { certificateId: certId, lotCode: 'L-01', productionDate: '2026-11-01', bestBefore: null, quantity: 5 }, ring, NOW)).rejects.toMatchObject({ code: 'lot_exists' });
  });

  it('refuses bad quantities, dates, another producer and revoked or expired certificates', async () => {
    const base = { certificateId: certId, lotCode: 'L-02', productionDate: '2026-11-01', bestBefore: null };
    for (const quantity of [0, -1, 1.5, 1_000_001]) await expect(issueBatch(t.db, actor, { ...base, quantity }, ring, NOW)).rejects.toMatchObject({ code: 'bad_quantity' });
    await expect(issueBatch(t.db, actor, { ...base, quantity: 1, productionDate: '2026-12-30' }, ring, NOW)).rejects.toMatchObject({ code: 'future_date' });
    await expect(issueBatch(t.db, actor, { ...base, quantity: 1, bestBefore: '2026-10-01' }, ring, NOW)).rejects.toMatchObject({ code: 'bad_best_before' });
    await expect(issueBatch(t.db, actor, { ...base, quantity: 1 }, ring, NOW, otherProducerId + 1000)).rejects.toMatchObject({ code: 'not_your_product' });
    await expect(issueBatch(t.db, actor, { ...base, quantity: 1 }, ring, new Date('2029-02-01T00:00:00Z'))).rejects.toMatchObject({ code: 'certificate_expired' });
    const revoked = await t.db.selectFrom('certificates').select('id').where('status', '=', 'revoked').executeTakeFirstOrThrow();
    await expect(issueBatch(t.db, actor, { ...base, certificateId: revoked.id, quantity: 1 }, ring, NOW)).rejects.toMatchObject({ code: 'certificate_revoked' });
  });
});

describe('demo seed and daily job', () => {
  it('seeds certificates in every state, the required kinds of producer, and a batch', async () => {
    const fresh = await openTestDatabase();
    try {
      const summary = await seedDemo(fresh.db, ring, NOW);
      expect(summary.seeded).toBe(true);
      expect(summary.logins.map((l) => l.role).sort()).toEqual(['area_officer', 'auditor', 'producer', 'province_admin']);
      const certs = await fresh.db.selectFrom('certificates').select(['status', 'valid_from', 'valid_until']).execute();
      const states = new Set(certs.map((c) => certificateState({ status: c.status, validFrom: c.valid_from, validUntil: c.valid_until }, NOW).state));
      expect([...states].sort()).toEqual(['expired', 'expiring', 'revoked', 'superseded', 'valid']);
      const producers = await fresh.db.selectFrom('producers').selectAll().execute();
      expect(producers.some((p) => p.female_led && p.legal_form === 'ho_kinh_doanh')).toBe(true);
      expect(producers.some((p) => p.legal_form === 'hop_tac_xa')).toBe(true);
      expect(producers.some((p) => p.ethnic_minority_led)).toBe(true);
      const tourism = await fresh.db.selectFrom('products as p').innerJoin('product_groups as g', 'g.id', 'p.plan_group_id').select('p.id').where('g.code', '=', 'tourism').execute();
      expect(tourism.length).toBeGreaterThan(0);
      expect((await fresh.db.selectFrom('package_batches').select('id').execute()).length).toBeGreaterThan(0);
      // Seeding twice does nothing.
      expect((await seedDemo(fresh.db, ring, NOW)).seeded).toBe(false);

      const first = await runDailyJob(fresh.db, NOW, { scanRetentionMonths: 13 });
      // The two 2021 certificates, and the renewal-pending one (its file changes no date).
      expect(first.expiredRecorded).toBe(3);
      expect(first.expiringSoon.map((c) => c.number)).toEqual([N.keo]);
      const second = await runDailyJob(fresh.db, NOW, { scanRetentionMonths: 13 });
      expect(second.expiredRecorded).toBe(0);
    } finally {
      await fresh.close();
    }
  });
});
