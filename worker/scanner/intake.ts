// Intake mode: the running list of packages checked at the goods-receiving door, its
// counts per verdict, and the list as a CSV for people (Vietnamese headers and values,
// dates dd/mm/yyyy, UTF-8 with BOM for Excel, every field guarded against formulas).
import { VN_OFFSET_MINUTES } from '../domain/dates';
import { formatDate } from '../public/i18n';
import type { Warning } from '../public/verdict';
import { csvField } from '../qr/csv';
import { ageText } from './data-age';
import type { OfflineResult, OfflineVerdict } from './offline-check';

export interface IntakeRow {
  at: Date;
  result: OfflineResult;
  /** How many times this same code was scanned in this intake (2+ on one delivery: a copied label?). */
  times: number;
}

export const WARNING_LABELS: Record<Warning, { vi: string; en: string }> = {
  // Never raised offline (the phone holds no scan history), kept so every warning has words.
  copy_suspected: { vi: 'Nghi tem bị sao chép', en: 'Label may be copied' },
  certificate_expired: { vi: 'Giấy chứng nhận đã hết hạn', en: 'Certificate expired' },
  certificate_revoked: { vi: 'Giấy chứng nhận đã bị thu hồi', en: 'Certificate revoked' },
  expiring_soon: { vi: 'Giấy chứng nhận sắp hết hạn', en: 'Certificate expiring soon' },
  past_best_before: { vi: 'Lô hàng đã quá hạn sử dụng', en: 'Past its best-before date' },
  renewal_pending: { vi: 'Đang xét gia hạn', en: 'Renewal under review' },
};

/** The order counts are shown in: what the shop must act on first. */
export const VERDICT_ORDER: readonly OfflineVerdict[] = ['not_genuine', 'key_withdrawn', 'revoked', 'expired', 'unconfirmed', 'genuine'];

export function countByVerdict(rows: readonly IntakeRow[]): Record<OfflineVerdict, number> {
  const counts = Object.fromEntries(VERDICT_ORDER.map((v) => [v, 0])) as Record<OfflineVerdict, number>;
  for (const r of rows) counts[r.result.verdict]++;
  return counts;
}

export const INTAKE_CSV_HEADER = [
  'Thời điểm quét', 'Mã đã quét', 'Kết quả', 'Lý do', 'Cảnh báo', 'Số lần quét', 'Số giấy chứng nhận', 'Hạng sao', 'Sản phẩm',
  'Chủ thể sản xuất', 'Số lô', 'Số thứ tự gói', 'Hạn sử dụng', 'Hiệu lực đến', 'Dữ liệu',
];

/** "14:05 01/12/2026", Vietnam time, whatever the phone's time zone. */
export function vietnamTime(at: Date): string {
  const local = new Date(at.getTime() + VN_OFFSET_MINUTES * 60_000).toISOString();
  return `${local.slice(11, 16)} ${formatDate('vi', local.slice(0, 10))}`;
}

export function intakeCsv(rows: readonly IntakeRow[]): string {
  const lines = rows.map(({ at, result: r, times }) => [
    vietnamTime(at),
    r.input,
    r.words.vi.verdict,
    r.words.vi.reason ?? '',
    r.warnings.map((w) => WARNING_LABELS[w].vi).join('; '),
    String(times),
    r.certificate?.number ?? '',
    r.certificate ? String(r.certificate.stars) : '',
    r.certificate?.product ?? '',
    r.certificate?.producer ?? '',
    r.lot?.lotCode ?? '',
    r.lot ? String(r.lot.serial) : '',
    r.lot?.bestBefore ? formatDate('vi', r.lot.bestBefore) : '',
    r.certificate ? formatDate('vi', r.certificate.validUntil) : '',
    ageText(r.age.ageMs).vi,
  ]);
  return `\uFEFF${[INTAKE_CSV_HEADER.join(','), ...lines.map((l) => l.map(csvField).join(','))].join('\r\n')}\r\n`;
}
