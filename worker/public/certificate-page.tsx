import { raw } from 'hono/html';
import type { PublicCertificate } from '../db/certificates';
import { certificationNode, jsonLdScript, productJsonLd } from './json-ld';
import { formatDate, formatNumber, translator, type Lang } from './i18n';
import { groundLabel, LEVEL_LABELS, legalFormLabel, stateLabel, stateTone } from './labels';
import { Layout, Stars, type OpenGraph } from './layout';
import { renewalPendingHeading, renewalPendingText } from './renewal-pending';
import { ReportForm } from './report-form';
import type { VerdictResult } from './verdict';
import { decisionLinkHtml } from './photos';

function q(lang: Lang): string {
  return lang === 'en' ? '?lang=en' : '';
}

export function CertificatePage(props: { lang: Lang; switchHref: string; cert: PublicCertificate; result: VerdictResult; og: OpenGraph; baseUrl: string; decision?: { sha256: string; bytes: number } | null }) {
  const { lang, cert, result } = props;
  const t = translator(lang);
  const state = result.state ?? 'valid';
  const tone = stateTone(state);
  const structured = productJsonLd(
    props.baseUrl,
    { name: cert.product.name, slug: cert.product.slug, gtin: cert.product.gtin, category: cert.product.groupVi, producer: { name: cert.producer.name, address: cert.producer.addressAsIssued } },
    [certificationNode(props.baseUrl, cert, state)],
  );
  return (
    <Layout lang={lang} title={`${t('Giấy chứng nhận OCOP', 'OCOP certificate')} ${cert.number}`} switchHref={props.switchHref} og={props.og} description={props.og.description}>
      {raw(jsonLdScript(structured))}
      <section class={`verdict ${tone}`}>
        <h1>
          {t('Giấy chứng nhận OCOP', 'OCOP certificate')} {cert.number}
        </h1>
        <p>
          <strong>{state === 'renewal_pending' && cert.renewalPendingSince ? renewalPendingHeading(lang, t, cert.renewalPendingSince) : stateLabel(lang, state)}</strong>
          {state === 'valid' || state === 'expiring'
            ? t(` · còn ${formatNumber(lang, result.daysLeft ?? 0)} ngày`, ` · ${formatNumber(lang, result.daysLeft ?? 0)} days left`)
            : ''}
        </p>
        {state === 'renewal_pending' && cert.renewalPendingSince ? <p>{renewalPendingText(lang, t, cert.renewalPendingSince)}</p> : null}
        {cert.revocation ? (
          <p>
            {t(
              `Quyết định thu hồi số ${cert.revocation.decisionNumber} ngày ${formatDate(lang, cert.revocation.date)}. Lý do: ${groundLabel(lang, cert.revocation.ground)}.`,
              `Revocation decision ${cert.revocation.decisionNumber} of ${formatDate(lang, cert.revocation.date)}. Ground: ${groundLabel(lang, cert.revocation.ground)}.`,
            )}
          </p>
        ) : null}
        {cert.supersededBy ? (
          <p>
            {t('Đã được thay bằng giấy chứng nhận ', 'Replaced by certificate ')}
            <a href={`/c/${encodeURIComponent(cert.supersededBy.number)}${q(lang)}`}>{cert.supersededBy.number}</a>
            {t(` (${cert.supersededBy.stars} sao).`, ` (${cert.supersededBy.stars} stars).`)}
            {result.verdict === 'genuine'
              ? t(' Hàng sản xuất theo giấy cũ vẫn hợp lệ đến hết hạn của giấy cũ.', ' Goods made under the old certificate stay genuine until its own end date.')
              : ''}
          </p>
        ) : null}
      </section>
      <section class="card">
        <h2>
          <a href={`/p/${encodeURIComponent(cert.product.slug)}${q(lang)}`}>{cert.product.name}</a>
        </h2>
        <p>
          <Stars n={cert.stars} lang={lang} /> {t(`${cert.stars} sao`, `${cert.stars} stars`)}
        </p>
        <dl>
          <dt>{t('Chủ thể', 'Producer')}</dt>
          <dd>
            {cert.producer.name} ({legalFormLabel(lang, cert.producer.legalForm)})
          </dd>
          <dt>{t('Địa chỉ (khi cấp)', 'Address (as issued)')}</dt>
          <dd>{cert.producer.addressAsIssued || '—'}</dd>
          {cert.producer.addressNow ? (
            <>
              <dt>{t('Đơn vị hiện nay', 'Current unit')}</dt>
              <dd>{cert.producer.addressNow}</dd>
            </>
          ) : null}
          <dt>{t('Quyết định công nhận', 'Recognising decision')}</dt>
          <dd>
            {cert.decisionNumber} · {formatDate(lang, cert.decisionDate)}
            {raw(decisionLinkHtml(lang, cert.decisionNumber, props.decision ?? null))}
          </dd>
          <dt>{t('Cơ quan cấp', 'Issued by')}</dt>
          <dd>
            {cert.issuingBody} · {LEVEL_LABELS[cert.issuingLevel][lang]}
          </dd>
          <dt>{t('Hiệu lực', 'Valid')}</dt>
          <dd>
            {formatDate(lang, cert.validFrom)} – {formatDate(lang, cert.validUntil)}
          </dd>
          <dt>{t('Căn cứ', 'Legal basis')}</dt>
          <dd>{lang === 'vi' ? cert.legalBasis.titleVi : cert.legalBasis.titleEn}</dd>
          {cert.supersedes ? (
            <>
              <dt>{t('Gia hạn từ', 'Renews')}</dt>
              <dd>
                <a href={`/c/${encodeURIComponent(cert.supersedes.number)}${q(lang)}`}>{cert.supersedes.number}</a> ({cert.supersedes.stars}★)
              </dd>
            </>
          ) : null}
        </dl>
      </section>
      <section class="card small">
        <h2>{t('Cho nhà bán lẻ', 'For retailers')}</h2>
        <p>
          {t('Chứng thư ký số (JWT) để kiểm tra ngoại tuyến: ', 'Signed credential (JWT) for offline checks: ')}
          <a href={`/api/v1/credentials/${encodeURIComponent(cert.number)}`}>/api/v1/credentials/{cert.number}</a>
        </p>
        <p>
          {t('Chứng thư W3C VC 2.0 (vc+jwt, bên cấp did:web): ', 'W3C Verifiable Credential 2.0 (vc+jwt, issuer did:web): ')}
          <a href={`/api/v1/certificates/${encodeURIComponent(cert.number)}/vc`}>/api/v1/certificates/{cert.number}/vc</a>
        </p>
        <p>
          <a href="/api/docs">{t('Tài liệu API', 'API reference')}</a> · <a href="/tra-cuu">{t('Tra cứu nhiều mã bằng tệp CSV', 'Check many numbers with a CSV file')}</a>
        </p>
      </section>
      <ReportForm lang={lang} codeText={null} certificateNumber={cert.number} open={false} />
    </Layout>
  );
}

export function NotFoundPage(props: { lang: Lang; switchHref: string; titleVi: string; titleEn: string; detailVi: string; detailEn: string }) {
  const t = translator(props.lang);
  return (
    <Layout lang={props.lang} title={t(props.titleVi, props.titleEn)} switchHref={props.switchHref}>
      <section class="verdict bad">
        <h1>{t(props.titleVi, props.titleEn)}</h1>
        <p>{t(props.detailVi, props.detailEn)}</p>
      </section>
      <section class="card">
        <form method="get" action="/c">
          {props.lang === 'en' ? <input type="hidden" name="lang" value="en" /> : null}
          <label for="number">{t('Nhập số giấy chứng nhận', 'Enter a certificate number')}</label>
          <input id="number" type="text" name="number" maxlength={40} autocapitalize="characters" />
          <button type="submit">{t('Tra cứu', 'Look up')}</button>
        </form>
        <p>
          <a href={props.lang === 'en' ? '/products?lang=en' : '/products'}>{t('Tìm trong danh mục sản phẩm', 'Search the product catalogue')}</a>
        </p>
      </section>
    </Layout>
  );
}
