import { describe, expect, it } from 'vitest';
import { regular, semibold } from '../../../worker/qr/font-data';
import { labelGeometry, presetLayout, type LabelPresetId } from '../../../worker/qr/label-layouts';
import { fitLabelText, LABEL_FIELDS, MIN_TEXT_PT, SCAN_CALL, type FittedText, type LabelFacts } from '../../../worker/qr/label-text';
import { PdfFont } from '../../../worker/qr/pdf-font';

const fonts = { regular: new PdfFont(regular, 'T1'), bold: new PdfFont(semibold, 'T2') };
const MM = 72 / 25.4;

const FULL: LabelFacts = {
  productName: 'Hạt điều rang muối',
  stars: 4,
  lot: 'HD-2025-07',
  certificateNumber: 'BP-OCOP-5S-2023-001',
  producerName: 'HTX Nông nghiệp Điều Bù Đốp',
};

function fit(id: LabelPresetId, facts: LabelFacts = FULL): { t: FittedText; w: number; h: number } {
  const g = labelGeometry(presetLayout(id));
  const w = g.textWidthMm * MM;
  const h = g.textHeightMm * MM;
  return { t: fitLabelText(facts, w, h, fonts), w, h };
}

/** The printed words of a field, lines joined by a space. */
function words(t: FittedText, field: string): string {
  return t.lines
    .filter((l) => l.field === field)
    .map((l) => toText(l.glyphs, l.font))
    .join(' ');
}

function toText(glyphs: number[], font: 'regular' | 'bold'): string {
  // Glyph ids back to text through the font's own map, as a PDF reader does with ToUnicode.
  const cmap = fonts[font].toUnicodeCMap();
  const map = new Map<number, string>();
  for (const m of cmap.matchAll(/<([0-9A-F]{4})> <([0-9A-F]+)>/g)) map.set(parseInt(m[1]!, 16), String.fromCharCode(...m[2]!.match(/.{4}/g)!.map((h) => parseInt(h, 16))));
  return glyphs.map((g) => map.get(g) ?? '?').join('');
}

function expectInside({ t, w, h }: { t: FittedText; w: number; h: number }): void {
  expect(t.height).toBeLessThanOrEqual(h);
  for (const line of t.lines) {
    expect(line.size).toBeGreaterThanOrEqual(MIN_TEXT_PT);
    expect(fonts[line.font].width(line.glyphs, line.size) + (line.stars ? line.stars.count * line.stars.diameter * 1.2 : 0)).toBeLessThanOrEqual(w + 1e-6);
  }
}

describe('label text fitting', () => {
  it('prints every field, in priority order, on the large labels (21 and 24 per sheet, 50 × 30 roll)', () => {
    for (const id of ['a4-21', 'a4-24', 'roll-50x30'] as const) {
      const r = fit(id);
      expect(r.t.fields, id).toEqual([...LABEL_FIELDS]);
      expect(r.t.dropped).toEqual([]);
      expectInside(r);
      expect(words(r.t, 'cta')).toBe(SCAN_CALL);
      expect(words(r.t, 'name')).toBe('Hạt điều rang muối');
      expect(words(r.t, 'certificate').replace(/- /g, '-')).toBe('BP-OCOP-5S-2023-001');
      expect(words(r.t, 'producer')).toBe('HTX Nông nghiệp Điều Bù Đốp');
      expect(words(r.t, 'lot').replace(/- /g, '-')).toBe('Lô: HD-2025-07');
      expect(words(r.t, 'serial')).toBe('Số: 8888888');
    }
  });

  it('shrinks before it drops, and drops from the end of the priority list only', () => {
    const big = fit('a4-21').t;
    const small = fit('a4-65');
    expect(small.t.size).toBeLessThan(big.size);
    expect(small.t.dropped.length).toBeGreaterThan(0);
    expect([...small.t.fields, ...small.t.dropped]).toEqual([...LABEL_FIELDS]);
    expect(small.t.fields.slice(0, 3)).toEqual(['cta', 'name', 'stars']);
    expectInside(small);
  });

  it('never cuts a certificate number or lot: they wrap after a hyphen or are left out', () => {
    for (const id of ['a4-40', 'a4-65', 'roll-40x30'] as const) {
      const r = fit(id);
      expectInside(r);
      for (const field of ['certificate', 'lot', 'serial']) {
        const printed = words(r.t, field);
        expect(printed, `${id} ${field}`).not.toContain('…');
      }
      if (r.t.fields.includes('certificate')) expect(words(r.t, 'certificate').replace(/- /g, '-')).toBe('BP-OCOP-5S-2023-001');
    }
  });

  it('wraps a long Vietnamese product name on two lines, smaller, before cutting it', () => {
    const medium = 'Mật ong hoa cà phê Bình Phước nguyên chất';
    const r = fit('a4-21', { ...FULL, productName: medium });
    expect(words(r.t, 'name')).toBe(medium);
    expect(r.t.lines.filter((l) => l.field === 'name')).toHaveLength(2);
    expectInside(r);

    // Too long for two lines even alone at 6 pt: a third line, before anything is cut, at the cost of lower fields.
    const longer = 'Hạt điều rang muối vỏ lụa Bình Phước loại đặc biệt';
    const three = fit('a4-40', { ...FULL, productName: longer });
    expect(words(three.t, 'name')).toBe(longer);
    expect(three.t.lines.filter((l) => l.field === 'name')).toHaveLength(3);
    expect(three.t.dropped.length).toBeGreaterThan(0);
    expectInside(three);

    const long = 'Hạt điều rang muối vỏ lụa loại đặc biệt xuất khẩu của Hợp tác xã Nông nghiệp Dịch vụ Thương mại Bù Đốp tỉnh Bình Phước';
    const cut = fit('a4-40', { ...FULL, productName: long });
    const name = words(cut.t, 'name');
    expect(name.endsWith('…')).toBe(true);
    expect(long.startsWith(name.slice(0, -1).trim())).toBe(true);
    expect(cut.t.lines.filter((l) => l.field === 'name')).toHaveLength(3);
    expect(cut.t.fields.slice(0, 2)).toEqual(['cta', 'name']);
    expectInside(cut);
  });

  it('balances the call to scan over two lines on narrow labels', () => {
    const r = fit('a4-65');
    const lines = r.t.lines.filter((l) => l.field === 'cta').map((l) => toText(l.glyphs, 'bold'));
    expect(lines).toEqual(['Quét để', 'kiểm tra']);
  });

  it('leaves out facts it does not have rather than printing blanks', () => {
    const r = fit('a4-21', { productName: 'Trà mãng cầu', stars: 3, lot: 'TMC-01' });
    expect(r.t.fields).toEqual(['cta', 'name', 'stars', 'lot', 'serial']);
    expect(r.t.dropped).toEqual([]);
  });

  it('prints decomposed (NFD) Vietnamese as the same letters', () => {
    const r = fit('a4-21', { ...FULL, productName: 'Điều mật ong'.normalize('NFD') });
    expect(words(r.t, 'name')).toBe('Điều mật ong');
  });
});
