import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchUrls } from '../../worker/codes/batch-codes';
import { generateSigningKey, KeyRing } from '../../worker/codes/keyring';
import { verifyPackageCode } from '../../worker/codes/verify';
import { batchExport } from '../../worker/batch-export';
import { seedDemo } from '../../scripts/seed/seed';
import { openTestDatabase, type TestDatabase } from '../helpers/db';
import { readAll, run, tempDir, tool, writeTemp, zbarDecode } from '../unit/qr/tools';

const BASE = 'https://ocop.binhphuoc.gov.vn';
let t: TestDatabase;
let ring: KeyRing;
let key1: Awaited<ReturnType<typeof generateSigningKey>>;
let batch: { id: number; key_number: number; quantity: number; lot_code: string };

beforeAll(async () => {
  t = await openTestDatabase();
  key1 = await generateSigningKey(1);
  ring = await KeyRing.fromJwkSet({ keys: [key1] });
  await seedDemo(t.db, ring, new Date());
  batch = await t.db.selectFrom('package_batches').select(['id', 'key_number', 'quantity', 'lot_code']).where('lot_code', '=', 'HM-KD-07').executeTakeFirstOrThrow();
});
afterAll(async () => t?.close());

describe('batch codes and exports', () => {
  it('derives the same codes on every download, one per serial, all verifying', async () => {
    const first: string[] = [];
    for await (const c of batchUrls(ring, batch, BASE)) first.push(c.url);
    const again: string[] = [];
    for await (const c of batchUrls(ring, batch, BASE)) again.push(c.url);
    expect(first).toHaveLength(batch.quantity);
    expect(again).toEqual(first);
    expect(new Set(first).size).toBe(first.length);
    for (const [i, url] of first.entries()) {
      const v = await verifyPackageCode(ring, url);
      expect(v.ok && v.ref.batchId === batch.id && v.ref.serial === i + 1).toBe(true);
    }
  });

  it('keeps signing an old batch with its own key after a rotation, and refuses a missing or withdrawn key', async () => {
    const first = async (r: KeyRing) => {
      for await (const c of batchUrls(r, batch, BASE)) return c.url;
      return null;
    };
    const rotated = await KeyRing.fromJwkSet({ keys: [key1, await generateSigningKey(2)] });
    expect(rotated.signer().keyNumber).toBe(2);
    expect(await first(rotated)).toBe(await first(ring));
    const withoutKey1 = await KeyRing.fromJwkSet({ keys: [await generateSigningKey(2)] });
    await expect(first(withoutKey1)).rejects.toThrow(/ocop-1/);
    ring.setStatus('ocop-1', 'withdrawn');
    try {
      await expect(first(ring)).rejects.toThrow(/withdrawn/);
    } finally {
      ring.setStatus('ocop-1', 'active');
    }
  });

  it('streams CSV with one row per package', async () => {
    let progress = 0;
    const csv = new TextDecoder().decode(await readAll(await batchExport(t.db, ring, batch.id, BASE, 'csv', { onProgress: (d) => (progress = d) })));
    const lines = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('serial,lot,url');
    expect(lines).toHaveLength(batch.quantity + 1);
    expect(lines[1]).toMatch(/^1,HM-KD-07,HTTPS:\/\/OCOP\.BINHPHUOC\.GOV\.VN\/V\/[A-Z2-7]{119}$/);
    expect(progress).toBe(batch.quantity);
  });

  it('zips one PNG per package that a real QR decoder reads back to a verifying URL', async () => {
    tool('zbarimg');
    const zip = unzipSync(await readAll(await batchExport(t.db, ring, batch.id, BASE, 'png-zip')));
    const names = Object.keys(zip).sort();
    expect(names).toHaveLength(batch.quantity);
    const dir = tempDir();
    const sample = [names[0]!, names[57]!, names.at(-1)!];
    const decoded = zbarDecode(...sample.map((n) => writeTemp(dir, n, zip[n]!)));
    expect(decoded).toHaveLength(3);
    for (const url of decoded) expect((await verifyPackageCode(ring, url)).ok).toBe(true);
  });

  it('prints label sheets whose QR codes verify', async () => {
    const pdf = await readAll(await batchExport(t.db, ring, batch.id, BASE, 'pdf'));
    const dir = tempDir();
    const file = writeTemp(dir, 'labels.pdf', pdf);
    const pages = Number(/Pages:\s+(\d+)/.exec(run(tool('pdfinfo'), [file]))![1]);
    expect(pages).toBe(Math.ceil(batch.quantity / 21));
    expect(run(tool('pdftotext'), [file, '-'])).toContain('Kẹo điều');
  });

  it('refuses an unknown batch and a ZIP beyond the format limit with clear messages', async () => {
    await expect(batchExport(t.db, ring, 999_999, BASE, 'csv')).rejects.toMatchObject({ code: 'unknown_batch' });
    const big = await t.db.insertInto('package_batches').values({ certificate_id: (await t.db.selectFrom('certificates').select('id').where('status', '=', 'active').executeTakeFirstOrThrow()).id, lot_code: 'BIG-1', production_date: '2026-01-01', best_before: null, quantity: 70_000, key_number: 1 }).returning('id').executeTakeFirstOrThrow();
    await expect(batchExport(t.db, ring, big.id, BASE, 'png-zip')).rejects.toMatchObject({ code: 'zip_too_large' });
  });
});
