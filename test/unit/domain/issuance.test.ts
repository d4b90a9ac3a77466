import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../worker/domain/errors';
import {
  checkBatch,
  checkBatchable,
  checkEvaluationCorrectable,
  checkFirstIssue,
  checkIssuable,
  checkRenewable,
  checkRenewalProduct,
  checkRevocable,
  checkRevocation,
  evaluationResult,
  MAX_BATCH_QUANTITY,
} from '../../../worker/domain/issuance';
import { codeOf } from '../../helpers/domain-errors';

// 10:00 in Vietnam on 15 June 2026.
const NOW = new Date('2026-06-15T03:00:00Z');

describe('evaluationResult', () => {
  const scores = { scoreA: 30, scoreB: 20, scoreC: 25, mandatoryLevel: 4 as const, evaluatedOn: '2026-06-15' };

  it('rates the scores, capped by the mandatory level, on or before today', () => {
    expect(evaluationResult(scores, NOW)).toEqual({ total: 75, stars: 4 });
    expect(evaluationResult({ ...scores, mandatoryLevel: 3 }, NOW)).toEqual({ total: 75, stars: 3 });
  });

  it('refuses a date after today in Vietnam', () => {
    expect(codeOf(() => evaluationResult({ ...scores, evaluatedOn: '2026-06-16' }, NOW))).toBe('future_date');
    // 23:30 UTC on the 15th is already the 16th in Vietnam.
    expect(codeOf(() => evaluationResult({ ...scores, evaluatedOn: '2026-06-16' }, new Date('2026-06-15T23:30:00Z')))).toBeNull();
  });

  it('refuses scores out of range before looking at the date', () => {
    expect(codeOf(() => evaluationResult({ ...scores, scoreA: 41, evaluatedOn: '2030-01-01' }, NOW))).not.toBe('future_date');
  });
});

describe('checkEvaluationCorrectable', () => {
  it('allows a correction until a certificate rests on the evaluation', () => {
    expect(codeOf(() => checkEvaluationCorrectable(undefined))).toBeNull();
    const error = (() => {
      try {
        checkEvaluationCorrectable({ number: 'BP-OCOP-2024-001' });
      } catch (e) {
        return e as DomainError;
      }
      return null;
    })();
    expect(error?.code).toBe('evaluation_used');
    expect(error?.message).toContain('BP-OCOP-2024-001');
    expect(error?.messageVi).toContain('BP-OCOP-2024-001');
  });
});

describe('checkIssuable', () => {
  const evaluation = { stars: 4, council_level: 'province' as const, evaluated_on: '2026-05-01' };
  const decision = { issuingLevel: 'province' as const, decisionDate: '2026-06-01' };

  it('accepts a 3-4★ provincial evaluation decided after it', () => {
    expect(codeOf(() => checkIssuable(evaluation, decision, undefined, NOW))).toBeNull();
    expect(codeOf(() => checkIssuable({ ...evaluation, stars: 3 }, { ...decision, decisionDate: '2026-05-01' }, undefined, NOW))).toBeNull();
  });

  it('gives no certificate under 3 stars', () => {
    expect(codeOf(() => checkIssuable({ ...evaluation, stars: 2 }, decision, undefined, NOW))).toBe('not_certifiable');
  });

  it('takes 5 stars only from a national council, recognised nationally', () => {
    expect(codeOf(() => checkIssuable({ ...evaluation, stars: 5 }, { ...decision, issuingLevel: 'national' }, undefined, NOW))).toBe('five_star_national_only');
    expect(codeOf(() => checkIssuable({ ...evaluation, stars: 5, council_level: 'national' }, decision, undefined, NOW))).toBe('body_not_allowed');
    expect(codeOf(() => checkIssuable({ ...evaluation, stars: 5, council_level: 'national' }, { ...decision, issuingLevel: 'national' }, undefined, NOW))).toBeNull();
  });

  it('lets a district recognise 3 stars only before the district step ended', () => {
    const three = { ...evaluation, stars: 3, evaluated_on: '2025-01-10' };
    expect(codeOf(() => checkIssuable(three, { issuingLevel: 'district', decisionDate: '2025-07-05' }, undefined, NOW))).toBeNull();
    expect(codeOf(() => checkIssuable(three, { issuingLevel: 'district', decisionDate: '2025-07-06' }, undefined, NOW))).toBe('body_not_allowed');
  });

  it('names the level in both languages when the body may not recognise', () => {
    try {
      checkIssuable(evaluation, { ...decision, issuingLevel: 'national' }, undefined, NOW);
      expect.unreachable();
    } catch (e) {
      expect((e as DomainError).message).toBe('National (Ministry) level cannot recognise 4 stars on 2026-06-01');
      expect((e as DomainError).messageVi).toBe('Trung ương (Bộ) không có thẩm quyền công nhận sản phẩm 4 sao vào ngày 2026-06-01');
    }
  });

  it('refuses a decision dated ahead or before the evaluation', () => {
    expect(codeOf(() => checkIssuable(evaluation, { ...decision, decisionDate: '2026-06-16' }, undefined, NOW))).toBe('future_date');
    expect(codeOf(() => checkIssuable(evaluation, { ...decision, decisionDate: '2026-04-30' }, undefined, NOW))).toBe('decision_before_evaluation');
  });

  it('uses an evaluation for one certificate only, checked after the other rules', () => {
    expect(codeOf(() => checkIssuable(evaluation, decision, { id: 7 }, NOW))).toBe('evaluation_used');
    expect(codeOf(() => checkIssuable({ ...evaluation, stars: 2 }, decision, { id: 7 }, NOW))).toBe('not_certifiable');
  });
});

describe('first issue and renewal', () => {
  it('issues a first certificate only to a product without an active one', () => {
    expect(codeOf(() => checkFirstIssue(undefined))).toBeNull();
    expect(codeOf(() => checkFirstIssue({ number: 'BP-OCOP-2024-001' }))).toBe('already_certified');
  });

  it('renews only an active certificate', () => {
    expect(codeOf(() => checkRenewable({ number: 'A-1', status: 'active' }))).toBeNull();
    expect(codeOf(() => checkRenewable({ number: 'A-1', status: 'revoked' }))).toBe('not_renewable');
    expect(codeOf(() => checkRenewable({ number: 'A-1', status: 'superseded' }))).toBe('not_renewable');
  });

  it('says in Vietnamese why a certificate cannot be renewed', () => {
    const vi = (status: 'revoked' | 'superseded') => {
      try {
        checkRenewable({ number: 'A-1', status });
      } catch (e) {
        return (e as DomainError).messageVi;
      }
      return null;
    };
    expect(vi('revoked')).toContain('bị thu hồi');
    expect(vi('superseded')).toContain('được thay thế');
  });

  it('renews from a re-evaluation of the same product', () => {
    expect(codeOf(() => checkRenewalProduct(3, 3))).toBeNull();
    expect(codeOf(() => checkRenewalProduct(3, 4))).toBe('other_product');
  });
});

describe('revocation', () => {
  const decision = { date: '2026-06-10', ground: 'failed_reevaluation' };

  it('needs at least one certificate, a date not ahead, and a note for "other"', () => {
    expect(codeOf(() => checkRevocation([1, 2], decision, NOW))).toBeNull();
    expect(codeOf(() => checkRevocation([], decision, NOW))).toBe('nothing_selected');
    expect(codeOf(() => checkRevocation([1], { ...decision, date: '2026-06-16' }, NOW))).toBe('future_date');
    expect(codeOf(() => checkRevocation([1], { ...decision, ground: 'other', note: '  ' }, NOW))).toBe('note_required');
    expect(codeOf(() => checkRevocation([1], { ...decision, ground: 'other', note: 'Bao bì sai' }, NOW))).toBeNull();
  });

  it('revokes an active certificate, not before its decision', () => {
    const cert = { number: 'A-1', status: 'active' as const, decision_date: '2026-01-05' };
    expect(codeOf(() => checkRevocable(cert, { date: '2026-01-05' }))).toBeNull();
    expect(codeOf(() => checkRevocable(cert, { date: '2026-01-04' }))).toBe('revocation_before_issue');
    expect(codeOf(() => checkRevocable({ ...cert, status: 'revoked' }, { date: '2026-06-01' }))).toBe('not_revocable');
    expect(codeOf(() => checkRevocable({ ...cert, status: 'superseded' }, { date: '2026-06-01' }))).toBe('not_revocable');
  });
});

describe('batches', () => {
  const batch = { productionDate: '2026-06-01', bestBefore: '2027-06-01', quantity: 500 };

  it('takes 1 to 1,000,000 whole packages', () => {
    expect(codeOf(() => checkBatch({ ...batch, quantity: 1 }, NOW))).toBeNull();
    expect(codeOf(() => checkBatch({ ...batch, quantity: MAX_BATCH_QUANTITY }, NOW))).toBeNull();
    for (const quantity of [0, -1, 1.5, MAX_BATCH_QUANTITY + 1, Number.NaN]) {
      expect(codeOf(() => checkBatch({ ...batch, quantity }, NOW))).toBe('bad_quantity');
    }
  });

  it('refuses a production date ahead and a best-before not after production', () => {
    expect(codeOf(() => checkBatch({ ...batch, productionDate: '2026-06-16' }, NOW))).toBe('future_date');
    expect(codeOf(() => checkBatch({ ...batch, bestBefore: '2026-06-01' }, NOW))).toBe('bad_best_before');
    expect(codeOf(() => checkBatch({ ...batch, bestBefore: null }, NOW))).toBeNull();
  });

  const cert = { number: 'A-1', status: 'active' as const, valid_from: '2024-01-01', valid_until: '2026-12-31', producer_id: 9 };

  it('labels packages under a certificate valid today, its last day included', () => {
    expect(codeOf(() => checkBatchable(cert, null, NOW))).toBeNull();
    expect(codeOf(() => checkBatchable({ ...cert, valid_until: '2026-06-15' }, null, NOW))).toBeNull();
    expect(codeOf(() => checkBatchable({ ...cert, valid_until: '2026-06-14' }, null, NOW))).toBe('certificate_expired');
    expect(codeOf(() => checkBatchable({ ...cert, status: 'revoked' }, null, NOW))).toBe('certificate_revoked');
    expect(codeOf(() => checkBatchable({ ...cert, status: 'superseded' }, null, NOW))).toBe('certificate_superseded');
  });

  it('lets a producer label only their own products', () => {
    expect(codeOf(() => checkBatchable(cert, 9, NOW))).toBeNull();
    expect(codeOf(() => checkBatchable(cert, 10, NOW))).toBe('not_your_product');
    // Ownership is told before the state, so a producer learns nothing of others' certificates.
    expect(codeOf(() => checkBatchable({ ...cert, status: 'revoked' }, 10, NOW))).toBe('not_your_product');
  });
});
