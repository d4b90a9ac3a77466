import type { PackageState } from '../db/batches';
import type { PlaceList } from '../db/sales-points';
import type { ScanHistory } from '../db/scans';
import { addDays, type IsoDate } from '../domain/dates';
import { contactSectionHtml } from './contact';
import { esc, pageEnd, pageStart, starsHtml, type OpenGraph } from './html';
import { formatDate, formatInstantDate, formatNumber, translator, type Lang, type Tr } from './i18n';
import { groundLabel, LEVEL_LABELS, legalFormLabel, stateLabel } from './labels';
import type { PhotoView } from '../db/media';
import { scanPhotoHtml } from './photos';
import { renewalPendingHeading, renewalPendingNote } from './renewal-pending';
import { reportFormHtml } from './report-form';
import { warningsOf, type VerdictResult } from './verdict';
import { whereToBuyScanHtml } from './where-to-buy';

// The scan page, the page a phone camera opens: verdict first, then the facts. Plain
// strings rather than JSX because this is the hot path (see html.ts). Every value from
// the database or the request goes through esc().

export interface ScanPageProps {
  lang: Lang;
  switchHref: string;
  /** The code as scanned (for the report form); null when it was too long to echo. */
  codeText: string | null;
  result: VerdictResult;
  state: PackageState | null;
  serial: number | null;
  history: ScanHistory | null;
  copied: boolean;
  /** The Vietnam calendar day of the scan (for the best-before warning). */
  today: IsoDate;
  /** REPORT_HOTLINE (digits), shown beside the report form; absent: none. */
  hotline?: string | null | undefined;
  og: OpenGraph;
  /** The product's main photo, shown after the verdict box. */
  photo?: PhotoView | null;
  /** "Nơi mua" (where-to-buy.tsx): the first few places, for genuine packages; null or absent shows none. */
  whereToBuy?: PlaceList | null | undefined;
}

/** Whether the batch's best-before date has passed on `today` (the API's past_best_before). */
function pastBestBefore(result: VerdictResult, state: PackageState | null, today: IsoDate): boolean {
  return state !== null && warningsOf(result, { bestBefore: state.batch.bestBefore, today }).includes('past_best_before');
}

/**
 * The warnings that change what a shopper should do sit in the verdict box itself, in the
 * first screen: a label that may have been copied, a best-before date that has passed.
 */
function copyWarning(lang: Lang, t: Tr, h: ScanHistory): string {
  const times = formatNumber(lang, h.count);
  const people = formatNumber(lang, h.people);
  return `<p class="note">${t(
    `Mã của gói này đã được quét ${times} lần${h.places > 1 ? ` từ ${h.places} nơi khác nhau` : ''}, bởi ${people} người. Một gói hàng thường chỉ được vài người kiểm tra: nhãn có thể đã bị sao chép. Hãy so bao bì với trang sản phẩm, hỏi người bán; nếu nghi ngờ, hãy báo cho chúng tôi.`,
    `This package's code has been scanned ${times} times${h.places > 1 ? ` from ${h.places} different places` : ''}, by ${people} people. A package is usually checked by only a few people: the label may have been copied. Compare the packaging with the product page and ask the seller; if in doubt, tell us.`,
  )}</p>`;
}

function bestBeforeWarning(lang: Lang, t: Tr, bestBefore: string): string {
  const d = formatDate(lang, bestBefore);
  return `<p class="note">${t(`Đã quá hạn sử dụng: hạn của lô này là ${d}. Không nên dùng sản phẩm.`, `Past its best-before date: this lot was best before ${d}. Do not use the product.`)}</p>`;
}

function certHref(lang: Lang, number: string): string {
  return `/c/${encodeURIComponent(number)}${lang === 'en' ? '?lang=en' : ''}`;
}

function verdictBox(lang: Lang, t: Tr, result: VerdictResult, state: PackageState | null, w: { copied: boolean; history: ScanHistory | null; today: IsoDate }): string {
  const cert = state?.certificate;
  const renewal = result.renewal;
  const renewalLine = renewal
    ? `<p>${t('Đã có giấy chứng nhận mới sau đánh giá lại: ', 'A renewed certificate has been issued: ')}<a href="${esc(certHref(lang, renewal.number))}">${esc(renewal.number)}</a>${esc(
        t(`, hạng ${renewal.stars} sao, hiệu lực đến ${formatDate(lang, renewal.validUntil)}.`, `, ${renewal.stars} stars, valid until ${formatDate(lang, renewal.validUntil)}.`),
      )}</p>`
    : '';
  switch (result.verdict) {
    case 'genuine': {
      const until = formatDate(lang, cert!.validUntil);
      const left = formatNumber(lang, result.daysLeft ?? 0);
      const stale = pastBestBefore(result, state, w.today);
      const copied = w.copied && w.history !== null;
      const heading = copied
        ? `! ${t('Mã OCOP hợp lệ, nhưng nhãn này có thể bị sao chép', 'Valid OCOP code, but this label may be a copy')}`
        : stale
          ? `! ${t('Mã OCOP hợp lệ, nhưng sản phẩm đã quá hạn sử dụng', 'Valid OCOP code, but the product is past its best-before date')}`
          : `✓ ${t('Sản phẩm OCOP chính hãng', 'Genuine OCOP product')}`;
      return (
        `<section class="verdict ${copied || stale ? 'warn' : 'ok'}" aria-live="polite"><h1>${heading}</h1>` +
        (copied ? copyWarning(lang, t, w.history!) : '') +
        (stale ? bestBeforeWarning(lang, t, state!.batch.bestBefore!) : '') +
        `<p>${t(
          `Mã trên bao bì do hệ thống OCOP cấp. Giấy chứng nhận còn hiệu lực đến ${until} (còn ${left} ngày).`,
          `This code was issued by the OCOP system. The certificate is valid until ${until} (${left} days left).`,
        )}</p>` +
        (result.expiringSoon
          ? `<p class="note">${t(`Lưu ý: giấy chứng nhận sắp hết hạn, chỉ còn ${result.daysLeft} ngày.`, `Note: the certificate expires soon, only ${result.daysLeft} days left.`)}</p>`
          : '') +
        `${renewalLine}</section>`
      );
    }
    case 'expired': {
      const until = formatDate(lang, cert!.validUntil);
      const from = formatDate(lang, addDays(cert!.validUntil, 1));
      const pendingSince = result.state === 'renewal_pending' ? cert!.renewalPendingSince : null;
      return (
        // Never "genuine goods": the code was issued by the system, the certificate has ended.
        `<section class="verdict warn"><h1>! ${
          pendingSince
            ? renewalPendingHeading(lang, t, pendingSince)
            : t('Mã hợp lệ, nhưng giấy chứng nhận OCOP đã hết hạn', 'Valid code, but the OCOP certificate has expired')
        }</h1><p>${t(
          `Mã này do hệ thống OCOP cấp. Giấy chứng nhận chỉ có hiệu lực đến hết ngày ${until}; đã hết hạn từ ngày ${from}.`,
          `This code was issued by the OCOP system. The certificate was valid until the end of ${until}; it expired on ${from}.`,
        )}</p>` +
        (state
          ? `<p>${
              state.batch.productionDate <= cert!.validUntil
                ? t(`Lô này được sản xuất ngày ${formatDate(lang, state.batch.productionDate)}, khi giấy chứng nhận còn hiệu lực.`, `This lot was produced on ${formatDate(lang, state.batch.productionDate)}, while the certificate was valid.`)
                : t(`Lô này được sản xuất ngày ${formatDate(lang, state.batch.productionDate)}, sau khi giấy chứng nhận đã hết hạn.`, `This lot was produced on ${formatDate(lang, state.batch.productionDate)}, after the certificate had expired.`)
            }</p>`
          : '') +
        (pastBestBefore(result, state, w.today) ? bestBeforeWarning(lang, t, state!.batch.bestBefore!) : '') +
        (pendingSince ? renewalPendingNote(lang, t, pendingSince) : '') +
        (renewalLine || (pendingSince ? '' : `<p>${t('Chưa có giấy chứng nhận gia hạn cho sản phẩm này.', 'No renewal has been issued for this product.')}</p>`)) +
        `</section>`
      );
    }
    case 'revoked': {
      const r = cert?.revocation;
      return (
        `<section class="verdict bad"><h1>✗ ${t('Giấy chứng nhận OCOP đã bị thu hồi', 'The OCOP certificate has been revoked')}</h1>` +
        (r
          ? `<p>${esc(
              t(
                `Quyết định thu hồi số ${r.decisionNumber} ngày ${formatDate(lang, r.date)}. Lý do: ${groundLabel(lang, r.ground)}.`,
                `Revocation decision ${r.decisionNumber} of ${formatDate(lang, r.date)}. Ground: ${groundLabel(lang, r.ground)}.`,
              ),
            )}</p>`
          : '') +
        `<p>${t('Sản phẩm này không còn được dùng nhãn OCOP.', 'This product may no longer carry the OCOP label.')}</p></section>`
      );
    }
    case 'key_withdrawn':
      return `<section class="verdict bad"><h1>✗ ${t('Không xác thực được: khóa ký của mã đã bị thu hồi', 'Cannot be verified: the key that signed this code was withdrawn')}</h1><p>${t(
        'Cơ quan quản lý đã thu hồi khóa dùng để ký mã này (ví dụ vì bị lộ). Không thể khẳng định đây là hàng chính hãng. Hãy hỏi người bán, và báo cho chúng tôi bằng mẫu bên dưới.',
        'The authority withdrew the key that signed this code (for example because it leaked). This product cannot be confirmed as genuine. Ask the seller, and tell us with the form below.',
      )}</p></section>`;
    default: {
      const why =
        result.reason === 'malformed'
          ? t('Mã không đúng định dạng: có thể in sai, quét thiếu, hoặc bị làm giả.', 'The code is not in the OCOP format: misprinted, partly scanned, or forged.')
          : result.reason === 'unknown_batch' || result.reason === 'unknown_package'
            ? t('Không có lô hàng nào được cấp với mã này.', 'No batch was issued with this code.')
            : t('Mã không hợp lệ: mã này không do hệ thống OCOP cấp, hoặc đã bị sửa.', 'Invalid code: it was not issued by the OCOP system, or it was altered.');
      return `<section class="verdict bad"><h1>✗ ${t('Không phải mã OCOP hợp lệ – có thể là hàng giả', 'Not a valid OCOP code – possibly counterfeit')}</h1><p>${why}</p><p>${t(
        'Đừng tin nhãn OCOP trên sản phẩm này. Hãy báo cho cơ quan quản lý bằng mẫu bên dưới (không cần đăng nhập).',
        'Do not trust the OCOP label on this product. Report it to the authority with the form below (no sign-in needed).',
      )}</p></section>`;
    }
  }
}

function row(term: string, value: string): string {
  return `<dt>${term}</dt><dd>${value}</dd>`;
}

function details(lang: Lang, t: Tr, p: ScanPageProps, s: PackageState): string {
  const c = s.certificate;
  const group = s.product.groupVi ? (lang === 'vi' ? s.product.groupVi : (s.product.groupEn ?? s.product.groupVi)) : null;
  let html =
    `<section class="card"><h2>${esc(s.product.name)}</h2><p>${starsHtml(c.stars, lang)} ${t(`Sản phẩm OCOP ${c.stars} sao`, `${c.stars}-star OCOP product`)}</p>` +
    (group ? `<p class="muted">${t('Nhóm: ', 'Group: ')}${esc(group)}</p>` : '') +
    (s.product.gtin ? `<p class="small">${t('Mã vạch (GTIN)', 'Barcode (GTIN)')}: <span class="code">${esc(s.product.gtin)}</span></p>` : '') +
    `<p class="small"><a href="/p/${esc(encodeURIComponent(s.product.slug))}${lang === 'en' ? '?lang=en' : ''}">${t('Xem trang sản phẩm và lịch sử chứng nhận', 'Product page and certificate history')}</a></p></section>`;
  html +=
    `<section class="card"><h2>${t('Chủ thể sản xuất', 'Producer')}</h2><dl>` +
    row(t('Tên', 'Name'), esc(s.producer.name)) +
    row(t('Loại hình', 'Legal form'), esc(legalFormLabel(lang, s.producer.legalForm))) +
    row(t('Địa chỉ (khi cấp)', 'Address (as issued)'), esc(s.producer.addressAsIssued || '—')) +
    (s.producer.addressNow ? row(t('Đơn vị hiện nay', 'Current unit'), esc(s.producer.addressNow)) : '') +
    `</dl></section>`;
  if (s.regions.length > 0) {
    html += `<section class="card"><h2>${t('Vùng nguyên liệu', 'Raw-material region')}</h2><ul class="plain">`;
    for (const r of s.regions) html += `<li>${esc(r.description)}${r.unit ? `<span class="muted small"> · ${esc(r.unit)}</span>` : ''}</li>`;
    html += `</ul></section>`;
  }
  html +=
    `<section class="card"><h2>${t('Giấy chứng nhận', 'Certificate')}</h2><dl>` +
    row(t('Số', 'Number'), `<a href="${esc(certHref(lang, c.number))}">${esc(c.number)}</a>`) +
    row(t('Trạng thái', 'Status'), p.result.state ? esc(stateLabel(lang, p.result.state)) : '—') +
    row(t('Quyết định công nhận', 'Recognising decision'), `${esc(c.decisionNumber)} · ${formatDate(lang, c.decisionDate)}`) +
    row(t('Cơ quan cấp', 'Issued by'), `${esc(c.issuingBody)} · ${LEVEL_LABELS[c.issuingLevel][lang]}`) +
    row(t('Hiệu lực', 'Valid'), `${formatDate(lang, c.validFrom)} – ${formatDate(lang, c.validUntil)}`) +
    `</dl></section>`;
  html +=
    `<section class="card"><h2>${t('Lô hàng', 'Batch')}</h2><dl>` +
    row(t('Số lô', 'Lot'), esc(s.batch.lotCode)) +
    row(t('Ngày sản xuất', 'Produced on'), formatDate(lang, s.batch.productionDate)) +
    row(t('Hạn sử dụng', 'Best before'), s.batch.bestBefore ? formatDate(lang, s.batch.bestBefore) : '—') +
    row(t('Gói số', 'Package no.'), `${formatNumber(lang, p.serial ?? 0)} / ${formatNumber(lang, s.batch.quantity)}`) +
    `</dl></section>`;
  const h = p.history;
  if (h) {
    const times = formatNumber(lang, h.count);
    const first = h.count <= 1 || !h.first;
    // Scan history is also good news: a first check, or a few checks by a few people.
    const summary = first
      ? t('Đây là lần kiểm tra đầu tiên của gói này.', 'This is the first check of this package.')
      : t(
          `Đã được kiểm tra ${times} lần bởi ${formatNumber(lang, Math.max(h.people, 1))} người từ ngày ${formatInstantDate(lang, h.first!)}.`,
          `Checked ${times} times by ${formatNumber(lang, Math.max(h.people, 1))} people since ${formatInstantDate(lang, h.first!)}.`,
        );
    html +=
      `<section class="card"><h2>${t('Lịch sử xác thực của gói này', 'Verification history of this package')}</h2><p>${summary}</p><dl>` +
      row(t('Lần đầu', 'First verified'), first ? t('Hôm nay (lần đầu tiên)', 'Today (first time)') : formatInstantDate(lang, h.first!)) +
      row(t('Số lần', 'Times verified'), times) +
      `</dl></section>`;
  }
  return html;
}

export function scanPageHtml(p: ScanPageProps): string {
  const { lang, result, state } = p;
  const t = translator(lang);
  const showDetails = state !== null && (result.verdict === 'genuine' || result.verdict === 'expired' || result.verdict === 'revoked');
  const title = `${t('Kiểm tra sản phẩm OCOP', 'OCOP product check')}${state && showDetails ? ` · ${state.product.name}` : ''}`;
  return (
    pageStart({ lang, title, switchHref: p.switchHref, og: p.og, description: p.og.description }) +
    verdictBox(lang, t, result, showDetails ? state : null, { copied: p.copied, history: p.history, today: p.today }) +
    (showDetails && state ? scanPhotoHtml(lang, state.product.name, p.photo ?? null) : '') +
    (showDetails && state ? details(lang, t, p, state) : '') +
    (p.whereToBuy && state ? whereToBuyScanHtml(lang, state.product.slug, p.whereToBuy) : '') +
    contactSectionHtml({ lang, producer: showDetails && state ? state.producer : null, hotline: p.hotline, reportHref: '#report' }) +
    reportFormHtml(lang, p.codeText, null, !showDetails || p.copied) +
    pageEnd(lang)
  );
}
