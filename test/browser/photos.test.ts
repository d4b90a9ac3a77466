import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyFilePath } from '../../worker/codes/keyfile-node';
import { KeyRing } from '../../worker/codes/keyring';
import { signPackageCode } from '../../worker/codes/sign';
import { launchChromium, startNodeServer, type RunningServer } from '../helpers/browser';

// The demo's photos as a shopper's phone gets them: the real Node server (PGlite, media in
// DATA_DIR/media), seeded with the project-drawn photos, and Debian's Chromium at 360×640.

let dataDir: string;
let server: RunningServer;
let browser: Browser;
let ring: KeyRing;
let hmBatch = 0;

async function phone(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 360, height: 640 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'vi-VN' });
  return context.newPage();
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'ocop-browser-photos-'));
  server = await startNodeServer(dataDir);
  ring = await KeyRing.fromJwkSet(JSON.parse(await readFile(keyFilePath(dataDir), 'utf8')));
  for (let id = 1; id <= 8 && hmBatch === 0; id++) {
    const res = await fetch(`${server.base}/api/v1/verify?code=${await signPackageCode(ring, id, 1)}`);
    const { result } = (await res.json()) as { result: { package: { lot_code: string } | null } };
    if (result.package?.lot_code === 'HM-RM-01') hmBatch = id;
  }
  expect(hmBatch).toBeGreaterThan(0);
  browser = await launchChromium();
}, 200_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('photos on a 360×640 phone', () => {
  it('the scan page shows the main photo below the verdict, which stays on the first screen; light, sized, no layout jump', async () => {
    const url = `${server.base}/v/${await signPackageCode(ring, hmBatch, 21)}`;
    const html = await (await fetch(url, { headers: { 'user-agent': 'Mozilla/5.0 (Linux; Android 14)' } })).text();
    expect(new TextEncoder().encode(html).length).toBeLessThan(12 * 1024);

    const page = await phone();
    const images: { url: string; bytes: number }[] = [];
    page.on('response', async (res) => {
      if (res.url().includes('/media/')) images.push({ url: res.url(), bytes: (await res.body()).length });
    });
    await page.goto(url, { waitUntil: 'load' });
    expect(await page.locator('script').count()).toBe(0);
    const verdict = (await page.locator('section.verdict').boundingBox())!;
    expect(verdict.y + verdict.height).toBeLessThanOrEqual(640);
    await expect.poll(() => page.locator('figure.photo img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    const img = page.locator('figure.photo img');
    const box = (await img.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(verdict.y + verdict.height);
    expect(box.x + box.width).toBeLessThanOrEqual(360);
    const { width, height, current } = await img.evaluate((el: HTMLImageElement) => ({ width: Number(el.getAttribute('width')), height: Number(el.getAttribute('height')), current: el.currentSrc }));
    // The box had the photo's proportions from the attributes (no jump when it arrived).
    expect(Math.abs(box.height - (box.width * height) / width)).toBeLessThan(1.5);
    // At 2× a 328 px wide slot takes the 640 rendition, and it is light.
    expect(current).toMatch(/\/media\/[0-9a-f]{64}\.jpg$/);
    const fetched = images.find((i) => i.url === current)!;
    expect(fetched.bytes).toBeLessThanOrEqual(35 * 1024);
    expect(images.length).toBe(1);
    await mkdir(path.resolve('artifacts/screenshots'), { recursive: true });
    await page.screenshot({ path: path.resolve('artifacts/screenshots/photos-scan.png'), fullPage: true });
    await page.context().close();
  });

  it('the product page shows the gallery of the seeded photos', async () => {
    const page = await phone();
    await page.goto(`${server.base}/p/hat-dieu-rang-muoi-ha-my`, { waitUntil: 'load' });
    const gallery = page.locator('ul.gallery img');
    expect(await gallery.count()).toBe(2); // the product and its package
    await gallery.first().scrollIntoViewIfNeeded();
    await expect.poll(() => gallery.first().evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    expect(await page.locator('meta[property="og:image"]').getAttribute('content')).toMatch(/\/media\/[0-9a-f]{64}\.jpg$/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.context().close();
  });

  it('the files are in DATA_DIR/media, owner-only like the rest of the data folder', async () => {
    const media = path.join(dataDir, 'media');
    expect(((await stat(media)).mode & 0o077)).toBe(0);
    const files: string[] = [];
    for (const sub of await readdir(media)) for (const f of await readdir(path.join(media, sub))) files.push(path.join(media, sub, f));
    expect(files.length).toBeGreaterThanOrEqual(6 * 3);
    for (const f of files) {
      expect(f).toMatch(/[0-9a-f]{64}\.jpg$/);
      expect((await stat(f)).mode & 0o077).toBe(0);
    }
  });
});
