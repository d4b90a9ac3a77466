import { batchUrls, type BatchCode } from './codes/batch-codes';
import type { KeyRing } from './codes/keyring';
import type { BatchRow } from './db/batches';
import { AppError } from './errors';
import { csvStream } from './qr/csv';
import { LabelLayoutError, labelLayoutQuery, resolveLabelLayout, type LabelLayout, type LabelLayoutOptions } from './qr/label-layouts';
import { labelSheetPdf } from './qr/labels-pdf';
import { qrMatrix } from './qr/matrix';
import { qrPng } from './qr/png';
import { qrSvg } from './qr/svg';
import { ZIP_MAX_FILES, zipStream } from './qr/zip';

// One way to turn a batch into printable codes, for the admin pages, the admin API and the
// CLI alike: the same check before the first byte, the same file names, the same images.

export const LABEL_FORMATS = ['csv', 'pdf', 'png-zip', 'svg-zip'] as const;
export type LabelFormat = (typeof LABEL_FORMATS)[number];

export function isLabelFormat(s: unknown): s is LabelFormat {
  return typeof s === 'string' && (LABEL_FORMATS as readonly string[]).includes(s);
}

/** What an export reads of a batch: its codes' key, its size, and what the labels print. */
export type ExportableBatch = Pick<BatchRow, 'id' | 'key_number' | 'quantity' | 'lot_code' | 'stars' | 'product_name'> & Partial<Pick<BatchRow, 'certificate_number' | 'producer_name'>>;

/** 8 px per module: a version 6 symbol is 392 px square, about 33 mm at 300 dpi, under 1 KB. */
export const LABEL_PNG_SCALE = 8;

const CONTENT_TYPES: Record<LabelFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  pdf: 'application/pdf',
  'png-zip': 'application/zip',
  'svg-zip': 'application/zip',
};

/** `ocop-lo-<id>-<lot>`: the id keeps two certificates' lots of the same name apart. */
function fileBase(batch: Pick<ExportableBatch, 'id' | 'lot_code'>): string {
  return `ocop-lo-${batch.id}-${batch.lot_code.replace(/[^A-Za-z0-9._-]/g, '_')}`;
}

/** `ocop-lo-12-HM-01.csv`, `….pdf`, `…-png.zip`, `…-svg.zip`; ZIP entries add the serial. */
export function exportFileName(batch: Pick<ExportableBatch, 'id' | 'lot_code'>, format: LabelFormat): string {
  const base = fileBase(batch);
  switch (format) {
    case 'csv':
      return `${base}.csv`;
    case 'pdf':
      return `${base}.pdf`;
    case 'png-zip':
      return `${base}-png.zip`;
    case 'svg-zip':
      return `${base}-svg.zip`;
  }
}

function entryName(batch: ExportableBatch, serial: number, ext: 'png' | 'svg'): string {
  return `${fileBase(batch)}-${String(serial).padStart(7, '0')}.${ext}`;
}

/**
 * Whether this batch can be exported in this format, refused before any byte is sent so a
 * download never fails half-way: a key that was withdrawn or is not held here, a ZIP over
 * its file limit, a label layout that does not fit its page or would print QR codes too small
 * to scan. Returns the resolved layout for a PDF.
 */
export function checkExportable(ring: KeyRing, batch: ExportableBatch, format: LabelFormat, layout: LabelLayoutOptions = {}): LabelLayout | undefined {
  const key = ring.get(batch.key_number);
  if (!key || !key.privateKey) {
    throw new AppError(409, 'key_unavailable', `Khóa ký ocop-${batch.key_number} của lô này không có trên máy chủ này.`, `The batch's signing key ocop-${batch.key_number} is not held by this server.`);
  }
  if (key.status === 'withdrawn') {
    throw new AppError(409, 'key_withdrawn', `Khóa ký ocop-${batch.key_number} đã bị thu hồi: mã của lô này không còn được xác nhận là thật. Hãy tạo lô mới.`, `Signing key ocop-${batch.key_number} was withdrawn: this batch's codes no longer verify. Issue a new batch.`);
  }
  if ((format === 'png-zip' || format === 'svg-zip') && batch.quantity > ZIP_MAX_FILES) {
    throw new AppError(400, 'zip_too_large', `Tệp ZIP chứa tối đa ${ZIP_MAX_FILES} mã; lô này có ${batch.quantity}. Hãy tải CSV hoặc PDF.`, `A ZIP holds at most ${ZIP_MAX_FILES} codes; this batch has ${batch.quantity}. Download CSV or PDF.`);
  }
  if (format !== 'pdf') return undefined;
  try {
    return resolveLabelLayout(layout);
  } catch (error) {
    if (!(error instanceof LabelLayoutError)) throw error;
    throw badLayout(error.messageVi, error.messageEn, { [error.field]: error.message });
  }
}

function badLayout(vi: string, en: string, fields: Record<string, string>): AppError {
  return new AppError(400, 'bad_layout', vi, en, { fields });
}

export interface BatchExport {
  fileName: string;
  contentType: string;
  /** Codes in the export: the batch's quantity. */
  total: number;
  stream: ReadableStream<Uint8Array>;
}

export interface ExportOptions {
  /** Label layout options (label-layouts.ts), for PDF. */
  layout?: LabelLayoutOptions;
  /** Called as codes are written, while the stream is read. */
  onProgress?: (done: number, total: number) => void;
}

async function* map<T, U>(source: AsyncIterable<T>, fn: (t: T) => U): AsyncGenerator<U> {
  for await (const item of source) yield fn(item);
}

/**
 * One batch's codes in the chosen format: CSV for packaging printers, a ZIP of PNG or SVG
 * symbols, or A4 label sheets. Checks first (`checkExportable`), then signs codes as the
 * consumer reads, so the download starts at once and memory stays flat from 1 to 1,000,000
 * packages. Repeating an export gives the same codes (Ed25519 is deterministic).
 */
export function batchExport(ring: KeyRing, baseUrl: string, batch: ExportableBatch, format: LabelFormat, opts: ExportOptions = {}): BatchExport {
  const layout = checkExportable(ring, batch, format, opts.layout ?? {});
  const total = batch.quantity;
  const progress = opts.onProgress ? { onProgress: opts.onProgress } : {};
  const codes: AsyncIterable<BatchCode> = batchUrls(ring, batch, baseUrl);
  const done = (stream: ReadableStream<Uint8Array>): BatchExport => ({ fileName: exportFileName(batch, format), contentType: CONTENT_TYPES[format], total, stream });
  switch (format) {
    case 'csv':
      return done(csvStream(codes, { total, ...progress }));
    case 'pdf':
      return done(
        labelSheetPdf({
          labels: codes,
          total,
          productName: batch.product_name,
          stars: batch.stars,
          lot: batch.lot_code,
          ...(batch.certificate_number ? { certificateNumber: batch.certificate_number } : {}),
          ...(batch.producer_name ? { producerName: batch.producer_name } : {}),
          ...(layout ? { layout } : {}),
          ...progress,
        }),
      );
    case 'png-zip':
      return done(zipStream(map(codes, (c) => ({ name: entryName(batch, c.serial, 'png'), data: qrPng(qrMatrix(c.url), { scale: LABEL_PNG_SCALE }) })), { total, ...progress }));
    case 'svg-zip': {
      const encoder = new TextEncoder();
      const svg = (c: BatchCode) => encoder.encode(qrSvg(qrMatrix(c.url), { title: `OCOP ${batch.lot_code} #${c.serial}` }));
      return done(zipStream(map(codes, (c) => ({ name: entryName(batch, c.serial, 'svg'), data: svg(c) })), { total, ...progress }));
    }
  }
}

/** The export as a download: an attachment that is never cached (the codes are the product's). */
export function labelDownload(ring: KeyRing, baseUrl: string, batch: ExportableBatch, format: LabelFormat, layout: LabelLayoutOptions = {}): Response {
  const { stream, fileName, contentType } = batchExport(ring, baseUrl, batch, format, { layout });
  return new Response(stream, {
    headers: {
      'content-type': contentType,
      'content-disposition': `attachment; filename="${fileName}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}

/**
 * Layout options from the CLI's flags (strings, as in a query string), checked by the same
 * schema as the admin form and API; the first problem is a 400 `bad_layout` naming the flag.
 */
export function layoutFromStrings(values: Partial<Record<string, string | undefined>>): LabelLayoutOptions {
  const parsed = labelLayoutQuery.safeParse(values);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const [vi, en] = issue.message.split(' / ');
  throw badLayout(vi ?? issue.message, en ?? issue.message, { [String(issue.path[0] ?? 'preset')]: issue.message });
}
