import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiToken, hashApiToken } from '../../admin/secrets';
import { verifyPackageCode } from '../../worker/codes/verify';
import { createToken } from '../../worker/db/users-and-tokens';
import { LABEL_PRESET_IDS, LABEL_PRESETS, presetLayout } from '../../worker/qr/label-layouts';
import { createTestContext, type TestContext } from '../helpers/app';
import { scanLabels } from '../unit/qr/label-scan';
import { run, tempDir, tool, writeTemp } from '../unit/qr/tools';
import { DEMO_EMAILS, get, sessionFor, text } from './admin-support';

// The batch page's print form as an official uses it: a preset for the label stock in hand or
// custom sizes; a layout that cannot print a readable QR comes back on the form, not as a file.

const NOW = new Date('2026-03-10T03:00:00Z');
let ctx: TestContext;
let admin: string;
let batchId: number;

beforeAll(async () => {
  ctx = await createTestContext({ seed: true, now: NOW });
  admin = await sessionFor(ctx, DEMO_EMAILS.province_admin);
  batchId = (await ctx.db.selectFrom('package_batches').select('id').where('lot_code', '=', 'HM-KD-07').executeTakeFirstOrThrow()).id;
}, 180_000);

afterAll(async () => {
  await ctx?.close();
});

function labels(query: string, cookie = admin): Promise<Response> {
  return get(ctx, `/admin/batches/${batchId}/labels?format=pdf&${query}`, cookie);
}

async function savePdf(res: Response): Promise<string> {
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/pdf');
  return writeTemp(tempDir(), 'labels.pdf', new Uint8Array(await res.arrayBuffer()));
}

function pageSizeMm(file: string): [number, number] {
  const [w, h] = /^Page size:\s+([\d.]+) x ([\d.]+) pts/m.exec(run(tool('pdfinfo'), [file]))!.slice(1).map(Number) as [number, number];
  return [Math.round((w * 25.4) / 72), Math.round((h * 25.4) / 72)];
}

describe('the label print form', () => {
  it('offers every preset and the custom sizes on the batch page, 21 per sheet chosen', async () => {
    const html = await (await get(ctx, `/admin/batches/${batchId}`, admin)).text();
    const form = html.slice(html.indexOf('id="print-labels"'));
    for (const id of LABEL_PRESET_IDS) expect(form).toContain(`value="${id}"`);
    expect(form).toContain('value="custom"');
    expect(form).toMatch(/<option value="a4-21" selected/);
    for (const name of ['page', 'labelWidth', 'labelHeight', 'columns', 'rows', 'marginLeft', 'marginTop', 'gapX', 'gapY']) expect(form).toContain(`name="${name}"`);
    expect(text(form)).toContain(LABEL_PRESETS['a4-65'].vi);
  });

  it('prints the chosen preset: 65 per sheet, every code on page 1 readable and genuine', async () => {
    const file = await savePdf(await labels('preset=a4-65'));
    expect(pageSizeMm(file)).toEqual([210, 297]);
    const found = scanLabels(file, presetLayout('a4-65'), 1, 300);
    const quantity = (await ctx.db.selectFrom('package_batches').select('quantity').where('id', '=', batchId).executeTakeFirstOrThrow()).quantity;
    expect(found.filter((s) => s.length === 1)).toHaveLength(Math.min(65, quantity));
    for (const [i, symbols] of found.slice(0, quantity).entries()) {
      const v = await verifyPackageCode(ctx.keys, symbols[0]!);
      expect(v.ok && v.ref.batchId === batchId && v.ref.serial === i + 1).toBe(true);
    }
    const words = run(tool('pdftotext'), ['-f', '1', '-l', '1', file, '-']);
    expect(words).toContain('Quét để');
  });

  it('prints custom sizes, and a custom roll one label per page at the label size', async () => {
    expect(pageSizeMm(await savePdf(await labels('preset=custom&page=roll&labelWidth=60&labelHeight=40')))).toEqual([60, 40]);
    expect(pageSizeMm(await savePdf(await labels('preset=roll-40x30')))).toEqual([40, 30]);
    await savePdf(await labels('preset=custom&page=a4&labelWidth=70&labelHeight=42,3&gapX=&gapY='));
  });

  it('sends a layout under the QR minimum back to the form, the values kept and the message on the field', async () => {
    const res = await labels('preset=custom&page=a4&labelWidth=38.1&labelHeight=20');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('id="print-labels"');
    expect(html).toMatch(/name="labelHeight"[^>]*value="20"[^>]*aria-invalid="true"/);
    expect(html).toMatch(/<option value="custom" selected/);
    const page = text(html);
    expect(page).toContain('Nhãn 38,1 × 20 mm quá nhỏ cho mã QR');
    expect(page).toContain('ví dụ mẫu A4 65 nhãn/tờ (38,1 × 21,2 mm; 5 × 13) hoặc cuộn 40 × 30 mm');
  });

  it('refuses negative sizes and layouts that overflow A4 on their fields, in Vietnamese first', async () => {
    const negative = await labels('preset=custom&labelWidth=-50&labelHeight=30');
    expect(negative.status).toBe(400);
    expect(await negative.text()).toMatch(/name="labelWidth"[^>]*value="-50"[^>]*aria-invalid="true"/);
    const wide = await labels('preset=custom&labelWidth=70&labelHeight=40&columns=3&marginLeft=5');
    expect(wide.status).toBe(400);
    expect(text(await wide.text())).toContain('Không vừa khổ A4: lề trái + 3 cột × 70 mm + khoảng cách = 215 mm, quá 210 mm. Tối đa 2 cột');
    const unknown = await labels('preset=a4-99');
    expect(unknown.status).toBe(400);
    expect(text(await unknown.text())).toContain('Mẫu nhãn phải là một trong');
  });

  it('takes the same options through the admin API, a refused layout as JSON naming the field', async () => {
    const token = generateApiToken();
    await createToken(ctx.db, { userId: null, label: 'test' }, { name: 'Máy in nhãn', role: 'province_admin', areaUnitId: null, producerId: null }, await hashApiToken(token));
    const call = (q: string) => ctx.app.request(`/api/v1/admin/batches/${batchId}/labels?${q}`, { headers: { authorization: `Bearer ${token}` } });
    expect(pageSizeMm(await savePdf(await call('format=pdf&preset=roll-50x30')))).toEqual([50, 30]);
    const refused = await call('format=pdf&page=roll&labelWidth=30&labelHeight=30');
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as { error: { code: string; details: { fields: Record<string, string> } } };
    expect(body.error.code).toBe('bad_filter');
    expect(body.error.details.fields.labelWidth).toContain('dưới mức tối thiểu 0,396 mm');
    // A layout is only a PDF's business: a CSV ignores it.
    expect((await call('format=csv&labelWidth=30&labelHeight=30')).status).toBe(200);
  });
});
