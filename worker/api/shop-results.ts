import { STATE_LABELS } from '../domain/certificate-state';
import { formatDate, formatNumber, translator, type Lang } from '../public/i18n';
import { VERDICT_LABELS } from '../public/labels';
import { csvField } from '../qr/csv';
import type { ItemResult } from './schemas';

// What the CSV page (/tra-cuu) tells a shop about each row, in plain words: the reason for
// every "not verified", how long a certificate has left, whether it has been renewed; and
// the same results as two CSV files, one for people (Vietnamese headers and values) and
// one for systems (stable English keys, as the JSON API).

type Reason = NonNullable<ItemResult['reason']>;

const REASONS: Record<Reason, { vi: string; en: string }> = {
  malformed: {
    vi: 'Mã không đúng định dạng OCOP: có thể in sai, quét thiếu hoặc bị làm giả.',
    en: 'The code is not in the OCOP format: misprinted, partly scanned or forged.',
  },
  unknown_version: {
    vi: 'Mã dùng một phiên bản định dạng mà hệ thống không cấp.',
    en: 'The code uses a format version the system does not issue.',
  },
  unknown_key: {
    vi: 'Mã được ký bằng một khóa không có trong hệ thống OCOP: không phải mã do hệ thống cấp.',
    en: 'The code was signed with a key the OCOP system does not have: it was not issued here.',
  },
  bad_signature: {
    vi: 'Chữ ký của mã không khớp: mã đã bị sửa hoặc làm giả.',
    en: 'The code’s signature does not match: the code was altered or forged.',
  },
  unknown_batch: {
    vi: 'Chữ ký đúng nhưng không có lô hàng nào được cấp với mã này.',
    en: 'The signature is right but no batch was issued with this code.',
  },
  unknown_package: {
    vi: 'Lô hàng có thật nhưng không có gói nào mang số thứ tự này.',
    en: 'The batch exists but no package of it has this serial number.',
  },
  unknown_certificate: {
    vi: 'Không có giấy chứng nhận OCOP nào mang số này. Hãy kiểm tra lại số in trên sản phẩm.',
    en: 'No OCOP certificate has this number. Check the number printed on the product.',
  },
};

const KEY_WITHDRAWN = {
  vi: 'Cơ quan quản lý đã thu hồi khóa dùng để ký mã này (ví dụ vì bị lộ): không thể khẳng định đây là hàng chính hãng.',
  en: 'The authority withdrew the key that signed this code (for example because it leaked): the product cannot be confirmed as genuine.',
};

/** A row in words. "Expiring" is the API's `expiring_soon` (fewer than 30 days left). */
export interface Explanation {
  /** The verdict in a few words. */
  verdict: string;
  /** Why, for anything but a plain genuine; null for a genuine certificate with time left. */
  reason: string | null;
  /** Expiry and renewal, for a certificate that was found. */
  validity: string | null;
  renewal: string | null;
}

/** What explain reads of a result (the offline scanner's results carry no more than this). */
export type ExplainInput = Pick<ItemResult, 'verdict' | 'reason' | 'days_left' | 'expiring_soon'> & {
  // state and renewal_pending_since are optional: a caller that knows no renewal files says
  // nothing about one.
  certificate: (Pick<NonNullable<ItemResult['certificate']>, 'status' | 'valid_until' | 'revocation' | 'superseded_by'> &
    Partial<Pick<NonNullable<ItemResult['certificate']>, 'state' | 'renewal_pending_since'>>) | null;
};

export function explain(lang: Lang, r: ExplainInput): Explanation {
  const t = translator(lang);
  const c = r.certificate;
  const verdict = VERDICT_LABELS[r.verdict][lang];
  let reason: string | null = null;
  if (r.verdict === 'not_genuine') reason = REASONS[r.reason ?? 'malformed'][lang];
  else if (r.verdict === 'key_withdrawn') reason = KEY_WITHDRAWN[lang];
  else if (r.verdict === 'revoked' && c?.revocation) {
    reason = t(
      `Bị thu hồi theo quyết định số ${c.revocation.decision_number} ngày ${formatDate(lang, c.revocation.date)}. Lý do: ${c.revocation.ground_vi}.`,
      `Revoked by decision ${c.revocation.decision_number} of ${formatDate(lang, c.revocation.date)}. Ground: ${c.revocation.ground_en}.`,
    );
  } else if (r.verdict === 'revoked') reason = t('Giấy chứng nhận đã bị thu hồi.', 'The certificate was revoked.');
  else if (r.verdict === 'expired' && c) {
    reason = t(`Giấy chứng nhận đã hết hạn ngày ${formatDate(lang, c.valid_until)}.`, `The certificate expired on ${formatDate(lang, c.valid_until)}.`);
  }
  let validity: string | null = null;
  if (c && r.days_left !== null && r.verdict !== 'revoked') {
    const days = formatNumber(lang, Math.abs(r.days_left));
    const until = formatDate(lang, c.valid_until);
    if (r.days_left < 0) validity = t(`Hết hạn ${days} ngày trước (${until}).`, `Expired ${days} days ago (${until}).`);
    else if (r.expiring_soon) validity = t(`Sắp hết hạn: còn ${days} ngày, đến hết ${until}.`, `Expiring soon: ${days} days left, until ${until}.`);
    else validity = t(`Còn hiệu lực đến hết ${until} (còn ${days} ngày).`, `Valid until ${until} (${days} days left).`);
  }
  let renewal: string | null = null;
  if (c?.superseded_by) {
    renewal = t(
      `Đã gia hạn: giấy chứng nhận mới ${c.superseded_by.number} (${c.superseded_by.stars} sao), hiệu lực đến ${formatDate(lang, c.superseded_by.valid_until)}.`,
      `Renewed: new certificate ${c.superseded_by.number} (${c.superseded_by.stars} stars), valid until ${formatDate(lang, c.superseded_by.valid_until)}.`,
    );
  } else if (c?.renewal_pending_since && c.state === 'renewal_pending') {
    renewal = t(
      `Đang xét gia hạn: hồ sơ đánh giá lại nhận ngày ${formatDate(lang, c.renewal_pending_since)}, chưa có quyết định. Chưa nên nhập thêm hàng.`,
      `Renewal under review: the re-evaluation file was received on ${formatDate(lang, c.renewal_pending_since)}; no decision yet. Do not order more yet.`,
    );
  } else if (c && (r.expiring_soon || r.verdict === 'expired') && c.status === 'active') {
    renewal = t('Chưa có giấy chứng nhận gia hạn: hãy hỏi nhà sản xuất trước khi nhập thêm hàng.', 'No renewal yet: ask the producer before ordering more.');
  }
  return { verdict, reason, validity, renewal };
}

/** Column headers of the CSV for people. */
export const CSV_HEADER_VI = [
  'Mã hoặc số đã nhập', 'Kết quả', 'Lý do', 'Số giấy chứng nhận', 'Hạng sao', 'Tình trạng giấy chứng nhận', 'Hiệu lực từ', 'Hiệu lực đến',
  'Số ngày còn lại', 'Gia hạn', 'Sản phẩm', 'Chủ thể sản xuất', 'Số lô', 'Số thứ tự gói',
];

/** Column keys of the CSV for systems: the JSON field names. */
export const CSV_HEADER_MACHINE = [
  'input', 'verdict', 'reason', 'certificate_number', 'stars', 'state', 'valid_until', 'product', 'producer', 'lot_code', 'serial',
  'valid_from', 'days_left', 'expiring_soon', 'superseded_by',
];

function csv(header: readonly string[], rows: string[][]): string {
  // UTF-8 with BOM so Excel reads Vietnamese; every field formula-guarded.
  return `\uFEFF${[header.join(','), ...rows.map((row) => row.map(csvField).join(','))].join('\r\n')}\r\n`;
}

/** The results for people: Vietnamese headers, verdicts, reasons, states and dates (dd/mm/yyyy). */
export function resultsCsvVi(results: readonly ItemResult[]): string {
  return csv(
    CSV_HEADER_VI,
    results.map((r) => {
      const e = explain('vi', r);
      const c = r.certificate;
      return [
        r.input, e.verdict, e.reason ?? '', c?.number ?? '', c ? String(c.stars) : '', c?.state ? STATE_LABELS[c.state].vi : '',
        c ? formatDate('vi', c.valid_from) : '', c ? formatDate('vi', c.valid_until) : '', r.days_left === null ? '' : String(r.days_left),
        e.renewal ?? '', r.product?.name ?? '', r.producer?.name ?? '', r.package?.lot_code ?? '', r.package ? String(r.package.serial) : '',
      ];
    }),
  );
}

/** The results for systems: English keys and codes, ISO dates, as the JSON API. */
export function resultsCsvMachine(results: readonly ItemResult[]): string {
  return csv(
    CSV_HEADER_MACHINE,
    results.map((r) => {
      const c = r.certificate;
      return [
        r.input, r.verdict, r.reason ?? '', c?.number ?? '', c ? String(c.stars) : '', c?.state ?? '', c?.valid_until ?? '',
        r.product?.name ?? '', r.producer?.name ?? '', r.package?.lot_code ?? '', r.package ? String(r.package.serial) : '',
        c?.valid_from ?? '', r.days_left === null ? '' : String(r.days_left), String(r.expiring_soon), c?.superseded_by?.number ?? '',
      ];
    }),
  );
}
