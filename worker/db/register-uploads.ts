// Register files kept between the import preview and its confirmation (migration
// 2026-12-02-05-import). Each upload belongs to whoever uploaded it; its bytes are cleared
// once imported, and unconfirmed uploads are deleted after a day by the next upload.
import type { Kysely } from 'kysely';
import type { Database } from '../../schema/database';
import type { ColumnMapping } from '../domain/register-columns';
import { isRegisterField } from '../domain/register-columns';
import { jsonb } from './json';

export const UPLOAD_KEEP_HOURS = 24;

export interface RegisterUpload {
  id: number;
  fileName: string;
  sha256: string;
  sizeBytes: number;
  content: Uint8Array;
  mapping: ColumnMapping | null;
  uploadedByLabel: string;
  createdAt: Date;
  appliedAt: Date | null;
  result: unknown;
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function mappingOf(value: unknown): ColumnMapping | null {
  if (!Array.isArray(value)) return null;
  return value.map((f) => (isRegisterField(f) ? f : null));
}

export async function saveUpload(db: Kysely<Database>, input: { fileName: string; sha256: string; content: Uint8Array; uploadedByLabel: string; uploadedBy: number | null }, now: Date): Promise<number> {
  await db.deleteFrom('register_uploads').where('applied_at', 'is', null).where('created_at', '<', new Date(now.getTime() - UPLOAD_KEEP_HOURS * 3600_000)).execute();
  const row = await db
    .insertInto('register_uploads')
    .values({ file_name: input.fileName, sha256: input.sha256, size_bytes: input.content.length, content: input.content, uploaded_by_label: input.uploadedByLabel, uploaded_by: input.uploadedBy })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The upload if it is the caller's own (null otherwise, so another's upload is simply not found). */
export async function getUpload(db: Kysely<Database>, id: number, uploadedByLabel: string): Promise<RegisterUpload | null> {
  const r = await db.selectFrom('register_uploads').selectAll().where('id', '=', id).where('uploaded_by_label', '=', uploadedByLabel).executeTakeFirst();
  if (!r) return null;
  return {
    id: r.id,
    fileName: r.file_name,
    sha256: r.sha256,
    sizeBytes: r.size_bytes,
    content: new Uint8Array(r.content),
    mapping: mappingOf(r.mapping),
    uploadedByLabel: r.uploaded_by_label,
    createdAt: r.created_at,
    appliedAt: r.applied_at,
    result: r.result,
  };
}

export async function saveMapping(db: Kysely<Database>, id: number, mapping: ColumnMapping): Promise<void> {
  await db.updateTable('register_uploads').set({ mapping: jsonb(mapping) }).where('id', '=', id).where('applied_at', 'is', null).execute();
}

/** Marks an upload imported inside the import's transaction: the bytes go, the record stays. */
export async function markApplied(db: Kysely<Database>, id: number, result: unknown, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('register_uploads')
    .set({ applied_at: now, result: jsonb(result), content: new Uint8Array(0) })
    .where('id', '=', id)
    .where('applied_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
