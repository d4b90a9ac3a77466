import { STATE_LABELS, type CertificateState } from '../domain/certificate-state';
import { LEGAL_FORM_LABELS, type LegalForm, REVOCATION_GROUND_LABELS, type RevocationGround } from '../domain/vocabulary';
import type { Lang } from './i18n';
import type { Verdict } from './verdict';

export function legalFormLabel(lang: Lang, f: LegalForm): string {
  return LEGAL_FORM_LABELS[f]?.[lang] ?? f;
}

export function groundLabel(lang: Lang, g: RevocationGround): string {
  return REVOCATION_GROUND_LABELS[g]?.[lang] ?? g;
}

export function stateLabel(lang: Lang, s: CertificateState): string {
  return STATE_LABELS[s]?.[lang] ?? s;
}

export const LEVEL_LABELS: Record<'district' | 'province' | 'national', { vi: string; en: string }> = {
  district: { vi: 'Cấp huyện', en: 'District level' },
  province: { vi: 'Cấp tỉnh', en: 'Province level' },
  national: { vi: 'Cấp trung ương', en: 'National level' },
};

export const VERDICT_LABELS: Record<Verdict, { vi: string; en: string }> = {
  genuine: { vi: 'Chính hãng', en: 'Genuine' },
  expired: { vi: 'Giấy chứng nhận hết hạn', en: 'Certificate expired' },
  revoked: { vi: 'Giấy chứng nhận bị thu hồi', en: 'Certificate revoked' },
  key_withdrawn: { vi: 'Khóa ký đã bị thu hồi', en: 'Signing key withdrawn' },
  not_genuine: { vi: 'Không xác thực được', en: 'Not genuine' },
};

/** CSS class of a state: green, amber or red. */
export function stateTone(s: CertificateState | 'not_found'): 'ok' | 'warn' | 'bad' {
  if (s === 'valid' || s === 'superseded') return 'ok';
  if (s === 'expiring' || s === 'expired' || s === 'renewal_pending') return 'warn';
  return 'bad';
}
