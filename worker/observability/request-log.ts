import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { AppDeps, AppEnv } from '../app-env';

/**
 * One log line and one metrics sample per request: method, route pattern, status, duration.
 * The route pattern (`/v/*`) is logged, never the path or query, so package codes,
 * tokens in links and search terms stay out of the logs.
 */
export function requestLog(deps: Pick<AppDeps, 'log' | 'metrics'>): MiddlewareHandler<AppEnv> {
  return async function logRequest(c, next) {
    const started = performance.now();
    await next();
    const seconds = (performance.now() - started) / 1000;
    const route = routePath(c, -1);
    // deps from the factory, not the context: a request refused before the database is
    // provided (a body or query refused at the door) is logged too.
    deps.metrics.request(c.req.method, route, c.res.status, seconds);
    deps.log('info', 'request', { method: c.req.method, route, status: c.res.status, ms: Math.round(seconds * 10_000) / 10 });
  };
}
