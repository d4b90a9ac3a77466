import { AppError } from '../worker/errors';
import type { Scope } from '../worker/db/scope';
import { scopeOf, type AdminContext } from './context';
import type { FormValues } from './ui/components';

/**
 * A submitted form: `data` keeps repeated fields as arrays (for the zod schemas), `values`
 * keeps the first string of each field (to show the form again as it was sent).
 */
export async function readForm(c: AdminContext): Promise<FormFields> {
  let body: Record<string, string | File | (string | File)[]>;
  try {
    body = await c.req.parseBody({ all: true });
  } catch {
    // A multipart body that does not parse (no boundary, no end) is the sender's fault.
    throw new AppError(400, 'invalid_form', 'Không đọc được biểu mẫu gửi lên', 'The submitted form could not be read');
  }
  return formFields(body);
}

export interface FormFields {
  data: Record<string, unknown>;
  values: FormValues;
}

/** A parsed form body with files dropped (no admin form takes one). */
export function formFields(body: Record<string, string | File | (string | File)[]>): FormFields {
  const data: Record<string, unknown> = {};
  const values: FormValues = {};
  for (const [k, v] of Object.entries(body)) {
    const list = Array.isArray(v) ? v : [v];
    const strings = list.filter((x): x is string => typeof x === 'string');
    data[k] = Array.isArray(v) ? strings : (strings[0] ?? undefined);
    values[k] = strings[0];
  }
  return { data, values };
}

/** A path id (the routes only match digits); anything beyond a 32-bit id is simply not found. */
export function idParam(value: string | undefined): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1 || n > 2_147_483_647) throw new AppError(404, 'not_found', 'Không tìm thấy', 'Not found');
  return n;
}

export function notFound(): AppError {
  return new AppError(404, 'not_found', 'Không tìm thấy, hoặc nằm ngoài phạm vi của bạn.', 'Not found, or outside your scope.');
}

/** A row the request named, or the 404 page when it does not exist or is out of scope. */
export function found<T>(row: T | null | undefined): T {
  if (row === null || row === undefined) throw notFound();
  return row;
}

/** The record the path's `:id` names, within the caller's scope; the 404 page when there is none or it is out of scope. */
export async function scopedRecord<T>(c: AdminContext, get: (db: AdminContext['var']['db'], scope: Scope, id: number) => Promise<T | null | undefined>): Promise<T> {
  return found(await get(c.var.db, scopeOf(c), idParam(c.req.param('id'))));
}
