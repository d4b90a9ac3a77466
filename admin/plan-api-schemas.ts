import { z } from 'zod';
import { PLAN_INDICATORS } from '../worker/domain/plan';

// The JSON of plans and of targets measured against them, for the admin API (see admin/api-schemas.ts).

const day = z.iso.date();
const id = z.int().min(1);

export const planTargetSchema = z
  .object({
    indicator: z.enum(PLAN_INDICATORS),
    name: z.string().nullable().meta({ description: 'A free (`custom`) indicator\'s name; null for the standard ones.' }),
    unit: z.string().nullable(),
    target: z.number().min(0).meta({ description: 'At least this; shares in percent (80 = 80 %).' }),
    actual: z.number().min(0).nullable().meta({ description: 'A free indicator\'s actual value as entered; null otherwise.' }),
    position: z.int().min(0),
  })
  .meta({ id: 'PlanTarget' });

export const planSummarySchema = z
  .object({ id, name: z.string(), legal_basis: z.string(), area_unit_id: z.string(), area_name: z.string(), period_start: day, period_end: day, note: z.string().nullable() })
  .meta({ id: 'PlanSummary' });

export const planSchema = planSummarySchema.extend({ targets: z.array(planTargetSchema) }).meta({ id: 'Plan' });

export const measuredTargetSchema = z
  .object({
    indicator: z.enum(PLAN_INDICATORS),
    nameVi: z.string(),
    nameEn: z.string(),
    unit: z.enum(['percent', 'count', 'custom']),
    unitVi: z.string(),
    target: z.number(),
    actual: z.object({ value: z.number(), detail: z.string() }).nullable().meta({ description: 'null: no data source for this indicator yet.' }),
    met: z.boolean().nullable(),
  })
  .meta({ id: 'MeasuredTarget' });

export const planStatusSchema = z
  .object({ plan: planSummarySchema.nullable().meta({ description: 'The plan in force on the day measured; null when none is.' }), targets: z.array(measuredTargetSchema) })
  .meta({ id: 'PlanStatus' });
