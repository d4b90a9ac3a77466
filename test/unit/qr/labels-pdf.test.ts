import { beforeAll, describe, expect, it } from 'vitest';
import { DENSE_GRID_MESSAGE, labelGeometry, labelSheetPdf, type LabelLayout, type LabelSheetInput } from '../../../worker/qr/labels-pdf';
import { BASE_32, BASE_REAL, fromArray, packageUrl, readAll, renderGray, run, tempDir, tool, writePgmCrop, writeTemp, zbarDecode } from './tools';

type Label = { url: string; serial: number };

function labels(n: number, base = BASE_32, first = 1000): Label[] {
  return Array.from({ length: n }, (_, i) => ({ url: packageUrl(base), serial: first + i }));
}

async function pdf(input: Partial<LabelSheetInput> & { labels: AsyncIterable<Label> }): Promise<string> {
  const bytes = await readAll(
    labelSheetPdf({ total: 0, productName: 'Hạt điều rang muối', stars: 4, lot: 'HD-2025-07', ...input }),
  );
  return writeTemp(tempDir(), 'labels.pdf', bytes);
}

/**
 * Renders page `page` at `dpi` and decodes every label on it. zbarimg is given the page cut
 * into its label cells: on a whole page with many symbols in a grid it drops about 2% of them
 * (mchehab/zbar#182, grid-aligned symbols), though each one decodes on its own; a phone scans
 * one label at a time, so the cell is the honest unit.
 */
function scanLabels(file: string, layout: LabelLayout = {}, page = 1, dpi = 150): string[][] {
  const g = labelGeometry(layout);
  const img = renderGray(file, page, dpi);
  const px = dpi / 25.4;
  const dir = tempDir();
  const found: string[][] = [];
  for (let r = 0; r < g.rows; r++) {
    for (let c = 0; c < g.columns; c++) {
      const x = (g.marginMm + c * (g.cellWmm + g.gapMm)) * px;
      const y = (g.marginMm + r * (g.cellHmm + g.gapMm)) * px;
      found.push(zbarDecode(writePgmCrop(img, `${dir}/cell-${r}-${c}.pgm`, x, y, g.cellWmm * px, g.cellHmm * px)));
    }
  }
  return found;
}

function pageCount(file: string): number {
  return Number(/^Pages:\s+(\d+)$/m.exec(run(tool('pdfinfo'), [file]))![1]);
}

function text(file: string, page?: number): string {
  const range = page ? ['-f', String(page), '-l', String(page)] : [];
  return run(tool('pdftotext'), [...range, file, '-']);
}

describe('labelSheetPdf', () => {
  beforeAll(() => {
    for (const t of ['zbarimg', 'pdftoppm', 'pdftotext', 'pdfinfo', 'pdffonts'] as const) tool(t);
  });

  it('prints 21 scannable labels on page 1: zbarimg reads every QR at 150 dpi, in order, with the right URL', async () => {
    const input = labels(21, BASE_32).map((l, i) => (i % 2 ? { ...l, url: packageUrl(BASE_REAL) } : l));
    const file = await pdf({ labels: fromArray(input), total: 21 });
    expect(scanLabels(file)).toEqual(input.map((l) => [l.url]));
  });

  it('puts labels 22 onwards on page 2, with empty cells after the last', async () => {
    const input = labels(25);
    const file = await pdf({ labels: fromArray(input) });
    const page2 = scanLabels(file, {}, 2);
    expect(page2.slice(0, 4)).toEqual(input.slice(21).map((l) => [l.url]));
    expect(page2.slice(4).every((found) => found.length === 0)).toBe(true);
  });

  it('has selectable Vietnamese text with full diacritics, stars, lot and serials', async () => {
    const file = await pdf({ labels: fromArray(labels(3)), productName: 'Hạt điều rang muối' });
    const flat = text(file).replace(/\s+/g, ' ');
    expect(flat).toContain('Hạt điều rang muối');
    expect(flat).toContain('4 sao OCOP');
    expect(flat).toContain('Lô: HD-2025-07');
    for (const serial of ['Số: 1000', 'Số: 1001', 'Số: 1002']) expect(flat).toContain(serial);

    const other = await pdf({ labels: fromArray(labels(1)), productName: 'Điều mật ong', stars: 5, lot: 'ĐMO/2025-Ư' });
    const flat2 = text(other).replace(/\s+/g, ' ');
    expect(flat2).toContain('Điều mật ong');
    expect(flat2).toContain('5 sao OCOP');
    expect(flat2).toContain('Lô: ĐMO/2025-Ư');
  });

  it('accepts decomposed (NFD) product names and prints them as the same letters', async () => {
    const file = await pdf({ labels: fromArray(labels(1)), productName: 'Điều mật ong'.normalize('NFD') });
    expect(text(file).normalize('NFC').replace(/\s+/g, ' ')).toContain('Điều mật ong');
  });

  it('embeds its Vietnamese font (subset, with a ToUnicode map)', async () => {
    const file = await pdf({ labels: fromArray(labels(1)) });
    const fonts = run(tool('pdffonts'), [file]);
    const rows = fonts.split('\n').filter((l) => l.includes('BeVietnamPro'));
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row).toMatch(/CID TrueType\s+Identity-H\s+yes yes yes/);
  });

  it('has ceil(N / labels per page) pages', async () => {
    expect(pageCount(await pdf({ labels: fromArray(labels(21)) }))).toBe(1);
    expect(pageCount(await pdf({ labels: fromArray(labels(22)) }))).toBe(2);
    expect(pageCount(await pdf({ labels: fromArray(labels(50)) }))).toBe(3);
    const custom = { columns: 2, rows: 4, gapMm: 3 };
    expect(pageCount(await pdf({ labels: fromArray(labels(9)), layout: custom }))).toBe(2);
  });

  it('keeps scanning with a custom grid and gaps between labels', async () => {
    const input = labels(8);
    const layout = { columns: 2, rows: 4, gapMm: 3, marginMm: 8 };
    const file = await pdf({ labels: fromArray(input), layout });
    expect(scanLabels(file, layout)).toEqual(input.map((l) => [l.url]));
  });

  it('reports progress after each page', async () => {
    const progress: [number, number][] = [];
    await pdf({ labels: fromArray(labels(50)), total: 50, onProgress: (d, t) => progress.push([d, t]) });
    expect(progress).toEqual([[21, 50], [42, 50], [50, 50]]);
  });

  it('rejects a grid so dense that the QR would be under 20 mm, in Vietnamese first', () => {
    const dense = () => labelSheetPdf({ labels: fromArray(labels(1)), total: 1, productName: 'x', stars: 3, lot: 'x', layout: { columns: 4, rows: 10 } });
    expect(dense).toThrow(RangeError);
    expect(dense).toThrow(DENSE_GRID_MESSAGE);
    expect(DENSE_GRID_MESSAGE).toBe('Lưới nhãn quá dày: mã QR phải rộng ít nhất 20 mm / Grid too dense: QR must be at least 20 mm');
    expect(() => labelGeometry({ columns: 8, rows: 7 })).toThrow(DENSE_GRID_MESSAGE);
    expect(() => labelGeometry({ marginMm: 50, rows: 9 })).toThrow(DENSE_GRID_MESSAGE);
  });

  it('keeps the default grid at 3 x 7 with a QR of at least 20 mm', () => {
    const g = labelGeometry();
    expect([g.columns, g.rows, g.perPage]).toEqual([3, 7, 21]);
    expect(g.qrSymbolMm).toBeGreaterThanOrEqual(20);
    expect(g.qrBoxMm).toBeLessThanOrEqual(g.cellHmm);
  });

  it('rejects malformed layouts and star counts', () => {
    expect(() => labelGeometry({ columns: 0 })).toThrow(RangeError);
    expect(() => labelGeometry({ rows: 2.5 })).toThrow(RangeError);
    expect(() => labelGeometry({ marginMm: -1 })).toThrow(RangeError);
    expect(() => labelGeometry({ gapMm: Number.NaN })).toThrow(RangeError);
    for (const stars of [0, 6, 3.5]) {
      expect(() => labelSheetPdf({ labels: fromArray(labels(1)), total: 1, productName: 'x', stars, lot: 'x' })).toThrow(RangeError);
    }
  });

  it('errors the stream when there are no labels or a label cannot be encoded', async () => {
    await expect(pdf({ labels: fromArray([]) })).rejects.toThrow(RangeError);
    await expect(pdf({ labels: fromArray([{ url: '', serial: 1 }]) })).rejects.toThrow(RangeError);
  });

  it('reads labels only as pages are consumed', async () => {
    let produced = 0;
    async function* many(): AsyncGenerator<Label> {
      for (let i = 0; i < 100_000; i++) {
        produced++;
        yield { url: packageUrl(BASE_32, 'A'.repeat(119)), serial: i };
      }
    }
    const reader = labelSheetPdf({ labels: many(), total: 100_000, productName: 'x', stars: 3, lot: 'x' }).getReader();
    for (let i = 0; i < 20; i++) await reader.read();
    await new Promise((r) => setTimeout(r, 20));
    expect(produced).toBeLessThanOrEqual(21 * 6);
    await reader.cancel();
  });
});
