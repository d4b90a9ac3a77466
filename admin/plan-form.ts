import { z } from 'zod';
import { parseIsoDate } from '../worker/domain/dates';
import { PLAN_INDICATORS, type StandardIndicator, isStandardIndicator } from '../worker/domain/plan';
import { isCleanText, UNCLEAN_TEXT_MESSAGE } from '../worker/domain/text';

// The plan form, shared by the HTML form and the admin API like admin/forms.ts: the API sends
// `targets` as an array; the HTML form (no JavaScript) sends one field per standard indicator
// (`target_<indicator>`, blank = not targeted) and a few rows of free indicators
// (`custom_name_<i>`, `custom_unit_<i>`, `custom_target_<i>`, `custom_actual_<i>`), which the
// preprocessor turns into the same array.

const REQUIRED = 'Bắt buộc / Required';
/** Free-indicator rows the HTML form offers (a plan rarely has more than a few). */
export const CUSTOM_ROWS = 5;
/** The API refuses more targets than any plan needs: the standard ones and 30 free ones. */
export const MAX_TARGETS = 40;

function text(max: number, min: number, multiline = false) {
  return z
    .string({ error: REQUIRED })
    .trim()
    .min(min, min > 1 ? `Ít nhất ${min} ký tự / At least ${min} characters` : REQUIRED)
    .max(max, `Tối đa ${max} ký tự / At most ${max} characters`)
    .refine((s) => isCleanText(s, { multiline }), UNCLEAN_TEXT_MESSAGE)
    .transform((s) => s.normalize('NFC'));
}

const blankToNull = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? null : v);
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const date = z.preprocess(blankToUndefined, z.string({ error: REQUIRED }).trim().refine((s) => parseIsoDate(s) !== null, 'Ngày không hợp lệ (YYYY-MM-DD) / Invalid date (YYYY-MM-DD)'));

/** A number as typed in Vietnam ("12,5") or as JSON sends it; at most 1e9, never negative. */
const amount = z.preprocess(
  (v) => (typeof v === 'string' ? Number(v.trim().replace(',', '.')) : v),
  z.number({ error: 'Chỉ tiêu phải là số / A target must be a number' }).finite('Chỉ tiêu phải là số / A target must be a number').min(0, 'Không được âm / Must not be negative').max(1e9, 'Quá lớn / Too large'),
);

const target = z.object({
  indicator: z.enum(PLAN_INDICATORS, { error: 'Chỉ tiêu không hợp lệ / Unknown indicator' }),
  name: z.preprocess(blankToNull, text(300, 1).nullable()).optional().transform((v) => v ?? null),
  unit: z.preprocess(blankToNull, text(40, 1).nullable()).optional().transform((v) => v ?? null),
  target: amount,
  actual: z.preprocess(blankToNull, amount.nullable()).optional().transform((v) => v ?? null),
});

/** The HTML form's flat fields as the `targets` array; a JSON body passes through. */
function collectTargets(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const body = input as Record<string, unknown>;
  if ('targets' in body) return body;
  const targets: Record<string, unknown>[] = [];
  for (const indicator of PLAN_INDICATORS) {
    if (!isStandardIndicator(indicator)) continue;
    const v = body[`target_${indicator}`];
    if (typeof v === 'string' && v.trim() !== '') targets.push({ indicator, target: v });
  }
  // Up to MAX_TARGETS rows: a plan edited in the form may hold more free indicators than the
  // blank rows offered (entered through the API); every row shown is read back.
  for (let i = 0; i < MAX_TARGETS; i++) {
    const name = body[`custom_name_${i}`];
    const t = body[`custom_target_${i}`];
    const filled = [name, t, body[`custom_unit_${i}`], body[`custom_actual_${i}`]].some((x) => typeof x === 'string' && x.trim() !== '');
    if (filled) targets.push({ indicator: 'custom', name: name ?? '', unit: body[`custom_unit_${i}`], target: t ?? '', actual: body[`custom_actual_${i}`] });
  }
  return { ...body, targets };
}

export const planForm = z.preprocess(
  collectTargets,
  z
    .object({
      name: text(300, 3),
      legalBasis: text(500, 3),
      areaUnitId: z.preprocess(blankToUndefined, z.string({ error: REQUIRED }).trim().max(60).regex(/^[a-z0-9-]+$/, 'Địa bàn không hợp lệ / Invalid area')),
      periodStart: date,
      periodEnd: date,
      note: z.preprocess(blankToNull, text(2000, 1, true).nullable()).optional().transform((v) => v ?? null),
      targets: z.array(target).max(MAX_TARGETS, `Tối đa ${MAX_TARGETS} chỉ tiêu / At most ${MAX_TARGETS} targets`),
    })
    .refine((v) => v.periodStart <= v.periodEnd, { path: ['periodEnd'], message: 'Ngày kết thúc phải sau ngày bắt đầu / The end must not be before the start' })
    .refine((v) => v.targets.every((t) => t.indicator !== 'custom' || t.name !== null), { path: ['targets'], message: 'Chỉ tiêu tự nhập cần có tên / A free indicator needs a name' }),
);

export type PlanFormInput = z.output<typeof planForm>;

/** The HTML form's field names of a standard indicator's target. */
export const targetField = (indicator: StandardIndicator): string => `target_${indicator}`;
