import type { KeyRing } from '../worker/codes/keyring';
import { batchUrls } from '../worker/codes/batch-codes';
import type { BatchRow } from '../worker/db/batches';
import { DomainError } from '../worker/domain/errors';
import { AppError } from '../worker/errors';
import { csvStream } from '../worker/qr/csv';
import { labelGeometry, labelSheetPdf, type LabelLayout } from '../worker/qr/labels-pdf';
import { qrMatrix } from '../worker/qr/matrix';
import { qrPng } from '../worker/qr/png';
import { qrSvg } from '../worker/qr/svg';
import { ZIP_MAX_FILES, zipStream } from '../worker/qr/zip';

export const LABEL_FORMATS = ['csv', 'pdf', 'png-zip', 'svg-zip'] as const;
export type LabelFormat = (typeof LABEL_FORMATS)[number];

export function isLabelFormat(s: unknown): s is LabelFormat {
  return typeof s === 'string' && (LABEL_FORMATS as readonly string[]).includes(s);
}

function fileBase(batch: Pick<BatchRow, 'id' | 'lot_code'>): string {
  return `ocop-lo-${batch.id}-${batch.lot_code.replace(/[^A-Za-z0-9._-]/g, '_')}`;
}

/**
 * Refuses, before any byte is sent, what would fail half-way through a download: a key that
 * was withdrawn or is not held here, a ZIP over its file limit, a grid with QR under 20 mm.
 */
function precheck(ring: KeyRing, batch: BatchRow, format: LabelFormat, layout: LabelLayout): void {
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
  if (format === 'pdf') {
    try {
      labelGeometry(layout);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new AppError(400, 'bad_layout', message.split(' / ')[0] ?? message, message.split(' / ')[1] ?? message);
    }
  }
}

/**
 * The labels of a batch as a download that starts at once and streams: codes are signed as
 * the client reads, so memory stays flat from 1 to 1,000,000 packages. Repeating a download
 * gives the same codes (Ed25519 is deterministic).
 */
export function labelDownload(ring: KeyRing, baseUrl: string, batch: BatchRow, format: LabelFormat, layout: LabelLayout = {}): Response {
  precheck(ring, batch, format, layout);
  const codes = () => batchUrls(ring, batch, baseUrl);
  const base = fileBase(batch);
  const headers = (type: string, name: string) => ({
    'content-type': type,
    'content-disposition': `attachment; filename="${name}"`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  switch (format) {
    case 'csv':
      return new Response(csvStream(codes(), { total: batch.quantity }), { headers: headers('text/csv; charset=utf-8', `${base}.csv`) });
    case 'pdf':
      return new Response(labelSheetPdf({ labels: codes(), total: batch.quantity, productName: batch.product_name, stars: batch.stars, lot: batch.lot_code, layout }), {
        headers: headers('application/pdf', `${base}.pdf`),
      });
    case 'png-zip':
      return new Response(
        zipStream(
          (async function* () {
            for await (const c of codes()) yield { name: `${base}-${String(c.serial).padStart(7, '0')}.png`, data: qrPng(qrMatrix(c.url), { scale: 8 }) };
          })(),
          { total: batch.quantity },
        ),
        { headers: headers('application/zip', `${base}-png.zip`) },
      );
    case 'svg-zip': {
      const encoder = new TextEncoder();
      return new Response(
        zipStream(
          (async function* () {
            for await (const c of codes()) yield { name: `${base}-${String(c.serial).padStart(7, '0')}.svg`, data: encoder.encode(qrSvg(qrMatrix(c.url), { title: `OCOP ${batch.lot_code} #${c.serial}` })) };
          })(),
          { total: batch.quantity },
        ),
        { headers: headers('application/zip', `${base}-svg.zip`) },
      );
    }
  }
}

/**
 * A batch needs a key that may sign today. Checked before the database is touched, so a
 * withdrawn or missing key gives a clear refusal instead of an internal error.
 */
export function requireSigningKey(ring: KeyRing): void {
  try {
    ring.signer();
  } catch {
    throw new DomainError('no_signing_key', 'No active signing key: the province admin must add one before batches can be issued', 'Chưa có khóa ký đang hoạt động: quản trị tỉnh cần bổ sung khóa mới trước khi tạo lô');
  }
}

/** Grid options from a query (`?columns=3&rows=7`), refusing non-numbers. */
export function layoutFromQuery(q: (k: string) => string | undefined): LabelLayout {
  const out: LabelLayout = {};
  for (const k of ['columns', 'rows'] as const) {
    const v = q(k);
    if (v === undefined || v === '') continue;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 20) throw new AppError(400, 'bad_layout', `Số ${k === 'columns' ? 'cột' : 'hàng'} phải từ 1 đến 20`, `${k} must be 1 to 20`);
    out[k] = n;
  }
  return out;
}
