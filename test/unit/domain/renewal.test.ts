import { describe, expect, it } from 'vitest';
import { certificateState } from '../../../worker/domain/certificate-state';
import { checkRenewalApplication, checkRenewalRefusal, evaluationIneligibility, recognisingBody } from '../../../worker/domain/renewal';
import { certificateVerdict, warningsOf } from '../../../worker/public/verdict';
import { codeOf } from '../../helpers/domain-errors';

// Renewal pending (issue 11) and the eligibility told before a renewal form (issue 12).

const at = (date: string) => new Date(`${date}T12:00:00+07:00`);
const cert = { number: 'DN-OCOP-2023-001', status: 'active' as const, decision_date: '2023-05-10' };

describe('the renewal-pending state', () => {
  const dates = { status: 'active' as const, validFrom: '2023-05-10', validUntil: '2026-05-09' };

  it('is its own state once expired, with the days counted as for expired', () => {
    expect(certificateState({ ...dates, renewalPendingSince: '2026-04-01' }, at('2026-05-10'))).toEqual({ state: 'renewal_pending', daysLeft: -1, expired: true });
    expect(certificateState({ ...dates, renewalPendingSince: null }, at('2026-05-10')).state).toBe('expired');
  });

  it('does not show before expiry (valid or expiring as before), and never over revoked or superseded', () => {
    expect(certificateState({ ...dates, renewalPendingSince: '2026-04-01' }, at('2026-05-09')).state).toBe('expiring');
    expect(certificateState({ ...dates, renewalPendingSince: '2025-01-01' }, at('2025-02-01')).state).toBe('valid');
    expect(certificateState({ ...dates, status: 'revoked', renewalPendingSince: '2026-04-01' }, at('2026-06-01')).state).toBe('revoked');
    expect(certificateState({ ...dates, status: 'superseded', renewalPendingSince: '2026-04-01' }, at('2026-06-01')).state).toBe('superseded');
  });

  it('keeps the verdict `expired` (never genuine) and adds the renewal_pending warning beside certificate_expired', () => {
    const r = certificateVerdict({ ...dates, supersededBy: null, renewalPendingSince: '2026-04-01' }, at('2026-06-01'));
    expect(r).toMatchObject({ verdict: 'expired', state: 'renewal_pending', expiringSoon: false });
    expect(warningsOf(r, null)).toEqual(['certificate_expired', 'renewal_pending']);
    expect(warningsOf(r, { bestBefore: '2026-05-01', today: '2026-06-01' })).toEqual(['certificate_expired', 'renewal_pending', 'past_best_before']);
    const before = certificateVerdict({ ...dates, supersededBy: null, renewalPendingSince: '2026-04-01' }, at('2026-04-20'));
    expect(before.verdict).toBe('genuine');
    expect(warningsOf(before, null)).toEqual(['expiring_soon']);
  });
});

describe('recording a renewal file', () => {
  it('accepts a file for an active certificate, expired or not, dated from its decision to today', () => {
    expect(codeOf(() => checkRenewalApplication(cert, undefined, '2026-04-01', at('2026-06-01')))).toBeNull();
    expect(codeOf(() => checkRenewalApplication(cert, undefined, '2023-05-10', at('2023-05-10')))).toBeNull();
    expect(codeOf(() => checkRenewalApplication(cert, undefined, '2026-06-01', at('2026-06-01')))).toBeNull();
  });

  it('refuses a future day, a day before the decision, a second open file, and a revoked or superseded certificate', () => {
    expect(codeOf(() => checkRenewalApplication(cert, undefined, '2026-06-02', at('2026-06-01')))).toBe('future_date');
    expect(codeOf(() => checkRenewalApplication(cert, undefined, '2023-05-09', at('2026-06-01')))).toBe('received_before_issue');
    expect(codeOf(() => checkRenewalApplication(cert, { received_on: '2026-04-01' }, '2026-05-01', at('2026-06-01')))).toBe('renewal_already_received');
    expect(codeOf(() => checkRenewalApplication({ ...cert, status: 'revoked' }, undefined, '2026-05-01', at('2026-06-01')))).toBe('not_renewable');
    expect(codeOf(() => checkRenewalApplication({ ...cert, status: 'superseded' }, undefined, '2026-05-01', at('2026-06-01')))).toBe('not_renewable');
  });

  it('refuses a refusal without an open file, before the file, in the future, or on a certificate no longer active', () => {
    const open = { received_on: '2026-04-01' };
    expect(codeOf(() => checkRenewalRefusal(cert, open, '2026-04-01', at('2026-06-01')))).toBeNull();
    expect(codeOf(() => checkRenewalRefusal(cert, undefined, '2026-05-01', at('2026-06-01')))).toBe('renewal_not_pending');
    expect(codeOf(() => checkRenewalRefusal({ ...cert, status: 'superseded' }, open, '2026-05-01', at('2026-06-01')))).toBe('renewal_not_pending');
    expect(codeOf(() => checkRenewalRefusal(cert, open, '2026-03-31', at('2026-06-01')))).toBe('refusal_before_receipt');
    expect(codeOf(() => checkRenewalRefusal(cert, open, '2026-06-02', at('2026-06-01')))).toBe('future_date');
  });
});

describe('eligibility of a re-evaluation, told before the form', () => {
  it('names under-3-star, 5 stars from a non-national council and future evaluations; accepts the rest', () => {
    expect(evaluationIneligibility({ stars: 2, council_level: 'province', evaluated_on: '2026-01-01' }, '2026-06-01')?.vi).toContain('dưới 3 sao');
    expect(evaluationIneligibility({ stars: 5, council_level: 'province', evaluated_on: '2026-01-01' }, '2026-06-01')?.vi).toContain('trung ương');
    expect(evaluationIneligibility({ stars: 4, council_level: 'province', evaluated_on: '2026-06-02' }, '2026-06-01')?.en).toContain('future');
    expect(evaluationIneligibility({ stars: 3, council_level: 'province', evaluated_on: '2026-01-01' }, '2026-06-01')).toBeNull();
    expect(evaluationIneligibility({ stars: 5, council_level: 'national', evaluated_on: '2026-01-01' }, '2026-06-01')).toBeNull();
  });

  it('defaults the body by stars to those that exist since the 2025 merger', () => {
    expect(recognisingBody(4)).toEqual({ issuingBody: 'UBND tỉnh Đồng Nai', issuingLevel: 'province' });
    expect(recognisingBody(5)).toEqual({ issuingBody: 'Bộ Nông nghiệp và Môi trường', issuingLevel: 'national' });
  });
});
