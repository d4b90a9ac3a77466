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
    const guard = this.guard(access);
    switch (method) {
      case 'GET':
        this.app.get(path, guard, handler);
        break;
      case 'POST':
        this.app.post(path, guard, handler);
        break;
      case 'PUT':
        this.app.put(path, guard, handler);
        break;
      case 'DELETE':
        this.app.delete(path, guard, handler);
        break;
    }
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
