import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInVietnam } from '../../worker/domain/dates';
import { createTestContext, type TestContext } from '../helpers/app';
import { api, DEMO_EMAILS, get, postForm, sessionFor, text } from './admin-support';
import { demoNumbers } from '../helpers/demo';

// The admin JSON API as another provincial system uses it: a token made in the UI, shown
// once, stored hashed, then the same actions as the UI over Bearer authentication.

const NOW = new Date('2026-03-10T03:00:00Z');

/** Demo certificate numbers as seeded by this file's context (they carry their decision's year). */
const N = demoNumbers(NOW);
const TODAY = todayInVietnam(NOW);
let ctx: TestContext;
let admin: string;
let token: string;
let tokenId: number;

type Json = Record<string, unknown> & { data?: unknown; error?: { code: string; message_vi: string; message_en: string; details?: { fields: Record<string, string> } } };

async function json(res: Response): Promise<Json> {
  return (await res.json()) as Json;
}

async function makeToken(name: string, role: string, extra: Record<string, string> = {}): Promise<{ token: string; id: number }> {
  const res = await postForm(ctx, '/admin/tokens', admin, { name, role, areaUnitId: '', producerId: '', ...extra });
  expect(res.status).toBe(201);
  expect(res.headers.get('cache-control')).toBe('no-store');
  const html = await res.text();
  const m = /id="one-time-secret">\s*(ocop_[A-Za-z0-9_-]{43})\s*</.exec(html);
  if (!m) throw new Error('token not shown');
  const row = await ctx.db.selectFrom('api_tokens').select('id').where('name', '=', name).executeTakeFirstOrThrow();
  return { token: m[1]!, id: row.id };
}

beforeAll(async () => {
  ctx = await createTestContext({ seed: true, now: NOW });
  admin = await sessionFor(ctx, DEMO_EMAILS.province_admin);
  ({ token, id: tokenId } = await makeToken('Sở NN&MT — hệ thống báo cáo', 'province_admin'));
}, 180_000);

afterAll(async () => {
  await ctx?.close();
});

describe('API tokens', () => {
  it('are shown once and stored only as a hash', async () => {
    const rows = await ctx.db.selectFrom('api_tokens').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows.find((r) => r.id === tokenId)!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    const list = await (await get(ctx, '/admin/tokens', admin)).text();
    expect(list).not.toContain(token);
    expect(text(list)).toContain('Sở NN&MT — hệ thống báo cáo');
  });

  it('authenticate the API, record their last use, and stop at once when revoked', async () => {
    const { token: t, id } = await makeToken('Tạm thời', 'auditor');
    const me = await api(ctx, 'GET', '/me', t);
    expect(me.status).toBe(200);
    expect((await json(me)).data).toMatchObject({ kind: 'token', role: 'auditor', name: 'Tạm thời' });
    expect((await ctx.db.selectFrom('api_tokens').select('last_used_at').where('id', '=', id).executeTakeFirstOrThrow()).last_used_at).not.toBeNull();
    const revoke = await postForm(ctx, `/admin/tokens/${id}/revoke`, admin);
    expect(revoke.status).toBe(303);
    const after = await api(ctx, 'GET', '/me', t);
    expect(after.status).toBe(401);
    expect((await json(after)).error!.code).toBe('unauthorized');
    // A session cookie is no way into the API.
    expect((await ctx.app.request('/api/v1/admin/me', { headers: { cookie: admin } })).status).toBe(401);
    expect((await ctx.app.request('/api/v1/admin/me', { headers: { authorization: `Basic ${btoa('admin@ocop.demo:x')}` } })).status).toBe(401);
  });

  it('need a scope for scoped roles', async () => {
    const res = await postForm(ctx, '/admin/tokens', admin, { name: 'Thiếu địa bàn', role: 'area_officer', areaUnitId: '', producerId: '' });
    expect(res.status).toBe(400); // area_required is an invalid input, here as in the API
    expect(text(await res.text())).toContain('cần chọn địa bàn');
  });
});

describe('certificates over the API', () => {
  it('issue, renew and revoke, with stable error codes and field errors', async () => {
    const product = await json(await api(ctx, 'POST', '/products', token, { producerId: 1, name: 'Điều rang muối túi zip', planGroupId: null }));
    const productId = (product.data as { id: number; slug: string }).id;
    expect((product.data as { slug: string }).slug).toBe('dieu-rang-muoi-tui-zip');
    const evaluation = await api(ctx, 'POST', '/evaluations', token, { productId, scoreA: 30, scoreB: 19, scoreC: 27.5, mandatoryLevel: 5, councilLevel: 'province', evaluatedOn: '2026-02-20', legalBasisId: 'QD-148-2023' });
    expect(evaluation.status).toBe(201);
    const evaluationId = ((await json(evaluation)).data as { id: number; stars: number }).id;

    const invalid = await api(ctx, 'POST', '/certificates', token, { evaluationId, number: '', decisionDate: '2026-02-30', issuingLevel: 'galaxy' });
    expect(invalid.status).toBe(400);
    const err = (await json(invalid)).error!;
    expect(err.code).toBe('invalid_input');
    expect(Object.keys(err.details!.fields).sort()).toEqual(['decisionDate', 'decisionNumber', 'issuingBody', 'issuingLevel', 'number']);
    expect(err.details!.fields.decisionDate).toContain('Ngày không hợp lệ');

    const unknown = await api(ctx, 'POST', '/certificates', token, { evaluationId: 999999, number: 'DN-API-0', decisionNumber: '1/QĐ', decisionDate: '2026-03-01', issuingBody: 'UBND', issuingLevel: 'province' });
    expect(unknown.status).toBe(404);
    expect((await json(unknown)).error!.code).toBe('unknown_evaluation');

    const issued = await api(ctx, 'POST', '/certificates', token, { evaluationId, number: 'DN-API-001', decisionNumber: '5/QĐ-UBND', decisionDate: '2026-03-01', issuingBody: 'UBND tỉnh Đồng Nai', issuingLevel: 'province' });
    expect(issued.status).toBe(201);
    const cert = (await json(issued)).data as { id: number; stars: number; valid_until: string };
    expect(cert).toMatchObject({ stars: 4, valid_until: '2029-03-01' });

    const again = await api(ctx, 'POST', '/certificates', token, { evaluationId, number: 'DN-API-002', decisionNumber: '6/QĐ-UBND', decisionDate: '2026-03-01', issuingBody: 'UBND', issuingLevel: 'province' });
    expect(again.status).toBe(409);
    expect((await json(again)).error).toMatchObject({ code: 'evaluation_used', message_vi: 'Kết quả đánh giá này đã được dùng để cấp giấy chứng nhận' });

    const re = await api(ctx, 'POST', '/evaluations', token, { productId, scoreA: 36, scoreB: 22, scoreC: 33, mandatoryLevel: 5, councilLevel: 'national', evaluatedOn: '2026-03-02', legalBasisId: 'QD-148-2023' });
    const reId = ((await json(re)).data as { id: number }).id;
    const renewed = await api(ctx, 'POST', `/certificates/${cert.id}/renew`, token, { evaluationId: reId, number: 'DN-API-5S-001', decisionNumber: '9/QĐ-BNNMT', decisionDate: TODAY, issuingBody: 'Bộ Nông nghiệp và Môi trường', issuingLevel: 'national' });
    expect(renewed.status).toBe(201);
    const next = (await json(renewed)).data as { id: number; stars: number; supersedes_id: number };
    expect(next).toMatchObject({ stars: 5, supersedes_id: cert.id });
    const detail = (await json(await api(ctx, 'GET', `/certificates/${cert.id}`, token))).data as { certificate: { state: string }; chain: { number: string }[] };
    expect(detail.certificate.state).toBe('superseded');
    expect(detail.chain.map((c) => c.number)).toEqual(['DN-API-5S-001', 'DN-API-001']);

    const revoked = await api(ctx, 'POST', '/certificates/revoke', token, { ids: [next.id], decisionNumber: '30/QĐ-UBND', date: TODAY, ground: 'no_quality_records', note: 'Thiếu hồ sơ truy xuất' });
    expect(revoked.status).toBe(200);
    expect(((await json(revoked)).data as { status: string }[])[0]!.status).toBe('revoked');
    const list = (await json(await api(ctx, 'GET', '/certificates?state=revoked&q=dn-api', token))).data as { number: string; state: string }[];
    expect(list.map((c) => [c.number, c.state])).toEqual([['DN-API-5S-001', 'revoked']]);
    const audit = await ctx.db.selectFrom('audit_log').select(['action', 'actor_label', 'actor_user_id']).where('entity', '=', 'certificate').where('entity_id', 'in', [String(cert.id), String(next.id)]).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['certificate.issue', 'certificate.supersede', 'certificate.renew', 'certificate.revoke']);
    expect(new Set(audit.map((a) => a.actor_label))).toEqual(new Set([`token:${tokenId} Sở NN&MT — hệ thống báo cáo`]));
    expect(audit.every((a) => a.actor_user_id === null)).toBe(true);
  });

  it('answers malformed requests with 400 and a JSON error, never a 500', async () => {
    const bad = await ctx.app.request('/api/v1/admin/certificates', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"evaluationId": 1,' });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error!.code).toBe('invalid_json');
    expect((await api(ctx, 'POST', '/certificates/revoke', token, [1, 2])).status).toBe(400);
    expect((await api(ctx, 'POST', '/certificates/revoke', token, { ids: [], decisionNumber: 'x', date: TODAY, ground: 'other' })).status).toBe(400);
    expect((await api(ctx, 'GET', '/certificates?state=nope', token)).status).toBe(400);
    expect((await api(ctx, 'GET', '/certificates/99999999999', token)).status).toBe(404);
    expect((await api(ctx, 'GET', '/reports/period?period=2025-H3', token)).status).toBe(400);
    expect((await api(ctx, 'GET', '/audit?from=yesterday', token)).status).toBe(400);
  });
});

describe('producers, products and evaluations over the API', () => {
  it('create and edit with validation, every change audited under the token', async () => {
    const bad = await api(ctx, 'POST', '/producers', token, { name: 'X', legalForm: 'llc', taxCode: '123', email: 'not-mail' });
    expect(bad.status).toBe(400);
    expect(Object.keys((await json(bad)).error!.details!.fields).sort()).toEqual(['email', 'legalForm', 'name', 'taxCode']);
    const created = await api(ctx, 'POST', '/producers', token, { name: 'HTX Điều Tân Tiến', legalForm: 'hop_tac_xa', taxCode: '3801234567', femaleLed: true, addressUnitId: 'c-695-tan-tien' });
    expect(created.status).toBe(201);
    const producer = (await json(created)).data as { id: number; female_led: boolean };
    expect(producer.female_led).toBe(true);
    const updated = await api(ctx, 'PUT', `/producers/${producer.id}`, token, { name: 'HTX Điều Tân Tiến', legalForm: 'hop_tac_xa', taxCode: '3801234567', femaleLed: false, ethnicMinorityLed: true, addressUnitId: 'c-695-tan-tien' });
    expect(((await json(updated)).data as { ethnic_minority_led: boolean }).ethnic_minority_led).toBe(true);
    const product = (await json(await api(ctx, 'POST', '/products', token, { producerId: producer.id, name: 'Điều rang muối Tân Tiến', gtin: '8930000000019' }))).data as { id: number };
    const region = await api(ctx, 'POST', `/products/${product.id}/regions`, token, { description: 'Vườn điều Tân Tiến', unitId: 'c-695-tan-tien', areaHa: 12.5, latitude: 11.5, longitude: 106.9 });
    expect(region.status).toBe(201);
    const regionId = ((await json(region)).data as { id: number }).id;
    const got = (await json(await api(ctx, 'GET', `/products/${product.id}`, token))).data as { regions: { unit_name: string; area_ha: number }[] };
    expect(got.regions).toMatchObject([{ unit_name: 'Tân Tiến', area_ha: 12.5 }]);
    expect((await api(ctx, 'DELETE', `/products/${product.id}/regions/${regionId}`, token)).status).toBe(204);
    expect((await api(ctx, 'DELETE', `/products/${product.id}/regions/${regionId}`, token)).status).toBe(404);
    const badRegion = await api(ctx, 'POST', `/products/${product.id}/regions`, token, { description: '', latitude: 120 });
    expect(Object.keys((await json(badRegion)).error!.details!.fields).sort()).toEqual(['description', 'latitude']);
    const trail = await ctx.db.selectFrom('audit_log').select('action').where('actor_label', 'like', `token:${tokenId} %`).where('entity', 'in', ['producer', 'product']).orderBy('id').execute();
    expect(trail.map((t) => t.action)).toEqual(expect.arrayContaining(['producer.create', 'producer.update', 'product.create', 'region.create', 'region.delete']));
  });
});

describe('reports, audit and the daily job over the API', () => {
  it('report the plan, a period and the expiry notices', async () => {
    type PlanReport = { plan: { plan: { name: string } | null; targets: { indicator: string; target: number; actual: { value: number } | null; met: boolean | null }[] }; tourismProducts: number };
    // The day asked for is measured against the plan in force then (the seeded 2022-2025 plan).
    const plan = (await json(await api(ctx, 'GET', '/reports/plan?day=2025-12-31', token))).data as PlanReport;
    expect(plan.plan.plan?.name).toBe('Kế hoạch OCOP tỉnh Bình Phước giai đoạn 2022-2025');
    expect(plan.plan.targets.find((t) => t.indicator === 'products_3_star_cumulative')!.target).toBe(250);
    expect(plan.plan.targets.find((t) => t.indicator === 'community_tourism_products')).toMatchObject({ actual: { value: plan.tourismProducts }, target: 6, met: false });
    // Sales points are counted as recorded by the day measured: the demo's were entered at seeding, after 2025.
    expect(plan.plan.targets.find((t) => t.indicator === 'showrooms_per_district')).toMatchObject({ actual: { value: 0, detail: '0 / 11 huyện (cũ) có điểm giới thiệu' }, met: false });
    // Today no plan is in force: said, with no targets.
    const today = (await json(await api(ctx, 'GET', '/reports/plan', token))).data as PlanReport;
    expect(today.plan).toEqual({ plan: null, targets: [] });
    const period = (await json(await api(ctx, 'GET', '/reports/period?period=2025', token))).data as { from: string; to: string };
    expect(period).toMatchObject({ from: '2025-01-01', to: '2025-12-31' });
    const expiring = (await json(await api(ctx, 'GET', '/reports/expiring', token))).data as { number: string }[];
    expect(expiring.map((e) => e.number)).toEqual([N.keo]);
  });

  it('pages through the audit log with filters', async () => {
    const first = await json(await api(ctx, 'GET', '/audit?entity=certificate&limit=3', token));
    const rows = first.data as { id: number; entity: string }[];
    expect(rows.length).toBe(3);
    expect(rows.every((r) => r.entity === 'certificate')).toBe(true);
    const next = await json(await api(ctx, 'GET', `/audit?entity=certificate&limit=3&before=${first.next_before as number}`, token));
    expect((next.data as { id: number }[])[0]!.id).toBeLessThan(rows[2]!.id);
    const csv = await (await api(ctx, 'GET', '/audit.csv?action=certificate.', token)).text();
    expect(csv.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('id,at,actor_user_id,actor,action,entity,entity_id,reason,before,after');
    expect(csv).toContain('certificate.revoke');
    expect(csv).not.toContain('batch.issue');
  });

  it('runs the daily job once per expiry, audited', async () => {
    const first = (await json(await api(ctx, 'POST', '/jobs/daily', token))).data as { expiredRecorded: number; expiringSoon: unknown[] };
    // The two 2021 certificates and the renewal-pending one (its file changes no date).
    expect(first.expiredRecorded).toBe(3);
    expect(first.expiringSoon.length).toBe(1);
    const second = (await json(await api(ctx, 'POST', '/jobs/daily', token))).data as { expiredRecorded: number };
    expect(second.expiredRecorded).toBe(0);
    const runs = await ctx.db.selectFrom('audit_log').select('actor_label').where('action', '=', 'job.daily.run').execute();
    expect(runs.length).toBe(2);
  });
});
