import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PhotonImage } from '@cf-wasm/photon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPackageCode } from '../../worker/codes/sign';
import { PHOTO_BODY_BYTES } from '../../worker/request-limits';
import { MAX_IMAGE_BYTES } from '../../worker/media/uploads';
import { createTestContext, type TestContext } from '../helpers/app';
import { corruptJpeg, GPS_MARKER, jpeg, jpegWithExif, pdf, png, pngClaiming, textBytes, webp } from '../helpers/media-fixtures';
import { DEMO_EMAILS, get, ORIGIN, sessionFor, text } from './admin-support';

// Photos and decision scans through the admin forms, as a browser posts them (multipart),
// and back out through the public pages and /media: what is accepted round-trips without
// its metadata; what is refused says why on the form and leaves nothing behind.

let ctx: TestContext;
let admin: string;
let producer: string;
let officer: string;
let auditor: string;
let own: number; // a product of the demo producer (Hà Mỵ)
let foreign: number; // another producer's product
let certificateId: number;
let certificateNumber: string;

function upload(path: string, cookie: string, file: Uint8Array, name: string, fields: Record<string, string> = {}, type = 'application/octet-stream'): Promise<Response> {
  const form = new FormData();
  form.append('file', new File([file as Uint8Array<ArrayBuffer>], name, { type }));
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  return Promise.resolve(ctx.app.request(path, { method: 'POST', body: form, headers: { origin: ORIGIN, cookie } }));
}

function post(path: string, cookie: string): Promise<Response> {
  return Promise.resolve(ctx.app.request(path, { method: 'POST', body: new URLSearchParams(), headers: { origin: ORIGIN, cookie, 'content-type': 'application/x-www-form-urlencoded' } }));
}

async function counts() {
  const photos = await ctx.db.selectFrom('product_photos').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const audits = await ctx.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', 'like', 'product_photo.%').executeTakeFirstOrThrow();
  return { photos: Number(photos.n), audits: Number(audits.n) };
}

async function photosOf(productId: number) {
  return ctx.db.selectFrom('product_photos').selectAll().where('product_id', '=', productId).orderBy('id').execute();
}

async function renditionsOf(photoId: number) {
  return ctx.db.selectFrom('product_photo_renditions').selectAll().where('photo_id', '=', photoId).orderBy('width').execute();
}

async function served(sha: string, ext = 'jpg'): Promise<Response> {
  return get(ctx, `/media/${sha}.${ext}`);
}

beforeAll(async () => {
  ctx = await createTestContext({ seed: true, now: new Date('2026-03-10T03:00:00Z') });
  admin = await sessionFor(ctx, DEMO_EMAILS.province_admin);
  producer = await sessionFor(ctx, DEMO_EMAILS.producer);
  officer = await sessionFor(ctx, DEMO_EMAILS.area_officer);
  auditor = await sessionFor(ctx, DEMO_EMAILS.auditor);
  const user = await ctx.db.selectFrom('users').select('producer_id').where('email', '=', DEMO_EMAILS.producer).executeTakeFirstOrThrow();
  const products = await ctx.db.selectFrom('products').select(['id', 'producer_id', 'slug']).orderBy('id').execute();
  own = products.find((p) => p.slug === ctx.demo!.demoProductSlug)!.id;
  expect(products.find((p) => p.id === own)!.producer_id).toBe(user.producer_id);
  foreign = products.find((p) => p.producer_id !== user.producer_id)!.id;
  const cert = await ctx.db.selectFrom('certificates').select(['id', 'number']).where('number', '=', ctx.demo!.demoCertificateNumber!).executeTakeFirstOrThrow();
  certificateId = cert.id;
  certificateNumber = cert.number;
}, 180_000);

afterAll(async () => {
  await ctx?.close();
});

describe('accepted photos round-trip', () => {
  it('a JPEG with EXIF GPS and orientation: stored upright in 320/640/1280, decodable, with no metadata left', async () => {
    const original = jpegWithExif(1600, 1200); // orientation 6: shown 1200 wide, 1600 tall
    expect(new TextDecoder('latin1').decode(original)).toContain(GPS_MARKER);
    const before = await counts();
    const res = await upload(`/admin/products/${own}/photos`, producer, original, 'IMG_0001.JPG', { kind: 'product' }, 'image/jpeg');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/admin/products/${own}/photos?done=photo_added`);
    const photo = (await photosOf(own)).at(-1)!;
    expect([photo.width, photo.height, photo.kind, photo.is_main]).toEqual([1200, 1600, 'product', true]);
    const renditions = await renditionsOf(photo.id);
    expect(renditions.map((r) => [r.width, r.height])).toEqual([[320, 427], [640, 853], [1200, 1600]]);
    for (const r of renditions) {
      const res = await served(r.sha256);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/jpeg');
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect(bytes.length).toBe(r.bytes);
      const body = new TextDecoder('latin1').decode(bytes);
      expect(body).not.toContain('Exif');
      expect(body).not.toContain(GPS_MARKER);
      expect(body).not.toContain('OCOP-Test-Camera');
      // No APP1 (EXIF/XMP) segment at all.
      expect(bytes.findIndex((b, i) => b === 0xff && bytes[i + 1] === 0xe1)).toBe(-1);
      const decoded = PhotonImage.new_from_byteslice(bytes);
      expect([decoded.get_width(), decoded.get_height()]).toEqual([r.width, r.height]);
      decoded.free();
    }
    const after = await counts();
    expect(after).toEqual({ photos: before.photos + 1, audits: before.audits + 1 });
    const entry = await ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'product_photo.add').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ actor_label: DEMO_EMAILS.producer, entity: 'product', entity_id: String(own) });
    expect((entry.after as { files: string[] }).files).toEqual(renditions.map((r) => r.sha256));
  });

  it('a PNG with transparency: flattened on white, never enlarged (500 px wide gives 320 and 500)', async () => {
    const res = await upload(`/admin/products/${own}/photos`, producer, png(500, 400, true), 'goi-hang.png', { kind: 'package' });
    expect(res.status).toBe(303);
    const photo = (await photosOf(own)).at(-1)!;
    expect([photo.kind, photo.is_main]).toEqual(['package', false]);
    const renditions = await renditionsOf(photo.id);
    expect(renditions.map((r) => [r.width, r.height])).toEqual([[320, 256], [500, 400]]);
    const decoded = PhotonImage.new_from_byteslice(new Uint8Array(await (await served(renditions[1]!.sha256)).arrayBuffer()));
    const px = decoded.get_raw_pixels();
    // The transparent corner is white, not black.
    expect([px[0]! > 240, px[1]! > 240, px[2]! > 240]).toEqual([true, true, true]);
    decoded.free();
  });

  it('a WebP, named .jpg: typed by its bytes, accepted', async () => {
    const res = await upload(`/admin/products/${own}/photos`, producer, webp(800, 600), 'anh.jpg', {}, 'image/jpeg');
    expect(res.status).toBe(303);
    const photo = (await photosOf(own)).at(-1)!;
    expect((await renditionsOf(photo.id)).map((r) => r.width)).toEqual([320, 640, 800]);
  });

  it('a lossy WebP (VP8) round-trips', async () => {
    // test/fixtures/lossy-480x360.webp: one of the project's demo drawings (worker/seed/demo-photos.ts),
    // encoded by libwebp's cwebp -q 60 -resize 480 360 (photon itself writes only lossless WebP).
    const lossy = new Uint8Array(readFileSync(path.resolve('test/fixtures/lossy-480x360.webp')));
    const res = await upload(`/admin/products/${own}/photos`, producer, lossy, 'yen.webp', { kind: 'product' }, 'image/webp');
    expect(res.status).toBe(303);
    const photo = (await photosOf(own)).at(-1)!;
    const renditions = await renditionsOf(photo.id);
    expect(renditions.map((r) => [r.width, r.height])).toEqual([[320, 240], [480, 360]]);
    const decoded = PhotonImage.new_from_byteslice(new Uint8Array(await (await served(renditions[1]!.sha256)).arrayBuffer()));
    expect([decoded.get_width(), decoded.get_height()]).toEqual([480, 360]);
    decoded.free();
  });
});

describe('refused uploads: a clear message on the form, nothing stored', () => {
  const cases: [string, () => Uint8Array, string, RegExp][] = [
    ['an HTML page named .jpg', () => textBytes('<!doctype html><html><body><script>alert(1)</script></body></html>'), 'anh.jpg', /Chỉ nhận ảnh JPEG, PNG hoặc WebP/],
    ['an SVG', () => textBytes('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="10" height="10"/></svg>'), 'logo.svg', /Chỉ nhận ảnh JPEG, PNG hoặc WebP/],
    ['a PDF as a photo', () => pdf(), 'anh.jpg', /tệp này là PDF/],
    ['a truncated JPEG', () => jpeg(800, 600).slice(0, 3000), 'cut.jpg', /Ảnh không đầy đủ/],
    ['a truncated PNG', () => png(800, 600).slice(0, 2000), 'cut.png', /Ảnh không đầy đủ/],
    ['a truncated WebP', () => webp(800, 600).slice(0, 500), 'cut.webp', /Ảnh không đầy đủ/],
    ['a PNG claiming 100,000 × 100,000 pixels', () => pngClaiming(100_000, 100_000), 'bomb.png', /quá lớn \(tối đa 40 triệu điểm ảnh\)/],
    ['a PNG claiming 8,000 × 6,000 pixels (48 MP)', () => pngClaiming(8000, 6000), 'big.png', /quá lớn/],
    ['a JPEG with impossible Huffman tables', corruptJpeg, 'bad.jpg', /Không giải mã được ảnh này/],
    ['a tiny image', () => png(100, 80), 'icon.png', /Ảnh quá nhỏ/],
    ['an empty file', () => new Uint8Array(0), 'empty.jpg', /Hãy chọn một ảnh/],
    ['a file over 8 MB', () => { const b = new Uint8Array(MAX_IMAGE_BYTES + 1); b.set(jpeg(400, 300)); return b; }, 'huge.jpg', /Ảnh lớn hơn 8 MB/],
  ];
  for (const [what, make, name, message] of cases) {
    it(what, async () => {
      const before = await counts();
      const started = performance.now();
      const res = await upload(`/admin/products/${own}/photos`, producer, make(), name, { kind: 'product' });
      expect(res.status).toBe(400);
      const page = text(await res.text());
      expect(page).toMatch(message);
      expect(page).toContain('Tải ảnh lên'); // the form, shown again
      expect(await counts()).toEqual(before);
      if (what.includes('100,000')) expect(performance.now() - started).toBeLessThan(2000); // refused from the header, not decoded
    });
  }

  it('a body over the route limit is refused with 413 before it is read', async () => {
    const res = await Promise.resolve(
      ctx.app.request(`/admin/products/${own}/photos`, { method: 'POST', body: new Uint8Array(PHOTO_BODY_BYTES + 1), headers: { origin: ORIGIN, cookie: producer, 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(PHOTO_BODY_BYTES + 1) } }),
    );
    expect(res.status).toBe(413);
    expect(await res.text()).toContain('Nội dung gửi quá lớn');
  });

  it('other admin forms keep their 64 KB limit', async () => {
    const res = await Promise.resolve(
      ctx.app.request(`/admin/products/${own}/regions`, { method: 'POST', body: 'description=' + 'x'.repeat(70 * 1024), headers: { origin: ORIGIN, cookie: admin, 'content-type': 'application/x-www-form-urlencoded' } }),
    );
    expect(res.status).toBe(413);
  });
});

describe('who may upload', () => {
  it("a producer cannot upload for another producer's product (403), nor see its photo page", async () => {
    const before = await counts();
    const res = await upload(`/admin/products/${foreign}/photos`, producer, jpeg(800, 600), 'a.jpg');
    expect(res.status).toBe(403);
    expect(await counts()).toEqual(before);
    expect((await get(ctx, `/admin/products/${foreign}/photos`, producer)).status).toBe(403);
  });

  it('an auditor may look but not upload; the province admin uploads for any product', async () => {
    expect((await get(ctx, `/admin/products/${own}/photos`, auditor)).status).toBe(200);
    expect((await upload(`/admin/products/${foreign}/photos`, auditor, jpeg(800, 600), 'a.jpg')).status).toBe(403);
    expect((await upload(`/admin/products/${foreign}/photos`, admin, jpeg(800, 600), 'a.jpg')).status).toBe(303);
  });

  it('the area officer uploads for a product of the district; the admin pages link the photo and decision pages', async () => {
    expect((await upload(`/admin/products/${own}/photos`, officer, png(400, 300), 'a.png', { kind: 'package' })).status).toBe(303);
    expect(await (await get(ctx, `/admin/products/${own}`, producer)).text()).toContain(`href="/admin/products/${own}/photos"`);
    expect(await (await get(ctx, `/admin/certificates/${certificateId}`, admin)).text()).toContain(`href="/admin/certificates/${certificateId}/decision"`);
  });

  it('without a session the upload goes to sign-in and stores nothing', async () => {
    const before = await counts();
    const res = await Promise.resolve(ctx.app.request(`/admin/products/${own}/photos`, { method: 'POST', body: new FormData(), headers: { origin: ORIGIN } }));
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/login');
    expect(await counts()).toEqual(before);
  });
});

describe('main photo, removal, and the public pages', () => {
  it('the main photo can be changed and removed, each change audited, and the scan page follows', async () => {
    const photos = await photosOf(own);
    const [first, second] = [photos[0]!, photos[1]!];
    expect(first.is_main).toBe(true);
    const code = await signPackageCode(ctx.keys, ctx.demo!.demoBatchId!, 3);
    const scan = async () => (await get(ctx, `/v/${code}`)).text();

    const firstSmall = (await renditionsOf(first.id))[0]!.sha256;
    let html = await scan();
    expect(html).toContain(`/media/${firstSmall}.jpg`);

    expect((await post(`/admin/products/${own}/photos/${second.id}/main`, producer)).status).toBe(303);
    const secondSmall = (await renditionsOf(second.id))[0]!.sha256;
    html = await scan();
    expect(html).toContain(`/media/${secondSmall}.jpg`);
    expect(html).not.toContain(`/media/${firstSmall}.jpg`);

    expect((await post(`/admin/products/${own}/photos/${second.id}/remove`, producer)).status).toBe(303);
    const left = await photosOf(own);
    expect(left.map((p) => p.id)).not.toContain(second.id);
    expect(left.filter((p) => p.is_main).map((p) => p.id)).toEqual([first.id]); // the oldest became main again
    // A removed photo's files are no longer served.
    expect((await served(secondSmall)).status).toBe(404);
    const actions = await ctx.db.selectFrom('audit_log').select(['action', 'before', 'after']).where('entity', '=', 'product').where('entity_id', '=', String(own)).where('action', 'in', ['product_photo.main', 'product_photo.remove']).orderBy('id').execute();
    expect(actions.map((a) => a.action)).toEqual(['product_photo.main', 'product_photo.remove']);
    expect(actions[0]!.after).toEqual({ mainPhotoId: second.id });
    expect(actions[1]!.after).toEqual({ mainPhotoId: first.id });
  });

  it('a photo of another product cannot be made main or removed through this product (404)', async () => {
    const other = (await photosOf(foreign))[0]!;
    expect((await post(`/admin/products/${own}/photos/${other.id}/remove`, admin)).status).toBe(404);
    expect((await photosOf(foreign)).map((p) => p.id)).toContain(other.id);
  });

  it('the scan page shows the main photo after the verdict, sized and light, with og:image, and stays under 12 KB without script', async () => {
    const code = await signPackageCode(ctx.keys, ctx.demo!.demoBatchId!, 4);
    const html = await (await get(ctx, `/v/${code}`)).text();
    const verdictAt = html.indexOf('class="verdict');
    const imgAt = html.indexOf('<img');
    expect(verdictAt).toBeGreaterThan(0);
    expect(imgAt).toBeGreaterThan(html.indexOf('</section>', verdictAt));
    const img = /<img [^>]+>/.exec(html)![0];
    expect(img).toMatch(/ width="640" height="853"/);
    expect(img).toMatch(/srcset="\/media\/[0-9a-f]{64}\.jpg 320w, \/media\/[0-9a-f]{64}\.jpg 640w"/);
    expect(img).not.toContain('1200w'); // the scan page never offers the large one
    expect(html).toMatch(/<meta property="og:image" content="https:\/\/ocop\.test\/media\/[0-9a-f]{64}\.jpg"\/>/);
    expect(html).not.toMatch(/<script/i);
    expect(new TextEncoder().encode(html).length).toBeLessThan(12 * 1024);
  });

  it('the product page shows a gallery; a page of a product without photos has the default og:image', async () => {
    const slug = ctx.demo!.demoProductSlug!;
    const html = await (await get(ctx, `/p/${slug}`)).text();
    expect(html).toContain('Ảnh sản phẩm và bao bì');
    expect(html.match(/<li><a href="\/media\/[0-9a-f]{64}\.jpg"><img /g)?.length).toBe((await photosOf(own)).length);
    const bare = await ctx.db.selectFrom('products as p').select('p.slug').where('p.id', 'not in', ctx.db.selectFrom('product_photos').select('product_id')).where('p.slug', '=', 'buoi-da-xanh-bu-dop').executeTakeFirstOrThrow();
    const other = await (await get(ctx, `/p/${bare.slug}`)).text();
    expect(other).toContain('<meta property="og:image" content="https://ocop.test/og-default.jpg"/>');
    const og = await get(ctx, '/og-default.jpg');
    expect(og.status).toBe(200);
    expect(og.headers.get('content-type')).toBe('image/jpeg');
    const decoded = PhotonImage.new_from_byteslice(new Uint8Array(await og.arrayBuffer()));
    expect([decoded.get_width(), decoded.get_height()]).toEqual([1200, 630]);
    decoded.free();
  });

  it('every other public page shares with a card: its title, its address and the default picture', async () => {
    const pages = ['/', '/?lang=en', '/products?q=hat+dieu', '/noi-mua', '/tra-cuu', '/api/docs', '/c/KHONG-CO-SO-NAY'];
    for (const path of pages) {
      const html = await (await get(ctx, path)).text();
      const title = /<title>([^<]*)<\/title>/.exec(html)![1]!;
      expect(html, path).toContain('<meta property="og:image" content="https://ocop.test/og-default.jpg"/>');
      expect(html, path).toContain(`<meta property="og:title" content="${title}"/>`);
      const url = `https://ocop.test${path.split('?')[0]}${path.endsWith('lang=en') ? '?lang=en' : ''}`;
      expect(html, path).toContain(`<meta property="og:url" content="${url}"/>`);
      // Once, in the head: a page never carries two cards.
      expect(html.match(/property="og:image"/g)!.length, path).toBe(1);
      expect(html.indexOf('og:image'), path).toBeLessThan(html.indexOf('</head>'));
    }
    const en = await (await get(ctx, '/?lang=en')).text();
    expect(en).toContain('<meta property="og:locale" content="en_US"/>');
  });

  it('/media answers 404 for unknown, malformed or mistyped names', async () => {
    const photo = (await photosOf(own))[0]!;
    const sha = (await renditionsOf(photo.id))[0]!.sha256;
    expect((await served('0'.repeat(64))).status).toBe(404);
    expect((await get(ctx, '/media/../../etc/passwd')).status).toBe(404);
    expect((await get(ctx, `/media/${sha}.png`)).status).toBe(404);
    expect((await served(sha, 'pdf')).status).toBe(404); // a photo is never served as a PDF
  });
});

describe('certificate decision (PDF)', () => {
  it('only province officials upload it; an image or a cut-off PDF is refused; the public page links it, served as a sandboxed download', async () => {
    const path = `/admin/certificates/${certificateId}/decision`;
    expect((await upload(path, officer, pdf(), 'qd.pdf')).status).toBe(403);
    expect((await upload(path, producer, pdf(), 'qd.pdf')).status).toBe(403);
    for (const [file, message] of [[jpeg(400, 300), /Chỉ nhận tệp PDF/], [pdf().slice(0, 200), /Tệp PDF không đầy đủ/], [textBytes('<html>%PDF-1.4</html>'), /Chỉ nhận tệp PDF/]] as const) {
      const res = await upload(path, admin, file, 'qd.pdf', {}, 'application/pdf');
      expect(res.status).toBe(400);
      expect(text(await res.text())).toMatch(message);
    }
    expect(await ctx.db.selectFrom('certificate_documents').selectAll().execute()).toEqual([]);

    const doc = pdf();
    const res = await upload(path, admin, doc, 'scan.pdf', {}, 'application/pdf');
    expect(res.status).toBe(303);
    const row = await ctx.db.selectFrom('certificate_documents').selectAll().where('certificate_id', '=', certificateId).executeTakeFirstOrThrow();
    expect(row.bytes).toBe(doc.length);
    const audit = await ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'certificate.decision_document').executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ entity: 'certificate', entity_id: String(certificateId), actor_label: DEMO_EMAILS.province_admin });

    const adminPage = await get(ctx, path, auditor);
    expect(adminPage.status).toBe(200);
    const adminHtml = await adminPage.text();
    expect(adminHtml).toContain(`href="/media/${row.sha256}.pdf"`);
    expect(adminHtml).not.toContain('enctype="multipart/form-data"'); // auditors see, never upload
    const page = await (await get(ctx, `/c/${encodeURIComponent(certificateNumber)}`)).text();
    expect(page).toContain(`href="/media/${row.sha256}.pdf"`);
    const file = await get(ctx, `/media/${row.sha256}.pdf`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(file.headers.get('content-disposition')).toBe(`attachment; filename="quyet-dinh-${certificateNumber}.pdf"`);
    expect(file.headers.get('content-security-policy')).toMatch(/(^|; )sandbox(;|$)/);
    expect(file.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(doc);
    // A PDF is never served as an image.
    expect((await served(row.sha256, 'jpg')).status).toBe(404);
  });
});
