import type { PdfFont } from './pdf-font';

// The text beside a label's QR: which fields, at what size, on which lines. Laid out once per
// PDF (every label of a batch says the same but its serial), so it may take its time.

/**
 * Fields in the order they are printed and kept: when the text does not fit at the smallest
 * size, the last ones go first. The call to scan and the product name are never dropped: a
 * shopper must know to scan and must be able to match the label to the product in hand. Stars
 * are what the label claims; the certificate number and producer let a shopper check the
 * claim against the register. Lot and serial go first: both are inside the code and shown on
 * the scan page, and the lot is printed on the pack anyway.
 */
export const LABEL_FIELDS = ['cta', 'name', 'stars', 'certificate', 'producer', 'lot', 'serial'] as const;
export type LabelField = (typeof LABEL_FIELDS)[number];

export const SCAN_CALL = 'Quét để kiểm tra';
/** Vietnamese diacritics stacked over small letters (ệ, ữ) blur below 6 pt on home printers. */
export const MIN_TEXT_PT = 6;
export const MAX_TEXT_PT = 9;
const STEP_PT = 0.25;
const LINE = 1.2;
/** The serial is laid out for the widest there is (1,000,000): every label then fits. */
const WIDEST_SERIAL = 8_888_888;

export interface LabelFacts {
  productName: string;
  stars: number;
  lot: string;
  certificateNumber?: string | undefined;
  producerName?: string | undefined;
}

export interface FittedLine {
  field: LabelField;
  font: 'regular' | 'bold';
  size: number;
  /** Baseline, pt below the top of the text block. */
  y: number;
  /** Glyph ids; for the serial, those of the widest serial (each label writes its own). */
  glyphs: number[];
  /** Stars line: the number of star shapes and their diameter, drawn before the glyphs. */
  stars?: { count: number; diameter: number };
}

export interface FittedText {
  /** Body size, pt: the call to scan; details are 1 pt smaller, the name 15% larger. */
  size: number;
  lines: FittedLine[];
  /** Height of the block, pt. */
  height: number;
  /** Fields printed, in order. */
  fields: LabelField[];
  /** Fields left out for lack of room. */
  dropped: LabelField[];
}

export interface LabelFonts {
  regular: PdfFont;
  bold: PdfFont;
}

export function serialText(serial: number): string {
  return `Số: ${serial}`;
}

function fieldText(field: Exclude<LabelField, 'cta' | 'name' | 'stars'>, facts: LabelFacts): string | undefined {
  switch (field) {
    case 'certificate':
      // The number alone: it says OCOP itself, and a prefix would cost a line on small labels.
      return facts.certificateNumber || undefined;
    case 'producer':
      return facts.producerName || undefined;
    case 'lot':
      return `Lô: ${facts.lot}`;
    case 'serial':
      return serialText(WIDEST_SERIAL);
  }
}

/** How a field is set: weight, lines it may take, whether it may be cut (…) to fit. */
const RULES: Record<Exclude<LabelField, 'stars'>, { font: 'regular' | 'bold'; lines: number; cut: 'never' | 'lastResort' | 'always'; breakAt?: RegExp }> = {
  cta: { font: 'bold', lines: 2, cut: 'lastResort' },
  name: { font: 'bold', lines: 2, cut: 'lastResort' },
  // A cut certificate number, lot or serial is useless: they wrap after - / . or are dropped.
  certificate: { font: 'regular', lines: 2, cut: 'never', breakAt: /(?<=[-/.])/ },
  producer: { font: 'regular', lines: 2, cut: 'always' },
  lot: { font: 'regular', lines: 2, cut: 'never', breakAt: /(?<=[-/.])/ },
  serial: { font: 'regular', lines: 1, cut: 'never' },
};

/**
 * The largest text that fits `widthPt` × `heightPt`. First, nothing cut and the name on at
 * most two lines: all fields from MAX_TEXT_PT down to MIN_TEXT_PT, then without the
 * lowest-priority field, and so on down to the call to scan and the name. If even those two do
 * not fit (a long name), the same with the name on up to three lines; then, at the minimum
 * size, with the name cut (…) on its third line.
 */
export function fitLabelText(facts: LabelFacts, widthPt: number, heightPt: number, fonts: LabelFonts): FittedText {
  const available = LABEL_FIELDS.filter((f) => f === 'cta' || f === 'name' || f === 'stars' || fieldText(f, facts) !== undefined);
  // A long name outranks the fields after it: a third line for it before anything is cut.
  for (const { nameLines, lastResort } of [{ nameLines: 2, lastResort: false }, { nameLines: 3, lastResort: false }, { nameLines: 3, lastResort: true }]) {
    for (let k = available.length; k >= 2; k--) {
      const fields = available.slice(0, k);
      // The name is 15% larger than the rest: the ladder runs on until it too is at the minimum.
      for (let size = lastResort ? MIN_TEXT_PT / NAME_SCALE : MAX_TEXT_PT; size >= MIN_TEXT_PT / NAME_SCALE - 1e-9; size -= STEP_PT) {
        const laid = layOut(fields, facts, size, widthPt, fonts, lastResort, undefined, nameLines);
        if (laid && laid.height <= heightPt) return { ...laid, size: Math.max(MIN_TEXT_PT, size), fields, dropped: available.slice(k) };
      }
    }
  }
  // Only below the QR minimum's label size: one line of each, cut to fit.
  const last = layOut(['cta', 'name'], facts, MIN_TEXT_PT / NAME_SCALE, widthPt, fonts, true, 1)!;
  return { ...last, size: MIN_TEXT_PT, fields: ['cta', 'name'], dropped: available.slice(2) };
}

const NAME_SCALE = 1.15;
/** Star shapes are drawn this many diameters apart (labels-pdf.ts draws them). */
export const STAR_PITCH = 1.2;

function layOut(fields: readonly LabelField[], facts: LabelFacts, size: number, maxW: number, fonts: LabelFonts, lastResort: boolean, maxLines?: number, nameLines = 2): { lines: FittedLine[]; height: number } | null {
  const detail = Math.max(MIN_TEXT_PT, size - 1);
  const lines: FittedLine[] = [];
  let y = 0;
  const push = (field: LabelField, font: 'regular' | 'bold', at: number, glyphs: number[], stars?: FittedLine['stars']): void => {
    y += (lines.length === 0 ? 0.95 : LINE) * at;
    lines.push({ field, font, size: at, y, glyphs, ...(stars ? { stars } : {}) });
  };
  for (const field of fields) {
    if (field === 'stars') {
      // Shapes, as the font has no ★; the words follow when there is room.
      const diameter = Math.min(detail * 0.75, maxW / (facts.stars * STAR_PITCH));
      const room = maxW - facts.stars * diameter * STAR_PITCH;
      const words = [` ${facts.stars} sao OCOP`, ` ${facts.stars} sao`].map((w) => fonts.regular.glyphs(w));
      const glyphs = words.find((w) => fonts.regular.width(w, detail) <= room) ?? [];
      push('stars', 'regular', detail, glyphs, { count: facts.stars, diameter });
      continue;
    }
    const rule = RULES[field];
    const font = fonts[rule.font];
    const at = field === 'name' ? Math.max(MIN_TEXT_PT, size * NAME_SCALE) : field === 'cta' ? Math.max(MIN_TEXT_PT, size) : detail;
    const text = field === 'cta' ? SCAN_CALL : field === 'name' ? facts.productName : fieldText(field, facts)!;
    const limit = maxLines ?? (field === 'name' ? nameLines : rule.lines);
    const wrapped = rule.font === 'bold' ? balancedWrap(font, text, at, maxW) : wrap(font, text, at, maxW, rule.breakAt);
    if (wrapped.length > limit) {
      const mayCut = rule.cut === 'always' || (rule.cut === 'lastResort' && lastResort);
      if (!mayCut) return null;
      const kept = wrapped.slice(0, limit);
      kept[limit - 1] = truncate(font, [...kept[limit - 1]!, ...font.glyphs(' ')], at, maxW);
      for (const line of kept) push(field, rule.font, at, line);
    } else {
      for (const line of wrapped) push(field, rule.font, at, line);
    }
  }
  const lastSize = lines.at(-1)?.size ?? 0;
  return { lines, height: y + lastSize * 0.3 };
}

/**
 * Lines of even length: the narrowest width that still gives as many lines as the greedy wrap
 * ("Quét để / kiểm tra" rather than "Quét để kiểm / tra").
 */
function balancedWrap(font: PdfFont, text: string, size: number, maxW: number): number[][] {
  const greedy = wrap(font, text, size, maxW);
  if (greedy.length < 2) return greedy;
  let lo = maxW / greedy.length;
  let hi = maxW;
  for (let i = 0; i < 12; i++) {
    const mid = (lo + hi) / 2;
    if (wrap(font, text, size, mid).length <= greedy.length) hi = mid;
    else lo = mid;
  }
  return wrap(font, text, size, hi);
}

/**
 * Greedy wrap at spaces, and after the characters `breakAt` matches (identifiers such as
 * BP-OCOP-5S-2023-001 break after a hyphen, nothing added); a word wider than the line is
 * broken between letters.
 */
export function wrap(font: PdfFont, text: string, size: number, maxW: number, breakAt?: RegExp): number[][] {
  const space = font.glyphs(' ');
  const lines: number[][] = [];
  let line: number[] = [];
  for (const word of text.trim().split(/\s+/)) {
    if (!word) continue;
    const parts = breakAt ? word.split(breakAt) : [word];
    parts.forEach((part, i) => {
      const glyphs = font.glyphs(part);
      const joiner = i === 0 ? space : [];
      const candidate = line.length ? [...line, ...joiner, ...glyphs] : glyphs;
      if (font.width(candidate, size) <= maxW) {
        line = candidate;
        return;
      }
      if (line.length) lines.push(line);
      line = [];
      for (const g of glyphs) {
        if (line.length && font.width([...line, g], size) > maxW) {
          lines.push(line);
          line = [];
        }
        line.push(g);
      }
    });
  }
  if (line.length) lines.push(line);
  return lines;
}

/** The text on one line, cut with an ellipsis when wider than maxW. */
export function fitLine(font: PdfFont, text: string, size: number, maxW: number): number[] {
  const glyphs = font.glyphs(text);
  return font.width(glyphs, size) <= maxW ? glyphs : truncate(font, glyphs, size, maxW);
}

function truncate(font: PdfFont, glyphs: number[], size: number, maxW: number): number[] {
  const ellipsis = font.glyphs('…');
  const out = [...glyphs];
  while (out.length && font.width([...out, ...ellipsis], size) > maxW) out.pop();
  // A trailing space before the ellipsis reads as a gap.
  while (out.length && out.at(-1) === font.glyphs(' ')[0]) out.pop();
  return [...out, ...ellipsis];
}
