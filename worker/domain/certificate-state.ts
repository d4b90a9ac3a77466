import { daysBetween, todayInVietnam, type IsoDate } from './dates';
import { DomainError } from './errors';
import { EXPIRY_NOTICE_DAYS } from './validity';

export { COUNCIL_LEVEL_LABELS } from './bodies';

type Label = { vi: string; en: string };

/** What the database stores. "Expired" is derived from the dates on every read, never stored. */
export type CertificateStatus = 'active' | 'revoked' | 'superseded';

export const CERTIFICATE_STATUSES: readonly CertificateStatus[] = ['active', 'revoked', 'superseded'] as const;

/** What a reader is told. */
export type CertificateState = 'valid' | 'expiring' | 'expired' | 'revoked' | 'superseded';

export interface CertificateDates {
  status: CertificateStatus;
  validFrom: IsoDate;
  validUntil: IsoDate;
}

export interface CertificateStateResult {
  state: CertificateState;
  /**
   * validUntil − today in days (Vietnam calendar). 0 means today is the last valid day;
   * negative means expired that many days ago. Always reported, also for revoked/superseded.
   */
  daysLeft: number;
  /** Whether the dates have passed, independent of status. */
  expired: boolean;
}

/**
 * State of a certificate at `now`. Revoked wins over everything; superseded is reported as such
 * but `expired` still says whether its own period is over. A future `validFrom` is reported by
 * its end date like any other (decisions are not future-dated in practice; that is validated
 * where certificates are created, not here).
 */
export function certificateState(cert: CertificateDates, now: Date): CertificateStateResult {
  // daysBetween validates both dates.
  if (daysBetween(cert.validFrom, cert.validUntil) < 0) {
    throw new DomainError(
      'invalid_validity_period',
      `Certificate validity ends (${cert.validUntil}) before it starts (${cert.validFrom})`,
      `Thời hạn hiệu lực của giấy chứng nhận kết thúc (${cert.validUntil}) trước khi bắt đầu (${cert.validFrom})`,
    );
  }
  if (!CERTIFICATE_STATUSES.includes(cert.status)) {
    throw new DomainError('invalid_status', `Unknown certificate status: ${String(cert.status)}`, `Trạng thái giấy chứng nhận không xác định: ${String(cert.status)}`);
  }
  const daysLeft = daysBetween(todayInVietnam(now), cert.validUntil);
  const expired = daysLeft < 0;
  let state: CertificateState;
  if (cert.status === 'revoked') state = 'revoked';
  else if (cert.status === 'superseded') state = 'superseded';
  else if (expired) state = 'expired';
  else if (daysLeft < EXPIRY_NOTICE_DAYS) state = 'expiring';
  else state = 'valid';
  return { state, daysLeft, expired };
}

/** Revoked and superseded are final; a correction is issued as a new certificate. */
export function canTransition(from: CertificateStatus, to: CertificateStatus): boolean {
  return from === 'active' && (to === 'revoked' || to === 'superseded');
}

export const REVOCATION_GROUNDS = [
  'expired_not_reevaluated',
  'failed_reevaluation',
  'not_certified_process',
  'food_safety_violation',
  'no_quality_records',
  'production_stopped',
  'other',
] as const;

export type RevocationGround = (typeof REVOCATION_GROUNDS)[number];

export function isRevocationGround(s: unknown): s is RevocationGround {
  return typeof s === 'string' && (REVOCATION_GROUNDS as readonly string[]).includes(s);
}

export const REVOCATION_GROUND_LABELS: Record<RevocationGround, Label> = {
  expired_not_reevaluated: { vi: 'Hết hạn mà không đánh giá lại', en: 'Expired without re-evaluation' },
  failed_reevaluation: { vi: 'Không đạt khi đánh giá lại', en: 'Failed re-evaluation' },
  not_certified_process: { vi: 'Không sản xuất theo quy trình đã được công nhận', en: 'Not produced to the certified process' },
  food_safety_violation: { vi: 'Vi phạm an toàn thực phẩm', en: 'Food-safety violation' },
  no_quality_records: { vi: 'Không có hồ sơ chất lượng, truy xuất nguồn gốc', en: 'No quality or traceability records' },
  production_stopped: { vi: 'Ngừng sản xuất', en: 'Production stopped' },
  other: { vi: 'Lý do khác', en: 'Other reason' },
};

export const STATE_LABELS: Record<CertificateState, Label> = {
  valid: { vi: 'Còn hiệu lực', en: 'Valid' },
  expiring: { vi: 'Sắp hết hạn', en: 'Expiring soon' },
  expired: { vi: 'Hết hạn', en: 'Expired' },
  revoked: { vi: 'Đã bị thu hồi', en: 'Revoked' },
  superseded: { vi: 'Đã được thay thế', en: 'Superseded' },
};

export const LEGAL_FORMS = ['doanh_nghiep', 'hop_tac_xa', 'to_hop_tac', 'ho_kinh_doanh'] as const;

export type LegalForm = (typeof LEGAL_FORMS)[number];

export function isLegalForm(s: unknown): s is LegalForm {
  return typeof s === 'string' && (LEGAL_FORMS as readonly string[]).includes(s);
}

export const LEGAL_FORM_LABELS: Record<LegalForm, Label> = {
  doanh_nghiep: { vi: 'Doanh nghiệp', en: 'Enterprise' },
  hop_tac_xa: { vi: 'Hợp tác xã', en: 'Cooperative' },
  to_hop_tac: { vi: 'Tổ hợp tác', en: 'Cooperative group' },
  ho_kinh_doanh: { vi: 'Hộ kinh doanh', en: 'Household business' },
};
