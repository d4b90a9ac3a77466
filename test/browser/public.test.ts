import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAxe } from '../helpers/axe';
import { launchChromium, startNodeServer, type RunningServer } from '../helpers/browser';
import { addKeyToFile, keyFilePath } from '../../worker/codes/keyfile-node';
import { KeyRing } from '../../worker/codes/keyring';
import { signPackageCode } from '../../worker/codes/sign';
import { createPgliteDb } from '../../worker/db/connect-pglite';
import { demoNumbers } from '../helpers/demo';

/** Demo certificate numbers as seeded by this file's context (they carry their decision's year). */
const N = demoNumbers();

// What a shopper sees on a phone (390×844) in Debian's Chromium, against the real Node
// server on its embedded PGlite: every verdict of the scan page, the certificate page,
// the catalogue search, and the language switch. Screenshots go to artifacts/screenshots/.

const SHOTS = path.resolve('artifacts/screenshots');
const WIDTH = 390;
let dataDir: string;
let server: RunningServer | null = null;
let base = '';
let browser: Browser;
let ring: KeyRing;
const batchOf: Record<string, number> = {};

async function startServer(): Promise<void> {
  server = await startNodeServer(dataDir);
  base = server.base;
}

async function stopServer(): Promise<void> {
  await server?.stop();
  server = null;
}

async function phone(locale = 'vi-VN'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: WIDTH, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale });
  return context.newPage();
}

async function check(page: Page, name: string): Promise<string> {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, `${name}: horizontal scroll`).toBeLessThanOrEqual(WIDTH);
  // No executable script; JSON-LD (`application/ld+json`) is data a browser never runs.
  expect(await page.locator('script:not([type="application/ld+json"])').count(), `${name}: no script`).toBe(0);
  await page.screenshot({ path: path.join(SHOTS, `public-${name}.png`), fullPage: true });
  return (await page.locator('h1').first().textContent()) ?? '';
}

async function code(lot: string, serial: number): Promise<string> {
  return signPackageCode(ring, batchOf[lot]!, serial);
}

beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
  dataDir = await mkdtemp(path.join(tmpdir(), 'ocop-browser-public-'));
  await startServer();
  ring = await KeyRing.fromJwkSet(JSON.parse(await readFile(keyFilePath(dataDir), 'utf8')));
  // Find the seeded batches through the public API: sign serial 1 of the first ids and ask.
  for (let id = 1; id <= 8; id++) {
    const res = await fetch(`${base}/api/v1/verify?code=${await signPackageCode(ring, id, 1)}`);
    const { result } = (await res.json()) as { result: { package: { lot_code: string } | null } };
    if (result.package) batchOf[result.package.lot_code] = id;
  }
  expect(Object.keys(batchOf)).toEqual(expect.arrayContaining(['HM-RM-01', 'HM-KD-07', 'PT79-2022-03', 'MO-2025-12']));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stopServer();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('scan page on a phone', () => {
  it('genuine, valid certificate (Hà Mỵ, 5 stars, lot HM-RM-01)', async () => {
    const page = await phone();
    const res = await page.goto(`${base}/V/${await code('HM-RM-01', 11)}`);
    expect(res!.status()).toBe(200);
    expect(await check(page, 'valid')).toContain('Sản phẩm OCOP chính hãng');
    const body = await page.locator('main').innerText();
    expect(body).toContain('Hạt điều rang muối');
    expect(body).toContain('Công ty Cổ phần Hà Mỵ');
    expect(body).toContain('HM-RM-01');
    expect(body).toContain('Hôm nay (lần đầu tiên)');
    expect(await page.locator('.stars').first().getAttribute('aria-label')).toBe('5 sao');
    expect(await page.locator('meta[property="og:title"]').getAttribute('content')).toContain('Hạt điều rang muối');
    const bytes = Buffer.byteLength(await page.content(), 'utf8');
    expect(bytes).toBeLessThan(30 * 1024);
  });

  it('genuine, expiring within 30 days (Kẹo điều, lot HM-KD-07)', async () => {
    const page = await phone();
    await page.goto(`${base}/v/${await code('HM-KD-07', 3)}`);
    expect(await check(page, 'expiring')).toContain('chính hãng');
    expect(await page.locator('.verdict .note').innerText()).toMatch(/sắp hết hạn, chỉ còn \d+ ngày/);
  });

  it('expired certificate (Mít ruột đỏ, lot PT79-2022-03)', async () => {
    const page = await phone();
    await page.goto(`${base}/v/${await code('PT79-2022-03', 2)}`);
    expect(await check(page, 'expired')).toContain('đã hết hạn');
    expect(await page.locator('.verdict').innerText()).toContain('Chưa có giấy chứng nhận gia hạn');
  });

  it('revoked certificate (Mật ong rừng, lot MO-2025-12)', async () => {
    const page = await phone();
    await page.goto(`${base}/v/${await code('MO-2025-12', 2)}`);
    expect(await check(page, 'revoked')).toContain('đã bị thu hồi');
    expect(await page.locator('.verdict').innerText()).toMatch(/Quyết định thu hồi số .+ Lý do: Ngừng sản xuất/);
  });

  it('not genuine: a forged code, with the report form open, and the report is stored', async () => {
    const good = await code('HM-RM-01', 12);
    const forged = `${good.slice(0, 30)}${good[30] === 'Q' ? 'R' : 'Q'}${good.slice(31)}`;
    const page = await phone();
    const res = await page.goto(`${base}/v/${forged}`);
    expect(res!.status()).toBe(404);
    expect(await check(page, 'not-genuine')).toContain('Không phải mã OCOP hợp lệ');
    expect(await page.locator('#report details').getAttribute('open')).not.toBeNull();
    await page.fill('#report-message', 'Mua ở chợ, tem in mờ');
    await Promise.all([page.waitForURL(`${base}/report`), page.click('#report button[type=submit]')]);
    expect(await check(page, 'report-sent')).toContain('Cảm ơn bạn');
  });

  it('a copied-looking label (serial 7, scanned 36 times from 6 places): the verdict itself warns', async () => {
    const page = await phone();
    await page.goto(`${base}/v/${await code('HM-RM-01', 7)}`);
    expect(await check(page, 'copied-label')).toContain('có thể bị sao chép');
    expect(await page.locator('.verdict .note').first().innerText()).toContain('nhãn có thể đã bị sao chép');
  });

  it('one phone reloading the same package 50 times never sees a copy warning: people are counted, not page loads', async () => {
    const page = await phone();
    const url = `${base}/v/${await code('HM-RM-01', 23)}`;
    await page.goto(url);
    for (let i = 1; i <= 50; i++) {
      if (i > 1) await page.reload();
      const heading = await page.locator('.verdict h1').innerText();
      expect(heading, `load ${i}`).toContain('Sản phẩm OCOP chính hãng');
      expect(heading, `load ${i}`).not.toContain('sao chép');
    }
    expect(await page.locator('.verdict').innerText()).not.toContain('sao chép');
    await page.context().close();
  });

  it('on a 360×640 phone the verdict and every warning that changes what a shopper does are on the first screen', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 640 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'vi-VN' });
    try {
      const page = await context.newPage();
      for (const [lot, serial, expected] of [
        ['HM-RM-01', 7, 'có thể bị sao chép'], // copied
        ['PT79-2022-03', 3, 'đã hết hạn'], // expired certificate
        ['MO-2025-12', 3, 'đã bị thu hồi'], // revoked
      ] as const) {
        await page.goto(`${base}/v/${await code(lot, serial)}`);
        const verdict = page.locator('.verdict');
        expect(await verdict.locator('h1').innerText(), lot).toContain(expected);
        const box = (await verdict.boundingBox())!;
        // The whole verdict box, warnings included, ends above the fold.
        expect(box.y + box.height, `${lot}: verdict box bottom`).toBeLessThanOrEqual(640);
      }
    } finally {
      await context.close();
    }
  });

  it('English from the browser language and from the visible switch', async () => {
    const page = await phone('en-US');
    await page.goto(`${base}/v/${await code('HM-RM-01', 13)}`);
    expect(await check(page, 'valid-en')).toContain('Genuine OCOP product');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.click('text=Tiếng Việt');
    expect(await page.locator('h1').first().textContent()).toContain('Sản phẩm OCOP chính hãng');
    expect(await page.locator('html').getAttribute('lang')).toBe('vi');
  });
});

describe('certificate page and catalogue on a phone', () => {
  it('certificate page by number, typed in lower case on the home page', async () => {
    const page = await phone();
    await page.goto(`${base}/`);
    await check(page, 'home');
    await page.fill('#number', N.haMy5.toLowerCase());
    await Promise.all([page.waitForURL((url) => url.pathname === `/c/${N.haMy5}`), page.click('form[action="/c"] button')]);
    expect(await check(page, 'certificate')).toContain(N.haMy5);
    expect(await page.locator('main').innerText()).toContain('Còn hiệu lực');
  });

  it('catalogue search without diacritics finds "Hạt điều", and filters narrow it', async () => {
    const page = await phone();
    await page.goto(`${base}/products`);
    await page.fill('#q', 'hat dieu');
    await Promise.all([page.waitForURL(/q=hat\+dieu/), page.click('form[role=search] button')]);
    await check(page, 'catalogue-search');
    const names = await page.locator('ul.plain li strong').allInnerTexts();
    expect(names[0]).toBe('Hạt điều rang muối');
    expect(names.filter((n) => n === 'Hạt điều rang muối').length).toBeGreaterThanOrEqual(3);
    await page.selectOption('#stars', '5');
    await Promise.all([page.waitForURL(/stars=5/), page.click('form[role=search] button')]);
    await check(page, 'catalogue-filtered');
    expect(await page.locator('ul.plain li strong').allInnerTexts()).toEqual(['Hạt điều rang muối']);
  });

  it('the shop CSV page works without JavaScript', async () => {
    const page = await phone();
    await page.goto(`${base}/tra-cuu`);
    await page.fill('#list', `${N.robusta}\n${N.matOng}\nKHONG-CO-123`);
    await Promise.all([page.waitForURL(`${base}/tra-cuu`), page.click('button[value=html]')]);
    await check(page, 'shop-csv');
    expect(await page.locator('main').innerText()).toContain('Kết quả: 3 dòng');
  });

  it('the shop page and its results on a 360 px phone: cards, no horizontal scroll, no word split across lines, 0 axe violations', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'vi-VN' });
    const page = await context.newPage();
    await page.goto(`${base}/tra-cuu`);
    expect(await runAxe(page), 'axe violations on the empty form').toEqual([]);
    const altered = (await code('HM-RM-01', 5)).replace(/A/, 'B');
    await page.fill('#list', [N.robusta, N.matOng, '70-31-2021', 'KHONG-CO-123', await code('HM-RM-01', 4), altered].join('\n'));
    await Promise.all([page.waitForURL(`${base}/tra-cuu`), page.click('button[value=html]')]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(await page.locator('li.result').count()).toBe(6);
    // Every word outside codes sits on one line: a Range over a word with two client rects
    // means the browser broke it ("chứn g", "Hiệ u lực").
    const split = await page.evaluate(() => {
      const broken: string[] = [];
      const walker = document.createTreeWalker(document.querySelector('ol.results')!, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if ((node.parentElement as HTMLElement).closest('.code')) continue;
        const text = node.textContent ?? '';
        for (const m of text.matchAll(/\S+/g)) {
          const range = document.createRange();
          range.setStart(node, m.index!);
          range.setEnd(node, m.index! + m[0].length);
          const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
          if (lines.size > 1) broken.push(m[0]);
        }
      }
      return broken;
    });
    expect(split).toEqual([]);
    expect(await page.locator('p.why').count()).toBeGreaterThanOrEqual(4);
    expect(await runAxe(page), 'axe violations on the results').toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'public-shop-360.png'), fullPage: true });
    await context.close();
  });
});

describe('key withdrawn', () => {
  it('a code signed by a key the officials withdrew reads "key withdrawn" on the next start', async () => {
    const withdrawn = await code('HM-RM-01', 14);
    await stopServer();
    // Another key signs from now on; key 1 is withdrawn in the database (what an official's
    // withdrawal records), and the server applies it to its key ring when it starts.
    await addKeyToFile(dataDir);
    const { db } = await createPgliteDb(path.join(dataDir, 'pgdata'));
    await db.updateTable('signing_keys').set({ status: 'withdrawn', withdrawn_at: new Date(), withdrawn_reason: 'browser test' }).where('kid', '=', 'ocop-1').execute();
    await db.destroy();
    await startServer();
    const page = await phone();
    const res = await page.goto(`${base}/v/${withdrawn}`);
    expect(res!.status()).toBe(200);
    expect(await check(page, 'key-withdrawn')).toContain('khóa ký của mã đã bị thu hồi');
    expect(await page.locator('main').innerText()).not.toContain('Hạt điều rang muối');
  });
});
