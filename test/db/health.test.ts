import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../worker/app';
import type { AppDeps } from '../../worker/app-env';
import { createPostgresDb } from '../../worker/db/connect-postgres';
import { createTestContext, type TestContext } from '../helpers/app';

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
    const down = createPostgresDb('postgres://postgres@127.0.0.1:1/none', { max: 1, connectTimeoutSeconds: 2 });
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
