import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAxe } from '../helpers/axe';
import { launchChromium, startNodeServer, type RunningServer } from '../helpers/browser';
import { writeQrVideo } from '../helpers/fake-camera';
import { addKeyToFile, keyFilePath } from '../../worker/codes/keyfile-node';
import { KeyRing } from '../../worker/codes/keyring';
import { signPackageCode } from '../../worker/codes/sign';
import { createPgliteDb } from '../../worker/db/connect-pglite';
import { syncSigningKeys } from '../../worker/db/keys';
import { VERDICT_LABELS } from '../../worker/public/labels';

// The offline scanner (/kiem-tra-nhanh) in Debian's Chromium on a 360×640 phone, with a fake
// camera playing a video of package QR codes made here: genuine, revoked, expired, signed by
// a withdrawn key, and altered. Chromium on Linux has no BarcodeDetector, so the ZXing
// WebAssembly reader is the one exercised. Each verdict must be the server's own (asked
// through the API); then, with the network off and the server stopped, the app opens from its
// service worker, still reads and verifies, shows its data age, and refuses to say "genuine"
// once the data is older than its limit.

const SHOTS = path.resolve('artifacts/screenshots');
let dataDir: string;
let server: RunningServer | null = null;
let base = '';
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** Scanned text (package URL) → the server's verdict. */
const serverVerdict = new Map<string, string>();
const urls: Record<'genuine' | 'revoked' | 'expired' | 'withdrawn' | 'altered', string> = { genuine: '', revoked: '', expired: '', withdrawn: '', altered: '' };

async function verdictOf(url: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/verify?code=${encodeURIComponent(url)}`);
  return ((await res.json()) as { result: { verdict: string } }).result.verdict;
}

/** The intake list as the app shows it: scanned text → verdict. */
async function listed(p: Page): Promise<Map<string, string>> {
  const rows = await p.locator('#rows li').evaluateAll((lis) => lis.map((li) => [(li as HTMLElement).dataset.code ?? '', (li as HTMLElement).dataset.verdict ?? ''] as const));
  return new Map(rows);
}

async function scanWithCamera(p: Page): Promise<Map<string, string>> {
  await p.click('#clear');
  await p.click('#camera');
  await p.waitForFunction(() => document.querySelectorAll('#rows li').length >= 5, undefined, { timeout: 60_000 });
  await p.click('#camera');
  return listed(p);
}

async function checkByHand(p: Page, text: string): Promise<string> {
  await p.fill('#code', text);
  await p.click('#manual button[type=submit]');
  await p.waitForFunction((t) => (document.querySelector('#rows li') as HTMLElement | null)?.dataset.code === t, text);
  return (await p.locator('#result').getAttribute('data-verdict')) ?? '';
}

beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
  if (!existsSync('dist/scanner/kiem-tra-nhanh-sw.js')) {
    const build = spawnSync('npx', ['tsx', 'scripts/build-scanner.ts'], { stdio: 'inherit' });
    if (build.status !== 0) throw new Error('npm run build:scanner failed');
  }
  dataDir = await mkdtemp(path.join(tmpdir(), 'ocop-browser-scanner-'));
  server = await startNodeServer(dataDir);
  base = server.base;
  const ring1 = await KeyRing.fromJwkSet(JSON.parse(await readFile(keyFilePath(dataDir), 'utf8')));
  const batchOf: Record<string, number> = {};
  for (let id = 1; id <= 8; id++) {
    const res = await fetch(`${base}/api/v1/verify?code=${await signPackageCode(ring1, id, 1)}`);
    const { result } = (await res.json()) as { result: { package: { lot_code: string } | null } };
    if (result.package) batchOf[result.package.lot_code] = id;
  }
  await server.stop();
  // Officials withdrew key 1 (all seeded lots were signed with it) and key 2 signs from now
  // on: three new lots under key 2 for a valid, a revoked and an expired certificate.
  await addKeyToFile(dataDir);
  const ring2 = await KeyRing.fromJwkSet(JSON.parse(await readFile(keyFilePath(dataDir), 'utf8')));
  const { db } = await createPgliteDb(path.join(dataDir, 'pgdata'));
  await syncSigningKeys(db, ring2);
  await db.updateTable('signing_keys').set({ status: 'withdrawn', withdrawn_at: new Date(), withdrawn_reason: 'scanner browser test' }).where('kid', '=', 'ocop-1').execute();
  const newLot: Record<string, number> = {};
  for (const [lot, from] of [['SC-GEN', 'HM-RM-01'], ['SC-REV', 'MO-2025-12'], ['SC-EXP', 'PT79-2022-03']] as const) {
    const old = await db.selectFrom('package_batches').selectAll().where('id', '=', batchOf[from]!).executeTakeFirstOrThrow();
    const row = await db
      .insertInto('package_batches')
      .values({ certificate_id: old.certificate_id, lot_code: lot, production_date: old.production_date, best_before: old.best_before, quantity: 100, key_number: 2, created_by: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    newLot[lot] = row.id;
  }
  await db.destroy();
  server = await startNodeServer(dataDir);
  base = server.base;
  const url = (code: string) => `${base}/v/${code}`;
  urls.genuine = url(await signPackageCode(ring2, newLot['SC-GEN']!, 3));
  urls.revoked = url(await signPackageCode(ring2, newLot['SC-REV']!, 4));
  urls.expired = url(await signPackageCode(ring2, newLot['SC-EXP']!, 5));
  urls.withdrawn = url(await signPackageCode(ring1, batchOf['HM-RM-01']!, 6));
  const good = await signPackageCode(ring2, newLot['SC-GEN']!, 7);
  // One character of the signature changed: still a well-formed code, no longer ours.
  urls.altered = url(`${good.slice(0, 100)}${good[100] === 'A' ? 'B' : 'A'}${good.slice(101)}`);
  for (const u of Object.values(urls)) serverVerdict.set(u, await verdictOf(u));
  expect([...serverVerdict.values()]).toEqual(['genuine', 'revoked', 'expired', 'key_withdrawn', 'not_genuine']);

  const video = path.join(dataDir, 'codes.y4m');
  await writeQrVideo(video, Object.values(urls));
  browser = await launchChromium(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${video}`]);
  context = await browser.newContext({ viewport: { width: 360, height: 640 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'vi-VN', permissions: ['camera'] });
  page = await context.newPage();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('offline scanner', () => {
  it('online: reads the five codes from the camera (ZXing WebAssembly) and gives the server’s verdicts', async () => {
    const res = await page.goto(`${base}/kiem-tra-nhanh`);
    expect(res!.status()).toBe(200);
    const csp = res!.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).not.toMatch(/https?:/);
    await page.waitForSelector('html[data-ready=true]');
    expect(await page.locator('html').getAttribute('data-ed25519')).toBe('webcrypto');
    expect(await page.locator('#data-age').innerText()).toContain('cập nhật vừa xong');
    const seen = await scanWithCamera(page);
    expect(await page.locator('#reader').getAttribute('data-reader')).toBe('zxing-wasm');
    expect(Object.fromEntries(seen)).toEqual(Object.fromEntries(serverVerdict));
    // The verdict box uses the scan page's and the API's words, and answers well under a second.
    const shown = (await page.locator('#result').getAttribute('data-verdict')) as keyof typeof VERDICT_LABELS;
    expect(await page.locator('#verdict').innerText()).toContain(VERDICT_LABELS[shown].vi);
    const ms = Number(/Trả lời trong (\d+) ms/.exec(await page.locator('#result .timing').innerText())?.[1]);
    expect(ms).toBeLessThan(500);
    expect(await page.locator('#counts').innerText()).toMatch(/^5 gói/);
    expect(await runAxe(page), 'axe violations').toEqual([]);
    // Installable: a manifest with the app's scope and its own PNG icons at the sizes it claims.
    const manifest = (await (await page.request.get(`${base}/kiem-tra-nhanh/manifest.webmanifest`)).json()) as { start_url: string; scope: string; display: string; icons: { src: string; sizes: string }[] };
    expect(manifest).toMatchObject({ start_url: '/kiem-tra-nhanh', scope: '/kiem-tra-nhanh', display: 'standalone' });
    for (const icon of manifest.icons) {
      const png = await (await page.request.get(`${base}${icon.src}`)).body();
      expect(`${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`, icon.src).toBe(icon.sizes);
    }
    await page.screenshot({ path: path.join(SHOTS, 'scanner-online.png'), fullPage: true });
  });

  it('a revoked package shows its warning on the first screen of a 360×640 phone', async () => {
    expect(await checkByHand(page, urls.revoked)).toBe('revoked');
    const box = await page.locator('#result').boundingBox();
    expect(box!.y + box!.height).toBeLessThanOrEqual(640);
    expect(await page.locator('#result').innerText()).toContain('Giấy chứng nhận đã bị thu hồi');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  });

  it('online again within the hour: brought up to date through the revocation feed’s cursor and the JWKS, not a new download', async () => {
    expect(await page.locator('html').getAttribute('data-refresh')).toBe('full');
    await page.reload();
    await page.waitForSelector('html[data-ready=true]');
    expect(await page.locator('html').getAttribute('data-refresh')).toBe('delta');
    expect(await page.locator('#data-age').innerText()).toContain('cập nhật vừa xong');
    expect(await checkByHand(page, urls.genuine)).toBe('genuine');
    expect(await checkByHand(page, urls.withdrawn)).toBe('key_withdrawn');
  });

  it('offline after one visit: opens from the service worker, reads the camera, verifies, shows the data age', async () => {
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
    await context.setOffline(true);
    // No server at all: whatever the page gets now comes from the phone.
    await server!.stop();
    server = null;
    await page.reload();
    await page.waitForSelector('html[data-ready=true]');
    const age = await page.locator('#data-age').innerText();
    expect(age).toMatch(/cập nhật (vừa xong|\d+ phút trước)/);
    expect(age).toContain('ngoại tuyến');
    const seen = await scanWithCamera(page);
    expect(Object.fromEntries(seen)).toEqual(Object.fromEntries(serverVerdict));
    await page.screenshot({ path: path.join(SHOTS, 'scanner-offline.png'), fullPage: true });
  });

  it('offline without WebCrypto Ed25519: the @noble/ed25519 fallback gives the same verdicts', async () => {
    const other = await context.newPage();
    await other.goto(`${base}/kiem-tra-nhanh?ed25519=noble`);
    await other.waitForSelector('html[data-ready=true]');
    expect(await other.locator('html').getAttribute('data-ed25519')).toBe('noble');
    await other.click('#clear');
    for (const [text, verdict] of serverVerdict) expect(await checkByHand(other, text), text).toBe(verdict);
    await other.close();
  });

  it('data older than 24 hours: never "genuine", says it cannot confirm and asks to go online; the CSV is in Vietnamese', async () => {
    // The stored copy, made 25 hours ago.
    await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open('ocop-kiem-tra-nhanh');
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      const store = () => db.transaction('records', 'readwrite').objectStore('records');
      const data = await new Promise<{ generated_at: string }>((resolve) => {
        const req = store().get('dataset');
        req.onsuccess = () => resolve(req.result as { generated_at: string });
      });
      data.generated_at = new Date(Date.now() - 25 * 3_600_000).toISOString();
      await new Promise((resolve) => {
        store().put(data, 'dataset').onsuccess = resolve;
      });
    });
    await page.reload();
    await page.waitForSelector('html[data-ready=true]');
    expect(await page.locator('#data-age').innerText()).toContain('cập nhật 25 giờ trước');
    await expect.poll(() => page.locator('#stale').isVisible()).toBe(true);
    expect(await page.locator('#stale').innerText()).toContain('kết nối mạng');
    await page.click('#clear');
    expect(await checkByHand(page, urls.genuine)).toBe('unconfirmed');
    expect(await page.locator('#verdict').innerText()).toContain('Chưa xác nhận được');
    expect(await page.locator('#result').innerText()).toContain('Hãy kết nối mạng');
    // What stays true however old the data: an altered code, a withdrawn key, a revocation.
    expect(await checkByHand(page, urls.altered)).toBe('not_genuine');
    expect(await checkByHand(page, urls.withdrawn)).toBe('key_withdrawn');
    expect(await checkByHand(page, urls.revoked)).toBe('revoked');
    await page.screenshot({ path: path.join(SHOTS, 'scanner-stale.png'), fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#csv')]);
    const csv = await readFile((await download.path())!, 'utf8');
    const lines = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(lines[0]).toBe('Thời điểm quét,Mã đã quét,Kết quả,Lý do,Cảnh báo,Số lần quét,Số giấy chứng nhận,Hạng sao,Sản phẩm,Chủ thể sản xuất,Số lô,Số thứ tự gói,Hạn sử dụng,Hiệu lực đến,Dữ liệu');
    expect(lines).toHaveLength(5);
    expect(lines[1]).toContain('Chưa xác nhận được');
    expect(lines[2]).toContain('Không xác thực được');
    expect(lines[4]).toContain('Giấy chứng nhận bị thu hồi');
    expect(lines[4]).toContain('Mật ong');
  });
});
