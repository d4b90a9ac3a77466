import type { CataloguePage, FilterOption, PublicState } from '../db/catalogue';
import type { ProductDetails } from '../db/products';
import type { PlaceList } from '../db/sales-points';
import { raw } from 'hono/html';
import { certificateState } from '../domain/certificate-state';
import { contactSectionHtml } from './contact';
import { formatDate, formatNumber, translator, type Lang } from './i18n';
import { certificationNode, jsonLdScript, productJsonLd } from './json-ld';
import { legalFormLabel, stateLabel, stateTone } from './labels';
import { Layout, Stars, type OpenGraph } from './layout';
import type { PhotoView } from '../db/media';
import { galleryHtml } from './photos';
import { RenewalPendingBox } from './renewal-pending-box';
import { renewalPendingHeading } from './renewal-pending';
import { SearchSuggestion, WhereToBuySection } from './where-to-buy';

function q(lang: Lang): string {
  return lang === 'en' ? '?lang=en' : '';
}

export function ProductPage(props: { lang: Lang; switchHref: string; product: ProductDetails; now: Date; og: OpenGraph; baseUrl: string; hotline?: string | undefined; photos?: readonly PhotoView[]; places?: PlaceList | undefined }) {
  const { lang, product } = props;
  const t = translator(lang);
  const current = product.certificates.find((c) => c.status !== 'superseded') ?? product.certificates[0];
  const structured = productJsonLd(
    props.baseUrl,
    { name: product.name, slug: product.slug, description: product.description, gtin: product.gtin, category: product.groupVi, producer: { name: product.producer.name, address: product.producer.addressAsIssued } },
    product.certificates.map((c) => certificationNode(props.baseUrl, c, certificateState({ status: c.status, validFrom: c.validFrom, validUntil: c.validUntil, renewalPendingSince: c.renewalPendingSince ?? null }, props.now).state)),
  );
  return (
    <Layout lang={lang} title={`${product.name} · OCOP`} switchHref={props.switchHref} og={props.og} description={props.og.description}>
      {raw(jsonLdScript(structured))}
      <h1>{product.name}</h1>
      {current ? (
        <p>
          <Stars n={current.stars} lang={lang} /> {t(`Sản phẩm OCOP ${current.stars} sao`, `${current.stars}-star OCOP product`)}
        </p>
      ) : null}
      <RenewalPendingBox lang={lang} cert={current} now={props.now} />
      {product.groupVi ? <p class="muted">{t('Nhóm: ', 'Group: ')}{lang === 'vi' ? product.groupVi : (product.groupEn ?? product.groupVi)}</p> : null}
      {product.description ? <p>{product.description}</p> : null}
      {product.gtin ? (
        <p class="small">
          {t('Mã vạch (GTIN)', 'Barcode (GTIN)')}: <span class="code">{product.gtin}</span>
        </p>
      ) : null}
      {raw(galleryHtml(lang, product.name, props.photos ?? []))}
      <section class="card">
        <h2>{t('Chủ thể sản xuất', 'Producer')}</h2>
        <dl>
          <dt>{t('Tên', 'Name')}</dt>
          <dd>{product.producer.name}</dd>
          <dt>{t('Loại hình', 'Legal form')}</dt>
          <dd>{legalFormLabel(lang, product.producer.legalForm)}</dd>
          <dt>{t('Địa chỉ (khi cấp)', 'Address (as issued)')}</dt>
          <dd>{product.producer.addressAsIssued || '—'}</dd>
          {product.producer.addressNow ? (
            <>
              <dt>{t('Đơn vị hiện nay', 'Current unit')}</dt>
              <dd>{product.producer.addressNow}</dd>
            </>
          ) : null}
        </dl>
      </section>
      {raw(contactSectionHtml({ lang, producer: product.producer, hotline: props.hotline, reportHref: null }))}
      {product.regions.length > 0 ? (
        <section class="card">
          <h2>{t('Vùng nguyên liệu', 'Raw-material region')}</h2>
          <ul class="plain">
            {product.regions.map((r) => (
              <li>
                {r.description}
                {r.unit ? <span class="muted small"> · {r.unit}</span> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {props.places ? <WhereToBuySection lang={lang} slug={product.slug} list={props.places} /> : null}
      <section class="card">
        <h2>{t('Lịch sử chứng nhận', 'Certificate history')}</h2>
        <ul class="plain">
          {product.certificates.map((c) => {
            const s = certificateState({ status: c.status, validFrom: c.validFrom, validUntil: c.validUntil, renewalPendingSince: c.renewalPendingSince ?? null }, props.now);
            return (
              <li>
                <a href={`/c/${encodeURIComponent(c.number)}${q(lang)}`}>{c.number}</a> · {c.stars}★ ·{' '}
                <span class={`pill ${stateTone(s.state)}`}>{s.state === 'renewal_pending' && c.renewalPendingSince ? renewalPendingHeading(lang, t, c.renewalPendingSince) : stateLabel(lang, s.state)}</span>
                <br />
                <span class="small muted">
                  {c.decisionNumber} · {c.issuingBody} · {formatDate(lang, c.validFrom)} – {formatDate(lang, c.validUntil)}
                </span>
              </li>
            );
          })}
        </ul>
      </section>
    </Layout>
  );
}

export interface CatalogueView {
  q: string;
  group: string;
  area: string;
  stars: string;
  status: string;
}

export function CataloguePageView(props: {
  lang: Lang;
  switchHref: string;
  view: CatalogueView;
  page: CataloguePage;
  options: { groups: FilterOption[]; areas: FilterOption[] };
  pageHref: (page: number) => string;
}) {
  const { lang, view, page, options } = props;
  const t = translator(lang);
  const states: PublicState[] = ['valid', 'expiring', 'expired', 'revoked'];
  return (
    <Layout lang={lang} title={t('Danh mục sản phẩm OCOP', 'OCOP product catalogue')} switchHref={props.switchHref}>
      <h1>{t('Danh mục sản phẩm OCOP', 'OCOP product catalogue')}</h1>
      <form method="get" action="/products" class="card stack" role="search">
        {lang === 'en' ? <input type="hidden" name="lang" value="en" /> : null}
        <label for="q">{t('Tìm sản phẩm, chủ thể hoặc số giấy chứng nhận', 'Search products, producers or certificate numbers')}</label>
        <input id="q" type="search" name="q" value={view.q} maxlength={100} placeholder={t('ví dụ: hạt điều', 'e.g. hat dieu')} />
        <div class="filters">
          <div>
            <label for="group">{t('Nhóm', 'Group')}</label>
            <select id="group" name="group">
              <option value="">{t('Tất cả', 'All')}</option>
              {options.groups.map((g) => (
                <option value={g.value} selected={view.group === g.value}>
                  {lang === 'vi' ? g.vi : g.en}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label for="area">{t('Khu vực', 'Area')}</label>
            <select id="area" name="area">
              <option value="">{t('Tất cả', 'All')}</option>
              {options.areas.map((a) => (
                <option value={a.value} selected={view.area === a.value}>
                  {lang === 'vi' ? a.vi : a.en}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label for="stars">{t('Hạng sao', 'Stars')}</label>
            <select id="stars" name="stars">
              <option value="">{t('Tất cả', 'All')}</option>
              {['3', '4', '5'].map((s) => (
                <option value={s} selected={view.stars === s}>
                  {s}★
                </option>
              ))}
            </select>
          </div>
          <div>
            <label for="status">{t('Trạng thái', 'Status')}</label>
            <select id="status" name="status">
              <option value="">{t('Tất cả', 'All')}</option>
              {states.map((s) => (
                <option value={s} selected={view.status === s}>
                  {stateLabel(lang, s)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <button type="submit">{t('Tìm', 'Search')}</button>
      </form>
      <SearchSuggestion lang={lang} q={view.q} suggestion={page.suggestion} />
      <p class="muted" aria-live="polite">
        {t(`${formatNumber(lang, page.total)} sản phẩm`, `${formatNumber(lang, page.total)} products`)}
      </p>
      <ul class="plain card">
        {page.items.map((item) => (
          <li>
            <a href={`/p/${encodeURIComponent(item.slug)}${q(lang)}`}>
              <strong>{item.name}</strong>
            </a>{' '}
            <Stars n={item.stars} lang={lang} />
            <br />
            <span class="small">{item.producerName}</span>
            <br />
            <span class="small muted">
              {lang === 'vi' ? (item.groupVi ?? '') : (item.groupEn ?? item.groupVi ?? '')} · {item.certificateNumber} ·{' '}
            </span>
            <span class={`pill small ${stateTone(item.state)}`}>{stateLabel(lang, item.state)}</span>
          </li>
        ))}
        {page.items.length === 0 ? <li>{t('Không tìm thấy sản phẩm nào.', 'No products found.')}</li> : null}
      </ul>
      {page.pageCount > 1 ? (
        <nav class="small" aria-label={t('Trang', 'Pages')}>
          {page.page > 1 ? <a href={props.pageHref(page.page - 1)}>← {t('Trước', 'Previous')}</a> : null}{' '}
          {t(`Trang ${page.page}/${page.pageCount}`, `Page ${page.page} of ${page.pageCount}`)}{' '}
          {page.page < page.pageCount ? <a href={props.pageHref(page.page + 1)}>{t('Sau', 'Next')} →</a> : null}
        </nav>
      ) : null}
    </Layout>
  );
}

export function HomePage(props: { lang: Lang; switchHref: string }) {
  const { lang } = props;
  const t = translator(lang);
  return (
    <Layout lang={lang} title={t('OCOP Verify – kiểm tra sản phẩm OCOP', 'OCOP Verify – check OCOP products')} switchHref={props.switchHref}>
      <h1>{t('Kiểm tra sản phẩm OCOP', 'Check an OCOP product')}</h1>
      <p>
        {t(
          'Quét mã QR trên bao bì bằng camera điện thoại để biết sản phẩm có phải hàng OCOP chính hãng, hạng sao và giấy chứng nhận còn hiệu lực hay không.',
          'Scan the QR code on the package with your phone camera to see whether it is a genuine OCOP product, its stars and whether its certificate is valid.',
        )}
      </p>
      <section class="card">
        <form method="get" action="/c" class="stack">
          {lang === 'en' ? <input type="hidden" name="lang" value="en" /> : null}
          <label for="number">{t('Số giấy chứng nhận', 'Certificate number')}</label>
          <input id="number" type="text" name="number" maxlength={40} autocapitalize="characters" />
          <button type="submit">{t('Tra cứu', 'Look up')}</button>
        </form>
      </section>
      <section class="card">
        <form method="get" action="/products" class="stack" role="search">
          {lang === 'en' ? <input type="hidden" name="lang" value="en" /> : null}
          <label for="q">{t('Tìm sản phẩm', 'Find a product')}</label>
          <input id="q" type="search" name="q" maxlength={100} />
          <button type="submit">{t('Tìm', 'Search')}</button>
        </form>
      </section>
      <p class="small">
        <a href="/tra-cuu">{t('Cửa hàng: kiểm tra nhiều mã bằng tệp CSV', 'Shops: check many codes with a CSV file')}</a> ·{' '}
        <a href="/api/docs">{t('API cho nhà bán lẻ', 'Retailer API')}</a>
      </p>
    </Layout>
  );
}
