import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createNodePostgresDb } from '../../worker/db/connect-node-postgres';
import { freePort, groupGone, startProcess, waitForHttp, type ServerProcess } from '../helpers/process';

// `npm start` on Postgres with two worker processes, as on a 2-core server: both serve the
// port, and a revocation made through one is shown by the other on its very next scan,
// through LISTEN/NOTIFY, although the cache TTL is set to a minute.
const serverUrl = process.env.TEST_DATABASE_URL;
if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set: run this suite through `npm test` with DATABASE_URL');
const dbName = `ocop_mp_${Date.now().toString(36)}`;
const dir = mkdtempSync(path.join(tmpdir(), 'ocop-mp-'));
const admin = createNodePostgresDb(serverUrl, { max: 1 });
let server: ServerProcess | undefined;

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
  await sql.raw(`drop database if exists ${dbName} with (force)`).execute(admin);
  await admin.destroy();
});

describe('several processes on Postgres', () => {
  it('serves from WEB_CONCURRENCY processes and shows a revocation made in one process on every process at once', async () => {
    await sql.raw(`create database ${dbName}`).execute(admin);
    const url = new URL(serverUrl);
    url.pathname = `/${dbName}`;
    const port = await freePort();
    const metricsPort = await freePort();
    const base = `http://127.0.0.1:${port}`;
    server = startProcess(path.resolve('node_modules/.bin/tsx'), ['worker/node.ts'], {
      DATABASE_URL: url.toString(),
      DATA_DIR: dir,
      PORT: String(port),
      HOST: '127.0.0.1',
      WEB_CONCURRENCY: '2',
      CACHE_TTL_SECONDS: '60',
      METRICS_PORT: String(metricsPort),
      PUBLIC_BASE_URL: '',
    });
    await waitForHttp(server, `${base}/healthz`, 150_000);
    const until = Date.now() + 60_000;
    while (!server.log().includes('Tài khoản demo') && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
    expect(server.log()).toMatch(/CHẾ ĐỘ DEMO \/ DEMO MODE \(2 tiến trình/);
    const scanUrl = /demo scan page: (\S+)/.exec(server.log())![1]!;
    const number = decodeURIComponent(/certificate: \S+\/c\/(\S+)/.exec(server.log())![1]!);
    const password = /province_admin\s+admin@ocop\.demo\s+(\S+)/.exec(server.log())![1]!;

    // Warm both processes' caches: the cluster hands connections out in turn.
    const verdicts = async () => {
      const seen: string[] = [];
      for (let i = 0; i < 8; i++) {
        const html = await (await fetch(scanUrl, { headers: { connection: 'close' } })).text();
        seen.push(html.includes('thu hồi') ? 'revoked' : 'not revoked');
      }
      return seen;
    };
    expect(await verdicts()).toEqual(Array(8).fill('not revoked'));

    const db = createNodePostgresDb(url.toString(), { max: 1 });
    const cert = await db.selectFrom('certificates').select('id').where('number', '=', number).executeTakeFirstOrThrow();
    await db.destroy();
    const login = await fetch(`${base}/admin/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base },
      body: new URLSearchParams({ email: 'admin@ocop.demo', password }),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const revoke = await fetch(`${base}/admin/certificates/revoke`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base, cookie },
      body: new URLSearchParams({ ids: String(cert.id), decisionNumber: '99/QĐ-UBND', date: new Date().toISOString().slice(0, 10), ground: 'food_safety_violation', confirm: 'on' }),
    });
    expect(revoke.status).toBe(303);
    // The notice travels through Postgres; give it a moment, far below the 60 s TTL.
    await new Promise((r) => setTimeout(r, 500));
    expect(await verdicts()).toEqual(Array(8).fill('revoked'));

    // The metrics listener aggregates both workers and is not on the public port.
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/ocop_scan_verdicts_total\{verdict="revoked"\} (\d+)/);
    expect(Number(/ocop_scan_verdicts_total\{verdict="revoked"\} (\d+)/.exec(metrics)![1])).toBe(8);
    expect((await fetch(`${base}/metrics`)).status).toBe(404);

    await server.stop();
    expect(groupGone(server.child)).toBe(true);
  }, 300_000);
});
