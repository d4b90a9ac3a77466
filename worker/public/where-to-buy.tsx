// "Nơi mua" / where to buy (issue 12) on the public side: the section of the scan and product
// pages, the full lists (/noi-mua, /p/{slug}/noi-mua), the "near me" page (/gan-toi), and the
// catalogue's "did you mean". Places are rendered as plain strings (esc()) so the scan page,
// which is built from strings, and the JSX pages share one rendering.
//
// Nearest first without a script on the scan page: "Gần tôi" links to /gan-toi, the one
// public page that runs a script (allowed by its hash in the CSP, security-headers.ts). It
// asks the browser for the position once and goes to the list with ?lat=&lng=; the position
// is never stored or logged, only used to order that one answer. A phone that refuses, or has
// no script, gets the same list ordered by area, and a choice of area.
import { zValidator } from '@hono/zod-validator';
import { Hono, type Context } from 'hono';
import { raw } from 'hono/html';
import { z } from 'zod';
import type { AppEnv } from '../app-env';
import type { PackageState } from '../db/batches';
import { placeAreas, placesForProduct, productForPlaces, publicPlaces, type PlaceList, type PublicPlace } from '../db/sales-points';
import { mapLinks, parseNear } from '../domain/sales-points';
import { SALES_POINT_KIND_LABELS, SALES_POINT_KINDS, type SalesPointKind } from '../domain/vocabulary';
import { AppError } from '../errors';
import { esc } from './html';
import { pickLang, switchLangHref, translator, type Lang, type Tr } from './i18n';
import { Layout, renderPage } from './layout';

/** How many places the scan page lists before "see all": the verdict keeps the first screen. */
export const SCAN_PAGE_PLACES = 3;

/** The near-me page's script, inline; allowed by this hash alone, and only on /gan-toi. */
export const NEAR_ME_SCRIPT =
  "(function(){var m=document.getElementById('near'),s=document.getElementById('near-status');if(!m||!navigator.geolocation){if(s)s.textContent=s.getAttribute('data-none');return}var n=m.getAttribute('data-next');navigator.geolocation.getCurrentPosition(function(p){location.replace(n+(n.indexOf('?')<0?'?':'&')+'lat='+p.coords.latitude.toFixed(5)+'&lng='+p.coords.longitude.toFixed(5))},function(){s.textContent=s.getAttribute('data-denied')},{timeout:15000,maximumAge:600000})})();";
/** sha256 of NEAR_ME_SCRIPT (a unit test keeps the two together). */
export const NEAR_ME_SCRIPT_HASH = "'sha256-3B16MqZ6eSk58w+kDAE7vZp9Qk300FIY9ucD0fxwUHU='";
export const NEAR_ME_PATH = '/gan-toi';

function withLang(href: string, lang: Lang): string {
  return lang === 'en' ? `${href}${href.includes('?') ? '&' : '?'}lang=en` : href;
}

export function productPlacesHref(slug: string, lang: Lang): string {
  return withLang(`/p/${encodeURIComponent(slug)}/noi-mua`, lang);
}

export function nearMeHref(next: string, lang: Lang): string {
  return withLang(`${NEAR_ME_PATH}?next=${encodeURIComponent(next)}`, lang);
}

function kindLabel(lang: Lang, kind: SalesPointKind): string {
  return SALES_POINT_KIND_LABELS[kind][lang];
}

function distanceText(lang: Lang, km: number): string {
  const n = km < 10 ? km.toFixed(1) : String(Math.round(km));
  return `${lang === 'vi' ? n.replace('.', ',') : n} km`;
}

/** One place: name and kind, address today and before the merger, hours, phone, map and shop links. */
function placeHtml(lang: Lang, t: Tr, p: PublicPlace, compact: boolean): string {
  const illustrative = p.illustrative && !/minh họa/i.test(p.name) ? ` <span class="muted small">(${t('minh họa', 'illustrative')})</span>` : '';
  const lines: string[] = [];
  if (p.address) lines.push(esc(p.address));
  if (p.formerArea && !compact) lines.push(`${t('Trước 01/07/2025: ', 'Before 1 July 2025: ')}${esc(p.formerArea)}`);
  if (p.openingHours && !compact) lines.push(`${t('Giờ mở cửa: ', 'Opening hours: ')}${esc(p.openingHours)}`);
  const links: string[] = [];
  if (p.distanceKm !== null) links.push(`<strong>${distanceText(lang, p.distanceKm)}</strong>`);
  if (p.coordinates) {
    const m = mapLinks(p.coordinates, p.name);
    links.push(`<a href="${esc(m.web)}">${t('Chỉ đường', 'Directions')}</a>`);
    if (!compact) links.push(`<a href="${esc(m.geo)}">${t('Mở ứng dụng bản đồ', 'Open in map app')}</a>`);
  }
  if (p.phone) links.push(`<a href="tel:${esc(p.phone.replace(/[^0-9+]/g, ''))}">${esc(p.phone)}</a>`);
  if (p.url) links.push(`<a href="${esc(p.url)}" rel="noopener nofollow">${t('Mua trực tuyến', 'Buy online')}</a>`);
  return (
    `<li><strong>${esc(p.name)}</strong>${illustrative}<br/><span class="small muted">${esc(kindLabel(lang, p.kind))}</span>` +
    (lines.length ? `<br/><span class="small">${lines.join('<br/>')}</span>` : '') +
    (links.length ? `<br/><span class="small">${links.join(' · ')}</span>` : '') +
    `</li>`
  );
}

function placesList(lang: Lang, t: Tr, places: readonly PublicPlace[], compact: boolean): string {
  return `<ul class="plain">${places.map((p) => placeHtml(lang, t, p, compact)).join('')}</ul>`;
}

/**
 * The scan page's "Nơi mua": at most SCAN_PAGE_PLACES places (the caller loads that many),
 * a link to all of them and one to order them by the shopper's position. Below the facts of
 * the package, so the verdict and its warnings keep the first screen.
 */
export function whereToBuyScanHtml(lang: Lang, slug: string, list: PlaceList): string {
  const t = translator(lang);
  const all = productPlacesHref(slug, lang);
  if (list.total === 0) {
    return `<section class="card"><h2>${t('Nơi mua', 'Where to buy')}</h2><p class="small">${t('Chưa có thông tin nơi bán sản phẩm này. ', 'No sales points are recorded for this product yet. ')}<a href="${esc(withLang('/noi-mua', lang))}">${t('Các điểm bán sản phẩm OCOP', 'OCOP showrooms and shops')}</a></p></section>`;
  }
  const more = list.total > list.places.length ? t(`Xem tất cả ${list.total} nơi bán`, `All ${list.total} places`) : t('Xem chi tiết', 'Details');
  return (
    `<section class="card"><h2>${t('Nơi mua', 'Where to buy')}</h2>${placesList(lang, t, list.places, true)}` +
    `<p class="small"><a href="${esc(all)}">${more}</a> · <a href="${esc(nearMeHref(`/p/${slug}/noi-mua`, lang))}">${t('Gần tôi nhất', 'Nearest to me')}</a></p></section>`
  );
}

/** The product page's "Nơi mua": every place (a product page is not the hot path), nearest-first link. */
export function WhereToBuySection(props: { lang: Lang; slug: string; list: PlaceList }) {
  const { lang, slug, list } = props;
  const t = translator(lang);
  return (
    <section class="card" id="noi-mua">
      <h2>{t('Nơi mua', 'Where to buy')}</h2>
      {list.total === 0 ? (
        <p class="small">
          {t('Chưa có thông tin nơi bán sản phẩm này. ', 'No sales points are recorded for this product yet. ')}
          <a href={withLang('/noi-mua', lang)}>{t('Các điểm bán sản phẩm OCOP', 'OCOP showrooms and shops')}</a>
        </p>
      ) : (
        <>
          {raw(placesList(lang, t, list.places, false))}
          <p class="small">
            <a href={nearMeHref(`/p/${slug}/noi-mua`, lang)}>{t('Sắp xếp theo nơi gần tôi nhất', 'Nearest to me first')}</a>
          </p>
        </>
      )}
    </section>
  );
}

/** "Có phải bạn muốn tìm: …" above the catalogue's results when they are for corrected words. */
export function SearchSuggestion(props: { lang: Lang; q: string; suggestion: string | undefined }) {
  if (!props.suggestion) return null;
  const t = translator(props.lang);
  const href = withLang(`/products?q=${encodeURIComponent(props.suggestion)}`, props.lang);
  return (
    <p class="note">
      {t(`Không có kết quả cho “${props.q}”. `, `Nothing matches “${props.q}”. `)}
      {t('Có phải bạn muốn tìm: ', 'Did you mean: ')}
      <a href={href}>
        <strong>{props.suggestion}</strong>
      </a>
      {t(' — kết quả bên dưới là cho từ này.', ' — the results below are for it.')}
    </p>
  );
}

/** The scan page's places: the first SCAN_PAGE_PLACES by area (the scan page asks no position). */
export async function loadScanPlaces(c: Context<AppEnv>, state: PackageState | null): Promise<PlaceList | null> {
  if (!state) return null;
  const { deps, db } = c.var;
  // Read on every scan of every package of the product: cached like the package's state.
  const productId = state.product.id;
  return deps.cache.extra(`scan-places:${productId}`, async () => placesForProduct(db, productId, await deps.cache.unitIndex(db), null, SCAN_PAGE_PLACES));
}

/** The product page's places: all of them, by area. */
export async function loadProductPlaces(c: Context<AppEnv>, productId: number): Promise<PlaceList> {
  const { deps, db } = c.var;
  return placesForProduct(db, productId, await deps.cache.unitIndex(db), null);
}

// ---------------------------------------------------------------------------------------
// Pages

const coordinate = z.string().max(20).optional();
const listQuery = z.object({
  kind: z.union([z.literal(''), z.enum(SALES_POINT_KINDS)]).optional(),
  area: z.union([z.literal(''), z.string().regex(/^[a-z0-9-]{1,60}$/)]).optional(),
  lat: coordinate,
  lng: coordinate,
  lang: z.string().optional(),
});
const nearQuery = z.object({
  // Only our own lists: the page must never become an open redirect.
  next: z.string().regex(/^\/(p\/[a-z0-9]+(-[a-z0-9]+)*\/)?noi-mua$/),
  lang: z.string().optional(),
});

function badQuery(result: { success: boolean }): void {
  if (!result.success) throw new AppError(400, 'invalid_request', 'Tham số không hợp lệ', 'Invalid parameters');
}

const PAGE_CACHE = 'public, max-age=30';

function other(lang: Lang): Lang {
  return lang === 'vi' ? 'en' : 'vi';
}

function orderNote(lang: Lang, list: PlaceList, askedNear: boolean): string {
  const t = translator(lang);
  if (list.nearest) return t('Sắp xếp từ gần đến xa vị trí của bạn (vị trí không được lưu lại).', 'Nearest to your position first (your position is not stored).');
  if (askedNear) return t('Không đọc được vị trí (cần tọa độ trong lãnh thổ Việt Nam): sắp xếp theo khu vực.', 'Could not read a position inside Vietnam: ordered by area.');
  return t('Sắp xếp theo khu vực (huyện, thị xã, thành phố trước 01/07/2025).', 'Ordered by area (district before 1 July 2025).');
}

/** Places grouped under their former district (when ordered by area), or one list (nearest first). */
function groupedPlaces(lang: Lang, list: PlaceList): string {
  const t = translator(lang);
  if (list.nearest) return `<section class="card">${placesList(lang, t, list.places, false)}</section>`;
  let html = '';
  let group: string | null = null;
  let items: PublicPlace[] = [];
  const flush = () => {
    if (items.length) html += `<section class="card"><h2>${esc(group ?? '')}</h2>${placesList(lang, t, items, false)}</section>`;
    items = [];
  };
  for (const p of list.places) {
    const g = p.kind === 'online' ? t('Trực tuyến', 'Online') : (p.formerArea ?? t('Khu vực khác', 'Other areas'));
    if (g !== group) {
      flush();
      group = g;
    }
    items.push(p);
  }
  flush();
  return html;
}

export function whereToBuyRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/noi-mua', zValidator('query', listQuery, badQuery), async (c) => {
    const { deps, db } = c.var;
    const lang = pickLang(c);
    const t = translator(lang);
    const q = c.req.valid('query');
    const near = parseNear(q.lat, q.lng);
    const kind = q.kind || undefined;
    const area = q.area || undefined;
    const units = await deps.cache.unitIndex(db);
    const [list, areas] = await Promise.all([publicPlaces(db, units, { kind, area }, near), placeAreas(db)]);
    const html = await renderPage(
        c,
      <Layout lang={lang} title={t('Nơi mua sản phẩm OCOP', 'Where to buy OCOP products')} switchHref={switchLangHref(c, other(lang))}>
        <h1>{t('Nơi mua sản phẩm OCOP', 'Where to buy OCOP products')}</h1>
        <p>
          {t('Điểm giới thiệu và bán sản phẩm OCOP, siêu thị, cửa hàng, sạp chợ và cửa hàng trực tuyến.', 'OCOP showrooms, supermarkets, shops, market stalls and online shops.')}{' '}
          <a href={nearMeHref('/noi-mua', lang)}>{t('Gần tôi nhất', 'Nearest to me')}</a>
        </p>
        <form method="get" action="/noi-mua" class="card stack">
          {lang === 'en' ? <input type="hidden" name="lang" value="en" /> : null}
          <div class="filters">
            <div>
              <label for="kind">{t('Loại', 'Kind')}</label>
              <select id="kind" name="kind">
                <option value="">{t('Tất cả', 'All')}</option>
                {SALES_POINT_KINDS.map((k) => (
                  <option value={k} selected={kind === k}>
                    {kindLabel(lang, k)}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label for="area">{t('Khu vực (trước 01/07/2025)', 'Area (before 1 July 2025)')}</label>
              <select id="area" name="area">
                <option value="">{t('Tất cả', 'All')}</option>
                {areas.map((a) => (
                  <option value={a.id} selected={area === a.id}>
                    {a.name}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <button type="submit">{t('Xem', 'Show')}</button>
        </form>
        <p class="muted small">
          {t(`${list.total} nơi bán. `, `${list.total} places. `)}
          {orderNote(lang, list, q.lat !== undefined)}
        </p>
        {list.total === 0 ? <p>{t('Chưa có nơi bán nào phù hợp.', 'No places match.')}</p> : raw(groupedPlaces(lang, list))}
      </Layout>,
    );
    return c.html(html, 200, { 'cache-control': near ? 'no-store' : PAGE_CACHE, vary: 'Accept-Language' });
  });

  app.get('/p/:slug/noi-mua', zValidator('query', listQuery, badQuery), async (c) => {
    const { deps, db } = c.var;
    const lang = pickLang(c);
    const t = translator(lang);
    const slug = c.req.param('slug');
    const product = slug.length <= 120 && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug) ? await productForPlaces(db, slug) : null;
    if (!product) throw new AppError(404, 'not_found', 'Không tìm thấy sản phẩm', 'Product not found');
    const q = c.req.valid('query');
    const near = parseNear(q.lat, q.lng);
    const list = await placesForProduct(db, product.id, await deps.cache.unitIndex(db), near);
    const html = await renderPage(
        c,
      <Layout lang={lang} title={`${t('Nơi mua', 'Where to buy')}: ${product.name}`} switchHref={switchLangHref(c, other(lang))}>
        <h1>
          {t('Nơi mua', 'Where to buy')}: {product.name}
        </h1>
        <p class="small">
          {product.producerName} · <a href={withLang(`/p/${encodeURIComponent(product.slug)}`, lang)}>{t('Trang sản phẩm', 'Product page')}</a> ·{' '}
          <a href={nearMeHref(`/p/${product.slug}/noi-mua`, lang)}>{t('Gần tôi nhất', 'Nearest to me')}</a>
        </p>
        <p class="muted small">
          {t(`${list.total} nơi bán. `, `${list.total} places. `)}
          {orderNote(lang, list, q.lat !== undefined)}
        </p>
        {list.total === 0 ? (
          <p>
            {t('Chưa có thông tin nơi bán sản phẩm này. ', 'No sales points are recorded for this product yet. ')}
            <a href={withLang('/noi-mua', lang)}>{t('Các điểm bán sản phẩm OCOP', 'OCOP showrooms and shops')}</a>
          </p>
        ) : (
          raw(groupedPlaces(lang, list))
        )}
      </Layout>,
    );
    return c.html(html, 200, { 'cache-control': near ? 'no-store' : PAGE_CACHE, vary: 'Accept-Language' });
  });

  app.get(NEAR_ME_PATH, zValidator('query', nearQuery, badQuery), async (c) => {
    const lang = pickLang(c);
    const t = translator(lang);
    const next = c.req.valid('query').next;
    const html = await renderPage(
        c,
      <Layout lang={lang} title={t('Nơi bán gần tôi', 'Places near me')} switchHref={switchLangHref(c, other(lang))}>
        <h1>{t('Nơi bán gần tôi', 'Places near me')}</h1>
        <div id="near" data-next={withLang(next, lang)}>
          <p id="near-status" aria-live="polite"
            data-denied={t('Không lấy được vị trí (bạn đã từ chối, hoặc điện thoại chưa bật định vị). Xem danh sách theo khu vực bên dưới.', 'Could not get your position (refused, or location is off). See the list by area below.')}
            data-none={t('Trình duyệt này không cho biết vị trí. Xem danh sách theo khu vực bên dưới.', 'This browser cannot share a position. See the list by area below.')}>
            {t('Đang hỏi vị trí của bạn… Điện thoại sẽ hỏi bạn có cho phép không. Vị trí chỉ dùng để sắp xếp danh sách, không được lưu lại.', 'Asking for your position… Your phone will ask whether to allow it. It is only used to order the list and is never stored.')}
          </p>
        </div>
        <p>
          <a href={withLang(next, lang)}>{t('Xem danh sách theo khu vực', 'See the list by area')}</a>
        </p>
        {raw(`<script>${NEAR_ME_SCRIPT}</script>`)}
      </Layout>,
    );
    return c.html(html, 200, { 'cache-control': PAGE_CACHE, vary: 'Accept-Language' });
  });

  return app;
}
