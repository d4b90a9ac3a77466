import { Hono } from 'hono';
import type { AppEnv } from '../worker/app-env';

// Placeholder mount point: the admin JSON API under /api/v1/admin (API tokens), mirroring the UI.
export function adminApiRoutes(): Hono<AppEnv> {
  return new Hono<AppEnv>();
}
