import { daysBetween, todayInVietnam, type IsoDate } from './dates';
import { DomainError } from './errors';
import { EXPIRY_NOTICE_DAYS } from './validity';
import { CERTIFICATE_STATUSES, type CertificateStatus } from './vocabulary';

type Label = { vi: string; en: string };

/** What a reader is told. */
export type CertificateState = 'valid' | 'expiring' | 'expired' | 'renewal_pending' | 'revoked' | 'superseded';

export interface CertificateDates {
  status: CertificateStatus;
  validFrom: IsoDate;
  validUntil: IsoDate;
  /**
   * The day a re-evaluation file was received, while no renewal or refusal has followed
   * (worker/domain/renewal.ts). Changes the state only once the certificate has expired.
   */
  renewalPendingSince?: IsoDate | null;
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
  // An expired certificate whose renewal file is under review is its own state: still not
  // in force, but the shopper is told a decision is awaited, and since when.
  else if (expired) state = cert.renewalPendingSince ? 'renewal_pending' : 'expired';
  else if (daysLeft < EXPIRY_NOTICE_DAYS) state = 'expiring';
  else state = 'valid';
  return { state, daysLeft, expired };
}

/** Revoked and superseded are final; a correction is issued as a new certificate. */
export function canTransition(from: CertificateStatus, to: CertificateStatus): boolean {
  return from === 'active' && (to === 'revoked' || to === 'superseded');
}

export const STATE_LABELS: Record<CertificateState, Label> = {
  valid: { vi: 'Còn hiệu lực', en: 'Valid' },
  expiring: { vi: 'Sắp hết hạn', en: 'Expiring soon' },
  expired: { vi: 'Hết hạn', en: 'Expired' },
  renewal_pending: { vi: 'Hết hạn — đang xét gia hạn', en: 'Expired — renewal under review' },
  revoked: { vi: 'Đã bị thu hồi', en: 'Revoked' },
  superseded: { vi: 'Đã được thay thế', en: 'Superseded' },
};
