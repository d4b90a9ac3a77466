// Product photos and certificate decision documents: which file of the media store is what.
// Written by the admin upload routes (worker/media/uploads.ts) and the demo seed; read by the
// public pages and the /media route.
import type { Kysely } from 'kysely';
import type { Database } from '../../schema/database';
import { DomainError } from '../domain/errors';
import { audit, type Actor } from './audit';

export type PhotoKind = 'product' | 'package';

export interface RenditionView {
  width: number;
  height: number;
  sha256: string;
  bytes: number;
}

export interface PhotoView {
  id: number;
  productId: number;
  kind: PhotoKind;
  isMain: boolean;
  width: number;
  height: number;
  /** Smallest first. */
  renditions: RenditionView[];
}

export interface NewPhoto {
  productId: number;
  kind: PhotoKind;
  makeMain: boolean;
  width: number;
  height: number;
  renditions: RenditionView[];
}

async function photosWhere(db: Kysely<Database>, filter: { productIds?: readonly number[]; mainOnly?: boolean }): Promise<PhotoView[]> {
  let q = db.selectFrom('product_photos').selectAll();
  if (filter.productIds) {
    if (filter.productIds.length === 0) return [];
    q = q.where('product_id', 'in', filter.productIds);
  }
  if (filter.mainOnly) q = q.where('is_main', '=', true);
  const photos = await q.orderBy('is_main', 'desc').orderBy('id').execute();
  if (photos.length === 0) return [];
  const renditions = await db
    .selectFrom('product_photo_renditions')
    .selectAll()
    .where('photo_id', 'in', photos.map((p) => p.id))
    .orderBy('width')
    .execute();
  // A photo is recorded with its renditions in one transaction; one without any (never made
  // by the upload path) is left out rather than shown broken.
  return photos.map((p) => ({
    id: p.id,
    productId: p.product_id,
    kind: p.kind,
    isMain: p.is_main,
    width: p.width,
    height: p.height,
    renditions: renditions.filter((r) => r.photo_id === p.id).map((r) => ({ width: r.width, height: r.height, sha256: r.sha256, bytes: Number(r.bytes) })),
  })).filter((p) => p.renditions.length > 0);
}

/** A product's photos, the main one first. */
export function productPhotos(db: Kysely<Database>, productId: number): Promise<PhotoView[]> {
  return photosWhere(db, { productIds: [productId] });
}

/** The main photo of every product that has one (a few hundred rows: cached by MediaService). */
export async function mainPhotos(db: Kysely<Database>): Promise<Map<number, PhotoView>> {
  const rows = await photosWhere(db, { mainOnly: true });
  return new Map(rows.map((p) => [p.productId, p]));
}

const summary = (p: { id: number; kind: string; isMain?: boolean; is_main?: boolean; width: number; height: number }) => ({ id: p.id, kind: p.kind, main: p.isMain ?? p.is_main, width: p.width, height: p.height });

/** Records an uploaded photo (its files already in the store); the first photo of a product is its main one. */
export async function addPhoto(db: Kysely<Database>, actor: Actor, input: NewPhoto): Promise<PhotoView> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('product_photos').select('id').where('product_id', '=', input.productId).limit(1).executeTakeFirst();
    const main = input.makeMain || !existing;
    if (main) await trx.updateTable('product_photos').set({ is_main: false }).where('product_id', '=', input.productId).where('is_main', '=', true).execute();
    const row = await trx
      .insertInto('product_photos')
      .values({ product_id: input.productId, kind: input.kind, is_main: main, width: input.width, height: input.height, created_by: actor.userId })
      .returning(['id'])
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('product_photo_renditions')
      .values(input.renditions.map((r) => ({ photo_id: row.id, width: r.width, height: r.height, sha256: r.sha256, bytes: r.bytes })))
      .execute();
    const view: PhotoView = { id: row.id, productId: input.productId, kind: input.kind, isMain: main, width: input.width, height: input.height, renditions: input.renditions };
    await audit(trx, actor, { action: 'product_photo.add', entity: 'product', entityId: input.productId, after: { ...summary(view), files: input.renditions.map((r) => r.sha256) } });
    return view;
  });
}

function unknownPhoto(): DomainError {
  return new DomainError('unknown_photo', 'Unknown photo', 'Không tìm thấy ảnh');
}

export async function setMainPhoto(db: Kysely<Database>, actor: Actor, productId: number, photoId: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const photo = await trx.selectFrom('product_photos').selectAll().where('id', '=', photoId).where('product_id', '=', productId).executeTakeFirst();
    if (!photo) throw unknownPhoto();
    const before = await trx.selectFrom('product_photos').select('id').where('product_id', '=', productId).where('is_main', '=', true).executeTakeFirst();
    await trx.updateTable('product_photos').set({ is_main: false }).where('product_id', '=', productId).where('is_main', '=', true).execute();
    await trx.updateTable('product_photos').set({ is_main: true }).where('id', '=', photoId).execute();
    await audit(trx, actor, { action: 'product_photo.main', entity: 'product', entityId: productId, before: { mainPhotoId: before?.id ?? null }, after: { mainPhotoId: photoId } });
  });
}

/** Removes a photo; when it was the main one, the oldest remaining photo becomes main. The files stay in the store (others may share them). */
export async function removePhoto(db: Kysely<Database>, actor: Actor, productId: number, photoId: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const photo = await trx.selectFrom('product_photos').selectAll().where('id', '=', photoId).where('product_id', '=', productId).executeTakeFirst();
    if (!photo) throw unknownPhoto();
    await trx.deleteFrom('product_photos').where('id', '=', photoId).execute();
    let newMain: number | null = null;
    if (photo.is_main) {
      const next = await trx.selectFrom('product_photos').select('id').where('product_id', '=', productId).orderBy('id').limit(1).executeTakeFirst();
      if (next) {
        await trx.updateTable('product_photos').set({ is_main: true }).where('id', '=', next.id).execute();
        newMain = next.id;
      }
    }
    await audit(trx, actor, { action: 'product_photo.remove', entity: 'product', entityId: productId, before: summary(photo), after: { mainPhotoId: newMain } });
  });
}

export interface DocumentView {
  sha256: string;
  bytes: number;
  uploadedAt: Date;
}

export async function certificateDocument(db: Kysely<Database>, certificateId: number): Promise<DocumentView | null> {
  const row = await db.selectFrom('certificate_documents').selectAll().where('certificate_id', '=', certificateId).executeTakeFirst();
  return row ? { sha256: row.sha256, bytes: Number(row.bytes), uploadedAt: row.uploaded_at } : null;
}

/** Records (or replaces) a certificate's decision scan, its file already in the store. */
export async function setCertificateDocument(db: Kysely<Database>, actor: Actor, certificateId: number, file: { sha256: string; bytes: number }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('certificate_documents').select(['sha256', 'bytes']).where('certificate_id', '=', certificateId).executeTakeFirst();
    await trx
      .insertInto('certificate_documents')
      .values({ certificate_id: certificateId, sha256: file.sha256, bytes: file.bytes, uploaded_by: actor.userId })
      .onConflict((oc) => oc.column('certificate_id').doUpdateSet({ sha256: file.sha256, bytes: file.bytes, uploaded_by: actor.userId, uploaded_at: new Date() }))
      .execute();
    await audit(trx, actor, { action: 'certificate.decision_document', entity: 'certificate', entityId: certificateId, before: before ?? null, after: file });
  });
}

/** Whether a stored file is still published: a rendition of a photo, or a certificate's decision. */
export async function isPublished(db: Kysely<Database>, sha256: string, kind: 'image' | 'pdf'): Promise<{ certificateNumber: string | null } | null> {
  if (kind === 'image') {
    const row = await db.selectFrom('product_photo_renditions').select('photo_id').where('sha256', '=', sha256).limit(1).executeTakeFirst();
    return row ? { certificateNumber: null } : null;
  }
  const row = await db
    .selectFrom('certificate_documents as d')
    .innerJoin('certificates as c', 'c.id', 'd.certificate_id')
    .select('c.number')
    .where('d.sha256', '=', sha256)
    .limit(1)
    .executeTakeFirst();
  return row ? { certificateNumber: row.number } : null;
}
