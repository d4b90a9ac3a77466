import type { CodeVerdict } from '../codes/verify';
import type { PackageState } from '../db/batches';
import type { PublicCertificate } from '../db/certificates';
import { certificateState, type CertificateState } from '../domain/certificate-state';
import { EXPIRY_NOTICE_DAYS } from '../domain/validity';

/** What a shopper or a retailer is told, in this order of precedence. */
export type Verdict = 'genuine' | 'expired' | 'revoked' | 'key_withdrawn' | 'not_genuine';

/** Facts beside the verdict that change what a buyer should do (scan page and API alike). */
export const WARNINGS = ['copy_suspected', 'certificate_expired', 'certificate_revoked', 'expiring_soon', 'past_best_before', 'renewal_pending'] as const;
export type Warning = (typeof WARNINGS)[number];

export const VERDICTS: readonly Verdict[] = ['genuine', 'expired', 'revoked', 'key_withdrawn', 'not_genuine'] as const;

/** Why something is not genuine: the code's own failure, or nothing issued matches it. */
export type NotGenuineReason =
  | 'malformed'
  | 'unknown_version'
  | 'unknown_key'
  | 'bad_signature'
  | 'unknown_batch'
  | 'unknown_package'
  | 'unknown_certificate';

export interface VerdictResult {
  verdict: Verdict;
  reason: NotGenuineReason | null;
  /** The certificate's own state (null when nothing genuine was found). */
  state: CertificateState | null;
  daysLeft: number | null;
  /** Genuine, with fewer than 30 days of validity left. */
  expiringSoon: boolean;
  /** The renewal that replaced this certificate, if any. */
  renewal: { number: string; stars: number; validUntil: string } | null;
}

function notGenuine(reason: NotGenuineReason): VerdictResult {
  return { verdict: 'not_genuine', reason, state: null, daysLeft: null, expiringSoon: false, renewal: null };
}

interface CertificateFacts {
  status: 'active' | 'revoked' | 'superseded';
  validFrom: string;
  validUntil: string;
  supersededBy: { number: string; stars: number; validUntil: string } | null;
  /** An open renewal application's day received (renewals.ts). */
  renewalPendingSince?: string | null;
}

/**
 * The verdict on a certificate's facts at `now`:
 * - revoked → revoked (whatever the dates say);
 * - dates passed → expired (also for a superseded certificate: its packages were made
 *   under it, and it has run out);
 * - otherwise genuine, also when superseded by a renewal: the packages of its batches were
 *   certified when made, and stay so until the old certificate's own end date. The page
 *   then shows the renewal and its new star rating.
 */
export function certificateVerdict(cert: CertificateFacts, now: Date): VerdictResult {
  const { state, daysLeft, expired } = certificateState({ status: cert.status, validFrom: cert.validFrom, validUntil: cert.validUntil, renewalPendingSince: cert.renewalPendingSince ?? null }, now);
  const renewal = cert.supersededBy;
  if (state === 'revoked') return { verdict: 'revoked', reason: null, state, daysLeft, expiringSoon: false, renewal };
  if (expired) return { verdict: 'expired', reason: null, state, daysLeft, expiringSoon: false, renewal };
  return { verdict: 'genuine', reason: null, state, daysLeft, expiringSoon: daysLeft < EXPIRY_NOTICE_DAYS, renewal };
}

/**
 * The verdict on a scanned package code. The signature is checked first and without the
 * database; only a code this service signed is looked up. A validly signed code must also
 * match an issued batch (same key, serial within the quantity) to count as genuine.
 */
/** What packageVerdict reads of a batch's state (the offline scanner builds it from its own tables). */
export type PackageFacts = { batch: Pick<PackageState['batch'], 'keyNumber' | 'quantity'>; certificate: CertificateFacts };

export function packageVerdict(check: CodeVerdict, state: PackageFacts | null, now: Date): VerdictResult {
  if (!check.ok) {
    if (check.reason === 'key_withdrawn') {
      return { verdict: 'key_withdrawn', reason: null, state: null, daysLeft: null, expiringSoon: false, renewal: null };
    }
    return notGenuine(check.reason);
  }
  if (!state) return notGenuine('unknown_batch');
  if (state.batch.keyNumber !== check.ref.keyNumber || check.ref.serial > state.batch.quantity) return notGenuine('unknown_package');
  return certificateVerdict(state.certificate, now);
}

export function publicCertificateVerdict(cert: PublicCertificate | null, now: Date): VerdictResult {
  if (!cert) return notGenuine('unknown_certificate');
  return certificateVerdict(cert, now);
}

/** HTTP status of a scan page: a verdict on a real code is a 200; no such code is a 404; junk is a 400. */
export function scanStatus(result: VerdictResult): 200 | 400 | 404 {
  if (result.verdict !== 'not_genuine') return 200;
  return result.reason === 'malformed' || result.reason === 'unknown_version' ? 400 : 404;
}

/** The verdict's own warnings, and the lot's best-before date against `today` (Vietnam time). */
export function warningsOf(result: VerdictResult, lot: { bestBefore: string | null; today: string } | null): Warning[] {
  const out: Warning[] = [];
  if (result.verdict === 'expired') out.push('certificate_expired');
  // Still expired (never genuine goods), but a decision on the renewal is awaited.
  if (result.verdict === 'expired' && result.state === 'renewal_pending') out.push('renewal_pending');
  if (result.verdict === 'revoked') out.push('certificate_revoked');
  if (result.expiringSoon) out.push('expiring_soon');
  if (lot && lot.bestBefore !== null && lot.bestBefore < lot.today && (result.verdict === 'genuine' || result.verdict === 'expired' || result.verdict === 'revoked')) out.push('past_best_before');
  return out;
}
