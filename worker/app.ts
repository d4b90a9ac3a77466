import { Hono, type Context } from 'hono';
import { sql } from 'kysely';
import { adminApiRoutes } from '../admin/api';
import { adminRoutes } from '../admin/routes';
import { apiRoutes } from './api/routes';
import type { AppDeps, AppEnv } from './app-env';
import { AppError, errorHandler, jsonProblem } from './errors';
import { requestLog } from './observability/request-log';
import { ERROR_PAGE_CSS } from './public/html';
import { publicRoutes } from './public/routes';
import { scannerRoutes } from './scanner/routes';
import { ANY_BODY_BYTES, bodyCeiling, cleanQuery, uploadBodyBytes } from './request-limits';
import { securityHeaders } from './security-headers';

export type { AppDeps, AppEnv } from './app-env';

function wantsJson(c: Context): boolean {
  return c.req.path.startsWith('/api/') || c.req.path.startsWith('/.well-known/') || (c.req.header('accept') ?? '').startsWith('application/json');
}

function errorPage(status: number, vi: string, en: string): string {
  const esc = (s: string) => s.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!);
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${status} · OCOP Verify</title><style>${ERROR_PAGE_CSS}</style></head><body><h1>${esc(vi)}</h1><p class="en" lang="en">${esc(en)}</p><p><a href="/">Trang chủ / Home</a></p></body></html>`;
}

/** The public side's errors: a problem document for API clients, the plain error page for people. */
function presentPublic(c: Context<AppEnv>, error: AppError): Response {
  if (wantsJson(c)) return jsonProblem(c, error);
  return c.html(errorPage(error.status, error.messageVi, error.messageEn), error.status);
}

/** Builds the one app every runtime and every test serves. */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.use(requestLog(deps));
  app.use(securityHeaders(deps.config), bodyCeiling(ANY_BODY_BYTES, uploadBodyBytes), cleanQuery);
  app.use(async function provideDatabase(c, next) {
    const db = deps.database.open();
    const tasks: (() => Promise<unknown>)[] = [];
    c.set('db', db);
    c.set('deps', deps);
    c.set('clock', deps.clock);
    c.set('config', deps.config);
    c.set('keys', deps.keys);
    c.set('keyStatus', deps.keyStatus);
    c.set('cache', deps.cache);
    c.set('scans', deps.scans);
    c.set('media', deps.media);
    c.set('log', deps.log);
    c.set('defer', (task) => {
      tasks.push(task);
    });
    try {
      // Key withdrawals and keys made elsewhere reach this app within the TTL, on every route.
      await deps.keyStatus.fresh(db, (work) => deps.waitUntil(c, work));
      await next();
    } finally {
      // Deferred work runs after the handler so it never delays the response; on Workers
      // waitUntil keeps the invocation (and its database client) alive until it is done.
      const work = Promise.allSettled(tasks.map((t) => t())).then((results) => {
        for (const r of results) if (r.status === 'rejected') deps.log('error', 'deferred task failed', { error: String(r.reason) });
      });
      deps.waitUntil(c, work);
    }
  });

  app.get('/healthz', async function health(c) {
    try {
      await sql`select 1`.execute(c.var.db);
      return c.json({ status: 'ok', runtime: deps.config.runtime, time: deps.clock().toISOString() }, 200, { 'cache-control': 'no-store' });
    } catch (error) {
      deps.log('error', 'healthz: database unreachable', { error: error instanceof Error ? error.message : String(error) });
      return c.json({ status: 'unavailable', reason: 'database unreachable' }, 503, { 'cache-control': 'no-store' });
    }
  });

  app.route('/api/v1/admin', adminApiRoutes());
  app.route('/', apiRoutes());
  app.route('/admin', adminRoutes());
  app.route('/', scannerRoutes());
  app.route('/', publicRoutes());

  app.notFound((c) => presentPublic(c, new AppError(404, 'not_found', 'Không tìm thấy trang này.', 'This page does not exist.')));
  app.onError(errorHandler('app', presentPublic));

  return app;
}
