import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminApiRouteTable } from '../../admin/api';
import { PERMISSIONS } from '../../admin/permissions';
import { generateApiToken, hashApiToken } from '../../admin/secrets';
import type { Role } from '../../schema/database';
import { createToken } from '../../worker/db/users-and-tokens';
import { todayInVietnam } from '../../worker/domain/dates';
import { ROLES } from '../../worker/domain/vocabulary';
import { createTestContext, type TestContext } from '../helpers/app';
import { type Document, documentedStatuses, expectDocumentedAnswer, expectValidDocument, resolved, schemaValidator } from '../helpers/openapi';
import { api } from './admin-support';
import { demoNumbers } from '../helpers/demo';

// The admin API's OpenAPI document (/api/v1/admin/openapi.json) against the answers the API
// really gives: every documented operation is called, as a province admin through a whole
// round of writes, as nobody (401) and as a role the permission table refuses (403); each
// answer's status, media type and JSON body must be the ones declared, and every declared
// status must come from at least one real request.

const NOW = new Date('2026-03-10T03:00:00Z');

/** Demo certificate numbers as seeded by this file's context (they carry their decision's year). */
const N = demoNumbers(NOW);
const TODAY = todayInVietnam(NOW);
let ctx: TestContext;
let doc: Document;
let ops: Document;
const tokens = {} as Record<Role, string>;
const seen = new Set<string>();
const compile = schemaValidator();

/** The documented path of a request path: `/products/12/regions/3` → `/products/{id}/regions/{region}` (ids are digits). */
function template(path: string): string {
  const bare = path.split('?')[0]!;
  const found = Object.keys(doc.paths).find((candidate) => new RegExp(`^${candidate.replace(/\{\w+\}/g, '[0-9]+')}$`).test(bare));
  if (!found) throw new Error(`no documented path for ${path}`);
  return found;
}

/** Calls the API and checks the answer against the document; returns the JSON body. */
async function call(method: string, path: string, status: number, opts: { body?: unknown; as?: Role | null; code?: string } = {}): Promise<{ data?: unknown } & Record<string, unknown>> {
  const token = opts.as === null ? undefined : tokens[opts.as ?? 'province_admin'];
  const res = await api(ctx, method, path, token, opts.body);
  const operation = `${method} ${template(path)}`;
  const label = `${operation} (${path.slice(0, 70)}) → ${res.status}`;
  expect(res.status, label).toBe(status);
  const op = ops.paths[template(path)]?.[method.toLowerCase()];
  expect(op, `${operation} is documented`).toBeDefined();
  const body = await expectDocumentedAnswer(op!, res, label, compile);
  if (opts.code) expect((body as { error: { code: string } }).error.code, label).toBe(opts.code);
  seen.add(`${operation} ${status}`);
  return (body ?? {}) as { data?: unknown };
}

beforeAll(async () => {
  ctx = await createTestContext({ seed: true, now: NOW });
  const producer = await ctx.db.selectFrom('producers').select('id').where('name', '=', 'Công ty Cổ phần Hà Mỵ').executeTakeFirstOrThrow();
  for (const role of ROLES) {
    const token = generateApiToken();
    await createToken(ctx.db, { userId: null, label: 'test' }, { name: `openapi ${role}`, role, areaUnitId: role === 'area_officer' ? 'd-695' : null, producerId: role === 'producer' ? producer.id : null }, await hashApiToken(token));
    tokens[role] = token;
  }
  const res = await ctx.app.request('/api/v1/admin/openapi.json');
  expect(res.status).toBe(200);
  doc = (await res.json()) as Document;
  ops = await resolved(doc);
}, 120_000);

afterAll(async () => {
  await ctx?.close();
});

describe('the admin OpenAPI document', () => {
  it('is valid OpenAPI 3.1, served without a token, and lists every API route but itself', async () => {
    await expectValidDocument(doc);
    const listed = documentedStatuses(doc).map((s) => s.split(' ').slice(0, 2).join(' '));
    const routes = adminApiRouteTable().filter((s) => s.access !== 'public').map((s) => `${s.method} ${s.path.replace(/:(\w+)\{[^}]*\}/g, '{$1}')}`);
    expect(new Set(listed)).toEqual(new Set(routes));
  });

  it('says on each operation the permission the guard checks', () => {
    for (const spec of adminApiRouteTable()) {
      if (spec.access === 'public') continue;
      const op = doc.paths[spec.path.replace(/:(\w+)\{[^}]*\}/g, '{$1}')]![spec.method.toLowerCase()] as unknown as { description: string; security: unknown };
      expect(op.description).toContain(`\`${spec.access}\` (${PERMISSIONS[spec.access].join(', ')})`);
      expect(op.security).toEqual([{ bearerAuth: [] }]);
    }
  });
});

describe('real answers against the admin OpenAPI document', () => {
  it('every route refuses nobody with 401 and a refused role with 403, as documented', async () => {
    for (const spec of adminApiRouteTable()) {
      if (spec.access === 'public') continue;
      const path = spec.path.replace(/:\w+\{[^}]*\}/g, '1');
      const body = spec.method === 'POST' || spec.method === 'PUT' ? {} : undefined;
      await call(spec.method, path, 401, { as: null, body, code: 'unauthorized' });
      const refused = ROLES.find((role) => !PERMISSIONS[spec.access as keyof typeof PERMISSIONS].includes(role));
      if (refused) await call(spec.method, path, 403, { as: refused, body, code: 'forbidden' });
    }
  });

  it('answers a whole round of reads and writes as documented', async () => {
    const db = ctx.db;
    const hamy = await db.selectFrom('producers').select('id').where('name', '=', 'Công ty Cổ phần Hà Mỵ').executeTakeFirstOrThrow();
    const seeded = await db.selectFrom('products').select('id').where('slug', '=', 'hat-dieu-rang-muoi-ha-my').executeTakeFirstOrThrow();
    const active = await db.selectFrom('certificates').select(['id', 'evaluation_id', 'product_id']).where('product_id', '=', seeded.id).where('status', '=', 'active').executeTakeFirstOrThrow();
    const superseded = await db.selectFrom('certificates').select('id').where('number', '=', N.haMyOld).executeTakeFirstOrThrow();
    const revoked = await db.selectFrom('certificates').select('id').where('status', '=', 'revoked').executeTakeFirstOrThrow();
    const usedEvaluation = await db.selectFrom('evaluations').selectAll().where('id', '=', active.evaluation_id).executeTakeFirstOrThrow();
    const seededBatch = await db.selectFrom('package_batches').select('id').where('lot_code', '=', 'HM-RM-01').executeTakeFirstOrThrow();

    await call('GET', '/me', 200);

    // Producers
    await call('GET', '/producers', 200);
    await call('GET', '/producers?legal_form=llc', 400, { code: 'bad_filter' });
    await call('GET', `/producers/${hamy.id}`, 200);
    await call('GET', '/producers/999999', 404);
    const producerBody = { name: 'HTX Điều OpenAPI', legalForm: 'hop_tac_xa', taxCode: '3801234599', femaleLed: true, addressUnitId: 'c-695-tan-tien' };
    const producer = (await call('POST', '/producers', 201, { body: producerBody })).data as { id: number };
    await call('POST', '/producers', 400, { body: { name: 'X' }, code: 'invalid_input' });
    await call('POST', '/producers', 403, { as: 'area_officer', body: { ...producerBody, addressUnitId: 'c-692-loc-quang' }, code: 'outside_area' });
    await call('PUT', `/producers/${producer.id}`, 200, { body: { ...producerBody, ethnicMinorityLed: true } });
    await call('PUT', `/producers/${producer.id}`, 400, { body: [producerBody], code: 'invalid_json' });
    await call('PUT', '/producers/999999', 404, { body: producerBody });
    await call('PUT', `/producers/${producer.id}/contact`, 200, { body: { phone: '0912 345 678', website: 'https://htx.example', zalo: '0912345678' } });
    await call('PUT', `/producers/${producer.id}/contact`, 400, { body: { website: 'http://htx.example' }, code: 'invalid_input' });
    await call('PUT', '/producers/999999/contact', 404, { body: {} });

    // Products and regions
    const productBody = { producerId: producer.id, name: 'Điều rang OpenAPI', gtin: '8930000000026' };
    const product = (await call('POST', '/products', 201, { body: productBody })).data as { id: number };
    await call('POST', '/products', 400, { body: {}, code: 'invalid_input' });
    await call('POST', '/products', 404, { body: { ...productBody, producerId: 999999 }, code: 'unknown_producer' });
    await call('POST', '/products', 409, { body: { ...productBody, slug: 'keo-dieu-ha-my' }, code: 'slug_taken' });
    await call('GET', '/products?producer=' + hamy.id, 200);
    await call('GET', '/products?area=NOT AN AREA', 400, { code: 'bad_filter' });
    await call('GET', `/products/${seeded.id}`, 200);
    await call('GET', '/products/99999999999', 404);
    await call('PUT', `/products/${product.id}`, 200, { body: { ...productBody, description: 'Mô tả' } });
    await call('PUT', `/products/${product.id}`, 400, { body: { ...productBody, gtin: '12' }, code: 'invalid_input' });
    await call('PUT', '/products/999999', 404, { body: productBody });
    const region = (await call('POST', `/products/${product.id}/regions`, 201, { body: { description: 'Vườn điều', unitId: 'c-695-tan-tien', areaHa: 2.5, latitude: 11.5, longitude: 106.9 } })).data as { id: number };
    await call('POST', `/products/${product.id}/regions`, 400, { body: { description: '' }, code: 'invalid_input' });
    await call('POST', '/products/999999/regions', 404, { body: { description: 'Vườn' } });
    await call('GET', `/products/${product.id}`, 200);
    await call('DELETE', `/products/${product.id}/regions/${region.id}`, 204);
    await call('DELETE', `/products/${product.id}/regions/${region.id}`, 404);

    // Evaluations
    const evaluationBody = { productId: product.id, scoreA: 30, scoreB: 19, scoreC: 27.5, mandatoryLevel: 5, councilLevel: 'province', evaluatedOn: '2026-02-20', legalBasisId: 'QD-148-2023' };
    const evaluation = (await call('POST', '/evaluations', 201, { body: evaluationBody })).data as { id: number };
    await call('POST', '/evaluations', 400, { body: { ...evaluationBody, scoreA: 41 }, code: 'invalid_input' });
    await call('POST', '/evaluations', 404, { body: { ...evaluationBody, productId: 999999 }, code: 'unknown_product' });
    await call('GET', '/evaluations?pending=true', 200);
    await call('GET', '/evaluations?product=x', 400, { code: 'bad_filter' });
    await call('GET', `/evaluations/${evaluation.id}`, 200);
    await call('GET', '/evaluations/999999', 404);
    await call('PUT', `/evaluations/${evaluation.id}`, 200, { body: { ...evaluationBody, note: 'Sửa điểm C' } });
    await call('PUT', `/evaluations/${evaluation.id}`, 400, { body: { ...evaluationBody, councilLevel: 'galaxy' }, code: 'invalid_input' });
    await call('PUT', '/evaluations/999999', 404, { body: evaluationBody });
    const usedBody = { productId: usedEvaluation.product_id, scoreA: usedEvaluation.score_a, scoreB: usedEvaluation.score_b, scoreC: usedEvaluation.score_c, mandatoryLevel: usedEvaluation.mandatory_level, councilLevel: usedEvaluation.council_level, evaluatedOn: usedEvaluation.evaluated_on, legalBasisId: usedEvaluation.legal_basis_id };
    await call('PUT', `/evaluations/${usedEvaluation.id}`, 409, { body: usedBody });

    // Certificates: issue, renew, revoke
    const issueBody = { evaluationId: evaluation.id, number: 'DN-OAS-001', decisionNumber: '7/QĐ-UBND', decisionDate: '2026-03-01', issuingBody: 'UBND tỉnh Đồng Nai', issuingLevel: 'province' };
    const cert = (await call('POST', '/certificates', 201, { body: issueBody })).data as { id: number };
    await call('POST', '/certificates', 400, { body: { ...issueBody, decisionDate: '2026-02-30' }, code: 'invalid_input' });
    await call('POST', '/certificates', 404, { body: { ...issueBody, evaluationId: 999999 }, code: 'unknown_evaluation' });
    await call('POST', '/certificates', 409, { body: { ...issueBody, number: 'DN-OAS-002' }, code: 'evaluation_used' });
    const next = (await call('POST', '/evaluations', 201, { body: { ...evaluationBody, scoreA: 36, scoreB: 22, scoreC: 33, councilLevel: 'national', evaluatedOn: '2026-03-02' } })).data as { id: number };
    const renewBody = { evaluationId: next.id, number: 'DN-OAS-5S-001', decisionNumber: '9/QĐ-BNNMT', decisionDate: TODAY, issuingBody: 'Bộ Nông nghiệp và Môi trường', issuingLevel: 'national' };
    await call('POST', `/certificates/${cert.id}/renew`, 400, { body: { ...renewBody, number: '' }, code: 'invalid_input' });
    await call('POST', '/certificates/999999/renew', 404, { body: renewBody });
    await call('POST', `/certificates/${superseded.id}/renew`, 409, { body: renewBody });
    const renewed = (await call('POST', `/certificates/${cert.id}/renew`, 201, { body: renewBody })).data as { id: number };
    await call('GET', '/certificates?state=active&q=dn-oas&limit=5', 200);
    await call('GET', '/certificates?expiring=30', 200);
    await call('GET', '/certificates?stars=9', 400, { code: 'bad_filter' });
    for (const id of [active.id, cert.id, revoked.id]) await call('GET', `/certificates/${id}`, 200);
    await call('GET', '/certificates/999999', 404);
    const revokeBody = { ids: [renewed.id], decisionNumber: '30/QĐ-UBND', date: TODAY, ground: 'other', note: 'Thiếu hồ sơ' };
    await call('POST', '/certificates/revoke', 400, { body: { ...revokeBody, ids: [] }, code: 'invalid_input' });
    await call('POST', '/certificates/revoke', 404, { body: { ...revokeBody, ids: [999999] }, code: 'unknown_certificate' });
    await call('POST', '/certificates/revoke', 200, { body: revokeBody });
    await call('POST', '/certificates/revoke', 409, { body: revokeBody });

    // Batches and labels
    const batchBody = { certificateId: active.id, lotCode: 'OAS-01', productionDate: TODAY, quantity: 3 };
    const batch = (await call('POST', '/batches', 201, { body: batchBody })).data as { id: number };
    await call('POST', '/batches', 400, { body: { ...batchBody, quantity: 0 }, code: 'invalid_input' });
    await call('POST', '/batches', 404, { body: { ...batchBody, certificateId: 999999 }, code: 'unknown_certificate' });
    await call('POST', '/batches', 409, { body: batchBody, code: 'lot_exists' });
    await call('GET', `/batches?certificate=${active.id}`, 200);
    await call('GET', '/batches?product=abc', 400, { code: 'bad_filter' });
    await call('GET', `/batches/${seededBatch.id}`, 200);
    await call('GET', `/batches/${batch.id}`, 200, { as: 'producer' });
    await call('GET', '/batches/999999', 404);
    for (const format of ['csv', 'pdf', 'svg-zip']) await call('GET', `/batches/${batch.id}/labels?format=${format}&columns=2&rows=5`, 200);
    await call('GET', `/batches/${batch.id}/labels?format=docx`, 400, { code: 'bad_filter' });
    await call('GET', `/batches/${batch.id}/labels?format=pdf&columns=9&rows=9`, 400);
    await call('GET', '/batches/999999/labels', 404);

    // Where to buy and the communes of today's province (issue 12)
    const pointBody = { kind: 'shop', name: 'Quầy OAS', unitId: 'c-2025-xa-dong-phu', formerUnitId: 'd-695', latitude: 11.48, longitude: 106.94, productIds: [seeded.id] };
    const point = (await call('POST', '/sales-points', 201, { body: pointBody })).data as { id: number };
    await call('POST', '/sales-points', 400, { body: { ...pointBody, latitude: 48.85, longitude: 2.35 }, code: 'outside_vietnam' });
    await call('POST', '/sales-points', 403, { body: { ...pointBody, kind: 'showroom' }, as: 'producer', code: 'forbidden' });
    await call('POST', '/sales-points', 404, { body: { ...pointBody, unitId: 'c-khong-co' }, code: 'unknown_unit' });
    await call('GET', '/sales-points?kind=showroom', 200);
    await call('GET', '/sales-points?kind=warehouse', 400, { code: 'bad_filter' });
    await call('GET', `/sales-points/${point.id}`, 200);
    await call('GET', '/sales-points/999999', 404);
    await call('PUT', `/sales-points/${point.id}`, 200, { body: { ...pointBody, openingHours: '7:00 – 17:00' } });
    await call('PUT', `/sales-points/${point.id}`, 400, { body: { ...pointBody, kind: 'online', url: 'http://x.example' }, code: 'invalid_input' });
    const showroom = await db.selectFrom('sales_points').select('id').where('kind', '=', 'showroom').executeTakeFirstOrThrow();
    await call('PUT', `/sales-points/${showroom.id}`, 403, { body: pointBody, as: 'producer', code: 'forbidden' });
    await call('PUT', '/sales-points/999999', 404, { body: pointBody });
    await call('DELETE', `/sales-points/${showroom.id}`, 403, { as: 'producer', code: 'forbidden' });
    await call('DELETE', `/sales-points/${point.id}`, 204);
    await call('DELETE', `/sales-points/${point.id}`, 404);
    await call('GET', '/units', 200);
    const unitBody = { name: 'Thử OAS', unitType: 'phuong', parentId: 'p-dong-nai', predecessorIds: ['c-692-loc-tan'] };
    await call('POST', '/units', 201, { body: unitBody });
    await call('POST', '/units', 409, { body: unitBody, code: 'unit_id_taken' });
    await call('POST', '/units', 400, { body: { ...unitBody, name: 'Khác', gsoCode: 'abc' }, code: 'invalid_input' });

    // Counterfeit reports, audit, reports, the daily job
    await db.insertInto('counterfeit_reports').values({ batch_id: seededBatch.id, serial: 9, message: 'Nhãn nghi giả' }).execute();
    await call('GET', '/counterfeit-reports?status=new', 200);
    await call('GET', '/counterfeit-reports?status=lost', 400, { code: 'bad_filter' });
    const page = await call('GET', '/audit?entity=certificate&limit=2', 200);
    await call('GET', `/audit?limit=2&before=${page.next_before as number}`, 200);
    await call('GET', '/audit?from=yesterday', 400, { code: 'bad_filter' });
    await call('GET', '/audit.csv?action=certificate.', 200);
    await call('GET', '/audit.csv?action=DROP%20TABLE', 400, { code: 'bad_filter' });
    await call('GET', '/reports/plan', 200);
    await call('GET', '/reports/period?period=2025', 200);
    await call('GET', '/reports/period?period=custom&from=2025-03-01&to=2025-03-31', 200);
    await call('GET', '/reports/period?period=2025-H3', 400, { code: 'bad_filter' });
    await call('GET', '/reports/period?period=custom&from=2025-05-01&to=2025-04-01', 400, { code: 'bad_period' });
    await call('GET', '/reports/expiring', 200);
    await call('GET', '/reports/plan?day=2025-12-31', 200);
    await call('GET', '/reports/plan?day=2025-02-30', 400, { code: 'bad_filter' });

    // Plans
    const planBody = { name: 'Kế hoạch OCOP Đồng Nai 2026-2030 (OpenAPI)', legalBasis: 'Kế hoạch số 1/KH-UBND', areaUnitId: 'p-dong-nai', periodStart: '2026-01-01', periodEnd: '2030-12-31', targets: [{ indicator: 'products_3_star_cumulative', target: 500 }, { indicator: 'custom', name: 'Lao động được đào tạo', unit: 'người', target: 1000, actual: 120 }] };
    const plan = (await call('POST', '/plans', 201, { body: planBody })).data as { id: number };
    await call('POST', '/plans', 409, { body: { ...planBody, name: 'Trùng', periodStart: '2030-01-01', periodEnd: '2031-12-31' }, code: 'plan_overlap' });
    await call('POST', '/plans', 400, { body: { ...planBody, targets: [{ indicator: 'custom', target: 1 }] }, code: 'invalid_input' });
    await call('POST', '/plans', 404, { body: { ...planBody, areaUnitId: 'p-nowhere' }, code: 'unknown_plan_area' });
    await call('GET', '/plans', 200);
    await call('GET', `/plans/${plan.id}`, 200);
    await call('GET', '/plans/999999', 404);
    await call('PUT', `/plans/${plan.id}`, 200, { body: { ...planBody, periodEnd: '2029-12-31' } });
    await call('PUT', `/plans/${plan.id}`, 400, { body: { ...planBody, periodEnd: '2025-01-01' }, code: 'invalid_input' });
    await call('PUT', `/plans/${plan.id}`, 409, { body: { ...planBody, areaUnitId: 'p-70', periodStart: '2025-01-01' }, code: 'plan_overlap' });
    await call('PUT', '/plans/999999', 404, { body: planBody });
    await call('POST', '/jobs/daily', 200);
  });

  it('produced every documented status of every operation', () => {
    expect([...seen].sort()).toEqual(documentedStatuses(doc).sort());
  });

  it('a wrong answer fails its schema: the check is not vacuous', async () => {
    const schema = ops.paths['/certificates']!.get!.responses['200']!.content!['application/json']!.schema;
    const good = (await (await api(ctx, 'GET', '/certificates?limit=1', tokens.province_admin)).json()) as { data: Record<string, unknown>[] };
    expect(compile(schema)(good)).toBe(true);
    for (const broken of [
      { data: [{ ...good.data[0], state: 'maybe' }] },
      { data: [{ ...good.data[0], valid_until: '2026-02-30x' }] },
      { data: [{ ...good.data[0], stars: '4' }] },
      { data: [{ ...good.data[0], id: undefined }] },
    ]) {
      expect(compile(schema)(JSON.parse(JSON.stringify(broken))), JSON.stringify(broken).slice(0, 60)).toBe(false);
    }
  });
});
