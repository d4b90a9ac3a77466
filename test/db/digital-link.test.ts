import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/app';
import { demoNumbers } from '../helpers/demo';

/** Demo certificate numbers as seeded by this file's context (they carry their decision's year). */
const N = demoNumbers();

// GS1 Digital Link for products with a GTIN: /01/{gtin} redirects people to the product
// page and answers machines with an RFC 9264 linkset; /.well-known/gs1resolver describes it.

let ctx: TestContext;
const GTIN13 = '8930000000019'; // check digit 9: valid
const GTIN14 = '08930000000019';
let slug: string;
let certificateNumber: string;

beforeAll(async () => {
  ctx = await createTestContext({ seed: true });
  // The product of a current certificate gets a GTIN (the demo data has none).
  const row = await ctx.db
    .selectFrom('certificates as c')
    .innerJoin('products as p', 'p.id', 'c.product_id')
    .select(['p.id', 'p.slug', 'c.number'])
    .where('c.number', '=', N.robusta)
    .executeTakeFirstOrThrow();
  slug = row.slug;
  certificateNumber = row.number;
  await ctx.db.updateTable('products').set({ gtin: GTIN13 }).where('id', '=', row.id).execute();
});

afterAll(async () => {
  await ctx.close();
});

type Target = { href: string; title: string; type: string; hreflang?: string[] };

describe('GET /01/{gtin}', () => {
  it('redirects a person (307) to the product page, with a Link to the linkset; any GTIN length of the same number', async () => {
    for (const g of [GTIN13, GTIN14]) {
      const res = await ctx.app.request(`/01/${g}`, { headers: { accept: 'text/html' } });
      expect(res.status).toBe(307);
      expect(res.headers.get('location')).toBe(`/p/${slug}`);
      expect(res.headers.get('link')).toBe(`<https://ocop.test/01/${GTIN14}?linkType=all>; rel="linkset"; type="application/linkset+json"`);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
    }
    const en = await ctx.app.request(`/01/${GTIN13}?lang=en`);
    expect(en.headers.get('location')).toBe(`/p/${slug}?lang=en`);
    // The redirect leads to a real page.
    expect((await ctx.app.request(`/p/${slug}`)).status).toBe(200);
  });

  it('answers an RFC 9264 linkset for ?linkType=all and for Accept: application/linkset+json', async () => {
    for (const [path, headers] of [
      [`/01/${GTIN13}?linkType=all`, {}],
      [`/01/${GTIN14}`, { accept: 'text/html;q=0.5, application/linkset+json' }],
    ] as const) {
      const res = await ctx.app.request(path, { headers });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/linkset+json');
      const body = (await res.json()) as { linkset: Record<string, unknown>[] };
      expect(Object.keys(body)).toEqual(['linkset']);
      expect(body.linkset).toHaveLength(1);
      const ctxObj = body.linkset[0]!;
      expect(ctxObj.anchor).toBe(`https://ocop.test/01/${GTIN14}`);
      // Every relation other than anchor/itemDescription is an array of target objects with an absolute href.
      for (const [rel, targets] of Object.entries(ctxObj)) {
        if (rel === 'anchor' || rel === 'itemDescription') continue;
        expect(rel.startsWith('https://gs1.org/voc/'), rel).toBe(true);
        expect(Array.isArray(targets), rel).toBe(true);
        for (const t of targets as Target[]) {
          expect(URL.canParse(t.href), t.href).toBe(true);
          expect(t.title.length).toBeGreaterThan(0);
          expect(t.type.length).toBeGreaterThan(0);
        }
      }
      const rel = (name: string) => (ctxObj[`https://gs1.org/voc/${name}`] ?? []) as Target[];
      expect(rel('pip').map((t) => t.href)).toEqual([`https://ocop.test/p/${slug}`, `https://ocop.test/p/${slug}?lang=en`]);
      expect(rel('defaultLink').map((t) => t.href)).toEqual([`https://ocop.test/p/${slug}`]);
      expect(rel('certificationInfo').map((t) => [t.href, t.type])).toEqual([
        [`https://ocop.test/c/${certificateNumber}`, 'text/html'],
        [`https://ocop.test/api/v1/certificates/${certificateNumber}/vc`, 'application/vc+jwt'],
      ]);
      expect(rel('verificationService').map((t) => t.href)).toEqual([`https://ocop.test/api/v1/certificates/${certificateNumber}`]);
      // The verification service answers.
      expect((await ctx.app.request(`/api/v1/certificates/${certificateNumber}`)).status).toBe(200);
    }
  });

  it('a wrong check digit, a wrong length or a non-digit is a 400, in both languages, never a redirect', async () => {
    for (const g of ['8930000000013', '8930000000012', '893000000001', '123456789', '89300000000A2', '%F0%9F%92%A9', '9'.repeat(300)]) {
      const page = await ctx.app.request(`/01/${g}`);
      expect(page.status, g).toBe(400);
      const html = await page.text();
      expect(html, g).toContain('GTIN');
      expect(html).toMatch(/chữ số|Số kiểm tra/);
      const json = await ctx.app.request(`/01/${g}?linkType=all`);
      expect(json.status).toBe(400);
      const body = (await json.json()) as { error: { code: string; message_vi: string; message_en: string } };
      expect(body.error.code).toBe('invalid_gtin');
      expect(body.error.message_en).toMatch(/GTIN/);
    }
    const check = (await (await ctx.app.request('/01/8930000000013?linkType=all')).json()) as { error: { message_vi: string; message_en: string } };
    expect(check.error.message_vi).toContain('Số kiểm tra');
    expect(check.error.message_en).toContain('check digit');
  });

  it('HEAD answers as GET without a body, and a CORS preflight is allowed', async () => {
    const head = await ctx.app.request(`/01/${GTIN13}`, { method: 'HEAD' });
    expect(head.status).toBe(307);
    expect(head.headers.get('location')).toBe(`/p/${slug}`);
    expect(await head.text()).toBe('');
    const preflight = await ctx.app.request(`/01/${GTIN13}`, { method: 'OPTIONS', headers: { origin: 'https://shop.example', 'access-control-request-method': 'GET' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('a valid GTIN no product carries is a 404', async () => {
    const page = await ctx.app.request('/01/4006381333931');
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('Không có sản phẩm OCOP nào mang GTIN 04006381333931');
    const json = await ctx.app.request('/01/4006381333931', { headers: { accept: 'application/linkset+json' } });
    expect(json.status).toBe(404);
    expect(((await json.json()) as { error: { code: string } }).error.code).toBe('gtin_not_found');
  });
});

describe('/.well-known/gs1resolver', () => {
  it('describes the resolver: root, primary key 01, the GS1 link-type namespace', async () => {
    const res = await ctx.app.request('/.well-known/gs1resolver');
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      name: 'OCOP Verify',
      resolverRoot: 'https://ocop.test',
      supportedPrimaryKeys: ['01'],
      supportedLinkType: [{ namespace: 'https://gs1.org/voc/', prefix: 'gs1:' }],
      linkTypeDefaultCanBeLinkset: false,
    });
  });
});
