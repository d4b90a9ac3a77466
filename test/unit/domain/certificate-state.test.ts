import { describe, expect, it } from 'vitest';
import { canTransition, certificateState, STATE_LABELS } from '../../../worker/domain/certificate-state';
import { DomainError } from '../../../worker/domain/errors';
import { CERTIFICATE_STATUSES, type CertificateStatus, COUNCIL_LEVEL_LABELS, isLegalForm, isRevocationGround, LEGAL_FORM_LABELS, LEGAL_FORMS, REVOCATION_GROUND_LABELS, REVOCATION_GROUNDS } from '../../../worker/domain/vocabulary';

const cert = { status: 'active' as CertificateStatus, validFrom: '2023-05-10', validUntil: '2026-05-09' };
/** Noon in Vietnam on the given date. */
const at = (date: string) => new Date(`${date}T12:00:00+07:00`);

describe('certificateState', () => {
  it('valid while more than 30 days remain', () => {
    expect(certificateState(cert, at('2023-05-10'))).toEqual({ state: 'valid', daysLeft: 1095, expired: false });
    expect(certificateState(cert, at('2026-04-08'))).toEqual({ state: 'valid', daysLeft: 31, expired: false });
    expect(certificateState(cert, at('2026-04-09'))).toEqual({ state: 'valid', daysLeft: 30, expired: false });
  });

  it('expiring in the last 30 days, including the last day (daysLeft 0)', () => {
    expect(certificateState(cert, at('2026-04-10'))).toEqual({ state: 'expiring', daysLeft: 29, expired: false });
    expect(certificateState(cert, at('2026-05-09'))).toEqual({ state: 'expiring', daysLeft: 0, expired: false });
  });

  it('expired the day after validUntil; daysLeft goes negative', () => {
    expect(certificateState(cert, at('2026-05-10'))).toEqual({ state: 'expired', daysLeft: -1, expired: true });
    expect(certificateState(cert, at('2030-01-01')).state).toBe('expired');
  });

  it('switches at midnight Vietnam time, not UTC', () => {
    expect(certificateState(cert, new Date('2026-05-09T16:59:59Z')).state).toBe('expiring');
    expect(certificateState(cert, new Date('2026-05-09T17:00:00Z')).state).toBe('expired');
  });

  it('revoked wins over everything, but expired still reflects the dates', () => {
    const revoked = { ...cert, status: 'revoked' as const };
    expect(certificateState(revoked, at('2024-01-01'))).toEqual({ state: 'revoked', daysLeft: 859, expired: false });
    expect(certificateState(revoked, at('2026-05-01')).state).toBe('revoked');
    expect(certificateState(revoked, at('2027-01-01'))).toMatchObject({ state: 'revoked', expired: true });
  });

  it('superseded is reported as such; expired tells whether its own period passed', () => {
    const sup = { ...cert, status: 'superseded' as const };
    expect(certificateState(sup, at('2025-01-01'))).toMatchObject({ state: 'superseded', expired: false });
    expect(certificateState(sup, at('2027-01-01'))).toMatchObject({ state: 'superseded', expired: true });
  });

  it('a future validFrom is judged by its end date only (documented simplification)', () => {
    expect(certificateState(cert, at('2023-01-01')).state).toBe('valid');
  });

  it('rejects impossible or inverted dates, unknown status and invalid instants', () => {
    expect(() => certificateState({ ...cert, validUntil: '2026-02-30' }, at('2024-01-01'))).toThrow(DomainError);
    expect(() => certificateState({ ...cert, validFrom: '10/05/2023' }, at('2024-01-01'))).toThrow(DomainError);
    expect(() => certificateState({ ...cert, validFrom: '2026-05-10' }, at('2024-01-01'))).toThrow(DomainError);
    expect(() => certificateState({ ...cert, status: 'expired' as CertificateStatus }, at('2024-01-01'))).toThrow(DomainError);
    expect(() => certificateState(cert, new Date(Number.NaN))).toThrow(DomainError);
  });

  it('a one-day certificate is valid that day only', () => {
    const one = { status: 'active' as const, validFrom: '2025-01-01', validUntil: '2025-01-01' };
    expect(certificateState(one, at('2025-01-01'))).toEqual({ state: 'expiring', daysLeft: 0, expired: false });
    expect(certificateState(one, at('2025-01-02')).expired).toBe(true);
  });
});

describe('canTransition', () => {
  it('only active → revoked and active → superseded', () => {
    const allowed: string[] = [];
    for (const from of CERTIFICATE_STATUSES) {
      for (const to of CERTIFICATE_STATUSES) if (canTransition(from, to)) allowed.push(`${from}→${to}`);
    }
    expect(allowed.sort()).toEqual(['active→revoked', 'active→superseded']);
  });

  it('revoked and superseded are final, and nothing goes back to active', () => {
    expect(canTransition('revoked', 'active')).toBe(false);
    expect(canTransition('superseded', 'active')).toBe(false);
    expect(canTransition('revoked', 'superseded')).toBe(false);
    expect(canTransition('active', 'active')).toBe(false);
  });
});

describe('codes and labels', () => {
  it('revocation grounds are the legal reasons, each with Vietnamese and English labels', () => {
    // The seven grounds the rules name (DESIGN.md), in that order, by their English labels.
    expect(REVOCATION_GROUNDS.map((g) => REVOCATION_GROUND_LABELS[g].en)).toEqual([
      'Expired without re-evaluation', 'Failed re-evaluation', 'Not produced to the certified process', 'Food-safety violation',
      'No quality or traceability records', 'Production stopped', 'Other reason',
    ]);
    expect(Object.keys(REVOCATION_GROUND_LABELS).sort()).toEqual([...REVOCATION_GROUNDS].sort());
    expect(REVOCATION_GROUND_LABELS.expired_not_reevaluated.vi).toBe('Hết hạn mà không đánh giá lại');
    expect(REVOCATION_GROUND_LABELS.food_safety_violation.vi).toBe('Vi phạm an toàn thực phẩm');
    expect(REVOCATION_GROUND_LABELS.no_quality_records.vi).toBe('Không có hồ sơ chất lượng, truy xuất nguồn gốc');
    expect(isRevocationGround('other')).toBe(true);
    expect(isRevocationGround('bored')).toBe(false);
    expect(isRevocationGround(undefined)).toBe(false);
  });

  it('legal forms', () => {
    expect(LEGAL_FORMS).toEqual(['doanh_nghiep', 'hop_tac_xa', 'to_hop_tac', 'ho_kinh_doanh']);
    expect(LEGAL_FORM_LABELS.hop_tac_xa.vi).toBe('Hợp tác xã');
    expect(LEGAL_FORM_LABELS.ho_kinh_doanh.vi).toBe('Hộ kinh doanh');
    expect(isLegalForm('to_hop_tac')).toBe(true);
    expect(isLegalForm('cong_ty')).toBe(false);
  });

  it('every label set is complete and non-empty in both languages', () => {
    expect(Object.keys(STATE_LABELS).sort()).toEqual(['expired', 'expiring', 'renewal_pending', 'revoked', 'superseded', 'valid']);
    for (const set of [STATE_LABELS, REVOCATION_GROUND_LABELS, LEGAL_FORM_LABELS, COUNCIL_LEVEL_LABELS]) {
      for (const { vi, en } of Object.values(set)) {
        expect(vi.trim()).not.toBe('');
        expect(en.trim()).not.toBe('');
      }
    }
    expect(STATE_LABELS.revoked.vi).toBe('Đã bị thu hồi');
  });
});
