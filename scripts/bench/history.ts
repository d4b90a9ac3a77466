/**
 * History benchmark (npm run bench:history, issue 14): the Node server on Postgres with
 * the demo data plus a batch of 1,000,000 packages and 10,000,000 scan rows (8 million on
 * that batch, 2 million on the demo batches), and their summaries. Measures:
 *   - GET /v/{code} over codes of the big batch for ≥ 70 s at 50 connections (so that
 *     cache refreshes happen during it): p50, p99, max;
 *   - the admin batch and product pages, the dashboard and the 6-month and annual reports;
 *   - the daily job's folding of the month of raw rows past the retention period (10 % of
 *     the rows: about 1 million);
 *   - bytes on disk per scan and per scanned package.
 * Budgets: scan p99 < 50 ms, no request > 250 ms, every admin page and report < 500 ms,
 * folding 1 M rows < 60 s.
 *
 * Options: --scans N (default 10,000,000), --duration S (default 75).
 * DATABASE_URL names a Postgres server (default postgres://postgres@127.0.0.1:5432/postgres);
 * the benchmark creates its own database ocop_bench_<random> there and drops it at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../schema/database';
import { signSession } from '../../admin/session';
import { signPackageCode } from '../../worker/codes/sign';
import { issueBatch } from '../../worker/db/batches';
import { rebuildScanSummaries } from '../../worker/db/scans';
import { addDays, addMonthsClamped, todayInVietnam, vietnamDayStart } from '../../worker/domain/dates';
import { runDailyJob } from '../../worker/jobs/daily';
import { autocannon, benchDatabase, freePort, option, waitFor } from './support';


const SERVER_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SCANS = option('scans', 10_000_000);
const DURATION = option('duration', 75);
const CONNECTIONS = 50;
const PACKAGES = 1_000_000;
const CODES = 100_000;
const RETENTION_MONTHS = 13;
/** Share of the rows older than the retention period: the month the daily job folds. */
const OLD_SHARE = 0.1;
const CHUNK = 500_000;

const fmt = (n: number, digits = 0) => n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;



/**
 * Raw scans in time order (as the scan page writes them): the first OLD_SHARE of the rows
 * in the month before the retention cutoff, the rest spread over the 13 months since.
 * Every fifth row is on a demo batch, the others on the big batch; serials spread over
 * the batch; a client hash per ~3 scans; a coarse place on half of them.
 */
async function seedScans(db: Kysely<Database>, bigBatch: number, demoBatches: number[], now: Date): Promise<void> {
  const cutoff = vietnamDayStart(addMonthsClamped(todayInVietnam(now), -RETENTION_MONTHS));
  const oldStart = new Date(cutoff.getTime() - 30 * 86_400_000);
  const oldRows = Math.round(SCANS * OLD_SHARE);
  const demo = sql`${demoBatches}::int[]`;
  const started = performance.now();
  for (let lo = 1; lo <= SCANS; lo += CHUNK) {
    const hi = Math.min(lo + CHUNK - 1, SCANS);
    await sql`
      insert into scans (batch_id, serial, scanned_at, place, client_hash, verdict)
      select
        case when g % 5 = 0 then (${demo})[1 + (g / 5) % cardinality(${demo})] else ${bigBatch} end,
        case when g % 5 = 0 then 1 + (g * 7919) % 100 else 1 + (g * 2654435761) % ${PACKAGES} end,
        case when g <= ${oldRows}
          then ${oldStart}::timestamptz + (g::float8 / ${oldRows}) * (${cutoff}::timestamptz - ${oldStart}::timestamptz)
          else ${cutoff}::timestamptz + ((g - ${oldRows})::float8 / ${SCANS - oldRows}) * (${now}::timestamptz - interval '1 hour' - ${cutoff}::timestamptz)
        end,
        case g % 4 when 0 then 'VN-Hà Nội' when 1 then 'VN-Đồng Nai' else null end,
        md5((g / 3)::text),
        'genuine'
      from generate_series(${lo}::bigint, ${hi}::bigint) as g`.execute(db);
    const done = hi;
    const elapsed = performance.now() - started;
    console.log(`  scans ${fmt(done)} / ${fmt(SCANS)}  (${seconds(elapsed)}, about ${seconds((elapsed / done) * (SCANS - done))} to go)`);
  }
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await work();
  return { ms: performance.now() - t, value };
}

async function relationBytes(db: Kysely<Database>, table: string): Promise<number> {
  const r = await sql<{ n: string }>`select pg_total_relation_size(${table}::regclass)::text as n`.execute(db);
  return Number(r.rows[0]!.n);
}

async function storage(db: Kysely<Database>): Promise<{ scans: number; rows: number; perScan: number; summaries: number; packages: number; perPackage: number; clients: number }> {
  await sql`vacuum analyze scans`.execute(db);
  const scans = await relationBytes(db, 'scans');
  const rows = Number((await sql<{ n: string }>`select count(*)::text as n from scans`.execute(db)).rows[0]!.n);
  let summaries = 0;
  for (const t of ['scan_packages', 'scan_package_places', 'scan_batches', 'scan_batch_places', 'scan_days']) summaries += await relationBytes(db, t);
  const clients = await relationBytes(db, 'scan_package_clients');
  const packages = Number((await sql<{ n: string }>`select count(*)::text as n from scan_packages`.execute(db)).rows[0]!.n);
  return { scans, rows, perScan: rows ? scans / rows : 0, summaries, packages, perPackage: packages ? summaries / packages : 0, clients };
}

async function main(): Promise<void> {
  const now = new Date();
  const bench = await benchDatabase(SERVER_URL, now, `; ${fmt(SCANS)} scans, ${DURATION} s run`);
  const { db, dataDir, ring } = bench;
  const dbUrl = new URL(bench.url);
  let server: ChildProcess | null = null;
  try {
    const today = todayInVietnam(now);
    const cert = await db
      .selectFrom('certificates').select(['id', 'product_id'])
      .where('status', '=', 'active').where('valid_until', '>', addDays(today, 60))
      .orderBy('id').executeTakeFirstOrThrow();
    const big = await issueBatch(db, { userId: null, label: 'bench' }, { certificateId: cert.id, lotCode: 'BENCH-1M', productionDate: today, bestBefore: null, quantity: PACKAGES }, ring, now);
    const demoBatches = (await db.selectFrom('package_batches').select('id').where('id', '<>', big.id).orderBy('id').execute()).map((b) => b.id);

    console.log(`seeding ${fmt(SCANS)} raw scans (progress every ${fmt(CHUNK)})`);
    const seeded = await timed(() => seedScans(db, big.id, demoBatches, now));
    console.log(`  done in ${seconds(seeded.ms)}; building their summaries as the scan writes would have`);
    const summarised = await timed(() => rebuildScanSummaries(db, [big.id, ...demoBatches], now));
    console.log(`  summaries in ${seconds(summarised.ms)}`);
    const before = await storage(db);
    await sql`analyze`.execute(db);

    let t = performance.now();
    // Codes spread over the whole batch: every tenth serial.
    const codes: string[] = [];
    const step = Math.floor(PACKAGES / CODES);
    for (let k = 0; k < CODES; k += 512) {
      const serials = Array.from({ length: Math.min(512, CODES - k) }, (_, j) => (k + j + 1) * step);
      codes.push(...(await Promise.all(serials.map((serial) => signPackageCode(ring, big.id, serial)))));
    }
    console.log(`signed ${fmt(codes.length)} codes of the 1M batch in ${seconds(performance.now() - t)}`);

    const sessionSecret = randomBytes(32).toString('base64url');
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    server = spawn(path.resolve('node_modules/.bin/tsx'), ['worker/node.ts'], {
      // The server's own daily timer runs shortly after start; with 120 months it folds
      // nothing, so that the folding below is measured on all of its rows.
      env: {
        ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: dbUrl.toString(), SEED: '0',
        CACHE_TTL_SECONDS: '30', SESSION_SECRET: sessionSecret, SCAN_RETENTION_MONTHS: '120',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await waitFor(`${base}/healthz`, server);
    console.log(`server pid ${server.pid} on ${base}\n`);

    const first = await timed(() => fetch(`${base}/v/${codes[0]}`).then((r) => r.text()));
    console.log(`first scan of the 1M batch (cold caches): ${first.ms.toFixed(1)} ms`);

    let i = 1;
    const run = await autocannon({
      url: base,
      connections: CONNECTIONS,
      duration: DURATION,
      requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/v/${codes[i++ % codes.length]}` }) }],
    });
    console.log(`GET /v/{code} over ${fmt(codes.length)} codes of the 1M batch, ${DURATION} s at ${CONNECTIONS} connections: ${fmt(run.requests.average)} req/s, p50 ${run.latency.p50} ms, p99 ${run.latency.p99} ms, max ${run.latency.max} ms, ${run.errors + run.timeouts} errors, ${run.non2xx} non-2xx`);

    // Admin pages as the province administrator: each timed cold, then the best of two more.
    const user = await db.selectFrom('users').select(['id', 'session_version']).where('email', '=', 'admin@ocop.demo').executeTakeFirstOrThrow();
    const token = await signSession(new TextEncoder().encode(sessionSecret), { userId: user.id, version: user.session_version, authTime: Math.floor(Date.now() / 1000) }, new Date());
    const cookie = `ocop_admin=${token}`;
    const year = today.slice(0, 4);
    const half = today.slice(5, 7) <= '06' ? 'H1' : 'H2';
    const pages: [string, string][] = [
      ['batch page (1M packages, 8M scans)', `/admin/batches/${big.id}`],
      ['product page', `/admin/products/${cert.product_id}`],
      ['certificate page', `/admin/certificates/${cert.id}`],
      ['batch list', '/admin/batches'],
      ['dashboard', '/admin'],
      ['6-month report', `/admin/reports?period=${year}-${half}`],
      ['annual report', `/admin/reports?period=${year}`],
      ['previous annual report', `/admin/reports?period=${Number(year) - 1}`],
    ];
    const pageTimes: { name: string; cold: number; warm: number; status: number }[] = [];
    for (const [name, href] of pages) {
      const times: number[] = [];
      let status = 0;
      for (let k = 0; k < 3; k++) {
        const r = await timed(async () => {
          const res = await fetch(`${base}${href}`, { headers: { cookie } });
          await res.text();
          return res.status;
        });
        status = r.value;
        times.push(r.ms);
      }
      pageTimes.push({ name, cold: times[0]!, warm: Math.min(times[1]!, times[2]!), status });
    }

    const fold = await timed(() => runDailyJob(db, new Date(), { scanRetentionMonths: RETENTION_MONTHS }));
    const after = await storage(db);

    console.log('\nstorage');
    console.log(`  raw scans before folding: ${fmt(before.rows)} rows, ${fmt(before.scans / 1048576, 1)} MB with indexes = ${fmt(before.perScan, 1)} bytes per scan`);
    console.log(`  summaries: ${fmt(before.summaries / 1048576, 1)} MB for ${fmt(before.packages)} scanned packages = ${fmt(before.perPackage, 1)} bytes per package; per-day client keys ${fmt(before.clients / 1048576, 1)} MB (last 3 days only)`);
    console.log(`  after folding: ${fmt(after.rows)} raw rows, ${fmt(after.scans / 1048576, 1)} MB (space reused by new scans; VACUUM FULL would return it)`);
    console.log('\nadmin pages and reports (cold / best warm)');
    for (const p of pageTimes) console.log(`  ${p.name.padEnd(40)} ${p.cold.toFixed(0).padStart(6)} ms ${p.warm.toFixed(0).padStart(6)} ms  HTTP ${p.status}`);
    console.log(`\ndaily job folding ${fmt(fold.value.retention.deletedScans)} raw rows older than ${fold.value.retention.cutoff.toISOString()}: ${seconds(fold.ms)}`);

    const worstPage = Math.max(...pageTimes.map((p) => p.cold));
    const budgets: [string, boolean, string][] = [
      ['scan p99 < 50 ms', run.latency.p99 < 50, `${run.latency.p99} ms`],
      ['no scan request > 250 ms', run.latency.max <= 250, `${run.latency.max} ms`],
      ['no errors, all 2xx', run.errors + run.timeouts === 0 && run.non2xx === 0, `${run.errors + run.timeouts}/${run.non2xx}`],
      ['every admin page / report < 500 ms', worstPage < 500 && pageTimes.every((p) => p.status === 200), `${worstPage.toFixed(0)} ms`],
      [`folding ${fmt(fold.value.retention.deletedScans)} rows < 60 s`, fold.ms < 60_000, seconds(fold.ms)],
    ];
    console.log('\nbudget'.padEnd(42), 'measured'.padStart(10), ' result');
    for (const [name, ok, measured] of budgets) console.log(name.padEnd(41), measured.padStart(10), ok ? ' ok' : ' MISSED');
    process.exitCode = budgets.every(([, ok]) => ok) ? 0 : 1;
  } finally {
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server!.once('exit', r));
    }
    await bench.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
