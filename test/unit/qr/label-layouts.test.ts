import { describe, expect, it } from 'vitest';
import { A4, labelGeometry, labelLayoutQuery, LABEL_PRESET_IDS, LABEL_PRESETS, MIN_LABEL_MM, MIN_MODULE_MM, presetLayout, QR_BOX_MODULES, resolveLabelLayout } from '../../../worker/qr/label-layouts';

/** What the print form, the API and the CLI send: strings. */
function parse(query: Record<string, string>) {
  return labelLayoutQuery.safeParse(query);
}

function refusal(query: Record<string, string>): { field: string; message: string } {
  const r = parse(query);
  expect(r.success, JSON.stringify(query)).toBe(false);
  const issue = r.error!.issues[0]!;
  return { field: String(issue.path[0]), message: issue.message };
}

describe('label presets', () => {
  it.each(LABEL_PRESET_IDS.filter((id) => id.startsWith('a4-')))('%s: margins, labels and gaps add up to A4 exactly, the sheet symmetric', (id) => {
    const l = presetLayout(id);
    const width = 2 * l.marginLeftMm + l.columns * l.labelWidthMm + (l.columns - 1) * l.gapXMm;
    const height = 2 * l.marginTopMm + l.rows * l.labelHeightMm + (l.rows - 1) * l.gapYMm;
    expect(width).toBeCloseTo(A4.widthMm, 1);
    expect(height).toBeCloseTo(A4.heightMm, 1);
    expect(l.columns * l.rows).toBe(Number(id.slice(3)));
    expect(l.cuttingGuides).toBe(false);
  });

  it('roll presets are one label per page, the page the size of the label', () => {
    for (const id of ['roll-50x30', 'roll-40x30'] as const) {
      const l = presetLayout(id);
      expect([l.pageWidthMm, l.pageHeightMm, l.columns, l.rows, l.marginLeftMm, l.marginTopMm]).toEqual([l.labelWidthMm, l.labelHeightMm, 1, 1, 0, 0]);
    }
    expect(presetLayout('roll-50x30')).toMatchObject({ labelWidthMm: 50, labelHeightMm: 30 });
    expect(presetLayout('roll-40x30')).toMatchObject({ labelWidthMm: 40, labelHeightMm: 30 });
  });

  it('gives every preset QR modules of at least 0.396 mm, the smallest (65 per sheet) exactly 0.4 mm', () => {
    for (const id of LABEL_PRESET_IDS) expect(labelGeometry(presetLayout(id)).moduleMm).toBeGreaterThanOrEqual(MIN_MODULE_MM);
    expect(labelGeometry(presetLayout('a4-65')).moduleMm).toBeCloseTo(0.4, 6);
    expect(QR_BOX_MODULES).toBe(49); // version 6: 41 modules, and 4 of quiet zone on each side
    expect(LABEL_PRESETS['a4-65'].vi).toContain('38,1 × 21,2 mm');
  });
});

describe('the layout schema (form, API, CLI)', () => {
  it('defaults to 21 per sheet, and takes a preset by name ignoring custom fields', () => {
    expect(parse({}).data).toEqual({});
    expect(resolveLabelLayout(parse({}).data!)).toMatchObject({ preset: 'a4-21', columns: 3, rows: 7 });
    expect(resolveLabelLayout(parse({ preset: 'a4-65', labelWidth: '10' }).data!)).toMatchObject({ preset: 'a4-65', labelWidthMm: 38.1 });
    expect(resolveLabelLayout(parse({ preset: 'a4-40', page: 'a4' }).data!)).toMatchObject({ preset: 'a4-40' });
  });

  it('fits as many custom labels as the page holds and centres them, reading decimal commas', () => {
    const l = resolveLabelLayout(parse({ preset: 'custom', labelWidth: '70', labelHeight: '42,3' }).data!);
    expect(l).toMatchObject({ preset: 'custom', page: 'a4', columns: 3, rows: 7, labelHeightMm: 42.3, cuttingGuides: false });
    expect(l.marginLeftMm).toBeCloseTo(0, 6);
    expect(l.marginTopMm).toBeCloseTo((297 - 7 * 42.3) / 2, 6);
    const given = resolveLabelLayout(parse({ labelWidth: '60', labelHeight: '30', columns: '2', rows: '5', marginLeft: '12', marginTop: '15.5', gapX: '3', gapY: '2' }).data!);
    expect(given).toMatchObject({ columns: 2, rows: 5, marginLeftMm: 12, marginTopMm: 15.5, gapXMm: 3, gapYMm: 2 });
  });

  it('keeps plain paper: columns and rows alone divide A4 inside 10 mm margins, with cutting lines', () => {
    const l = resolveLabelLayout(parse({ columns: '2', rows: '5' }).data!);
    expect(l).toMatchObject({ columns: 2, rows: 5, marginLeftMm: 10, cuttingGuides: true, labelWidthMm: 95 });
  });

  it('takes a custom roll, one label per page', () => {
    expect(resolveLabelLayout(parse({ preset: 'custom', page: 'roll', labelWidth: '60', labelHeight: '40' }).data!)).toMatchObject({ page: 'roll', pageWidthMm: 60, pageHeightMm: 40, columns: 1, rows: 1 });
    expect(refusal({ page: 'roll', labelWidth: '60' })).toMatchObject({ field: 'labelHeight', message: expect.stringContaining('Cuộn nhãn cần chiều cao nhãn') });
    expect(refusal({ page: 'roll', labelWidth: '150', labelHeight: '40' }).message).toContain('rộng tối đa 120 mm');
  });

  it('refuses negative, zero and non-numeric sizes in Vietnamese first, on their field', () => {
    expect(refusal({ labelWidth: '-5', labelHeight: '30' })).toEqual({ field: 'labelWidth', message: 'Chiều rộng nhãn phải là số dương, tối đa 300 mm / Label width must be a positive number, at most 300 mm' });
    expect(refusal({ labelWidth: '50', labelHeight: '0' }).field).toBe('labelHeight');
    expect(refusal({ labelWidth: 'abc', labelHeight: '30' }).field).toBe('labelWidth');
    expect(refusal({ labelWidth: '50', labelHeight: '30', gapX: '-1' })).toEqual({ field: 'gapX', message: 'Khoảng cách ngang phải từ 0 đến 100 mm / Horizontal gap must be 0 to 100 mm' });
    expect(refusal({ marginTop: 'Infinity', columns: '2' }).field).toBe('marginTop');
    expect(refusal({ columns: '2.5' })).toEqual({ field: 'columns', message: 'Số cột phải là số nguyên từ 1 đến 20 / columns must be 1 to 20' });
    expect(refusal({ preset: 'a4-99' }).message).toContain('Mẫu nhãn phải là một trong: a4-21');
    expect(refusal({ preset: 'custom' })).toMatchObject({ field: 'labelWidth', message: expect.stringContaining('Mẫu tùy chỉnh cần kích thước nhãn') });
    expect(refusal({ preset: 'custom', labelWidth: '50' })).toEqual({ field: 'labelHeight', message: 'Cần cả chiều cao nhãn (mm) / The label height (mm) is needed too' });
    expect(refusal({ preset: 'custom', labelHeight: '30', columns: '2' }).field).toBe('labelWidth');
  });

  it('refuses layouts that do not fit the page, saying by how much and how many would', () => {
    const wide = refusal({ labelWidth: '70', labelHeight: '40', columns: '3', marginLeft: '5' });
    expect(wide.field).toBe('columns');
    expect(wide.message).toContain('Không vừa khổ A4: lề trái + 3 cột × 70 mm + khoảng cách = 215 mm, quá 210 mm. Tối đa 2 cột');
    expect(refusal({ labelWidth: '50', labelHeight: '40', marginTop: '140' }).field).toBe('marginTop');
    expect(refusal({ labelWidth: '220', labelHeight: '40' }).message).toContain('Chiều rộng nhãn lớn hơn khổ A4 (210 mm)');
    expect(refusal({ labelWidth: '50', labelHeight: '40', rows: '8', gapY: '2' }).message).toContain('Tối đa 7 hàng');
    expect(refusal({ columns: '3', rows: '7', marginLeft: '100' }).field).toBe('columns');
  });

  it('refuses labels whose QR modules would be under 0.396 mm, saying what to pick instead', () => {
    const small = refusal({ labelWidth: '38.1', labelHeight: '20' });
    expect(small.field).toBe('labelHeight');
    expect(small.message).toBe(
      'Nhãn 38,1 × 20 mm quá nhỏ cho mã QR: mỗi ô mã chỉ còn 0,375 mm, dưới mức tối thiểu 0,396 mm để điện thoại đọc được trên bao bì. ' +
        `Hãy chọn nhãn ít nhất 36,9 × 21,1 mm, ví dụ mẫu A4 65 nhãn/tờ (38,1 × 21,2 mm; 5 × 13) hoặc cuộn 40 × 30 mm / ` +
        'Label 38.1 × 20 mm is too small for the QR: modules would be 0.375 mm, under the 0.396 mm a phone reads from a pack. ' +
        'Pick a label of at least 36.9 × 21.1 mm, e.g. A4 65 per sheet (38.1 × 21.2 mm) or a 40 × 30 mm roll',
    );
    expect(refusal({ page: 'roll', labelWidth: '30', labelHeight: '30' }).field).toBe('labelWidth');
    expect(refusal({ columns: '6', rows: '7' }).field).toBe('columns'); // plain paper: fewer columns
    expect(refusal({ columns: '3', rows: '14' }).field).toBe('rows');
    // The stated minimum is the truth: just at it passes, just under it is refused.
    expect(parse({ labelWidth: String(MIN_LABEL_MM.widthMm), labelHeight: String(MIN_LABEL_MM.heightMm) }).success).toBe(true);
    expect(parse({ labelWidth: String(MIN_LABEL_MM.widthMm), labelHeight: String(MIN_LABEL_MM.heightMm - 0.1) }).success).toBe(false);
    expect(parse({ labelWidth: String(MIN_LABEL_MM.widthMm - 0.1), labelHeight: '30' }).success).toBe(false);
  });
});
