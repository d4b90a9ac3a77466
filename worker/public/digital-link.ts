import { Hono, type Context } from 'hono';
import { cors } from 'hono/cors';
import type { AppEnv } from '../app-env';
import { productByGtin } from '../db/products';
import { parseGtin, type GtinProblem } from '../domain/gtin';
import { AppError, errorBody } from '../errors';

// GS1 Digital Link (URI syntax 1.6) for products that have a GTIN, served as a
// GS1-Conformant resolver (resolver standard 1.2) for the one primary key we hold, 01:
// `/01/{gtin}` sends people to the product page and answers machines with an RFC 9264
// linkset. The package QR codes stay as they are; this is for the GTIN barcode's
// Digital Link and for retailers' systems that look products up by GTIN.

/** Link relation types are GS1 Web Vocabulary terms, as full IRIs (RFC 8288 extension types). */
export const GS1_VOC = 'https://gs1.org/voc/';
export const LINKSET_TYPE = 'application/linkset+json';

const PROBLEM_TEXT: Record<GtinProblem, [string, string]> = {
  digits: ['GTIN chỉ gồm chữ số', 'A GTIN has digits only'],
  length: ['GTIN phải có 8, 12, 13 hoặc 14 chữ số', 'A GTIN has 8, 12, 13 or 14 digits'],
  check_digit: ['Số kiểm tra (chữ số cuối) của GTIN không đúng', 'The GTIN check digit (last digit) is wrong'],
};

export interface LinkTarget {
  href: string;
  title: string;
  type: string;
  hreflang?: string[];
}

export type Linkset = { linkset: [{ anchor: string } & Record<string, string | LinkTarget[]>] };

/** The links we publish for one product: everything is on this service. */
export function productLinkset(base: string, gtin14: string, product: { slug: string; name: string; certificateNumber: string }): Linkset {
  const page = `${base}/p/${encodeURIComponent(product.slug)}`;
  const number = encodeURIComponent(product.certificateNumber);
  const pip: LinkTarget[] = [
    { href: page, title: `${product.name} – thông tin sản phẩm OCOP`, type: 'text/html', hreflang: ['vi'] },
    { href: `${page}?lang=en`, title: `${product.name} – OCOP product information`, type: 'text/html', hreflang: ['en'] },
  ];
  return {
    linkset: [
      {
        anchor: `${base}/01/${gtin14}`,
        itemDescription: product.name,
        [`${GS1_VOC}defaultLink`]: [pip[0]!],
        [`${GS1_VOC}pip`]: pip,
        [`${GS1_VOC}certificationInfo`]: [
          { href: `${base}/c/${number}`, title: 'Giấy chứng nhận OCOP / OCOP certificate', type: 'text/html', hreflang: ['vi', 'en'] },
          { href: `${base}/api/v1/certificates/${number}/vc`, title: 'Chứng thư W3C VC 2.0 / W3C Verifiable Credential 2.0', type: 'application/vc+jwt' },
        ],
        [`${GS1_VOC}verificationService`]: [
          { href: `${base}/api/v1/certificates/${number}`, title: 'Trạng thái giấy chứng nhận (JSON) / Certificate status (JSON)', type: 'application/json' },
        ],
        // Where to buy: the product's list of showrooms and sales points (GS1 link type hasRetailers, "a link to a list of retailers").
        [`${GS1_VOC}hasRetailers`]: [
          { href: `${page}/noi-mua`, title: 'Nơi mua sản phẩm / Where to buy', type: 'text/html', hreflang: ['vi'] },
          { href: `${page}/noi-mua?lang=en`, title: 'Where to buy', type: 'text/html', hreflang: ['en'] },
        ],
      },
    ],
  };
}

/** Asks for the linkset: `?linkType=all` (GS1) or content negotiation (RFC 9264). */
function wantsLinkset(c: Context): boolean {
  if (c.req.query('linkType') === 'all') return true;
  return (c.req.header('accept') ?? '').split(',').some((part) => part.split(';')[0]!.trim().toLowerCase() === LINKSET_TYPE);
}

/** Errors as a problem document for a machine that asked for a linkset, the bilingual page for people. */
function fail(c: Context<AppEnv>, error: AppError): Response {
  if (wantsLinkset(c)) return c.json(errorBody(error), error.status, { 'cache-control': 'public, max-age=30' });
  throw error;
}

export function digitalLinkRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // A GS1-Conformant resolver SHALL support CORS: retailers' web apps call it directly.
  const open = cors({ origin: '*', allowMethods: ['GET', 'HEAD', 'OPTIONS'], exposeHeaders: ['Link', 'Location'], maxAge: 86_400 });
  app.use('/01/*', open);
  app.use('/.well-known/gs1resolver', open);

  app.get('/.well-known/gs1resolver', (c) => {
    const base = c.var.config.publicBaseUrl;
    return c.json(
      {
        name: 'OCOP Verify',
        resolverRoot: base,
        supportedPrimaryKeys: ['01'],
        supportedLinkType: [{ namespace: GS1_VOC, prefix: 'gs1:' }],
        linkTypeDefaultCanBeLinkset: false,
        supportedContextValuesEnumerated: [],
        contact: { fn: 'OCOP Verify', url: `${base}/api/docs` },
      },
      200,
      { 'cache-control': 'public, max-age=3600' },
    );
  });

  app.get('/01/:gtin', async (c) => {
    const raw = c.req.param('gtin');
    const parsed = parseGtin(raw.slice(0, 20));
    if (!parsed.ok || raw.length > 20) {
      const [vi, en] = PROBLEM_TEXT[parsed.ok ? 'length' : parsed.problem];
      return fail(c, new AppError(400, 'invalid_gtin', `${vi}: ${raw.slice(0, 20)}`, `${en}: ${raw.slice(0, 20)}`));
    }
    const product = await productByGtin(c.var.db, parsed.gtin14);
    if (!product) {
      return fail(c, new AppError(404, 'gtin_not_found', `Không có sản phẩm OCOP nào mang GTIN ${parsed.gtin14}`, `No OCOP product has GTIN ${parsed.gtin14}`));
    }
    const base = c.var.config.publicBaseUrl;
    const linksetUrl = `${base}/01/${parsed.gtin14}?linkType=all`;
    if (wantsLinkset(c)) {
      return c.body(JSON.stringify(productLinkset(base, parsed.gtin14, product)), 200, {
        'content-type': LINKSET_TYPE,
        'cache-control': 'public, max-age=30',
        vary: 'Accept',
      });
    }
    // 307, as the resolver standard asks: the target may change (a product can be renamed
    // or re-slugged), so nothing may cache the hop as permanent, and the method is kept.
    const lang = c.req.query('lang') === 'en' ? '?lang=en' : '';
    c.header('link', `<${linksetUrl}>; rel="linkset"; type="${LINKSET_TYPE}"`);
    c.header('vary', 'Accept');
    c.header('cache-control', 'public, max-age=30');
    return c.redirect(`/p/${encodeURIComponent(product.slug)}${lang}`, 307);
  });

  return app;
}
