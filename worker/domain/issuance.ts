import { mayRecognise } from './bodies';
import { canTransition, certificateState } from './certificate-state';
import { todayInVietnam, type IsoDate } from './dates';
import { DomainError } from './errors';
import { COUNCIL_LEVEL_LABELS, type CertificateStatus, type CouncilLevel } from './vocabulary';
import { evaluateStars, isCertifiable, type Stars, type StarsResult } from './stars';

// What may be issued, and when: an evaluation's result, a certificate from an evaluation
// (first issue or renewal), a revocation, a batch of package codes under a certificate.
// Pure: the query layer reads the rows, asks here, and writes inside its transaction.

export interface EvaluationScores {
  scoreA: number;
  scoreB: number;
  scoreC: number;
  /** Highest star level whose mandatory criteria are all met. */
  mandatoryLevel: Stars;
  evaluatedOn: IsoDate;
}

/** Stars follow the scores and the mandatory criteria; the date may not be in the future. */
export function evaluationResult(input: EvaluationScores, now: Date): StarsResult {
  const result = evaluateStars({ a: input.scoreA, b: input.scoreB, c: input.scoreC, mandatoryLevel: input.mandatoryLevel });
  if (input.evaluatedOn > todayInVietnam(now)) {
    throw new DomainError('future_date', 'Evaluation date is in the future', 'Ngày đánh giá không được ở tương lai');
  }
  return result;
}

/**
 * An evaluation may be corrected (a typing error in the scores) while no certificate rests
 * on it. Once one does, the evaluation is its record: a new result is a new evaluation.
 */
export function checkEvaluationCorrectable(usedBy: { number: string } | undefined): void {
  if (usedBy) {
    throw new DomainError('evaluation_used', `Certificate ${usedBy.number} rests on this evaluation: record a new evaluation instead`, `Giấy chứng nhận ${usedBy.number} đã dựa trên kết quả này: hãy nhập kết quả đánh giá mới`);
  }
}

/** The evaluation a certificate is issued from, as recorded. */
export interface IssuingEvaluation {
  stars: number;
  council_level: CouncilLevel;
  evaluated_on: IsoDate;
}

export interface IssuingDecision {
  issuingLevel: 'district' | 'province' | 'national';
  decisionDate: IsoDate;
}

/**
 * A certificate comes from an evaluation of 3 stars and up (5 only from a national
 * council), by a body allowed to recognise those stars on the decision date, decided
 * after the evaluation and not in the future, and each evaluation serves one certificate.
 */
export function checkIssuable(evaluation: IssuingEvaluation, input: IssuingDecision, used: { id: number } | undefined, now: Date): void {
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
  if (used) throw new DomainError('evaluation_used', 'This evaluation already has a certificate', 'Kết quả đánh giá này đã được dùng để cấp giấy chứng nhận');
}

/** A first certificate only for a product without an active one: otherwise it is a renewal. */
export function checkFirstIssue(active: { number: string } | undefined): void {
  if (active) {
    throw new DomainError('already_certified', `The product already has certificate ${active.number}: renew it instead`, `Sản phẩm đã có giấy chứng nhận ${active.number}: hãy dùng chức năng gia hạn`);
  }
}

/** Only an active certificate is renewed (it becomes superseded). */
export function checkRenewable(previous: { number: string; status: CertificateStatus }): void {
  if (!canTransition(previous.status, 'superseded')) {
    throw new DomainError('not_renewable', `Certificate ${previous.number} is ${previous.status} and cannot be renewed`, `Giấy chứng nhận ${previous.number} đã ${previous.status === 'revoked' ? 'bị thu hồi' : 'được thay thế'}, không thể gia hạn`);
  }
}

/** A renewal rests on a re-evaluation of the same product. */
export function checkRenewalProduct(evaluationProductId: number, previousProductId: number): void {
  if (evaluationProductId !== previousProductId) {
    throw new DomainError('other_product', 'The re-evaluation is for another product', 'Kết quả đánh giá lại thuộc sản phẩm khác');
  }
}

export interface RevocationDecision {
  date: IsoDate;
  ground: string;
  note?: string | null | undefined;
}

/** A revocation decision names at least one certificate, is not dated ahead, and explains "other". */
export function checkRevocation(ids: readonly number[], input: RevocationDecision, now: Date): void {
  if (ids.length === 0) throw new DomainError('nothing_selected', 'No certificate selected', 'Chưa chọn giấy chứng nhận nào');
  if (input.date > todayInVietnam(now)) {
    throw new DomainError('future_date', 'The revocation date is in the future', 'Ngày thu hồi không được ở tương lai');
  }
  if (input.ground === 'other' && !input.note?.trim()) {
    throw new DomainError('note_required', 'Ground "other" needs a note', 'Lý do khác cần ghi rõ nội dung');
  }
}

/** Each certificate revoked is still active and was decided on or before the revocation date. */
export function checkRevocable(before: { number: string; status: CertificateStatus; decision_date: IsoDate }, input: { date: IsoDate }): void {
  if (!canTransition(before.status, 'revoked')) {
    throw new DomainError('not_revocable', `Certificate ${before.number} is already ${before.status}`, `Giấy chứng nhận ${before.number} đã ${before.status === 'revoked' ? 'bị thu hồi' : 'được thay thế'}`);
  }
  if (input.date < before.decision_date) {
    throw new DomainError('revocation_before_issue', `Revocation date precedes certificate ${before.number}`, `Ngày thu hồi trước ngày cấp giấy chứng nhận ${before.number}`);
  }
}

export const MAX_BATCH_QUANTITY = 1_000_000;

export interface BatchFacts {
  productionDate: IsoDate;
  bestBefore: IsoDate | null;
  quantity: number;
}

/** 1 to 1,000,000 packages, produced by today, best before a day after production. */
export function checkBatch(input: BatchFacts, now: Date): void {
  if (!Number.isInteger(input.quantity) || input.quantity < 1 || input.quantity > MAX_BATCH_QUANTITY) {
    throw new DomainError('bad_quantity', 'Quantity must be 1 to 1,000,000', 'Số lượng phải từ 1 đến 1.000.000');
  }
  const today = todayInVietnam(now);
  if (input.productionDate > today) {
    throw new DomainError('future_date', 'The production date is in the future', 'Ngày sản xuất không được ở tương lai');
  }
  if (input.bestBefore !== null && input.bestBefore <= input.productionDate) {
    throw new DomainError('bad_best_before', 'Best-before must come after the production date', 'Hạn sử dụng phải sau ngày sản xuất');
  }
}

/** The certificate a batch is issued under, with its product's producer. */
export interface BatchCertificate {
  number: string;
  status: CertificateStatus;
  valid_from: IsoDate;
  valid_until: IsoDate;
  producer_id: number;
}

/**
 * Packages are labelled only under a certificate valid today, and a producer labels only
 * their own products (`producerId` null: an official, any producer).
 */
export function checkBatchable(cert: BatchCertificate, producerId: number | null, now: Date): void {
  if (producerId !== null && cert.producer_id !== producerId) {
    throw new DomainError('not_your_product', 'This certificate belongs to another producer', 'Giấy chứng nhận này thuộc chủ thể khác');
  }
  const { state } = certificateState({ status: cert.status, validFrom: cert.valid_from, validUntil: cert.valid_until }, now);
  if (state === 'revoked') throw new DomainError('certificate_revoked', `Certificate ${cert.number} is revoked`, `Giấy chứng nhận ${cert.number} đã bị thu hồi`);
  if (state === 'superseded') throw new DomainError('certificate_superseded', `Certificate ${cert.number} was replaced by a renewal: use the new one`, `Giấy chứng nhận ${cert.number} đã được thay bằng giấy mới: hãy dùng giấy mới`);
  if (state === 'expired') throw new DomainError('certificate_expired', `Certificate ${cert.number} expired on ${cert.valid_until}`, `Giấy chứng nhận ${cert.number} đã hết hạn ngày ${cert.valid_until}`);
}
