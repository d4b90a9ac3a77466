import { Hono, type MiddlewareHandler } from 'hono';
import { isLabelFormat, labelDownload, layoutFromQuery } from '../worker/batch-export';
import { requireSigningKey } from '../worker/codes/keyring';
import { audit, listAudit } from '../worker/db/audit';
import { getBatchRow, issueBatch, listBatches } from '../worker/db/batches';
import { certificateChain, certificateDetail, type CertificateListRow, issueCertificate, listCertificates, renewCertificate, revokeCertificates } from '../worker/db/certificates';
import { listCounterfeitReports } from '../worker/db/counterfeit-reports';
import { createScopedEvaluation, getEvaluation, listEvaluations, updateEvaluation } from '../worker/db/evaluations';
import { createProducer, getProducer, listProducers, updateProducer } from '../worker/db/producers';
import { addRegion, createProduct, getProduct, listProducts, listRegions, removeRegion, updateProduct } from '../worker/db/products';
import { periodReport, planProgress } from '../worker/db/reports';
import { packageScanStats, scanTotals } from '../worker/db/scans';
import { certificateState } from '../worker/domain/certificate-state';
import type { Stars } from '../worker/domain/stars';
import { isReportStatus, LEGAL_FORMS, type LegalForm } from '../worker/domain/vocabulary';
import { AppError, errorHandler, jsonProblem } from '../worker/errors';
import { listExpiring, runDailyJob } from '../worker/jobs/daily';
import { FORM_BODY_BYTES, limitBody } from '../worker/request-limits';
import { invalidateAfterWrite, validJson } from './actions';
import { tokenPrincipal } from './auth';
import { actorOf, principalOf, scopeOf, todayOf, type AdminContext, type AdminEnv } from './context';
import { batchForm, evaluationForm, issueForm, producerForm, productForm, regionForm, renewForm, revokeForm } from './forms';
import { auditCsv, parseAuditFilter } from './pages/audit-pages';
import { parseCertificateFilter } from './pages/certificate-pages';
import { planTargets } from './pages/dashboard-pages';
import { parsePeriod } from './pages/report-pages';
import { can } from './permissions';
import { idParam, notFound, optionalIntQuery } from './request';
import { RouteTable, type RouteAccess, type RouteSpec } from './route-table';

function withState(c: AdminContext, row: CertificateListRow) {
  const s = certificateState({ status: row.status, validFrom: row.valid_from, validUntil: row.valid_until }, c.var.deps.clock());
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
    const principal = await tokenPrincipal(c);
    if (!principal) {
      c.header('www-authenticate', 'Bearer realm="ocop-admin"');
      throw new AppError(401, 'unauthorized', 'Cần khóa truy cập hợp lệ (Authorization: Bearer …)', 'A valid API token is required (Authorization: Bearer …)');
    }
    c.set('principal', principal);
    if (access !== 'public' && !can(principal, access)) {
      throw new AppError(403, 'forbidden', 'Khóa truy cập này không có quyền thực hiện việc này', 'This token is not allowed to do this');
    }
    await next();
  };
}

function build(): { app: Hono<AdminEnv>; table: RouteSpec[] } {
  const app = new Hono<AdminEnv>();
  app.use(async function noStore(c, next) {
    await next();
    if (!c.res.headers.has('cache-control')) c.res.headers.set('cache-control', 'no-store');
  });
  // Before the token check: an anonymous client's body is limited too.
  app.use(limitBody(FORM_BODY_BYTES));
  app.use(invalidateAfterWrite);
  app.onError(errorHandler('admin api', presentApi));
  const r = new RouteTable(app, guard);

  r.get('/me', 'account.self', (c) => {
    const p = principalOf(c);
    return c.json({ data: { kind: p.kind, id: p.id, name: p.name, role: p.role, area_unit_id: p.areaUnitId, producer_id: p.producerId } });
  });

  // Certificates
  r.get('/certificates', 'certificates.view', async (c) => {
    const filter = parseCertificateFilter((k) => c.req.query(k));
    const limit = Math.min(optionalIntQuery(c.req.query('limit'), 'limit') ?? 500, 2000);
    const rows = await listCertificates(c.var.db, scopeOf(c), filter, c.var.deps.clock(), limit);
    return c.json({ data: rows.map((row) => withState(c, row)) });
  });
  r.get('/certificates/:id{[0-9]+}', 'certificates.view', async (c) => {
    const d = await certificateDetail(c.var.db, scopeOf(c), idParam(c.req.param('id')));
    if (!d) throw notFound();
    return c.json({ data: { ...d, certificate: withState(c, d.certificate) } });
  });
  r.post('/certificates', 'certificates.write', async (c) => {
    const input = await validJson(c, issueForm);
    const cert = await issueCertificate(c.var.db, actorOf(principalOf(c)), input, c.var.deps.clock());
    return c.json({ data: cert }, 201);
  });
  r.post('/certificates/:id{[0-9]+}/renew', 'certificates.write', async (c) => {
    const input = await validJson(c, renewForm);
    const cert = await renewCertificate(c.var.db, actorOf(principalOf(c)), idParam(c.req.param('id')), input, c.var.deps.clock());
    return c.json({ data: cert }, 201);
  });
  r.post('/certificates/revoke', 'certificates.write', async (c) => {
    const input = await validJson(c, revokeForm);
    const certs = await revokeCertificates(c.var.db, actorOf(principalOf(c)), input.ids, input, c.var.deps.clock());
    return c.json({ data: certs });
  });

  // Producers
  r.get('/producers', 'producers.view', async (c) => {
    const legalForm = c.req.query('legal_form') || undefined;
    if (legalForm && !LEGAL_FORMS.includes(legalForm as LegalForm)) throw new AppError(400, 'bad_filter', 'Loại hình không hợp lệ', 'Invalid legal_form');
    const area = c.req.query('area') || undefined;
    if (area && !/^[a-z0-9-]{1,60}$/.test(area)) throw new AppError(400, 'bad_filter', 'Địa bàn không hợp lệ', 'Invalid area');
    return c.json({ data: await listProducers(c.var.db, scopeOf(c), { q: c.req.query('q')?.slice(0, 100), area, legalForm: legalForm as LegalForm | undefined }) });
  });
  r.post('/producers', 'producers.write', async (c) => {
    const input = await validJson(c, producerForm);
    return c.json({ data: await createProducer(c.var.db, actorOf(principalOf(c)), scopeOf(c), input) }, 201);
  });
  r.get('/producers/:id{[0-9]+}', 'producers.view', async (c) => {
    const row = await getProducer(c.var.db, scopeOf(c), idParam(c.req.param('id')));
    if (!row) throw notFound();
    return c.json({ data: row });
  });
  r.put('/producers/:id{[0-9]+}', 'producers.write', async (c) => {
    const input = await validJson(c, producerForm);
    const row = await updateProducer(c.var.db, actorOf(principalOf(c)), scopeOf(c), idParam(c.req.param('id')), input, c.var.deps.clock());
    return c.json({ data: row });
  });

  // Products and raw-material regions
  r.get('/products', 'products.view', async (c) => {
    const area = c.req.query('area') || undefined;
    if (area && !/^[a-z0-9-]{1,60}$/.test(area)) throw new AppError(400, 'bad_filter', 'Địa bàn không hợp lệ', 'Invalid area');
    const filter = { q: c.req.query('q')?.slice(0, 100), area, groupId: optionalIntQuery(c.req.query('group'), 'group'), producerId: optionalIntQuery(c.req.query('producer'), 'producer') };
    return c.json({ data: await listProducts(c.var.db, scopeOf(c), filter) });
  });
  r.post('/products', 'products.write', async (c) => {
    const input = await validJson(c, productForm);
    return c.json({ data: await createProduct(c.var.db, actorOf(principalOf(c)), scopeOf(c), input) }, 201);
  });
  r.get('/products/:id{[0-9]+}', 'products.view', async (c) => {
    const product = await getProduct(c.var.db, scopeOf(c), idParam(c.req.param('id')));
    if (!product) throw notFound();
    const [regions, certificates] = await Promise.all([listRegions(c.var.db, product.id), certificateChain(c.var.db, product.id)]);
    return c.json({ data: { ...product, regions, certificates } });
  });
  r.put('/products/:id{[0-9]+}', 'products.write', async (c) => {
    const input = await validJson(c, productForm);
    const row = await updateProduct(c.var.db, actorOf(principalOf(c)), scopeOf(c), idParam(c.req.param('id')), input, c.var.deps.clock());
    return c.json({ data: row });
  });
  r.post('/products/:id{[0-9]+}/regions', 'products.write', async (c) => {
    const input = await validJson(c, regionForm);
    const row = await addRegion(c.var.db, actorOf(principalOf(c)), scopeOf(c), idParam(c.req.param('id')), input);
    return c.json({ data: row }, 201);
  });
  r.delete('/products/:id{[0-9]+}/regions/:region{[0-9]+}', 'products.write', async (c) => {
    await removeRegion(c.var.db, actorOf(principalOf(c)), scopeOf(c), idParam(c.req.param('id')), idParam(c.req.param('region')));
    return c.body(null, 204);
  });

  // Evaluations
  r.get('/evaluations', 'evaluations.view', async (c) => {
    const filter = { q: c.req.query('q')?.slice(0, 100), productId: optionalIntQuery(c.req.query('product'), 'product'), pending: c.req.query('pending') === 'true' };
    return c.json({ data: await listEvaluations(c.var.db, scopeOf(c), filter) });
  });
  r.post('/evaluations', 'evaluations.write', async (c) => {
    const input = await validJson(c, evaluationForm);
    return c.json({ data: await createScopedEvaluation(c.var.db, actorOf(principalOf(c)), scopeOf(c), { ...input, mandatoryLevel: input.mandatoryLevel as Stars }, c.var.deps.clock()) }, 201);
  });
  r.get('/evaluations/:id{[0-9]+}', 'evaluations.view', async (c) => {
    const row = await getEvaluation(c.var.db, scopeOf(c), idParam(c.req.param('id')));
    if (!row) throw notFound();
    return c.json({ data: row });
  });
  r.put('/evaluations/:id{[0-9]+}', 'evaluations.write', async (c) => {
    const input = await validJson(c, evaluationForm);
    return c.json({ data: await updateEvaluation(c.var.db, actorOf(principalOf(c)), scopeOf(c), idParam(c.req.param('id')), { ...input, mandatoryLevel: input.mandatoryLevel as Stars }, c.var.deps.clock()) });
  });

  // Batches and labels
  r.get('/batches', 'batches.view', async (c) => {
    const filter = { productId: optionalIntQuery(c.req.query('product'), 'product'), certificateId: optionalIntQuery(c.req.query('certificate'), 'certificate') };
    return c.json({ data: await listBatches(c.var.db, scopeOf(c), filter) });
  });
  r.post('/batches', 'batches.write', async (c) => {
    const p = principalOf(c);
    const input = await validJson(c, batchForm);
    requireSigningKey(c.var.deps.keys);
    const batch = await issueBatch(c.var.db, actorOf(p), input, c.var.deps.keys, c.var.deps.clock(), p.role === 'producer' ? (p.producerId ?? -1) : null);
    return c.json({ data: { ...batch, labels: `/api/v1/admin/batches/${batch.id}/labels?format=pdf` } }, 201);
  });
  r.get('/batches/:id{[0-9]+}', 'batches.view', async (c) => {
    const b = await getBatchRow(c.var.db, scopeOf(c), idParam(c.req.param('id')));
    if (!b) throw notFound();
    const scans = can(principalOf(c), 'scans.view') ? { totals: await scanTotals(c.var.db, [b.id]), top_packages: await packageScanStats(c.var.db, [b.id], 20) } : null;
    return c.json({ data: { ...b, scans } });
  });
  r.get('/batches/:id{[0-9]+}/labels', 'labels.download', async (c) => {
    const b = await getBatchRow(c.var.db, scopeOf(c), idParam(c.req.param('id')));
    if (!b) throw notFound();
    const format = c.req.query('format') ?? 'csv';
    if (!isLabelFormat(format)) throw new AppError(400, 'bad_format', 'Định dạng phải là csv, pdf, png-zip hoặc svg-zip', 'format must be csv, pdf, png-zip or svg-zip');
    return labelDownload(c.var.deps.keys, c.var.deps.config.publicBaseUrl, b, format, layoutFromQuery((k) => c.req.query(k)));
  });

  r.get('/counterfeit-reports', 'counterfeit.view', async (c) => {
    const status = c.req.query('status') || undefined;
    if (status && !isReportStatus(status)) throw new AppError(400, 'bad_filter', 'Trạng thái không hợp lệ', 'Invalid status');
    const withContact = can(principalOf(c), 'counterfeit.contact');
    return c.json({ data: await listCounterfeitReports(c.var.db, scopeOf(c), { status, productId: optionalIntQuery(c.req.query('product'), 'product') }, { withContact }) });
  });

  // Audit
  r.get('/audit', 'audit.view', async (c) => {
    const filter = parseAuditFilter((k) => c.req.query(k));
    const limit = Math.min(optionalIntQuery(c.req.query('limit'), 'limit') ?? 100, 1000);
    const rows = await listAudit(c.var.db, filter, { limit: Math.max(limit, 1), before: optionalIntQuery(c.req.query('before'), 'before') });
    return c.json({ data: rows, next_before: rows.length === Math.max(limit, 1) ? rows[rows.length - 1]!.id : null });
  });
  r.get('/audit.csv', 'audit.view', auditCsv);

  // The programme against its plan
  r.get('/reports/plan', 'dashboard.view', async (c) => {
    const progress = await planProgress(c.var.db, todayOf(c));
    return c.json({ data: { ...progress, targets: planTargets(progress).map(({ key, value, target, percent }) => ({ key, value, target, percent, met: value >= target })) } });
  });
  r.get('/reports/period', 'reports.view', async (c) => {
    const today = todayOf(c);
    const period = parsePeriod(c.req.query('period'), c.req.query('from'), c.req.query('to'), today);
    return c.json({ data: await periodReport(c.var.db, period.from, period.to, today) });
  });
  r.get('/reports/expiring', 'notices.view', async (c) => c.json({ data: await listExpiring(c.var.db, todayOf(c)) }));

  r.post('/jobs/daily', 'jobs.run', async (c) => {
    const result = await runDailyJob(c.var.db, c.var.deps.clock(), { reportContactRetentionMonths: c.var.deps.config.reportContactRetentionMonths });
    await audit(c.var.db, actorOf(principalOf(c)), { action: 'job.daily.run', entity: 'job', entityId: 'daily', after: { today: result.today, expiredRecorded: result.expiredRecorded, expiringSoon: result.expiringSoon.length } });
    return c.json({ data: result });
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
