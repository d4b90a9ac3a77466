import { raw } from 'hono/html';
import { esc } from './html';
import { translator, type Lang } from './i18n';
import { Layout } from './layout';

export const REPORT_MESSAGE_MAX = 2000;
export const REPORT_CONTACT_MAX = 200;
/** Longest code text kept with a report (a package URL is about 150 characters). */
export const REPORT_CODE_MAX = 300;

/** The "report a suspected fake" form: a plain POST, no JavaScript. */
export function reportFormHtml(lang: Lang, codeText: string | null, certificateNumber: string | null, open: boolean): string {
  const t = translator(lang);
  return (
    `<section class="card" id="report"><details${open ? ' open=""' : ''}><summary><strong>${t('Báo cáo nghi ngờ hàng giả', 'Report a suspected fake')}</strong></summary>` +
    `<form class="stack" method="post" action="/report"><input type="hidden" name="lang" value="${lang}"/>` +
    (codeText ? `<input type="hidden" name="code" value="${esc(codeText)}"/>` : '') +
    (certificateNumber ? `<input type="hidden" name="certificate" value="${esc(certificateNumber)}"/>` : '') +
    `<label for="report-message">${t('Bạn thấy điều gì bất thường? Mua ở đâu?', 'What looks wrong? Where did you buy it?')}</label>` +
    `<textarea id="report-message" name="message" rows="3" maxlength="${REPORT_MESSAGE_MAX}" required=""></textarea>` +
    `<label for="report-contact">${t('Liên hệ (không bắt buộc)', 'Contact (optional)')}</label>` +
    `<input id="report-contact" type="text" name="contact" maxlength="${REPORT_CONTACT_MAX}" autocomplete="tel"/>` +
    `<p class="small muted">${t(
      'Ai thấy gì: cán bộ quản lý OCOP của tỉnh đọc báo cáo và thông tin liên hệ của bạn. Cơ sở sản xuất của sản phẩm chỉ thấy có báo cáo và nội dung bạn viết, không bao giờ thấy thông tin liên hệ. Thông tin liên hệ không bắt buộc, chỉ dùng để hỏi lại về báo cáo này và được tự động xóa sau thời hạn lưu giữ (mặc định 12 tháng). Chúng tôi không lưu địa chỉ IP của bạn.',
      'Who sees what: the province\'s OCOP officials read your report and your contact details. The producer of the product sees only that a report exists and what you wrote, never your contact. Contact is optional, used only to ask you about this report, and deleted automatically after the retention period (12 months unless the province sets another). We do not store your IP address.',
    )}</p>` +
    `<button type="submit">${t('Gửi báo cáo', 'Send report')}</button></form></details></section>`
  );
}

export function ReportForm(props: { lang: Lang; codeText: string | null; certificateNumber?: string | undefined; open: boolean }) {
  return <>{raw(reportFormHtml(props.lang, props.codeText, props.certificateNumber ?? null, props.open))}</>;
}

export function ReportThanksPage(props: { lang: Lang; switchHref: string }) {
  const t = translator(props.lang);
  return (
    <Layout lang={props.lang} title={t('Đã nhận báo cáo', 'Report received')} switchHref={props.switchHref}>
      <section class="verdict ok">
        <h1>{t('Cảm ơn bạn, chúng tôi đã nhận báo cáo.', 'Thank you, we have received your report.')}</h1>
        <p>{t('Cán bộ quản lý OCOP sẽ xem xét báo cáo này.', 'OCOP officials will review it.')}</p>
      </section>
      <p>
        <a href={props.lang === 'en' ? '/products?lang=en' : '/products'}>{t('Danh mục sản phẩm OCOP', 'OCOP product catalogue')}</a>
      </p>
    </Layout>
  );
}
