import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiToken, hashApiToken } from '../../admin/secrets';
import { signPackageCode } from '../../worker/codes/sign';
import { producersSellingThroughModernChannels, showroomsPerFormerDistrict } from '../../worker/db/sales-points';
import { createToken } from '../../worker/db/users-and-tokens';
import { mapLinks, parseNear } from '../../worker/domain/sales-points';
import { NEAR_ME_SCRIPT, NEAR_ME_SCRIPT_HASH } from '../../worker/public/where-to-buy';
import { createTestContext, type TestContext } from '../helpers/app';
import { api, DEMO_EMAILS, get, postForm, sessionFor, text } from './admin-support';

// Where to buy (issue 12): who may record which points, what a point must hold, the audit
// trail, the public "Nơi mua" on the scan and product pages, nearest-first ordering, the
// counts the plan's reports need, and the units of today's province.

let ctx: TestContext;
let admin: string;
let producer: string;
let officer: string;
let auditor: string;
let hamyId: number;
let hamyProduct: number;
let otherProduct: number;

const HAMY_PRODUCT = 'hat-dieu-rang-muoi-ha-my';

/** A valid shop of Hà Mỵ's, as the form sends it. */
function shop(extra: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    kind: 'shop', name: 'Quầy Hà Mỵ chợ Đồng Xoài', unitId: 'c-2025-phuong-binh-phuoc', formerUnitId: 'd-689',
    latitude: '11.5361', longitude: '106.8890', openingHours: '6:00 – 18:00', phone: '0271 000 0009', productIds: [String(hamyProduct)], ...extra,
  };
}

async function lastAudit(action: string) {
  return ctx.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id', 'desc').executeTakeFirst();
}

function placeNames(html: string): string[] {
  return [...html.matchAll(/<li><strong>([^<]+)<\/strong>/g)].map((m) => m[1]!.replace(/&#39;/g, "'"));
}

beforeAll(async () => {
  ctx = await createTestContext({ seed: true });
  [admin, producer, officer, auditor] = await Promise.all([
    sessionFor(ctx, DEMO_EMAILS.province_admin), sessionFor(ctx, DEMO_EMAILS.producer), sessionFor(ctx, DEMO_EMAILS.area_officer), sessionFor(ctx, DEMO_EMAILS.auditor),
  ]);
  hamyId = (await ctx.db.selectFrom('producers').select('id').where('name', '=', 'Công ty Cổ phần Hà Mỵ').executeTakeFirstOrThrow()).id;
  hamyProduct = (await ctx.db.selectFrom('products').select('id').where('slug', '=', HAMY_PRODUCT).executeTakeFirstOrThrow()).id;
  otherProduct = (await ctx.db.selectFrom('products').select('id').where('slug', '=', 'ca-phe-nguyen-chat-cong').executeTakeFirstOrThrow()).id;
});

afterAll(async () => {
  await ctx?.close();
});

describe('who may record which points', () => {
  it('a producer records their own shop (the producer is set to them, audited as them)', async () => {
    const res = await postForm(ctx, '/admin/sales-points', producer, shop({ producerId: '999' }));
    expect(res.status).toBe(303);
    const id = Number(/\/admin\/sales-points\/([0-9]+)/.exec(res.headers.get('location') ?? '')![1]);
    const row = await ctx.db.selectFrom('sales_points').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    // A producer cannot put a point on someone else: the form's producerId is ignored for them.
    expect(row.producer_id).toBe(hamyId);
    const entry = await lastAudit('sales_point.create');
    expect(entry?.actor_label).toBe(DEMO_EMAILS.producer);
    expect(entry?.entity_id).toBe(String(id));
    expect((entry?.after as { product_ids: number[] }).product_ids).toEqual([hamyProduct]);
  });

  it('a producer may not record a showroom, nor list another producer\'s product (403)', async () => {
    const showroom = await postForm(ctx, '/admin/sales-points', producer, shop({ kind: 'showroom' }));
    expect(showroom.status).toBe(403);
    const foreign = await postForm(ctx, '/admin/sales-points', producer, shop({ productIds: [String(hamyProduct), String(otherProduct)] }));
    expect(foreign.status).toBe(403);
    expect(text(await foreign.text())).toContain('chỉ ghi sản phẩm của chính chủ thể đó');
  });

  it('a producer cannot edit or delete another\'s point or a showroom: 403, and nothing changes', async () => {
    const showroom = await ctx.db.selectFrom('sales_points').selectAll().where('kind', '=', 'showroom').orderBy('id').executeTakeFirstOrThrow();
    expect((await get(ctx, `/admin/sales-points/${showroom.id}/edit`, producer)).status).toBe(403);
    expect((await postForm(ctx, `/admin/sales-points/${showroom.id}`, producer, shop({ kind: 'shop', name: 'Chiếm chỗ' }))).status).toBe(403);
    expect((await postForm(ctx, `/admin/sales-points/${showroom.id}/delete`, producer)).status).toBe(403);
    const after = await ctx.db.selectFrom('sales_points').selectAll().where('id', '=', showroom.id).executeTakeFirstOrThrow();
    expect(after).toEqual(showroom);
    // The same through the API with a producer's token.
    const token = generateApiToken();
    await createToken(ctx.db, { userId: null, label: 'test' }, { name: 'hamy shop', role: 'producer', areaUnitId: null, producerId: hamyId }, await hashApiToken(token));
    const put = await api(ctx, 'PUT', `/sales-points/${showroom.id}`, token, { kind: 'shop', name: 'Chiếm chỗ', unitId: 'c-2025-xa-dong-phu' });
    expect(put.status).toBe(403);
    expect((await api(ctx, 'DELETE', `/sales-points/${showroom.id}`, token)).status).toBe(403);
    expect((await api(ctx, 'DELETE', '/sales-points/999999', token)).status).toBe(404);
    // Their own list holds only their own points.
    const list = (await (await api(ctx, 'GET', '/sales-points', token)).json()) as { data: { producer_id: number | null }[] };
    expect(list.data.length).toBeGreaterThan(0);
    expect(list.data.every((p) => p.producer_id === hamyId)).toBe(true);
  });

  it('the province admin records a showroom; an auditor reads but may not write (403)', async () => {
    const res = await postForm(ctx, '/admin/sales-points', admin, shop({ kind: 'showroom', name: 'Điểm giới thiệu OCOP Chơn Thành (thử)', formerUnitId: 'd-697', unitId: 'p-dong-nai', latitude: '11.4289', longitude: '106.6130' }));
    expect(res.status).toBe(303);
    expect((await get(ctx, '/admin/sales-points', auditor)).status).toBe(200);
    expect((await postForm(ctx, '/admin/sales-points', auditor, shop())).status).toBe(403);
  });

  it('an area officer records points in their former district only', async () => {
    const inArea = await postForm(ctx, '/admin/sales-points', officer, shop({ kind: 'market_stall', name: 'Sạp chợ Tân Phú (thử)', formerUnitId: 'd-695', unitId: 'c-2025-xa-dong-phu', productIds: [] }));
    expect(inArea.status).toBe(303);
    const outside = await postForm(ctx, '/admin/sales-points', officer, shop({ kind: 'market_stall', name: 'Sạp chợ Lộc Ninh (thử)', formerUnitId: 'd-692', unitId: 'p-dong-nai', productIds: [] }));
    expect(outside.status).toBe(403);
  });
});

describe('what a point must hold (each refusal says why, on its field, and stores nothing)', () => {
  const cases: [string, Record<string, string | string[]>, string][] = [
    ['coordinates in Paris', { latitude: '48.8566', longitude: '2.3522' }, 'ngoài lãnh thổ Việt Nam'],
    ['latitude and longitude swapped', { latitude: '106.8832', longitude: '11.5349' }, 'Lớn nhất là 90'],
    ['latitude without longitude', { latitude: '11.5', longitude: '' }, 'cả vĩ độ và kinh độ'],
    ['an online shop without a link', { kind: 'online', unitId: '', url: '' }, 'cần đường dẫn https'],
    ['an http link', { kind: 'online', url: 'http://shop.example/' }, 'https://'],
    ['a javascript: link', { kind: 'online', url: 'javascript:alert(1)' }, 'https://'],
    ['a shop without a commune', { unitId: '' }, 'Hãy chọn xã, phường'],
    ['an unknown unit', { unitId: 'c-khong-co' }, 'Không tìm thấy đơn vị hành chính'],
    ['a one-letter name', { name: 'A' }, 'Ít nhất 2 ký tự'],
    ['a phone number of letters', { phone: 'gọi tôi' }, 'Số điện thoại không hợp lệ'],
    ['an unknown kind', { kind: 'warehouse' }, 'Giá trị không hợp lệ'],
  ];
  for (const [what, fields, message] of cases) {
    it(what, async () => {
      const before = await ctx.db.selectFrom('sales_points').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const res = await postForm(ctx, '/admin/sales-points', admin, shop(fields));
      expect(res.status, what).toBeGreaterThanOrEqual(400);
      expect(res.status, what).toBeLessThan(500);
      expect(text(await res.text()), what).toContain(message);
      const after = await ctx.db.selectFrom('sales_points').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(after.n), what).toBe(Number(before.n));
    });
  }

  it('edits and deletes are audited with what was before', async () => {
    const created = await postForm(ctx, '/admin/sales-points', admin, shop({ name: 'Quầy thử để sửa' }));
    const id = Number(/([0-9]+)/.exec(created.headers.get('location') ?? '')![1]);
    expect((await postForm(ctx, `/admin/sales-points/${id}`, admin, shop({ name: 'Quầy thử đã sửa', openingHours: '7:00 – 19:00' }))).status).toBe(303);
    const update = await lastAudit('sales_point.update');
    expect((update?.before as { name: string }).name).toBe('Quầy thử để sửa');
    expect((update?.after as { name: string; opening_hours: string }).opening_hours).toBe('7:00 – 19:00');
    expect((await postForm(ctx, `/admin/sales-points/${id}/delete`, admin)).status).toBe(303);
    const del = await lastAudit('sales_point.delete');
    expect(del?.entity_id).toBe(String(id));
    expect((del?.before as { name: string }).name).toBe('Quầy thử đã sửa');
    expect(await ctx.db.selectFrom('sales_points').select('id').where('id', '=', id).executeTakeFirst()).toBeUndefined();
  });
});

describe('public "Nơi mua"', () => {
  it('the scan page of a demo package: at most 3 places below the verdict, a link to all, no script, under 12 KB', async () => {
    const code = await signPackageCode(ctx.keys, ctx.demo!.demoBatchId!, 2);
    const res = await ctx.app.request(`/v/${code}`);
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('<h2>Nơi mua</h2>');
    const section = html.slice(html.indexOf('<h2>Nơi mua</h2>'));
    const places = placeNames(section.slice(0, section.indexOf('</section>')));
    expect(places.length).toBe(3);
    expect(html.indexOf('class="verdict')).toBeLessThan(html.indexOf('<h2>Nơi mua</h2>'));
    expect(html).toContain(`href="/p/${HAMY_PRODUCT}/noi-mua"`);
    expect(html).toContain(`href="/gan-toi?next=${encodeURIComponent(`/p/${HAMY_PRODUCT}/noi-mua`)}"`);
    expect(html).not.toMatch(/<script/i);
    expect(new TextEncoder().encode(html).length).toBeLessThan(12 * 1024);
    // Directions open the phone's map app: an https maps link.
    expect(section).toContain('https://www.google.com/maps/search/?api=1&amp;query=');
  });

  it('the scan page keeps its places like the package state (no query per scan), and an admin change shows at once', async () => {
    const code = await signPackageCode(ctx.keys, ctx.demo!.demoBatchId!, 5);
    const names = async () => {
      const html = await (await ctx.app.request(`/v/${code}`)).text();
      const section = html.slice(html.indexOf('<h2>Nơi mua</h2>'));
      return placeNames(section.slice(0, section.indexOf('</section>')));
    };
    const before = await names();
    const first = await ctx.db.selectFrom('sales_points').select('id').where('name', '=', before[0]!).executeTakeFirstOrThrow();
    const rename = (name: string) => ctx.db.updateTable('sales_points').set({ name }).where('id', '=', first.id).execute();
    // Changed behind the app's back (as another process would): this process keeps what it showed, within the cache's bound.
    await rename('Đổi tên ngoài ứng dụng');
    expect(await names()).toEqual(before);
    // Any change through this process's admin clears it: the next scan reads the places again.
    const other = await postForm(ctx, '/admin/sales-points', admin, shop({ name: 'Quầy thử xóa ngay', productIds: [String(otherProduct)] }));
    expect(other.status).toBe(303);
    expect((await names())[0]).toBe('Đổi tên ngoài ứng dụng');
    await rename(before[0]!);
    const id = Number(/([0-9]+)/.exec(other.headers.get('location') ?? '')![1]);
    expect((await postForm(ctx, `/admin/sales-points/${id}/delete`, admin)).status).toBe(303);
    expect(await names()).toEqual(before);
  });

  it('the product page lists every place, marked illustrative, with the address today and before the merger', async () => {
    const html = await (await ctx.app.request(`/p/${HAMY_PRODUCT}`)).text();
    expect(html).toContain('Nơi mua');
    const t = text(html);
    expect(t).toContain('Điểm giới thiệu và bán sản phẩm OCOP Đồng Xoài (minh họa)');
    expect(t).toContain('Phường Bình Phước, Tỉnh Đồng Nai');
    expect(t).toContain('Trước 01/07/2025: Thành phố Đồng Xoài, Tỉnh Bình Phước');
    expect(html).toContain('href="https://cuahang.ha-my.example/"');
    expect(html).toContain('href="geo:11.5349,106.8832?q=11.5349,106.8832(');
    expect(html).toContain('href="tel:02710000001"');
  });

  it('nearest first when the phone shares its position; by area otherwise; online shops last', async () => {
    // At Hà Mỵ's workshop in the former Tân Lập commune.
    const nearWorkshop = placeNames(await (await ctx.app.request(`/p/${HAMY_PRODUCT}/noi-mua?lat=11.5860&lng=106.9320`)).text());
    expect(nearWorkshop[0]).toBe('Cửa hàng Hà Mỵ tại xưởng (minh họa)');
    expect(nearWorkshop.at(-1)).toBe('Cửa hàng trực tuyến Hà Mỵ (minh họa)');
    // In the centre of Đồng Xoài.
    const res = await ctx.app.request(`/p/${HAMY_PRODUCT}/noi-mua?lat=11.5349&lng=106.8832`);
    const html = await res.text();
    const nearCity = placeNames(html);
    expect(nearCity[0]).toBe('Điểm giới thiệu và bán sản phẩm OCOP Đồng Xoài (minh họa)');
    expect(text(html)).toContain('Sắp xếp từ gần đến xa');
    // A personal position is never cached.
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(new Set(nearCity)).toEqual(new Set(nearWorkshop));
    // No position, or one outside Vietnam: by area, under the former districts' names.
    for (const q of ['', '?lat=48.85&lng=2.35', '?lat=abc&lng=1', '?lat=11.5']) {
      const page = await ctx.app.request(`/p/${HAMY_PRODUCT}/noi-mua${q}`);
      expect(page.status, q).toBe(200);
      const t = text(await page.text());
      expect(t, q).toContain('Thành phố Đồng Xoài, Tỉnh Bình Phước');
      expect(t, q).not.toContain('Sắp xếp từ gần đến xa');
    }
    expect((await ctx.app.request('/p/khong-co/noi-mua')).status).toBe(404);
    expect((await ctx.app.request('/p/Bad%20Slug/noi-mua')).status).toBe(404);
  });

  it('/noi-mua lists the showrooms by former district; kind and area filters; bad filters are a 400', async () => {
    const html = await (await ctx.app.request('/noi-mua?kind=showroom')).text();
    const names = placeNames(html);
    expect(names).toEqual(expect.arrayContaining(['Điểm giới thiệu sản phẩm OCOP Bù Đăng (minh họa)', 'Điểm giới thiệu sản phẩm OCOP Đồng Phú (minh họa)', 'Điểm giới thiệu và bán sản phẩm OCOP Đồng Xoài (minh họa)']));
    expect(html).toContain('<h2>Huyện Bù Đăng, Tỉnh Bình Phước</h2>');
    const dongPhu = placeNames(await (await ctx.app.request('/noi-mua?area=d-695')).text());
    expect(dongPhu).toContain('Cửa hàng Hà Mỵ tại xưởng (minh họa)');
    expect(dongPhu).not.toContain('Sạp hồ tiêu chợ Lộc Ninh (minh họa)');
    for (const q of ['kind=warehouse', 'area=%3Cscript%3E']) expect((await ctx.app.request(`/noi-mua?${q}`)).status, q).toBe(400);
  });

  it('the near-me page runs only its own script, allowed by hash there alone, and goes only to our own lists', async () => {
    const res = await ctx.app.request(`/gan-toi?next=${encodeURIComponent(`/p/${HAMY_PRODUCT}/noi-mua`)}`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`script-src ${NEAR_ME_SCRIPT_HASH}`);
    const digest = Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(NEAR_ME_SCRIPT))).toString('base64');
    expect(NEAR_ME_SCRIPT_HASH).toBe(`'sha256-${digest}'`);
    expect(await res.text()).toContain(`<script>${NEAR_ME_SCRIPT}</script>`);
    expect((await ctx.app.request('/noi-mua')).headers.get('content-security-policy')).not.toContain('script-src');
    for (const next of ['https://evil.example/noi-mua', '//evil.example/noi-mua', '/admin', '/p/x/noi-mua?x=1', '']) {
      expect((await ctx.app.request(`/gan-toi?next=${encodeURIComponent(next)}`)).status, next).toBe(400);
    }
  });

  it('the GS1 linkset\'s where-to-buy link (gs1:hasRetailers) is the product\'s real list', async () => {
    await ctx.db.updateTable('products').set({ gtin: '8930000000019' }).where('id', '=', hamyProduct).execute();
    const res = await ctx.app.request('/01/08930000000019?linkType=all');
    const body = (await res.json()) as { linkset: Record<string, unknown>[] };
    const links = body.linkset[0]!['https://gs1.org/voc/hasRetailers'] as { href: string }[];
    expect(links[0]!.href).toBe(`https://ocop.test/p/${HAMY_PRODUCT}/noi-mua`);
    expect((await ctx.app.request(new URL(links[0]!.href).pathname)).status).toBe(200);
  });

  it('map links: geo: and an https maps search, coordinates rounded; positions outside Vietnam are ignored', () => {
    expect(mapLinks({ lat: 11.534912345, lng: 106.88321 }, 'A & B')).toEqual({ geo: 'geo:11.53491,106.88321?q=11.53491,106.88321(A%20%26%20B)', web: 'https://www.google.com/maps/search/?api=1&query=11.53491,106.88321' });
    expect(parseNear('11.5', '106.9')).toEqual({ lat: 11.5, lng: 106.9 });
    for (const [lat, lng] of [['106.9', '11.5'], ['0', '0'], ['1e2', '1'], [undefined, '1'], ['11.5', '106.9; drop']]) expect(parseNear(lat, lng)).toBeNull();
  });
});

describe('the plan\'s measures (for the reports)', () => {
  it('showrooms per former district, every district listed, and producers selling through modern channels', async () => {
    const byDistrict = new Map((await showroomsPerFormerDistrict(ctx.db)).map((d) => [d.districtId, d.showrooms]));
    expect(byDistrict.size).toBe(11);
    expect(byDistrict.get('d-689')).toBe(1);
    expect(byDistrict.get('d-695')).toBe(1);
    expect(byDistrict.get('d-696')).toBe(1);
    expect(byDistrict.get('d-697')).toBe(1); // added by the admin above
    expect(byDistrict.get('d-692')).toBe(0); // a market stall is not a showroom
    const modern = await producersSellingThroughModernChannels(ctx.db);
    // Hà Mỵ (online shop, supermarket), Công Phát and Vinahe (supermarket).
    expect(modern.producers).toBe(3);
    expect(modern.certifiedProducers).toBe(16);
    expect(modern.share).toBeCloseTo(3 / 16);
  });
});

describe('the communes of today\'s province (units admin)', () => {
  it('the province admin adds a commune with its predecessors; addresses there now read "… (cũ), nay …"; audited', async () => {
    const res = await postForm(ctx, '/admin/units', admin, { name: 'Lộc Ninh', unitType: 'xa', gsoCode: '', parentId: 'p-dong-nai', validFrom: '2025-07-01', predecessorIds: ['c-692-loc-quang', 'c-692-loc-an'] });
    expect(res.status).toBe(303);
    const unit = await ctx.db.selectFrom('admin_units').selectAll().where('id', '=', 'c-2025-xa-loc-ninh').executeTakeFirstOrThrow();
    expect(unit).toMatchObject({ name: 'Lộc Ninh', unit_type: 'xa', level: 'commune', parent_id: 'p-dong-nai', valid_from: '2025-07-01', valid_to: null, gso_code: null });
    const quang = await ctx.db.selectFrom('admin_units').select('successor_id').where('id', '=', 'c-692-loc-quang').executeTakeFirstOrThrow();
    expect(quang.successor_id).toBe('c-2025-xa-loc-ninh');
    expect((await lastAudit('unit.create'))?.entity_id).toBe('c-2025-xa-loc-ninh');
    const list = text(await (await get(ctx, '/admin/units', admin)).text());
    expect(list).toContain('Xã Lộc Ninh');
    expect(list).toContain('Lộc Quang (Lộc Ninh)');
    // The producer form offers it, so producers there can be registered.
    expect(await (await get(ctx, '/admin/producers/new', admin)).text()).toContain('value="c-2025-xa-loc-ninh"');
    const producerRes = await postForm(ctx, '/admin/producers', admin, { name: 'HTX thử Lộc Ninh mới', legalForm: 'hop_tac_xa', addressUnitId: 'c-2025-xa-loc-ninh' });
    expect(producerRes.status).toBe(303);
    // The pepper of Lộc Quang: its address as issued, and where it is now (the page's cache refreshes within its TTL).
    ctx.deps.cache.invalidate();
    expect(text(await (await ctx.app.request('/p/ho-tieu-huu-co-loc-quang')).text())).toContain('Lộc Quang');
  });

  it('a special zone (đặc khu) is a unit type; bad input is refused on its field; duplicates are a 409', async () => {
    expect((await postForm(ctx, '/admin/units', admin, { name: 'Thử Đặc Khu', unitType: 'dac_khu', gsoCode: '12345', parentId: 'p-dong-nai' })).status).toBe(303);
    const cases: [Record<string, string | string[]>, number, string][] = [
      [{ name: 'Lộc Ninh', unitType: 'xa', parentId: 'p-dong-nai' }, 409, 'Đã có đơn vị cùng loại và tên này'],
      [{ name: 'Mới', unitType: 'xa', gsoCode: '123', parentId: 'p-dong-nai' }, 400, 'Mã GSO của xã gồm 5 chữ số'],
      [{ name: 'Mới', unitType: 'huyen', parentId: 'p-dong-nai' }, 400, 'Giá trị không hợp lệ'],
      [{ name: 'Mới', unitType: 'xa', parentId: 'p-70' }, 400, 'tỉnh, thành phố hiện hành'],
      [{ name: 'Mới', unitType: 'xa', parentId: 'p-dong-nai', predecessorIds: 'c-2025-xa-dong-phu' }, 400, 'đã kết thúc'],
    ];
    for (const [fields, status, message] of cases) {
      const res = await postForm(ctx, '/admin/units', admin, fields);
      expect(res.status, JSON.stringify(fields)).toBe(status);
      expect(text(await res.text()), JSON.stringify(fields)).toContain(message);
    }
  });

  it('only the province admin adds units; area officers and auditors read them', async () => {
    expect((await postForm(ctx, '/admin/units', officer, { name: 'Không được', unitType: 'xa', parentId: 'p-dong-nai' })).status).toBe(403);
    expect((await postForm(ctx, '/admin/units', producer, { name: 'Không được', unitType: 'xa', parentId: 'p-dong-nai' })).status).toBe(403);
    expect((await get(ctx, '/admin/units', officer)).status).toBe(200);
    expect((await get(ctx, '/admin/units', auditor)).status).toBe(200);
    expect((await get(ctx, '/admin/units', producer)).status).toBe(403);
    expect(await ctx.db.selectFrom('admin_units').select('id').where('name', '=', 'Không được').executeTakeFirst()).toBeUndefined();
  });
});
