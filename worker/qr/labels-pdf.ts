import { hexEncode } from '../codes/hex';
import { regular, semibold } from './font-data';
import { qrMatrix, type QrMatrix } from './matrix';
import { PdfFont } from './pdf-font';
import { PdfWriter, deflate, pdfTextString } from './pdf-writer';

export interface LabelLayout {
  columns?: number;
  rows?: number;
  /** Page margin on every side, mm. */
  marginMm?: number;
  /** Space between labels, mm (0: labels share cutting lines). */
  gapMm?: number;
}

export interface LabelSheetInput {
  labels: AsyncIterable<{ url: string; serial: number }>;
  /** Expected number of labels, passed to onProgress. */
  total: number;
  productName: string;
  /** OCOP star rating, 1-5. */
  stars: number;
  lot: string;
  layout?: LabelLayout;
  /** Called after each page with labels done and `total`. */
  onProgress?: (done: number, total: number) => void;
}

const MM = 72 / 25.4;
const PAGE_W_MM = 210;
const PAGE_H_MM = 297;
const PAGE_W = PAGE_W_MM * MM;
const PAGE_H = PAGE_H_MM * MM;
/** Padding inside a label, mm: keeps print away from the cutting line. */
const PAD_MM = 2;
/** Package URLs with a base of up to 32 characters fit version 6 at level M. */
const LABEL_QR_VERSION = 6;
const QUIET_ZONE = 4;
export const MIN_QR_MM = 20;

export const DENSE_GRID_MESSAGE = 'Lưới nhãn quá dày: mã QR phải rộng ít nhất 20 mm / Grid too dense: QR must be at least 20 mm';

export interface LabelGeometry {
  columns: number;
  rows: number;
  marginMm: number;
  gapMm: number;
  cellWmm: number;
  cellHmm: number;
  /** QR with its quiet zone, square, mm. */
  qrBoxMm: number;
  /** Printed width of a version 6 symbol (without quiet zone), mm. */
  qrSymbolMm: number;
  perPage: number;
}

/** Resolve a layout, or throw RangeError when it is impossible or the QR would be under 20 mm. */
export function labelGeometry(layout: LabelLayout = {}): LabelGeometry {
  const columns = layout.columns ?? 3;
  const rows = layout.rows ?? 7;
  const marginMm = layout.marginMm ?? 10;
  const gapMm = layout.gapMm ?? 0;
  for (const [name, v] of [['columns', columns], ['rows', rows]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`Số ${name === 'columns' ? 'cột' : 'hàng'} phải là số nguyên dương / ${name} must be a positive integer`);
  }
  for (const [name, v] of [['marginMm', marginMm], ['gapMm', gapMm]] as const) {
    if (!Number.isFinite(v) || v < 0 || v > 50) throw new RangeError(`${name === 'marginMm' ? 'Lề' : 'Khoảng cách'} phải từ 0 đến 50 mm / ${name} must be 0-50 mm`);
  }
  const cellWmm = (PAGE_W_MM - 2 * marginMm - (columns - 1) * gapMm) / columns;
  const cellHmm = (PAGE_H_MM - 2 * marginMm - (rows - 1) * gapMm) / rows;
  // The QR takes at most a little over half the label width: the rest is for the text.
  const qrBoxMm = Math.min(cellHmm - 2 * PAD_MM, (cellWmm - 2 * PAD_MM) * 0.55, 45);
  const size = LABEL_QR_VERSION * 4 + 17;
  const qrSymbolMm = (qrBoxMm * size) / (size + 2 * QUIET_ZONE);
  if (!(qrSymbolMm >= MIN_QR_MM)) throw new RangeError(DENSE_GRID_MESSAGE);
  return { columns, rows, marginMm, gapMm, cellWmm, cellHmm, qrBoxMm, qrSymbolMm, perPage: columns * rows };
}

let fonts: { regular: PdfFont; bold: PdfFont } | undefined;
function loadFonts(): { regular: PdfFont; bold: PdfFont } {
  fonts ??= { regular: new PdfFont(regular, 'OCOPVR'), bold: new PdfFont(semibold, 'OCOPVS') };
  return fonts;
}

/**
 * A4 label sheets as a PDF stream: one page is built, deflated and enqueued per pull, so memory
 * holds one page whatever the batch size. Each label has the QR (version 6 or more, quiet zone
 * kept, at least 20 mm), the product name, the stars, lot and serial; dashed cutting lines.
 */
export function labelSheetPdf(input: LabelSheetInput): ReadableStream<Uint8Array> {
  const geo = labelGeometry(input.layout);
  if (!Number.isInteger(input.stars) || input.stars < 1 || input.stars > 5) {
    throw new RangeError('Số sao OCOP phải từ 1 đến 5 / OCOP stars must be 1-5');
  }
  const { regular: fontR, bold: fontB } = loadFonts();
  const w = new PdfWriter();
  const catalogId = w.allocate();
  const pagesId = w.allocate();
  const fontR_id = w.allocate();
  const fontB_id = w.allocate();
  const pageIds: number[] = [];
  const text = labelText(input, geo, fontR, fontB);
  const guides = cuttingGuides(geo);
  let iterator: AsyncIterator<{ url: string; serial: number }> | undefined;
  let done = 0;
  let started = false;
  const encoder = new TextEncoder();

  return new ReadableStream<Uint8Array>(
    {
      // Everything is written from pull(): object offsets depend on strict write order, and
      // workerd has been seen calling pull() before an async start() settled.
      async pull(controller) {
        if (!started) {
          started = true;
          controller.enqueue(w.header());
          for (const chunk of await fontObjects(w, fontR, fontR_id)) controller.enqueue(chunk);
          for (const chunk of await fontObjects(w, fontB, fontB_id)) controller.enqueue(chunk);
          return;
        }
        iterator ??= input.labels[Symbol.asyncIterator]();
        const batch: { url: string; serial: number }[] = [];
        while (batch.length < geo.perPage) {
          const next = await iterator.next();
          if (next.done) break;
          batch.push(next.value);
        }
        if (batch.length > 0) {
          let content = guides;
          batch.forEach((label, i) => {
            content += drawLabel(label, i % geo.columns, Math.floor(i / geo.columns), geo, text);
          });
          const contentId = w.allocate();
          const pageId = w.allocate();
          pageIds.push(pageId);
          controller.enqueue(w.stream(contentId, '/Filter /FlateDecode', await deflate(encoder.encode(content))));
          controller.enqueue(
            w.object(
              pageId,
              `<< /Type /Page /Parent ${pagesId} 0 R /MediaBox [0 0 ${n(PAGE_W)} ${n(PAGE_H)}] ` +
                `/Resources << /Font << /R ${fontR_id} 0 R /B ${fontB_id} 0 R >> >> /Contents ${contentId} 0 R >>`,
            ),
          );
          done += batch.length;
          input.onProgress?.(done, input.total);
        }
        if (batch.length < geo.perPage) {
          if (pageIds.length === 0) throw new RangeError('Không có nhãn nào để in / No labels to print');
          const infoId = w.allocate();
          controller.enqueue(w.object(pagesId, `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pageIds.length} >>`));
          controller.enqueue(w.object(catalogId, `<< /Type /Catalog /Pages ${pagesId} 0 R >>`));
          controller.enqueue(
            w.object(
              infoId,
              `<< /Title ${pdfTextString(`${input.productName} – lô ${input.lot}`)} /Producer (OCOP Verify) /CreationDate (${pdfDate(new Date())}) >>`,
            ),
          );
          controller.enqueue(w.trailer(catalogId, infoId, randomHex(16)));
          controller.close();
        }
      },
      async cancel(reason) {
        await iterator?.return?.(reason);
      },
    },
    { highWaterMark: 2 },
  );
}

async function fontObjects(w: PdfWriter, font: PdfFont, type0Id: number): Promise<Uint8Array[]> {
  const cidId = w.allocate();
  const descId = w.allocate();
  const fileId = w.allocate();
  const cmapId = w.allocate();
  const file = font.fontFile();
  return [
    w.object(
      type0Id,
      `<< /Type /Font /Subtype /Type0 /BaseFont /${font.name} /Encoding /Identity-H /DescendantFonts [${cidId} 0 R] /ToUnicode ${cmapId} 0 R >>`,
    ),
    w.object(
      cidId,
      `<< /Type /Font /Subtype /CIDFontType2 /BaseFont /${font.name} ` +
        `/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> ` +
        `/FontDescriptor ${descId} 0 R /CIDToGIDMap /Identity /DW 0 /W ${font.widthsArray()} >>`,
    ),
    w.object(descId, font.descriptor(`${fileId} 0 R`)),
    w.stream(fileId, `/Filter /FlateDecode /Length1 ${file.length1}`, file.deflated),
    w.stream(cmapId, '/Filter /FlateDecode', await deflate(new TextEncoder().encode(font.toUnicodeCMap()))),
  ];
}

/** Number for content streams: at most 2 decimals, no trailing zeros. */
function n(v: number): string {
  return String(Math.round(v * 100) / 100);
}

/** Parts of a label that are the same on every label, laid out once per sheet. */
interface LabelText {
  /** Content-stream operators relative to the text origin (0 0) at the block's top left. */
  fixed: string;
  /** Offset of the serial line's baseline below the block top, pt. */
  serialY: number;
  serialSize: number;
  serialMaxW: number;
  blockH: number;
  font: PdfFont;
}

function labelText(input: LabelSheetInput, geo: LabelGeometry, fontR: PdfFont, fontB: PdfFont): LabelText {
  const maxW = (geo.cellWmm - 2 * PAD_MM - geo.qrBoxMm - 1) * MM;
  const availH = (geo.cellHmm - 2 * PAD_MM) * MM;
  // Small print shrinks with the label but stays legible when printed at home.
  let small = 7;
  let name = fitName(fontB, input.productName, maxW, 10, 6, 3);
  const starR = 3.6;
  const height = (): number => name.lines.length * name.size * 1.15 + 3 + starR * 2 + 3 + small * 1.25 * 3;
  const h0 = height();
  if (h0 > availH) {
    const k = availH / h0;
    small = Math.max(5, small * k);
    name = fitName(fontB, input.productName, maxW, Math.max(6, name.size * k), 5, Math.max(1, Math.floor(name.lines.length * k)));
  }
  let ops = '';
  let y = 0;
  ops += `BT /B ${n(name.size)} Tf 0 g`;
  let first = true;
  for (const line of name.lines) {
    y += first ? name.size * 0.95 : name.size * 1.15;
    ops += ` 1 0 0 1 0 ${n(-y)} Tm ${fontB.hex(line)} Tj`;
    first = false;
  }
  ops += ' ET\n';
  y += 3;
  // Stars as paths: the font has no ★, and shapes print the same everywhere.
  let starsOps = '0.86 0.6 0.05 rg 0.55 0.36 0 RG 0.3 w ';
  for (let i = 0; i < input.stars; i++) starsOps += starPath(starR + i * (starR * 2 + 1.2), -(y + starR), starR);
  ops += `${starsOps}B\n`;
  y += starR * 2 + 3;
  const starLine = fitLine(fontR, `${input.stars} sao OCOP`, small, maxW);
  y += small;
  ops += `BT /R ${n(small)} Tf 0 g 1 0 0 1 0 ${n(-y)} Tm ${fontR.hex(starLine)} Tj`;
  y += small * 1.25;
  ops += ` 1 0 0 1 0 ${n(-y)} Tm ${fontR.hex(fitLine(fontR, `Lô: ${input.lot}`, small, maxW))} Tj ET\n`;
  y += small * 1.25;
  return { fixed: ops, serialY: y, serialSize: small, serialMaxW: maxW, blockH: y + small * 0.3, font: fontR };
}

function drawLabel(label: { url: string; serial: number }, col: number, row: number, geo: LabelGeometry, text: LabelText): string {
  const cellX = (geo.marginMm + col * (geo.cellWmm + geo.gapMm)) * MM;
  const cellTop = PAGE_H - (geo.marginMm + row * (geo.cellHmm + geo.gapMm)) * MM;
  const cellH = geo.cellHmm * MM;
  const box = geo.qrBoxMm * MM;
  const qr = qrMatrix(label.url, { minVersion: LABEL_QR_VERSION });
  const module = box / (qr.size + 2 * QUIET_ZONE);
  const boxX = cellX + PAD_MM * MM;
  const boxTop = cellTop - (cellH - box) / 2;
  let out = qrOps(qr, boxX + QUIET_ZONE * module, boxTop - QUIET_ZONE * module, module);
  const tx = boxX + box + 1 * MM;
  const ty = cellTop - (cellH - text.blockH) / 2;
  out += `q 1 0 0 1 ${n(tx)} ${n(ty)} cm\n${text.fixed}`;
  const serial = fitLine(text.font, `Số: ${label.serial}`, text.serialSize, text.serialMaxW);
  out += `BT /R ${n(text.serialSize)} Tf 0 g 1 0 0 1 0 ${n(-text.serialY)} Tm ${text.font.hex(serial)} Tj ET\nQ\n`;
  return out;
}

/**
 * The symbol as one filled path of rectangles in module units (a flipped cm puts row 0 on top).
 * Horizontal runs that repeat in the next row grow into one taller rectangle; one fill for the
 * whole path means no hairline seams between modules.
 */
export function qrOps(qr: Pick<QrMatrix, 'size' | 'modules'>, x: number, top: number, module: number): string {
  const { size, modules } = qr;
  const rects: number[] = []; // c, r, len, h
  let open = new Map<number, number>();
  for (let r = 0; r < size; r++) {
    const next = new Map<number, number>();
    let c = 0;
    while (c < size) {
      if (!modules[r * size + c]) {
        c++;
        continue;
      }
      const start = c;
      while (c < size && modules[r * size + c]) c++;
      const key = start * 256 + (c - start);
      const at = open.get(key);
      if (at !== undefined) {
        rects[at + 3]!++;
        next.set(key, at);
      } else {
        next.set(key, rects.length);
        rects.push(start, r, c - start, 1);
      }
    }
    open = next;
  }
  let ops = `q 0 g ${Math.round(module * 10000) / 10000} 0 0 ${-Math.round(module * 10000) / 10000} ${n(x)} ${n(top)} cm\n`;
  for (let i = 0; i < rects.length; i += 4) ops += `${rects[i]} ${rects[i + 1]} ${rects[i + 2]} ${rects[i + 3]} re\n`;
  return `${ops}f Q\n`;
}

const STAR_POINTS = Array.from({ length: 10 }, (_, k) => {
  const angle = Math.PI / 2 + (k * Math.PI) / 5;
  const radius = k % 2 === 0 ? 1 : 0.382;
  return [radius * Math.cos(angle), radius * Math.sin(angle)] as const;
});

function starPath(cx: number, cy: number, r: number): string {
  let s = '';
  STAR_POINTS.forEach(([dx, dy], k) => {
    s += `${n(cx + dx * r)} ${n(cy + dy * r)} ${k === 0 ? 'm' : 'l'} `;
  });
  return `${s}h `;
}

/** Dashed light-grey cutting lines: shared lines between touching labels, boxes when there is a gap. */
function cuttingGuides(geo: LabelGeometry): string {
  let ops = 'q 0.6 G 0.3 w [2 2] 0 d\n';
  const x0 = geo.marginMm * MM;
  const top = PAGE_H - geo.marginMm * MM;
  const cw = geo.cellWmm * MM;
  const ch = geo.cellHmm * MM;
  const gap = geo.gapMm * MM;
  if (geo.gapMm === 0) {
    const ext = Math.min(geo.marginMm, 5) * MM; // into the margin, so the cut can start there
    const gridW = geo.columns * cw;
    const gridH = geo.rows * ch;
    for (let c = 0; c <= geo.columns; c++) {
      const x = x0 + c * cw;
      ops += `${n(x)} ${n(top + ext)} m ${n(x)} ${n(top - gridH - ext)} l\n`;
    }
    for (let r = 0; r <= geo.rows; r++) {
      const y = top - r * ch;
      ops += `${n(x0 - ext)} ${n(y)} m ${n(x0 + gridW + ext)} ${n(y)} l\n`;
    }
  } else {
    for (let r = 0; r < geo.rows; r++) {
      for (let c = 0; c < geo.columns; c++) {
        ops += `${n(x0 + c * (cw + gap))} ${n(top - r * (ch + gap) - ch)} ${n(cw)} ${n(ch)} re\n`;
      }
    }
  }
  return `${ops}S Q\n`;
}

interface FittedName {
  size: number;
  lines: number[][];
}

/** Largest size from `max` down to `min` (0.5 pt steps) at which `text` wraps into `maxLines`. */
function fitName(font: PdfFont, text: string, maxW: number, max: number, min: number, maxLines: number): FittedName {
  for (let size = max; size >= min; size -= 0.5) {
    const lines = wrap(font, text, size, maxW);
    if (lines.length <= maxLines) return { size, lines };
  }
  const lines = wrap(font, text, min, maxW).slice(0, maxLines);
  const last = lines.length - 1;
  if (last >= 0) lines[last] = truncate(font, [...lines[last]!, ...font.glyphs(' ')], min, maxW);
  return { size: min, lines };
}

/** Greedy word wrap; a word wider than the line is broken between letters. */
function wrap(font: PdfFont, text: string, size: number, maxW: number): number[][] {
  const space = font.glyphs(' ');
  const lines: number[][] = [];
  let line: number[] = [];
  for (const word of text.trim().split(/\s+/)) {
    if (!word) continue;
    const glyphs = font.glyphs(word);
    const candidate = line.length ? [...line, ...space, ...glyphs] : glyphs;
    if (font.width(candidate, size) <= maxW) {
      line = candidate;
      continue;
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
  }
  if (line.length) lines.push(line);
  return lines;
}

/** The text on one line, cut with an ellipsis when wider than maxW. */
function fitLine(font: PdfFont, text: string, size: number, maxW: number): number[] {
  const glyphs = font.glyphs(text);
  return font.width(glyphs, size) <= maxW ? glyphs : truncate(font, glyphs, size, maxW);
}

function truncate(font: PdfFont, glyphs: number[], size: number, maxW: number): number[] {
  const ellipsis = font.glyphs('…');
  const out = [...glyphs];
  while (out.length && font.width([...out, ...ellipsis], size) > maxW) out.pop();
  return [...out, ...ellipsis];
}

function pdfDate(d: Date): string {
  const p = (v: number): string => String(v).padStart(2, '0');
  return `D:${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
}

function randomHex(bytes: number): string {
  return hexEncode(crypto.getRandomValues(new Uint8Array(bytes)));
}
