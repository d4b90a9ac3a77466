import type { PackageState } from '../db/package-state';
import type { ScanHistory } from '../db/scans';
import { addDays } from '../domain/dates';
import { formatDate, formatInstantDate, formatNumber, translator, type Lang } from './i18n';
import { groundLabel, LEVEL_LABELS, legalFormLabel, stateLabel } from './labels';
import { Layout, Stars, type OpenGraph } from './layout';
import { ReportForm } from './report-form';
import type { VerdictResult } from './verdict';

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
  og: OpenGraph;
}

function certHref(lang: Lang, number: string): string {
  return `/c/${encodeURIComponent(number)}${lang === 'en' ? '?lang=en' : ''}`;
}

function VerdictBox(props: { lang: Lang; result: VerdictResult; state: PackageState | null }) {
  const { lang, result, state } = props;
  const t = translator(lang);
  const cert = state?.certificate;
  const renewal = result.renewal;
  const renewalLine = renewal ? (
    <p>
      {t('Đã có giấy chứng nhận mới sau đánh giá lại: ', 'A renewed certificate has been issued: ')}
      <a href={certHref(lang, renewal.number)}>{renewal.number}</a>
      {t(`, hạng ${renewal.stars} sao, hiệu lực đến ${formatDate(lang, renewal.validUntil)}.`, `, ${renewal.stars} stars, valid until ${formatDate(lang, renewal.validUntil)}.`)}
    </p>
  ) : null;
  switch (result.verdict) {
    case 'genuine':
      return (
        <section class="verdict ok" aria-live="polite">
          <h1>✓ {t('Sản phẩm OCOP chính hãng', 'Genuine OCOP product')}</h1>
          <p>
            {t(
              `Mã trên bao bì do hệ thống OCOP cấp. Giấy chứng nhận còn hiệu lực đến ${formatDate(lang, cert!.validUntil)} (còn ${formatNumber(lang, result.daysLeft ?? 0)} ngày).`,
              `This code was issued by the OCOP system. The certificate is valid until ${formatDate(lang, cert!.validUntil)} (${formatNumber(lang, result.daysLeft ?? 0)} days left).`,
            )}
          </p>
          {result.expiringSoon ? (
            <p class="note">
              {t(
                `Lưu ý: giấy chứng nhận sắp hết hạn, chỉ còn ${result.daysLeft} ngày.`,
                `Note: the certificate expires soon, only ${result.daysLeft} days left.`,
              )}
            </p>
          ) : null}
          {renewalLine}
        </section>
      );
    case 'expired':
      return (
        <section class="verdict warn">
          <h1>! {t('Hàng thật, nhưng giấy chứng nhận OCOP đã hết hạn', 'Genuine, but the OCOP certificate has expired')}</h1>
          <p>
            {t(
              `Giấy chứng nhận chỉ có hiệu lực đến hết ngày ${formatDate(lang, cert!.validUntil)}; đã hết hạn từ ngày ${formatDate(lang, addDays(cert!.validUntil, 1))}.`,
              `The certificate was valid until the end of ${formatDate(lang, cert!.validUntil)}; it expired on ${formatDate(lang, addDays(cert!.validUntil, 1))}.`,
            )}
          </p>
          {renewalLine ?? <p>{t('Chưa có giấy chứng nhận gia hạn cho sản phẩm này.', 'No renewal has been issued for this product.')}</p>}
        </section>
      );
    case 'revoked': {
      const r = cert?.revocation;
      return (
        <section class="verdict bad">
          <h1>✗ {t('Giấy chứng nhận OCOP đã bị thu hồi', 'The OCOP certificate has been revoked')}</h1>
          {r ? (
            <p>
              {t(
                `Quyết định thu hồi số ${r.decisionNumber} ngày ${formatDate(lang, r.date)}. Lý do: ${groundLabel(lang, r.ground)}.`,
                `Revocation decision ${r.decisionNumber} of ${formatDate(lang, r.date)}. Ground: ${groundLabel(lang, r.ground)}.`,
              )}
            </p>
          ) : null}
          <p>{t('Sản phẩm này không còn được dùng nhãn OCOP.', 'This product may no longer carry the OCOP label.')}</p>
        </section>
      );
    }
    case 'key_withdrawn':
      return (
        <section class="verdict bad">
          <h1>✗ {t('Không xác thực được: khóa ký của mã đã bị thu hồi', 'Cannot be verified: the key that signed this code was withdrawn')}</h1>
          <p>
            {t(
              'Cơ quan quản lý đã thu hồi khóa dùng để ký mã này (ví dụ vì bị lộ). Không thể khẳng định đây là hàng chính hãng. Hãy hỏi người bán, và báo cho chúng tôi bằng mẫu bên dưới.',
              'The authority withdrew the key that signed this code (for example because it leaked). This product cannot be confirmed as genuine. Ask the seller, and tell us with the form below.',
            )}
          </p>
        </section>
      );
    default: {
      const why =
        result.reason === 'malformed'
          ? t('Mã không đúng định dạng: có thể in sai, quét thiếu, hoặc bị làm giả.', 'The code is not in the OCOP format: misprinted, partly scanned, or forged.')
          : result.reason === 'unknown_batch' || result.reason === 'unknown_package'
            ? t('Không có lô hàng nào được cấp với mã này.', 'No batch was issued with this code.')
            : t('Chữ ký của mã không khớp với khóa của hệ thống OCOP.', 'The code’s signature does not match the OCOP system’s keys.');
      return (
        <section class="verdict bad">
          <h1>✗ {t('Không phải mã OCOP hợp lệ – có thể là hàng giả', 'Not a valid OCOP code – possibly counterfeit')}</h1>
          <p>{why}</p>
          <p>
            {t(
              'Đừng tin nhãn OCOP trên sản phẩm này. Hãy báo cho cơ quan quản lý bằng mẫu bên dưới (không cần đăng nhập).',
              'Do not trust the OCOP label on this product. Report it to the authority with the form below (no sign-in needed).',
            )}
          </p>
        </section>
      );
    }
  }
}

export function ScanPage(props: ScanPageProps) {
  const { lang, result, state, history } = props;
  const t = translator(lang);
  const showDetails = state !== null && (result.verdict === 'genuine' || result.verdict === 'expired' || result.verdict === 'revoked');
  const title = `${t('Kiểm tra sản phẩm OCOP', 'OCOP product check')}${state && showDetails ? ` · ${state.product.name}` : ''}`;
  return (
    <Layout lang={lang} title={title} switchHref={props.switchHref} og={props.og} description={props.og.description}>
      <VerdictBox lang={lang} result={result} state={showDetails ? state : null} />
      {showDetails && state ? (
        <>
          <section class="card">
            <h2>{state.product.name}</h2>
            <p>
              <Stars n={state.certificate.stars} lang={lang} /> {t(`Sản phẩm OCOP ${state.certificate.stars} sao`, `${state.certificate.stars}-star OCOP product`)}
            </p>
            {state.product.groupVi ? <p class="muted">{t('Nhóm: ', 'Group: ')}{lang === 'vi' ? state.product.groupVi : (state.product.groupEn ?? state.product.groupVi)}</p> : null}
            <p class="small">
              <a href={`/p/${encodeURIComponent(state.product.slug)}${lang === 'en' ? '?lang=en' : ''}`}>{t('Xem trang sản phẩm và lịch sử chứng nhận', 'Product page and certificate history')}</a>
            </p>
          </section>
          <section class="card">
            <h2>{t('Chủ thể sản xuất', 'Producer')}</h2>
            <dl>
              <dt>{t('Tên', 'Name')}</dt>
              <dd>{state.producer.name}</dd>
              <dt>{t('Loại hình', 'Legal form')}</dt>
              <dd>{legalFormLabel(lang, state.producer.legalForm)}</dd>
              <dt>{t('Địa chỉ (khi cấp)', 'Address (as issued)')}</dt>
              <dd>{state.producer.addressAsIssued || '—'}</dd>
              {state.producer.addressNow ? (
                <>
                  <dt>{t('Đơn vị hiện nay', 'Current unit')}</dt>
                  <dd>{state.producer.addressNow}</dd>
                </>
              ) : null}
            </dl>
          </section>
          {state.regions.length > 0 ? (
            <section class="card">
              <h2>{t('Vùng nguyên liệu', 'Raw-material region')}</h2>
              <ul class="plain">
                {state.regions.map((r) => (
                  <li>
                    {r.description}
                    {r.unit ? <span class="muted small"> · {r.unit}</span> : null}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          <section class="card">
            <h2>{t('Giấy chứng nhận', 'Certificate')}</h2>
            <dl>
              <dt>{t('Số', 'Number')}</dt>
              <dd>
                <a href={certHref(lang, state.certificate.number)}>{state.certificate.number}</a>
              </dd>
              <dt>{t('Trạng thái', 'Status')}</dt>
              <dd>{result.state ? stateLabel(lang, result.state) : '—'}</dd>
              <dt>{t('Quyết định công nhận', 'Recognising decision')}</dt>
              <dd>
                {state.certificate.decisionNumber} · {formatDate(lang, state.certificate.decisionDate)}
              </dd>
              <dt>{t('Cơ quan cấp', 'Issued by')}</dt>
              <dd>
                {state.certificate.issuingBody} · {LEVEL_LABELS[state.certificate.issuingLevel][lang]}
              </dd>
              <dt>{t('Hiệu lực', 'Valid')}</dt>
              <dd>
                {formatDate(lang, state.certificate.validFrom)} – {formatDate(lang, state.certificate.validUntil)}
              </dd>
            </dl>
          </section>
          <section class="card">
            <h2>{t('Lô hàng', 'Batch')}</h2>
            <dl>
              <dt>{t('Số lô', 'Lot')}</dt>
              <dd>{state.batch.lotCode}</dd>
              <dt>{t('Ngày sản xuất', 'Produced on')}</dt>
              <dd>{formatDate(lang, state.batch.productionDate)}</dd>
              <dt>{t('Hạn sử dụng', 'Best before')}</dt>
              <dd>{state.batch.bestBefore ? formatDate(lang, state.batch.bestBefore) : '—'}</dd>
              <dt>{t('Gói số', 'Package no.')}</dt>
              <dd>
                {formatNumber(lang, props.serial ?? 0)} / {formatNumber(lang, state.batch.quantity)}
              </dd>
            </dl>
          </section>
          {history ? (
            <section class="card">
              <h2>{t('Lịch sử xác thực của gói này', 'Verification history of this package')}</h2>
              <dl>
                <dt>{t('Lần đầu', 'First verified')}</dt>
                <dd>{history.count <= 1 || !history.first ? t('Hôm nay (lần đầu tiên)', 'Today (first time)') : formatInstantDate(lang, history.first)}</dd>
                <dt>{t('Số lần', 'Times verified')}</dt>
                <dd>
                  {formatNumber(lang, history.count)}
                  {history.capped ? '+' : ''}
                </dd>
              </dl>
              {props.copied ? (
                <p class="note">
                  {t(
                    `Mã của gói này đã được quét ${formatNumber(lang, history.count)}${history.capped ? '+' : ''} lần${history.places > 1 ? ` từ ${history.places} nơi khác nhau` : ''}. Một gói hàng thường chỉ được quét vài lần: nhãn có thể đã bị sao chép. Hãy xem kỹ bao bì và nơi bán; nếu nghi ngờ, hãy báo cho chúng tôi.`,
                    `This package's code has been scanned ${formatNumber(lang, history.count)}${history.capped ? '+' : ''} times${history.places > 1 ? ` from ${history.places} different places` : ''}. A package is usually scanned only a few times: the label may have been copied. Look closely at the packaging and the seller; if in doubt, tell us.`,
                  )}
                </p>
              ) : null}
            </section>
          ) : null}
        </>
      ) : null}
      <ReportForm lang={lang} codeText={props.codeText} open={!showDetails || props.copied} />
    </Layout>
  );
}
