import { Hono } from 'hono';
import type { AppEnv } from '../app-env';

// Placeholder mount point: the retailer JSON API (/api/v1/...) and JWKS live here.
export function apiRoutes(): Hono<AppEnv> {
  return new Hono<AppEnv>();
}
