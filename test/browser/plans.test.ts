import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, signInAdmin, startNodeServer, type RunningServer } from '../helpers/browser';

// Issue 12, done when: a province admin enters a 2026-2030 plan and the dashboard for
// December 2026 measures against it. In a real browser against the real Node server.

const SHOTS = path.resolve('artifacts/screenshots');
let dataDir: string;
let server: RunningServer | undefined;
let browser: Browser;
let logins: { role: string; email: string; password: string }[];

beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
  dataDir = await mkdtemp(path.join(tmpdir(), 'ocop-plans-'));
  server = await startNodeServer(dataDir);
  logins = JSON.parse(await readFile(path.join(dataDir, 'demo-logins.json'), 'utf8')) as typeof logins;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('plans in a real browser', () => {
  it('a province admin enters the 2026-2030 plan and the dashboard for December 2026 measures against it', async () => {
    const login = logins.find((l) => l.role === 'province_admin')!;
    const context = await browser.newContext({ baseURL: server!.base, locale: 'vi-VN' });
    const page = await context.newPage();
    try {
      await signInAdmin(page, login);

      // December 2026 before the plan: the dashboard says plainly that no plan covers it.
      await page.goto('/admin');
      await page.fill('#f-day', '2026-12-15');
      await Promise.all([page.waitForURL(/\/admin\?day=2026-12-15/), page.click('form.inline button[type=submit]')]);
      await expect(page.locator('#no-plan').innerText()).resolves.toContain('Chưa có kế hoạch cho giai đoạn này (ngày 15/12/2026)');

      await page.click('nav.main >> text=Kế hoạch');
      await expect(page.locator('main').innerText()).resolves.toContain('Kế hoạch OCOP tỉnh Bình Phước giai đoạn 2022-2025');
      await Promise.all([page.waitForURL('**/admin/plans/new'), page.click('text=Nhập kế hoạch mới')]);
      await page.fill('#f-name', 'Kế hoạch OCOP tỉnh Đồng Nai giai đoạn 2026-2030');
      await page.fill('#f-legalBasis', 'Kế hoạch số 01/KH-UBND (thử nghiệm)');
      await page.selectOption('#f-areaUnitId', { label: 'Đồng Nai' });
      await page.fill('#f-periodStart', '2026-01-01');
      await page.fill('#f-periodEnd', '2030-12-31');
      await page.fill('#f-target_products_3_star_cumulative', '400');
      await page.fill('#f-target_share_female_led', '45');
      await page.fill('#f-custom_name_0', 'Lao động nông thôn được đào tạo');
      await page.fill('#f-custom_unit_0', 'người');
      await page.fill('#f-custom_target_0', '1000');
      await Promise.all([page.waitForURL(/\/admin\/plans\/\d+\?done=saved/), page.click('button:has-text("Lưu kế hoạch")')]);
      await expect(page.locator('#f-target_products_3_star_cumulative').inputValue()).resolves.toBe('400');

      await page.goto('/admin?day=2026-12-15');
      await expect(page.locator('#plan-in-force').innerText()).resolves.toContain('Kế hoạch OCOP tỉnh Đồng Nai giai đoạn 2026-2030 (Đồng Nai, 01/01/2026 – 31/12/2030)');
      await expect(page.locator('#no-plan').count()).resolves.toBe(0);
      const certified = await page.locator('#kpi-products_3_star_cumulative').innerText();
      expect(certified).toMatch(/\d+ sản phẩm\s*\/ ≥ 400 sản phẩm/);
      expect(certified).toContain('Chưa đạt chỉ tiêu');
      await expect(page.locator('#kpi-share_female_led').innerText()).resolves.toContain('/ ≥ 45%');
      await expect(page.locator('main').innerText()).resolves.toContain('Lao động nông thôn được đào tạo');
      await expect(page.locator('main').innerText()).resolves.toMatch(/chưa có số liệu\s*\/ ≥ 1\.000 người/);
      // Usable on an official's phone: nothing wider than the screen.
      await page.setViewportSize({ width: 360, height: 640 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      await page.screenshot({ path: path.join(SHOTS, 'plans-dashboard-2026-12.png'), fullPage: true });

      // The 2025 report's print view on A4: navigation and forms hidden, the report's tables printed.
      await page.setViewportSize({ width: 1000, height: 800 });
      await page.goto('/admin/reports?period=2025');
      await Promise.all([page.waitForURL(/\/admin\/reports\/print\?period=2025/), page.click('text=Bản in (A4)')]);
      await page.emulateMedia({ media: 'print' });
      await expect(page.locator('nav.main').isVisible()).resolves.toBe(false);
      await expect(page.locator('.report-print h1').innerText()).resolves.toBe('BÁO CÁO KẾT QUẢ THỰC HIỆN CHƯƠNG TRÌNH OCOP');
      await expect(page.locator('.report-print').innerText()).resolves.toContain('Kế hoạch OCOP tỉnh Bình Phước giai đoạn 2022-2025');
      const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true, path: path.join(SHOTS, 'plans-report-2025-a4.pdf') });
      // A4 is 595 × 842 points (Chromium writes 594.96 × 841.92): the page size comes from the print rules.
      const box = /\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(new TextDecoder('latin1').decode(pdf));
      expect(box).not.toBeNull();
      expect([Math.round(Number(box![1])), Math.round(Number(box![2]))]).toEqual([595, 842]);
    } finally {
      await context.close();
    }
  });
});
