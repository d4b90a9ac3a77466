import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../worker/app';
import type { AppDeps } from '../../worker/app-env';
import { createNodePostgresDb } from '../../worker/db/connect-node-postgres';
import { createTestContext, type TestContext } from '../helpers/app';
import { demoNumbers } from '../helpers/demo';

/** Demo certificate numbers as seeded by this file's context (they carry their decision's year). */
const N = demoNumbers();

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(async () => t?.close());

describe('/healthz', () => {
  it('answers 200 when the database is reachable', async () => {
    const res = await t.app.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok' });
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('answers 503 with a log line while the database is down, and recovers without a restart', async () => {
    // Port 1 on loopback refuses connections at once: a database that is down.
    const down = createNodePostgresDb('postgres://postgres@127.0.0.1:1/none', { max: 1, connectTimeoutMs: 2_000 });
    let current = down;
    const logs: string[] = [];
    const deps: AppDeps = {
      ...t.deps,
      database: { open: () => current },
      log: (level, message) => logs.push(`${level} ${message}`),
    };
    const app = createApp(deps);
    const res = await app.request('/healthz');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'unavailable' });
    expect(logs.some((l) => l.startsWith('error healthz: database unreachable'))).toBe(true);
    // Every other route answers 503 with Retry-After in both languages, never a 500.
    const api = await app.request(`/api/v1/certificates/${N.haMy5}`);
    expect(api.status).toBe(503);
    expect(api.headers.get('retry-after')).toBe('5');
    expect(await api.json()).toMatchObject({ error: { code: 'database_unavailable', message_vi: expect.stringContaining('thử lại'), message_en: expect.stringContaining('try again') } });
    const page = await app.request('/tra-cuu');
    const admin = await app.request('/admin/login', { method: 'POST', body: new URLSearchParams({ email: 'admin@ocop.demo', password: 'x' }), headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost' } });
    for (const r of [page, admin]) {
      if (r.status === 200) continue; // a page that needs no database still works
      expect(r.status).toBe(503);
      expect(r.headers.get('retry-after')).toBe('5');
      expect(await r.text()).toContain('thử lại');
    }
    expect(admin.status).toBe(503);
    current = t.db;
    expect((await app.request('/healthz')).status).toBe(200);
    // postgres.js can wait on a pool that never connected; the test does not depend on it.
    await Promise.race([down.destroy(), new Promise((r) => setTimeout(r, 500))]);
  });

  it('answers unknown paths with a bilingual 404, JSON under /api', async () => {
    const page = await t.app.request('/khong-ton-tai');
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('Không tìm thấy');
    const api = await t.app.request('/api/v1/khong-ton-tai');
    expect(api.status).toBe(404);
    expect(await api.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});
