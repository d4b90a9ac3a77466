import { z } from 'zod';
import { parseVietnamesePhone, parseWebsite, WEBSITE_MAX } from '../worker/domain/contact';
import { parseIsoDate } from '../worker/domain/dates';
import { parseGtin } from '../worker/domain/gtin';
import { errorField, type DomainErrorCode } from '../worker/domain/errors';
import { SCORE_MAX } from '../worker/domain/stars';
import { isCleanText, UNCLEAN_TEXT_MESSAGE } from '../worker/domain/text';
import { COUNCIL_LEVELS, ISSUING_LEVELS, LEGAL_FORMS, REPORT_STATUSES, REVOCATION_GROUNDS, ROLES } from '../worker/domain/vocabulary';
import { fieldErrors, type FieldErrors } from '../worker/errors';

// One schema per form, shared by the HTML forms (strings, checkboxes) and the JSON API
// (numbers, booleans): the preprocessors accept both. Messages: Vietnamese / English.

const blankTo = <T>(value: T) => (v: unknown) => (typeof v === 'string' && v.trim() === '' ? value : v);

const REQUIRED = 'Bắt buộc / Required';
const PHONE_MESSAGE = 'Số điện thoại không hợp lệ: cần số Việt Nam, ví dụ 0912 345 678, 0271 3879 123, 1800 1234 / Invalid phone number: a Vietnamese number, e.g. 0912 345 678';
const ZALO_MESSAGE = 'Số Zalo phải là số di động Việt Nam (ví dụ 0912 345 678) / The Zalo number must be a Vietnamese mobile number (e.g. 0912 345 678)';

/**
 * Every text field refuses control characters and lone surrogates (worker/domain/text.ts);
 * only a field meant to hold several lines (`multiline`) keeps tab and line breaks.
 */
const clean = (multiline = false) => (s: string) => isCleanText(s, { multiline });

/** How a text field is read: one line (names, numbers, titles) or several (notes, descriptions). */
type Lines = { multiline?: boolean };

function requiredText(max: number, min = 1, lines: Lines = {}) {
  return z.preprocess(
    blankTo(undefined),
    z
      .string({ error: REQUIRED })
      .trim()
      .min(min, min > 1 ? `Ít nhất ${min} ký tự / At least ${min} characters` : REQUIRED)
      .max(max, `Tối đa ${max} ký tự / At most ${max} characters`)
      .refine(clean(lines.multiline), UNCLEAN_TEXT_MESSAGE)
      .transform((s) => s.normalize('NFC')),
  );
}

function optionalText(max: number, lines: Lines = {}) {
  return z.preprocess(
    blankTo(null),
    z
      .string({ error: 'Phải là chuỗi ký tự / Must be text' })
      .trim()
      .max(max, `Tối đa ${max} ký tự / At most ${max} characters`)
      .refine(clean(lines.multiline), UNCLEAN_TEXT_MESSAGE)
      .transform((s) => s.normalize('NFC'))
      .nullable(),
  ).optional().transform((v) => v ?? null);
}

const MULTILINE: Lines = { multiline: true };

function numberError(iss: { input?: unknown }): string {
  return iss.input === undefined ? REQUIRED : 'Phải là số / Must be a number';
}

function requiredInt(min: number, max: number) {
  return z.preprocess(
    blankTo(undefined),
    z.coerce
      .number({ error: numberError })
      .int('Phải là số nguyên / Must be a whole number')
      .min(min, `Nhỏ nhất là ${min} / At least ${min}`)
      .max(max, `Lớn nhất là ${max.toLocaleString('vi-VN')} / At most ${max}`),
  );
}

const optionalId = z
  .preprocess(blankTo(null), z.coerce.number({ error: numberError }).int('Mã không hợp lệ / Invalid id').positive('Mã không hợp lệ / Invalid id').nullable())
  .optional()
  .transform((v) => v ?? null);

function optionalNumber(min: number, max: number) {
  return z
    .preprocess(blankTo(null), z.coerce.number({ error: numberError }).min(min, `Nhỏ nhất là ${min} / At least ${min}`).max(max, `Lớn nhất là ${max} / At most ${max}`).nullable())
    .optional()
    .transform((v) => v ?? null);
}

function score(max: number) {
  return z.preprocess(
    blankTo(undefined),
    z.coerce
      .number({ error: numberError })
      .min(0, `Từ 0 đến ${max} / From 0 to ${max}`)
      .max(max, `Từ 0 đến ${max} / From 0 to ${max}`)
      .refine((x) => Math.abs(x * 10 - Math.round(x * 10)) < 1e-6, 'Tối đa một chữ số thập phân / At most one decimal place'),
  );
}

export const isoDate = z.preprocess(
  blankTo(undefined),
  z
    .string({ error: REQUIRED })
    .trim()
    .refine((s) => parseIsoDate(s) !== null, 'Ngày không hợp lệ (YYYY-MM-DD) / Invalid date (YYYY-MM-DD)'),
);

const optionalDate = z
  .preprocess(blankTo(null), z.string().trim().refine((s) => parseIsoDate(s) !== null, 'Ngày không hợp lệ (YYYY-MM-DD) / Invalid date (YYYY-MM-DD)').nullable())
  .optional()
  .transform((v) => v ?? null);

/** A checkbox sends "on" when ticked and nothing otherwise; JSON sends a boolean. */
const checkbox = z.preprocess((v) => v === true || v === 'on' || v === '1' || v === 'true', z.boolean());

function choice<const T extends readonly [string, ...string[]]>(values: T) {
  return z.preprocess(blankTo(undefined), z.enum(values, { error: (iss) => (iss.input === undefined ? REQUIRED : 'Giá trị không hợp lệ / Invalid choice') }));
}

const email = z.preprocess(
  blankTo(undefined),
  z
    .string({ error: REQUIRED })
    .trim()
    .toLowerCase()
    .max(200, 'Tối đa 200 ký tự / At most 200 characters')
    .refine(clean(), UNCLEAN_TEXT_MESSAGE)
    .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'Email không hợp lệ / Invalid email'),
);

const optionalEmail = z
  .preprocess(blankTo(null), z.string().trim().toLowerCase().max(200).refine(clean(), UNCLEAN_TEXT_MESSAGE).regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'Email không hợp lệ / Invalid email').nullable())
  .optional()
  .transform((v) => v ?? null);

const unitId = z
  .preprocess(blankTo(null), z.string().trim().max(60).regex(/^[a-z0-9-]+$/, 'Đơn vị không hợp lệ / Invalid unit').nullable())
  .optional()
  .transform((v) => v ?? null);

/** A password as typed: any printable text, never trimmed. */
const passwordText = (min = 0) =>
  z.preprocess(
    blankTo(undefined),
    z
      .string({ error: REQUIRED })
      .min(min, `Ít nhất ${min} ký tự / At least ${min} characters`)
      .max(200, 'Tối đa 200 ký tự / At most 200 characters')
      .refine(clean(), UNCLEAN_TEXT_MESSAGE),
  );

export const loginForm = z.object({
  email: z.preprocess(blankTo(undefined), z.string({ error: REQUIRED }).trim().toLowerCase().max(200, 'Tối đa 200 ký tự / At most 200 characters').refine(clean(), UNCLEAN_TEXT_MESSAGE)),
  password: passwordText(),
});

/**
 * A producer's contact as shoppers see it on the scan page (worker/domain/contact.ts): a
 * Vietnamese phone (stored as digits), an https website, a Zalo mobile number.
 */
const contactFields = {
  phone: z
    .preprocess(blankTo(null), z.string().max(24, 'Số điện thoại không hợp lệ / Invalid phone number').transform((v, ctx) => {
      const phone = parseVietnamesePhone(v);
      if (phone) return phone.national;
      ctx.addIssue({ code: 'custom', message: PHONE_MESSAGE });
      return z.NEVER;
    }).nullable())
    .optional()
    .transform((v) => v ?? null),
  website: z
    .preprocess(blankTo(null), z.string().transform((v, ctx) => {
      const url = parseWebsite(v);
      if (url) return url;
      ctx.addIssue({ code: 'custom', message: `Địa chỉ trang web phải bắt đầu bằng https:// (tối đa ${WEBSITE_MAX} ký tự) / The website must be an https:// address (at most ${WEBSITE_MAX} characters)` });
      return z.NEVER;
    }).nullable())
    .optional()
    .transform((v) => v ?? null),
  zalo: z
    .preprocess(blankTo(null), z.string().max(24, ZALO_MESSAGE).transform((v, ctx) => {
      const phone = parseVietnamesePhone(v);
      if (phone?.kind === 'mobile') return phone.national;
      ctx.addIssue({ code: 'custom', message: ZALO_MESSAGE });
      return z.NEVER;
    }).nullable())
    .optional()
    .transform((v) => v ?? null),
};

export const producerForm = z.object({
  name: requiredText(200, 2),
  legalForm: choice(LEGAL_FORMS),
  taxCode: z
    .preprocess(blankTo(null), z.string().trim().regex(/^[0-9]{10}(-[0-9]{3})?$/, 'Mã số thuế gồm 10 số, hoặc 10 số-3 số / Tax code: 10 digits, or 10-3').nullable())
    .optional()
    .transform((v) => v ?? null),
  representative: optionalText(200),
  femaleLed: checkbox,
  ethnicMinorityLed: checkbox,
  addressLine: optionalText(300),
  addressUnitId: unitId,
  ...contactFields,
  email: optionalEmail,
});
export type ProducerFormValues = z.infer<typeof producerForm>;

/** What a producer may change on their own record (and officials on any in scope): how shoppers reach them. */
export const producerContactForm = z.object(contactFields);
export type ProducerContactValues = z.infer<typeof producerContactForm>;

export const productForm = z.object({
  producerId: requiredInt(1, 2_147_483_647),
  name: requiredText(200, 2),
  slug: z
    .preprocess(blankTo(null), z.string().trim().max(80).regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'Chỉ chữ thường không dấu, số và dấu gạch nối / Lower-case letters, digits and hyphens only').nullable())
    .optional()
    .transform((v) => v ?? null),
  planGroupId: optionalId,
  nationalGroupId: optionalId,
  // Spaces people copy from a barcode's printed digits are dropped; the check digit is
  // verified (worker/domain/gtin.ts), so a mistyped digit never reaches a public page.
  gtin: z
    .preprocess(blankTo(null), z.string().transform((v) => v.replace(/\s/g, '')).pipe(z.string().superRefine((v, ctx) => {
      const parsed = parseGtin(v);
      if (parsed.ok) return;
      ctx.addIssue({
        code: 'custom',
        message: parsed.problem === 'check_digit'
          ? 'Số kiểm tra (chữ số cuối) của mã GTIN không đúng: hãy đối chiếu lại với mã vạch / The GTIN check digit (last digit) is wrong: compare it with the barcode'
          : 'Mã GTIN gồm 8, 12, 13 hoặc 14 chữ số / GTIN: 8, 12, 13 or 14 digits',
      });
    })).nullable())
    .optional()
    .transform((v) => v ?? null),
  description: optionalText(2000, MULTILINE),
});

export const regionForm = z.object({
  description: requiredText(500, 1, MULTILINE),
  unitId,
  areaHa: z
    .preprocess(blankTo(null), z.coerce.number({ error: numberError }).gt(0, 'Diện tích phải lớn hơn 0 / Area must be above 0').max(9_999_999_999, 'Quá lớn / Too large').nullable())
    .optional()
    .transform((v) => v ?? null),
  latitude: optionalNumber(-90, 90),
  longitude: optionalNumber(-180, 180),
});

export const evaluationForm = z.object({
  productId: requiredInt(1, 2_147_483_647),
  scoreA: score(SCORE_MAX.a),
  scoreB: score(SCORE_MAX.b),
  scoreC: score(SCORE_MAX.c),
  mandatoryLevel: requiredInt(1, 5),
  councilLevel: choice(COUNCIL_LEVELS),
  evaluatedOn: isoDate,
  legalBasisId: requiredText(60),
  note: optionalText(2000, MULTILINE),
});

const certificateNumber = z.preprocess(
  blankTo(undefined),
  z
    .string({ error: REQUIRED })
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9][A-Z0-9./-]{2,39}$/, 'Số giấy chứng nhận: 3-40 ký tự A-Z, 0-9, . / - / Certificate number: 3-40 of A-Z 0-9 . / -'),
);

export const issueForm = z.object({
  evaluationId: requiredInt(1, 2_147_483_647),
  number: certificateNumber,
  decisionNumber: requiredText(100),
  decisionDate: isoDate,
  issuingBody: requiredText(200),
  issuingLevel: choice(ISSUING_LEVELS),
});

export const renewForm = issueForm;

/** A renewal (re-evaluation) file received for a certificate (issue 11). */
export const renewalApplicationForm = z.object({ receivedOn: isoDate, note: optionalText(1000, MULTILINE) });

/** A renewal refused: the certificate is plainly expired again. */
export const renewalRefusalForm = z.object({ refusedOn: isoDate, note: optionalText(1000, MULTILINE) });

export const revokeForm = z.object({
  ids: z.preprocess(
    (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
    z
      .array(z.coerce.number({ error: 'Mã không hợp lệ / Invalid id' }).int().positive())
      .min(1, 'Chưa chọn giấy chứng nhận nào / No certificate selected')
      .max(500, 'Tối đa 500 giấy chứng nhận một lần / At most 500 at once'),
  ),
  decisionNumber: requiredText(100),
  date: isoDate,
  ground: choice(REVOCATION_GROUNDS),
  note: optionalText(2000, MULTILINE),
  /** The confirmation step: the first submission shows what will happen, the second does it. */
  confirm: checkbox,
});

export const batchForm = z.object({
  certificateId: requiredInt(1, 2_147_483_647),
  lotCode: z.preprocess(
    blankTo(undefined),
    z.string({ error: REQUIRED }).trim().regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,31}$/, 'Số lô: 1-32 ký tự A-Z, 0-9, . _ / - / Lot: 1-32 of A-Z 0-9 . _ / -'),
  ),
  productionDate: isoDate,
  bestBefore: optionalDate,
  quantity: requiredInt(1, 1_000_000),
});

export const userForm = z.object({
  email,
  name: requiredText(200),
  role: choice(ROLES),
  areaUnitId: unitId,
  producerId: optionalId,
});

export const userUpdateForm = z.object({
  name: requiredText(200),
  role: choice(ROLES),
  areaUnitId: unitId,
  producerId: optionalId,
  disabled: checkbox,
});

export const tokenForm = z.object({
  name: requiredText(100),
  role: choice(ROLES),
  areaUnitId: unitId,
  producerId: optionalId,
});

export const passwordForm = z
  .object({
    current: passwordText(),
    next: passwordText(12),
    repeat: passwordText(),
  })
  .refine((v) => v.next === v.repeat, { path: ['repeat'], message: 'Hai mật khẩu không khớp / Passwords do not match' });

export const withdrawKeyForm = z.object({
  reason: requiredText(500, 5, MULTILINE),
  confirm: checkbox,
});

export const counterfeitStatusForm = z.object({
  status: choice(REPORT_STATUSES),
  note: optionalText(1000, MULTILINE),
});

export const periodForm = z
  .object({ from: isoDate, to: isoDate })
  .refine((v) => v.from <= v.to, { path: ['to'], message: 'Ngày kết thúc phải sau ngày bắt đầu / End must be after start' });

export type { FieldErrors };

export type Parsed<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/** Runs a schema and keeps the first message per field, for re-rendering a form. */
export function parseForm<S extends z.ZodType>(schema: S, input: unknown): Parsed<z.output<S>> {
  const r = schema.safeParse(input);
  return r.success ? { ok: true, data: r.data } : { ok: false, errors: fieldErrors(r.error) };
}

/** A broken rule as people read it beside a field: Vietnamese first. */
interface RuleMessage {
  code: DomainErrorCode;
  messageVi: string;
  messageEn: string;
}

/**
 * A domain error as form errors, beside the field it is about (worker/domain/errors.ts) when
 * the form has that field (`future_date` lands on the form's date field), else at the top.
 */
export function domainFieldErrors(error: RuleMessage, fields: readonly string[], dateField?: string): FieldErrors {
  const message = `${error.messageVi} / ${error.messageEn}`;
  if (error.code === 'future_date' && dateField) return { [dateField]: message };
  const field = errorField(error.code);
  // The region form names its unit `unitId`; producers name theirs `addressUnitId`.
  if (field === 'addressUnitId' && fields.includes('unitId')) return { unitId: message };
  return { [field && fields.includes(field) ? field : '_form']: message };
}

// The field helpers, for forms kept in their own modules (admin/sales-point-forms.ts).
export { blankTo, choice, MULTILINE, numberError, optionalDate, optionalId, optionalNumber, optionalText, requiredText, unitId };
