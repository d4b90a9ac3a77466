import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePeriod } from '../../admin/pages/report-pages';
import { planProgress } from '../../worker/db/reports';
import { certificateState } from '../../worker/domain/certificate-state';
import { todayInVietnam } from '../../worker/domain/dates';
import { createTestContext, type TestContext } from '../helpers/app';
import { DEMO_EMAILS, get, postForm, sessionFor, text } from './admin-support';
import { demoNumbers } from '../helpers/demo';

// The programme against its plan, the periodic reports, the expiry notices and the audit
// view, on the demo data at a fixed date.

const NOW = new Date('2026-03-10T03:00:00Z');

/** Demo certificate numbers as seeded by this file's context (they carry their decision's year). */
const N = demoNumbers(NOW);
const TODAY = todayInVietnam(NOW);
let ctx: TestContext;
let admin: string;
let auditor: string;

beforeAll(async () => {
  ctx = await createTestContext({ seed: true, now: NOW });
  admin = await sessionFor(ctx, DEMO_EMAILS.province_admin);
  auditor = await sessionFor(ctx, DEMO_EMAILS.auditor);
}, 180_000);

afterAll(async () => {
  await ctx?.close();
});

describe('plan progress', () => {
  it('counts what is in force today exactly as the certificate state rules say', async () => {
    const all = await ctx.db
      .selectFrom('certificates as c')
      .innerJoin('products as p', 'p.id', 'c.product_id')
      .innerJoin('producers as pr', 'pr.id', 'p.producer_id')
      .select(['c.status', 'c.valid_from', 'c.valid_until', 'c.stars', 'pr.id as producer', 'pr.legal_form', 'pr.female_led', 'pr.ethnic_minority_led'])
      .execute();
    const inForce = all.filter((c) => ['valid', 'expiring'].includes(certificateState({ status: c.status, validFrom: c.valid_from, validUntil: c.valid_until }, NOW).state));
    const producers = new Map(inForce.map((c) => [c.producer, c]));
    const progress = await planProgress(ctx.db, TODAY);
    expect(progress.certifiedProducts).toBe(inForce.length);
    expect(progress.byStars).toEqual({ 3: inForce.filter((c) => c.stars === 3).length, 4: inForce.filter((c) => c.stars === 4).length, 5: inForce.filter((c) => c.stars === 5).length });
    expect(progress.producers).toBe(producers.size);
    expect(progress.femaleLed).toBe([...producers.values()].filter((p) => p.female_led).length);
    expect(progress.ethnicMinorityLed).toBe([...producers.values()].filter((p) => p.ethnic_minority_led).length);
    expect(progress.producersByForm.doanh_nghiep + progress.producersByForm.hop_tac_xa).toBe([...producers.values()].filter((p) => p.legal_form === 'doanh_nghiep' || p.legal_form === 'hop_tac_xa').length);
    expect(progress.tourismProducts).toBe(1);
    // Ended terms: 70-31-2021, 70-32-2021 and the (illustrative) renewal-pending one expired, Hà Mỵ's first 5★ was renewed.
    expect({ ended: progress.expiredProducts, renewed: progress.recertifiedProducts }).toEqual({ ended: 4, renewed: 1 });
    expect(progress.coverage.reduce((a, b) => a + b.products, 0)).toBe(inForce.length);
    expect(progress.coverage.length).toBeGreaterThanOrEqual(11); // every district, also those with none
    expect(progress.starsByGroup.map((g) => g.groupVi)).toEqual(expect.arrayContaining(['Thực phẩm', 'Đồ uống', 'Dịch vụ du lịch nông thôn']));
  });

  it('counts a past day as it was then: a certificate revoked later was in force before', async () => {
    const before = await planProgress(ctx.db, '2025-12-01');
    const after = await planProgress(ctx.db, TODAY);
    // The revoked honey certificate (revoked 2026-02-10) was in force on 2025-12-01.
    expect(before.certifiedProducts - after.certifiedProducts).toBeGreaterThanOrEqual(1);
  });

  it('shows the dashboard against the plan in force on the day shown, SVG charts and the 30-day notices', async () => {
    // 31/12/2025: the seeded Bình Phước plan 2022-2025 is in force.
    const html = await (await get(ctx, '/admin?day=2025-12-31', admin)).text();
    for (const key of ['products_3_star_cumulative', 'share_coop_or_enterprise', 'share_female_led', 'share_ethnic_minority_led', 'community_tourism_products', 'share_expired_recertified', 'share_modern_channels', 'showrooms_per_district']) {
      expect(html).toContain(`id="kpi-${key}"`);
    }
    const page = text(html);
    expect(page).toContain('Chỉ tiêu theo: Kế hoạch OCOP tỉnh Bình Phước giai đoạn 2022-2025');
    for (const s of ['/ ≥ 250 sản phẩm', '/ ≥ 80%', '/ ≥ 40%', '/ ≥ 5%', '/ ≥ 6 sản phẩm', '/ ≥ 50%', '/ ≥ 70%', '/ ≥ 1 điểm/huyện']) expect(page).toContain(s);
    // Sales points are counted as recorded by the day shown: none had been entered by then.
    expect(html).toMatch(/id="kpi-share_modern_channels">[\s\S]*?0 \/ \d+ chủ thể \(nơi bán đã ghi nhận\)/);
    expect((html.match(/<svg class="chart"/g) ?? []).length).toBeGreaterThanOrEqual(8);
    expect(html).toContain('<title>Sản phẩm OCOP còn hiệu lực theo địa bàn');

    // Today (10/03/2026) no plan covers the day: said plainly, with no targets.
    const today = await (await get(ctx, '/admin', admin)).text();
    expect(text(today)).toContain('Chưa có kế hoạch cho giai đoạn này (ngày 10/03/2026)');
    expect(today).not.toContain('id="kpi-');
    expect(text(today)).toContain(N.keo);
    expect((await get(ctx, '/admin?day=2025-02-30', admin)).status).toBe(400);

    const csv = await get(ctx, '/admin/notices.csv', admin);
    expect(csv.headers.get('content-disposition')).toContain(`ocop-thong-bao-het-han-${TODAY}.csv`);
    const lines = (await csv.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('Số giấy chứng nhận,Sản phẩm,Chủ thể,Email chủ thể,Hiệu lực đến ngày,Còn (ngày)');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual([N.keo]);
    expect(lines[1]).toContain(',30/03/2026,');
    expect(Number(lines[1]!.split(',').at(-1))).toBe(20);
  });

  it('lets an admin run the daily job, once per expiry, audited', async () => {
    const res = await postForm(ctx, '/admin/jobs/daily', admin);
    expect(res.status).toBe(303);
    // 70-31-2021, 70-32-2021 and the renewal-pending one (a file under review changes no date).
    expect(res.headers.get('location')).toBe('/admin?done=daily&expired=3#notices');
    expect(text(await (await get(ctx, '/admin?done=daily&expired=3', admin)).text())).toContain('Đã chạy tác vụ hằng ngày. / Daily job run. (3 hết hạn được ghi nhận');
    await postForm(ctx, '/admin/jobs/daily', admin);
    const expired = await ctx.db.selectFrom('audit_log').select('entity_id').where('action', '=', 'certificate.expired').execute();
    expect(expired.length).toBe(3);
    const runs = await ctx.db.selectFrom('audit_log').select(['actor_label', 'after']).where('action', '=', 'job.daily.run').orderBy('id').execute();
    expect(runs.map((r) => [r.actor_label, (r.after as { expiredRecorded: number }).expiredRecorded])).toEqual([['admin@ocop.demo', 3], ['admin@ocop.demo', 0]]);
  });
});

describe('periodic reports', () => {
  it('names the 6-month and annual periods and refuses impossible ones', () => {
    expect(parsePeriod('2025-H1', undefined, undefined, TODAY)).toMatchObject({ from: '2025-01-01', to: '2025-06-30', labelVi: '6 tháng đầu năm 2025' });
    expect(parsePeriod('2025-H2', undefined, undefined, TODAY)).toMatchObject({ from: '2025-07-01', to: '2025-12-31' });
    expect(parsePeriod('2024', undefined, undefined, TODAY)).toMatchObject({ from: '2024-01-01', to: '2024-12-31', labelVi: 'Năm 2024' });
    expect(parsePeriod(undefined, undefined, undefined, TODAY)).toMatchObject({ from: '2026-01-01', to: '2026-06-30' });
    expect(parsePeriod('custom', '2025-03-01', '2025-03-31', TODAY)).toMatchObject({ from: '2025-03-01', to: '2025-03-31' });
    for (const [k, f, t] of [['2025-H3'], ['custom', '2025-04-01', '2025-03-01'], ['custom', '2025-02-30', '2025-03-01'], ['last year']] as [string, string?, string?][]) {
      expect(() => parsePeriod(k, f, t, TODAY)).toThrow(/Kỳ báo cáo không hợp lệ/);
    }
  });

  it('reports a year: issued, renewed, revoked and the plan as of its end, printable and as CSV', async () => {
    const res = await get(ctx, '/admin/reports?period=2025', auditor);
    expect(res.status).toBe(200);
    const page = text(await res.text());
    for (const s of ['Báo cáo định kỳ: Năm 2025', 'Giấy chứng nhận cấp mới 7 – trong đó hạng 3 sao 2 – trong đó hạng 4 sao 5', 'Giấy chứng nhận gia hạn 1', 'Chỉ tiêu kế hoạch tại ngày 31/12/2025', 'Kế hoạch áp dụng Kế hoạch OCOP tỉnh Bình Phước giai đoạn 2022-2025']) expect(page).toContain(s);
    const csv = await get(ctx, '/admin/reports.csv?period=2025', auditor);
    expect(csv.headers.get('content-disposition')).toContain('ocop-bao-cao-2025-01-01-2025-12-31.csv');
    const lines = (await csv.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('BÁO CÁO KẾT QUẢ THỰC HIỆN CHƯƠNG TRÌNH OCOP');
    expect(lines).toContain('Giấy chứng nhận cấp mới,7');
    expect(lines).toContain('– trong đó hạng 3 sao,2');
    expect(lines).toContain('Giấy chứng nhận gia hạn,1');
    expect(lines.find((l) => l.startsWith('Tỷ lệ chủ thể do phụ nữ làm chủ,'))).toBe('Tỷ lệ chủ thể do phụ nữ làm chủ,%,40,14.3,Chưa đạt chỉ tiêu,2 / 14 chủ thể');
    expect(lines).toContain('"Điểm giới thiệu, bán sản phẩm OCOP mỗi huyện (cũ)",điểm/huyện,1,0,Chưa đạt chỉ tiêu,0 / 11 huyện (cũ) có điểm giới thiệu');
    expect((await get(ctx, '/admin/reports?period=custom&from=2025-05-01&to=2025-04-01', auditor)).status).toBe(400);
  });
});

describe('audit view', () => {
  it('filters the append-only log and exports what it shows', async () => {
    const html = await (await get(ctx, '/admin/audit?action=user.create', auditor)).text();
    const rows = [...html.matchAll(/<tr><td>[^<]*<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td>/g)].map((m) => [m[1], m[2], m[3]]);
    expect(rows.map((r) => r[1])).toEqual(['Tạo tài khoản', 'Tạo tài khoản', 'Tạo tài khoản', 'Tạo tài khoản']);
    expect(rows.map((r) => r[0])).toEqual(Array(4).fill('Dữ liệu khởi tạo'));
    expect(rows.map((r) => r[2])).toContain('Tài khoản admin@ocop.demo');
    const csv = (await (await get(ctx, '/admin/audit.csv?entity=user&actor=seed', auditor)).text()).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(csv[0]).toBe('Thời điểm,Người thực hiện,Hành động,Đối tượng,Lý do,Thay đổi');
    expect(csv.length).toBe(5); // header + the four demo users
    expect(csv.slice(1).every((l) => l.includes(',Dữ liệu khởi tạo,Tạo tài khoản,Tài khoản '))).toBe(true);
    expect((await get(ctx, '/admin/audit?from=2026-13-01', auditor)).status).toBe(400);
    expect((await get(ctx, '/admin/audit?action=DROP%20TABLE', auditor)).status).toBe(400);
    // The database itself refuses to rewrite history.
    // The trigger (PGlite); on Postgres the app's runtime role has no DELETE on it at all.
    await expect(ctx.db.deleteFrom('audit_log').execute()).rejects.toThrow(ctx.kind === 'postgres' ? /permission denied/ : /append-only/);
  });
});
