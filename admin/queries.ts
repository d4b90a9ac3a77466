import { z } from 'zod';
import type { AuditFilter } from '../worker/db/audit';
import type { CertificateFilter, StateFilter } from '../worker/db/certificates';
import { parseIsoDate } from '../worker/domain/dates';
import { LABEL_FORMATS } from '../worker/batch-export';
import { checkLabelLayout, labelLayoutShape } from '../worker/qr/label-layouts';
import { LEGAL_FORMS, REPORT_STATUSES } from '../worker/domain/vocabulary';
import { AppError, type FieldErrors } from '../worker/errors';

// The query strings of the admin lists, shared by the UI's filter forms (GET) and the admin
// API, validated by zValidator('query') (admin/actions.ts `validQuery`, or the API's route
// declarations). A blank field means "any"; a value that is not blank but wrong is refused
// with 400 (`bad_filter`), never silently widened to "any". Messages: Vietnamese / English.

/** A filter that failed its schema: 400, the messages by parameter in `details.fields`. */
export function badFilter(fields: FieldErrors): AppError {
  const names = Object.keys(fields).join(', ');
  return new AppError(400, 'bad_filter', `Bộ lọc không hợp lệ: ${names}`, `Invalid filter: ${names}`, { fields });
}

/** A repeated parameter counts once, as a browser's filter form never repeats one; blank is absent. */
function present(v: unknown): unknown {
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' && first.trim() === '' ? undefined : first;
}

const optional = <T extends z.ZodType>(schema: T) => z.preprocess(present, schema.optional());

/** Free text for a search: trimmed, and cut (not refused) at 100 characters. */
const search = optional(z.string().transform((s) => s.trim().slice(0, 100) || undefined));

/** A district id, as the area filter's options send it. */
const area = optional(z.string().trim().regex(/^[a-z0-9-]{1,60}$/, 'Địa bàn không hợp lệ / Invalid area'));

/** A row id or a count in a filter. */
const int = (min: number, max: number, message = 'Phải là số nguyên không âm / Must be a whole number') =>
  optional(z.coerce.number({ error: message }).int(message).min(min, message).max(max, message));

const id = int(0, 2_147_483_647);

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return optional(z.enum(values, { error: `Một trong: ${values.join(', ')} / One of: ${values.join(', ')}` }));
}

const day = optional(z.string().trim().refine((s) => parseIsoDate(s) !== null, 'Ngày không hợp lệ (YYYY-MM-DD) / Invalid date (YYYY-MM-DD)'));

function matching(max: number, pattern: RegExp) {
  return optional(z.string().trim().max(max, `Tối đa ${max} ký tự / At most ${max} characters`).regex(pattern, 'Ký tự không hợp lệ / Invalid characters'));
}

/** A checkbox (`on`) in the UI, `true` in the API. */
const flag = z.preprocess(present, z.enum(['on', 'true', '1', 'false', '0']).optional()).transform((v) => v === 'on' || v === 'true' || v === '1');

/** A page size: clamped to `max`, so a client asking for more gets the most there is. */
const limit = (fallback: number, max: number) => int(0, Number.MAX_SAFE_INTEGER).transform((n) => Math.max(1, Math.min(n ?? fallback, max)));

export const STATE_FILTERS = ['active', 'valid', 'expiring', 'expired', 'renewal_pending', 'revoked', 'superseded'] as const satisfies readonly StateFilter[];

const certificateFields = {
  q: search,
  state: oneOf(STATE_FILTERS),
  expiring: optional(z.enum(['30', '90'], { error: 'Chỉ lọc hết hạn trong 30 hoặc 90 ngày / Expiring filter must be 30 or 90 days' })),
  area,
  group: id,
  stars: int(3, 5, 'Hạng sao phải từ 3 đến 5 / Stars must be 3 to 5'),
  producer: id,
};

function toCertificateFilter(v: z.output<z.ZodObject<typeof certificateFields>>): CertificateFilter {
  return { q: v.q, state: v.state, expiringWithin: v.expiring === undefined ? undefined : Number(v.expiring), area: v.area, groupId: v.group, stars: v.stars, producerId: v.producer };
}

/** The certificate list's filters (UI and API). */
export const certificateQuery = z.object(certificateFields).transform(toCertificateFilter);

/** The API's certificate list: the same filters and a page size (default 500, at most 2000). */
export const certificateApiQuery = z.object({ ...certificateFields, limit: limit(500, 2000) }).transform((v) => ({ filter: toCertificateFilter(v), limit: v.limit }));

const auditFields = {
  action: matching(60, /^[a-z_.]+$/),
  entity: matching(40, /^[a-z_]+$/),
  entity_id: matching(60, /^[A-Za-z0-9_.:-]+$/),
  actor: matching(100, /^[^\u0000-\u001f]+$/),
  from: day,
  to: day,
  /** Entries older than this id: the next page. */
  before: id,
};

const toAuditFilter = (v: z.output<z.ZodObject<typeof auditFields>>): AuditFilter => ({ action: v.action, entity: v.entity, entityId: v.entity_id, actor: v.actor, from: v.from, to: v.to });

/** The audit log's filters and page position (UI, CSV and API). */
export const auditQuery = z.object(auditFields).transform((v) => ({ filter: toAuditFilter(v), before: v.before }));

/** The API's audit log: the same, and a page size (default 100, at most 1000). */
export const auditApiQuery = z.object({ ...auditFields, limit: limit(100, 1000) }).transform((v) => ({ filter: toAuditFilter(v), before: v.before, limit: v.limit }));

/**
 * A report period: `2025-H1`, `2025-H2`, `2025`, `custom` with from/to, or nothing (the
 * current half-year). The shape is checked here; `parsePeriod` turns it into dates against today.
 */
export const periodQuery = z.object({
  period: optional(z.string().trim().regex(/^(\d{4}(-H[12])?|custom)$/, 'Kỳ báo cáo: 2025-H1, 2025-H2, 2025 hoặc custom / Period: 2025-H1, 2025-H2, 2025 or custom')),
  from: day,
  to: day,
});

/** The day the dashboard and the plan report measure (default today). */
export const planDayQuery = z.object({ day });

/** The producer list: the UI's form names the legal form `legalForm`, the API `legal_form`. */
export const producerQuery = z.object({ q: search, area, legalForm: oneOf(LEGAL_FORMS), legal_form: oneOf(LEGAL_FORMS) }).transform((v) => ({ q: v.q, area: v.area, legalForm: v.legalForm ?? v.legal_form }));

export const productQuery = z.object({ q: search, area, group: id, producer: id }).transform((v) => ({ q: v.q, area: v.area, groupId: v.group, producerId: v.producer }));

export const evaluationQuery = z.object({ q: search, product: id, pending: flag }).transform((v) => ({ q: v.q, productId: v.product, pending: v.pending }));

export const batchQuery = z.object({ product: id, certificate: id }).transform((v) => ({ productId: v.product, certificateId: v.certificate }));

export const counterfeitQuery = z.object({ status: oneOf(REPORT_STATUSES), product: id }).transform((v) => ({ status: v.status, productId: v.product }));

/**
 * A label download: the format and, for a PDF, the label layout (a preset, or custom sizes),
 * checked by the one layout schema of worker/qr/label-layouts.ts that the CLI uses too.
 */
export function labelQuery(defaultFormat: (typeof LABEL_FORMATS)[number]) {
  return z
    .object({ format: z.preprocess(present, z.enum(LABEL_FORMATS, { error: 'Định dạng phải là csv, pdf, png-zip hoặc svg-zip / Format must be csv, pdf, png-zip or svg-zip' }).default(defaultFormat)), ...labelLayoutShape })
    .superRefine((v, ctx) => {
      if (v.format === 'pdf') checkLabelLayout(v, ctx);
    })
    .transform(({ format, ...layout }) => ({ format, layout }));
}

/** A new-record form opened from another record (`/admin/batches/new?certificate=7`): the id to preselect. */
export function prefillQuery<const K extends string>(name: K) {
  return z.object({ [name]: id } as Record<K, typeof id>);
}

/** Rows ticked in a list (`?ids=3&ids=7`), blanks skipped. */
export const selectionQuery = z.object({
  ids: z.preprocess(
    (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((x) => typeof x !== 'string' || x.trim() !== ''),
    z.array(z.coerce.number({ error: 'Mã không hợp lệ / Invalid id' }).int('Mã không hợp lệ / Invalid id').min(0, 'Mã không hợp lệ / Invalid id').max(2_147_483_647, 'Mã không hợp lệ / Invalid id')).max(500, 'Tối đa 500 / At most 500'),
  ),
});
