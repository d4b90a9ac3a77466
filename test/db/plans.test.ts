import { unzipSync, strFromU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiToken, hashApiToken } from '../../admin/secrets';
import { createToken } from '../../worker/db/users-and-tokens';
import { createTestContext, type TestContext } from '../helpers/app';
import { DEMO_EMAILS, get, postForm, sessionFor, text } from './admin-support';

// Plans as data (issue 12): a province admin enters the 2026-2030 plan, the dashboard and the
// reports measure against the plan in force in the period shown, two periods side by side,
// and the report downloads (XLSX read back here, CSV, print view) an office files.

const NOW = new Date('2026-12-10T03:00:00Z');
let ctx: TestContext;
let admin: string;
let auditor: string;
let officer: string;

const PLAN_2026 = {
  name: 'Kế hoạch OCOP tỉnh Đồng Nai giai đoạn 2026-2030',
  legalBasis: 'Kế hoạch số 99/KH-UBND (thử nghiệm)',
  areaUnitId: 'p-dong-nai',
  periodStart: '2026-01-01',
  periodEnd: '2030-12-31',
  note: '',
  target_products_3_star_cumulative: '12',
  target_share_female_led: '10',
  target_showrooms_per_district: '1',
  custom_name_0: 'Lao động nông thôn được đào tạo',
  custom_unit_0: 'người',
  custom_target_0: '500',
  custom_actual_0: '120',
};

beforeAll(async () => {
  ctx = await createTestContext({ seed: true, now: NOW });
  admin = await sessionFor(ctx, DEMO_EMAILS.province_admin);
  auditor = await sessionFor(ctx, DEMO_EMAILS.auditor);
  officer = await sessionFor(ctx, DEMO_EMAILS.area_officer);
}, 180_000);

afterAll(async () => {
  await ctx?.close();
});

/** The cells of each sheet of an XLSX file, as text, read from its XML (inline strings and numbers). */
function readXlsx(bytes: Uint8Array): { names: string[]; sheets: string[][][] } {
  const files = unzipSync(bytes);
  const workbook = strFromU8(files['xl/workbook.xml']!);
  const names = [...workbook.matchAll(/<sheet name="([^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
  const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  const sheets = names.map((_, i) => {
    const xml = strFromU8(files[`xl/worksheets/sheet${i + 1}.xml`]!);
    // Cells by their reference (A1, G3): empty cells are not written, so positions come from the letters.
    return [...xml.matchAll(/<row r="\d+">(.*?)<\/row>/g)].map((row) => {
      const cells: string[] = [];
      for (const c of row[1]!.matchAll(/<c r="([A-Z]+)\d+"(?: s="\d+")?(?: t="inlineStr")?(?:\/>|>(?:<is><t xml:space="preserve">(.*?)<\/t><\/is>|<v>(.*?)<\/v>)<\/c>)/g)) {
        const col = [...c[1]!].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
        while (cells.length < col) cells.push('');
        cells[col] = unescape(c[2] ?? c[3] ?? '');
      }
      return cells;
    });
  });
  return { names, sheets };
}

describe('entering a plan', () => {
  it('before any 2026 plan, the dashboard for December 2026 says there is none', async () => {
    const page = text(await (await get(ctx, '/admin', admin)).text());
    expect(page).toContain('Chưa có kế hoạch cho giai đoạn này (ngày 10/12/2026)');
  });

  it('lets a province admin enter the 2026-2030 plan, audited, and the dashboard measures against it', async () => {
    const res = await postForm(ctx, '/admin/plans', admin, PLAN_2026);
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/admin\/plans\/\d+\?done=saved$/);
    const id = Number(/plans\/(\d+)/.exec(location)![1]);

    const stored = await ctx.db.selectFrom('plan_targets').select(['indicator', 'name', 'unit', 'target', 'actual']).where('plan_id', '=', id).orderBy('position').execute();
    expect(stored).toEqual([
      { indicator: 'products_3_star_cumulative', name: null, unit: null, target: 12, actual: null },
      { indicator: 'share_female_led', name: null, unit: null, target: 10, actual: null },
      { indicator: 'showrooms_per_district', name: null, unit: null, target: 1, actual: null },
      { indicator: 'custom', name: 'Lao động nông thôn được đào tạo', unit: 'người', target: 500, actual: 120 },
    ]);
    const audit = await ctx.db.selectFrom('audit_log').select(['actor_label', 'entity']).where('action', '=', 'plan.create').where('entity_id', '=', String(id)).executeTakeFirstOrThrow();
    expect(audit).toEqual({ actor_label: 'admin@ocop.demo', entity: 'plan' });

    const html = await (await get(ctx, '/admin', admin)).text();
    const page = text(html);
    expect(page).toContain('Chỉ tiêu theo: Kế hoạch OCOP tỉnh Đồng Nai giai đoạn 2026-2030 (Đồng Nai, 01/01/2026 – 31/12/2030)');
    expect(page).not.toContain('Chưa có kế hoạch');
    expect(html).toContain('id="kpi-products_3_star_cumulative"');
    expect(page).toMatch(/\d+ sản phẩm \/ ≥ 12 sản phẩm/);
    expect(page).toContain('120 người / ≥ 500 người');
    // Showrooms come from the where-to-buy records: the fewest any former district has, and how many districts have one.
    expect(html).toMatch(/id="kpi-showrooms_per_district">[\s\S]*?\d+ \/ 11 huyện \(cũ\) có điểm giới thiệu/);
    // Targets the plan does not set are not shown.
    expect(html).not.toContain('id="kpi-share_coop_or_enterprise"');
    // The plan's form shows the values back as entered.
    const form = await (await get(ctx, `/admin/plans/${id}`, auditor)).text();
    expect(form).toContain('value="Lao động nông thôn được đào tạo"');
    expect(form).toMatch(/<fieldset disabled=""/); // auditors read, never edit
  });

  it('refuses a second plan overlapping the first for the same area, with the message beside the start date', async () => {
    const res = await postForm(ctx, '/admin/plans', admin, { ...PLAN_2026, name: 'Kế hoạch trùng thời gian', periodStart: '2030-06-01', periodEnd: '2031-12-31' });
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(html).toMatch(/id="err-periodStart"[^>]*>Địa bàn này đã có kế hoạch trùng thời gian: Kế hoạch OCOP tỉnh Đồng Nai giai đoạn 2026-2030/);
    expect(html).toContain('value="Kế hoạch trùng thời gian"');
    expect(await ctx.db.selectFrom('plans').select('id').where('name', '=', 'Kế hoạch trùng thời gian').executeTakeFirst()).toBeUndefined();
  });

  it('refuses bad input by field: an end before the start, a target that is not a number, a free indicator without a name', async () => {
    let res = await postForm(ctx, '/admin/plans', admin, { ...PLAN_2026, name: 'Sai ngày', areaUnitId: 'p-70', periodStart: '2031-01-01', periodEnd: '2030-01-01' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('id="err-periodEnd"');
    res = await postForm(ctx, '/admin/plans', admin, { ...PLAN_2026, areaUnitId: 'p-70', periodStart: '2040-01-01', periodEnd: '2041-01-01', target_share_female_led: 'bốn mươi' });
    expect(res.status).toBe(400);
    expect(text(await res.text())).toContain('Chỉ tiêu phải là số');
    res = await postForm(ctx, '/admin/plans', admin, { ...PLAN_2026, areaUnitId: 'p-70', periodStart: '2040-01-01', periodEnd: '2041-01-01', custom_name_0: '' });
    expect(res.status).toBe(400);
    expect(text(await res.text())).toContain('Chỉ tiêu tự nhập cần có tên');
    res = await postForm(ctx, '/admin/plans', admin, { ...PLAN_2026, areaUnitId: 'd-695', periodStart: '2040-01-01', periodEnd: '2041-01-01' });
    expect(res.status).toBe(404);
    expect(text(await res.text())).toContain('Kế hoạch phải thuộc một tỉnh');
    expect(await ctx.db.selectFrom('plans').select('id').where('period_start', '>=', '2031-01-01').execute()).toEqual([]);
  });

  it('lets the admin edit the plan (audited with before and after); others may not write', async () => {
    const plan = await ctx.db.selectFrom('plans').select('id').where('name', '=', PLAN_2026.name).executeTakeFirstOrThrow();
    const res = await postForm(ctx, `/admin/plans/${plan.id}`, admin, { ...PLAN_2026, target_products_3_star_cumulative: '14', custom_actual_0: '' });
    expect(res.status).toBe(303);
    const row = await ctx.db.selectFrom('audit_log').select(['before', 'after']).where('action', '=', 'plan.update').where('entity_id', '=', String(plan.id)).executeTakeFirstOrThrow();
    const targetOf = (v: unknown) => (v as { targets: { indicator: string; target: number; actual: number | null }[] }).targets;
    expect(targetOf(row.before).find((t) => t.indicator === 'products_3_star_cumulative')?.target).toBe(12);
    expect(targetOf(row.after).find((t) => t.indicator === 'products_3_star_cumulative')?.target).toBe(14);
    expect(targetOf(row.after).find((t) => t.indicator === 'custom')?.actual).toBeNull();
    expect((await postForm(ctx, `/admin/plans/${plan.id}`, auditor, PLAN_2026)).status).toBe(403);
    expect((await postForm(ctx, '/admin/plans', officer, { ...PLAN_2026, periodStart: '2040-01-01', periodEnd: '2041-01-01' })).status).toBe(403);
    expect((await get(ctx, '/admin/plans', officer)).status).toBe(403);
    expect((await get(ctx, '/admin/plans/999999', admin)).status).toBe(404);
  });
});

describe('reports against the plan in force', () => {
  it('a period with no plan says so; two periods side by side each use their own plan', async () => {
    // The seeded Bình Phước plan ends 31/12/2025 and Đồng Nai's entered above starts 01/01/2026:
    // move it to start in 2027 for this test, so H1 2026 has no plan.
    const plan = await ctx.db.selectFrom('plans').select('id').where('name', '=', PLAN_2026.name).executeTakeFirstOrThrow();
    await postForm(ctx, `/admin/plans/${plan.id}`, admin, { ...PLAN_2026, periodStart: '2027-01-01' });
    const none = text(await (await get(ctx, '/admin/reports?period=2026-H1', auditor)).text());
    expect(none).toContain('Chưa có kế hoạch cho giai đoạn này (ngày 30/06/2026)');
    expect(none).toContain('Kế hoạch áp dụng Chưa có kế hoạch cho giai đoạn này');

    const both = text(await (await get(ctx, '/admin/reports?period=2026-H1&compare=2025-H2', auditor)).text());
    expect(both).toContain('Kỳ so sánh 6 tháng cuối năm 2025 (01/07/2025 – 31/12/2025)');
    expect(both).toContain('Kế hoạch áp dụng kỳ so sánh Kế hoạch OCOP tỉnh Bình Phước giai đoạn 2022-2025');
    expect(both).toMatch(/Nội dung \/ Item 6 tháng đầu năm 2026 \/ This period 6 tháng cuối năm 2025 \/ Compared period Tăng \(\+\) \/ giảm \(−\) \/ Change/);
    expect(both).toMatch(/Giấy chứng nhận cấp mới \d+ \d+ -?\d+/);
    expect((await get(ctx, '/admin/reports?period=2026-H1&compare=yesterday', auditor)).status).toBe(400);

    // Back to 2026 for the rest.
    await postForm(ctx, `/admin/plans/${plan.id}`, admin, PLAN_2026);
    const h2 = text(await (await get(ctx, '/admin/reports?period=2026-H2', auditor)).text());
    expect(h2).toContain('Kế hoạch áp dụng Kế hoạch OCOP tỉnh Đồng Nai giai đoạn 2026-2030');
  });

  it('downloads the report as XLSX with Vietnamese sheet names, headers and values', async () => {
    const res = await get(ctx, '/admin/reports.xlsx?period=2025&compare=2024', auditor);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers.get('content-disposition')).toContain('ocop-bao-cao-2025-01-01-2025-12-31-so-sanh-2024-01-01-2024-12-31.xlsx');
    const { names, sheets } = readXlsx(new Uint8Array(await res.arrayBuffer()));
    expect(names).toEqual(['Thông tin chung', 'Tóm tắt kỳ báo cáo', 'Chỉ tiêu kế hoạch', 'Sản phẩm theo địa bàn', 'Hạng sao theo nhóm', 'Biến động giấy chứng nhận']);
    const [general, summary, targets, areas, , events] = sheets as string[][][];
    expect(general![0]![0]).toBe('BÁO CÁO KẾT QUẢ THỰC HIỆN CHƯƠNG TRÌNH OCOP – Năm 2025 (01/01/2025 – 31/12/2025)');
    expect(general).toContainEqual(['Kế hoạch áp dụng', 'Kế hoạch OCOP tỉnh Bình Phước giai đoạn 2022-2025 (Bình Phước, 01/01/2022 – 31/12/2025)']);
    expect(summary![2]).toEqual(['Nội dung', 'Năm 2025', 'Năm 2024', 'Tăng (+) / giảm (−)']);
    expect(summary).toContainEqual(['Giấy chứng nhận cấp mới', '7', expect.stringMatching(/^\d+$/), expect.stringMatching(/^-?\d+$/)]);
    expect(targets![2]).toEqual(['Chỉ tiêu', 'Đơn vị', 'Kế hoạch (tối thiểu)', 'Thực hiện', 'Đánh giá', 'Cơ sở số liệu', 'Thực hiện Năm 2024']);
    expect(targets).toContainEqual(['Tỷ lệ chủ thể do phụ nữ làm chủ', '%', '40', expect.stringMatching(/^\d+(\.\d)?$/), expect.stringMatching(/^(Đạt|Chưa đạt) chỉ tiêu$/), expect.stringMatching(/^\d+ \/ \d+ chủ thể$/), expect.stringMatching(/^\d+(\.\d)?$/)]);
    // Sales points as recorded by the end of each period (the demo's were entered at seeding, after both).
    expect(targets).toContainEqual(['Tỷ lệ chủ thể bán qua kênh hiện đại (siêu thị, thương mại điện tử)', '%', '70', '0', 'Chưa đạt chỉ tiêu', expect.stringMatching(/^0 \/ \d+ chủ thể \(nơi bán đã ghi nhận\)$/), '0']);
    expect(areas![2]).toEqual(['Địa bàn (huyện cũ)', 'Sản phẩm OCOP còn hiệu lực']);
    expect(events![2]).toEqual(['Ngày', 'Sự kiện', 'Số giấy chứng nhận', 'Sản phẩm', 'Chủ thể', 'Hạng sao']);
    expect(events!.length).toBeGreaterThan(3);
    for (const row of events!.slice(3)) {
      expect(row[0]).toMatch(/^\d\d\/\d\d\/2025$/);
      expect(['Cấp mới', 'Gia hạn', 'Thu hồi', 'Hết hạn']).toContain(row[1]);
      expect(row[5]).toMatch(/^[345] sao$/);
    }
  });

  it('downloads the report as CSV (UTF-8 with BOM, Vietnamese) and shows an A4 print view without forms', async () => {
    const csv = await get(ctx, '/admin/reports.csv?period=2025', auditor);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).replace(/^\uFEFF/, '').split('\r\n');
    expect(lines.slice(0, 5)).toEqual(['BÁO CÁO KẾT QUẢ THỰC HIỆN CHƯƠNG TRÌNH OCOP', 'Năm 2025 (01/01/2025 – 31/12/2025)', '', 'THÔNG TIN CHUNG', 'Mục,Nội dung']);
    expect(lines).toContain('Ngày,Sự kiện,Số giấy chứng nhận,Sản phẩm,Chủ thể,Hạng sao');

    const print = await (await get(ctx, '/admin/reports/print?period=2025', auditor)).text();
    expect(print).toContain('<article class="report-print">');
    expect(print).not.toMatch(/<form method="get"/);
    expect(text(print)).toContain('BÁO CÁO KẾT QUẢ THỰC HIỆN CHƯƠNG TRÌNH OCOP');
    const css = await (await get(ctx, '/admin/static/admin.css')).text();
    expect(css).toContain('@page{size:A4');
  });
});

describe('the plan in the admin API', () => {
  it('reports the day asked for against the plan in force then', async () => {
    const token = generateApiToken();
    await createToken(ctx.db, { userId: null, label: 'test' }, { name: 'plans api', role: 'auditor', areaUnitId: null, producerId: null }, await hashApiToken(token));
    const call = async (path: string) => (await ctx.app.request(`/api/v1/admin${path}`, { headers: { authorization: `Bearer ${token}` } })).json() as Promise<{ data: { plan: { plan: { name: string } | null; targets: { indicator: string; actual: unknown; met: boolean | null }[] } } }>;
    const old = await call('/reports/plan?day=2025-12-31');
    expect(old.data.plan.plan?.name).toBe('Kế hoạch OCOP tỉnh Bình Phước giai đoạn 2022-2025');
    expect(old.data.plan.targets.find((t) => t.indicator === 'showrooms_per_district')).toMatchObject({ actual: { value: 0 }, met: false });
    const now = await call('/reports/plan');
    expect(now.data.plan.plan?.name).toBe(PLAN_2026.name);
    const before = await call('/reports/plan?day=2021-06-01');
    expect(before.data.plan).toEqual({ plan: null, targets: [] });
  });

  it('refuses hostile bodies with 400 and writes nothing, never a 500', async () => {
    const token = generateApiToken();
    await createToken(ctx.db, { userId: null, label: 'test' }, { name: 'plans hostile', role: 'province_admin', areaUnitId: null, producerId: null }, await hashApiToken(token));
    const good = { name: 'Kế hoạch thử', legalBasis: 'KH 1/2040', areaUnitId: 'p-70', periodStart: '2040-01-01', periodEnd: '2040-12-31', targets: [] as unknown[] };
    const before = await ctx.db.selectFrom('plans').select(ctx.db.fn.countAll().as('n')).executeTakeFirstOrThrow();
    const bodies: unknown[] = [
      { ...good, targets: Array.from({ length: 41 }, () => ({ indicator: 'custom', name: 'x', target: 1 })) },
      { ...good, targets: [{ indicator: 'share_female_led', target: 'Infinity' }] },
      { ...good, targets: [{ indicator: 'share_female_led', target: -5 }] },
      { ...good, targets: [{ indicator: 'share_female_led', target: 1e12 }] },
      { ...good, targets: [{ indicator: 'DROP TABLE plans', target: 1 }] },
      { ...good, targets: 'all of them' },
      { ...good, name: 'Kế hoạch\u0000' },
      { ...good, areaUnitId: "p-70'; --" },
      { ...good, periodStart: '2040-02-30' },
      { ...good, legalBasis: 'x'.repeat(501) },
      { ...good, targets: [{ indicator: 'share_female_led', target: 1 }, { indicator: 'share_female_led', target: 2 }] },
    ];
    for (const body of bodies) {
      const res = await ctx.app.request('/api/v1/admin/plans', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
    }
    const after = await ctx.db.selectFrom('plans').select(ctx.db.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('keeps every free indicator of a plan entered through the API when it is saved again in the form', async () => {
    const token = generateApiToken();
    await createToken(ctx.db, { userId: null, label: 'test' }, { name: 'plans many', role: 'province_admin', areaUnitId: null, producerId: null }, await hashApiToken(token));
    const targets = Array.from({ length: 7 }, (_, i) => ({ indicator: 'custom', name: `Chỉ tiêu khác ${i + 1}`, unit: 'lần', target: i + 1 }));
    const body = { name: 'Kế hoạch nhiều chỉ tiêu', legalBasis: 'KH 2/2050', areaUnitId: 'p-70', periodStart: '2050-01-01', periodEnd: '2050-12-31', targets };
    const res = await ctx.app.request('/api/v1/admin/plans', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(201);
    const id = ((await res.json()) as { data: { id: number } }).data.id;
    const form = await (await get(ctx, `/admin/plans/${id}`, admin)).text();
    // Seven filled rows and one blank: everything is posted back as the browser would.
    const fields: Record<string, string> = { name: body.name, legalBasis: body.legalBasis, areaUnitId: 'p-70', periodStart: body.periodStart, periodEnd: body.periodEnd };
    for (const m of form.matchAll(/name="(custom_[a-z]+_\d+)"[^>]*value="([^"]*)"/g)) fields[m[1]!] = m[2]!;
    expect(Object.keys(fields).filter((k) => k.startsWith('custom_name_'))).toHaveLength(8);
    expect((await postForm(ctx, `/admin/plans/${id}`, admin, fields)).status).toBe(303);
    const stored = await ctx.db.selectFrom('plan_targets').select(['name', 'target']).where('plan_id', '=', id).orderBy('position').execute();
    expect(stored).toEqual(targets.map((t) => ({ name: t.name, target: t.target })));
  });
});
