import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPackageCode } from '../../worker/codes/sign';
import { REPORTS_PER_HOUR } from '../../worker/public/routes';
import { createTestContext, type TestContext } from '../helpers/app';
import { demoNumbers } from '../helpers/demo';

/** Demo certificate numbers as seeded by this file's context (they carry their decision's year). */
const N = demoNumbers();

// Certificate, product and catalogue pages, and the counterfeit report form.

let ctx: TestContext;

function client(ip: string) {
  return { incoming: { socket: { remoteAddress: ip } } };
}

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await ctx.app.request(path, { headers }, client('198.51.100.1'));
  return { res, html: await res.text() };
}

function h1(html: string): string {
  return /<h1>([^<]*)<\/h1>/.exec(html)?.[1] ?? '';
}

/** Product names listed on a catalogue page, in order. */
function listed(html: string): string[] {
  return [...html.matchAll(/<a href="\/p\/[^"]+"><strong>([^<]+)<\/strong><\/a>/g)].map((m) => m[1]!);
}

beforeAll(async () => {
  ctx = await createTestContext({ seed: true });
});

afterAll(async () => {
  await ctx.close();
});

describe('certificate page /c/{number}', () => {
  it('shows state, stars, product, producer, decision and the renewal chain; number case-insensitive', async () => {
    const { res, html } = await get(`/c/${N.haMyOld.toLowerCase()}`);
    expect(res.status).toBe(200);
    expect(h1(html)).toContain(N.haMyOld);
    for (const s of ['Đã được thay thế', `href="/c/${N.haMy5}"`, 'Hạt điều rang muối', 'Quyết định 148/QĐ-TTg', `/api/v1/credentials/${N.haMyOld}`]) expect(html).toContain(s);
    expect(res.headers.get('cache-control')).toBe('public, max-age=30');
  });

  it('revoked certificate: decision and ground', async () => {
    const { html } = await get(`/c/${N.matOng}?lang=en`);
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Revoked');
    expect(html).toContain('Ground: Production stopped.');
  });

  it('unknown number → 404 page, malformed number → 400 page, never a 500', async () => {
    const unknown = await get('/c/BP-OCOP-0000-999');
    expect(unknown.res.status).toBe(404);
    expect(h1(unknown.html)).toContain('Không có giấy chứng nhận số BP-OCOP-0000-999');
    for (const path of ['/c/%F0%9F%92%A9', '/c/ab', `/c/${'9'.repeat(300)}`, '/c/%E0%A4%A', '/c/a%00b', '/c/..%2F..%2Fetc']) {
      const { res } = await get(path);
      expect(res.status, path).toBe(400);
    }
  });

  it('the number form redirects to the page', async () => {
    const res = await ctx.app.request(`/c?number=%20${N.robusta.toLowerCase()}%20`);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`/c/${N.robusta}`);
  });
});

describe('product page /p/{slug}', () => {
  it('shows the product with its certificate history, newest first', async () => {
    const { res, html } = await get('/p/hat-dieu-rang-muoi-ha-my');
    expect(res.status).toBe(200);
    expect(h1(html)).toBe('Hạt điều rang muối');
    const i5 = html.indexOf(N.haMy5);
    const i4 = html.indexOf(N.haMyOld);
    expect(i5).toBeGreaterThan(0);
    expect(i4).toBeGreaterThan(i5);
    expect(html).toContain('aria-label="5 sao"');
  });

  it('unknown slug → 404, malformed slug → 400', async () => {
    expect((await get('/p/khong-co-san-pham')).res.status).toBe(404);
    expect((await get('/p/Hat%20Dieu')).res.status).toBe(400);
  });
});

describe('catalogue /products', () => {
  it('search ignores Vietnamese diacritics: "hat dieu" finds "Hạt điều rang muối", name matches first', async () => {
    const { res, html } = await get('/products?q=hat+dieu');
    expect(res.status).toBe(200);
    const names = listed(html);
    expect(names.length).toBeGreaterThanOrEqual(3);
    expect(names.slice(0, 3).every((n) => n === 'Hạt điều rang muối')).toBe(true);
    // Products that only mention it in the description come after.
    expect(names).toContain('Kẹo điều');
    expect(names.indexOf('Kẹo điều')).toBeGreaterThan(2);
  });

  it('the accented query and upper case find the same products', async () => {
    const a = listed((await get('/products?q=H%E1%BA%A0T%20%C4%90I%E1%BB%80U')).html);
    const b = listed((await get('/products?q=hat%20dieu')).html);
    expect(a).toEqual(b);
  });

  it('searches producers and certificate numbers too; LIKE wildcards are literal', async () => {
    expect(listed((await get('/products?q=phuoc+thien')).html)).toEqual(['Mít ruột đỏ PT79']);
    expect(listed((await get('/products?q=70-32-2021')).html)).toEqual(['Bưởi da xanh']);
    expect(listed((await get('/products?q=%25')).html).length).toBeGreaterThan(10); // '%' alone is punctuation: no filter
    // Wildcard characters separate words like any punctuation; they never widen a match.
    expect(listed((await get('/products?q=hat_dieu')).html)).toEqual(listed((await get('/products?q=hat+dieu')).html));
  });

  it('filters by group, area, stars and status', async () => {
    const beverages = listed((await get('/products?group=beverages')).html);
    expect(beverages.sort()).toEqual(['Cà phê Robusta', 'Cà phê nguyên chất Công'].sort());
    const fiveStars = listed((await get('/products?stars=5')).html);
    expect(fiveStars).toEqual(['Hạt điều rang muối']);
    const revoked = listed((await get('/products?status=revoked')).html);
    expect(revoked).toEqual(['Mật ong rừng (minh họa)']);
    const expiring = listed((await get('/products?status=expiring')).html);
    expect(expiring).toContain('Kẹo điều');
    const expired = listed((await get('/products?status=expired')).html);
    expect(expired).toEqual(expect.arrayContaining(['Mít ruột đỏ PT79', 'Bưởi da xanh']));
    // Đồng Phú (d-695): Hà Mỵ's products, addressed to a commune of that district.
    const dongPhu = listed((await get('/products?area=d-695')).html);
    expect(dongPhu.sort()).toEqual(['Cà phê Robusta', 'Hạt điều rang muối', 'Kẹo điều'].sort());
    const combined = listed((await get('/products?q=dieu&area=d-695&stars=4&status=expiring')).html);
    expect(combined).toEqual(['Kẹo điều']);
  });

  it('empty filters from the form mean "all"; bad filters are a 400 page', async () => {
    const all = await get('/products?q=&group=&area=&stars=&status=&page=');
    expect(all.res.status).toBe(200);
    expect(listed(all.html).length).toBeGreaterThan(10);
    for (const q of ['stars=6', 'status=bogus', 'group=%3Cscript%3E', `q=${'x'.repeat(101)}`, 'page=0', 'page=-1', 'area=D-695']) {
      const { res, html } = await get(`/products?${q}`);
      expect(res.status, q).toBe(400);
      expect(html, q).not.toContain('<script>');
    }
  });

  it('a page number past the end shows the last page', async () => {
    const first = listed((await get('/products')).html);
    expect(first.length).toBeLessThanOrEqual(20);
    const { res, html } = await get('/products?page=99');
    expect(res.status).toBe(200);
    expect(listed(html)).toEqual(first);
  });
});

describe('counterfeit report form', () => {
  function post(body: Record<string, string>, ip: string, headers: Record<string, string> = {}) {
    return ctx.app.request('/report', { method: 'POST', body: new URLSearchParams(body), headers }, client(ip));
  }

  it('stores the report linked to the package, with a client hash and place, never the IP', async () => {
    const batch = await ctx.db.selectFrom('package_batches').select('id').where('lot_code', '=', 'HM-RM-01').executeTakeFirstOrThrow();
    const code = await signPackageCode(ctx.keys, batch.id, 42);
    const res = await post({ code, message: 'Bao bì in mờ, mua ở chợ.', contact: '0900000000', lang: 'vi' }, '192.0.2.10', { 'cf-ipcountry': 'VN' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Cảm ơn bạn');
    const row = await ctx.db.selectFrom('counterfeit_reports').selectAll().where('serial', '=', 42).executeTakeFirstOrThrow();
    expect(row.batch_id).toBe(batch.id);
    expect(row.certificate_id).not.toBeNull();
    expect(row.message).toBe('Bao bì in mờ, mua ở chợ.');
    expect(row.place).toBe('VN');
    expect(row.status).toBe('new');
    expect(row.client_hash).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(row)).not.toContain('192.0.2.10');
  });

  it('keeps the text of a code that does not verify, without linking a batch', async () => {
    const res = await post({ code: 'FAKE-CODE-123', message: 'Mã không quét được' }, '192.0.2.11');
    expect(res.status).toBe(200);
    const row = await ctx.db.selectFrom('counterfeit_reports').selectAll().where('code_text', '=', 'FAKE-CODE-123').executeTakeFirstOrThrow();
    expect(row.batch_id).toBeNull();
  });

  it(`allows ${REPORTS_PER_HOUR} reports per client per hour, then answers 429; another client is not affected`, async () => {
    for (let i = 0; i < REPORTS_PER_HOUR; i++) expect((await post({ message: `báo cáo ${i}` }, '192.0.2.50')).status).toBe(200);
    const limited = await post({ message: 'thêm một' }, '192.0.2.50');
    expect(limited.status).toBe(429);
    expect(await limited.text()).toContain('thử lại sau');
    expect((await post({ message: 'khác' }, '192.0.2.51')).status).toBe(200);
  });

  it('rejects an empty message (400) and a huge body (413), storing nothing', async () => {
    const before = await ctx.db.selectFrom('counterfeit_reports').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect((await post({ message: '   ' }, '192.0.2.60')).status).toBe(400);
    expect((await post({ message: 'x'.repeat(2001) }, '192.0.2.60')).status).toBe(400);
    expect((await post({ message: 'x'.repeat(20_000) }, '192.0.2.60')).status).toBe(413);
    // A body that is not a form at all, and a message sent as a file: refused in words.
    const garbled = await ctx.app.request('/report', { method: 'POST', body: 'message=x', headers: { 'content-type': 'multipart/form-data; boundary=none' } }, client('192.0.2.60'));
    expect(garbled.status).toBe(400);
    expect(await garbled.text()).toContain('Không đọc được biểu mẫu');
    const file = new FormData();
    file.append('message', new File(['x'], 'x.txt'));
    expect((await ctx.app.request('/report', { method: 'POST', body: file }, client('192.0.2.60'))).status).toBe(400);
    const after = await ctx.db.selectFrom('counterfeit_reports').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});

describe('home page', () => {
  it('offers the number lookup and the catalogue search, in Vietnamese by default', async () => {
    const { res, html } = await get('/');
    expect(res.status).toBe(200);
    expect(html).toContain('<html lang="vi">');
    expect(html).toContain('action="/c"');
    expect(html).toContain('action="/products"');
  });
});
