import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchUrls } from '../../worker/codes/batch-codes';
import { generateSigningKey, KeyRing } from '../../worker/codes/keyring';
import { verifyPackageCode } from '../../worker/codes/verify';
import { batchExport, exportFileName, type ExportableBatch } from '../../worker/batch-export';
import { getBatchRow } from '../../worker/db/batches';
import { ALL_SCOPE } from '../../worker/db/scope';
import { seedDemo } from '../../worker/seed/seed';
import { openTestDatabase, type TestDatabase } from '../helpers/db';
import { readAll, run, tempDir, tool, writeTemp, zbarDecode } from '../unit/qr/tools';

const BASE = 'https://ocop.binhphuoc.gov.vn';
let t: TestDatabase;
let ring: KeyRing;
let key1: Awaited<ReturnType<typeof generateSigningKey>>;
let batch: ExportableBatch;

beforeAll(async () => {
  t = await openTestDatabase();
  key1 = await generateSigningKey(1);
  ring = await KeyRing.fromJwkSet({ keys: [key1] });
  await seedDemo(t.db, ring, new Date());
  const { id } = await t.db.selectFrom('package_batches').select('id').where('lot_code', '=', 'HM-KD-07').executeTakeFirstOrThrow();
  batch = (await getBatchRow(t.db, ALL_SCOPE, id))!;
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
    const exported = batchExport(ring, BASE, batch, 'csv', { onProgress: (d) => (progress = d) });
    expect(exported).toMatchObject({ fileName: `ocop-lo-${batch.id}-HM-KD-07.csv`, contentType: 'text/csv; charset=utf-8', total: batch.quantity });
    const csv = new TextDecoder().decode(await readAll(exported.stream));
    const lines = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('serial,lot,url');
    expect(lines).toHaveLength(batch.quantity + 1);
    expect(lines[1]).toMatch(/^1,HM-KD-07,HTTPS:\/\/OCOP\.BINHPHUOC\.GOV\.VN\/V\/[A-Z2-7]{119}$/);
    expect(progress).toBe(batch.quantity);
  });

  it('zips one PNG per package that a real QR decoder reads back to a verifying URL', async () => {
    tool('zbarimg');
    const zip = unzipSync(await readAll(batchExport(ring, BASE, batch, 'png-zip').stream));
    const names = Object.keys(zip).sort();
    expect(names).toHaveLength(batch.quantity);
    expect(names[0]).toBe(`ocop-lo-${batch.id}-HM-KD-07-0000001.png`);
    // Scale 8 with a 4-module quiet zone: a version 6 symbol (41 modules) is 392 px square.
    const ihdr = new DataView(zip[names[0]!]!.buffer, zip[names[0]!]!.byteOffset + 16, 8);
    expect([ihdr.getUint32(0), ihdr.getUint32(4)]).toEqual([392, 392]);
    const dir = tempDir();
    const sample = [names[0]!, names[57]!, names.at(-1)!];
    const decoded = zbarDecode(...sample.map((n) => writeTemp(dir, n, zip[n]!)));
    expect(decoded).toHaveLength(3);
    for (const url of decoded) expect((await verifyPackageCode(ring, url)).ok).toBe(true);
  });

  it('prints label sheets whose QR codes verify', async () => {
    const pdf = await readAll(batchExport(ring, BASE, batch, 'pdf').stream);
    const dir = tempDir();
    const file = writeTemp(dir, 'labels.pdf', pdf);
    const pages = Number(/Pages:\s+(\d+)/.exec(run(tool('pdfinfo'), [file]))![1]);
    expect(pages).toBe(Math.ceil(batch.quantity / 21));
    expect(run(tool('pdftotext'), [file, '-'])).toContain('Kẹo điều');
  });

  it('names every format one way: ocop-lo-<id>-<lot>, unsafe lot characters replaced', () => {
    const b = { id: 12, lot_code: 'HM/01 A' };
    expect(exportFileName(b, 'csv')).toBe('ocop-lo-12-HM_01_A.csv');
    expect(exportFileName(b, 'pdf')).toBe('ocop-lo-12-HM_01_A.pdf');
    expect(exportFileName(b, 'png-zip')).toBe('ocop-lo-12-HM_01_A-png.zip');
    expect(exportFileName(b, 'svg-zip')).toBe('ocop-lo-12-HM_01_A-svg.zip');
  });

  it('refuses, before any byte, a ZIP beyond the format limit, an impossible grid, and a missing or withdrawn key', async () => {
    expect(() => batchExport(ring, BASE, { ...batch, quantity: 70_000 }, 'png-zip')).toThrow(expect.objectContaining({ code: 'zip_too_large', status: 400 }));
    expect(() => batchExport(ring, BASE, batch, 'pdf', { layout: { columns: 9, rows: 9 } })).toThrow(expect.objectContaining({ code: 'bad_layout', status: 400 }));
    expect(() => batchExport(ring, BASE, { ...batch, key_number: 7 }, 'csv')).toThrow(expect.objectContaining({ code: 'key_unavailable', status: 409 }));
    ring.setStatus('ocop-1', 'withdrawn');
    try {
      expect(() => batchExport(ring, BASE, batch, 'csv')).toThrow(expect.objectContaining({ code: 'key_withdrawn', status: 409 }));
    } finally {
      ring.setStatus('ocop-1', 'active');
    }
  });
});
