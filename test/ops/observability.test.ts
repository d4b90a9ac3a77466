import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startProcess, waitForHttp, type ServerProcess } from '../helpers/process';

// What an operator's log shipper and Prometheus see: one JSON line per request (method,
// route pattern, status, duration) and never a password, token, package code or a
// shopper's contact; metrics on their own loopback listener, not on the public port.
const dir = mkdtempSync(path.join(tmpdir(), 'ocop-obs-'));
let server: ServerProcess | undefined;
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('logs and metrics (Node)', () => {
  it('logs one structured line per request with no secret in it, and serves /metrics only on its own port', async () => {
    const port = await freePort();
    const metricsPort = await freePort();
    const base = `http://127.0.0.1:${port}`;
    server = startProcess(path.resolve('node_modules/.bin/tsx'), ['worker/node.ts'], { DATABASE_URL: '', DATA_DIR: dir, PORT: String(port), HOST: '127.0.0.1', METRICS_PORT: String(metricsPort), PUBLIC_BASE_URL: '' });
    await waitForHttp(server, `${base}/healthz`, 150_000);
    const until = Date.now() + 60_000;
    while (!server.log().includes('Tài khoản demo') && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
    const password = /province_admin\s+admin@ocop\.demo\s+(\S+)/.exec(server.log())![1]!;
    const scanUrl = /demo scan page: (\S+)/.exec(server.log())![1]!;
    const code = scanUrl.slice(scanUrl.lastIndexOf('/') + 1);
    const token = `ocop_${'Z'.repeat(43)}`;
    const contact = 'nguoimua.09876@example.vn';
    const bannerEnd = server.log().length;

    await fetch(scanUrl);
    await fetch(`${base}/api/v1/verify?code=${code}`);
    await fetch(`${base}/admin/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base }, body: new URLSearchParams({ email: 'admin@ocop.demo', password }) });
    await fetch(`${base}/admin/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base }, body: new URLSearchParams({ email: 'admin@ocop.demo', password: `${password}-wrong` }) });
    await fetch(`${base}/api/v1/admin/me`, { headers: { authorization: `Bearer ${token}` } });
    await fetch(`${base}/report`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base }, body: new URLSearchParams({ message: 'Tem giống hệt ở chợ', contact, code }) });
    await new Promise((r) => setTimeout(r, 500));

    const lines = server.log().slice(bannerEnd).split('\n').filter((l) => l.startsWith('{'));
    const entries = lines.map((l) => JSON.parse(l) as { level: string; message: string; method?: string; route?: string; status?: number; ms?: number; time: string });
    const requests = entries.filter((e) => e.message === 'request');
    const routes = requests.map((e) => `${e.method} ${e.route} ${e.status}`);
    expect(routes, JSON.stringify(routes)).toContain('GET /v/* 200');
    expect(routes).toContain('GET /api/v1/verify 200');
    expect(routes, JSON.stringify(routes)).toContain('POST /admin/login 303');
    expect(routes).toContain('POST /admin/login 401');
    expect(routes.some((r) => r.startsWith('GET /api/v1/') && r.endsWith(' 401'))).toBe(true);
    expect(routes).toContain('POST /report 200');
    for (const e of requests) {
      expect(typeof e.ms).toBe('number');
      expect(e.time).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    }
    const text = lines.join('\n');
    for (const secret of [password, code, code.toLowerCase(), token, contact, '09876']) expect(text).not.toContain(secret);

    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/ocop_http_requests_total\{method="GET",route="\/v\/\*",status="200"\} 1/);
    expect(metrics).toMatch(/ocop_http_request_duration_seconds_bucket\{le="[^"]+",method="GET",route="\/v\/\*"\}/);
    expect(metrics).toMatch(/ocop_scan_verdicts_total\{verdict="genuine"\} 1/);
    expect(metrics).toContain('ocop_daily_job_runs_total');
    expect(metrics).not.toContain(code);
    expect((await fetch(`${base}/metrics`)).status).toBe(404);
  }, 300_000);
});
