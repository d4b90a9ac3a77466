import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiToken, hashApiToken } from '../../admin/secrets';
import { verifyPackageCode } from '../../worker/codes/verify';
import { issueBatch } from '../../worker/db/batches';
import { createToken } from '../../worker/db/users-and-tokens';
import { todayInVietnam } from '../../worker/domain/dates';
import { createTestContext, type TestContext } from '../helpers/app';
import { api, DEMO_EMAILS, get, postForm, sessionFor, text } from './admin-support';
import { demoNumbers } from '../helpers/demo';

// A producer issues a batch for their own certified product and downloads its labels.

const NOW = new Date('2026-03-10T03:00:00Z');

/** Demo certificate numbers as seeded by this file's context (they carry their decision's year). */
const N = demoNumbers(NOW);
const TODAY = todayInVietnam(NOW);
let ctx: TestContext;
let producer: string;
let certId: number;
let foreignCertId: number;

async function bytes(res: Response): Promise<Uint8Array> {
  return new Uint8Array(await res.arrayBuffer());
}

async function issue(fields: Record<string, string>, cookie = producer): Promise<Response> {
  return postForm(ctx, '/admin/batches', cookie, { certificateId: String(certId), lotCode: 'HM-TEST-01', productionDate: TODAY, bestBefore: '2027-03-01', quantity: '25', ...fields });
}

beforeAll(async () => {
  ctx = await createTestContext({ seed: true, now: NOW });
  producer = await sessionFor(ctx, DEMO_EMAILS.producer);
  certId = (await ctx.db.selectFrom('certificates').select('id').where('number', '=', N.robusta).executeTakeFirstOrThrow()).id;
  foreignCertId = (await ctx.db.selectFrom('certificates').select('id').where('number', '=', N.khanhSam).executeTakeFirstOrThrow()).id;
}, 180_000);

afterAll(async () => {
  await ctx?.close();
});

describe('issuing a batch', () => {
  it("offers the producer only their own certificates in force", async () => {
    const form = text(await (await get(ctx, '/admin/batches/new', producer)).text());
    expect(form).toContain(N.robusta);
    expect(form).toContain(N.haMy5);
    expect(form).not.toContain(N.khanhSam); // another producer's
    expect(form).not.toContain(N.haMyOld); // superseded
  });

  it('refuses bad input beside the field, and other producers’ or dead certificates', async () => {
    const bad = await issue({ lotCode: 'lô 1', quantity: '0', productionDate: '2026-13-01' });
    expect(bad.status).toBe(400);
    const page = text(await bad.text());
    expect(page).toContain('Số lô: 1-32 ký tự');
    expect(page).toContain('Nhỏ nhất là 1');
    expect(page).toContain('Ngày không hợp lệ');
    expect(text(await (await issue({ quantity: '1000001' })).text())).toContain('Lớn nhất là 1.000.000');
    expect(text(await (await issue({ bestBefore: '2026-01-01' })).text())).toContain('Hạn sử dụng phải sau ngày sản xuất');
    expect(text(await (await issue({ productionDate: '2026-04-01', bestBefore: '' })).text())).toContain('Ngày sản xuất không được ở tương lai');
    const foreign = await issue({ certificateId: String(foreignCertId) });
    expect(foreign.status).toBe(403); // not_your_product: forbidden, as in the API
    expect(text(await foreign.text())).toContain('Giấy chứng nhận này thuộc chủ thể khác');
    const admin = await sessionFor(ctx, DEMO_EMAILS.province_admin);
    for (const [number, message] of [[N.matOng, 'đã bị thu hồi'], ['70-31-2021', 'đã hết hạn'], [N.haMyOld, 'đã được thay bằng giấy mới']] as const) {
      const id = (await ctx.db.selectFrom('certificates').select('id').where('number', '=', number).executeTakeFirstOrThrow()).id;
      const res = await issue({ certificateId: String(id) }, admin);
      expect(res.status, number).toBe(409);
      expect(text(await res.text())).toContain(message);
    }
    const none = await ctx.db.selectFrom('package_batches').select('id').where('lot_code', '=', 'HM-TEST-01').execute();
    expect(none).toEqual([]);
  });

  it('issues the batch, audits it, and the labels download as CSV, PDF, PNG and SVG', async () => {
    const res = await issue({});
    expect(res.status).toBe(303);
    const batchId = Number(/\/admin\/batches\/(\d+)/.exec(res.headers.get('location')!)![1]);
    const audit = await ctx.db.selectFrom('audit_log').select(['actor_label']).where('action', '=', 'batch.issue').where('entity_id', '=', String(batchId)).execute();
    expect(audit).toEqual([{ actor_label: 'hamy@ocop.demo' }]);
    const page = text(await (await get(ctx, `/admin/batches/${batchId}?done=batch`, producer)).text());
    expect(page).toContain('Đã tạo lô mã');
    expect(page).toContain('Tải nhãn');

    const csv = await get(ctx, `/admin/batches/${batchId}/labels?format=csv`, producer);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="ocop-lo-\d+-HM-TEST-01\.csv"/);
    const csvText = await csv.text();
    const lines = csvText.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('serial,lot,url');
    expect(lines.length).toBe(26);
    for (const [i, line] of lines.slice(1).entries()) {
      const [serial, lot, url] = line.split(',');
      expect(Number(serial)).toBe(i + 1);
      expect(lot).toBe('HM-TEST-01');
      expect(url).toMatch(/^HTTPS:\/\/OCOP\.TEST\/V\/[A-Z2-7]+$/);
      const verdict = await verifyPackageCode(ctx.keys, url!);
      expect(verdict.ok).toBe(true);
      if (verdict.ok) expect(verdict.ref).toMatchObject({ batchId, serial: i + 1 });
    }
    // Downloading again yields the very same codes.
    expect(await (await get(ctx, `/admin/batches/${batchId}/labels?format=csv`, producer)).text()).toBe(csvText);

    const pdf = await get(ctx, `/admin/batches/${batchId}/labels?format=pdf`, producer);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const pdfBytes = await bytes(pdf);
    expect(new TextDecoder().decode(pdfBytes.slice(0, 5))).toBe('%PDF-');
    expect(new TextDecoder().decode(pdfBytes.slice(-8))).toContain('%%EOF');

    const png = unzipSync(await bytes(await get(ctx, `/admin/batches/${batchId}/labels?format=png-zip`, producer)));
    const pngNames = Object.keys(png).sort();
    expect(pngNames.length).toBe(25);
    expect(pngNames[0]).toMatch(/-0000001\.png$/);
    expect([...png[pngNames[0]!]!.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const svg = unzipSync(await bytes(await get(ctx, `/admin/batches/${batchId}/labels?format=svg-zip`, producer)));
    expect(Object.keys(svg).length).toBe(25);
    expect(new TextDecoder().decode(Object.values(svg)[0]!)).toContain('<svg');

    const dup = await issue({});
    expect(dup.status).toBe(409);
    expect(text(await dup.text())).toContain('Lô HM-TEST-01 đã tồn tại');
  });

  it('streams: the first bytes of a million-code CSV arrive without generating the rest', async () => {
    const big = await issueBatch(ctx.db, { userId: null, label: 'test' }, { certificateId: certId, lotCode: 'HM-MILLION', productionDate: TODAY, bestBefore: null, quantity: 1_000_000 }, ctx.keys, NOW);
    const res = await get(ctx, `/admin/batches/${big.id}/labels?format=csv`, producer);
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value).replace(/^\uFEFF/, '').startsWith('serial,lot,url\r\n1,HM-MILLION,HTTPS://OCOP.TEST/V/')).toBe(true);
    await reader.cancel();
    // A ZIP cannot hold a million files: refused up front with a clear message, not half-way.
    const zip = await get(ctx, `/admin/batches/${big.id}/labels?format=png-zip`, producer);
    expect(zip.status).toBe(400);
    expect(text(await zip.text())).toContain('Tệp ZIP chứa tối đa 65535 mã');
  });

  it('refuses impossible label grids and unknown formats', async () => {
    const batch = await ctx.db.selectFrom('package_batches').select('id').where('lot_code', '=', 'HM-TEST-01').executeTakeFirstOrThrow();
    expect((await get(ctx, `/admin/batches/${batch.id}/labels?format=pdf&columns=9&rows=9`, producer)).status).toBe(400);
    expect((await get(ctx, `/admin/batches/${batch.id}/labels?format=pdf&columns=x`, producer)).status).toBe(400);
    expect((await get(ctx, `/admin/batches/${batch.id}/labels?format=docx`, producer)).status).toBe(400);
    const ok = await get(ctx, `/admin/batches/${batch.id}/labels?format=pdf&columns=2&rows=5`, producer);
    expect(ok.status).toBe(200);
    await ok.body?.cancel();
  });

  it('shows scan statistics that expose a copied label', async () => {
    const demo = await ctx.db.selectFrom('package_batches').select('id').where('lot_code', '=', 'HM-RM-01').executeTakeFirstOrThrow();
    const page = text(await (await get(ctx, `/admin/batches/${demo.id}`, producer)).text());
    expect(page).toContain('37 lượt');
    expect(page).toMatch(/7 36 36 6/); // serial 7: 36 scans by 36 people from 6 places
  });

  it('works the same through the API with a producer token', async () => {
    const haMy = (await ctx.db.selectFrom('producers').select('id').where('name', '=', 'Công ty Cổ phần Hà Mỵ').executeTakeFirstOrThrow()).id;
    const token = generateApiToken();
    await createToken(ctx.db, { userId: null, label: 'test' }, { name: 'ERP Hà Mỵ', role: 'producer', areaUnitId: null, producerId: haMy }, await hashApiToken(token));
    const created = await api(ctx, 'POST', '/batches', token, { certificateId: certId, lotCode: 'HM-API-01', productionDate: TODAY, bestBefore: null, quantity: 3 });
    expect(created.status).toBe(201);
    const batch = ((await created.json()) as { data: { id: number; labels: string } }).data;
    const csv = await (await ctx.app.request(batch.labels.replace('format=pdf', 'format=csv'), { headers: { authorization: `Bearer ${token}` } })).text();
    expect(csv.trim().split('\r\n').length).toBe(4);
    const foreign = await api(ctx, 'POST', '/batches', token, { certificateId: foreignCertId, lotCode: 'HM-API-02', productionDate: TODAY, quantity: 3 });
    expect(foreign.status).toBe(403);
    expect(((await foreign.json()) as { error: { code: string; message_vi: string } }).error).toMatchObject({ code: 'not_your_product', message_vi: 'Giấy chứng nhận này thuộc chủ thể khác' });
    const audit = await ctx.db.selectFrom('audit_log').select('actor_label').where('action', '=', 'batch.issue').where('entity_id', '=', String(batch.id)).executeTakeFirstOrThrow();
    expect(audit.actor_label).toMatch(/^token:\d+ ERP Hà Mỵ$/);
  });

  it('stops label downloads for a withdrawn key, after a confirmation step', async () => {
    const admin = await sessionFor(ctx, DEMO_EMAILS.province_admin);
    const batch = await ctx.db.selectFrom('package_batches').select(['id', 'key_number']).where('lot_code', '=', 'HM-TEST-01').executeTakeFirstOrThrow();
    const kid = `ocop-${batch.key_number}`;
    const step1 = await postForm(ctx, `/admin/keys/${kid}/withdraw`, admin, { reason: 'Lộ tệp khóa khi sao lưu' });
    expect(text(await step1.text())).toContain('Xác nhận thu hồi');
    expect(ctx.keys.get(batch.key_number)!.status).toBe('active');
    const step2 = await postForm(ctx, `/admin/keys/${kid}/withdraw`, admin, { reason: 'Lộ tệp khóa khi sao lưu', confirm: 'on' });
    expect(step2.status).toBe(303);
    expect(ctx.keys.get(batch.key_number)!.status).toBe('withdrawn');
    const row = await ctx.db.selectFrom('signing_keys').select(['status', 'withdrawn_reason']).where('kid', '=', kid).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'withdrawn', withdrawn_reason: 'Lộ tệp khóa khi sao lưu' });
    const res = await get(ctx, `/admin/batches/${batch.id}/labels?format=csv`, producer);
    expect(res.status).toBe(409);
    expect(text(await res.text())).toContain('đã bị thu hồi');
    const keysPage = text(await (await get(ctx, '/admin/keys', admin)).text());
    expect(keysPage).toContain('Đã thu hồi / Withdrawn');
    // With its only key withdrawn the service cannot sign: a clear refusal, not an error page.
    const blocked = await issue({ lotCode: 'HM-AFTER-01' });
    expect(blocked.status).toBe(409);
    expect(text(await blocked.text())).toContain('Chưa có khóa ký đang hoạt động');
  });
});
