import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../worker/app';
import { generateSigningKey, KeyRing } from '../../worker/codes/keyring';
import { createNodePostgresDb } from '../../worker/db/connect-node-postgres';
import { buildNodeDeps } from '../../worker/node-runtime';
import { startPgCluster, type PgCluster } from '../helpers/pg-cluster';
import { freePort, startProcess, waitForHttp, type ServerProcess } from '../helpers/process';
import { demoNumbers } from '../helpers/demo';

/** Demo certificate numbers as seeded by this file's context (they carry their decision's year). */
const N = demoNumbers();

// The Node server (`npm start` on Postgres) while Postgres restarts and its connections are
// killed under concurrent admin writes, as an operator meets it at 3 a.m.: the process stays
// up, requests during the fault get 503 with Retry-After (never a 500), service resumes by
// itself, and every write that was acknowledged is in the database afterwards.
// The cluster is a throwaway one on a spare port, so other test files are not disturbed.
const ORIGIN = 'http://127.0.0.1';
let cluster: PgCluster | undefined;
let server: ServerProcess | undefined;
const dir = mkdtempSync(path.join(tmpdir(), 'ocop-faults-'));

afterAll(async () => {
  await server?.stop();
  cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Outcome { name: string; status: number; retryAfter: string | null }

describe('database faults under write load (Node, Postgres)', () => {
  it('survives 3 restarts and a kill of every connection: 503 only during faults, back within 5 s, no acknowledged write lost', async () => {
    cluster = await startPgCluster();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    server = startProcess(path.resolve('node_modules/.bin/tsx'), ['worker/node.ts'], {
      DATABASE_URL: cluster.url,
      DATA_DIR: dir,
      PORT: String(port),
      HOST: '127.0.0.1',
      SEED: '1',
      PUBLIC_BASE_URL: '',
    });
    await waitForHttp(server, `${base}/healthz`, 150_000);
    // The banner with the demo logins is printed once every worker listens, which can be after
    // the first one answers: wait for it (a race on a busy machine otherwise).
    for (const until = Date.now() + 60_000; !/province_admin\s+admin@ocop\.demo\s+\S+/.test(server.log()) && Date.now() < until; ) await new Promise((r) => setTimeout(r, 200));
    const password = /province_admin\s+admin@ocop\.demo\s+(\S+)/.exec(server.log())?.[1];
    expect(password, server.log()).toBeDefined();
    const login = await fetch(`${base}/admin/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN + `:${port}` },
      body: new URLSearchParams({ email: 'admin@ocop.demo', password: password! }),
    });
    expect(login.status).toBe(303);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;

    const outcomes: Outcome[] = [];
    let writing = true;
    const writer = async (w: number) => {
      for (let i = 0; writing; i++) {
        const name = `Hợp tác xã thử lỗi ${w}-${i}`;
        try {
          const res = await fetch(`${base}/admin/producers`, {
            method: 'POST',
            redirect: 'manual',
            headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN + `:${port}`, cookie },
            body: new URLSearchParams({ name, legalForm: 'hop_tac_xa' }),
            signal: AbortSignal.timeout(30_000),
          });
          await res.arrayBuffer();
          outcomes.push({ name, status: res.status, retryAfter: res.headers.get('retry-after') });
          if (res.status === 503) await new Promise((r) => setTimeout(r, 100));
        } catch (error) {
          outcomes.push({ name, status: 0, retryAfter: String(error) });
        }
      }
    };
    const writers = [0, 1, 2, 3].map(writer);

    const healthyWithin = async (ms: number): Promise<number> => {
      const start = Date.now();
      for (;;) {
        try {
          if ((await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2_000) })).status === 200) return Date.now() - start;
        } catch {
          // keep polling
        }
        if (Date.now() - start > ms) return Number.POSITIVE_INFINITY;
        await new Promise((r) => setTimeout(r, 100));
      }
    };

    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
    await pause(1_500);
    const recoveries: number[] = [];
    const stalls: number[] = [];
    for (let round = 0; round < 3; round++) {
      const began = Date.now();
      await cluster.restart();
      recoveries.push(await healthyWithin(5_000));
      stalls.push(Date.now() - began);
      await pause(1_500);
    }
    // Kill every connection of the app's pool from another session, twice.
    const killer = createNodePostgresDb(cluster.url, { max: 1, applicationName: 'fault-test' });
    for (let round = 0; round < 2; round++) {
      await sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'ocop-verify'`.execute(killer);
      recoveries.push(await healthyWithin(5_000));
      await pause(1_000);
    }
    writing = false;
    await Promise.all(writers);

    // The process is alive and serving.
    expect(server.child.exitCode, server.log()).toBeNull();
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    for (const ms of recoveries) expect(ms).toBeLessThanOrEqual(5_000);

    // Every answer was a success or a 503 with Retry-After: no 500, no dropped connection.
    const acknowledged = outcomes.filter((o) => o.status === 303);
    const unavailable = outcomes.filter((o) => o.status === 503);
    const other = outcomes.filter((o) => o.status !== 303 && o.status !== 503);
    expect(other, JSON.stringify(other.slice(0, 5))).toEqual([]);
    for (const o of unavailable) expect(o.retryAfter).toBe('5');
    expect(unavailable.length).toBeGreaterThan(0); // the writes did meet the faults
    expect(acknowledged.length).toBeGreaterThan(20);

    // Every acknowledged write is there; and its audit row with it (one transaction).
    const rows = await killer.selectFrom('producers').select(['id', 'name']).where('name', 'like', 'Hợp tác xã thử lỗi %').execute();
    const stored = new Set(rows.map((r) => r.name));
    const lost = acknowledged.filter((o) => !stored.has(o.name));
    expect(lost).toEqual([]);
    const audits = await killer
      .selectFrom('audit_log')
      .select(({ fn }) => fn.countAll<number>().as('n'))
      .where('action', '=', 'producer.create')
      .where('entity_id', 'in', rows.length > 0 ? rows.map((r) => String(r.id)) : ['-'])
      .executeTakeFirstOrThrow();
    expect(Number(audits.n)).toBe(rows.length);
    await killer.destroy();
    // A full pool: a query that cannot get a connection in time is a 503 too, and the next one works.
    const small = createNodePostgresDb(cluster.url, { max: 1, connectTimeoutMs: 300 });
    const deps = await buildNodeDeps({
      db: small,
      keys: await KeyRing.fromJwkSet({ keys: [await generateSigningKey(9)] }),
      config: { publicBaseUrl: 'https://ocop.test', cacheTtlSeconds: 30, secureCookies: false, runtime: 'test', scanRetentionMonths: 13 },
      sessionSecret: new Uint8Array(32),
      log: () => undefined,
    });
    const app = createApp(deps);
    const hold = small.transaction().execute(async (trx) => {
      await sql`select pg_sleep(1.5)`.execute(trx);
    });
    await pause(100);
    const starved = await app.request(`/api/v1/certificates/${N.haMy5}`);
    expect(starved.status).toBe(503);
    expect(starved.headers.get('retry-after')).toBe('5');
    await hold;
    expect((await app.request(`/api/v1/certificates/${N.haMy5}`)).status).toBe(200);
    await small.destroy();
    console.log(`db faults: ${outcomes.length} writes, ${acknowledged.length} acknowledged, ${unavailable.length} answered 503, 0 lost; restarts took ${stalls.map((ms) => `${ms} ms`).join(', ')} until /healthz answered 200; healthy again ${recoveries.map((ms) => `${ms} ms`).join(', ')} after each fault ended`);
  });
});
