import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPackageCode } from '../../worker/codes/sign';
import { generateSigningKey, KeyRing } from '../../worker/codes/keyring';
import { issueBatch } from '../../worker/db/batches';
import { renewCertificate, revokeCertificates } from '../../worker/db/certificates';
import { createEvaluation } from '../../worker/db/evaluations';
import { addDays, todayInVietnam } from '../../worker/domain/dates';
import { createTestContext, type TestContext } from '../helpers/app';
import { demoNumbers } from '../helpers/demo';

/** Demo certificate numbers as seeded by this file's context (they carry their decision's year). */
const N = demoNumbers();

// The scan page end to end on a seeded database (PGlite, or Postgres with TEST_DATABASE_URL).

let ctx: TestContext;
const batch: Record<string, number> = {};
const SEED_ACTOR = { userId: null, label: 'test' };
const CLIENT = { incoming: { socket: { remoteAddress: '203.0.113.7' } } };

async function scan(path: string, init: RequestInit = {}) {
  const res = await ctx.app.request(path, init, CLIENT);
  return { res, html: await res.text() };
}

function h1(html: string): string {
  return /<h1>([^<]*)<\/h1>/.exec(html)?.[1] ?? '';
}

async function codeFor(lot: string, serial: number): Promise<string> {
  return signPackageCode(ctx.keys, batch[lot]!, serial);
}

beforeAll(async () => {
  ctx = await createTestContext({ seed: true });
  for (const b of await ctx.db.selectFrom('package_batches').select(['id', 'lot_code']).execute()) batch[b.lot_code] = b.id;
});

afterAll(async () => {
  await ctx.deps.scans.log.drain();
  await ctx.close();
});

describe('scan page verdicts', () => {
  it('valid batch: genuine, 5 stars, producer with the merger note, region, certificate, batch', async () => {
    const { res, html } = await scan(`/v/${await codeFor('HM-RM-01', 3)}`);
    expect(res.status).toBe(200);
    expect(html).toContain('<html lang="vi">');
    expect(h1(html)).toContain('Sản phẩm OCOP chính hãng');
    for (const s of [
      'Hạt điều rang muối', 'aria-label="5 sao"', '★★★★★', 'Công ty Cổ phần Hà Mỵ', 'Bình Phước (cũ), nay', 'Vùng điều Bình Phước',
      N.haMy5, 'HM-RM-01',
    ]) expect(html).toContain(s);
    expect(html).not.toContain('sắp hết hạn');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(new TextEncoder().encode(html).length).toBeLessThan(30 * 1024);
    expect(html).not.toContain('<script');
  });

  it('expiring batch: genuine with a notice of days left', async () => {
    const { res, html } = await scan(`/v/${await codeFor('HM-KD-07', 1)}`);
    expect(res.status).toBe(200);
    expect(h1(html)).toContain('chính hãng');
    expect(html).toMatch(/giấy chứng nhận sắp hết hạn, chỉ còn \d+ ngày/);
  });

  it('expired batch: a valid code, an expired certificate, said plainly and never "genuine goods"', async () => {
    const { res, html } = await scan(`/v/${await codeFor('PT79-2022-03', 1)}`);
    expect(res.status).toBe(200);
    expect(h1(html)).toContain('giấy chứng nhận OCOP đã hết hạn');
    expect(html).not.toContain('Hàng thật');
    expect(html).toContain('Mã này do hệ thống OCOP cấp');
    // Whether this lot was made while the certificate was valid.
    expect(html).toMatch(/Lô này được sản xuất ngày \d{2}\/\d{2}\/\d{4}, (khi giấy chứng nhận còn hiệu lực|sau khi giấy chứng nhận đã hết hạn)\./);
    expect(html).toContain('Chưa có giấy chứng nhận gia hạn');
    expect(html).toContain('Mít ruột đỏ PT79');
  });

  it('revoked batch: decision number, date and ground', async () => {
    const { res, html } = await scan(`/v/${await codeFor('MO-2025-12', 1)}`);
    expect(res.status).toBe(200);
    expect(h1(html)).toContain('đã bị thu hồi');
    expect(html).toMatch(/Quyết định thu hồi số \d+\/QĐ-UBND ngày \d{2}\/\d{2}\/\d{4}\. Lý do: Ngừng sản xuất\./);
  });

  it('English from Accept-Language and from ?lang=en, with a visible switch back', async () => {
    const code = await codeFor('HM-RM-01', 4);
    const a = await scan(`/v/${code}`, { headers: { 'accept-language': 'en-GB,en;q=0.9' } });
    expect(a.html).toContain('<html lang="en">');
    expect(h1(a.html)).toContain('Genuine OCOP product');
    expect(a.html).toContain('Tiếng Việt');
    const b = await scan(`/v/${code}?lang=en`, { headers: { 'accept-language': 'vi' } });
    expect(h1(b.html)).toContain('Genuine OCOP product');
    expect(b.html).toContain('href="/v/' + code + '?lang=vi"');
    expect(b.res.headers.get('vary')).toContain('Accept-Language');
  });

  it('Open Graph tags for sharing', async () => {
    const code = await codeFor('HM-RM-01', 5);
    const { html } = await scan(`/v/${code}`);
    expect(html).toContain('property="og:title" content="Hạt điều rang muối – OCOP 5★"');
    expect(html).toContain(`property="og:url" content="https://ocop.test/v/${code}"`);
    expect(html).toContain('property="og:description"');
  });

  it('the QR form (/V/ and upper case), lower case, and a full URL in the path all resolve to the same package', async () => {
    const code = await codeFor('HM-RM-01', 6);
    for (const path of [`/V/${code}`, `/v/${code.toLowerCase()}`, `/V/${code.slice(0, 60)}${code.slice(60).toLowerCase()}`]) {
      const { res, html } = await scan(path);
      expect(res.status, path).toBe(200);
      expect(h1(html), path).toContain('chính hãng');
    }
  });

  it('a code signed by a withdrawn key: key withdrawn, no product shown', async () => {
    const code = await codeFor('HM-RM-01', 8);
    ctx.keys.setStatus('ocop-1', 'withdrawn');
    try {
      const { res, html } = await scan(`/v/${code}`);
      expect(res.status).toBe(200);
      expect(h1(html)).toContain('khóa ký của mã đã bị thu hồi');
      expect(html).not.toContain('Hạt điều rang muối');
      const api = await ctx.app.request(`/api/v1/verify?code=${code}`);
      expect((await api.json()).result.verdict).toBe('key_withdrawn');
    } finally {
      ctx.keys.setStatus('ocop-1', 'active');
    }
  });

  it('not genuine: forged signature, other key, unknown batch, serial beyond the batch, junk', async () => {
    const good = await codeFor('HM-RM-01', 9);
    const flipped = good.slice(0, 50) + (good[50] === 'A' ? 'B' : 'A') + good.slice(51);
    const otherRing = await KeyRing.fromJwkSet({ keys: [await generateSigningKey(1)] });
    const foreign = await signPackageCode(otherRing, batch['HM-RM-01']!, 9);
    const unknownBatch = await signPackageCode(ctx.keys, 999_999, 1);
    const beyond = await codeFor('HM-RM-01', 501);
    const cases: [string, number][] = [
      [flipped, 404], [foreign, 404], [unknownBatch, 404], [beyond, 404],
      ['XYZ', 400], [good.slice(0, 118), 400], [`${good}A`, 400], ['0'.repeat(119), 400], ['%E0%A4%A', 400], ['%F0%9F%92%A9', 400],
    ];
    for (const [path, status] of cases) {
      const { res, html } = await scan(`/v/${path}`);
      expect(res.status, path).toBe(status);
      expect(h1(html), path).toContain('Không phải mã OCOP hợp lệ');
      expect(html, path).toContain('Báo cáo nghi ngờ hàng giả');
      expect(html, path).not.toContain('chính hãng</h1>');
    }
  });

  it('very long paths get a 400 page, not a crash', async () => {
    const { res, html } = await scan(`/v/${'A'.repeat(5000)}`);
    expect(res.status).toBe(400);
    expect(h1(html)).toContain('Không phải mã OCOP hợp lệ');
    expect(html).not.toContain('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
  });

  it('a percent-encoded code is malformed, as the API calls the same URL (README §5, the scan route)', async () => {
    const code = await codeFor('HM-RM-01', 10);
    const encoded = [...code].map((ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`).join('');
    const { res, html } = await scan(`/v/${encoded}`);
    expect(res.status).toBe(400);
    expect(h1(html)).not.toContain('chính hãng');
  });
});

describe('scan history and logging', () => {
  it('logs each scan after the response, with a coarse place and a daily client hash, never the IP', async () => {
    const code = await codeFor('HM-RM-01', 20);
    // Header values travel as bytes: UTF-8 text arrives as Latin-1 characters.
    const region = String.fromCharCode(...new TextEncoder().encode('Hồ Chí Minh'));
    const first = await scan(`/v/${code}`, { headers: { 'cf-ipcountry': 'VN', 'cf-region': region } });
    expect(first.html).toContain('Hôm nay (lần đầu tiên)');
    await ctx.deps.scans.log.drain();
    const rows = await ctx.db.selectFrom('scans').selectAll().where('batch_id', '=', batch['HM-RM-01']!).where('serial', '=', 20).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.place).toBe('VN-Hồ Chí Minh');
    expect(rows[0]!.verdict).toBe('genuine');
    expect(rows[0]!.client_hash).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(rows)).not.toContain('203.0.113.7');

    const second = await scan(`/v/${code}`);
    await ctx.deps.scans.log.drain();
    expect(second.html).toMatch(/Số lần<\/dt><dd>2<\/dd>/);
    expect(second.html).not.toContain('nhãn có thể đã bị sao chép');
  });

  it('the seeded copied-looking label (36 scans, 6 places): the verdict box itself warns, first, and the code still reads as valid', async () => {
    const { res, html } = await scan(`/v/${await codeFor('HM-RM-01', 7)}`);
    expect(res.status).toBe(200);
    expect(h1(html)).toContain('Mã OCOP hợp lệ, nhưng nhãn này có thể bị sao chép');
    expect(h1(html)).not.toContain('chính hãng');
    const box = /<section class="verdict (\w+)"[^>]*>(.*?)<\/section>/s.exec(html)!;
    expect(box[1]).toBe('warn');
    expect(box[2]).toContain('nhãn có thể đã bị sao chép');
    expect(box[2]).toMatch(/đã được quét 3\d lần từ 6 nơi khác nhau, bởi \d+ người/);
  });

  it('a batch past its best-before date: the verdict box says so, first', async () => {
    const batch = await ctx.db.selectFrom('package_batches').select(['id', 'best_before', 'production_date']).where('lot_code', '=', 'HM-RM-01').executeTakeFirstOrThrow();
    await ctx.db.updateTable('package_batches').set({ production_date: '2022-12-01', best_before: '2023-01-01' }).where('id', '=', batch.id).execute();
    ctx.deps.cache.invalidate();
    try {
      const { html } = await scan(`/v/${await codeFor('HM-RM-01', 30)}`);
      expect(h1(html)).toContain('quá hạn sử dụng');
      const box = /<section class="verdict (\w+)"[^>]*>(.*?)<\/section>/s.exec(html)!;
      expect(box[1]).toBe('warn');
      expect(box[2]).toContain('Đã quá hạn sử dụng: hạn của lô này là 01/01/2023');
    } finally {
      await ctx.db.updateTable('package_batches').set({ production_date: batch.production_date, best_before: batch.best_before }).where('id', '=', batch.id).execute();
      ctx.deps.cache.invalidate();
    }
  });

  it('scan history as good news: the first check says so; later ones count checks and people', async () => {
    const code = await codeFor('HM-RM-01', 31);
    const first = await scan(`/v/${code}`);
    expect(first.html).toContain('Đây là lần kiểm tra đầu tiên của gói này.');
    await ctx.deps.scans.log.drain();
    const again = await scan(`/v/${code}`);
    expect(again.html).toMatch(/Đã được kiểm tra 2 lần bởi 1 người từ ngày \d{2}\/\d{2}\/\d{4}\./);
    expect(h1(again.html)).toContain('chính hãng');
  });

  it('link-preview bots and HEAD requests are not counted as scans', async () => {
    const code = await codeFor('HM-RM-01', 21);
    await scan(`/v/${code}`, { headers: { 'user-agent': 'facebookexternalhit/1.1' } });
    await scan(`/v/${code}`, { method: 'HEAD' });
    await ctx.deps.scans.log.drain();
    const rows = await ctx.db.selectFrom('scans').select('id').where('batch_id', '=', batch['HM-RM-01']!).where('serial', '=', 21).execute();
    expect(rows).toHaveLength(0);
  });

  it('not-genuine codes are not logged against any batch', async () => {
    const before = await ctx.db.selectFrom('scans').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    await scan(`/v/${await signPackageCode(ctx.keys, 888_888, 1)}`);
    await scan('/v/NOTACODE');
    await ctx.deps.scans.log.drain();
    const after = await ctx.db.selectFrom('scans').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});

describe('freshness', () => {
  it('a revocation shows at the very next scan on this origin (the writer invalidates the cache)', async () => {
    // A fresh product with its own batch, so the seeded states stay as they are.
    const product = await ctx.db.selectFrom('products').select('id').where('slug', '=', 'ca-phe-robusta-ha-my').executeTakeFirstOrThrow();
    const cert = await ctx.db.selectFrom('certificates').select(['id']).where('product_id', '=', product.id).where('status', '=', 'active').executeTakeFirstOrThrow();
    const now = ctx.deps.clock();
    const b = await issueBatch(ctx.db, SEED_ACTOR, { certificateId: cert.id, lotCode: 'CF-T-01', productionDate: addDays(todayInVietnam(now), -2), bestBefore: null, quantity: 10 }, ctx.keys, now);
    const code = await signPackageCode(ctx.keys, b.id, 1);
    expect(h1((await scan(`/v/${code}`)).html)).toContain('chính hãng'); // now cached
    await revokeCertificates(ctx.db, SEED_ACTOR, [cert.id], { decisionNumber: '999/QĐ-UBND', date: todayInVietnam(now), ground: 'food_safety_violation', note: null }, now);
    ctx.deps.cache.invalidate();
    const after = await scan(`/v/${code}`);
    expect(h1(after.html)).toContain('đã bị thu hồi');
    expect(after.html).toContain('999/QĐ-UBND');
    expect(after.html).toContain('Vi phạm an toàn thực phẩm');
  });

  it('a package of a superseded certificate stays genuine until its own end date, showing the renewal; then expired', async () => {
    const product = await ctx.db.selectFrom('products').select('id').where('slug', '=', 'tieu-den-vo-thi-hien').executeTakeFirstOrThrow();
    const old = await ctx.db.selectFrom('certificates').select(['id', 'valid_until']).where('product_id', '=', product.id).where('status', '=', 'active').executeTakeFirstOrThrow();
    const now = ctx.deps.clock();
    const today = todayInVietnam(now);
    const b = await issueBatch(ctx.db, SEED_ACTOR, { certificateId: old.id, lotCode: 'TD-OLD-1', productionDate: addDays(today, -5), bestBefore: null, quantity: 5 }, ctx.keys, now);
    const evaluation = await createEvaluation(ctx.db, SEED_ACTOR, {
      productId: product.id, scoreA: 30, scoreB: 19, scoreC: 27.5, mandatoryLevel: 4, councilLevel: 'province', evaluatedOn: addDays(today, -3), legalBasisId: 'QD-148-2023',
    }, now);
    await renewCertificate(ctx.db, SEED_ACTOR, old.id, {
      evaluationId: evaluation.id, number: 'BP-OCOP-2026-777', decisionNumber: '777/QĐ-UBND', decisionDate: addDays(today, -1), issuingBody: 'UBND tỉnh Đồng Nai', issuingLevel: 'province',
    }, now);
    ctx.deps.cache.invalidate();
    const code = await signPackageCode(ctx.keys, b.id, 1);
    const during = await scan(`/v/${code}`);
    expect(h1(during.html)).toContain('Sản phẩm OCOP chính hãng');
    expect(during.html).toContain('Đã có giấy chứng nhận mới sau đánh giá lại');
    expect(during.html).toContain('href="/c/BP-OCOP-2026-777"');
    expect(during.html).toContain('hạng 4 sao');

    ctx.setNow(new Date(Date.parse(`${addDays(old.valid_until, 1)}T05:00:00Z`)));
    ctx.deps.cache.invalidate();
    try {
      const after = await scan(`/v/${code}`);
      expect(h1(after.html)).toContain('giấy chứng nhận OCOP đã hết hạn');
      expect(after.html).toContain('BP-OCOP-2026-777');
    } finally {
      ctx.setNow(now);
      ctx.deps.cache.invalidate();
    }
  });
});
