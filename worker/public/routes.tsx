import { zValidator } from '@hono/zod-validator';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import type { AppEnv } from '../app-env';
import { clientAddress } from '../client-address';
import { catalogueOptions, PUBLIC_STATES, searchCatalogue } from '../db/catalogue';
import { certificateByNumber, normaliseCertificateNumber } from '../db/certificates';
import { countRecentReports, createReport } from '../db/counterfeit-reports';
import { productBySlug } from '../db/products';
import type { ScanHistory } from '../db/scans';
import { todayInVietnam } from '../domain/dates';
import { isCleanText, UNCLEAN_TEXT_MESSAGE } from '../domain/text';
import { AppError } from '../errors';
import { CertificatePage, NotFoundPage } from './certificate-page';
import { clientHash, coarsePlace, looksLikeBot } from './client';
import { digitalLinkRoutes } from './digital-link';
import { pickLang, switchLangHref, type Lang } from './i18n';
import { renderPage } from './layout';
import { CataloguePageView, HomePage, ProductPage } from './product-page';
import { REPORT_CODE_MAX, REPORT_CONTACT_MAX, REPORT_MESSAGE_MAX, ReportThanksPage } from './report-form';
import { scanPageHtml } from './scan-page';
import { certificatePageMedia, ogImage, productPageMedia, serveDefaultOg, serveMedia } from './photos';
import { looksCopied, type ResolvedPackage } from './scan-service';
import { publicCertificateVerdict, scanStatus, type VerdictResult } from './verdict';
import { loadScanPlaces, loadProductPlaces, whereToBuyRoutes } from './where-to-buy';

// Freshness of public pages: the scan page is never cached anywhere (every scan is
// counted and shows the package's history); certificate, product and catalogue pages may
// be cached for 30 s. With the per-process state cache (≤ CACHE_TTL_SECONDS) a change made
// elsewhere shows within 60 s at worst, and at once on the process that made it.
const PAGE_CACHE = 'public, max-age=30';
const NO_STORE = 'no-store';

/** Longest code text the scan route looks at; longer paths are junk and get a 400. */
const MAX_CODE_INPUT = 512;
/** Reports per client hash per hour. */
export const REPORTS_PER_HOUR = 5;

function other(lang: Lang): Lang {
  return lang === 'vi' ? 'en' : 'vi';
}

function withCurrentScan(h: ScanHistory, now: Date): ScanHistory {
  return {
    count: h.count + 1,
    first: h.first ?? now,
    last: now,
    places: h.places,
    people: Math.max(h.people, 1),
    scansToday: h.scansToday + 1,
    peopleToday: Math.max(h.peopleToday, 1),
  };
}

function ogDescription(lang: Lang, resolved: ResolvedPackage): string {
  const s = resolved.state;
  const r = resolved.result;
  const vi = lang === 'vi';
  if (!s || r.verdict === 'not_genuine' || r.verdict === 'key_withdrawn') {
    return vi ? 'Mã này không xác thực được là sản phẩm OCOP chính hãng.' : 'This code could not be verified as a genuine OCOP product.';
  }
  const head = `${s.product.name} · ${s.certificate.stars}★ · ${s.producer.name}`;
  if (r.verdict === 'genuine') return vi ? `${head}. Sản phẩm OCOP chính hãng.` : `${head}. Genuine OCOP product.`;
  if (r.verdict === 'expired') return vi ? `${head}. Giấy chứng nhận đã hết hạn.` : `${head}. Certificate expired.`;
  return vi ? `${head}. Giấy chứng nhận đã bị thu hồi.` : `${head}. Certificate revoked.`;
}

/**
 * The scanned text a scan path stands for (worker/codes/README.md §5, "The scan route"): the
 * path after `/v/` or `/V/` exactly as sent, before percent-decoding, so that the page calls
 * a URL malformed exactly when the API would. A query other than the page's own `lang`
 * switch is kept on the text (and so makes it malformed); a path that reached the route only
 * after decoding (`/%56/…`) is kept whole.
 */
export function scannedText(url: string): { text: string; path: string } {
  const u = new URL(url);
  const path = u.pathname;
  let text = /^\/[vV]\//.test(path) ? path.slice(3) : path;
  for (const name of u.searchParams.keys()) {
    if (name !== 'lang') {
      text += u.search;
      break;
    }
  }
  return { text, path };
}

/** GET /v/{code} and /V/{code}: the page a phone camera opens. The hot path: no zod; the one added read (where to buy) runs beside the history. */
async function scanPage(c: Context<AppEnv>): Promise<Response> {
  const { deps, db } = c.var;
  const { text: raw, path: rawPath } = scannedText(c.req.url);
  const now = deps.clock();
  const lang = pickLang(c);
  const resolved: ResolvedPackage =
    raw.length > MAX_CODE_INPUT
      ? { check: { ok: false, reason: 'malformed' }, state: null, result: { verdict: 'not_genuine', reason: 'malformed', state: null, daysLeft: null, expiringSoon: false, renewal: null } }
      : await deps.scans.resolvePackage(db, raw, now);
  const { check, state, result } = resolved;
  deps.metrics.verdict(result.verdict);
  const known = check.ok && state !== null && result.verdict !== 'not_genuine';
  // Where to buy and the photo are read beside the history (both cached like the package's
  // state), so they add no round trip to the scan's latency.
  const [rawHistory, places, photo] = await Promise.all([
    known ? deps.scans.history(db, check.ref.batchId, check.ref.serial, now) : null,
    known && result.verdict === 'genuine' ? loadScanPlaces(c, state) : null,
    known && state ? deps.media.mainPhoto(db, state.product.id) : null,
  ]);
  const history: ScanHistory | null = rawHistory ? withCurrentScan(rawHistory, now) : null;
  const canonical = check.code ?? null;
  const html = scanPageHtml({
    lang,
    // The scan URL carries no other query: no need to parse it again for the switch.
    switchHref: raw.length > MAX_CODE_INPUT ? `/?lang=${other(lang)}` : `${rawPath}?lang=${other(lang)}`,
    codeText: raw.length <= REPORT_CODE_MAX ? raw : null,
    result,
    state,
    serial: check.ok ? check.ref.serial : null,
    history,
    copied: history !== null && looksCopied(history),
    today: todayInVietnam(now),
    hotline: deps.config.reportHotline,
    photo,
    whereToBuy: places,
    og: {
      image: ogImage(deps.config.publicBaseUrl, photo),
      title: result.verdict === 'genuine' && state ? `${state.product.name} – OCOP ${state.certificate.stars}★` : 'OCOP Verify',
      description: ogDescription(lang, resolved),
      url: canonical ? `${deps.config.publicBaseUrl}/v/${canonical}` : deps.config.publicBaseUrl,
    },
  });
  if (known && check.ok && c.req.method === 'GET' && !looksLikeBot(c)) {
    const place = coarsePlace(c);
    const address = clientAddress(c, deps.config);
    const verdict = result.verdict;
    const { batchId, serial } = check.ref;
    const log = deps.scans.log;
    c.var.defer(() => log.enqueue(db, { batchId, serial, scannedAt: now, place, verdict }, () => clientHash(deps.sessionSecret, address, now)));
  }
  return c.html(html, scanStatus(result), { 'cache-control': NO_STORE, vary: 'Accept-Language' });
}

const catalogueQuery = z.object({
  q: z.string().max(100, 'tối đa 100 ký tự / at most 100 characters').optional(),
  group: z.union([z.literal(''), z.string().regex(/^[a-z0-9_-]{1,40}$/, 'nhóm không hợp lệ / invalid group')]).optional(),
  area: z.union([z.literal(''), z.string().regex(/^[a-z0-9-]{1,60}$/, 'khu vực không hợp lệ / invalid area')]).optional(),
  stars: z.union([z.literal(''), z.enum(['3', '4', '5'])]).optional(),
  status: z.union([z.literal(''), z.enum(PUBLIC_STATES as unknown as [string, ...string[]])]).optional(),
  page: z.union([z.literal(''), z.string().regex(/^[1-9][0-9]{0,4}$/, 'trang không hợp lệ / invalid page')]).optional(),
  lang: z.string().optional(),
});

function queryHook(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }): void {
  if (!result.success) {
    const issue = result.error?.issues[0];
    const field = issue?.path.map(String).join('.') || 'query';
    const [vi, en] = (issue?.message ?? 'giá trị không hợp lệ / invalid value').split(' / ');
    throw new AppError(400, 'invalid_request', `Tham số ${field}: ${vi}`, `Parameter ${field}: ${en ?? vi}`);
  }
}

// A field the browser sent twice counts once; a file where text belongs, or an unknown
// language, counts as not sent, as the form never sends either.
const firstText = (v: unknown) => {
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' ? first : undefined;
};
const reportForm = z.object({
  message: z.preprocess(firstText, z.string({ error: 'hãy mô tả điều bạn thấy / please describe what you saw' }).trim().min(1, 'hãy mô tả điều bạn thấy / please describe what you saw').max(REPORT_MESSAGE_MAX, `tối đa ${REPORT_MESSAGE_MAX} ký tự / at most ${REPORT_MESSAGE_MAX} characters`).refine((s) => isCleanText(s, { multiline: true }), UNCLEAN_TEXT_MESSAGE)),
  contact: z.preprocess(firstText, z.string().trim().max(REPORT_CONTACT_MAX, `tối đa ${REPORT_CONTACT_MAX} ký tự / at most ${REPORT_CONTACT_MAX} characters`).refine((s) => isCleanText(s), UNCLEAN_TEXT_MESSAGE).optional()),
  code: z.preprocess(firstText, z.string().trim().max(REPORT_CODE_MAX, `tối đa ${REPORT_CODE_MAX} ký tự / at most ${REPORT_CODE_MAX} characters`).refine((s) => isCleanText(s), UNCLEAN_TEXT_MESSAGE).optional()),
  certificate: z.preprocess(firstText, z.string().trim().max(60).refine((s) => isCleanText(s), UNCLEAN_TEXT_MESSAGE).optional()),
  lang: z.preprocess((v) => (firstText(v) === 'en' || firstText(v) === 'vi' ? firstText(v) : undefined), z.enum(['vi', 'en']).optional()),
});

/** The number form on the home page (/c?number=…): anything is accepted, and cut at 100 characters. */
const numberQuery = z.object({
  number: z.preprocess(firstText, z.string().optional()).transform((v) => (v ?? '').slice(0, 100)),
  lang: z.preprocess(firstText, z.string().optional()),
});

/** A form body that does not parse is a 400 in words, not zValidator's bare one. */
const readableReport: MiddlewareHandler<AppEnv> = async function readableReport(c, next) {
  try {
    await c.req.parseBody();
  } catch {
    throw new AppError(400, 'invalid_request', 'Không đọc được biểu mẫu', 'Could not read the form');
  }
  await next();
};

export function publicRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.route('/', digitalLinkRoutes());
  app.route('/', whereToBuyRoutes());

  app.get('/', async (c) => {
    const lang = pickLang(c);
    return c.html(await renderPage(c, <HomePage lang={lang} switchHref={switchLangHref(c, other(lang))} />), 200, { 'cache-control': PAGE_CACHE, vary: 'Accept-Language' });
  });

  // Every path under /v/ and /V/ (a trailing slash, extra segments) is the scan page: what
  // is not a code gets the "not genuine" answer, not a generic 404.
  app.get('/v/*', scanPage);
  app.get('/V/*', scanPage);

  // Uploaded photos and decision scans, and the default share picture (worker/public/photos.ts).
  app.get('/media/:file', serveMedia);
  app.get('/og-default.jpg', serveDefaultOg);

  // The number form on the home page: /c?number=... → /c/NUMBER.
  app.get('/c', zValidator('query', numberQuery, queryHook), (c) => {
    const { number: raw, lang } = c.req.valid('query');
    if (raw.trim() === '') return c.redirect(lang === 'en' ? '/?lang=en' : '/', 302);
    const number = normaliseCertificateNumber(raw);
    const target = `/c/${encodeURIComponent(number ?? raw.trim())}${lang === 'en' ? '?lang=en' : ''}`;
    return c.redirect(target, 302);
  });

  app.get('/c/:number{.+}', async (c) => {
    const { deps, db } = c.var;
    const lang = pickLang(c);
    const switchHref = switchLangHref(c, other(lang));
    const raw = c.req.param('number');
    const number = raw.length <= 60 ? normaliseCertificateNumber(raw) : null;
    if (!number) {
      const html = await renderPage(
        c,
        <NotFoundPage lang={lang} switchHref={switchHref} titleVi="Số giấy chứng nhận không hợp lệ" titleEn="Not a certificate number"
          detailVi="Số giấy chứng nhận gồm chữ in hoa, chữ số và các dấu . / - (3 đến 40 ký tự)." detailEn="A certificate number has capital letters, digits and . / - (3 to 40 characters)." />,
      );
      return c.html(html, 400, { 'cache-control': PAGE_CACHE, vary: 'Accept-Language' });
    }
    const now = deps.clock();
    const cert = await certificateByNumber(db, number, await deps.cache.unitIndex(db), todayInVietnam(now));
    if (!cert) {
      const html = await renderPage(
        c,
        <NotFoundPage lang={lang} switchHref={switchHref} titleVi={`Không có giấy chứng nhận số ${number}`} titleEn={`No certificate numbered ${number}`}
          detailVi="Số này không có trong danh sách giấy chứng nhận OCOP. Hãy kiểm tra lại số, hoặc báo cho cơ quan quản lý nếu số này được in trên sản phẩm."
          detailEn="This number is not among the OCOP certificates. Check the number, or tell the authority if it is printed on a product." />,
      );
      return c.html(html, 404, { 'cache-control': PAGE_CACHE, vary: 'Accept-Language' });
    }
    const result = publicCertificateVerdict(cert, now);
    const media = await certificatePageMedia(c, cert);
    const t = (vi: string, en: string) => (lang === 'vi' ? vi : en);
    const html = await renderPage(
        c,
      <CertificatePage lang={lang} switchHref={switchHref} cert={cert} result={result} baseUrl={deps.config.publicBaseUrl} decision={media.decision}
        og={{
          image: media.ogImage,
          title: `${t('Giấy chứng nhận OCOP', 'OCOP certificate')} ${cert.number} · ${cert.product.name} ${cert.stars}★`,
          description: `${cert.product.name} · ${cert.producer.name} · ${t('hiệu lực đến', 'valid until')} ${cert.validUntil}`,
          url: `${deps.config.publicBaseUrl}/c/${encodeURIComponent(cert.number)}`,
        }} />,
    );
    return c.html(html, 200, { 'cache-control': PAGE_CACHE, vary: 'Accept-Language' });
  });

  app.get('/p/:slug', async (c) => {
    const { deps, db } = c.var;
    const lang = pickLang(c);
    const switchHref = switchLangHref(c, other(lang));
    const slug = c.req.param('slug');
    const valid = slug.length <= 120 && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug);
    const now = deps.clock();
    const product = valid ? await productBySlug(db, slug, await deps.cache.unitIndex(db), todayInVietnam(now)) : null;
    if (!product || product.certificates.length === 0) {
      const html = await renderPage(
        c,
        <NotFoundPage lang={lang} switchHref={switchHref} titleVi="Không tìm thấy sản phẩm" titleEn="Product not found"
          detailVi="Không có sản phẩm OCOP nào ở địa chỉ này." detailEn="There is no OCOP product at this address." />,
      );
      return c.html(html, valid ? 404 : 400, { 'cache-control': PAGE_CACHE, vary: 'Accept-Language' });
    }
    const current = product.certificates.find((x) => x.status !== 'superseded') ?? product.certificates[0]!;
    const media = await productPageMedia(c, product.id);
    const html = await renderPage(
        c,
      <ProductPage lang={lang} switchHref={switchHref} product={product} now={now} baseUrl={deps.config.publicBaseUrl} hotline={deps.config.reportHotline} photos={media.photos} places={await loadProductPlaces(c, product.id)}
        og={{ title: `${product.name} – OCOP ${current.stars}★`, description: `${product.name} · ${product.producer.name}`, url: `${deps.config.publicBaseUrl}/p/${product.slug}`, image: media.ogImage }} />,
    );
    return c.html(html, 200, { 'cache-control': PAGE_CACHE, vary: 'Accept-Language' });
  });

  app.get('/products', zValidator('query', catalogueQuery, queryHook), async (c) => {
    const { deps, db } = c.var;
    const lang = pickLang(c);
    const query = c.req.valid('query');
    const now = deps.clock();
    const view = { q: query.q ?? '', group: query.group ?? '', area: query.area ?? '', stars: query.stars ?? '', status: query.status ?? '' };
    const [page, options] = await Promise.all([
      searchCatalogue(
        db,
        {
          q: view.q,
          group: view.group || undefined,
          area: view.area || undefined,
          stars: view.stars ? Number(view.stars) : undefined,
          status: (view.status || undefined) as (typeof PUBLIC_STATES)[number] | undefined,
          page: query.page ? Number(query.page) : 1,
        },
        todayInVietnam(now),
      ),
      catalogueOptions(db),
    ]);
    const pageHref = (n: number) => {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(view)) if (v) params.set(k, v);
      if (lang === 'en') params.set('lang', 'en');
      params.set('page', String(n));
      return `/products?${params.toString()}`;
    };
    const html = await renderPage(c, <CataloguePageView lang={lang} switchHref={switchLangHref(c, other(lang))} view={view} page={page} options={options} pageHref={pageHref} />);
    return c.html(html, 200, { 'cache-control': PAGE_CACHE, vary: 'Accept-Language' });
  });

  app.post(
    '/report',
    bodyLimit({
      maxSize: 16 * 1024,
      onError: () => {
        throw new AppError(413, 'payload_too_large', 'Báo cáo quá dài (tối đa 16 KB)', 'Report too long (at most 16 KB)');
      },
    }),
    readableReport,
    zValidator('form', reportForm, queryHook),
    async (c) => {
      const { deps, db } = c.var;
      const input = c.req.valid('form');
      const lang: Lang = input.lang ?? pickLang(c);
      const now = deps.clock();
      const hash = await clientHash(deps.sessionSecret, clientAddress(c, deps.config), now);
      if ((await countRecentReports(db, hash, 3600)) >= REPORTS_PER_HOUR) {
        throw new AppError(429, 'too_many_reports', `Bạn đã gửi ${REPORTS_PER_HOUR} báo cáo trong một giờ qua; hãy thử lại sau.`, `You have sent ${REPORTS_PER_HOUR} reports in the last hour; please try again later.`);
      }
      let batchId: number | null = null;
      let serial: number | null = null;
      let certificateId: number | null = null;
      if (input.code) {
        const check = await deps.scans.checkCode(input.code);
        if (check.ok) {
          const state = await deps.cache.get(db, check.ref.batchId, todayInVietnam(now));
          if (state) {
            batchId = state.batch.id;
            serial = check.ref.serial;
            certificateId = state.certificate.id;
          }
        }
      }
      if (certificateId === null && input.certificate) {
        const number = normaliseCertificateNumber(input.certificate);
        const cert = number ? await certificateByNumber(db, number, await deps.cache.unitIndex(db), todayInVietnam(now)) : null;
        certificateId = cert?.id ?? null;
      }
      await createReport(db, {
        batchId, serial, certificateId,
        codeText: input.code || input.certificate || null,
        message: input.message,
        contact: input.contact || null,
        place: coarsePlace(c),
        clientHash: hash,
      });
      deps.log('info', 'counterfeit report received', { batchId, certificateId });
      return c.html(await renderPage(c, <ReportThanksPage lang={lang} switchHref={lang === 'vi' ? '/?lang=en' : '/?lang=vi'} />), 200, { 'cache-control': NO_STORE });
    },
  );

  return app;
}

export type { VerdictResult };
