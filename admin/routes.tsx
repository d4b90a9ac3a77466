import { Hono, type MiddlewareHandler } from 'hono';
import { csrf } from 'hono/csrf';
import { secureHeaders } from 'hono/secure-headers';
import { isDomainErrorCode } from '../worker/domain/errors';
import { AppError, errorHandler, fieldErrorsOf } from '../worker/errors';
import { FORM_BODY_BYTES, limitBody, limitBodyByPath, LOGIN_BODY_BYTES } from '../worker/request-limits';
import { invalidateAfterWrite } from './actions';
import { sessionPrincipal } from './auth';
import type { AdminContext, AdminEnv } from './context';
import { domainFieldErrors } from './forms';
import { can } from './permissions';
import { RouteTable, type RouteAccess, type RouteSpec } from './route-table';
import { Bi } from './ui/components';
import { Layout } from './ui/layout';
import { registerSessionPages } from './pages/session-pages';
import { registerDashboardPages } from './pages/dashboard-pages';
import { registerReportPages } from './pages/report-pages';
import { registerPlanPages } from './pages/plan-pages';
import { registerCertificatePages } from './pages/certificate-pages';
import { registerRenewalPages } from './pages/renewal-pages';
import { registerProducerPages } from './pages/producer-pages';
import { registerProductPages } from './pages/product-pages';
import { registerEvaluationPages } from './pages/evaluation-pages';
import { registerBatchPages } from './pages/batch-pages';
import { registerCounterfeitPages } from './pages/counterfeit-pages';
import { registerAuditPages } from './pages/audit-pages';
import { registerUserPages } from './pages/user-pages';
import { registerTokenPages } from './pages/token-pages';
import { registerKeyPages } from './pages/key-pages';
import { registerMediaPages } from './pages/media-pages';
import { registerImportPages } from './pages/import-pages';
import { registerSalesPointPages } from './pages/sales-point-pages';
import { registerUnitPages } from './pages/unit-pages';

/**
 * Strict policy: nothing loads but this origin's stylesheet and images; no script runs at
 * all (the UI is plain forms); forms post only here; no page may frame this one.
 */
export const ADMIN_CSP = {
  defaultSrc: ["'none'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
};

function guard(access: RouteAccess): MiddlewareHandler<AdminEnv> {
  return async function requireAccess(c, next) {
    if (access === 'public') {
      c.set('principal', null);
      return next();
    }
    const principal = await sessionPrincipal(c);
    if (!principal) {
      const url = new URL(c.req.url);
      const target = c.req.method === 'GET' ? `?next=${encodeURIComponent(url.pathname + url.search)}` : '';
      return c.redirect(`/admin/login${target}`, 303);
    }
    c.set('principal', principal);
    if (!can(principal, access)) {
      throw new AppError(403, 'forbidden', 'Bạn không có quyền thực hiện việc này.', 'You are not allowed to do this.');
    }
    await next();
  };
}

function ErrorPage(props: { status: number; vi: string; en: string; signedIn: boolean }) {
  return (
    <Layout title={`${props.status}`} principal={null}>
      <h1>
        <Bi vi={props.vi} en={props.en} />
      </h1>
      <p>
        <a href="/admin">Về trang quản trị / Back to the admin home</a>
        {props.signedIn ? null : (
          <>
            {' · '}
            <a href="/admin/login">Đăng nhập / Sign in</a>
          </>
        )}
      </p>
    </Layout>
  );
}

/**
 * A form that was being handled is shown again with the errors on their fields (a failed
 * schema, or a broken rule); anything else is the admin error page. The status is the error's.
 */
async function presentAdmin(c: AdminContext, error: AppError): Promise<Response> {
  const form = c.var.form;
  if (form) {
    const code = error.code;
    const errors = fieldErrorsOf(error) ?? (isDomainErrorCode(code) ? domainFieldErrors({ code, messageVi: error.messageVi, messageEn: error.messageEn }, form.fields, form.dateField) : undefined);
    if (errors) return form.show(errors, error.status);
  }
  return c.html(<ErrorPage status={error.status} vi={error.messageVi} en={error.messageEn} signedIn={!!c.get('principal')} />, error.status);
}

function build(): { app: Hono<AdminEnv>; table: RouteSpec[] } {
  const app = new Hono<AdminEnv>();

  app.use(secureHeaders({ contentSecurityPolicy: ADMIN_CSP, referrerPolicy: 'same-origin', crossOriginResourcePolicy: 'same-origin' }));

  app.use(async function noStore(c, next) {
    await next();
    // Admin pages carry personal and unpublished data: never cache them anywhere.
    if (!c.res.headers.has('cache-control')) c.res.headers.set('cache-control', 'no-store');
  });

  // Forms are accepted only from this origin (or the configured public one behind a
  // proxy); SameSite=Strict on the session cookie is the second line.
  app.use(
    csrf({
      origin: (origin, c) => {
        if (origin === new URL(c.req.url).origin) return true;
        try {
          return origin === new URL(c.var.config.publicBaseUrl).origin;
        } catch {
          return false;
        }
      },
    }),
  );

  // Before anything reads a body: the anonymous sign-in form gets the smallest limit.
  app.use('/login', limitBody(LOGIN_BODY_BYTES));
  // The upload routes (photos, decision scans, the register file) have their own, larger limits
  // (worker/request-limits.ts UPLOAD_ROUTES); every other form 64 KB.
  app.use(limitBodyByPath(FORM_BODY_BYTES));

  app.use(invalidateAfterWrite);
  app.onError(errorHandler('admin', presentAdmin));

  const table = new RouteTable(app, guard);
  registerSessionPages(table);
  registerDashboardPages(table);
  registerReportPages(table);
  registerPlanPages(table);
  registerCertificatePages(table);
  registerRenewalPages(table);
  registerProducerPages(table);
  registerProductPages(table);
  registerEvaluationPages(table);
  registerBatchPages(table);
  registerCounterfeitPages(table);
  registerAuditPages(table);
  registerUserPages(table);
  registerTokenPages(table);
  registerKeyPages(table);
  registerMediaPages(table);
  registerImportPages(table);
  registerSalesPointPages(table);
  registerUnitPages(table);
  return { app, table: table.specs };
}

/** The officials' and producers' UI, mounted at /admin. */
export function adminRoutes(): Hono<AdminEnv> {
  return build().app;
}

/** Every UI route with the permission it needs (paths relative to /admin): for the role-matrix test. */
export function adminRouteTable(): RouteSpec[] {
  return build().table;
}
