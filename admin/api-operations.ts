import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { jsonResponse, problemResponses, type DocumentInfo } from '../worker/api/openapi';
import {
  auditPageSchema, batchDetailSchema, batchListRowSchema, certificateDetailSchema, certificateListRowSchema, certificateSchema, counterfeitReportSchema, dailyJobSchema, data,
  evaluationListRowSchema, evaluationSchema, expiringSchema, issuedBatchSchema, periodReportSchema, planReportSchema, principalSchema, producerListRowSchema, producerSchema,
  productDetailSchema, productListRowSchema, productSchema, regionSchema,
} from './api-schemas';
import { planForm } from './plan-form';
import { planSchema, planSummarySchema } from './plan-api-schemas';
import { batchForm, evaluationForm, issueForm, producerContactForm, producerForm, productForm, regionForm, renewForm, revokeForm } from './forms';
import { auditApiQuery, batchQuery, certificateApiQuery, counterfeitQuery, evaluationQuery, labelQuery, periodQuery, planDayQuery, producerQuery, productQuery } from './queries';

// Every operation of the admin JSON API: the request schemas are the UI's (admin/forms.ts for
// bodies, admin/queries.ts for list filters), validated by zValidator before the handler in
// admin/api.ts runs; the response schemas (admin/api-schemas.ts) type what the handler may
// answer. The document at /api/v1/admin/openapi.json is generated from these, and the route
// table (admin/route-table.ts) adds to each the permission it needs and the 401/403 answers.

const TAGS = {
  account: 'Khóa truy cập / The token',
  certificates: 'Giấy chứng nhận / Certificates',
  producers: 'Chủ thể / Producers',
  products: 'Sản phẩm và vùng nguyên liệu / Products and raw-material regions',
  evaluations: 'Kết quả đánh giá / Evaluations',
  batches: 'Lô tem và nhãn / Batches and labels',
  counterfeit: 'Phản ánh hàng giả / Counterfeit reports',
  audit: 'Nhật ký / Audit log',
  reports: 'Báo cáo / Reports',
  plans: 'Kế hoạch / Plans',
  jobs: 'Tác vụ / Jobs',
};

export const ADMIN_API_INFO: DocumentInfo = {
  info: {
    title: 'OCOP Verify – admin API',
    version: '1.0.0',
    description:
      'Các thao tác của trang quản trị cho hệ thống khác của tỉnh: cấp, gia hạn, thu hồi giấy chứng nhận; chủ thể, sản phẩm, đánh giá; lô tem và nhãn; báo cáo; nhật ký.\n\n' +
      'The admin UI\'s actions for other provincial systems. Authenticate with an API token made by a province admin on /admin/tokens: ' +
      '`Authorization: Bearer ocop_…`. A token acts with its role and scope (an area officer\'s district, a producer\'s own records); each operation says which permission it needs. ' +
      'Errors are `{ error: { code, message, message_vi, message_en, details? } }`; a body that fails its schema is `invalid_input` with the message of each field in `details.fields`, ' +
      'a list filter that does not parse is `bad_filter`. Request bodies use the admin forms\' field names (camelCase); answers use the stored column names (snake_case).',
  },
  tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
};

/** A row id in a path: digits only (the route pattern); beyond a 32-bit id nothing is found. */
const rowId = z
  .string()
  .regex(/^[0-9]+$/)
  .refine((s) => Number(s) >= 1 && Number(s) <= 2_147_483_647)
  .transform(Number)
  .meta({ description: 'A row id.' });

const idParams = z.object({ id: rowId });

function jsonBody<T extends z.ZodType>(schema: T) {
  return { required: true, content: { 'application/json': { schema } } };
}

const notFound = { 404: 'No such record, or outside the token\'s scope.' };
const invalidBody = { 400: 'The body is not a JSON object (`invalid_json`) or fails its schema (`invalid_input`, messages by field in `details.fields`), or breaks a rule.' };
const badFilter = { 400: 'A filter does not parse (`bad_filter`).' };

export const me = createRoute({
  method: 'get', path: '/me', tags: ['account'], operationId: 'me', summary: 'Khóa này là ai / Who this token is',
  responses: { 200: jsonResponse('The token\'s role and scope.', data(principalSchema)) },
});

export const listCertificates = createRoute({
  method: 'get', path: '/certificates', tags: ['certificates'], operationId: 'listCertificates', summary: 'Danh sách giấy chứng nhận / List certificates',
  description: 'Ordered by last valid day. `state=active` is every certificate in force (valid or expiring).',
  request: { query: certificateApiQuery },
  responses: { 200: jsonResponse('The certificates.', data(z.array(certificateListRowSchema))), ...problemResponses(badFilter) },
});

export const getCertificate = createRoute({
  method: 'get', path: '/certificates/{id{[0-9]+}}', tags: ['certificates'], operationId: 'getCertificate', summary: 'Một giấy chứng nhận / One certificate',
  request: { params: idParams },
  responses: { 200: jsonResponse('The certificate, its evaluation, renewal chain, batches, scans and audit trail.', data(certificateDetailSchema)), ...problemResponses(notFound) },
});

export const issueCertificate = createRoute({
  method: 'post', path: '/certificates', tags: ['certificates'], operationId: 'issueCertificate', summary: 'Cấp giấy chứng nhận / Issue a certificate',
  description: 'From an evaluation of 3★ or more that no certificate uses yet; valid 36 months from the decision date.',
  request: { body: jsonBody(issueForm) },
  responses: {
    201: jsonResponse('The certificate.', data(certificateSchema)),
    ...problemResponses({ ...invalidBody, 404: 'The evaluation does not exist (`unknown_evaluation`).', 409: 'The evaluation or the number is already used.' }),
  },
});

export const renewCertificate = createRoute({
  method: 'post', path: '/certificates/{id{[0-9]+}}/renew', tags: ['certificates'], operationId: 'renewCertificate', summary: 'Gia hạn / Renew a certificate',
  description: 'Issues the successor from a newer evaluation of the same product; the old certificate becomes `superseded`.',
  request: { params: idParams, body: jsonBody(renewForm) },
  responses: { 201: jsonResponse('The new certificate.', data(certificateSchema)), ...problemResponses({ ...invalidBody, ...notFound, 409: 'The certificate cannot be renewed (not active, or already renewed).' }) },
});

export const revokeCertificates = createRoute({
  method: 'post', path: '/certificates/revoke', tags: ['certificates'], operationId: 'revokeCertificates', summary: 'Thu hồi / Revoke certificates',
  description: 'Up to 500 certificates under one decision, all or none. Package pages show the revocation at once.',
  request: { body: jsonBody(revokeForm) },
  responses: { 200: jsonResponse('The revoked certificates.', data(z.array(certificateSchema))), ...problemResponses({ ...invalidBody, ...notFound, 409: 'A certificate is not active.' }) },
});

export const listProducers = createRoute({
  method: 'get', path: '/producers', tags: ['producers'], operationId: 'listProducers', summary: 'Danh sách chủ thể / List producers',
  request: { query: producerQuery },
  responses: { 200: jsonResponse('The producers in scope.', data(z.array(producerListRowSchema))), ...problemResponses(badFilter) },
});

export const createProducer = createRoute({
  method: 'post', path: '/producers', tags: ['producers'], operationId: 'createProducer', summary: 'Thêm chủ thể / Register a producer',
  request: { body: jsonBody(producerForm) },
  responses: { 201: jsonResponse('The producer.', data(producerSchema)), ...problemResponses({ ...invalidBody, 403: 'Not allowed, or the address is outside the token\'s district (`outside_area`).' }) },
});

export const getProducer = createRoute({
  method: 'get', path: '/producers/{id{[0-9]+}}', tags: ['producers'], operationId: 'getProducer', summary: 'Một chủ thể / One producer',
  request: { params: idParams },
  responses: { 200: jsonResponse('The producer.', data(producerListRowSchema)), ...problemResponses(notFound) },
});

export const updateProducer = createRoute({
  method: 'put', path: '/producers/{id{[0-9]+}}', tags: ['producers'], operationId: 'updateProducer', summary: 'Sửa chủ thể / Edit a producer',
  request: { params: idParams, body: jsonBody(producerForm) },
  responses: { 200: jsonResponse('The producer.', data(producerSchema)), ...problemResponses({ ...invalidBody, ...notFound }) },
});

export const updateProducerContact = createRoute({
  method: 'put', path: '/producers/{id{[0-9]+}}/contact', tags: ['producers'], operationId: 'updateProducerContact', summary: 'Sửa liên hệ của chủ thể / Edit how shoppers reach a producer',
  description: 'Phone, website and Zalo number shown on the scan and product pages. A producer token may change its own producer\'s; blank or absent fields are cleared. Phones are stored as digits.',
  request: { params: idParams, body: jsonBody(producerContactForm) },
  responses: { 200: jsonResponse('The producer.', data(producerSchema)), ...problemResponses({ ...invalidBody, ...notFound }) },
});

export const listProducts = createRoute({
  method: 'get', path: '/products', tags: ['products'], operationId: 'listProducts', summary: 'Danh sách sản phẩm / List products',
  request: { query: productQuery },
  responses: { 200: jsonResponse('The products in scope.', data(z.array(productListRowSchema))), ...problemResponses(badFilter) },
});

export const createProduct = createRoute({
  method: 'post', path: '/products', tags: ['products'], operationId: 'createProduct', summary: 'Thêm sản phẩm / Add a product',
  description: 'Without a `slug`, one is made from the name.',
  request: { body: jsonBody(productForm) },
  responses: { 201: jsonResponse('The product.', data(productSchema)), ...problemResponses({ ...invalidBody, 404: 'The producer does not exist or is outside the token\'s scope.', 409: 'The slug is taken.' }) },
});

export const getProduct = createRoute({
  method: 'get', path: '/products/{id{[0-9]+}}', tags: ['products'], operationId: 'getProduct', summary: 'Một sản phẩm / One product',
  request: { params: idParams },
  responses: { 200: jsonResponse('The product, its raw-material regions and certificates.', data(productDetailSchema)), ...problemResponses(notFound) },
});

export const updateProduct = createRoute({
  method: 'put', path: '/products/{id{[0-9]+}}', tags: ['products'], operationId: 'updateProduct', summary: 'Sửa sản phẩm / Edit a product',
  request: { params: idParams, body: jsonBody(productForm) },
  responses: { 200: jsonResponse('The product.', data(productSchema)), ...problemResponses({ ...invalidBody, ...notFound }) },
});

export const addRegion = createRoute({
  method: 'post', path: '/products/{id{[0-9]+}}/regions', tags: ['products'], operationId: 'addRegion', summary: 'Thêm vùng nguyên liệu / Add a raw-material region',
  request: { params: idParams, body: jsonBody(regionForm) },
  responses: { 201: jsonResponse('The region.', data(regionSchema)), ...problemResponses({ ...invalidBody, ...notFound }) },
});

export const removeRegion = createRoute({
  method: 'delete', path: '/products/{id{[0-9]+}}/regions/{region{[0-9]+}}', tags: ['products'], operationId: 'removeRegion', summary: 'Xóa vùng nguyên liệu / Remove a region',
  request: { params: z.object({ id: rowId, region: rowId }) },
  responses: { 204: { description: 'Removed.' }, ...problemResponses(notFound) },
});

export const listEvaluations = createRoute({
  method: 'get', path: '/evaluations', tags: ['evaluations'], operationId: 'listEvaluations', summary: 'Danh sách đánh giá / List evaluations',
  description: '`pending=true`: only evaluations of 3★ and up that no certificate uses yet.',
  request: { query: evaluationQuery },
  responses: { 200: jsonResponse('The evaluations in scope.', data(z.array(evaluationListRowSchema))), ...problemResponses(badFilter) },
});

export const createEvaluation = createRoute({
  method: 'post', path: '/evaluations', tags: ['evaluations'], operationId: 'createEvaluation', summary: 'Ghi kết quả đánh giá / Record an evaluation',
  description: 'Stars follow from the scores (A ≤ 40, B ≤ 25, C ≤ 35) and the mandatory level, as the rules of Decision 148/QĐ-TTg say.',
  request: { body: jsonBody(evaluationForm) },
  responses: { 201: jsonResponse('The evaluation.', data(evaluationSchema)), ...problemResponses({ ...invalidBody, ...notFound }) },
});

export const getEvaluation = createRoute({
  method: 'get', path: '/evaluations/{id{[0-9]+}}', tags: ['evaluations'], operationId: 'getEvaluation', summary: 'Một kết quả đánh giá / One evaluation',
  request: { params: idParams },
  responses: { 200: jsonResponse('The evaluation.', data(evaluationListRowSchema)), ...problemResponses(notFound) },
});

export const updateEvaluation = createRoute({
  method: 'put', path: '/evaluations/{id{[0-9]+}}', tags: ['evaluations'], operationId: 'updateEvaluation', summary: 'Sửa kết quả đánh giá / Correct an evaluation',
  description: 'Only while no certificate uses it.',
  request: { params: idParams, body: jsonBody(evaluationForm) },
  responses: { 200: jsonResponse('The evaluation.', data(evaluationSchema)), ...problemResponses({ ...invalidBody, ...notFound, 409: 'A certificate already uses this evaluation.' }) },
});

export const listBatches = createRoute({
  method: 'get', path: '/batches', tags: ['batches'], operationId: 'listBatches', summary: 'Danh sách lô tem / List batches',
  request: { query: batchQuery },
  responses: { 200: jsonResponse('The batches in scope.', data(z.array(batchListRowSchema))), ...problemResponses(badFilter) },
});

export const issueBatch = createRoute({
  method: 'post', path: '/batches', tags: ['batches'], operationId: 'issueBatch', summary: 'Cấp lô tem / Issue a batch of package codes',
  description: 'Up to 1,000,000 codes under an active certificate, signed with the current key. Download them from `labels`.',
  request: { body: jsonBody(batchForm) },
  responses: { 201: jsonResponse('The batch.', data(issuedBatchSchema)), ...problemResponses({ ...invalidBody, ...notFound, 409: 'The certificate is not in force, or the lot code is taken.' }) },
});

export const getBatch = createRoute({
  method: 'get', path: '/batches/{id{[0-9]+}}', tags: ['batches'], operationId: 'getBatch', summary: 'Một lô tem / One batch',
  request: { params: idParams },
  responses: { 200: jsonResponse('The batch and, for roles that see scans, its scan counts.', data(batchDetailSchema)), ...problemResponses(notFound) },
});

const binary = z.string().meta({ format: 'binary' });

export const downloadLabels = createRoute({
  method: 'get', path: '/batches/{id{[0-9]+}}/labels', tags: ['batches'], operationId: 'downloadLabels', summary: 'Tải mã / Download the codes',
  description: 'Streamed as it is signed. `csv` (serial, lot, url) for packaging printers, `pdf` label sheets (`preset`: a4-21, a4-24, a4-40, a4-65 pre-cut A4 sheets or roll-50x30, roll-40x30 thermal rolls; or custom `labelWidth`, `labelHeight`, `columns`, `rows`, `marginLeft`, `marginTop`, `gapX`, `gapY` in mm, `page` a4 or roll), a ZIP of PNG or SVG symbols (at most 65,535 codes).',
  request: { params: idParams, query: labelQuery('csv') },
  responses: {
    200: {
      description: 'The codes, as an attachment.',
      content: { 'text/csv': { schema: binary }, 'application/pdf': { schema: binary }, 'application/zip': { schema: binary } },
    },
    ...problemResponses({ 400: 'Unknown format, a label layout that does not fit the page or would print QR modules under 0.396 mm, or a ZIP of more than 65,535 codes.', ...notFound }),
  },
});

export const listCounterfeitReports = createRoute({
  method: 'get', path: '/counterfeit-reports', tags: ['counterfeit'], operationId: 'listCounterfeitReports', summary: 'Phản ánh hàng giả / Counterfeit reports',
  request: { query: counterfeitQuery },
  responses: { 200: jsonResponse('The reports in scope, newest first.', data(z.array(counterfeitReportSchema))), ...problemResponses(badFilter) },
});

export const listAudit = createRoute({
  method: 'get', path: '/audit', tags: ['audit'], operationId: 'listAudit', summary: 'Nhật ký / Audit log',
  description: 'Newest first. `action` is an exact action (`certificate.revoke`) or a prefix ending in a dot (`certificate.`). Page with `before=next_before`.',
  request: { query: auditApiQuery },
  responses: { 200: jsonResponse('A page of entries.', auditPageSchema), ...problemResponses(badFilter) },
});

export const auditCsv = createRoute({
  method: 'get', path: '/audit.csv', tags: ['audit'], operationId: 'auditCsv', summary: 'Nhật ký, CSV / Audit log as CSV',
  description: 'Every entry the filters select, streamed. Columns: id, at, actor_user_id, actor, action, entity, entity_id, reason, before, after.',
  request: { query: auditApiQuery },
  responses: { 200: { description: 'UTF-8 CSV with a byte-order mark.', content: { 'text/csv': { schema: z.string() } } }, ...problemResponses(badFilter) },
});

export const planReport = createRoute({
  method: 'get', path: '/reports/plan', tags: ['reports'], operationId: 'planReport', summary: 'Tiến độ kế hoạch / Progress against the plan',
  description: '`day` (YYYY-MM-DD, default today): the counts on that day and the targets of the plan in force then (`plan.plan` is null when none is).',
  request: { query: planDayQuery },
  responses: { 200: jsonResponse('The day\'s counts and the plan\'s targets measured.', data(planReportSchema)), ...problemResponses(badFilter) },
});

export const periodReport = createRoute({
  method: 'get', path: '/reports/period', tags: ['reports'], operationId: 'periodReport', summary: 'Báo cáo định kỳ / Period report',
  description: '`period` is `2025-H1`, `2025-H2`, `2025`, or `custom` with `from` and `to`; without one, the current half-year.',
  request: { query: periodQuery },
  responses: { 200: jsonResponse('The report.', data(periodReportSchema)), ...problemResponses({ 400: 'Not a period (`bad_filter`), or `custom` without a start before its end (`bad_period`).' }) },
});

export const expiringReport = createRoute({
  method: 'get', path: '/reports/expiring', tags: ['reports'], operationId: 'expiringReport', summary: 'Sắp hết hạn / Expiring within 30 days',
  responses: { 200: jsonResponse('Certificates whose validity ends within the notice period.', data(z.array(expiringSchema))) },
});

export const runDailyJob = createRoute({
  method: 'post', path: '/jobs/daily', tags: ['jobs'], operationId: 'runDailyJob', summary: 'Chạy tác vụ hằng ngày / Run the daily job',
  description: 'Records expiries and lists expiring certificates; running it twice a day records nothing twice.',
  responses: { 200: jsonResponse('What the job did.', data(dailyJobSchema)) },
});

// Plans (issue 12): the provincial plans the dashboard and the reports measure against.
export const listPlans = createRoute({
  method: 'get', path: '/plans', tags: ['plans'], operationId: 'listPlans', summary: 'Danh sách kế hoạch / List plans',
  responses: { 200: jsonResponse('Every plan, the latest period first.', data(z.array(planSummarySchema))) },
});

export const getPlan = createRoute({
  method: 'get', path: '/plans/{id{[0-9]+}}', tags: ['plans'], operationId: 'getPlan', summary: 'Một kế hoạch / One plan',
  request: { params: idParams },
  responses: { 200: jsonResponse('The plan and its targets.', data(planSchema)), ...problemResponses(notFound) },
});

const planRules = { 400: 'Fails its schema, or the end is before the start (`invalid_plan_period`), a free indicator without a name, an indicator listed twice.', 404: 'No such area (`unknown_plan_area`).', 409: 'Another plan of the same area covers part of the period (`plan_overlap`).' };

export const createPlan = createRoute({
  method: 'post', path: '/plans', tags: ['plans'], operationId: 'createPlan', summary: 'Nhập kế hoạch / Create a plan',
  description: 'Targets are minimums; shares in percent (80 = 80 %). Standard indicators at most once; `custom` ones need a name and may carry the actual value.',
  request: { body: jsonBody(planForm) },
  responses: { 201: jsonResponse('The plan as stored.', data(planSchema)), ...problemResponses(planRules) },
});

export const updatePlan = createRoute({
  method: 'put', path: '/plans/{id{[0-9]+}}', tags: ['plans'], operationId: 'updatePlan', summary: 'Sửa kế hoạch / Update a plan',
  description: 'Replaces the plan and all its targets.',
  request: { params: idParams, body: jsonBody(planForm) },
  responses: { 200: jsonResponse('The plan as stored.', data(planSchema)), ...problemResponses({ ...planRules, 404: 'No such plan, or no such area.' }) },
});
