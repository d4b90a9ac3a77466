import { sql, type Kysely } from 'kysely';
import type { Certificate, Database, Role } from '../../schema/database';
import { generatePassword, hashPassword } from '../../admin/password';
import type { KeyRing } from '../codes/keyring';
import { audit, type Actor } from '../db/audit';
import { issueBatch } from '../db/batches';
import { issueCertificate, renewCertificate, revokeCertificates } from '../db/certificates';
import { createEvaluation } from '../db/evaluations';
import { syncSigningKeys } from '../db/keys';
import { insertScans } from '../db/scans';
import { addDays, addMonthsClamped, todayInVietnam } from '../domain/dates';
import type { Stars } from '../domain/stars';
import { recordRenewalApplication } from '../db/renewals';
import { demoContactOf, demoGtinOf } from './demo-contact';
import { DEMO_PRODUCERS, DEMO_PRODUCTS, plannedCertificates } from './demo-data';
import { seedPlans } from './plan-data';
import { ALL_UNITS, communeId, LEGAL_BASES, NATIONAL_SECTORS, PLAN_GROUPS } from './reference-data';
import type { MediaStore } from '../media/store';
import { MAX_PIXELS } from '../media/service';
import { seedDemoPhotos } from './demo-photos';
import { seedDemoSalesPoints, seedUnitPredecessors } from './sales-points-demo';

const SEED_ACTOR: Actor = { userId: null, label: 'seed' };

// Scores that land inside each star band, with the mandatory criteria of that level met.
const SCORES: Record<3 | 4 | 5, { a: number; b: number; c: number }> = {
  3: { a: 25, b: 15, c: 22 },
  4: { a: 30, b: 19, c: 27.5 },
  5: { a: 36, b: 22, c: 33 },
};

export interface DemoLogin { role: Role; email: string; password: string; name: string }
export interface DemoSummary {
  seeded: boolean;
  logins: DemoLogin[];
  /** A batch of a valid certificate, for the start banner's scan URL. */
  demoBatchId: number | null;
  demoCertificateNumber: string | null;
  demoProductSlug: string | null;
}

export async function isEmpty(db: Kysely<Database>): Promise<boolean> {
  const row = await db.selectFrom('admin_units').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return Number(row.n) === 0;
}

/** Reference data only (units, legal bases, taxonomy): what an empty production database needs too. */
export async function seedReference(db: Kysely<Database>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    // Parents before children: the successor province first, then the rest in order.
    for (const unit of ALL_UNITS) await trx.insertInto('admin_units').values(unit).onConflict((oc) => oc.column('id').doNothing()).execute();
    await seedUnitPredecessors(trx);
    await trx.insertInto('legal_bases').values(LEGAL_BASES).onConflict((oc) => oc.column('id').doNothing()).execute();
    await trx
      .insertInto('product_groups')
      .values([
        ...PLAN_GROUPS.map((g) => ({ legal_basis_id: 'KH-BP-2022-2025', kind: 'plan_group' as const, code: g.code, name_vi: g.name_vi, name_en: g.name_en, parent_id: null })),
        ...NATIONAL_SECTORS.map((g) => ({ legal_basis_id: 'QD-148-2023', kind: 'sector' as const, code: g.code, name_vi: g.name_vi, name_en: g.name_en, parent_id: null })),
      ])
      .onConflict((oc) => oc.columns(['legal_basis_id', 'kind', 'code']).doNothing())
      .execute();
    await seedPlans(trx, SEED_ACTOR);
    await audit(trx, SEED_ACTOR, { action: 'reference.seed', entity: 'reference', entityId: null, after: { units: ALL_UNITS.length, legal_bases: LEGAL_BASES.length } });
  });
}

function atNoonVietnam(date: string): Date {
  return new Date(`${date}T05:00:00Z`);
}

/**
 * `media`: where the demo photos go (the app's media store). Without it the demo has no
 * photos (tests that do not look at them seed faster).
 */
export async function seedDemo(db: Kysely<Database>, ring: KeyRing, now: Date, opts: { media?: MediaStore } = {}): Promise<DemoSummary> {
  if (!(await isEmpty(db))) return { seeded: false, logins: [], demoBatchId: null, demoCertificateNumber: null, demoProductSlug: null };
  await seedReference(db);
  // Batches reference their key's public part, which must be registered first.
  await syncSigningKeys(db, ring);
  const today = todayInVietnam(now);
  const groups = await db.selectFrom('product_groups').select(['id', 'code']).where('kind', '=', 'plan_group').execute();
  const groupId = new Map(groups.map((g) => [g.code, g.id]));

  const producerIds = new Map<string, number>();
  for (const p of DEMO_PRODUCERS) {
    const row = await db
      .insertInto('producers')
      .values({
        name: p.name,
        legal_form: p.legalForm,
        representative: p.representative ?? null,
        female_led: p.femaleLed ?? false,
        ethnic_minority_led: p.ethnicMinorityLed ?? false,
        address_unit_id: p.commune ? communeId(p.district, p.commune) : `d-${p.district}`,
        ...demoContactOf(p.key),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    producerIds.set(p.key, row.id);
    await audit(db, SEED_ACTOR, { action: 'producer.create', entity: 'producer', entityId: row.id, after: { name: p.name } });
  }

  let demoBatchId: number | null = null;
  let demoCertificateNumber: string | null = null;
  let demoProductSlug: string | null = null;
  for (const p of DEMO_PRODUCTS) {
    const product = await db
      .insertInto('products')
      .values({ slug: p.slug, name: p.name, producer_id: producerIds.get(p.producer)!, plan_group_id: groupId.get(p.group) ?? null, description: p.description, gtin: demoGtinOf(p.slug) })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(db, SEED_ACTOR, { action: 'product.create', entity: 'product', entityId: product.id, after: { slug: p.slug, name: p.name } });
    for (const r of p.regions) {
      await db
        .insertInto('raw_material_regions')
        .values({
          product_id: product.id,
          description: r.description,
          unit_id: r.commune && r.district ? communeId(r.district, r.commune) : r.district ? `d-${r.district}` : null,
          area_ha: r.areaHa ?? null,
        })
        .execute();
    }
    let previousId: number | null = null;
    let lastCert: { id: number; number: string; revoked: boolean } | null = null;
    // Number, body and decision suffix follow from each decision date (demoIssue).
    for (const c of plannedCertificates(p, today)) {
      const decisionDate = c.decisionDate;
      const evaluatedOn = addDays(decisionDate, -14);
      const scores = SCORES[c.stars as 3 | 4 | 5];
      const evaluation = await createEvaluation(db, SEED_ACTOR, {
        productId: product.id, scoreA: scores.a, scoreB: scores.b, scoreC: scores.c, mandatoryLevel: c.stars as Stars,
        councilLevel: c.level, evaluatedOn, legalBasisId: c.legalBasis,
      }, now);
      const input = {
        evaluationId: evaluation.id, number: c.number, decisionNumber: `${100 + evaluation.id}/${c.suffix}`,
        decisionDate, issuingBody: c.body, issuingLevel: c.level,
      };
      const cert: Certificate = previousId === null
        ? await issueCertificate(db, SEED_ACTOR, input, now)
        : await renewCertificate(db, SEED_ACTOR, previousId, input, now);
      previousId = cert.id;
      lastCert = { id: cert.id, number: cert.number, revoked: false };
    }
    if (p.batch && lastCert) {
      const batchDay = p.batch.producedOn ? addDays(p.batch.producedOn, 3) : addMonthsClamped(today, -p.batch.monthsAgo);
      const batch = await issueBatch(db, SEED_ACTOR, {
        certificateId: lastCert.id, lotCode: p.batch.lot, productionDate: addDays(batchDay, -3),
        bestBefore: addMonthsClamped(batchDay, p.batch.bestBeforeMonths), quantity: p.batch.quantity,
      }, ring, atNoonVietnam(batchDay));
      if (demoBatchId === null) {
        demoBatchId = batch.id;
        demoCertificateNumber = lastCert.number;
        demoProductSlug = p.slug;
      }
    }
    if (p.renewalReceivedDaysAgo !== undefined && lastCert) {
      await recordRenewalApplication(db, SEED_ACTOR, lastCert.id, { receivedOn: addDays(today, -p.renewalReceivedDaysAgo), note: 'Hồ sơ đánh giá lại (dữ liệu minh họa)' }, now);
    }
    const revoke = p.certificates.at(-1)?.revoke;
    if (revoke && lastCert) {
      await revokeCertificates(db, SEED_ACTOR, [lastCert.id], {
        decisionNumber: `${200 + lastCert.id}/QĐ-UBND`, date: addMonthsClamped(today, -revoke.monthsAgo), ground: revoke.ground, note: revoke.note,
      }, now);
    }
  }

  if (demoBatchId !== null) {
    // A little scan history: one package scanned once, one whose label looks copied.
    const scans: { serial: number; place: string; at: Date }[] = [{ serial: 1, place: 'VN-Đồng Nai', at: new Date(now.getTime() - 86_400_000 * 3) }];
    const places = ['VN-Hồ Chí Minh', 'VN-Hà Nội', 'VN-Đà Nẵng', 'VN-Cần Thơ', 'VN-Đồng Nai', 'KH-Phnom Penh'];
    for (let i = 0; i < 36; i++) scans.push({ serial: 7, place: places[i % places.length]!, at: new Date(now.getTime() - 3_600_000 * (i + 1)) });
    // Written like the scan page writes them, so the summaries count them; each from its own phone.
    await insertScans(db, scans.map((s, i) => ({ batchId: demoBatchId!, serial: s.serial, place: s.place, scannedAt: s.at, clientHash: `demo${String(i).padStart(28, '0')}`, verdict: 'genuine' })));
  }

  await seedDemoSalesPoints(db, SEED_ACTOR);

  const logins: DemoLogin[] = [];
  const haMy = producerIds.get('ha-my')!;
  const users: { role: Role; email: string; name: string; area?: string; producer?: number }[] = [
    { role: 'province_admin', email: 'admin@ocop.demo', name: 'Quản trị tỉnh (demo)' },
    { role: 'area_officer', email: 'canbo.dongphu@ocop.demo', name: 'Cán bộ khu vực Đồng Phú (demo)', area: 'd-695' },
    { role: 'producer', email: 'hamy@ocop.demo', name: 'Công ty Cổ phần Hà Mỵ (demo)', producer: haMy },
    { role: 'auditor', email: 'kiemtra@ocop.demo', name: 'Thanh tra (demo)' },
  ];
  for (const u of users) {
    const password = generatePassword();
    const row = await db
      .insertInto('users')
      .values({ email: u.email, name: u.name, role: u.role, area_unit_id: u.area ?? null, producer_id: u.producer ?? null, password_hash: await hashPassword(password) })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(db, SEED_ACTOR, { action: 'user.create', entity: 'user', entityId: row.id, after: { email: u.email, role: u.role } });
    logins.push({ role: u.role, email: u.email, password, name: u.name });
  }
  if (opts.media) await seedDemoPhotos(db, opts.media, SEED_ACTOR, { maxPixels: MAX_PIXELS.node });
  return { seeded: true, logins, demoBatchId, demoCertificateNumber, demoProductSlug };
}
