import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiToken, hashApiToken } from '../../admin/secrets';
import { signPackageCode } from '../../worker/codes/sign';
import { createToken } from '../../worker/db/users-and-tokens';
import { createTestContext, type TestContext } from '../helpers/app';
import { api, DEMO_EMAILS, get, postForm, sessionFor, text } from './admin-support';

// Contact on the public pages (issue 11): a producer keeps their phone, website and Zalo up to
// date (officials can too), every change audited; shoppers get tap-to-call, Zalo and website
// links below the verdict and the province hotline beside the report form; a product's GTIN
// shows on its pages and finds it in the catalogue.

let ctx: TestContext;
let haMy: number;
let other: number;
let haMyBatch: number;
const HOTLINE = '02713879123';

beforeAll(async () => {
  ctx = await createTestContext({ seed: true, config: { reportHotline: HOTLINE } });
  haMy = (await ctx.db.selectFrom('producers').select('id').where('name', '=', 'Công ty Cổ phần Hà Mỵ').executeTakeFirstOrThrow()).id;
  other = (await ctx.db.selectFrom('producers').select('id').where('name', '=', 'Công ty TNHH MTV Khánh Sâm').executeTakeFirstOrThrow()).id;
  haMyBatch = (await ctx.db.selectFrom('package_batches').select('id').where('lot_code', '=', 'HM-RM-01').executeTakeFirstOrThrow()).id;
}, 180_000);

afterAll(async () => {
  await ctx.deps.scans.log.drain();
  await ctx.close();
});

async function contactOf(id: number) {
  return ctx.db.selectFrom('producers').select(['phone', 'website', 'zalo']).where('id', '=', id).executeTakeFirstOrThrow();
}

describe('a producer edits their own contact', () => {
  it('saves phone, website and Zalo in canonical form, audited, and the scan page shows them at once', async () => {
    const cookie = await sessionFor(ctx, DEMO_EMAILS.producer);
    const menu = await (await get(ctx, '/admin/products', cookie)).text();
    expect(menu).toContain('href="/admin/my-contact"');
    const go = await get(ctx, '/admin/my-contact', cookie);
    expect(go.status).toBe(303);
    expect(go.headers.get('location')).toBe(`/admin/producers/${haMy}/contact`);
    const form = await get(ctx, `/admin/producers/${haMy}/contact`, cookie);
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('value="0900 000 001"');

    const res = await postForm(ctx, `/admin/producers/${haMy}/contact`, cookie, { phone: '+84 (271) 3879-456', website: 'https://www.hamy.example/san-pham', zalo: '091.234.5678' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/admin/producers/${haMy}/contact?done=saved`);
    expect(await contactOf(haMy)).toEqual({ phone: '02713879456', website: 'https://www.hamy.example/san-pham', zalo: '0912345678' });
    const entry = await ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'producer.contact_update').where('entity_id', '=', String(haMy)).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(entry.actor_label).toBe(DEMO_EMAILS.producer);
    expect(JSON.stringify(entry.after)).toContain('0912345678');
    expect(JSON.stringify(entry.before)).toContain('0900000001');

    const page = await (await ctx.app.request(`/v/${await signPackageCode(ctx.keys, haMyBatch, 201)}`)).text();
    expect(page).toContain('<a class="act" href="tel:+842713879456">Gọi 0271 3879 456</a>');
    expect(page).toContain('href="https://zalo.me/0912345678"');
    expect(page).toContain('href="https://www.hamy.example/san-pham" rel="nofollow noopener">hamy.example/san-pham</a>');
  });

  it('refuses bad input with Vietnamese messages on the fields, and saves nothing', async () => {
    const cookie = await sessionFor(ctx, DEMO_EMAILS.producer);
    const before = await contactOf(haMy);
    const cases: [Record<string, string>, string, string][] = [
      [{ phone: '12345' }, 'phone', 'Số điện thoại không hợp lệ: cần số Việt Nam'],
      [{ phone: '0112345678' }, 'phone', 'Số điện thoại không hợp lệ: cần số Việt Nam'],
      [{ phone: '+1 415 555 0100' }, 'phone', 'Số điện thoại không hợp lệ: cần số Việt Nam'],
      [{ website: 'http://hamy.example' }, 'website', 'phải bắt đầu bằng https://'],
      [{ website: 'javascript:alert(1)' }, 'website', 'phải bắt đầu bằng https://'],
      [{ website: 'https://user:pw@hamy.example' }, 'website', 'phải bắt đầu bằng https://'],
      [{ website: `https://hamy.example/${'a'.repeat(200)}` }, 'website', 'phải bắt đầu bằng https://'],
      [{ zalo: '0271 3879 123' }, 'zalo', 'Số Zalo phải là số di động Việt Nam'],
      [{ phone: '0912\u0000345678' }, 'phone', 'Số điện thoại không hợp lệ: cần số Việt Nam'],
    ];
    for (const [fields, field, message] of cases) {
      const res = await postForm(ctx, `/admin/producers/${haMy}/contact`, cookie, fields);
      expect(res.status, JSON.stringify(fields)).toBe(400);
      const html = await res.text();
      expect(html).toContain(`id="f-${field}"`);
      expect(text(html), JSON.stringify(fields)).toContain(message);
    }
    expect(await contactOf(haMy)).toEqual(before);
  });

  it('cannot touch another producer (404), nor the rest of their own record', async () => {
    const cookie = await sessionFor(ctx, DEMO_EMAILS.producer);
    expect((await get(ctx, `/admin/producers/${other}/contact`, cookie)).status).toBe(404);
    const res = await postForm(ctx, `/admin/producers/${other}/contact`, cookie, { phone: '0912345678' });
    expect(res.status).toBe(404);
    expect((await contactOf(other)).phone).toBeNull();
    // The full producer form stays with officials.
    expect((await postForm(ctx, `/admin/producers/${haMy}`, cookie, { name: 'Đổi tên', legalForm: 'doanh_nghiep' })).status).toBe(403);
  });

  it('an auditor may not edit a contact; an area officer may, within their district, and lands on the producer page', async () => {
    const auditor = await sessionFor(ctx, DEMO_EMAILS.auditor);
    expect((await postForm(ctx, `/admin/producers/${haMy}/contact`, auditor, { phone: '0912345678' })).status).toBe(403);
    const officer = await sessionFor(ctx, DEMO_EMAILS.area_officer);
    const res = await postForm(ctx, `/admin/producers/${haMy}/contact`, officer, { phone: '0912 345 678', website: '', zalo: '' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/admin/producers/${haMy}?done=saved`);
    expect(await contactOf(haMy)).toEqual({ phone: '0912345678', website: null, zalo: null });
    // Khánh Sâm (Bù Gia Mập) is outside the Đồng Phú officer's district.
    expect((await postForm(ctx, `/admin/producers/${other}/contact`, officer, { phone: '0912345678' })).status).toBe(404);
  });

  it('officials edit the contact with the rest of the producer (the full form), validated the same way', async () => {
    const cookie = await sessionFor(ctx, DEMO_EMAILS.province_admin);
    const form = await (await get(ctx, `/admin/producers/${other}/edit`, cookie)).text();
    for (const field of ['phone', 'zalo', 'website']) expect(form).toContain(`id="f-${field}"`);
    const fields = { name: 'Công ty TNHH MTV Khánh Sâm', legalForm: 'doanh_nghiep', addressUnitId: 'd-691' };
    const bad = await postForm(ctx, `/admin/producers/${other}`, cookie, { ...fields, zalo: '1800 1234' });
    expect(bad.status).toBe(400);
    expect(text(await bad.text())).toContain('Số Zalo phải là số di động Việt Nam');
    const ok = await postForm(ctx, `/admin/producers/${other}`, cookie, { ...fields, phone: '0271 3 879 000', zalo: '0912 000 111', website: 'https://khanhsam.example' });
    expect(ok.status).toBe(303);
    expect(await contactOf(other)).toEqual({ phone: '02713879000', website: 'https://khanhsam.example/', zalo: '0912000111' });
    const detail = text(await (await get(ctx, `/admin/producers/${other}`, cookie)).text());
    expect(detail).toContain('Zalo 0912000111');
    await ctx.db.updateTable('producers').set({ phone: null, website: null, zalo: null }).where('id', '=', other).execute();
  });

  it('the admin API: a producer token sets its own contact (validated), officials see website and zalo on the producer', async () => {
    const token = generateApiToken();
    await createToken(ctx.db, { userId: null, label: 'test' }, { name: 'contact test', role: 'producer', areaUnitId: null, producerId: haMy }, await hashApiToken(token));
    const ok = await api(ctx, 'PUT', `/producers/${haMy}/contact`, token, { phone: '1800 1234', website: 'https://hamy.example', zalo: '0987654321' });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { data: { phone: string; website: string; zalo: string } }).data).toMatchObject({ phone: '18001234', website: 'https://hamy.example/', zalo: '0987654321' });
    const bad = await api(ctx, 'PUT', `/producers/${haMy}/contact`, token, { phone: 'gọi tôi' });
    expect(bad.status).toBe(400);
    expect((await api(ctx, 'PUT', `/producers/${other}/contact`, token, { phone: '0912345678' })).status).toBe(404);
  });
});

describe('contact and hotline on the public pages', () => {
  it('the scan page: contact below the verdict and the details, the hotline beside the report form, still small', async () => {
    await ctx.db.updateTable('producers').set({ phone: '0900000001', website: 'https://ha-my.example/', zalo: '0900000001' }).where('id', '=', haMy).execute();
    ctx.deps.cache.invalidate();
    const res = await ctx.app.request(`/v/${await signPackageCode(ctx.keys, haMyBatch, 202)}`);
    const html = await res.text();
    const verdict = html.indexOf('<section class="verdict');
    const contact = html.indexOf('id="contact-h"');
    const report = html.indexOf('id="report"');
    expect(verdict).toBeGreaterThan(0);
    expect(contact).toBeGreaterThan(html.indexOf('Lịch sử xác thực'));
    expect(report).toBeGreaterThan(contact);
    expect(html).toContain('Nghi ngờ hàng giả? Gọi đường dây nóng của tỉnh <a class="act" href="tel:+842713879123">0271 3879 123</a> hoặc <a href="#report">gửi báo cáo bằng mẫu bên dưới</a>.');
    expect(html).not.toContain('<script');
    expect(new TextEncoder().encode(html).length).toBeLessThan(12 * 1024);
    const en = await (await ctx.app.request(`/v/${await signPackageCode(ctx.keys, haMyBatch, 202)}?lang=en`)).text();
    expect(en).toContain('Suspect a fake? Call the province hotline');
    expect(en).toContain('>Call 0900 000 001</a>');
  });

  it('a code that does not verify: the hotline, but no producer contact (the page vouches for no producer)', async () => {
    const code = await signPackageCode(ctx.keys, haMyBatch, 203);
    const forged = code.slice(0, 60) + (code[60] === 'A' ? 'B' : 'A') + code.slice(61);
    const html = await (await ctx.app.request(`/v/${forged}`)).text();
    expect(html).toContain('href="tel:+842713879123"');
    expect(html).not.toContain('zalo.me');
    expect(html).not.toContain('tel:+84900000001');
  });

  it('a phone stored as free text before the forms checked it is not linked', async () => {
    await ctx.db.updateTable('producers').set({ phone: 'gọi giờ hành chính' }).where('id', '=', haMy).execute();
    ctx.deps.cache.invalidate();
    try {
      const html = await (await ctx.app.request('/p/hat-dieu-rang-muoi-ha-my')).text();
      expect(html).not.toContain('gọi giờ hành chính');
      expect(html).toContain('href="https://zalo.me/0900000001"');
    } finally {
      await ctx.db.updateTable('producers').set({ phone: '0900000001' }).where('id', '=', haMy).execute();
      ctx.deps.cache.invalidate();
    }
  });

  it('without REPORT_HOTLINE and without a contact, no contact card at all', async () => {
    const plain = await createTestContext({ seed: true });
    try {
      const batch = (await plain.db.selectFrom('package_batches').select('id').where('lot_code', '=', 'PT79-2022-03').executeTakeFirstOrThrow()).id;
      const html = await (await plain.app.request(`/v/${await signPackageCode(plain.keys, batch, 1)}`)).text();
      expect(html).not.toContain('id="contact-h"');
      expect(html).not.toContain('tel:');
    } finally {
      await plain.deps.scans.log.drain();
      await plain.close();
    }
  });

  it('the product page: GTIN, contact and hotline', async () => {
    const html = await (await ctx.app.request('/p/hat-dieu-rang-muoi-ha-my')).text();
    expect(html).toContain('Mã vạch (GTIN): <span class="code">8939999900010</span>');
    expect(html).toContain('href="tel:+84900000001"');
    expect(html).toContain('href="tel:+842713879123"');
  });
});

describe('GTIN', () => {
  it('shows on the scan page of a product that has one, and not on one that has none', async () => {
    const withGtin = await (await ctx.app.request(`/v/${await signPackageCode(ctx.keys, haMyBatch, 204)}`)).text();
    expect(withGtin).toContain('<span class="code">8939999900010</span>');
    const batch = (await ctx.db.selectFrom('package_batches').select('id').where('lot_code', '=', 'PT79-2022-03').executeTakeFirstOrThrow()).id;
    const without = await (await ctx.app.request(`/v/${await signPackageCode(ctx.keys, batch, 1)}`)).text();
    expect(without).not.toContain('GTIN');
  });

  it('the catalogue finds a product by its exact GTIN, as 13 or 14 digits or printed in groups; part of one finds nothing', async () => {
    for (const q of ['8939999900010', '08939999900010', '8 939999 900010']) {
      const html = await (await ctx.app.request(`/products?q=${encodeURIComponent(q)}`)).text();
      expect(text(html), q).toContain('1 sản phẩm');
      expect(html, q).toContain('href="/p/hat-dieu-rang-muoi-ha-my"');
    }
    const part = await (await ctx.app.request('/products?q=89399999')).text();
    expect(text(part)).toContain('0 sản phẩm');
  });

  it('the admin product form checks the check digit, in Vietnamese', async () => {
    const cookie = await sessionFor(ctx, DEMO_EMAILS.province_admin);
    const product = await ctx.db.selectFrom('products').selectAll().where('slug', '=', 'keo-dieu-ha-my').executeTakeFirstOrThrow();
    const base = { producerId: String(product.producer_id), name: product.name, slug: product.slug, description: product.description ?? '' };
    const wrong = await postForm(ctx, `/admin/products/${product.id}`, cookie, { ...base, gtin: '8939999900028' });
    expect(wrong.status).toBe(400);
    expect(text(await wrong.text())).toContain('Số kiểm tra (chữ số cuối) của mã GTIN không đúng');
    const short = await postForm(ctx, `/admin/products/${product.id}`, cookie, { ...base, gtin: '893999' });
    expect(text(await short.text())).toContain('Mã GTIN gồm 8, 12, 13 hoặc 14 chữ số');
    expect((await ctx.db.selectFrom('products').select('gtin').where('id', '=', product.id).executeTakeFirstOrThrow()).gtin).toBe('8939999900027');
    // As printed under a barcode, in groups: the spaces are dropped.
    const ok = await postForm(ctx, `/admin/products/${product.id}`, cookie, { ...base, gtin: '8 939999 900072' });
    expect(ok.status).toBe(303);
    expect((await ctx.db.selectFrom('products').select('gtin').where('id', '=', product.id).executeTakeFirstOrThrow()).gtin).toBe('8939999900072');
  });
});
