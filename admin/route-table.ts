import type { OpenAPIHono, RouteConfig, RouteHandler } from '@hono/zod-openapi';
import type { Handler, Hono, MiddlewareHandler } from 'hono';
import type { AdminEnv } from './context';
import type { Permission } from './permissions';

export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** `public` routes need no sign-in (the login page, the stylesheet). */
export type RouteAccess = Permission | 'public';

export interface RouteSpec {
  method: RouteMethod;
  path: string;
  access: RouteAccess;
}

/**
 * Registers routes together with the permission each needs, so no route can be added
 * without one, and the role-matrix test can walk the very table the app was built from.
 */
export class RouteTable {
  readonly specs: RouteSpec[] = [];

  constructor(
    private readonly app: Hono<AdminEnv>,
    private readonly guard: (access: RouteAccess) => MiddlewareHandler<AdminEnv>,
  ) {}

  private add<P extends string>(method: RouteMethod, path: P, access: RouteAccess, handler: Handler<AdminEnv, P>): void {
    this.specs.push({ method, path, access });
    this.app.on(method, path, this.guard(access), handler);
  }

  get<P extends string>(path: P, access: RouteAccess, handler: Handler<AdminEnv, P>): void {
    this.add('GET', path, access, handler);
  }

  post<P extends string>(path: P, access: RouteAccess, handler: Handler<AdminEnv, P>): void {
    this.add('POST', path, access, handler);
  }

  put<P extends string>(path: P, access: RouteAccess, handler: Handler<AdminEnv, P>): void {
    this.add('PUT', path, access, handler);
  }

  delete<P extends string>(path: P, access: RouteAccess, handler: Handler<AdminEnv, P>): void {
    this.add('DELETE', path, access, handler);
  }
}

/** Hono's pattern of a declared path (`/x/{id{[0-9]+}}` → `/x/:id{[0-9]+}`), as OpenAPIHono registers it. */
export function honoPath(path: string): string {
  return path.replaceAll(/\/{(.+?)}/g, '/:$1');
}

/**
 * The route table of a documented API: each route is an OpenAPI declaration (request schemas
 * validated by zValidator, response schemas typing the handler) registered with the
 * permission it needs, like RouteTable. The table also writes that permission into the
 * declaration (who may call it, and the 401/403 answers), so the document says what the
 * guard does.
 */
export class DocumentedRouteTable {
  readonly specs: RouteSpec[] = [];

  constructor(
    private readonly app: OpenAPIHono<AdminEnv>,
    private readonly guard: (access: RouteAccess) => MiddlewareHandler<AdminEnv>,
    /** What every route of this API adds to its declaration for its access, and middleware to run after the guard. */
    private readonly declare: (route: RouteConfig, access: RouteAccess) => { route: RouteConfig; middleware: MiddlewareHandler<AdminEnv>[] },
  ) {}

  route<R extends RouteConfig>(route: R, access: RouteAccess, handler: RouteHandler<R, AdminEnv>): void {
    this.specs.push({ method: route.method.toUpperCase() as RouteMethod, path: honoPath(route.path), access });
    const declared = this.declare(route, access);
    // The declaration was type-checked against the handler above; what `declare` adds (docs,
    // middleware) does not change the handler's types, which openapi() cannot see through.
    const register = this.app.openapi as (route: RouteConfig, handler: Handler<AdminEnv>) => unknown;
    register.call(this.app, { ...declared.route, middleware: [this.guard(access), ...declared.middleware] }, handler as Handler<AdminEnv>);
  }

  /** A route outside the document (the document itself). */
  get<P extends string>(path: P, access: RouteAccess, handler: Handler<AdminEnv, P>): void {
    this.specs.push({ method: 'GET', path, access });
    this.app.get(path, this.guard(access), handler);
  }
}
