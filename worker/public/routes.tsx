import { Hono } from 'hono';
import type { AppEnv } from '../app-env';

// Placeholder mount point: the public pages (scan, certificate, product, catalogue) live here.
export function publicRoutes(): Hono<AppEnv> {
  return new Hono<AppEnv>();
}
