// Shared by the admin test files: sessions minted like the login route mints them, and
// requests shaped like a browser's (same-origin form posts).
import type { Role } from '../../schema/database';
import { signSession } from '../../admin/session';
import type { TestContext } from '../helpers/app';

export const ORIGIN = 'http://localhost';

export async function sessionFor(ctx: TestContext, email: string): Promise<string> {
  const user = await ctx.db.selectFrom('users').select(['id', 'session_version']).where('email', '=', email).executeTakeFirstOrThrow();
  const now = ctx.deps.clock();
  const token = await signSession(ctx.deps.sessionSecret, { userId: user.id, version: user.session_version, authTime: Math.floor(now.getTime() / 1000) }, now);
  return `ocop_admin=${token}`;
}

export const DEMO_EMAILS: Record<Role, string> = {
  province_admin: 'admin@ocop.demo',
  area_officer: 'canbo.dongphu@ocop.demo',
  producer: 'hamy@ocop.demo',
  auditor: 'kiemtra@ocop.demo',
};

export function get(ctx: TestContext, path: string, cookie?: string, headers: Record<string, string> = {}): Promise<Response> {
  return Promise.resolve(ctx.app.request(path, { headers: { ...(cookie ? { cookie } : {}), ...headers } }));
}

export function postForm(ctx: TestContext, path: string, cookie: string | undefined, fields: Record<string, string | string[]> = {}, headers: Record<string, string> = {}): Promise<Response> {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
  return Promise.resolve(
    ctx.app.request(path, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, ...(cookie ? { cookie } : {}), ...headers },
    }),
  );
}

export function api(ctx: TestContext, method: string, path: string, token: string | undefined, json?: unknown): Promise<Response> {
  return Promise.resolve(
    ctx.app.request(`/api/v1/admin${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(json !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
    }),
  );
}

/** Text of an HTML page with tags removed and whitespace collapsed, for readable assertions. */
export function text(html: string): string {
  return html.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/\s+/g, ' ');
}
