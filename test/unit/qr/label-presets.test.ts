import { beforeAll, describe, expect, it } from 'vitest';
import { batchUrls } from '../../../worker/codes/batch-codes';
import { generateSigningKey, KeyRing } from '../../../worker/codes/keyring';
import { verifyPackageCode } from '../../../worker/codes/verify';
import { LABEL_PRESET_IDS, labelGeometry, MIN_MODULE_MM, presetLayout } from '../../../worker/qr/label-layouts';
import { labelSheetPdf } from '../../../worker/qr/labels-pdf';
import { scanLabels } from './label-scan';
import { readAll, run, tempDir, tool, writeTemp } from './tools';

// Every preset as it leaves the service: real signed codes, the first page rendered at the
// printer's resolution (300 dpi for A4 sheets, 203 dpi for thermal rolls), each label read by
// zbarimg and the code it reads checked by the service's own verifier.

const BASE = 'https://ocop.binhphuoc.gov.vn';
let ring: KeyRing;

beforeAll(async () => {
  for (const t of ['zbarimg', 'pdftoppm', 'pdftotext', 'pdfinfo'] as const) tool(t);
  ring = await KeyRing.fromJwkSet({ keys: [await generateSigningKey(3)] });
});

describe.each(LABEL_PRESET_IDS)('preset %s', (id) => {
  it('prints a first page whose every code decodes and verifies, beside the call to scan and the product', async () => {
    const layout = presetLayout(id);
    const geo = labelGeometry(layout);
    expect(geo.moduleMm).toBeGreaterThanOrEqual(MIN_MODULE_MM);
    // One label more than a page: the first page is full, the second exists.
    const batch = { id: 4242, key_number: 3, quantity: geo.perPage + 1, lot_code: 'HD-2025-07' };
    const pdf = await readAll(
      labelSheetPdf({
        labels: batchUrls(ring, batch, BASE),
        total: batch.quantity,
        productName: 'Hạt điều rang muối vỏ lụa',
        stars: 4,
        lot: batch.lot_code,
        certificateNumber: 'BP-OCOP-5S-2023-001',
        producerName: 'HTX Nông nghiệp Điều Bù Đốp',
        layout,
      }),
    );
    const file = writeTemp(tempDir(), `${id}.pdf`, pdf);
    const info = run(tool('pdfinfo'), [file]);
    expect(Number(/^Pages:\s+(\d+)$/m.exec(info)![1])).toBe(2);
    const [w, h] = /^Page size:\s+([\d.]+) x ([\d.]+) pts/m.exec(info)!.slice(1).map(Number) as [number, number];
    expect([Math.round((w * 25.4) / 72), Math.round((h * 25.4) / 72)]).toEqual(layout.page === 'roll' ? [layout.labelWidthMm, layout.labelHeightMm] : [210, 297]);

    const found = scanLabels(file, layout, 1, layout.page === 'roll' ? 203 : 300);
    expect(found).toHaveLength(geo.perPage);
    for (const [i, symbols] of found.entries()) {
      expect(symbols, `label ${i + 1}`).toHaveLength(1);
      const verdict = await verifyPackageCode(ring, symbols[0]!);
      expect(verdict.ok && verdict.ref.batchId === batch.id && verdict.ref.serial === i + 1, `label ${i + 1}`).toBe(true);
    }
    const text = run(tool('pdftotext'), ['-f', '1', '-l', '1', file, '-']).replace(/\s+/g, ' ');
    expect(text).toContain('Quét để');
    expect(text).toContain('Hạt điều');
  });
});
