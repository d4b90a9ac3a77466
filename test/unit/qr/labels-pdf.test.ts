import { inflateSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { LabelLayoutError, presetLayout, resolveLabelLayout } from '../../../worker/qr/label-layouts';
import { labelSheetPdf, type LabelSheetInput } from '../../../worker/qr/labels-pdf';
import { scanLabels } from './label-scan';
import { BASE_32, BASE_REAL, fromArray, packageUrl, readAll, run, tempDir, tool, writeTemp } from './tools';

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

function pageCount(file: string): number {
  return Number(/^Pages:\s+(\d+)$/m.exec(run(tool('pdfinfo'), [file]))![1]);
}

/** The page content streams, inflated. */
function contentOps(pdfBytes: Uint8Array): string {
  const latin = Buffer.from(pdfBytes).toString('latin1');
  let out = '';
  for (const m of latin.matchAll(/<< \/Filter \/FlateDecode \/Length (\d+) >>\nstream\n/g)) {
    const start = m.index + m[0].length;
    out += inflateSync(Buffer.from(pdfBytes.subarray(start, start + Number(m[1])))).toString('latin1');
  }
  return out;
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
    const page2 = scanLabels(file, undefined, 2);
    expect(page2.slice(0, 4)).toEqual(input.slice(21).map((l) => [l.url]));
    expect(page2.slice(4).every((found) => found.length === 0)).toBe(true);
  });

  it('has selectable Vietnamese text with full diacritics, stars, lot and serials', async () => {
    const file = await pdf({ labels: fromArray(labels(3)), productName: 'Hạt điều rang muối' });
    const flat = text(file).replace(/\s+/g, ' ');
    expect(flat).toContain('Hạt điều rang muối');
    expect(flat).toContain('4 sao');
    expect(flat).toContain('Lô: HD-2025-07');
    for (const serial of ['Số: 1000', 'Số: 1001', 'Số: 1002']) expect(flat).toContain(serial);

    const other = await pdf({ labels: fromArray(labels(1)), productName: 'Điều mật ong', stars: 5, lot: 'ĐMO/2025-Ư' });
    const flat2 = text(other).replace(/\s+/g, ' ');
    expect(flat2).toContain('Điều mật ong');
    expect(flat2).toContain('5 sao');
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
    const custom = resolveLabelLayout({ columns: 2, rows: 4, gapX: 3, gapY: 3 });
    expect(pageCount(await pdf({ labels: fromArray(labels(9)), layout: custom }))).toBe(2);
  });

  it('keeps scanning with a custom grid and gaps between labels', async () => {
    const input = labels(8);
    const layout = resolveLabelLayout({ columns: 2, rows: 4, gapX: 3, gapY: 3, marginLeft: 8, marginTop: 8 });
    const file = await pdf({ labels: fromArray(input), layout });
    expect(scanLabels(file, layout)).toEqual(input.map((l) => [l.url]));
  });

  it('reports progress after each page', async () => {
    const progress: [number, number][] = [];
    await pdf({ labels: fromArray(labels(50)), total: 50, onProgress: (d, t) => progress.push([d, t]) });
    expect(progress).toEqual([[21, 50], [42, 50], [50, 50]]);
  });

  it('refuses a plain-paper grid so dense that QR modules would be under 0.396 mm, naming the field and what to pick', () => {
    expect(() => resolveLabelLayout({ columns: 8, rows: 7 })).toThrow(LabelLayoutError);
    expect(() => resolveLabelLayout({ columns: 4, rows: 14 })).toThrow(/mỗi ô mã chỉ còn 0,3\d* mm, dưới mức tối thiểu 0,396 mm.*65 nhãn\/tờ/);
    try {
      resolveLabelLayout({ columns: 8, rows: 7 });
    } catch (error) {
      expect(error).toMatchObject({ field: 'columns' });
    }
  });

  it('defaults to the 21-per-sheet A4 preset, without cutting lines on pre-cut stock', async () => {
    const file = await pdf({ labels: fromArray(labels(21)) });
    expect(scanLabels(file, presetLayout('a4-21'))).toHaveLength(21);
    // Plain paper gets dashed lines to cut along; pre-cut stock must not (they would print on the labels' edges).
    const plain = await readAll(labelSheetPdf({ labels: fromArray(labels(1)), total: 1, productName: 'x', stars: 3, lot: 'x', layout: resolveLabelLayout({ columns: 3, rows: 7 }) }));
    const precut = await readAll(labelSheetPdf({ labels: fromArray(labels(1)), total: 1, productName: 'x', stars: 3, lot: 'x', layout: presetLayout('a4-21') }));
    expect(contentOps(plain)).toContain('[2 2] 0 d');
    expect(contentOps(precut)).not.toContain('[2 2] 0 d');
  });

  it('rejects star counts outside 1-5', () => {
    for (const stars of [0, 6, 3.5]) {
      expect(() => labelSheetPdf({ labels: fromArray(labels(1)), total: 1, productName: 'x', stars, lot: 'x' })).toThrow(RangeError);
    }
  });

  it('errors the stream when there are no labels or a label cannot be encoded', async () => {
    await expect(pdf({ labels: fromArray([]) })).rejects.toThrow(RangeError);
    await expect(pdf({ labels: fromArray([{ url: '', serial: 1 }]) })).rejects.toThrow(RangeError);
    // A URL past version 6 would shrink the modules of the smallest label under 0.396 mm: refused, not printed.
    const long = { url: packageUrl(`${BASE_32}/EXTRA-PATH-SEGMENTS-FOR-A-LONGER-URL`), serial: 1 };
    await expect(pdf({ labels: fromArray([long]), layout: presetLayout('a4-65') })).rejects.toThrow('Code too long for this label');
    expect(await pdf({ labels: fromArray([long]), layout: presetLayout('a4-21') })).toMatch(/labels\.pdf$/);
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
