import { sql, type Kysely } from 'kysely';
import type { Certificate, Database, Evaluation, PackageBatch } from '../../schema/database';
import { addDays, todayInVietnam } from '../domain/dates';
import { EXPIRY_NOTICE_DAYS } from '../domain/validity';
import { DISTRICT_OF_ADDRESS } from './admin-producers';
import { containsPattern, foldSql, producerInScope, type Scope } from './admin-scope';

export type StateFilter = 'valid' | 'expiring' | 'expired' | 'revoked' | 'superseded' | 'active';

export interface CertificateFilter {
  q?: string | undefined;
  state?: StateFilter | undefined;
  /** Active certificates whose last valid day falls within this many days from today. */
  expiringWithin?: number | undefined;
  area?: string | undefined;
  groupId?: number | undefined;
  stars?: number | undefined;
  producerId?: number | undefined;
}

export interface CertificateListRow extends Certificate {
  product_name: string;
  product_slug: string;
  producer_id: number;
  producer_name: string;
  group_vi: string | null;
  district_id: string | null;
  district_name: string | null;
}

function base(db: Kysely<Database>) {
  return db
    .selectFrom('certificates as c')
    .innerJoin('products as p', 'p.id', 'c.product_id')
    .innerJoin('producers as pr', 'pr.id', 'p.producer_id')
    .leftJoin('product_groups as g', 'g.id', 'p.plan_group_id')
    .leftJoin('admin_units as au', 'au.id', 'pr.address_unit_id')
    .leftJoin('admin_units as ad', (j) => j.on(DISTRICT_OF_ADDRESS))
    .selectAll('c')
    .select(['p.name as product_name', 'p.slug as product_slug', 'pr.id as producer_id', 'pr.name as producer_name', 'g.name_vi as group_vi', 'ad.id as district_id', 'ad.name as district_name']);
}

/**
 * Certificates matching the filters. The derived state (valid, expiring, expired) is
 * computed from today's date in Vietnam exactly as certificateState does: the last valid
 * day is inclusive and "expiring" means fewer than 30 days left.
 */
export async function listCertificates(db: Kysely<Database>, scope: Scope, filter: CertificateFilter, now: Date, limit = 500): Promise<CertificateListRow[]> {
  const today = todayInVietnam(now);
  const noticeFrom = addDays(today, EXPIRY_NOTICE_DAYS);
  let q = base(db).where(producerInScope(scope));
  switch (filter.state) {
    case 'active':
      q = q.where('c.status', '=', 'active').where('c.valid_until', '>=', today);
      break;
    case 'valid':
      q = q.where('c.status', '=', 'active').where('c.valid_until', '>=', noticeFrom);
      break;
    case 'expiring':
      q = q.where('c.status', '=', 'active').where('c.valid_until', '>=', today).where('c.valid_until', '<', noticeFrom);
      break;
    case 'expired':
      q = q.where('c.status', '=', 'active').where('c.valid_until', '<', today);
      break;
    case 'revoked':
    case 'superseded':
      q = q.where('c.status', '=', filter.state);
      break;
    default:
      break;
  }
  if (filter.expiringWithin !== undefined) {
    q = q.where('c.status', '=', 'active').where('c.valid_until', '>=', today).where('c.valid_until', '<', addDays(today, filter.expiringWithin));
  }
  if (filter.area) q = q.where('ad.id', '=', filter.area);
  if (filter.groupId !== undefined) q = q.where('p.plan_group_id', '=', filter.groupId);
  if (filter.stars !== undefined) q = q.where('c.stars', '=', filter.stars);
  if (filter.producerId !== undefined) q = q.where('pr.id', '=', filter.producerId);
  if (filter.q?.trim()) {
    const pattern = containsPattern(filter.q);
    q = q.where((eb) =>
      eb.or([
        eb(foldSql('c.number'), 'like', pattern),
        eb(foldSql('c.decision_number'), 'like', pattern),
        eb(foldSql('p.name'), 'like', pattern),
        eb(foldSql('pr.name'), 'like', pattern),
      ]),
    );
  }
  return q.orderBy('c.valid_until').orderBy('c.id').limit(limit).execute();
}

export async function getCertificate(db: Kysely<Database>, scope: Scope, id: number): Promise<CertificateListRow | undefined> {
  return base(db).where('c.id', '=', id).where(producerInScope(scope)).executeTakeFirst();
}

export interface BatchSummary extends PackageBatch {
  scans: number;
  scanned_packages: number;
  last_scan: Date | null;
}

export interface AuditRow {
  id: number;
  at: Date;
  actor_user_id: number | null;
  actor_label: string;
  action: string;
  entity: string;
  entity_id: string | null;
  before: unknown;
  after: unknown;
  reason: string | null;
}

export interface CertificateDetail {
  certificate: CertificateListRow;
  evaluation: Evaluation | undefined;
  /** Every certificate of the product, newest first: the renewal chain. */
  chain: Pick<Certificate, 'id' | 'number' | 'stars' | 'status' | 'valid_from' | 'valid_until' | 'supersedes_id' | 'decision_number'>[];
  batches: BatchSummary[];
  scans: { total: number; packages: number; places: number; last: Date | null };
  audit: AuditRow[];
}

export async function batchSummaries(db: Kysely<Database>, certificateIds: number[]): Promise<BatchSummary[]> {
  if (certificateIds.length === 0) return [];
  const rows = await db
    .selectFrom('package_batches as b')
    .leftJoin('scans as s', 's.batch_id', 'b.id')
    .selectAll('b')
    .select([
      sql<number>`count(s.id)`.as('scans'),
      sql<number>`count(distinct s.serial)`.as('scanned_packages'),
      sql<Date | null>`max(s.scanned_at)`.as('last_scan'),
    ])
    .where('b.certificate_id', 'in', certificateIds)
    .groupBy('b.id')
    .orderBy('b.created_at', 'desc')
    .execute();
  return rows.map((r) => ({ ...r, scans: Number(r.scans), scanned_packages: Number(r.scanned_packages), last_scan: r.last_scan ? new Date(r.last_scan) : null }));
}

/** The audit trail of one certificate: itself, its evaluation and its batches. */
export async function certificateAudit(db: Kysely<Database>, cert: Pick<Certificate, 'id' | 'evaluation_id'>, batchIds: number[]): Promise<AuditRow[]> {
  const rows = await db
    .selectFrom('audit_log')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb.and([eb('entity', '=', 'certificate'), eb('entity_id', '=', String(cert.id))]),
        eb.and([eb('entity', '=', 'evaluation'), eb('entity_id', '=', String(cert.evaluation_id))]),
        ...(batchIds.length > 0 ? [eb.and([eb('entity', '=', 'package_batch'), eb('entity_id', 'in', batchIds.map(String))])] : []),
      ]),
    )
    .orderBy('at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

export async function certificateDetail(db: Kysely<Database>, scope: Scope, id: number): Promise<CertificateDetail | undefined> {
  const certificate = await getCertificate(db, scope, id);
  if (!certificate) return undefined;
  const evaluation = await db.selectFrom('evaluations').selectAll().where('id', '=', certificate.evaluation_id).executeTakeFirst();
  const chain = await db
    .selectFrom('certificates')
    .select(['id', 'number', 'stars', 'status', 'valid_from', 'valid_until', 'supersedes_id', 'decision_number'])
    .where('product_id', '=', certificate.product_id)
    .orderBy('valid_from', 'desc')
    .orderBy('id', 'desc')
    .execute();
  const batches = await batchSummaries(db, [id]);
  const batchIds = batches.map((b) => b.id);
  let scans = { total: 0, packages: 0, places: 0, last: null as Date | null };
  if (batchIds.length > 0) {
    const s = await db
      .selectFrom('scans')
      .select([
        sql<number>`count(*)`.as('total'),
        sql<number>`count(distinct (batch_id, serial))`.as('packages'),
        sql<number>`count(distinct place)`.as('places'),
        sql<Date | null>`max(scanned_at)`.as('last'),
      ])
      .where('batch_id', 'in', batchIds)
      .executeTakeFirstOrThrow();
    scans = { total: Number(s.total), packages: Number(s.packages), places: Number(s.places), last: s.last ? new Date(s.last) : null };
  }
  const audit = await certificateAudit(db, certificate, batchIds);
  return { certificate, evaluation, chain, batches, scans, audit };
}

/** Certificates a renewal or a revocation may act on: the active ones, by number. */
export async function certificatesByIds(db: Kysely<Database>, scope: Scope, ids: number[]): Promise<CertificateListRow[]> {
  if (ids.length === 0) return [];
  return base(db).where('c.id', 'in', ids).where(producerInScope(scope)).orderBy('c.number').execute();
}

/** Evaluations of this certificate's product that no certificate uses yet: renewal candidates. */
export async function renewalEvaluations(db: Kysely<Database>, productId: number): Promise<Evaluation[]> {
  return db
    .selectFrom('evaluations as e')
    .leftJoin('certificates as c', 'c.evaluation_id', 'e.id')
    .selectAll('e')
    .where('e.product_id', '=', productId)
    .where('c.id', 'is', null)
    .orderBy('e.evaluated_on', 'desc')
    .execute();
}
