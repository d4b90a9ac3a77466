import { z } from 'zod';

// The one home of label layouts: the presets for the label stock sold in Vietnam, the schema
// that the admin print form, the admin API and the CLI all read (`labelLayoutQuery`), and the
// geometry the PDF is drawn from. Every length is in millimetres.

/** A4, portrait. */
export const A4 = { widthMm: 210, heightMm: 297 } as const;

/**
 * Version 6 at level M holds every package URL (alphanumeric, up to 154 characters with a
 * 32-character base); labels force version 6 so every symbol on a sheet has the same size.
 */
export const LABEL_QR_VERSION = 6;
/** ISO/IEC 18004 asks for 4 light modules around the symbol. */
export const QUIET_ZONE_MODULES = 4;
/** 41 modules of the symbol plus the quiet zone on both sides: 49. */
export const QR_BOX_MODULES = LABEL_QR_VERSION * 4 + 17 + 2 * QUIET_ZONE_MODULES;
/**
 * Smallest printed module (X-dimension): 0.396 mm is GS1's minimum for QR codes read at retail
 * point of sale and by shoppers' phones (GS1 General Specifications 5.12.3.1); at 203 dpi, the
 * coarsest thermal printers, it is still 3 printer dots per module.
 */
export const MIN_MODULE_MM = 0.396;
/**
 * Nothing dark within this distance of a label's edge: home printers and label sheets are
 * placed to about ±0.5-1 mm, and a shifted print must not lose the quiet zone to the cut.
 */
export const EDGE_MM = 0.8;
/** The QR (with quiet zone) takes at most this share of the label's width: the rest is text. */
export const QR_MAX_SHARE = 0.55;
/** Larger QR codes only cost text space: phones read 40 mm from well over a metre. */
export const QR_MAX_MM = 40;

/** The smallest label a QR at MIN_MODULE_MM fits on, rounded up to 0.1 mm. */
export const MIN_LABEL_MM = {
  heightMm: Math.ceil((QR_BOX_MODULES * MIN_MODULE_MM + 2 * EDGE_MM) * 10) / 10,
  widthMm: Math.ceil(((QR_BOX_MODULES * MIN_MODULE_MM) / QR_MAX_SHARE + 2 * EDGE_MM) * 10) / 10,
} as const;

/** A layout resolved to lengths: what the PDF is drawn from. */
export interface LabelLayout {
  /** Preset id, or `custom`. */
  preset: LabelPresetId | 'custom';
  /** `a4` sheets, or `roll`: one label per page, the page the label's size (thermal printers). */
  page: 'a4' | 'roll';
  pageWidthMm: number;
  pageHeightMm: number;
  labelWidthMm: number;
  labelHeightMm: number;
  columns: number;
  rows: number;
  marginLeftMm: number;
  marginTopMm: number;
  gapXMm: number;
  gapYMm: number;
  /** Dashed cutting lines: only on plain paper cut by hand, never on pre-cut stock. */
  cuttingGuides: boolean;
}

interface Preset {
  vi: string;
  en: string;
  layout: Omit<LabelLayout, 'preset' | 'cuttingGuides'>;
}

function sheet(labelWidthMm: number, labelHeightMm: number, columns: number, rows: number, marginLeftMm: number, marginTopMm: number, gapXMm: number, gapYMm: number): Preset['layout'] {
  return { page: 'a4', pageWidthMm: A4.widthMm, pageHeightMm: A4.heightMm, labelWidthMm, labelHeightMm, columns, rows, marginLeftMm, marginTopMm, gapXMm, gapYMm };
}

function roll(labelWidthMm: number, labelHeightMm: number): Preset['layout'] {
  return { page: 'roll', pageWidthMm: labelWidthMm, pageHeightMm: labelHeightMm, labelWidthMm, labelHeightMm, columns: 1, rows: 1, marginLeftMm: 0, marginTopMm: 0, gapXMm: 0, gapYMm: 0 };
}

/**
 * Pre-cut A4 sheets (Avery/Tomy geometry: the margins, labels and gaps add up to 210 × 297 mm)
 * and thermal rolls. Order: as the form lists them.
 */
export const LABEL_PRESETS = {
  'a4-21': { vi: 'A4 21 nhãn/tờ (63,5 × 38,1 mm; 3 × 7)', en: 'A4 21 per sheet (63.5 × 38.1 mm)', layout: sheet(63.5, 38.1, 3, 7, 7.21, 15.15, 2.54, 0) },
  'a4-24': { vi: 'A4 24 nhãn/tờ (64 × 33,9 mm; 3 × 8)', en: 'A4 24 per sheet (64 × 33.9 mm)', layout: sheet(64, 33.9, 3, 8, 7, 12.9, 2, 0) },
  'a4-40': { vi: 'A4 40 nhãn/tờ (48,5 × 25,4 mm; 4 × 10)', en: 'A4 40 per sheet (48.5 × 25.4 mm)', layout: sheet(48.5, 25.4, 4, 10, 8, 21.5, 0, 0) },
  'a4-65': { vi: 'A4 65 nhãn/tờ (38,1 × 21,2 mm; 5 × 13)', en: 'A4 65 per sheet (38.1 × 21.2 mm)', layout: sheet(38.1, 21.2, 5, 13, 4.67, 10.7, 2.54, 0) },
  'roll-50x30': { vi: 'Máy in nhiệt, cuộn 50 × 30 mm', en: 'Thermal roll 50 × 30 mm', layout: roll(50, 30) },
  'roll-40x30': { vi: 'Máy in nhiệt, cuộn 40 × 30 mm', en: 'Thermal roll 40 × 30 mm', layout: roll(40, 30) },
} as const satisfies Record<string, Preset>;

export type LabelPresetId = keyof typeof LABEL_PRESETS;
export const LABEL_PRESET_IDS = Object.keys(LABEL_PRESETS) as [LabelPresetId, ...LabelPresetId[]];
export const DEFAULT_PRESET: LabelPresetId = 'a4-21';

export function presetLayout(id: LabelPresetId): LabelLayout {
  return { preset: id, ...LABEL_PRESETS[id].layout, cuttingGuides: false };
}

/** Where things go on one label, relative to its top left corner. */
export interface LabelGeometry extends LabelLayout {
  perPage: number;
  /** The QR with its quiet zone: a square this wide, mm. */
  qrBoxMm: number;
  /** One printed module, mm. */
  moduleMm: number;
  /** Room for the text beside the QR, mm. */
  textWidthMm: number;
  textHeightMm: number;
}

/** A layout whose QR would be under MIN_MODULE_MM, or that does not fit its page. */
export class LabelLayoutError extends RangeError {
  constructor(
    readonly field: LabelLayoutField | 'preset',
    readonly messageVi: string,
    readonly messageEn: string,
  ) {
    super(`${messageVi} / ${messageEn}`);
  }
}

const mm = (v: number, lang: 'vi' | 'en'): string => {
  const s = (Math.round(v * 1000) / 1000).toString();
  return lang === 'vi' ? s.replace('.', ',') : s;
};

/** Label-position offsets and the QR size, or LabelLayoutError when the QR would be too small to scan. */
export function labelGeometry(layout: LabelLayout = presetLayout(DEFAULT_PRESET)): LabelGeometry {
  const innerW = layout.labelWidthMm - 2 * EDGE_MM;
  const innerH = layout.labelHeightMm - 2 * EDGE_MM;
  const qrBoxMm = Math.min(innerH, innerW * QR_MAX_SHARE, QR_MAX_MM);
  const moduleMm = qrBoxMm / QR_BOX_MODULES;
  // A float hair under the minimum (21.2 mm labels give exactly 0.4) is not a refusal.
  if (!(moduleMm >= MIN_MODULE_MM - 1e-9)) {
    const field = layout.labelHeightMm - 2 * EDGE_MM <= innerW * QR_MAX_SHARE ? 'labelHeight' : 'labelWidth';
    const size = (l: 'vi' | 'en') => `${mm(layout.labelWidthMm, l)} × ${mm(layout.labelHeightMm, l)} mm`;
    const m = (l: 'vi' | 'en') => mm(Math.floor(Math.max(0, moduleMm) * 1000) / 1000, l);
    throw new LabelLayoutError(
      layout.preset === 'custom' && layout.cuttingGuides ? (field === 'labelHeight' ? 'rows' : 'columns') : field,
      `Nhãn ${size('vi')} quá nhỏ cho mã QR: mỗi ô mã chỉ còn ${m('vi')} mm, dưới mức tối thiểu ${mm(MIN_MODULE_MM, 'vi')} mm để điện thoại đọc được trên bao bì. ` +
        `Hãy chọn nhãn ít nhất ${mm(MIN_LABEL_MM.widthMm, 'vi')} × ${mm(MIN_LABEL_MM.heightMm, 'vi')} mm, ví dụ mẫu ${LABEL_PRESETS['a4-65'].vi} hoặc cuộn 40 × 30 mm`,
      `Label ${size('en')} is too small for the QR: modules would be ${m('en')} mm, under the ${MIN_MODULE_MM} mm a phone reads from a pack. ` +
        `Pick a label of at least ${MIN_LABEL_MM.widthMm} × ${MIN_LABEL_MM.heightMm} mm, e.g. ${LABEL_PRESETS['a4-65'].en} or a 40 × 30 mm roll`,
    );
  }
  return {
    ...layout,
    perPage: layout.columns * layout.rows,
    qrBoxMm,
    moduleMm,
    textWidthMm: innerW - qrBoxMm - 0.5,
    textHeightMm: innerH,
  };
}

/** Top left corner of label `index` (0-based, row by row) on its page, mm. */
export function labelOrigin(geo: LabelLayout, index: number): { xMm: number; yMm: number } {
  const col = index % geo.columns;
  const row = Math.floor(index / geo.columns) % geo.rows;
  return { xMm: geo.marginLeftMm + col * (geo.labelWidthMm + geo.gapXMm), yMm: geo.marginTopMm + row * (geo.labelHeightMm + geo.gapYMm) };
}

// ---------------------------------------------------------------------------------------------
// The options as people and programs send them: a query string, a form, CLI flags. All strings.

export const LABEL_LAYOUT_FIELDS = ['preset', 'page', 'labelWidth', 'labelHeight', 'columns', 'rows', 'marginLeft', 'marginTop', 'gapX', 'gapY'] as const;
export type LabelLayoutField = Exclude<(typeof LABEL_LAYOUT_FIELDS)[number], 'preset'>;

/** Blank is absent; a repeated parameter counts once. */
function present(v: unknown): unknown {
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' && first.trim() === '' ? undefined : first;
}

/** Millimetres; a decimal comma (38,1) is read as a point, as Vietnamese write it. */
function length(min: number, max: number, vi: string, en: string) {
  const message = `${vi} / ${en}`;
  return z.preprocess(
    (v) => {
      const p = present(v);
      return typeof p === 'string' ? Number(p.trim().replace(',', '.')) : p;
    },
    z.number({ error: message }).refine((n) => Number.isFinite(n) && n >= min && n <= max, message).optional(),
  );
}

function count(max: number, vi: string, en: string) {
  const message = `${vi} / ${en}`;
  return z.preprocess((v) => {
    const p = present(v);
    return typeof p === 'string' ? Number(p.trim()) : p;
  }, z.number({ error: message }).int(message).min(1, message).max(max, message).optional());
}

const positive = (vi: string, en: string) => length(Number.MIN_VALUE, 300, `${vi} phải là số dương, tối đa 300 mm`, `${en} must be a positive number, at most 300 mm`);
const nonNegative = (vi: string, en: string) => length(0, 100, `${vi} phải từ 0 đến 100 mm`, `${en} must be 0 to 100 mm`);

/** The layout fields, for merging into a query schema. */
export const labelLayoutShape = {
  preset: z.preprocess(present, z.enum([...LABEL_PRESET_IDS, 'custom'], { error: `Mẫu nhãn phải là một trong: ${[...LABEL_PRESET_IDS, 'custom'].join(', ')} / Preset must be one of: ${[...LABEL_PRESET_IDS, 'custom'].join(', ')}` }).optional()),
  page: z.preprocess(present, z.enum(['a4', 'roll'], { error: 'Khổ giấy phải là a4 hoặc roll / Page must be a4 or roll' }).optional()),
  labelWidth: positive('Chiều rộng nhãn', 'Label width'),
  labelHeight: positive('Chiều cao nhãn', 'Label height'),
  columns: count(20, 'Số cột phải là số nguyên từ 1 đến 20', 'columns must be 1 to 20'),
  rows: count(30, 'Số hàng phải là số nguyên từ 1 đến 30', 'rows must be 1 to 30'),
  marginLeft: nonNegative('Lề trái', 'Left margin'),
  marginTop: nonNegative('Lề trên', 'Top margin'),
  gapX: nonNegative('Khoảng cách ngang', 'Horizontal gap'),
  gapY: nonNegative('Khoảng cách dọc', 'Vertical gap'),
};

export type LabelLayoutOptions = { preset?: LabelPresetId | 'custom' | undefined } & { [K in LabelLayoutField]?: (K extends 'page' ? 'a4' | 'roll' : number) | undefined };

/** Plain paper cut by hand: the margin when only columns and rows are given (the old grid). */
const GRID_MARGIN_MM = 10;
/** Rounding slack when a layout adds up to exactly the page. */
const SLACK_MM = 0.01;

function fail(field: LabelLayoutField | 'preset', vi: string, en: string): never {
  throw new LabelLayoutError(field, vi, en);
}

/**
 * The layout the options ask for: a preset (custom fields are then ignored), or custom. With no
 * preset and no custom field: the 21-per-sheet A4 preset. Custom A4 with a label size: as many
 * columns and rows as fit unless given, the grid centred unless margins are given; custom A4
 * with only columns and rows: plain paper divided inside 10 mm margins, with cutting lines.
 * Throws LabelLayoutError naming the field when it does not fit or the QR would be too small.
 */
export function resolveLabelLayout(o: LabelLayoutOptions): LabelLayout {
  // `page=a4` alone is what a form sends by default: it asks for nothing custom.
  const custom = LABEL_LAYOUT_FIELDS.some((k) => k !== 'preset' && k !== 'page' && o[k] !== undefined) || o.page === 'roll';
  if (o.preset !== undefined && o.preset !== 'custom') return checked(presetLayout(o.preset));
  if (!custom) {
    if (o.preset === 'custom') fail('labelWidth', 'Mẫu tùy chỉnh cần kích thước nhãn (rộng × cao, mm)', 'A custom layout needs the label size (width × height, mm)');
    return checked(presetLayout(DEFAULT_PRESET));
  }
  const page = o.page ?? 'a4';
  if (page === 'roll') {
    if (o.labelWidth === undefined) fail('labelWidth', 'Cuộn nhãn cần chiều rộng nhãn (mm)', 'A roll needs the label width (mm)');
    if (o.labelHeight === undefined) fail('labelHeight', 'Cuộn nhãn cần chiều cao nhãn (mm)', 'A roll needs the label height (mm)');
    // Desktop thermal printers print at most 4 inches (104-108 mm) wide.
    if (o.labelWidth > 120) fail('labelWidth', 'Nhãn cuộn rộng tối đa 120 mm', 'Roll labels are at most 120 mm wide');
    return checked({ preset: 'custom', ...roll(o.labelWidth, o.labelHeight), cuttingGuides: false });
  }
  // One size without the other is a half-typed form, not plain paper on one axis.
  if ((o.labelWidth === undefined) !== (o.labelHeight === undefined)) {
    if (o.labelWidth === undefined) fail('labelWidth', 'Cần cả chiều rộng nhãn (mm)', 'The label width (mm) is needed too');
    fail('labelHeight', 'Cần cả chiều cao nhãn (mm)', 'The label height (mm) is needed too');
  }
  const gapXMm = o.gapX ?? 0;
  const gapYMm = o.gapY ?? 0;
  const axis = (size: number | undefined, n: number | undefined, margin: number | undefined, gap: number, pageMm: number, which: 'x' | 'y') => {
    const vi = which === 'x' ? { size: 'Chiều rộng nhãn', n: 'cột', margin: 'lề trái', page: 'chiều ngang' } : { size: 'Chiều cao nhãn', n: 'hàng', margin: 'lề trên', page: 'chiều dọc' };
    const en = which === 'x' ? { size: 'label width', n: 'columns', margin: 'left margin', page: 'width' } : { size: 'label height', n: 'rows', margin: 'top margin', page: 'height' };
    const fields = which === 'x' ? { size: 'labelWidth', n: 'columns', margin: 'marginLeft' } as const : { size: 'labelHeight', n: 'rows', margin: 'marginTop' } as const;
    if (size === undefined) {
      // Plain paper: the cells divide the page inside the margins.
      const count = n ?? (which === 'x' ? 3 : 7);
      const m = margin ?? GRID_MARGIN_MM;
      const cell = (pageMm - 2 * m - (count - 1) * gap) / count;
      if (!(cell > 0)) fail(fields.n, `Lưới không vừa khổ A4 theo ${vi.page}: giảm số ${vi.n}, lề hoặc khoảng cách`, `The grid does not fit the A4 ${en.page}: fewer ${en.n}, smaller margins or gaps`);
      return { size: cell, n: count, margin: m };
    }
    if (size > pageMm) fail(fields.size, `${vi.size} lớn hơn khổ A4 (${pageMm} mm)`, `The ${en.size} is larger than A4 (${pageMm} mm)`);
    const fit = Math.floor((pageMm - 2 * (margin ?? 0) + gap + SLACK_MM) / (size + gap));
    const count = n ?? fit;
    if (count < 1) fail(fields.margin, `Không còn chỗ cho nhãn nào theo ${vi.page}: giảm ${vi.margin}`, `No label fits the page ${en.page}: reduce the ${en.margin}`);
    const used = count * size + (count - 1) * gap;
    const m = margin ?? (pageMm - used) / 2;
    if (m + used > pageMm + SLACK_MM) {
      const total = (l: 'vi' | 'en') => mm(m + used, l);
      fail(
        n === undefined ? fields.margin : fields.n,
        `Không vừa khổ A4: ${vi.margin} + ${count} ${vi.n} × ${mm(size, 'vi')} mm + khoảng cách = ${total('vi')} mm, quá ${pageMm} mm. Tối đa ${Math.max(0, fit)} ${vi.n}`,
        `Does not fit A4: ${en.margin} + ${count} ${en.n} × ${size} mm + gaps = ${total('en')} mm, over ${pageMm} mm. At most ${Math.max(0, fit)} ${en.n}`,
      );
    }
    return { size, n: count, margin: m };
  };
  const x = axis(o.labelWidth, o.columns, o.marginLeft, gapXMm, A4.widthMm, 'x');
  const y = axis(o.labelHeight, o.rows, o.marginTop, gapYMm, A4.heightMm, 'y');
  return checked({
    preset: 'custom',
    page: 'a4',
    pageWidthMm: A4.widthMm,
    pageHeightMm: A4.heightMm,
    labelWidthMm: x.size,
    labelHeightMm: y.size,
    columns: x.n,
    rows: y.n,
    marginLeftMm: x.margin,
    marginTopMm: y.margin,
    gapXMm,
    gapYMm,
    cuttingGuides: o.labelWidth === undefined,
  });
}

function checked(layout: LabelLayout): LabelLayout {
  labelGeometry(layout);
  return layout;
}

/** For a zod superRefine: a layout that does not fit or scan fails on the field to change. */
export function checkLabelLayout(o: LabelLayoutOptions, ctx: z.RefinementCtx): void {
  try {
    resolveLabelLayout(o);
  } catch (error) {
    if (!(error instanceof LabelLayoutError)) throw error;
    ctx.addIssue({ code: 'custom', path: [error.field], message: error.message });
  }
}

/** The layout fields of a query, form or command line, checked: options `resolveLabelLayout` accepts. */
export const labelLayoutQuery = z.object(labelLayoutShape).superRefine(checkLabelLayout);
