import { hexEncode } from '../codes/hex';
import { regular, semibold } from './font-data';
import { EDGE_MM, LABEL_QR_VERSION, labelGeometry, labelOrigin, MIN_MODULE_MM, QUIET_ZONE_MODULES, type LabelGeometry, type LabelLayout } from './label-layouts';
import { fitLabelText, fitLine, serialText, STAR_PITCH, type FittedText } from './label-text';
import { qrMatrix, type QrMatrix } from './matrix';
import { PdfFont } from './pdf-font';
import { PdfWriter, deflate, pdfTextString } from './pdf-writer';

export interface LabelSheetInput {
  labels: AsyncIterable<{ url: string; serial: number }>;
  /** Expected number of labels, passed to onProgress. */
  total: number;
  productName: string;
  /** OCOP star rating, 1-5. */
  stars: number;
  lot: string;
  certificateNumber?: string;
  producerName?: string;
  /** A resolved layout (label-layouts.ts); by default the 21-per-sheet A4 preset. */
  layout?: LabelLayout;
  /** Called after each page with labels done and `total`. */
  onProgress?: (done: number, total: number) => void;
}

const MM = 72 / 25.4;

let fonts: { regular: PdfFont; bold: PdfFont } | undefined;
function loadFonts(): { regular: PdfFont; bold: PdfFont } {
  fonts ??= { regular: new PdfFont(regular, 'OCOPVR'), bold: new PdfFont(semibold, 'OCOPVS') };
  return fonts;
}

/**
 * Label sheets (A4, or one label per page for roll printers) as a PDF stream: one page is
 * built, deflated and enqueued per pull, so memory holds one page whatever the batch size.
 * Each label has the QR (version 6 or more, modules of at least 0.396 mm, quiet zone kept) and
 * beside it the call to scan, product name, stars, certificate number, producer, lot and serial,
 * as many as fit (label-text.ts); cutting lines only on plain paper.
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
  const text = fitLabelText(
    { productName: input.productName, stars: input.stars, lot: input.lot, certificateNumber: input.certificateNumber, producerName: input.producerName },
    geo.textWidthMm * MM,
    geo.textHeightMm * MM,
    { regular: fontR, bold: fontB },
  );
  const fixed = textOps(text, fontR, fontB);
  const guides = geo.cuttingGuides ? cuttingGuides(geo) : '';
  const pageW = geo.pageWidthMm * MM;
  const pageH = geo.pageHeightMm * MM;
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
            content += drawLabel(label, i, geo, pageH, text, fixed, fontR);
          });
          const contentId = w.allocate();
          const pageId = w.allocate();
          pageIds.push(pageId);
          controller.enqueue(w.stream(contentId, '/Filter /FlateDecode', await deflate(encoder.encode(content))));
          controller.enqueue(
            w.object(
              pageId,
              `<< /Type /Page /Parent ${pagesId} 0 R /MediaBox [0 0 ${n(pageW)} ${n(pageH)}] ` +
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

/** The text block's operators, the same on every label but the serial, at origin (0 0) = its top left. */
function textOps(text: FittedText, fontR: PdfFont, fontB: PdfFont): string {
  let ops = '';
  for (const line of text.lines) {
    if (line.field === 'serial') continue;
    let x = 0;
    if (line.stars) {
      // Shapes, not a glyph: the font has no ★, and paths print the same everywhere.
      const r = line.stars.diameter / 2;
      const cy = -(line.y - line.size * 0.35);
      let path = '0.86 0.6 0.05 rg 0.55 0.36 0 RG 0.3 w ';
      for (let i = 0; i < line.stars.count; i++) path += starPath(r + i * r * 2 * STAR_PITCH, cy, r);
      ops += `${path}B\n`;
      x = line.stars.count * r * 2 * STAR_PITCH - r * 2 * (STAR_PITCH - 1);
    }
    if (line.glyphs.length === 0) continue;
    const font = line.font === 'bold' ? fontB : fontR;
    ops += `BT /${line.font === 'bold' ? 'B' : 'R'} ${n(line.size)} Tf 0 g 1 0 0 1 ${n(x)} ${n(-line.y)} Tm ${font.hex(line.glyphs)} Tj ET\n`;
  }
  return ops;
}

function drawLabel(label: { url: string; serial: number }, index: number, geo: LabelGeometry, pageH: number, text: FittedText, fixed: string, fontR: PdfFont): string {
  const { xMm, yMm } = labelOrigin(geo, index);
  const cellX = xMm * MM;
  const cellTop = pageH - yMm * MM;
  const cellH = geo.labelHeightMm * MM;
  const box = geo.qrBoxMm * MM;
  const qr = qrMatrix(label.url, { minVersion: LABEL_QR_VERSION });
  // A longer URL than planned would need a larger version and smaller modules: never printed
  // under the minimum (PUBLIC_BASE_URL is limited to 32 characters, so this does not happen).
  const module = box / (qr.size + 2 * QUIET_ZONE_MODULES);
  if (module < MIN_MODULE_MM * MM - 1e-9) throw new RangeError(`Mã quá dài cho nhãn này / Code too long for this label: ${label.url.length} characters`);
  const boxX = cellX + EDGE_MM * MM;
  const boxTop = cellTop - (cellH - box) / 2;
  let out = qrOps(qr, boxX + QUIET_ZONE_MODULES * module, boxTop - QUIET_ZONE_MODULES * module, module);
  const tx = boxX + box + 0.5 * MM;
  const ty = cellTop - (cellH - text.height) / 2;
  out += `q 1 0 0 1 ${n(tx)} ${n(ty)} cm\n${fixed}`;
  const serialLine = text.lines.find((l) => l.field === 'serial');
  if (serialLine) {
    const serial = fitLine(fontR, serialText(label.serial), serialLine.size, geo.textWidthMm * MM);
    out += `BT /R ${n(serialLine.size)} Tf 0 g 1 0 0 1 0 ${n(-serialLine.y)} Tm ${fontR.hex(serial)} Tj ET\n`;
  }
  return `${out}Q\n`;
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

/** Dashed light-grey cutting lines for plain paper: shared lines between touching labels, boxes when there is a gap. */
function cuttingGuides(geo: LabelGeometry): string {
  let ops = 'q 0.6 G 0.3 w [2 2] 0 d\n';
  const pageH = geo.pageHeightMm * MM;
  const x0 = geo.marginLeftMm * MM;
  const top = pageH - geo.marginTopMm * MM;
  const cw = geo.labelWidthMm * MM;
  const ch = geo.labelHeightMm * MM;
  if (geo.gapXMm === 0 && geo.gapYMm === 0) {
    const ext = Math.min(geo.marginLeftMm, geo.marginTopMm, 5) * MM; // into the margin, so the cut can start there
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
    for (let i = 0; i < geo.perPage; i++) {
      const { xMm, yMm } = labelOrigin(geo, i);
      ops += `${n(xMm * MM)} ${n(pageH - yMm * MM - ch)} ${n(cw)} ${n(ch)} re\n`;
    }
  }
  return `${ops}S Q\n`;
}

function pdfDate(d: Date): string {
  const p = (v: number): string => String(v).padStart(2, '0');
  return `D:${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
}

function randomHex(bytes: number): string {
  return hexEncode(crypto.getRandomValues(new Uint8Array(bytes)));
}
