import { Hono } from 'hono';
import type { AppEnv } from '../worker/app-env';

// Placeholder mount point: the officials' and producers' UI under /admin.
export function adminRoutes(): Hono<AppEnv> {
  return new Hono<AppEnv>();
}
