// The upload pipeline, one for the admin routes and the demo seed: check what the file is by
// its bytes, refuse what is cut short, too large or hostile before decoding anything, make
// the renditions, put the files in the store, then record them (audited) in one transaction.
// A refused file leaves nothing behind: nothing is stored before every check has passed.
import type { Kysely } from 'kysely';
import type { Database } from '../../schema/database';
import type { Actor } from '../db/audit';
import { addPhoto, setCertificateDocument, type PhotoKind, type PhotoView } from '../db/media';
import { DomainError } from '../domain/errors';
import { makeRenditions } from './images';
import { sniff } from './sniff';
import { sha256Hex, type MediaStore } from './store';

const MB = 1024 * 1024;
/** Largest photo accepted: a 12-megapixel phone JPEG is 3–6 MB. */
export const MAX_IMAGE_BYTES = 8 * MB;
/** Largest decision scan: a few pages scanned at 200–300 dpi. */
export const MAX_PDF_BYTES = 10 * MB;
/** Smallest side worth showing (the scan page's thumbnail is 320 px wide). */
export const MIN_IMAGE_SIDE = 160;
/** Longest side decoded: beyond it an image is almost surely a bomb, not a photo. */
export const MAX_IMAGE_SIDE = 16_384;

export interface ImageLimits {
  /** Pixels decoded at most (width × height, read from the header before decoding). */
  maxPixels: number;
}

export interface PhotoUpload {
  productId: number;
  kind: PhotoKind;
  makeMain: boolean;
  bytes: Uint8Array;
}

const mb = (bytes: number) => `${Math.round(bytes / MB)} MB`;

/** The renditions of an acceptable photo, or the refusal with its message (Vietnamese first). */
export async function processPhoto(bytes: Uint8Array, limits: ImageLimits) {
  if (bytes.length === 0) throw new DomainError('file_missing', 'Choose a photo to upload', 'Hãy chọn một ảnh để tải lên');
  if (bytes.length > MAX_IMAGE_BYTES) throw new DomainError('file_too_large', `The photo is larger than ${mb(MAX_IMAGE_BYTES)}`, `Ảnh lớn hơn ${mb(MAX_IMAGE_BYTES)}, hãy chọn ảnh nhỏ hơn`);
  const sniffed = sniff(bytes);
  if (!sniffed.ok) {
    if (sniffed.reason === 'truncated') throw new DomainError('file_truncated', 'The photo is incomplete (cut off during upload or damaged)', 'Ảnh không đầy đủ (bị cắt khi tải lên hoặc bị hỏng), hãy tải lại');
    if (sniffed.reason === 'bad_header') throw new DomainError('image_unreadable', 'The photo cannot be read', 'Không đọc được ảnh này, hãy chụp hoặc lưu lại ảnh rồi thử lại');
    throw new DomainError('file_wrong_type', 'Only JPEG, PNG or WebP photos are accepted', 'Chỉ nhận ảnh JPEG, PNG hoặc WebP (tệp này không phải ảnh, dù tên tệp có thể là .jpg)');
  }
  if (sniffed.type === 'application/pdf') throw new DomainError('file_wrong_type', 'Only JPEG, PNG or WebP photos are accepted (this is a PDF)', 'Chỉ nhận ảnh JPEG, PNG hoặc WebP (tệp này là PDF)');
  const { width, height } = sniffed;
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE || width * height > limits.maxPixels) {
    throw new DomainError(
      'image_too_many_pixels',
      `The photo is ${width} × ${height} pixels; at most ${Math.round(limits.maxPixels / 1e6)} megapixels are accepted`,
      `Ảnh có ${width} × ${height} điểm ảnh, quá lớn (tối đa ${Math.round(limits.maxPixels / 1e6)} triệu điểm ảnh)`,
    );
  }
  if (width < MIN_IMAGE_SIDE || height < MIN_IMAGE_SIDE) {
    throw new DomainError('image_too_small', `The photo is ${width} × ${height} pixels; at least ${MIN_IMAGE_SIDE} on each side`, `Ảnh quá nhỏ (${width} × ${height} điểm ảnh), cần ít nhất ${MIN_IMAGE_SIDE} điểm ảnh mỗi chiều`);
  }
  try {
    return await makeRenditions(bytes, sniffed.orientation);
  } catch {
    // The header was sound but the picture data is not (corrupt or crafted): the decoder refused it.
    throw new DomainError('image_unreadable', 'The photo cannot be decoded', 'Không giải mã được ảnh này (tệp bị hỏng), hãy chụp hoặc lưu lại ảnh rồi thử lại');
  }
}

/** Checks, re-encodes, stores and records a product or package photo. */
export async function uploadPhoto(db: Kysely<Database>, store: MediaStore, actor: Actor, upload: PhotoUpload, limits: ImageLimits): Promise<PhotoView> {
  const renditions = await processPhoto(upload.bytes, limits);
  const stored = [];
  for (const r of renditions) {
    const sha256 = await sha256Hex(r.bytes);
    await store.put(sha256, r.bytes, 'image/jpeg');
    stored.push({ width: r.width, height: r.height, sha256, bytes: r.bytes.length });
  }
  const largest = stored[stored.length - 1]!;
  return addPhoto(db, actor, { productId: upload.productId, kind: upload.kind, makeMain: upload.makeMain, width: largest.width, height: largest.height, renditions: stored });
}

/** Checks, stores and records the scanned decision of a certificate (replacing an earlier one). */
export async function uploadDecision(db: Kysely<Database>, store: MediaStore, actor: Actor, certificateId: number, bytes: Uint8Array): Promise<{ sha256: string; bytes: number }> {
  if (bytes.length === 0) throw new DomainError('file_missing', 'Choose the PDF to upload', 'Hãy chọn tệp PDF để tải lên');
  if (bytes.length > MAX_PDF_BYTES) throw new DomainError('file_too_large', `The PDF is larger than ${mb(MAX_PDF_BYTES)}`, `Tệp PDF lớn hơn ${mb(MAX_PDF_BYTES)}`);
  const sniffed = sniff(bytes);
  if (sniffed.ok && sniffed.type !== 'application/pdf') throw new DomainError('file_wrong_type', 'Only a PDF is accepted (this is an image)', 'Chỉ nhận tệp PDF (tệp này là ảnh: hãy quét quyết định thành PDF)');
  if (!sniffed.ok) {
    if (sniffed.reason === 'truncated') throw new DomainError('file_truncated', 'The PDF is incomplete (no end of file)', 'Tệp PDF không đầy đủ (thiếu phần kết thúc), hãy tải lại');
    throw new DomainError('file_wrong_type', 'Only a PDF is accepted', 'Chỉ nhận tệp PDF');
  }
  const sha256 = await sha256Hex(bytes);
  await store.put(sha256, bytes, 'application/pdf');
  const file = { sha256, bytes: bytes.length };
  await setCertificateDocument(db, actor, certificateId, file);
  return file;
}
