import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/app';
import { api, DEMO_EMAILS, postForm, sessionFor, text } from './admin-support';

// One broken rule, one answer: the admin UI's forms and the admin JSON API give the same
// status for the same rule (the kind in worker/domain/errors.ts), the UI with the form shown
// again and the message beside its field, the API with the code in a problem document.

let ctx: TestContext;
let admin: string;
let officer: string;
let adminToken: string;
let officerToken: string;

type Problem = { error: { code: string; message_vi: string; message_en: string; details?: { fields: Record<string, string> } } };

async function makeToken(name: string, role: string, areaUnitId = ''): Promise<string> {
  const res = await postForm(ctx, '/admin/tokens', admin, { name, role, areaUnitId, producerId: '' });
  expect(res.status).toBe(201);
  const m = /id="one-time-secret">\s*(ocop_[A-Za-z0-9_-]{43})\s*</.exec(await res.text());
  if (!m) throw new Error('token not shown');
  return m[1]!;
}

const evaluation = { productId: '1', scoreA: '30', scoreB: '19', scoreC: '27', mandatoryLevel: '5', councilLevel: 'province', evaluatedOn: '2026-02-20', legalBasisId: 'QD-148-2023' };

beforeAll(async () => {
  ctx = await createTestContext({ seed: true, now: new Date('2026-03-10T03:00:00Z') });
  admin = await sessionFor(ctx, DEMO_EMAILS.province_admin);
  officer = await sessionFor(ctx, DEMO_EMAILS.area_officer);
  const area = (await ctx.db.selectFrom('users').select('area_unit_id').where('email', '=', DEMO_EMAILS.area_officer).executeTakeFirstOrThrow()).area_unit_id!;
  adminToken = await makeToken('Hệ thống tỉnh', 'province_admin');
  officerToken = await makeToken('Hệ thống huyện', 'area_officer', area);
}, 180_000);

afterAll(async () => {
  await ctx?.close();
});

describe('the same rule answers the same everywhere', () => {
  const cases = [
    {
      rule: 'unknown_product',
      status: 404,
      form: () => postForm(ctx, '/admin/evaluations', admin, { ...evaluation, productId: '999999' }),
      json: () => api(ctx, 'POST', '/evaluations', adminToken, { ...evaluation, productId: 999999 }),
      field: 'productId',
    },
    {
      rule: 'slug_taken',
      status: 409,
      form: () => postForm(ctx, '/admin/products', admin, { producerId: '1', name: 'Điều', slug: 'keo-dieu-ha-my' }),
      json: () => api(ctx, 'POST', '/products', adminToken, { producerId: 1, name: 'Điều', slug: 'keo-dieu-ha-my' }),
      field: 'slug',
    },
    {
      rule: 'outside_area',
      status: 403,
      form: () => postForm(ctx, '/admin/producers', officer, { name: 'HTX Lộc Quảng', legalForm: 'hop_tac_xa', addressUnitId: 'c-692-loc-quang' }),
      json: () => api(ctx, 'POST', '/producers', officerToken, { name: 'HTX Lộc Quảng', legalForm: 'hop_tac_xa', addressUnitId: 'c-692-loc-quang' }),
      field: 'addressUnitId',
    },
    {
      rule: 'future_date',
      status: 400,
      form: () => postForm(ctx, '/admin/evaluations', admin, { ...evaluation, evaluatedOn: '2026-04-01' }),
      json: () => api(ctx, 'POST', '/evaluations', adminToken, { ...evaluation, productId: 1, evaluatedOn: '2026-04-01' }),
      field: 'evaluatedOn',
    },
  ];

  for (const c of cases) {
    it(`${c.rule}: ${c.status} from the form and from the API`, async () => {
      const json = await c.json();
      expect(json.status).toBe(c.status);
      const problem = (await json.json()) as Problem;
      expect(problem.error.code).toBe(c.rule);
      const form = await c.form();
      expect(form.status).toBe(c.status);
      const html = await form.text();
      // The form comes back, the message beside its field, in both languages.
      const beside = new RegExp(`id="err-${c.field}" role="alert">([^<]*)<`).exec(html)?.[1];
      expect(beside).toBe(`${problem.error.message_vi} / ${problem.error.message_en}`);
    });
  }

  it('a failed schema is 400 with the messages by field, in the form and in the API', async () => {
    const form = await postForm(ctx, '/admin/evaluations', admin, { ...evaluation, scoreA: '41' });
    expect(form.status).toBe(400);
    expect(text(await form.text())).toContain('Từ 0 đến 40');
    const json = await api(ctx, 'POST', '/evaluations', adminToken, { ...evaluation, scoreA: 41 });
    expect(json.status).toBe(400);
    const problem = (await json.json()) as Problem;
    expect(problem.error).toMatchObject({ code: 'invalid_input', message_vi: 'Dữ liệu không hợp lệ: scoreA', message_en: 'Invalid input: scoreA' });
    expect(problem.error.details!.fields.scoreA).toContain('Từ 0 đến 40');
  });

  it('a body that is not a JSON object is refused as such', async () => {
    const malformed = await ctx.app.request('/api/v1/admin/evaluations', { method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: '{"productId":' });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as Problem).error.code).toBe('invalid_json');
    const list = await api(ctx, 'POST', '/evaluations', adminToken, [evaluation]);
    expect(list.status).toBe(400);
    expect(((await list.json()) as Problem).error.code).toBe('invalid_json');
    const form = await ctx.app.request('/api/v1/admin/evaluations', { method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(evaluation) });
    expect(form.status).toBe(400);
    expect(((await form.json()) as Problem).error.code).toBe('invalid_json');
  });

  it('a rule outside any form is the admin error page with the same status', async () => {
    const res = await postForm(ctx, '/admin/tokens/999999/revoke', admin);
    expect(res.status).toBe(404);
    expect(text(await res.text())).toContain('Về trang quản trị');
  });
});

describe('the package-state cache', () => {
  it('is cleared after a successful admin change, and only then', async () => {
    const invalidate = vi.spyOn(ctx.deps.cache, 'invalidate');
    try {
      await postForm(ctx, '/admin/products', admin, { producerId: '1', name: 'Điều', slug: 'keo-dieu-ha-my' });
      await api(ctx, 'GET', '/products', adminToken);
      expect(invalidate).not.toHaveBeenCalled();
      const ok = await postForm(ctx, '/admin/products', admin, { producerId: '1', name: 'Điều rang củi' });
      expect(ok.status).toBe(303);
      expect(invalidate).toHaveBeenCalledTimes(1);
      const viaApi = await api(ctx, 'POST', '/products', adminToken, { producerId: 1, name: 'Điều rang muối ớt' });
      expect(viaApi.status).toBe(201);
      expect(invalidate).toHaveBeenCalledTimes(2);
    } finally {
      invalidate.mockRestore();
    }
  });
});
