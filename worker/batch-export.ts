import type { Kysely } from 'kysely';
import type { Database } from '../schema/database';
import { batchUrls, type BatchCode } from './codes/batch-codes';
import type { KeyRing } from './codes/keyring';
import { DomainError } from './domain/errors';
import { csvStream } from './qr/csv';
import { labelSheetPdf } from './qr/labels-pdf';
import { qrMatrix } from './qr/matrix';
import { qrPng } from './qr/png';
import { qrSvg } from './qr/svg';
import { ZIP_MAX_FILES, zipStream } from './qr/zip';

export const EXPORT_FORMATS = ['csv', 'pdf', 'png-zip', 'svg-zip'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  pdf: 'application/pdf',
  'png-zip': 'application/zip',
  'svg-zip': 'application/zip',
};

export function exportFileName(lot: string, batchId: number, format: ExportFormat): string {
  const safeLot = lot.replace(/[^A-Za-z0-9._-]/g, '_');
  const ext = format === 'csv' ? 'csv' : format === 'pdf' ? 'pdf' : 'zip';
  return `ocop-batch-${batchId}-${safeLot}${format.endsWith('zip') ? `-${format.slice(0, 3)}` : ''}.${ext}`;
}

export interface ExportOptions {
  columns?: number | undefined;
  rows?: number | undefined;
  onStart?: (total: number) => void;
  onProgress?: (done: number, total: number) => void;
}

async function* map<T, U>(source: AsyncIterable<T>, fn: (t: T) => U): AsyncGenerator<U> {
  for await (const item of source) yield fn(item);
}

/**
 * One batch's codes as a stream in the chosen format: CSV for packaging printers, a ZIP of
 * PNG or SVG symbols, or A4 label sheets. Codes are signed as the consumer reads, so the
 * download starts at once and memory stays flat whatever the quantity.
 */
export async function batchExport(
  db: Kysely<Database>,
  ring: KeyRing,
  batchId: number,
  baseUrl: string,
  format: ExportFormat,
  opts: ExportOptions = {},
): Promise<ReadableStream<Uint8Array>> {
  const batch = await db
    .selectFrom('package_batches as b')
    .innerJoin('certificates as c', 'c.id', 'b.certificate_id')
    .innerJoin('products as p', 'p.id', 'c.product_id')
    .select(['b.id', 'b.key_number', 'b.quantity', 'b.lot_code', 'c.stars', 'p.name as product_name'])
    .where('b.id', '=', batchId)
    .executeTakeFirst();
  if (!batch) throw new DomainError('unknown_batch', `Unknown batch ${batchId}`, `Không tìm thấy lô ${batchId}`);
  if (format.endsWith('zip') && batch.quantity > ZIP_MAX_FILES) {
    throw new DomainError('zip_too_large', `A ZIP holds at most ${ZIP_MAX_FILES} images: use CSV or PDF for this batch`, `Tệp ZIP chứa tối đa ${ZIP_MAX_FILES} ảnh: hãy dùng CSV hoặc PDF cho lô này`);
  }
  const total = batch.quantity;
  opts.onStart?.(total);
  const codes: AsyncIterable<BatchCode> = batchUrls(ring, batch, baseUrl);
  const onProgress = opts.onProgress;
  switch (format) {
    case 'csv':
      return csvStream(codes, { total, ...(onProgress ? { onProgress } : {}) });
    case 'pdf':
      return labelSheetPdf({
        labels: codes,
        total,
        productName: batch.product_name,
        stars: batch.stars,
        lot: batch.lot_code,
        layout: { ...(opts.columns ? { columns: opts.columns } : {}), ...(opts.rows ? { rows: opts.rows } : {}) },
        ...(onProgress ? { onProgress } : {}),
      });
    case 'png-zip':
      return zipStream(map(codes, (c) => ({ name: `${batch.lot_code}-${String(c.serial).padStart(7, '0')}.png`.replace(/[/\\]/g, '_'), data: qrPng(qrMatrix(c.url)) })), { total, ...(onProgress ? { onProgress } : {}) });
    case 'svg-zip': {
      const enc = new TextEncoder();
      return zipStream(map(codes, (c) => ({ name: `${batch.lot_code}-${String(c.serial).padStart(7, '0')}.svg`.replace(/[/\\]/g, '_'), data: enc.encode(qrSvg(qrMatrix(c.url), { title: c.url })) })), { total, ...(onProgress ? { onProgress } : {}) });
    }
  }
}
