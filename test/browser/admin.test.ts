import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, signInAdmin, startNodeServer, type RunningServer } from '../helpers/browser';

// The whole chain in a real browser against the real Node server: an official issues a
// certificate from an evaluation, the producer prints labels, a shopper scans a code
// (genuine), the official revokes the certificate, the same code scans as revoked, and
// every step is in the audit log.

const SHOTS = path.resolve('artifacts/screenshots');
let dataDir: string;
let server: RunningServer | undefined;
let base: string;
let browser: Browser;
let logins: { role: string; email: string; password: string }[];
let scanPath = '';
let certificateUrl = '';

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `admin-${name}.png`), fullPage: true });
}

async function signIn(role: string): Promise<{ context: BrowserContext; page: Page }> {
  const login = logins.find((l) => l.role === role)!;
  const context = await browser.newContext({ baseURL: base, acceptDownloads: true, locale: 'vi-VN' });
  const page = await context.newPage();
  await signInAdmin(page, login);
  return { context, page };
}

async function noHorizontalScroll(page: Page): Promise<void> {
  await page.setViewportSize({ width: 360, height: 740 });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(360);
}

beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
  dataDir = await mkdtemp(path.join(tmpdir(), 'ocop-browser-'));
  server = await startNodeServer(dataDir);
  base = server.base;
  logins = JSON.parse(await readFile(path.join(dataDir, 'demo-logins.json'), 'utf8')) as typeof logins;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('admin in a real browser', () => {
  it('an official records an evaluation and issues a certificate from it', async () => {
    const { context, page } = await signIn('province_admin');
    expect(new URL(page.url()).pathname).toBe('/admin');
    await expect(page.locator('h1').innerText()).resolves.toContain('Chương trình OCOP so với kế hoạch');
    await shot(page, '01-dashboard');

    await page.goto('/admin/products/new');
    await page.selectOption('#f-producerId', { label: 'Công ty Cổ phần Hà Mỵ' });
    await page.fill('#f-name', 'Bánh điều giòn (thử nghiệm)');
    await page.selectOption('#f-planGroupId', { label: 'Thực phẩm / Food' });
    await Promise.all([page.waitForURL(/\/admin\/products\/\d+\?done=created/), page.click('form.stack button[type=submit]')]);

    await Promise.all([page.waitForURL(/\/admin\/evaluations\/new\?product=\d+/), page.click('text=Nhập kết quả đánh giá')]);
    await page.fill('#f-scoreA', '30');
    await page.fill('#f-scoreB', '19');
    await page.fill('#f-scoreC', '27.5');
    await page.selectOption('#f-mandatoryLevel', '5');
    await Promise.all([page.waitForURL(/\/admin\/evaluations\/\d+\?done=created/), page.click('form.stack button[type=submit]')]);
    await expect(page.locator('main').innerText()).resolves.toContain('★★★★☆');
    await shot(page, '02-evaluation');

    await Promise.all([page.waitForURL(/\/admin\/certificates\/new\?evaluation=\d+/), page.click('a.button:has-text("Cấp giấy chứng nhận")')]);
    // A wrong level first: the rule comes back beside the field, in Vietnamese.
    await page.fill('#f-number', 'DN-OCOP-E2E-001');
    await page.fill('#f-decisionNumber', '77/QĐ-UBND');
    await page.selectOption('#f-issuingLevel', 'national');
    await page.click('form.stack button[type=submit]');
    await expect(page.locator('#err-issuingLevel').innerText()).resolves.toContain('không có thẩm quyền công nhận sản phẩm 4 sao');
    await shot(page, '03-issue-field-error');
    await page.selectOption('#f-issuingLevel', 'province');
    await Promise.all([page.waitForURL(/\/admin\/certificates\/\d+\?done=issued/), page.click('form.stack button[type=submit]')]);
    const main = await page.locator('main').innerText();
    expect(main).toContain('Đã cấp giấy chứng nhận.');
    expect(main).toContain('Còn hiệu lực');
    certificateUrl = new URL(page.url()).pathname;
    await shot(page, '04-certificate-issued');
    await noHorizontalScroll(page);
    await shot(page, '04b-certificate-phone');
    await Promise.all([page.waitForURL(/\/admin\/login$/), page.click('header button:has-text("Đăng xuất")')]);
    // The old session is over: the admin pages send us back to sign in.
    await page.goto('/admin/certificates');
    expect(new URL(page.url()).pathname).toBe('/admin/login');
    await context.close();
  });

  it('the producer issues a small batch and downloads its labels as a PDF', async () => {
    const { context, page } = await signIn('producer');
    expect(new URL(page.url()).pathname).toBe('/admin/products');
    await Promise.all([page.waitForURL(/\/admin\/batches\/new/), page.click('a.button:has-text("Tạo lô mã, in nhãn")')]);
    const option = page.locator('#f-certificateId option', { hasText: 'DN-OCOP-E2E-001' });
    await page.selectOption('#f-certificateId', (await option.getAttribute('value'))!);
    await page.fill('#f-lotCode', 'E2E-01');
    await page.fill('#f-quantity', '6');
    await Promise.all([page.waitForURL(/\/admin\/batches\/\d+\?done=batch/), page.click('form.stack button[type=submit]')]);
    await shot(page, '05-batch');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#downloads a:has-text("PDF khổ A4")')]);
    expect(download.suggestedFilename()).toMatch(/^ocop-lo-\d+-E2E-01\.pdf$/);
    const saved = path.join(SHOTS, 'admin-labels-E2E-01.pdf');
    await download.saveAs(saved);
    const pdf = await readFile(saved);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.subarray(-8).toString()).toContain('%%EOF');

    scanPath = (await page.locator('#sample-scan').getAttribute('href'))!;
    await noHorizontalScroll(page);
    await shot(page, '05b-batch-phone');
    expect(scanPath).toMatch(/^\/v\/[A-Z2-7]{100,}$/);
    await context.close();
  });

  it('a shopper scanning the code sees a genuine product', async () => {
    const context = await browser.newContext({ baseURL: base, viewport: { width: 360, height: 740 }, locale: 'vi-VN' });
    const page = await context.newPage();
    const res = await page.goto(scanPath);
    expect(res!.status()).toBe(200);
    const verdict = await page.locator('section.verdict').innerText();
    expect(verdict).toContain('Sản phẩm OCOP chính hãng');
    expect(await page.locator('body').innerText()).toContain('Bánh điều giòn (thử nghiệm)');
    await shot(page, '06-scan-genuine');
    await context.close();
  });

  it('the official revokes the certificate after a confirmation step', async () => {
    const { context, page } = await signIn('province_admin');
    await page.goto(certificateUrl);
    await Promise.all([page.waitForURL(/\/admin\/certificates\/revoke\?ids=\d+/), page.click('a.button.danger:has-text("Thu hồi")')]);
    await page.fill('#f-decisionNumber', '99/QĐ-UBND');
    await page.selectOption('#f-ground', 'food_safety_violation');
    await page.fill('#f-note', 'Mẫu kiểm nghiệm không đạt (thử nghiệm)');
    await page.click('form.stack button[type=submit]');
    await expect(page.locator('h1').innerText()).resolves.toContain('Xác nhận thu hồi');
    await shot(page, '07-revoke-confirm');
    await Promise.all([page.waitForURL(/\/admin\/certificates\/\d+\?done=revoked/), page.click('button:has-text("Xác nhận thu hồi")')]);
    const main = await page.locator('main').innerText();
    expect(main).toContain('Đã bị thu hồi');
    expect(main).toContain('99/QĐ-UBND');
    await shot(page, '08-revoked');
    await context.close();
  });

  it('the same code now scans as revoked', async () => {
    const context = await browser.newContext({ baseURL: base, viewport: { width: 360, height: 740 }, locale: 'vi-VN' });
    const page = await context.newPage();
    await page.goto(scanPath);
    const verdict = await page.locator('section.verdict').innerText();
    expect(verdict).toContain('Giấy chứng nhận OCOP đã bị thu hồi');
    expect(verdict).toContain('99/QĐ-UBND');
    expect(verdict).not.toContain('chính hãng');
    await shot(page, '09-scan-revoked');
    await context.close();
  });

  it('an auditor finds every step in the audit view', async () => {
    const { context, page } = await signIn('auditor');
    await page.goto('/admin/audit');
    const rows = await page.locator('table tbody tr').allInnerTexts();
    const find = (action: string, who: string) => rows.some((r) => r.includes(action) && r.includes(who));
    for (const [action, who] of [
      // Actions in words (admin/audit-labels.ts), as officials read them.
      ['Đăng nhập', 'admin@ocop.demo'],
      ['Thêm sản phẩm', 'admin@ocop.demo'],
      ['Nhập kết quả đánh giá', 'admin@ocop.demo'],
      ['Cấp giấy chứng nhận', 'admin@ocop.demo'],
      ['Đăng xuất', 'admin@ocop.demo'],
      ['Đăng nhập', 'hamy@ocop.demo'],
      ['Cấp lô mã', 'hamy@ocop.demo'],
      ['Thu hồi giấy chứng nhận', 'admin@ocop.demo'],
    ] as const) {
      expect(find(action, who), `${action} by ${who}`).toBe(true);
    }
    await shot(page, '10-audit');
    await page.selectOption('#f-action', 'certificate.revoke');
    await Promise.all([page.waitForURL(/action=certificate.revoke/), page.click('form.inline button[type=submit]')]);
    const filtered = await page.locator('table tbody tr').allInnerTexts();
    expect(filtered.some((r) => r.includes('99/QĐ-UBND'))).toBe(true);
    await noHorizontalScroll(page);
    await shot(page, '11-audit-filtered-phone');
    await context.close();
  });
});
