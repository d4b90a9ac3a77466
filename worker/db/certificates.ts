// Certificates (issue, renewal, revocation, lists, details, public views): admin pages, admin API, public pages, retailer API, scans (through batches), CLI and seed.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Certificate, CertificateStatusColumn, Database, Evaluation, RevocationGroundColumn } from '../../schema/database';
import { addDays, todayInVietnam } from '../domain/dates';
import { DomainError } from '../domain/errors';
import { checkFirstIssue, checkIssuable, checkRenewable, checkRenewalProduct, checkRevocable, checkRevocation } from '../domain/issuance';
import { validUntil, EXPIRY_NOTICE_DAYS } from '../domain/validity';
import { audit, certificateAudit, type Actor, type AuditRow } from './audit';
import { containsPattern, searchName } from './catalogue';
import { pgErrorCode, UNIQUE_VIOLATION } from './errors';
import { PRODUCER_CONTACT_COLUMNS, producerView, type ProducerView } from './producers';
import { batchSummaries, scanSummary, type BatchSummary, type ScanSummary } from './scans';
import { hasOpenApplication, renewalPendingSince } from './renewals';
import { producerInScope, type Scope } from './scope';
import { DISTRICT_OF_ADDRESS, type UnitIndex } from './units';

type Db = Kysely<Database> | Transaction<Database>;

/** Certificates (`c`) with their product (`p`) and its producer (`pr`): the joins most certificate queries start from. */
export function certificatesWithProducer(db: Db) {
  return db
    .selectFrom('certificates as c')
    .innerJoin('products as p', 'p.id', 'c.product_id')
    .innerJoin('producers as pr', 'pr.id', 'p.producer_id');
}

// ---------------------------------------------------------------------------------------
// The certificate as the public pages, the retailer API and the scan page show it

export interface CertificateView {
  id: number;
  number: string;
  stars: number;
  status: CertificateStatusColumn;
  decisionNumber: string;
  decisionDate: string;
  issuingBody: string;
  issuingLevel: 'district' | 'province' | 'national';
  legalBasis: { id: string; titleVi: string; titleEn: string };
  validFrom: string;
  validUntil: string;
  statusIndex: number;
  revocation: null | { decisionNumber: string; date: string; ground: RevocationGroundColumn; note: string | null };
  supersedes: { id: number; number: string; stars: number } | null;
  supersededBy: { id: number; number: string; stars: number; validUntil: string } | null;
  /** The day a renewal file was received, while it is under review (renewals.ts); null or absent otherwise. */
  renewalPendingSince?: string | null;
}

/** A certificate with what its public page shows of the product and the producer. */
export interface PublicCertificate extends CertificateView {
  product: { slug: string; name: string; gtin: string | null; groupVi: string | null; groupEn: string | null };
  producer: ProducerView;
}

/** Everything a CertificateView and a PublicCertificate are read from; callers add their own joins and columns. */
export function certificateViewQuery(db: Kysely<Database>) {
  return certificatesWithProducer(db)
    .innerJoin('legal_bases as lb', 'lb.id', 'c.legal_basis_id')
    .leftJoin('product_groups as g', 'g.id', 'p.plan_group_id')
    .leftJoin('certificates as prev', 'prev.id', 'c.supersedes_id')
    .leftJoin('certificates as next', 'next.supersedes_id', 'c.id')
    .select([
      'c.id', 'c.number', 'c.stars', 'c.status', 'c.decision_number', 'c.decision_date', 'c.issuing_body', 'c.issuing_level',
      'c.valid_from', 'c.valid_until', 'c.status_index', 'c.revocation_decision_number', 'c.revocation_date', 'c.revocation_ground',
      'c.revocation_note', 'lb.id as lb_id', 'lb.title_vi as lb_vi', 'lb.title_en as lb_en',
      'prev.id as prev_id', 'prev.number as prev_number', 'prev.stars as prev_stars',
      'next.id as next_id', 'next.number as next_number', 'next.stars as next_stars', 'next.valid_until as next_valid_until',
      'p.slug', 'p.name as product_name', 'p.gtin', 'g.name_vi as group_vi', 'g.name_en as group_en',
      'pr.name as producer_name', 'pr.legal_form', 'pr.address_line', 'pr.address_unit_id', ...PRODUCER_CONTACT_COLUMNS,
    ])
    .select((eb) => renewalPendingSince(eb.ref('c.id')).as('renewal_pending_since'));
}

type ViewRow = Awaited<ReturnType<ReturnType<typeof certificateViewQuery>['execute']>>[number];

export function toCertificateView(r: ViewRow): CertificateView {
  return {
    id: r.id, number: r.number, stars: r.stars, status: r.status, decisionNumber: r.decision_number, decisionDate: r.decision_date,
    issuingBody: r.issuing_body, issuingLevel: r.issuing_level,
    legalBasis: { id: r.lb_id, titleVi: r.lb_vi, titleEn: r.lb_en },
    validFrom: r.valid_from, validUntil: r.valid_until, statusIndex: r.status_index,
    revocation: r.status === 'revoked' && r.revocation_decision_number && r.revocation_date && r.revocation_ground
      ? { decisionNumber: r.revocation_decision_number, date: r.revocation_date, ground: r.revocation_ground, note: r.revocation_note }
      : null,
    supersedes: r.prev_id !== null && r.prev_number !== null && r.prev_stars !== null ? { id: r.prev_id, number: r.prev_number, stars: r.prev_stars } : null,
    supersededBy: r.next_id !== null && r.next_number !== null && r.next_stars !== null && r.next_valid_until !== null
      ? { id: r.next_id, number: r.next_number, stars: r.next_stars, validUntil: r.next_valid_until }
      : null,
    renewalPendingSince: r.renewal_pending_since,
  };
}

function toPublic(r: ViewRow, units: UnitIndex, today: string): PublicCertificate {
  return {
    ...toCertificateView(r),
    product: { slug: r.slug, name: r.product_name, gtin: r.gtin, groupVi: r.group_vi, groupEn: r.group_en },
    producer: producerView(units, r, today),
  };
}

/** Certificate numbers are stored upper case (a CHECK constraint); lookups are case-insensitive. */
export function normaliseCertificateNumber(input: string): string | null {
  const n = input.trim().toUpperCase();
  return /^[A-Z0-9][A-Z0-9./-]{2,39}$/.test(n) ? n : null;
}

export async function certificateByNumber(db: Kysely<Database>, number: string, units: UnitIndex, today: string): Promise<PublicCertificate | null> {
  const row = await certificateViewQuery(db).where('c.number', '=', number).executeTakeFirst();
  return row ? toPublic(row, units, today) : null;
}

/** Many at once (bulk verification): one query per 1,000 numbers. */
export async function certificatesByNumbers(db: Kysely<Database>, numbers: readonly string[], units: UnitIndex, today: string): Promise<Map<string, PublicCertificate>> {
  const out = new Map<string, PublicCertificate>();
  const unique = [...new Set(numbers)];
  for (let i = 0; i < unique.length; i += 1000) {
    const rows = await certificateViewQuery(db).where('c.number', 'in', unique.slice(i, i + 1000)).execute();
    for (const r of rows) out.set(r.number, toPublic(r, units, today));
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Issue, renewal, revocation (the rules are in domain/issuance)

export interface IssueInput {
  evaluationId: number;
  number: string;
  decisionNumber: string;
  decisionDate: string;
  issuingBody: string;
  issuingLevel: 'district' | 'province' | 'national';
}

async function issuableEvaluation(trx: Db, input: IssueInput, now: Date): Promise<Evaluation> {
  const evaluation = await trx.selectFrom('evaluations').selectAll().where('id', '=', input.evaluationId).executeTakeFirst();
  if (!evaluation) throw new DomainError('unknown_evaluation', 'Unknown evaluation', 'Không tìm thấy kết quả đánh giá');
  const used = await trx.selectFrom('certificates').select('id').where('evaluation_id', '=', evaluation.id).executeTakeFirst();
  checkIssuable(evaluation, input, used, now);
  return evaluation;
}

async function insertCertificate(trx: Db, actor: Actor, input: IssueInput, evaluation: Evaluation, supersedesId: number | null): Promise<Certificate> {
  try {
    const row = await trx
      .insertInto('certificates')
      .values({
        number: input.number.trim().toUpperCase(),
        product_id: evaluation.product_id,
        evaluation_id: evaluation.id,
        stars: evaluation.stars,
        decision_number: input.decisionNumber.trim(),
        decision_date: input.decisionDate,
        issuing_body: input.issuingBody.trim(),
        issuing_level: input.issuingLevel,
        legal_basis_id: evaluation.legal_basis_id,
        valid_from: input.decisionDate,
        valid_until: validUntil(input.decisionDate),
        supersedes_id: supersedesId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, actor, { action: supersedesId ? 'certificate.renew' : 'certificate.issue', entity: 'certificate', entityId: row.id, after: row });
    return row;
  } catch (error) {
    if (pgErrorCode(error) === UNIQUE_VIOLATION) {
      const detail = String((error as { detail?: unknown; constraint_name?: unknown }).detail ?? (error as Error).message);
      if (detail.includes('number') || detail.includes('certificates_number')) {
        throw new DomainError('number_taken', `Certificate number ${input.number} is already used`, `Số giấy chứng nhận ${input.number} đã được dùng`);
      }
      throw new DomainError('already_certified', 'This product already has an active certificate: renew or revoke it first', 'Sản phẩm đã có giấy chứng nhận còn hiệu lực: hãy gia hạn hoặc thu hồi trước');
    }
    throw error;
  }
}

/** Issue a first certificate from an evaluation. The stars come from the evaluation, never from the form. */
export async function issueCertificate(db: Kysely<Database>, actor: Actor, input: IssueInput, now: Date): Promise<Certificate> {
  return db.transaction().execute(async (trx) => {
    const evaluation = await issuableEvaluation(trx, input, now);
    const active = await trx.selectFrom('certificates').select(['id', 'number']).where('product_id', '=', evaluation.product_id).where('status', '=', 'active').executeTakeFirst();
    checkFirstIssue(active);
    return insertCertificate(trx, actor, input, evaluation, null);
  });
}

/**
 * Renewal is a re-evaluation: the new certificate supersedes the old one, stars may rise
 * or fall, and both keep the link. A re-evaluation under 3 stars cannot renew: revoke
 * with the ground `failed_reevaluation` instead.
 */
export async function renewCertificate(db: Kysely<Database>, actor: Actor, previousId: number, input: IssueInput, now: Date): Promise<Certificate> {
  return db.transaction().execute(async (trx) => {
    const previous = await trx.selectFrom('certificates').selectAll().where('id', '=', previousId).forUpdate().executeTakeFirst();
    if (!previous) throw new DomainError('unknown_certificate', 'Unknown certificate', 'Không tìm thấy giấy chứng nhận');
    checkRenewable(previous);
    const evaluation = await issuableEvaluation(trx, input, now);
    checkRenewalProduct(evaluation.product_id, previous.product_id);
    const superseded = await trx
      .updateTable('certificates')
      .set({ status: 'superseded', superseded_at: now })
      .where('id', '=', previous.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, actor, { action: 'certificate.supersede', entity: 'certificate', entityId: previous.id, before: previous, after: superseded });
    return insertCertificate(trx, actor, input, evaluation, previous.id);
  });
}

export interface RevocationInput {
  decisionNumber: string;
  date: string;
  ground: RevocationGroundColumn;
  note?: string | null;
}

/** Revoke one or several certificates under one decision: all or none. Revocation is final. */
export async function revokeCertificates(db: Kysely<Database>, actor: Actor, ids: number[], input: RevocationInput, now: Date): Promise<Certificate[]> {
  checkRevocation(ids, input, now);
  return db.transaction().execute(async (trx) => {
    const out: Certificate[] = [];
    for (const id of [...new Set(ids)]) {
      const before = await trx.selectFrom('certificates').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!before) throw new DomainError('unknown_certificate', `Unknown certificate ${id}`, `Không tìm thấy giấy chứng nhận ${id}`);
      checkRevocable(before, input);
      const after = await trx
        .updateTable('certificates')
        .set({
          status: 'revoked',
          revocation_decision_number: input.decisionNumber.trim(),
          revocation_date: input.date,
          revocation_ground: input.ground,
          revocation_note: input.note?.trim() || null,
          revoked_by: actor.userId,
          revoked_at: now,
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await audit(trx, actor, { action: 'certificate.revoke', entity: 'certificate', entityId: id, before, after, reason: `${input.decisionNumber}: ${input.ground}${input.note ? ` — ${input.note}` : ''}` });
      out.push(after);
    }
    return out;
  });
}

// ---------------------------------------------------------------------------------------
// Lists and details for officials and producers, within their scope

export type StateFilter = 'valid' | 'expiring' | 'expired' | 'renewal_pending' | 'revoked' | 'superseded' | 'active';

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
  /** The day the open renewal file was received (renewals.ts), null when none is under review. */
  renewal_received_on: string | null;
  product_name: string;
  product_slug: string;
  producer_id: number;
  producer_name: string;
  group_vi: string | null;
  district_id: string | null;
  district_name: string | null;
}

function listBase(db: Kysely<Database>, scope: Scope) {
  return certificatesWithProducer(db)
    .leftJoin('product_groups as g', 'g.id', 'p.plan_group_id')
    .leftJoin('admin_units as au', 'au.id', 'pr.address_unit_id')
    .leftJoin('admin_units as ad', (j) => j.on(DISTRICT_OF_ADDRESS))
    .selectAll('c')
    .select(['p.name as product_name', 'p.slug as product_slug', 'pr.id as producer_id', 'pr.name as producer_name', 'g.name_vi as group_vi', 'ad.id as district_id', 'ad.name as district_name'])
    .select((eb) => renewalPendingSince(eb.ref('c.id')).as('renewal_received_on'))
    .where(producerInScope(scope));
}

/**
 * Certificates matching the filters. The derived state (valid, expiring, expired) is
 * computed from today's date in Vietnam exactly as certificateState does: the last valid
 * day is inclusive and "expiring" means fewer than 30 days left.
 */
export async function listCertificates(db: Kysely<Database>, scope: Scope, filter: CertificateFilter, now: Date, limit = 500): Promise<CertificateListRow[]> {
  const today = todayInVietnam(now);
  const noticeFrom = addDays(today, EXPIRY_NOTICE_DAYS);
  let q = listBase(db, scope);
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
    case 'renewal_pending':
      // Expired with a renewal file under review (a subset of `expired`).
      q = q.where('c.status', '=', 'active').where('c.valid_until', '<', today).where((eb) => hasOpenApplication(eb.ref('c.id')));
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
        // Certificate numbers are upper-case ASCII (a CHECK constraint); decision numbers
        // carry "QĐ", so they have a folded column like names.
        eb(sql<string>`lower(c.number)`, 'like', pattern),
        eb(sql<string>`c.search_decision`, 'like', pattern),
        eb(searchName('p'), 'like', pattern),
        eb(searchName('pr'), 'like', pattern),
      ]),
    );
  }
  return q.orderBy('c.valid_until').orderBy('c.id').limit(limit).execute();
}

export async function getCertificate(db: Kysely<Database>, scope: Scope, id: number): Promise<CertificateListRow | undefined> {
  return listBase(db, scope).where('c.id', '=', id).executeTakeFirst();
}

/** Certificates a renewal or a revocation may act on: the active ones, by number. */
export async function certificatesByIds(db: Kysely<Database>, scope: Scope, ids: number[]): Promise<CertificateListRow[]> {
  if (ids.length === 0) return [];
  return listBase(db, scope).where('c.id', 'in', ids).orderBy('c.number').execute();
}

/** One link of a product's renewal chain. */
export type ChainLink = Pick<Certificate, 'id' | 'number' | 'stars' | 'status' | 'valid_from' | 'valid_until' | 'supersedes_id' | 'decision_number'>;

/** Every certificate of a product, newest first: the renewal chain. */
export async function certificateChain(db: Kysely<Database>, productId: number): Promise<ChainLink[]> {
  return db
    .selectFrom('certificates')
    .select(['id', 'number', 'stars', 'status', 'valid_from', 'valid_until', 'supersedes_id', 'decision_number'])
    .where('product_id', '=', productId)
    .orderBy('valid_from', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export interface CertificateDetail {
  certificate: CertificateListRow;
  evaluation: Evaluation | undefined;
  /** Every certificate of the product, newest first: the renewal chain. */
  chain: ChainLink[];
  batches: BatchSummary[];
  scans: ScanSummary;
  audit: AuditRow[];
}

export async function certificateDetail(db: Kysely<Database>, scope: Scope, id: number): Promise<CertificateDetail | undefined> {
  const certificate = await getCertificate(db, scope, id);
  if (!certificate) return undefined;
  const evaluation = await db.selectFrom('evaluations').selectAll().where('id', '=', certificate.evaluation_id).executeTakeFirst();
  const chain = await certificateChain(db, certificate.product_id);
  const batches = await batchSummaries(db, [id]);
  const batchIds = batches.map((b) => b.id);
  const scans = await scanSummary(db, batchIds);
  const audit = await certificateAudit(db, certificate, batchIds);
  return { certificate, evaluation, chain, batches, scans, audit };
}

/** Certificates a batch may be issued under today (active, not expired), within scope. */
export async function batchableCertificates(db: Kysely<Database>, scope: Scope, now: Date): Promise<{ id: number; number: string; stars: number; product_name: string; producer_name: string; valid_until: string }[]> {
  return certificatesWithProducer(db)
    .select(['c.id', 'c.number', 'c.stars', 'p.name as product_name', 'pr.name as producer_name', 'c.valid_until'])
    .where('c.status', '=', 'active')
    .where('c.valid_until', '>=', todayInVietnam(now))
    .where(producerInScope(scope))
    .orderBy('pr.name')
    .orderBy('p.name')
    .execute();
}
