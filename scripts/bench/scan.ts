/**
 * Scan benchmark (npm run bench:scan): the Node server on Postgres, measured from another
 * process with autocannon at 50 connections, 10 s per run:
 *   1. GET /healthz                          – the server's own ceiling (one `select 1`)
 *   2. GET /v/{code} over ≥ 100,000 codes    – every request a code never seen before
 *   3. GET /v/{code} with one code           – the cached path
 *   4. POST /api/v1/verify, 10,000 codes     – one timed request
 *   5. POST /api/v1/verify, 10,000 codes from 10,000 different batches (issue 14: the
 *      states of all batches are read together, not one query per batch)
 * runs 1-3 again with WEB_CONCURRENCY worker processes (default: every core) side by side
 * with one process, and, in this process, the raw Ed25519 verify rate of the same WebCrypto
 * API on the same codes. Budgets (DESIGN.md / issue 5): distinct ≥ 70 % of raw verify; repeated ≥ 50 %
 * of /healthz; p99 < 50 ms; bulk < 2 s.
 *
 * DATABASE_URL names a Postgres server (default postgres://postgres@127.0.0.1:5432/postgres);
 * the benchmark creates its own database ocop_bench_<random> there and drops it at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { parseCode } from '../../worker/codes/format';
import { KeyRing } from '../../worker/codes/keyring';
import { signPackageCode, signPackageCodes } from '../../worker/codes/sign';
import { issueBatch } from '../../worker/db/batches';
import { addDays, todayInVietnam } from '../../worker/domain/dates';
import { autocannon, benchDatabase, freePort, waitFor, type CannonOptions } from './support';


const SERVER_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CONNECTIONS = 50;
const DURATION = 10;
const DISTINCT = 100_000;
const PROCESSES = Math.max(2, Number(process.env.WEB_CONCURRENCY ?? availableParallelism()));
const BULK = 10_000;

interface RunResult { name: string; rps: number; p99: number; p50: number; errors: number; non2xx: number; requests: number }



async function cannon(name: string, opts: CannonOptions): Promise<RunResult> {
  const result = await autocannon({ connections: CONNECTIONS, duration: DURATION, ...opts });
  return {
    name,
    rps: result.requests.average,
    p99: result.latency.p99,
    p50: result.latency.p50,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    requests: result.requests.total,
  };
}

/** Raw verifies per second through crypto.subtle with `concurrency` in flight (the server has many requests in flight too). */
async function rawVerifyRate(ring: KeyRing, codes: string[], concurrency: number, seconds: number): Promise<number> {
  const parsed = codes.map((c) => parseCode(c)).filter((p) => p.ok);
  const key = ring.get(parsed[0]!.ref.keyNumber)!.publicKey;
  let done = 0;
  let next = 0;
  const stopAt = performance.now() + seconds * 1000;
  const start = performance.now();
  async function worker(): Promise<void> {
    while (performance.now() < stopAt) {
      const p = parsed[next++ % parsed.length]!;
      const ok = await crypto.subtle.verify({ name: 'Ed25519' }, key, p.signature, p.signingInput);
      if (!ok) throw new Error('a signed code did not verify');
      done++;
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return done / ((performance.now() - start) / 1000);
}

async function main(): Promise<void> {
  const now = new Date();
  const bench = await benchDatabase(SERVER_URL, now);
  const { db, dataDir, ring } = bench;
  const dbUrl = new URL(bench.url);
  let server: ChildProcess | null = null;
  try {
    const actor = { userId: null, label: 'bench' };
    const today = todayInVietnam(now);
    const certs = await db
      .selectFrom('certificates').select(['id', 'number'])
      .where('status', '=', 'active').where('valid_until', '>', addDays(today, 60))
      .orderBy('id').limit(2).execute();
    const big = await issueBatch(db, actor, { certificateId: certs[0]!.id, lotCode: 'BENCH-100K', productionDate: today, bestBefore: null, quantity: DISTINCT }, ring, now);
    const warm = await issueBatch(db, actor, { certificateId: certs[1]!.id, lotCode: 'BENCH-WARM', productionDate: today, bestBefore: null, quantity: 5_000 }, ring, now);

    let t = performance.now();
    // Half the codes for the one-process runs, the other half for the N-process runs: each
    // distinct run meets only codes never scanned before.
    const codes: string[] = [];
    const codesN: string[] = [];
    for await (const { code, serial } of signPackageCodes(ring, big.id, 1, DISTINCT)) (serial % 2 === 1 ? codes : codesN).push(code);
    const warmCodes: string[] = [];
    for await (const { code } of signPackageCodes(ring, warm.id, 1, 5_000)) warmCodes.push(code);
    // 10,000 batches of one package each, inserted directly (issuing them one by one would
    // only measure the audit log), and one code of each.
    const manyBatchIds: number[] = [];
    for (let k = 0; k < BULK; k += 1000) {
      const rows = Array.from({ length: Math.min(1000, BULK - k) }, (_, j) => ({
        certificate_id: certs[1]!.id, lot_code: `BENCH-MB-${k + j}`, production_date: today, best_before: null, quantity: 1, key_number: ring.signer().keyNumber, created_by: null,
      }));
      manyBatchIds.push(...(await db.insertInto('package_batches').values(rows).returning('id').execute()).map((r) => r.id));
    }
    const manyBatchCodes = await Promise.all(manyBatchIds.map((id) => signPackageCode(ring, id, 1)));
    console.log(`signed ${codes.length + warmCodes.length} codes in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    /** Starts `npm start` with `processes` worker processes, measures the three runs, stops it. */
    const measure = async (processes: number, list: string[]) => {
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      // Its own process group: with several processes the workers are killed with it.
      server = spawn(path.resolve('node_modules/.bin/tsx'), ['worker/node.ts'], {
        env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: dbUrl.toString(), SEED: '0', CACHE_TTL_SECONDS: '30', WEB_CONCURRENCY: String(processes), METRICS_PORT: '0' },
        stdio: ['ignore', 'ignore', 'inherit'],
        detached: true,
      });
      await waitFor(`${base}/healthz`, server);
      console.log(`server pid ${server.pid} on ${base}, ${processes} process(es)`);
      // Warm-up (JIT, pools, caches) on codes the measured runs never use.
      let w = 0;
      await autocannon({ url: base, connections: CONNECTIONS, duration: 3, requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/v/${warmCodes[w++ % warmCodes.length]}` }) }] });
      await autocannon({ url: `${base}/healthz`, connections: CONNECTIONS, duration: 2 });
      const health = await cannon(`GET /healthz [${processes}p]`, { url: `${base}/healthz` });
      let i = 0;
      const distinct = await cannon(`GET /v/{code}, ${list.length.toLocaleString('en')} distinct [${processes}p]`, {
        url: base,
        requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/v/${list[i++ % list.length]}` }) }],
      });
      const wrapped = i > list.length;
      const repeated = await cannon(`GET /v/{code}, one code repeated [${processes}p]`, { url: `${base}/v/${list[0]}` });
      return { base, health, distinct, repeated, wrapped };
    };
    const stop = async () => {
      const s = server;
      if (!s || s.exitCode !== null || s.pid === undefined) return;
      const exited = new Promise((r) => s.once('exit', r));
      process.kill(-s.pid, 'SIGTERM');
      await exited;
      server = null;
    };

    // Raw verify rate while nothing else runs: sequential and with 50 in flight; the
    // higher (stricter) one is the reference.
    const rawSequential = await rawVerifyRate(ring, codes.slice(0, 20_000), 1, 3);
    const rawConcurrent = await rawVerifyRate(ring, codes.slice(0, 20_000), CONNECTIONS, 3);
    const raw = Math.max(rawSequential, rawConcurrent);

    const many = await measure(PROCESSES, codesN);
    await stop();
    const one = await measure(1, codes);
    const { base, health, distinct, repeated } = one;
    const distinctWrapped = one.wrapped || many.wrapped;

    const bulkCodes = codes.slice(codes.length - BULK);
    t = performance.now();
    const bulkRes = await fetch(`${base}/api/v1/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ codes: bulkCodes }) });
    const bulkBody = (await bulkRes.json()) as { results: { verdict: string }[] };
    const bulkSeconds = (performance.now() - t) / 1000;
    const bulkGenuine = bulkBody.results.filter((r) => r.verdict === 'genuine').length;

    t = performance.now();
    const manyRes = await fetch(`${base}/api/v1/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ codes: manyBatchCodes }) });
    const manyBody = (await manyRes.json()) as { results: { verdict: string }[] };
    const manySeconds = (performance.now() - t) / 1000;
    const manyGenuine = manyBody.results.filter((r) => r.verdict === 'genuine').length;

    const scanRows = await db.selectFrom('scans').select(sql<number>`count(*)::int`.as('n')).where('batch_id', '=', big.id).executeTakeFirstOrThrow();

    const fmt = (n: number) => n.toLocaleString('en', { maximumFractionDigits: 0 });
    console.log('run'.padEnd(48), 'req/s'.padStart(9), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8), 'errors'.padStart(7), 'non-2xx'.padStart(8));
    for (const r of [health, distinct, repeated, many.health, many.distinct, many.repeated]) {
      console.log(r.name.padEnd(48), fmt(r.rps).padStart(9), String(r.p50).padStart(8), String(r.p99).padStart(8), String(r.errors).padStart(7), String(r.non2xx).padStart(8));
    }
    console.log(`raw Ed25519 verify (WebCrypto, this process)`.padEnd(48), fmt(raw).padStart(9), `   (1 in flight: ${fmt(rawSequential)}/s, ${CONNECTIONS} in flight: ${fmt(rawConcurrent)}/s)`);
    console.log(`POST /api/v1/verify, ${fmt(BULK)} distinct codes`.padEnd(48), `${bulkSeconds.toFixed(2)} s`.padStart(9), `   (HTTP ${bulkRes.status}, ${fmt(bulkGenuine)} genuine)`);
    console.log(`POST /api/v1/verify, ${fmt(BULK)} codes, ${fmt(BULK)} batches`.padEnd(48), `${manySeconds.toFixed(2)} s`.padStart(9), `   (HTTP ${manyRes.status}, ${fmt(manyGenuine)} genuine)`);
    console.log(`scans logged for the 100k batch: ${fmt(scanRows.n)} (of ${fmt(distinct.requests + repeated.requests + many.distinct.requests + many.repeated.requests)} requests)${distinctWrapped ? ' — a distinct run wrapped around its code list' : ''}`);
    const ratio = (a: RunResult, b: RunResult) => (a.rps / b.rps).toFixed(2);
    console.log(`${PROCESSES} processes vs 1: /healthz ${ratio(many.health, health)}×, distinct ${ratio(many.distinct, distinct)}×, repeated ${ratio(many.repeated, repeated)}× (same machine, also running autocannon and Postgres)`);

    const budgets: [string, boolean, string][] = [
      ['distinct ≥ 70 % of raw verify', distinct.rps >= 0.7 * raw, `${((distinct.rps / raw) * 100).toFixed(0)} %`],
      // Informational: against one verify in flight (the latency-bound rate of a single
      // stream); the line above compares with the whole machine verifying and nothing else.
      ['  (vs raw verify, 1 in flight)', distinct.rps >= 0.7 * rawSequential, `${((distinct.rps / rawSequential) * 100).toFixed(0)} %`],
      ['repeated ≥ 50 % of /healthz', repeated.rps >= 0.5 * health.rps, `${((repeated.rps / health.rps) * 100).toFixed(0)} %`],
      ['p99 < 50 ms (distinct)', distinct.p99 < 50, `${distinct.p99} ms`],
      ['p99 < 50 ms (repeated)', repeated.p99 < 50, `${repeated.p99} ms`],
      ['bulk 10,000 < 2 s', bulkSeconds < 2 && bulkRes.status === 200, `${bulkSeconds.toFixed(2)} s`],
      ['bulk 10,000 from 10,000 batches < 2 s', manySeconds < 2 && manyRes.status === 200 && manyGenuine === BULK, `${manySeconds.toFixed(2)} s`],
      [`${PROCESSES} processes ≥ 1.3× one (distinct)`, many.distinct.rps >= 1.3 * distinct.rps, `${ratio(many.distinct, distinct)}×`],
      ['no errors, all 2xx', [health, distinct, repeated, many.health, many.distinct, many.repeated].every((r) => r.errors === 0 && r.non2xx === 0), ''],
    ];
    console.log('\nbudget'.padEnd(44), 'measured'.padStart(10), ' result');
    for (const [name, ok, measured] of budgets) console.log(name.padEnd(43), measured.padStart(10), name.startsWith('  ') ? (ok ? ' (ok)' : ' (missed)') : ok ? ' ok' : ' MISSED');
    process.exitCode = budgets.filter(([name]) => !name.startsWith('  ')).every(([, ok]) => ok) ? 0 : 1;
  } finally {
    const s = server as ChildProcess | null;
    if (s && s.exitCode === null && s.pid !== undefined) {
      const exited = new Promise((r) => s.once('exit', r));
      process.kill(-s.pid, 'SIGTERM');
      await exited;
    }
    await bench.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
