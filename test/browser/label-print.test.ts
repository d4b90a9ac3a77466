import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateKeyFile } from '../../worker/codes/keyfile-node';
import { KeyRing } from '../../worker/codes/keyring';
import { verifyPackageCode } from '../../worker/codes/verify';
import { presetLayout } from '../../worker/qr/label-layouts';
import { demoLogin, launchChromium, signInAdmin, startNodeServer, type RunningServer } from '../helpers/browser';
import { scanLabels } from '../unit/qr/label-scan';
import { run, tool } from '../unit/qr/tools';

// A producer prints labels for the stock in hand from a phone-sized browser: a preset gives
// a PDF whose codes are genuine; a label too small for a readable QR comes back on the form.

let dataDir: string;
let server: RunningServer | undefined;
let browser: Browser;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'ocop-label-print-'));
  server = await startNodeServer(dataDir);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('printing labels from the batch page', () => {
  it('downloads the chosen preset, and shows a refused layout on its field', async () => {
    const login = await demoLogin(dataDir, 'producer');
    const context = await browser.newContext({ baseURL: server!.base, acceptDownloads: true, locale: 'vi-VN', viewport: { width: 360, height: 740 } });
    try {
      const page = await context.newPage();
      await signInAdmin(page, login);
      await page.goto('/admin/batches');
      await Promise.all([page.waitForURL(/\/admin\/batches\/\d+$/), page.click('a:text-is("HM-KD-07")')]);
      const batchId = Number(/\/admin\/batches\/(\d+)/.exec(page.url())![1]);

      await page.selectOption('#f-preset', 'a4-65');
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#print-labels button[type=submit]')]);
      const file = path.join(dataDir, 'labels-65.pdf');
      await download.saveAs(file);
      expect(run(tool('pdfinfo'), [file])).toMatch(/^Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/m);
      const ring = await KeyRing.fromJwkSet(await loadOrCreateKeyFile(dataDir));
      const found = scanLabels(file, presetLayout('a4-65'), 1, 300);
      expect(found.every((symbols) => symbols.length === 1)).toBe(true);
      for (const [i, symbols] of found.entries()) {
        const v = await verifyPackageCode(ring, symbols[0]!);
        expect(v.ok && v.ref.batchId === batchId && v.ref.serial === i + 1).toBe(true);
      }

      await page.selectOption('#f-preset', 'custom');
      await page.click('#print-labels summary');
      await page.selectOption('#f-page', 'roll');
      await page.fill('#f-labelWidth', '30');
      await page.fill('#f-labelHeight', '30');
      const [answer] = await Promise.all([page.waitForEvent('response', (r) => r.url().includes('/labels?')), page.click('#print-labels button[type=submit]')]);
      expect(answer.status()).toBe(400);
      await page.waitForSelector('#err-labelWidth');
      await expect(page.locator('#err-labelWidth').innerText()).resolves.toContain('Nhãn 30 × 30 mm quá nhỏ cho mã QR');
      await expect(page.locator('#f-labelWidth').inputValue()).resolves.toBe('30');
      await expect(page.locator('#f-page').inputValue()).resolves.toBe('roll');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    } finally {
      await context.close();
    }
  });
});
