import { z } from 'zod';
import {
  CERTIFICATE_STATUSES, COUNCIL_LEVELS, ISSUING_LEVELS, LEGAL_FORMS, REPORT_STATUSES, REVOCATION_GROUNDS, ROLES,
} from '../worker/domain/vocabulary';
import { planStatusSchema } from './plan-api-schemas';

// The JSON the admin API answers with, one named schema per record as the database module
// returns it (worker/db/*). The route declarations (admin/api-operations.ts) type the
// handlers with these, so a handler that writes another shape does not compile, and the
// admin OpenAPI document (/api/v1/admin/openapi.json) is generated from them. Columns are
// snake_case as stored; timestamps are ISO 8601 in UTC, calendar days YYYY-MM-DD.

const day = z.iso.date();
const instant = z.iso.datetime();
const id = z.int().min(1);

/** `{ data: … }`, the envelope of every admin API answer. */
export const data = <T extends z.ZodType>(schema: T) => z.object({ data: schema });

export const principalSchema = z
  .object({ kind: z.enum(['user', 'token']), id, name: z.string(), role: z.enum(ROLES), area_unit_id: z.string().nullable(), producer_id: id.nullable() })
  .meta({ id: 'Principal', description: 'Who the token speaks for.' });

export const certificateSchema = z
  .object({
    id,
    number: z.string(),
    product_id: id,
    evaluation_id: id,
    stars: z.int().min(3).max(5),
    decision_number: z.string(),
    decision_date: day,
    issuing_body: z.string(),
    issuing_level: z.enum(ISSUING_LEVELS),
    legal_basis_id: z.string(),
    valid_from: day,
    valid_until: day.meta({ description: 'Last valid day, inclusive.' }),
    status: z.enum(CERTIFICATE_STATUSES).meta({ description: 'As recorded; see `state` for today.' }),
    supersedes_id: id.nullable(),
    superseded_at: instant.nullable(),
    revocation_decision_number: z.string().nullable(),
    revocation_date: day.nullable(),
    revocation_ground: z.enum(REVOCATION_GROUNDS).nullable(),
    revocation_note: z.string().nullable(),
    revoked_by: id.nullable(),
    revoked_at: instant.nullable(),
    status_index: z.int().min(0),
    created_at: instant,
  })
  .meta({ id: 'Certificate' });

export const certificateListRowSchema = certificateSchema
  .extend({
    product_name: z.string(),
    product_slug: z.string(),
    producer_id: id,
    producer_name: z.string(),
    group_vi: z.string().nullable(),
    district_id: z.string().nullable(),
    district_name: z.string().nullable(),
    renewal_received_on: day.nullable().meta({ description: 'The day an open renewal (re-evaluation) file was received; null when none is under review.' }),
    state: z.enum(['valid', 'expiring', 'expired', 'renewal_pending', 'revoked', 'superseded']).meta({ description: 'As of today (Vietnam time). `renewal_pending`: expired with a renewal file under review.' }),
    days_left: z.int().nullable().meta({ description: 'valid_until − today in days; null once revoked or superseded.' }),
  })
  .meta({ id: 'CertificateListRow' });

export const evaluationSchema = z
  .object({
    id,
    product_id: id,
    score_a: z.number(),
    score_b: z.number(),
    score_c: z.number(),
    total: z.number(),
    mandatory_level: z.int().min(1).max(5),
    stars: z.int().min(1).max(5),
    council_level: z.enum(COUNCIL_LEVELS),
    evaluated_on: day,
    legal_basis_id: z.string(),
    note: z.string().nullable(),
    created_by: id.nullable(),
    created_at: instant,
  })
  .meta({ id: 'Evaluation' });

export const evaluationListRowSchema = evaluationSchema
  .extend({ product_name: z.string(), producer_id: id, producer_name: z.string(), certificate_id: id.nullable(), certificate_number: z.string().nullable() })
  .meta({ id: 'EvaluationListRow' });

const chainLinkSchema = certificateSchema.pick({ id: true, number: true, stars: true, status: true, valid_from: true, valid_until: true, supersedes_id: true, decision_number: true });

export const batchSchema = z
  .object({
    id,
    certificate_id: id,
    lot_code: z.string(),
    production_date: day,
    best_before: day.nullable(),
    quantity: z.int().min(1),
    key_number: z.int().min(1),
    created_by: id.nullable(),
    created_at: instant,
  })
  .meta({ id: 'Batch' });

export const auditEntrySchema = z
  .object({
    id,
    at: instant,
    actor_user_id: id.nullable(),
    actor_label: z.string(),
    action: z.string(),
    entity: z.string(),
    entity_id: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
    reason: z.string().nullable(),
  })
  .meta({ id: 'AuditEntry' });

export const certificateDetailSchema = z
  .object({
    certificate: certificateListRowSchema,
    evaluation: evaluationSchema.optional(),
    chain: z.array(chainLinkSchema).meta({ description: 'Every certificate of the product, newest first.' }),
    batches: z.array(batchSchema.extend({ scans: z.int(), scanned_packages: z.int(), last_scan: instant.nullable() })),
    scans: z.object({ total: z.int(), packages: z.int(), places: z.int(), last: instant.nullable() }),
    audit: z.array(auditEntrySchema),
  })
  .meta({ id: 'CertificateDetail' });

export const producerSchema = z
  .object({
    id,
    name: z.string(),
    legal_form: z.enum(LEGAL_FORMS),
    tax_code: z.string().nullable(),
    representative: z.string().nullable(),
    female_led: z.boolean(),
    ethnic_minority_led: z.boolean(),
    address_line: z.string().nullable(),
    address_unit_id: z.string().nullable(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    website: z.string().nullable(),
    zalo: z.string().nullable(),
    created_at: instant,
    updated_at: instant,
  })
  .meta({ id: 'Producer' });

export const producerListRowSchema = producerSchema
  .extend({ district_id: z.string().nullable(), district_name: z.string().nullable(), products: z.int().min(0) })
  .meta({ id: 'ProducerListRow' });

export const productSchema = z
  .object({
    id,
    slug: z.string(),
    producer_id: id,
    name: z.string(),
    plan_group_id: id.nullable(),
    national_group_id: id.nullable(),
    gtin: z.string().nullable(),
    description: z.string().nullable(),
    created_at: instant,
    updated_at: instant,
  })
  .meta({ id: 'Product' });

export const productListRowSchema = productSchema
  .extend({
    producer_name: z.string(),
    group_vi: z.string().nullable(),
    group_en: z.string().nullable(),
    district_name: z.string().nullable(),
    certificate_id: id.nullable().meta({ description: 'The active certificate, if any.' }),
    certificate_number: z.string().nullable(),
    certificate_stars: z.int().nullable(),
    certificate_valid_until: day.nullable(),
  })
  .meta({ id: 'ProductListRow' });

export const regionSchema = z
  .object({
    id,
    product_id: id,
    unit_id: z.string().nullable(),
    unit_name: z.string().nullable(),
    description: z.string(),
    area_ha: z.number().nullable(),
    latitude: z.number().nullable(),
    longitude: z.number().nullable(),
  })
  .meta({ id: 'RawMaterialRegion' });

export const productDetailSchema = productListRowSchema
  .extend({ regions: z.array(regionSchema), certificates: z.array(chainLinkSchema).meta({ description: 'The renewal chain, newest first.' }) })
  .meta({ id: 'ProductDetail' });

export const batchListRowSchema = batchSchema
  .extend({
    certificate_number: z.string(),
    certificate_status: z.enum(CERTIFICATE_STATUSES),
    certificate_valid_until: day,
    stars: z.int().min(3).max(5),
    product_id: id,
    product_name: z.string(),
    producer_id: id,
    producer_name: z.string(),
    scans: z.int().min(0),
  })
  .meta({ id: 'BatchListRow' });

export const issuedBatchSchema = batchSchema.extend({ labels: z.string().meta({ description: 'Where to download the label sheet (PDF).' }) }).meta({ id: 'IssuedBatch' });

const count = z.int().min(0);

export const batchDetailSchema = batchListRowSchema
  .extend({
    scans: z
      .object({
        totals: z.object({
          total: count,
          packages: count,
          places: z.array(z.object({ place: z.string(), scans: count })),
          byVerdict: z.array(z.object({ verdict: z.string(), scans: count })),
        }),
        top_packages: z.array(z.object({ batch_id: id, serial: z.int().min(1), scans: count, places: count, first: instant, last: instant })),
      })
      .nullable()
      .meta({ description: 'Scan counts; null for roles that may not see scans.' }),
  })
  .meta({ id: 'BatchDetail' });

export const counterfeitReportSchema = z
  .object({
    id,
    batch_id: id.nullable(),
    serial: z.int().nullable(),
    certificate_id: id.nullable(),
    certificate_number: z.string().nullable(),
    product_name: z.string().nullable(),
    producer_name: z.string().nullable(),
    code_text: z.string().nullable(),
    message: z.string(),
    // Absent for callers without counterfeit.contact (producers): the reporter's contact is for officials only.
    contact: z.string().nullable().optional(),
    place: z.string().nullable(),
    status: z.enum(REPORT_STATUSES),
    created_at: instant,
  })
  .meta({ id: 'CounterfeitReport' });

export const auditPageSchema = z.object({
  data: z.array(auditEntrySchema),
  next_before: id.nullable().meta({ description: 'Pass as `before` for the next (older) page; null on the last page.' }),
});

export const planProgressSchema = z
  .object({
    day,
    certifiedProducts: count,
    byStars: z.object({ 3: count, 4: count, 5: count }),
    producers: count,
    producersByForm: z.object(Object.fromEntries(LEGAL_FORMS.map((f) => [f, count])) as Record<(typeof LEGAL_FORMS)[number], typeof count>),
    femaleLed: count,
    ethnicMinorityLed: count,
    tourismProducts: count,
    expiredProducts: count,
    recertifiedProducts: count,
    coverage: z.array(z.object({ districtId: z.string().nullable(), districtName: z.string(), products: count })),
    starsByGroup: z.array(z.object({ groupId: id.nullable(), groupVi: z.string(), groupEn: z.string(), stars3: count, stars4: count, stars5: count })),
  })
  .meta({ id: 'PlanProgress' });

export const planReportSchema = planProgressSchema
  .extend({
    plan: planStatusSchema,
  })
  .meta({ id: 'PlanReport' });

export const periodReportSchema = z
  .object({
    from: day,
    to: day,
    issued: z.array(z.object({ stars: z.int(), renewal: z.boolean(), count })),
    revoked: z.array(z.object({ ground: z.enum(REVOCATION_GROUNDS), count })),
    expired: count,
    batches: z.object({ count, codes: count }),
    scans: z.array(z.object({ verdict: z.string(), count })),
    counterfeitReports: count,
    endOfPeriod: planProgressSchema,
    plan: planStatusSchema,
    certificates: z.array(
      z.object({ number: z.string(), product: z.string(), producer: z.string(), stars: z.int(), event: z.enum(['issued', 'renewed', 'revoked', 'expired']), date: day }),
    ),
  })
  .meta({ id: 'PeriodReport' });

export const expiringSchema = z
  .object({ id, number: z.string(), productName: z.string(), producerName: z.string(), producerEmail: z.string().nullable(), validUntil: day })
  .meta({ id: 'ExpiringCertificate' });

export const dailyJobSchema = z
  .object({ today: day, expiredRecorded: count, expiringSoon: z.array(expiringSchema) })
  .meta({ id: 'DailyJobResult' });
