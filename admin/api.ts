import { OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { Hono, MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import { problemResponses, openApiDocument, type OpenApiDocument } from '../worker/api/openapi';
import { labelDownload } from '../worker/batch-export';
import { requireSigningKey } from '../worker/codes/keyring';
import { audit, listAudit } from '../worker/db/audit';
import { getBatchRow, issueBatch, listBatches } from '../worker/db/batches';
import { certificateChain, certificateDetail, type CertificateListRow, issueCertificate, listCertificates, renewCertificate, revokeCertificates } from '../worker/db/certificates';
import { listCounterfeitReports } from '../worker/db/counterfeit-reports';
import { createScopedEvaluation, getEvaluation, listEvaluations, updateEvaluation } from '../worker/db/evaluations';
import { createProducer, getProducer, listProducers, updateProducer, updateProducerContact } from '../worker/db/producers';
import { addRegion, createProduct, getProduct, listProducts, listRegions, removeRegion, updateProduct } from '../worker/db/products';
import { periodReport, planProgress } from '../worker/db/reports';
import { planStatus } from '../worker/db/plan-actuals';
import { createPlan, getPlan, listPlans, updatePlan } from '../worker/db/plans';
import { packageScanStats, scanTotals } from '../worker/db/scans';
import { certificateState } from '../worker/domain/certificate-state';
import type { Stars } from '../worker/domain/stars';
import { ROLES } from '../worker/domain/vocabulary';
import { AppError, errorHandler, fieldErrors, invalidInput, jsonProblem } from '../worker/errors';
import { listExpiring, runDailyJob } from '../worker/jobs/daily';
import { FORM_BODY_BYTES, limitBody } from '../worker/request-limits';
import { invalidateAfterWrite } from './actions';
import * as op from './api-operations';
import { tokenPrincipal } from './auth';
import { actorOf, principalOf, scopeOf, todayOf, type AdminContext, type AdminEnv } from './context';
import { auditCsv } from './pages/audit-pages';
import { parsePeriod } from './pages/report-pages';
import { can, PERMISSIONS } from './permissions';
import { badFilter } from './queries';
import { found, notFound } from './request';
import { DocumentedRouteTable, type RouteAccess, type RouteSpec } from './route-table';
import { registerSalesPointApi } from './sales-point-api';

function withState(c: AdminContext, row: CertificateListRow) {
  const s = certificateState({ status: row.status, validFrom: row.valid_from, validUntil: row.valid_until, renewalPendingSince: row.renewal_received_on }, c.var.clock());
  return { ...row, state: s.state, days_left: s.daysLeft };
}

/** Problem documents; a missing or bad token also says how to authenticate. */
function presentApi(c: AdminContext, error: AppError): Response {
  const res = jsonProblem(c, error);
  if (error.status === 401) res.headers.set('www-authenticate', 'Bearer realm="ocop-admin"');
  return res;
}

function guard(access: RouteAccess): MiddlewareHandler<AdminEnv> {
  return async function requireToken(c, next) {
    // The document says which routes exist and what they take: no secret, and a client
    // needs it before it has a token.
    if (access === 'public') return next();
    const principal = await tokenPrincipal(c);
    if (!principal) {
      c.header('www-authenticate', 'Bearer realm="ocop-admin"');
      throw new AppError(401, 'unauthorized', 'Cần khóa truy cập hợp lệ (Authorization: Bearer …)', 'A valid API token is required (Authorization: Bearer …)');
    }
    c.set('principal', principal);
    if (!can(principal, access)) {
      throw new AppError(403, 'forbidden', 'Khóa truy cập này không có quyền thực hiện việc này', 'This token is not allowed to do this');
    }
    await next();
  };
}

/**
 * A body must be declared JSON: zValidator reads no other body, and OpenAPIHono would answer
 * a wrong media type with a bare 415. Runs after the guard, before the validators.
 */
const jsonOnly: MiddlewareHandler<AdminEnv> = async function jsonOnly(c, next) {
  const mediaType = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType !== 'application/json') throw new AppError(400, 'invalid_json', 'Nội dung phải là JSON (Content-Type: application/json)', 'The body must be JSON (Content-Type: application/json)');
  await next();
};

/**
 * zValidator's verdict in the API's vocabulary: a body as `invalid_input` with the messages by
 * field (as the UI's forms show them), a filter as `bad_filter`, a path id as not found.
 */
function rejectInvalid(result: { target: string } & ({ success: true } | { success: false; error: z.ZodError })): undefined {
  if (result.success) return;
  switch (result.target) {
    case 'json': {
      // zValidator hands the hook the input it checked, though the hook's type omits it.
      const body = (result as { data?: unknown }).data;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new AppError(400, 'invalid_json', 'Nội dung phải là một đối tượng JSON', 'The body must be a JSON object');
      throw invalidInput(fieldErrors(result.error));
    }
    case 'param':
      throw notFound();
    default:
      throw badFilter(fieldErrors(result.error));
  }
}

/** Who may call a route, in its declaration: from the permission table, as the guard applies it. */
function declare(route: RouteConfig, access: RouteAccess): { route: RouteConfig; middleware: MiddlewareHandler<AdminEnv>[] } {
  const middleware = route.request?.body ? [jsonOnly] : [];
  if (access === 'public') return { route, middleware };
  const roles = PERMISSIONS[access];
  const refused = ROLES.some((role) => !roles.includes(role));
  const who = `Quyền / Permission: \`${access}\` (${roles.join(', ')}).`;
  return {
    middleware,
    route: {
      ...route,
      security: [{ bearerAuth: [] }],
      description: route.description ? `${route.description}\n\n${who}` : who,
      responses: {
        ...route.responses,
        ...problemResponses({ 401: 'No token, or a token that is unknown or revoked.' }),
        // A route's own 403 (a rule such as `outside_area`) says more than the generic one.
        ...(refused && !route.responses[403] ? problemResponses({ 403: `The token's role lacks \`${access}\`.` }) : {}),
      },
    },
  };
}

function build(): { app: OpenAPIHono<AdminEnv>; table: RouteSpec[] } {
  const app = new OpenAPIHono<AdminEnv>({ defaultHook: rejectInvalid });
  app.use(async function noStore(c, next) {
    await next();
    if (!c.res.headers.has('cache-control')) c.res.headers.set('cache-control', 'no-store');
  });
  // Before the token check: an anonymous client's body is limited too.
  app.use(limitBody(FORM_BODY_BYTES));
  app.use(invalidateAfterWrite);
  app.onError(errorHandler('admin api', presentApi));
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', description: 'An API token (`ocop_…`) made on /admin/tokens.' });
  const r = new DocumentedRouteTable(app, guard, declare);

  r.route(op.me, 'account.self', (c) => {
    const p = principalOf(c);
    return c.json({ data: { kind: p.kind, id: p.id, name: p.name, role: p.role, area_unit_id: p.areaUnitId, producer_id: p.producerId } }, 200);
  });

  // Certificates
  r.route(op.listCertificates, 'certificates.view', async (c) => {
    const { filter, limit } = c.req.valid('query');
    const rows = await listCertificates(c.var.db, scopeOf(c), filter, c.var.clock(), limit);
    return c.json({ data: rows.map((row) => withState(c, row)) }, 200);
  });
  r.route(op.getCertificate, 'certificates.view', async (c) => {
    const d = found(await certificateDetail(c.var.db, scopeOf(c), c.req.valid('param').id));
    return c.json({ data: { ...d, certificate: withState(c, d.certificate) } }, 200);
  });
  r.route(op.issueCertificate, 'certificates.write', async (c) => {
    const cert = await issueCertificate(c.var.db, actorOf(principalOf(c)), c.req.valid('json'), c.var.clock());
    return c.json({ data: cert }, 201);
  });
  r.route(op.renewCertificate, 'certificates.write', async (c) => {
    const cert = await renewCertificate(c.var.db, actorOf(principalOf(c)), c.req.valid('param').id, c.req.valid('json'), c.var.clock());
    return c.json({ data: cert }, 201);
  });
  r.route(op.revokeCertificates, 'certificates.write', async (c) => {
    const input = c.req.valid('json');
    const certs = await revokeCertificates(c.var.db, actorOf(principalOf(c)), input.ids, input, c.var.clock());
    return c.json({ data: certs }, 200);
  });

  // Producers
  r.route(op.listProducers, 'producers.view', async (c) => c.json({ data: await listProducers(c.var.db, scopeOf(c), c.req.valid('query')) }, 200));
  r.route(op.createProducer, 'producers.write', async (c) => c.json({ data: await createProducer(c.var.db, actorOf(principalOf(c)), scopeOf(c), c.req.valid('json')) }, 201));
  r.route(op.getProducer, 'producers.view', async (c) => {
    const row = found(await getProducer(c.var.db, scopeOf(c), c.req.valid('param').id));
    return c.json({ data: row }, 200);
  });
  r.route(op.updateProducer, 'producers.write', async (c) => {
    const row = await updateProducer(c.var.db, actorOf(principalOf(c)), scopeOf(c), c.req.valid('param').id, c.req.valid('json'), c.var.clock());
    return c.json({ data: row }, 200);
  });

  r.route(op.updateProducerContact, 'producers.contact', async (c) => {
    const row = await updateProducerContact(c.var.db, actorOf(principalOf(c)), scopeOf(c), c.req.valid('param').id, c.req.valid('json'), c.var.clock());
    return c.json({ data: row }, 200);
  });

  // Products and raw-material regions
  r.route(op.listProducts, 'products.view', async (c) => c.json({ data: await listProducts(c.var.db, scopeOf(c), c.req.valid('query')) }, 200));
  r.route(op.createProduct, 'products.write', async (c) => c.json({ data: await createProduct(c.var.db, actorOf(principalOf(c)), scopeOf(c), c.req.valid('json')) }, 201));
  r.route(op.getProduct, 'products.view', async (c) => {
    const product = found(await getProduct(c.var.db, scopeOf(c), c.req.valid('param').id));
    const [regions, certificates] = await Promise.all([listRegions(c.var.db, product.id), certificateChain(c.var.db, product.id)]);
    return c.json({ data: { ...product, regions, certificates } }, 200);
  });
  r.route(op.updateProduct, 'products.write', async (c) => {
    const row = await updateProduct(c.var.db, actorOf(principalOf(c)), scopeOf(c), c.req.valid('param').id, c.req.valid('json'), c.var.clock());
    return c.json({ data: row }, 200);
  });
  r.route(op.addRegion, 'products.write', async (c) => {
    const row = await addRegion(c.var.db, actorOf(principalOf(c)), scopeOf(c), c.req.valid('param').id, c.req.valid('json'));
    return c.json({ data: row }, 201);
  });
  r.route(op.removeRegion, 'products.write', async (c) => {
    const { id, region } = c.req.valid('param');
    await removeRegion(c.var.db, actorOf(principalOf(c)), scopeOf(c), id, region);
    return c.body(null, 204);
  });

  // Evaluations
  r.route(op.listEvaluations, 'evaluations.view', async (c) => c.json({ data: await listEvaluations(c.var.db, scopeOf(c), c.req.valid('query')) }, 200));
  r.route(op.createEvaluation, 'evaluations.write', async (c) => {
    const input = c.req.valid('json');
    return c.json({ data: await createScopedEvaluation(c.var.db, actorOf(principalOf(c)), scopeOf(c), { ...input, mandatoryLevel: input.mandatoryLevel as Stars }, c.var.clock()) }, 201);
  });
  r.route(op.getEvaluation, 'evaluations.view', async (c) => {
    const row = found(await getEvaluation(c.var.db, scopeOf(c), c.req.valid('param').id));
    return c.json({ data: row }, 200);
  });
  r.route(op.updateEvaluation, 'evaluations.write', async (c) => {
    const input = c.req.valid('json');
    return c.json({ data: await updateEvaluation(c.var.db, actorOf(principalOf(c)), scopeOf(c), c.req.valid('param').id, { ...input, mandatoryLevel: input.mandatoryLevel as Stars }, c.var.clock()) }, 200);
  });

  // Batches and labels
  r.route(op.listBatches, 'batches.view', async (c) => c.json({ data: await listBatches(c.var.db, scopeOf(c), c.req.valid('query')) }, 200));
  r.route(op.issueBatch, 'batches.write', async (c) => {
    const p = principalOf(c);
    const input = c.req.valid('json');
    requireSigningKey(c.var.keys);
    const batch = await issueBatch(c.var.db, actorOf(p), input, c.var.keys, c.var.clock(), p.role === 'producer' ? (p.producerId ?? -1) : null);
    return c.json({ data: { ...batch, labels: `/api/v1/admin/batches/${batch.id}/labels?format=pdf` } }, 201);
  });
  r.route(op.getBatch, 'batches.view', async (c) => {
    const b = found(await getBatchRow(c.var.db, scopeOf(c), c.req.valid('param').id));
    const scans = can(principalOf(c), 'scans.view') ? { totals: await scanTotals(c.var.db, [b.id]), top_packages: await packageScanStats(c.var.db, [b.id], 20) } : null;
    return c.json({ data: { ...b, scans } }, 200);
  });
  r.route(op.downloadLabels, 'labels.download', async (c) => {
    const b = found(await getBatchRow(c.var.db, scopeOf(c), c.req.valid('param').id));
    const { format, layout } = c.req.valid('query');
    return labelDownload(c.var.keys, c.var.config.publicBaseUrl, b, format, layout);
  });

  r.route(op.listCounterfeitReports, 'counterfeit.view', async (c) => {
    // The reporter's contact is for officials only (permission counterfeit.contact), never producers.
    const withContact = can(principalOf(c), 'counterfeit.contact');
    return c.json({ data: await listCounterfeitReports(c.var.db, scopeOf(c), c.req.valid('query'), { withContact }) }, 200);
  });

  // Audit
  r.route(op.listAudit, 'audit.view', async (c) => {
    const { filter, before, limit } = c.req.valid('query');
    const rows = await listAudit(c.var.db, filter, { limit, before });
    return c.json({ data: rows, next_before: rows.length === limit ? rows[rows.length - 1]!.id : null }, 200);
  });
  r.route(op.auditCsv, 'audit.view', auditCsv);

  // The programme against its plan
  r.route(op.planReport, 'dashboard.view', async (c) => {
    const progress = await planProgress(c.var.db, c.req.valid('query').day ?? todayOf(c));
    return c.json({ data: { ...progress, plan: await planStatus(c.var.db, progress) } }, 200);
  });

  // Plans
  r.route(op.listPlans, 'reports.view', async (c) => c.json({ data: await listPlans(c.var.db) }, 200));
  r.route(op.getPlan, 'reports.view', async (c) => c.json({ data: found(await getPlan(c.var.db, c.req.valid('param').id)) }, 200));
  r.route(op.createPlan, 'plan.manage', async (c) => c.json({ data: await createPlan(c.var.db, actorOf(principalOf(c)), c.req.valid('json')) }, 201));
  r.route(op.updatePlan, 'plan.manage', async (c) => c.json({ data: await updatePlan(c.var.db, actorOf(principalOf(c)), c.req.valid('param').id, c.req.valid('json'), c.var.clock()) }, 200));
  r.route(op.periodReport, 'reports.view', async (c) => {
    const today = todayOf(c);
    const q = c.req.valid('query');
    const period = parsePeriod(q.period, q.from, q.to, today);
    return c.json({ data: await periodReport(c.var.db, period.from, period.to, today) }, 200);
  });
  r.route(op.expiringReport, 'notices.view', async (c) => c.json({ data: await listExpiring(c.var.db, todayOf(c)) }, 200));

  r.route(op.runDailyJob, 'jobs.run', async (c) => {
    const result = await runDailyJob(c.var.db, c.var.clock(), { scanRetentionMonths: c.var.config.scanRetentionMonths, reportContactRetentionMonths: c.var.config.reportContactRetentionMonths });
    await audit(c.var.db, actorOf(principalOf(c)), { action: 'job.daily.run', entity: 'job', entityId: 'daily', after: { today: result.today, expiredRecorded: result.expiredRecorded, expiringSoon: result.expiringSoon.length } });
    return c.json({ data: result }, 200);
  });

  // Where to buy and the communes of today's province (issue 12).
  registerSalesPointApi(r);

  // Generated on first use, when every route above is registered.
  const documents = new Map<string, OpenApiDocument>();
  r.get('/openapi.json', 'public', (c) => {
    const base = c.var.config.publicBaseUrl;
    let doc = documents.get(base);
    if (!doc) documents.set(base, (doc = openApiDocument(app, { ...op.ADMIN_API_INFO, servers: [{ url: `${base}/api/v1/admin` }] })));
    return c.json(doc, 200, { 'cache-control': 'public, max-age=300' });
  });

  return { app, table: r.specs };
}

/** The admin JSON API under /api/v1/admin: the UI's actions for other systems, by API token. */
export function adminApiRoutes(): Hono<AdminEnv> {
  return build().app;
}

/** Every API route with its permission (paths relative to /api/v1/admin): for the role-matrix test. */
export function adminApiRouteTable(): RouteSpec[] {
  return build().table;
}
