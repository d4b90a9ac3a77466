import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyFilePath } from '../../worker/codes/keyfile-node';
import { KeyRing } from '../../worker/codes/keyring';
import { signPackageCode } from '../../worker/codes/sign';
import { runAxe, type AxeViolation } from '../helpers/axe';
import { launchChromium } from '../helpers/browser';
import { freePort, startProcess, waitForHttp, type ServerProcess } from '../helpers/process';

// Accessibility of the pages shoppers open, on the phone they hold (360×640): axe-core's
// WCAG 2 A/AA rules and best practices report no violation on the scan page (genuine, copied,
// expired, revoked, not genuine), the product page and the certificate page, in Vietnamese
// and English, with the province hotline and a producer's contact showing. The real Node
// server on its seeded PGlite; the pages stay script-free (axe is evaluated through DevTools).

let dataDir: string;
let server: ServerProcess | null = null;
let base = '';
let browser: Browser;
let context: BrowserContext;
let ring: KeyRing;
const batchOf: Record<string, number> = {};

function readable(violations: AxeViolation[]): string {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `  ${n.target}: ${n.summary}`).join('\n')}`).join('\n');
}

async function open(url: string): Promise<Page> {
  const page = await context.newPage();
  const res = await page.goto(url);
  expect(res, url).not.toBeNull();
  return page;
}

async function expectAccessible(url: string): Promise<Page> {
  const page = await open(url);
  expect(await page.locator('script:not([type="application/ld+json"])').count(), `${url}: no script`).toBe(0);
  const violations = await runAxe(page);
  expect(violations, `${url}\n${readable(violations)}`).toEqual([]);
  return page;
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'ocop-browser-a11y-'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = startProcess(path.resolve('node_modules/.bin/tsx'), ['worker/node.ts'], {
    PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, SEED: '1', DATABASE_URL: '', PUBLIC_BASE_URL: '', REPORT_HOTLINE: '0271 3879 123',
  });
  await waitForHttp(server, `${base}/healthz`, 150_000);
  ring = await KeyRing.fromJwkSet(JSON.parse(await readFile(keyFilePath(dataDir), 'utf8')));
  for (let id = 1; id <= 8; id++) {
    const res = await fetch(`${base}/api/v1/verify?code=${await signPackageCode(ring, id, 1)}`);
    const { result } = (await res.json()) as { result: { package: { lot_code: string } | null } };
    if (result.package) batchOf[result.package.lot_code] = id;
  }
  expect(Object.keys(batchOf)).toEqual(expect.arrayContaining(['HM-RM-01', 'PT79-2022-03', 'MO-2025-12']));
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 360, height: 640 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'vi-VN' });
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function scanUrl(lot: string, serial: number): Promise<string> {
  return `${base}/v/${await signPackageCode(ring, batchOf[lot]!, serial)}`;
}

describe('0 axe violations at 360×640', () => {
  it('the check itself sees violations (an image without text, a low-contrast line added to a scan page)', async () => {
    const page = await open(await scanUrl('HM-RM-01', 13));
    await page.evaluate(() => {
      const main = document.querySelector('main')!;
      main.insertAdjacentHTML('beforeend', '<img src="/x.png" width="10" height="10"><p id="faint">mờ</p>');
      // Set through the CSSOM: the page's CSP refuses style attributes in markup.
      document.getElementById('faint')!.style.color = '#ccc';
    });
    const ids = (await runAxe(page)).map((v) => v.id);
    expect(ids).toEqual(expect.arrayContaining(['image-alt', 'color-contrast']));
  });

  it('scan page: genuine, with the producer contact and the hotline below the verdict', async () => {
    const page = await expectAccessible(await scanUrl('HM-RM-01', 11));
    expect(await page.locator('h1').first().textContent()).toContain('Sản phẩm OCOP chính hãng');
    // The contact sits below the verdict: the verdict box ends inside the first screen.
    const verdict = await page.locator('section.verdict').boundingBox();
    expect(verdict!.y + verdict!.height).toBeLessThanOrEqual(640);
    const contact = await page.locator('#contact-h').boundingBox();
    expect(contact!.y).toBeGreaterThan(verdict!.y + verdict!.height);
    expect(await page.locator('a[href="tel:+842713879123"]').count()).toBe(1);
    expect(await page.locator('a[href^="https://zalo.me/"]').count()).toBe(1);
  });

  it('scan page: a label that looks copied', async () => {
    const page = await expectAccessible(await scanUrl('HM-RM-01', 7));
    expect(await page.locator('h1').first().textContent()).toContain('có thể bị sao chép');
  });

  it('scan page: expired certificate', async () => {
    const page = await expectAccessible(await scanUrl('PT79-2022-03', 2));
    expect(await page.locator('h1').first().textContent()).toContain('đã hết hạn');
  });

  it('scan page: revoked certificate', async () => {
    const page = await expectAccessible(await scanUrl('MO-2025-12', 3));
    expect(await page.locator('h1').first().textContent()).toContain('thu hồi');
  });

  it('scan page: a code that is not genuine, and the English page', async () => {
    const good = await scanUrl('HM-RM-01', 12);
    const forged = good.slice(0, -5) + (good.at(-5) === 'A' ? 'B' : 'A') + good.slice(-4);
    const page = await expectAccessible(forged);
    expect(await page.locator('h1').first().textContent()).toContain('Không phải mã OCOP hợp lệ');
    await expectAccessible(`${good}?lang=en`);
  });

  it('product page (with GTIN, contact and hotline) and certificate page, in both languages', async () => {
    const product = await expectAccessible(`${base}/p/hat-dieu-rang-muoi-ha-my`);
    expect(await product.locator('main').innerText()).toContain('8939999900010');
    await expectAccessible(`${base}/p/hat-dieu-rang-muoi-ha-my?lang=en`);
    await expectAccessible(`${base}/c/BP-OCOP-5S-2023-001`);
    await expectAccessible(`${base}/c/BP-OCOP-5S-2023-001?lang=en`);
  });
});
