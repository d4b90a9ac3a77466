import type { ProducerContact } from '../db/producers';
import { formatPhone, parseVietnamesePhone, parseWebsite, telHref, websiteLabel, zaloHref } from '../domain/contact';
import { esc } from './html';
import { translator, type Lang } from './i18n';

// "Who can I ask?" on the scan and product pages: tap-to-call, Zalo and website links of the
// producer, and the province's hotline for fakes beside the report form. Plain strings (the
// scan page is the hot path) and no script. Placed below the verdict: the first screen
// belongs to the verdict and its warnings.
//
// A value is shown only when it still parses (a phone stored before the forms checked it may
// be free text): a link that dials a wrong number is worse than no link.

export interface ContactSectionProps {
  lang: Lang;
  /** The producer's contact; null when the page must not vouch for a producer (a code that does not verify). */
  producer: { name: string; contact?: ProducerContact | undefined } | null;
  /** REPORT_HOTLINE as digits, or none. */
  hotline: string | null | undefined;
  /** Where the page's report form is (the scan page's `#report`), or none. */
  reportHref: string | null;
}

function producerLinks(lang: Lang, c: ProducerContact | undefined): string[] {
  if (!c) return [];
  const t = translator(lang);
  const links: string[] = [];
  const phone = c.phone ? parseVietnamesePhone(c.phone) : null;
  if (phone) links.push(`<a class="act" href="${telHref(phone)}">${t('Gọi', 'Call')} ${formatPhone(phone)}</a>`);
  const zalo = c.zalo ? parseVietnamesePhone(c.zalo) : null;
  if (zalo?.kind === 'mobile') links.push(`<a class="act" href="${zaloHref(zalo)}" rel="noopener">${t('Nhắn Zalo', 'Zalo chat')} ${formatPhone(zalo)}</a>`);
  const site = c.website ? parseWebsite(c.website) : null;
  // nofollow: the producer wrote it, the province does not vouch for what the page says.
  if (site) links.push(`<a class="act" href="${esc(site)}" rel="nofollow noopener">${esc(websiteLabel(site))}</a>`);
  return links;
}

/** The contact card, or '' when there is nothing to show (no producer contact, no hotline). */
export function contactSectionHtml(p: ContactSectionProps): string {
  const t = translator(p.lang);
  const links = p.producer ? producerLinks(p.lang, p.producer.contact) : [];
  const hotline = p.hotline ? parseVietnamesePhone(p.hotline) : null;
  if (links.length === 0 && !hotline) return '';
  let html = `<section class="card" aria-labelledby="contact-h"><h2 id="contact-h">${t('Liên hệ', 'Contact')}</h2>`;
  if (links.length > 0 && p.producer) {
    html += `<p class="small muted">${t('Hỏi trực tiếp chủ thể sản xuất', 'Ask the producer')} (${esc(p.producer.name)}):</p><p class="acts">${links.join(' ')}</p>`;
  }
  if (hotline) {
    const report = p.reportHref ? ` ${t('hoặc', 'or')} <a href="${esc(p.reportHref)}">${t('gửi báo cáo bằng mẫu bên dưới', 'send a report with the form below')}</a>` : '';
    html += `<p>${t('Nghi ngờ hàng giả? Gọi đường dây nóng của tỉnh', 'Suspect a fake? Call the province hotline')} <a class="act" href="${telHref(hotline)}">${formatPhone(hotline)}</a>${report}.</p>`;
  }
  return `${html}</section>`;
}
