import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../schema/database';
import { adminApiRouteTable, adminApiRoutes } from '../../admin/api';
import { hashApiToken, generateApiToken } from '../../admin/secrets';
import { PERMISSIONS } from '../../admin/permissions';
import { adminRoutes, adminRouteTable } from '../../admin/routes';
import type { RouteSpec } from '../../admin/route-table';
import { createToken } from '../../worker/db/users-and-tokens';
import { saveUpload, sha256Hex } from '../../worker/db/register-uploads';
import { templateXlsx } from '../../worker/services/register-template';
import { ROLES } from '../../worker/domain/vocabulary';
import { createTestContext, type TestContext } from '../helpers/app';
import { api, DEMO_EMAILS, ORIGIN, sessionFor } from './admin-support';

// Walks EVERY admin route, UI and JSON API, as every role and as nobody, and checks the
// answer against the one permission table. The representative records belong to
// Công ty Cổ phần Hà Mỵ (Đồng Phú, d-695): inside the demo area officer's district and
// the demo producer's own, so "allowed" is never confused with "outside your scope".

let ctx: TestContext;
const ids: Record<string, string> = {};
const tokens = {} as Record<Role, string>;

beforeAll(async () => {
  ctx = await createTestContext({ seed: true });
  const db = ctx.db;
  const producer = await db.selectFrom('producers').select('id').where('name', '=', 'Công ty Cổ phần Hà Mỵ').executeTakeFirstOrThrow();
  const product = await db.selectFrom('products').select('id').where('slug', '=', 'hat-dieu-rang-muoi-ha-my').executeTakeFirstOrThrow();
  const cert = await db.selectFrom('certificates').select(['id', 'evaluation_id']).where('product_id', '=', product.id).where('status', '=', 'active').executeTakeFirstOrThrow();
  const batch = await db.selectFrom('package_batches').select('id').where('certificate_id', '=', cert.id).executeTakeFirstOrThrow();
  const region = await db.selectFrom('raw_material_regions').select('id').where('product_id', '=', product.id).executeTakeFirstOrThrow();
  const photo = await db.insertInto('product_photos').values({ product_id: product.id, kind: 'product', width: 640, height: 480, created_by: null }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('product_photo_renditions').values({ photo_id: photo.id, width: 640, height: 480, sha256: 'a'.repeat(64), bytes: 1000 }).execute();
  const target = await db.insertInto('users').values({ email: 'target@ocop.demo', name: 'Target', role: 'auditor', password_hash: 'pbkdf2-sha256$1$AA$AA' }).returning('id').executeTakeFirstOrThrow();
  const report = await db.insertInto('counterfeit_reports').values({ batch_id: batch.id, serial: 7, message: 'Nhãn giống hệt, bán ở chợ' }).returning('id').executeTakeFirstOrThrow();
  const spare = await createToken(db, { userId: null, label: 'test' }, { name: 'spare', role: 'auditor', areaUnitId: null, producerId: null }, await hashApiToken(generateApiToken()));
  const plan = await db.selectFrom('plans').select('id').executeTakeFirstOrThrow();
  // A register upload of the province admin's (an upload is only ever its uploader's).
  const sheet = templateXlsx();
  const upload = await saveUpload(db, { fileName: 'mau.xlsx', sha256: await sha256Hex(sheet), content: sheet, uploadedByLabel: DEMO_EMAILS.province_admin, uploadedBy: null }, new Date());
  const salesPoint = await db.selectFrom('sales_points').select('id').where('producer_id', '=', producer.id).where('kind', '=', 'shop').executeTakeFirstOrThrow();
  Object.assign(ids, {
    plans: String(plan.id),
    import: String(upload),
    'sales-points': String(salesPoint.id),
    certificates: String(cert.id), evaluations: String(cert.evaluation_id), producers: String(producer.id), products: String(product.id),
    batches: String(batch.id), users: String(target.id), tokens: String(spare.id), counterfeit: String(report.id), region: String(region.id), photo: String(photo.id),
  });
  for (const role of ROLES) {
    const token = generateApiToken();
    await createToken(db, { userId: null, label: 'test' }, { name: `matrix ${role}`, role, areaUnitId: role === 'area_officer' ? 'd-695' : null, producerId: role === 'producer' ? producer.id : null }, await hashApiToken(token));
    tokens[role] = token;
  }
}, 180_000);

afterAll(async () => {
  await ctx?.close();
});

function fill(path: string): string {
  return path
    .replace(/^\/([a-z-]+)\/:id\{\[0-9\]\+\}/, (_m, resource: string) => {
      const id = ids[resource];
      if (!id) throw new Error(`no representative id for ${resource}`);
      return `/${resource}/${id}`;
    })
    .replace(':region{[0-9]+}', ids.region!)
    .replace(':photo{[0-9]+}', ids.photo!)
    .replace(':kid{ocop-[0-9]+}', 'ocop-1')
    .replace(':unit{c-[a-z0-9-]+}', 'c-2025-xa-dong-phu');
}

function allowed(spec: RouteSpec, role: Role): boolean {
  return spec.access === 'public' || PERMISSIONS[spec.access].includes(role);
}

async function uiRequest(spec: RouteSpec, cookie: string | undefined): Promise<Response> {
  const path = `/admin${spec.path === '/' ? '' : fill(spec.path)}`;
  const res = await ctx.app.request(path, {
    method: spec.method,
    headers: { origin: ORIGIN, ...(cookie ? { cookie } : {}), ...(spec.method === 'GET' ? {} : { 'content-type': 'application/x-www-form-urlencoded' }) },
    ...(spec.method === 'GET' ? {} : { body: '' }),
  });
  await res.body?.cancel();
  return res;
}

describe('the route tables', () => {
  it('list every route the admin apps serve, each with a permission from the table', () => {
    for (const [app, table] of [
      [adminRoutes(), adminRouteTable()],
      [adminApiRoutes(), adminApiRouteTable()],
    ] as const) {
      const served = app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`);
      const listed = table.map((s) => `${s.method} ${s.path}`);
      expect(new Set(served)).toEqual(new Set(listed));
      expect(listed.length).toBe(new Set(listed).size);
      for (const spec of table) expect(spec.access === 'public' || spec.access in PERMISSIONS).toBe(true);
    }
    expect(adminRouteTable().length).toBeGreaterThan(45);
    expect(adminApiRouteTable().length).toBeGreaterThan(30);
  });

  it('give auditors no write permission at all', () => {
    for (const [permission, roles] of Object.entries(PERMISSIONS)) {
      if (/\.(write|run|download)$/.test(permission)) expect(roles, permission).not.toContain('auditor');
    }
  });
});

describe('admin UI: every route × every role', () => {
  for (const spec of adminRouteTable()) {
    it(`${spec.method} /admin${spec.path} (${spec.access})`, async () => {
      const anonymous = await uiRequest(spec, undefined);
      if (spec.access === 'public') {
        expect(anonymous.status).toBeLessThan(500);
        expect(anonymous.headers.get('location') ?? '').not.toMatch(/^\/admin\/login\?/);
      } else {
        expect(anonymous.status).toBe(303);
        expect(anonymous.headers.get('location')).toMatch(/^\/admin\/login/);
      }
      for (const role of ROLES) {
        const res = await uiRequest(spec, await sessionFor(ctx, DEMO_EMAILS[role]));
        if (allowed(spec, role)) {
          expect([401, 403], `${role} should be allowed`).not.toContain(res.status);
          expect(res.status, `${role}: ${res.status}`).toBeLessThan(500);
          expect(res.headers.get('location') ?? '', role).not.toMatch(/^\/admin\/login\?/);
        } else {
          expect(res.status, `${role} should be refused`).toBe(403);
        }
      }
    });
  }
});

describe('admin API: every route × every role', () => {
  for (const spec of adminApiRouteTable()) {
    it(`${spec.method} /api/v1/admin${spec.path} (${spec.access})`, async () => {
      const path = fill(spec.path);
      const anonymous = await api(ctx, spec.method, path, undefined);
      const forged = await api(ctx, spec.method, path, generateApiToken());
      if (spec.access === 'public') {
        // Only the OpenAPI document: it lists the routes, which is no secret.
        expect(spec.path).toBe('/openapi.json');
        expect(anonymous.status).toBe(200);
        expect(forged.status).toBe(200);
      } else {
        expect(anonymous.status).toBe(401);
        expect(anonymous.headers.get('www-authenticate')).toContain('Bearer');
        expect(forged.status).toBe(401);
      }
      for (const role of ROLES) {
        const res = await api(ctx, spec.method, path, tokens[role], spec.method === 'GET' || spec.method === 'DELETE' ? undefined : {});
        await res.body?.cancel();
        if (allowed(spec, role)) {
          expect([401, 403], `${role} should be allowed`).not.toContain(res.status);
          expect(res.status, `${role}: ${res.status}`).toBeLessThan(500);
        } else {
          expect(res.status, `${role} should be refused`).toBe(403);
        }
      }
    });
  }
});

describe('scope within a permission', () => {
  it('an area officer sees producers of their district only', async () => {
    const cookie = await sessionFor(ctx, DEMO_EMAILS.area_officer);
    const other = await ctx.db.selectFrom('producers').select('id').where('name', '=', 'Công ty TNHH MTV Khánh Sâm').executeTakeFirstOrThrow();
    expect((await ctx.app.request(`/admin/producers/${ids.producers}`, { headers: { cookie } })).status).toBe(200);
    expect((await ctx.app.request(`/admin/producers/${other.id}`, { headers: { cookie } })).status).toBe(404);
    const list = await (await ctx.app.request('/admin/producers', { headers: { cookie } })).text();
    expect(list).toContain('Hà Mỵ');
    expect(list).not.toContain('Khánh Sâm');
    const viaApi = (await (await api(ctx, 'GET', '/producers', tokens.area_officer)).json()) as { data: { name: string }[] };
    expect(viaApi.data.map((p) => p.name)).toEqual(['Công ty Cổ phần Hà Mỵ']);
  });

  it('a producer sees and prints only their own products', async () => {
    const cookie = await sessionFor(ctx, DEMO_EMAILS.producer);
    const foreign = await ctx.db
      .selectFrom('package_batches as b')
      .innerJoin('certificates as c', 'c.id', 'b.certificate_id')
      .innerJoin('products as p', 'p.id', 'c.product_id')
      .select(['b.id', 'p.id as product_id'])
      .where('p.slug', '=', 'mit-ruot-do-pt79')
      .executeTakeFirstOrThrow();
    expect((await ctx.app.request(`/admin/products/${foreign.product_id}`, { headers: { cookie } })).status).toBe(404);
    expect((await ctx.app.request(`/admin/batches/${foreign.id}`, { headers: { cookie } })).status).toBe(404);
    expect((await ctx.app.request(`/admin/batches/${foreign.id}/labels?format=csv`, { headers: { cookie } })).status).toBe(404);
    expect((await api(ctx, 'GET', `/batches/${foreign.id}/labels?format=csv`, tokens.producer)).status).toBe(404);
    const mine = (await (await api(ctx, 'GET', '/products', tokens.producer)).json()) as { data: { producer_name: string }[] };
    expect(mine.data.length).toBe(3);
    expect(new Set(mine.data.map((p) => p.producer_name))).toEqual(new Set(['Công ty Cổ phần Hà Mỵ']));
  });

  it('an area officer cannot register a producer outside their district', async () => {
    const res = await api(ctx, 'POST', '/producers', tokens.area_officer, { name: 'HTX Ngoài Địa Bàn', legalForm: 'hop_tac_xa', addressUnitId: 'd-691' });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('outside_area');
    const inside = await api(ctx, 'POST', '/producers', tokens.area_officer, { name: 'HTX Tân Lập', legalForm: 'hop_tac_xa', addressUnitId: 'c-695-tan-lap' });
    expect(inside.status).toBe(201);
  });
});
