import { mayRecognise } from './bodies';
import { todayInVietnam, type IsoDate } from './dates';
import { DomainError } from './errors';
import { isCertifiable, type Stars } from './stars';
import type { CertificateStatus, CouncilLevel } from './vocabulary';

// Renewal applications (issue 11) and the eligibility of a re-evaluation for a renewal
// (issue 12). Pure: worker/db/renewals.ts reads the rows, asks here, and writes inside its
// transaction.
//
// Rules:
// - A file may be received for an `active` certificate only (a revoked one is final; a
//   superseded one has been renewed), expired or not: producers file before expiry, and a
//   not-yet-expired certificate stays "valid" to the public (the note shows in admin only).
// - The day received is not in the future and not before the certificate's decision.
// - One open application per certificate; a refusal closes it (dated on or after receipt,
//   not in the future), after which a new file may be received.
// - Pending ends by itself when the renewal is issued (the certificate becomes superseded).

export interface ApplicationCertificate {
  number: string;
  status: CertificateStatus;
  decision_date: IsoDate;
}

export function checkRenewalApplication(cert: ApplicationCertificate, open: { received_on: IsoDate } | undefined, receivedOn: IsoDate, now: Date): void {
  if (cert.status !== 'active') {
    throw new DomainError(
      'not_renewable',
      `Certificate ${cert.number} is ${cert.status}: no renewal file can be received`,
      `Giấy chứng nhận ${cert.number} đã ${cert.status === 'revoked' ? 'bị thu hồi' : 'được thay thế'}, không thể nhận hồ sơ gia hạn`,
    );
  }
  if (open) {
    throw new DomainError(
      'renewal_already_received',
      `A renewal file for ${cert.number} was already received on ${open.received_on} and is under review`,
      `Đã nhận hồ sơ gia hạn của giấy chứng nhận ${cert.number} ngày ${open.received_on}, đang xét`,
    );
  }
  if (receivedOn > todayInVietnam(now)) throw new DomainError('future_date', 'The day received is in the future', 'Ngày nhận hồ sơ không được ở tương lai');
  if (receivedOn < cert.decision_date) {
    throw new DomainError('received_before_issue', `The file cannot be received before the certificate's decision (${cert.decision_date})`, `Ngày nhận hồ sơ không được trước ngày quyết định cấp giấy chứng nhận (${cert.decision_date})`);
  }
}

export function checkRenewalRefusal(cert: ApplicationCertificate, open: { received_on: IsoDate } | undefined, refusedOn: IsoDate, now: Date): void {
  if (!open || cert.status !== 'active') {
    throw new DomainError('renewal_not_pending', `No renewal of ${cert.number} is under review`, `Giấy chứng nhận ${cert.number} không có hồ sơ gia hạn đang xét`);
  }
  if (refusedOn > todayInVietnam(now)) throw new DomainError('future_date', 'The refusal date is in the future', 'Ngày từ chối không được ở tương lai');
  if (refusedOn < open.received_on) {
    throw new DomainError('refusal_before_receipt', `The refusal cannot precede the file's receipt (${open.received_on})`, `Ngày từ chối không được trước ngày nhận hồ sơ (${open.received_on})`);
  }
}

/** A re-evaluation as listed for a renewal. */
export interface CandidateEvaluation {
  stars: number;
  council_level: CouncilLevel;
  evaluated_on: IsoDate;
}

export interface Ineligibility {
  vi: string;
  en: string;
}

/**
 * Why an evaluation cannot issue or renew a certificate decided `today`, or null when it
 * can: the same rules the final submit applies (domain/issuance.ts checkIssuable), told
 * before the form is filled instead of after.
 */
export function evaluationIneligibility(e: CandidateEvaluation, today: IsoDate): Ineligibility | null {
  const stars = e.stars as Stars;
  if (!isCertifiable(stars)) {
    return {
      vi: `${stars} sao: dưới 3 sao không được cấp hoặc gia hạn. Nếu đây là kết quả đánh giá lại, hãy thu hồi giấy cũ với lý do "đánh giá lại không đạt".`,
      en: `${stars}★: under 3 stars gets no certificate. If this is the re-evaluation, revoke the old certificate with the ground "failed re-evaluation".`,
    };
  }
  if (stars === 5 && e.council_level !== 'national') {
    return { vi: '5 sao chỉ do Hội đồng cấp trung ương đánh giá.', en: '5 stars come only from a national-level evaluation.' };
  }
  if (e.evaluated_on > today) return { vi: 'Ngày đánh giá ở tương lai.', en: 'The evaluation is dated in the future.' };
  if (!mayRecognise(stars === 5 ? 'national' : 'province', stars, today)) {
    return { vi: 'Không cơ quan nào được công nhận hạng sao này hôm nay.', en: 'No body may recognise these stars today.' };
  }
  return null;
}

/** The body and level that recognise `stars` on a decision dated from the 2025 merger (Đồng Nai). */
export function recognisingBody(stars: number): { issuingBody: string; issuingLevel: 'province' | 'national' } {
  return stars === 5 ? { issuingBody: 'Bộ Nông nghiệp và Môi trường', issuingLevel: 'national' } : { issuingBody: 'UBND tỉnh Đồng Nai', issuingLevel: 'province' };
}
