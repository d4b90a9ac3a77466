import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/app';
import { DEMO_EMAILS, get, postForm, sessionFor, text } from './admin-support';

// Producers, products and raw-material regions through the UI's forms: Vietnamese field
// errors, scope checks, and every change audited with the change itself.

let ctx: TestContext;
let officer: string;
let admin: string;

function idOf(res: Response, resource: string): number {
  const m = new RegExp(`/admin/${resource}/(\\d+)`).exec(res.headers.get('location') ?? '');
  if (!m) throw new Error(`no redirect to ${resource}: ${res.status}`);
  return Number(m[1]);
}

const producerFields = { name: 'HTX Nông nghiệp Tân Phú', legalForm: 'hop_tac_xa', taxCode: '3801234567', representative: 'Điểu Thị Lan', femaleLed: 'on', ethnicMinorityLed: 'on', addressLine: 'Ấp 3', addressUnitId: 'c-695-tan-phu', phone: '0271 3 888 999', email: 'HTX.TanPhu@example.vn' };

beforeAll(async () => {
  ctx = await createTestContext({ seed: true, now: new Date('2026-03-10T03:00:00Z') });
  officer = await sessionFor(ctx, DEMO_EMAILS.area_officer);
  admin = await sessionFor(ctx, DEMO_EMAILS.province_admin);
}, 180_000);

afterAll(async () => {
  await ctx?.close();
});

describe('producers', () => {
  it('refuses bad fields with Vietnamese messages and keeps what was typed', async () => {
    const res = await postForm(ctx, '/admin/producers', officer, { ...producerFields, name: 'X', legalForm: '', taxCode: '12345', phone: 'gọi tôi', email: 'lan@' });
    expect(res.status).toBe(400);
    const html = await res.text();
    const page = text(html);
    for (const m of ['Ít nhất 2 ký tự', 'Bắt buộc / Required', 'Mã số thuế gồm 10 số', 'Số điện thoại không hợp lệ', 'Email không hợp lệ']) expect(page).toContain(m);
    expect(html).toContain('value="12345"');
    expect(html).toContain('Điểu Thị Lan');
  });

  it('an area officer registers a producer in their district; the change is audited', async () => {
    const form = await (await get(ctx, '/admin/producers/new', officer)).text();
    expect(form).toContain('value="c-695-tan-lap"');
    expect(form).not.toContain('value="c-692-loc-quang"'); // another district's commune is not offered
    const res = await postForm(ctx, '/admin/producers', officer, producerFields);
    expect(res.status).toBe(303);
    const id = idOf(res, 'producers');
    const row = await ctx.db.selectFrom('producers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ name: 'HTX Nông nghiệp Tân Phú', legal_form: 'hop_tac_xa', female_led: true, ethnic_minority_led: true, email: 'htx.tanphu@example.vn' });
    const audit = await ctx.db.selectFrom('audit_log').select(['action', 'actor_label', 'after']).where('entity', '=', 'producer').where('entity_id', '=', String(id)).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'producer.create', actor_label: 'canbo.dongphu@ocop.demo' });
    expect((audit[0]!.after as { name: string }).name).toBe('HTX Nông nghiệp Tân Phú');

    const outside = await postForm(ctx, `/admin/producers/${id}`, officer, { ...producerFields, addressUnitId: 'c-692-loc-quang' });
    expect(outside.status).toBe(403); // outside_area: forbidden, as in the API
    expect(text(await outside.text())).toContain('Địa chỉ nằm ngoài địa bàn bạn phụ trách');
    const edit = await postForm(ctx, `/admin/producers/${id}`, officer, { ...producerFields, femaleLed: '' });
    expect(edit.status).toBe(303);
    const updated = await ctx.db.selectFrom('audit_log').select(['before', 'after']).where('action', '=', 'producer.update').where('entity_id', '=', String(id)).executeTakeFirstOrThrow();
    expect((updated.before as { female_led: boolean }).female_led).toBe(true);
    expect((updated.after as { female_led: boolean }).female_led).toBe(false);
  });
});

describe('products and raw-material regions', () => {
  it('generates a unique slug, validates GTIN and slug, and audits', async () => {
    const producerId = (await ctx.db.selectFrom('producers').select('id').where('name', '=', 'HTX Nông nghiệp Tân Phú').executeTakeFirstOrThrow()).id;
    const first = await postForm(ctx, '/admin/products', officer, { producerId: String(producerId), name: 'Hạt điều rang muối', slug: '', gtin: '' });
    const second = await postForm(ctx, '/admin/products', officer, { producerId: String(producerId), name: 'Hạt điều rang muối', slug: '', gtin: '' });
    const slugs = await ctx.db.selectFrom('products').select('slug').where('id', 'in', [idOf(first, 'products'), idOf(second, 'products')]).orderBy('id').execute();
    expect(slugs.map((s) => s.slug)).toEqual(['hat-dieu-rang-muoi', 'hat-dieu-rang-muoi-2']);
    const bad = await postForm(ctx, '/admin/products', officer, { producerId: String(producerId), name: 'Điều', slug: 'Hạt Điều', gtin: '12345' });
    expect(bad.status).toBe(400);
    const page = text(await bad.text());
    expect(page).toContain('Chỉ chữ thường không dấu');
    expect(page).toContain('Mã GTIN gồm 8, 12, 13 hoặc 14 chữ số');
    const taken = await postForm(ctx, '/admin/products', officer, { producerId: String(producerId), name: 'Điều', slug: 'keo-dieu-ha-my' });
    expect(taken.status).toBe(409);
    expect(text(await taken.text())).toContain('Đường dẫn (slug) này đã được dùng');
    const foreignProducer = (await ctx.db.selectFrom('producers').select('id').where('name', '=', 'Công ty TNHH MTV Khánh Sâm').executeTakeFirstOrThrow()).id;
    const foreign = await postForm(ctx, '/admin/products', officer, { producerId: String(foreignProducer), name: 'Điều ngoài địa bàn' });
    expect(foreign.status).toBe(404); // unknown_producer: not found (in this scope), as in the API
    expect(text(await foreign.text())).toContain('chủ thể ngoài địa bàn của bạn');
  });

  it('adds and removes raw-material regions with validation, audited on the product', async () => {
    const product = await ctx.db.selectFrom('products').select('id').where('slug', '=', 'hat-dieu-rang-muoi').executeTakeFirstOrThrow();
    const bad = await postForm(ctx, `/admin/products/${product.id}/regions`, officer, { description: '', unitId: '', areaHa: '-3', latitude: '91', longitude: 'đông' });
    expect(bad.status).toBe(400);
    const page = text(await bad.text());
    for (const m of ['Bắt buộc / Required', 'Diện tích phải lớn hơn 0', 'Lớn nhất là 90', 'Phải là số']) expect(page).toContain(m);
    const ok = await postForm(ctx, `/admin/products/${product.id}/regions`, officer, { description: 'Vườn điều ấp 3, xã Tân Phú', unitId: 'c-695-tan-phu', areaHa: '25.5', latitude: '11.53', longitude: '106.95' });
    expect(ok.status).toBe(303);
    const detail = text(await (await get(ctx, `/admin/products/${product.id}`, officer)).text());
    expect(detail).toContain('Vườn điều ấp 3, xã Tân Phú');
    expect(detail).toContain('25,5');
    const region = await ctx.db.selectFrom('raw_material_regions').select('id').where('product_id', '=', product.id).executeTakeFirstOrThrow();
    expect((await postForm(ctx, `/admin/products/${product.id}/regions/${region.id}/delete`, officer)).status).toBe(303);
    expect(await ctx.db.selectFrom('raw_material_regions').select('id').where('product_id', '=', product.id).execute()).toEqual([]);
    const trail = await ctx.db.selectFrom('audit_log').select('action').where('entity', '=', 'product').where('entity_id', '=', String(product.id)).orderBy('id').execute();
    expect(trail.map((t) => t.action)).toEqual(['product.create', 'region.create', 'region.delete']);
  });

  it('keeps a certified product with its producer', async () => {
    const product = await ctx.db.selectFrom('products').select(['id', 'name', 'slug']).where('slug', '=', 'keo-dieu-ha-my').executeTakeFirstOrThrow();
    const other = (await ctx.db.selectFrom('producers').select('id').where('name', '=', 'HTX Nông nghiệp Tân Phú').executeTakeFirstOrThrow()).id;
    const res = await postForm(ctx, `/admin/products/${product.id}`, admin, { producerId: String(other), name: product.name, slug: product.slug });
    expect(res.status).toBe(409);
    expect(text(await res.text())).toContain('Sản phẩm đã được cấp giấy chứng nhận không thể đổi chủ thể');
  });
});

describe("a producer's own view", () => {
  it('shows their products with batches, scan statistics and counterfeit reports', async () => {
    const producer = await sessionFor(ctx, DEMO_EMAILS.producer);
    const list = text(await (await get(ctx, '/admin/products', producer)).text());
    expect(list).toContain('Sản phẩm của tôi');
    expect(list).toContain('Kẹo điều');
    expect(list).not.toContain('Yến sào');
    const batch = await ctx.db.selectFrom('package_batches').select('id').where('lot_code', '=', 'HM-RM-01').executeTakeFirstOrThrow();
    await ctx.db.insertInto('counterfeit_reports').values({ batch_id: batch.id, serial: 7, message: 'Thấy bán tràn lan ở chợ với giá rẻ', place: 'VN-Hồ Chí Minh' }).execute();
    const product = await ctx.db.selectFrom('products').select('id').where('slug', '=', 'hat-dieu-rang-muoi-ha-my').executeTakeFirstOrThrow();
    const page = text(await (await get(ctx, `/admin/products/${product.id}`, producer)).text());
    for (const s of ['HM-RM-01', 'Thống kê lượt quét', '37 lượt quét', 'Thấy bán tràn lan ở chợ với giá rẻ']) expect(page).toContain(s);
    expect(page).not.toContain('Sửa / Edit');
  });
});

describe('what scans show', () => {
  it('follows a producer edit at the very next scan', async () => {
    const batch = await ctx.db.selectFrom('package_batches').select('id').where('lot_code', '=', 'HM-RM-01').executeTakeFirstOrThrow();
    const today = '2026-03-10';
    expect((await ctx.deps.cache.get(ctx.db, batch.id, today))!.producer.addressAsIssued).not.toContain('Lô A2');
    const haMy = await ctx.db.selectFrom('producers').selectAll().where('name', '=', 'Công ty Cổ phần Hà Mỵ').executeTakeFirstOrThrow();
    const res = await postForm(ctx, `/admin/producers/${haMy.id}`, admin, { name: haMy.name, legalForm: haMy.legal_form, addressLine: 'Lô A2, KCN Bắc Đồng Phú', addressUnitId: haMy.address_unit_id ?? '' });
    expect(res.status).toBe(303);
    expect((await ctx.deps.cache.get(ctx.db, batch.id, today))!.producer.addressAsIssued).toContain('Lô A2, KCN Bắc Đồng Phú');
  });
});
