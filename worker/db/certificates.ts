import type { Kysely, Transaction } from 'kysely';
import type { Certificate, Database, Evaluation, RevocationGroundColumn } from '../../schema/database';
import { mayRecognise } from '../domain/bodies';
import { canTransition, certificateState } from '../domain/certificate-state';
import { todayInVietnam } from '../domain/dates';
import { DomainError } from '../domain/errors';
import { evaluateStars, isCertifiable, type Stars } from '../domain/stars';
import { validUntil } from '../domain/validity';
import { COUNCIL_LEVEL_LABELS, type CouncilLevel } from '../domain/vocabulary';
import { audit, type Actor } from './audit';
import { pgErrorCode, UNIQUE_VIOLATION } from './errors';

type Db = Kysely<Database> | Transaction<Database>;

export interface EvaluationInput {
  productId: number;
  scoreA: number;
  scoreB: number;
  scoreC: number;
  /** Highest star level whose mandatory criteria are all met. */
  mandatoryLevel: Stars;
  councilLevel: CouncilLevel;
  evaluatedOn: string;
  legalBasisId: string;
  note?: string | null;
}

/**
 * The evaluation's columns from its input: stars follow the scores and the mandatory
 * criteria, and the date may not be in the future. Shared by create and correction.
 */
export function evaluationColumns(input: EvaluationInput, now: Date) {
  const { total, stars } = evaluateStars({ a: input.scoreA, b: input.scoreB, c: input.scoreC, mandatoryLevel: input.mandatoryLevel });
  if (input.evaluatedOn > todayInVietnam(now)) {
    throw new DomainError('future_date', 'Evaluation date is in the future', 'Ngày đánh giá không được ở tương lai');
  }
  return {
    product_id: input.productId,
    score_a: input.scoreA,
    score_b: input.scoreB,
    score_c: input.scoreC,
    total,
    mandatory_level: input.mandatoryLevel,
    stars,
    council_level: input.councilLevel,
    evaluated_on: input.evaluatedOn,
    legal_basis_id: input.legalBasisId,
    note: input.note ?? null,
  };
}

export async function createEvaluation(db: Kysely<Database>, actor: Actor, input: EvaluationInput, now: Date): Promise<Evaluation> {
  const columns = evaluationColumns(input, now);
  return db.transaction().execute(async (trx) => {
    const product = await trx.selectFrom('products').select(['id']).where('id', '=', input.productId).executeTakeFirst();
    if (!product) throw new DomainError('unknown_product', 'Unknown product', 'Không tìm thấy sản phẩm');
    const row = await trx
      .insertInto('evaluations')
      .values({ ...columns, created_by: actor.userId })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, actor, { action: 'evaluation.create', entity: 'evaluation', entityId: row.id, after: row });
    return row;
  });
}

export interface IssueInput {
  evaluationId: number;
  number: string;
  decisionNumber: string;
  decisionDate: string;
  issuingBody: string;
  issuingLevel: 'district' | 'province' | 'national';
}

async function checkIssuable(trx: Db, input: IssueInput, now: Date): Promise<Evaluation> {
  const evaluation = await trx.selectFrom('evaluations').selectAll().where('id', '=', input.evaluationId).executeTakeFirst();
  if (!evaluation) throw new DomainError('unknown_evaluation', 'Unknown evaluation', 'Không tìm thấy kết quả đánh giá');
  const stars = evaluation.stars as Stars;
  if (!isCertifiable(stars)) {
    throw new DomainError('not_certifiable', `A ${stars}-star product gets no certificate (3 stars and up only)`, `Sản phẩm ${stars} sao không được cấp giấy chứng nhận (chỉ từ 3 sao)`);
  }
  if (stars === 5 && evaluation.council_level !== 'national') {
    throw new DomainError('five_star_national_only', '5 stars come only from a national-level evaluation', 'Sản phẩm 5 sao chỉ do Hội đồng cấp trung ương đánh giá');
  }
  if (!mayRecognise(input.issuingLevel, stars, input.decisionDate)) {
    const level = COUNCIL_LEVEL_LABELS[input.issuingLevel];
    throw new DomainError('body_not_allowed', `${level.en} level cannot recognise ${stars} stars on ${input.decisionDate}`, `${level.vi} không có thẩm quyền công nhận sản phẩm ${stars} sao vào ngày ${input.decisionDate}`);
  }
  if (input.decisionDate > todayInVietnam(now)) {
    throw new DomainError('future_date', 'The decision date is in the future', 'Ngày quyết định không được ở tương lai');
  }
  if (input.decisionDate < evaluation.evaluated_on) {
    throw new DomainError('decision_before_evaluation', 'The decision predates the evaluation', 'Ngày quyết định trước ngày đánh giá');
  }
  const used = await trx.selectFrom('certificates').select('id').where('evaluation_id', '=', evaluation.id).executeTakeFirst();
  if (used) throw new DomainError('evaluation_used', 'This evaluation already has a certificate', 'Kết quả đánh giá này đã được dùng để cấp giấy chứng nhận');
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
    const evaluation = await checkIssuable(trx, input, now);
    const active = await trx.selectFrom('certificates').select(['id', 'number']).where('product_id', '=', evaluation.product_id).where('status', '=', 'active').executeTakeFirst();
    if (active) {
      throw new DomainError('already_certified', `The product already has certificate ${active.number}: renew it instead`, `Sản phẩm đã có giấy chứng nhận ${active.number}: hãy dùng chức năng gia hạn`);
    }
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
    if (!canTransition(previous.status, 'superseded')) {
      throw new DomainError('not_renewable', `Certificate ${previous.number} is ${previous.status} and cannot be renewed`, `Giấy chứng nhận ${previous.number} đã ${previous.status === 'revoked' ? 'bị thu hồi' : 'được thay thế'}, không thể gia hạn`);
    }
    const evaluation = await checkIssuable(trx, input, now);
    if (evaluation.product_id !== previous.product_id) {
      throw new DomainError('other_product', 'The re-evaluation is for another product', 'Kết quả đánh giá lại thuộc sản phẩm khác');
    }
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
  if (ids.length === 0) throw new DomainError('nothing_selected', 'No certificate selected', 'Chưa chọn giấy chứng nhận nào');
  if (input.date > todayInVietnam(now)) {
    throw new DomainError('future_date', 'The revocation date is in the future', 'Ngày thu hồi không được ở tương lai');
  }
  if (input.ground === 'other' && !input.note?.trim()) {
    throw new DomainError('note_required', 'Ground "other" needs a note', 'Lý do khác cần ghi rõ nội dung');
  }
  return db.transaction().execute(async (trx) => {
    const out: Certificate[] = [];
    for (const id of [...new Set(ids)]) {
      const before = await trx.selectFrom('certificates').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!before) throw new DomainError('unknown_certificate', `Unknown certificate ${id}`, `Không tìm thấy giấy chứng nhận ${id}`);
      if (!canTransition(before.status, 'revoked')) {
        throw new DomainError('not_revocable', `Certificate ${before.number} is already ${before.status}`, `Giấy chứng nhận ${before.number} đã ${before.status === 'revoked' ? 'bị thu hồi' : 'được thay thế'}`);
      }
      if (input.date < before.decision_date) {
        throw new DomainError('revocation_before_issue', `Revocation date precedes certificate ${before.number}`, `Ngày thu hồi trước ngày cấp giấy chứng nhận ${before.number}`);
      }
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

export { certificateState };
