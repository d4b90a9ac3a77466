import type { Lang, Tr } from './i18n';
import { formatDate } from './i18n';

// The words every public page uses for an expired certificate whose renewal is under review
// (issue 11): its own heading, and what is known — and what is not — in one short note.
// Plain strings (the scan page is built from strings; the JSX pages escape what they embed).

/** "Hết hạn — đang xét gia hạn từ dd/mm/yyyy". */
export function renewalPendingHeading(lang: Lang, t: Tr, since: string): string {
  const d = formatDate(lang, since);
  return t(`Hết hạn — đang xét gia hạn từ ${d}`, `Expired — renewal under review since ${d}`);
}

/** What a shopper can rely on while the decision is awaited. */
export function renewalPendingText(lang: Lang, t: Tr, since: string): string {
  const d = formatDate(lang, since);
  return t(
    `Cơ quan quản lý đã nhận hồ sơ đánh giá lại để gia hạn ngày ${d} và chưa ra quyết định. Cho đến khi có quyết định, sản phẩm không còn được xác nhận đạt chuẩn OCOP; hàng sản xuất trong thời gian này chưa được chứng nhận.`,
    `The authority received the re-evaluation file for renewal on ${d} and has not decided yet. Until it does, the product is no longer confirmed as meeting the OCOP standard; goods made in the meantime are not certified.`,
  );
}

export function renewalPendingNote(lang: Lang, t: Tr, since: string): string {
  return `<p class="note">${renewalPendingText(lang, t, since)}</p>`;
}
