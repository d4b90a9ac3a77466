// Node entry: `npm start`. Embedded PGlite under DATA_DIR unless DATABASE_URL is set.
//
// Demo mode (the default) seeds demo data into an empty database and prints one login per
// role. Production mode (`NODE_ENV=production` or `--production`) never seeds or prints a
// password and refuses insecure settings (worker/production.ts).
//
// On Postgres the primary process migrates, seeds and runs the daily job, then forks
// WEB_CONCURRENCY worker processes (default: one per core) that share the port; each
// hears database changes through LISTEN/NOTIFY so a revocation made anywhere shows at once.
// PGlite is an in-process database, so it stays one process.
import cluster from 'node:cluster';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { serve } from '@hono/node-server';
import client from 'prom-client';
import { createApp } from './app';
import type { AppDeps, Logger } from './app-env';
import { packageUrl } from './codes/format';
import type { KeyRing } from './codes/keyring';
import { signPackageCodeWith } from './codes/sign';
import { ConfigError, nodeBaseUrls, nodeEnvSchema, parseConfig, type AppConfig, type NodeEnv } from './config';
import { applyChange, listenForChanges, type ChangeFeed } from './db/change-feed';
import { migrateToLatest } from './db/migrate';
import { startDailyTimer } from './jobs/daily-timer';
import { buildNodeDeps, loadNodeKeyRing, loadOrCreateSessionSecret, nodeMediaStore, openNodeDatabase, type NodeDatabase } from './node-runtime';
import { createJsonLogger } from './observability/log-node';
import { createNodeMetrics, type NodeMetrics } from './observability/metrics-node';
import { checkNoDemoAccounts, checkProductionSettings, isProduction, ProductionRefusal } from './production';
import { seedDemo, type DemoLogin } from './seed/seed';
import { loadScannerAssets, SCANNER_BUILD_HINT, withScannerAssets } from './scanner/node-assets';

const log: Logger = createJsonLogger();

function fail(message: string, code: number): never {
  console.error(message);
  process.exit(code);
}

function readEnv(): NodeEnv {
  try {
    return parseConfig(nodeEnvSchema, process.env);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message, 2);
    throw error;
  }
}

function appConfig(env: NodeEnv): AppConfig {
  const { publicBaseUrl } = nodeBaseUrls(env);
  return {
    publicBaseUrl,
    cacheTtlSeconds: env.CACHE_TTL_SECONDS,
    secureCookies: !/^http:\/\/(localhost|127\.0\.0\.1)/.test(publicBaseUrl),
    runtime: 'node',
    trustProxy: env.TRUST_PROXY,
    scanRetentionMonths: env.SCAN_RETENTION_MONTHS,
    reportContactRetentionMonths: env.REPORT_CONTACT_RETENTION_MONTHS,
    reportHotline: env.REPORT_HOTLINE,
  };
}

/** Waits for the database rather than crash: on-premises machines often start Postgres late. */
async function migrateWhenReady(database: NodeDatabase): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      const applied = await migrateToLatest(database.db);
      if (applied.length > 0) log('info', `migrations applied: ${applied.join(', ')}`);
      return;
    } catch (error) {
      log('error', `database not ready (attempt ${attempt}): ${error instanceof Error ? error.message : String(error)}`);
      if (attempt >= 60) process.exit(1);
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
}

/** The serving half, in the single process or in each worker process. */
async function serveApp(env: NodeEnv, database: NodeDatabase, keys: KeyRing, metrics: NodeMetrics, onListening: () => void): Promise<{ deps: AppDeps; server: ReturnType<typeof serve>; feed: ChangeFeed | null }> {
  const dataDir = path.resolve(env.DATA_DIR);
  const sessionSecret = await loadOrCreateSessionSecret(dataDir, env.SESSION_SECRET);
  const deps = await buildNodeDeps({ db: database.db, keys, config: appConfig(env), sessionSecret, log, metrics: metrics.metrics, media: nodeMediaStore(dataDir) });
  let feed: ChangeFeed | null = null;
  if (database.kind === 'postgres' && env.DATABASE_URL) {
    feed = listenForChanges(env.DATABASE_URL, (table) => applyChange(table, { invalidateStates: () => deps.cache.invalidate(), refreshKeys: () => void deps.keyStatus.refresh(database.db) }), log);
    await feed.ready;
  }
  const app = createApp(deps);
  const scannerAssets = await loadScannerAssets();
  if (!scannerAssets) log('warn', SCANNER_BUILD_HINT);
  const server = serve({ fetch: withScannerAssets(app.fetch, scannerAssets), hostname: env.HOST, port: env.PORT }, onListening);
  return { deps, server, feed };
}

/** Prometheus text on its own listener (METRICS_HOST:METRICS_PORT, loopback by default), never the public port. */
function serveMetrics(env: NodeEnv, text: () => Promise<string>, contentType: string): Server | null {
  if (env.METRICS_PORT === 0) return null;
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    text().then(
      (body) => res.writeHead(200, { 'content-type': contentType }).end(body),
      (error: unknown) => {
        log('error', 'metrics collection failed', { error: String(error) });
        res.writeHead(500).end();
      },
    );
  });
  server.on('error', (error) => log('warn', `metrics listener not started on ${env.METRICS_HOST}:${env.METRICS_PORT}`, { error: error.message }));
  server.listen(env.METRICS_PORT, env.METRICS_HOST, () => log('info', `metrics on http://${env.METRICS_HOST}:${env.METRICS_PORT}/metrics`));
  return server;
}

async function banner(env: NodeEnv, database: NodeDatabase, keys: KeyRing, logins: DemoLogin[], production: boolean, processes: number): Promise<void> {
  const { local } = nodeBaseUrls(env);
  const lines = [
    `OCOP Verify đang chạy / is running at ${local}`,
    production
      ? `  Chế độ production / production mode: ${processes} tiến trình / process(es)`
      : `  CHẾ ĐỘ DEMO / DEMO MODE (${processes} tiến trình / process(es)): dữ liệu và tài khoản demo, không dùng cho triển khai thật / demo data and logins, not for a deployment (NODE_ENV=production)`,
    `  ${local}/healthz`,
    `  ${local}/products`,
    `  ${local}/admin/login`,
  ];
  if (!production) {
    const demo = await database.db
      .selectFrom('package_batches as b')
      .innerJoin('certificates as c', 'c.id', 'b.certificate_id')
      .innerJoin('products as p', 'p.id', 'c.product_id')
      .select(['b.id', 'b.key_number', 'c.number', 'p.slug'])
      .where('c.status', '=', 'active')
      .orderBy('b.id')
      .executeTakeFirst();
    // Signed with the batch's own key, as its printed labels are: after a rotation the
    // newest key would give a code the service itself calls unknown.
    const key = demo ? keys.get(demo.key_number) : undefined;
    if (demo && key?.privateKey && key.status !== 'withdrawn') {
      const code = await signPackageCodeWith(key, demo.id, 1);
      lines.push(`  Trang quét mẫu / demo scan page: ${packageUrl(local, code).replace(/^HTTP:\/\/([^/]+)\/V\//, `http://$1/v/`)}`);
      lines.push(`  Giấy chứng nhận / certificate: ${local}/c/${encodeURIComponent(demo.number)}`);
      lines.push(`  Sản phẩm / product: ${local}/p/${demo.slug}`);
    }
    if (logins.length > 0) {
      lines.push('Tài khoản demo / demo logins:');
      for (const l of logins) lines.push(`  ${l.role.padEnd(15)} ${l.email.padEnd(28)} ${l.password}`);
    }
  }
  console.log(lines.join('\n'));
}

async function primary(): Promise<void> {
  const production = isProduction(process.env, process.argv);
  const env = readEnv();
  const dataDir = path.resolve(env.DATA_DIR);
  if (production) {
    try {
      await checkProductionSettings({ publicBaseUrl: env.PUBLIC_BASE_URL, seedRequested: (process.env.SEED ?? '') !== '' && env.SEED, dataDir });
    } catch (error) {
      if (error instanceof ProductionRefusal) fail(error.message, 2);
      throw error;
    }
  }

  const database = await openNodeDatabase({ databaseUrl: env.DATABASE_URL, dataDir, log });
  log('info', `database: ${database.kind === 'postgres' ? 'Postgres (DATABASE_URL)' : `embedded PGlite in ${path.join(dataDir, 'pgdata')}`}`);
  await migrateWhenReady(database);

  const keys = await loadNodeKeyRing(dataDir);
  const loginsFile = path.join(dataDir, 'demo-logins.json');
  let logins: DemoLogin[] = [];
  if (production) {
    try {
      await checkNoDemoAccounts(database.db);
    } catch (error) {
      if (error instanceof ProductionRefusal) fail(error.message, 2);
      throw error;
    }
  } else {
    if (env.SEED && !process.argv.includes('--no-seed')) {
      const summary = await seedDemo(database.db, keys, new Date(), { media: nodeMediaStore(dataDir) });
      if (summary.seeded) {
        // Kept beside the database (owner-only) so later demo starts can print them again.
        await writeFile(loginsFile, JSON.stringify(summary.logins, null, 2), { mode: 0o600 });
        log('info', 'demo data seeded');
      }
    }
    try {
      logins = JSON.parse(await readFile(loginsFile, 'utf8')) as DemoLogin[];
    } catch {
      logins = [];
    }
  }

  const processes = database.kind === 'pglite' ? 1 : (env.WEB_CONCURRENCY ?? availableParallelism());
  if (processes === 1) {
    const metrics = createNodeMetrics(database.pool);
    const { deps, server, feed } = await serveApp(env, database, keys, metrics, () => void banner(env, database, keys, logins, production, 1));
    const metricsServer = serveMetrics(env, () => metrics.registry.metrics(), metrics.registry.contentType);
    const stopTimer = startDailyTimer(deps, env.DAILY_JOB_HOUR);
    onShutdown(async () => {
      stopTimer();
      metricsServer?.close();
      server.close();
      await feed?.stop();
      await database.close();
    });
    return;
  }

  // Several processes: this one keeps the daily job, the metrics listener and the banner.
  const metrics = createNodeMetrics(undefined, 'primary');
  const deps = await buildNodeDeps({ db: database.db, keys, config: appConfig(env), sessionSecret: await loadOrCreateSessionSecret(dataDir, env.SESSION_SECRET), log, metrics: metrics.metrics, media: nodeMediaStore(dataDir) });
  const aggregator = new client.AggregatorRegistry();
  const metricsServer = serveMetrics(
    env,
    async () => `${await metrics.registry.metrics()}\n${await aggregator.clusterMetrics()}`,
    metrics.registry.contentType,
  );
  let listening = 0;
  let stopping = false;
  cluster.on('listening', () => {
    listening += 1;
    if (listening === processes) void banner(env, database, keys, logins, production, processes);
  });
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    log('error', 'worker process exited; starting another', { pid: worker.process.pid, code, signal });
    cluster.fork();
  });
  for (let i = 0; i < processes; i++) cluster.fork();
  const stopTimer = startDailyTimer(deps, env.DAILY_JOB_HOUR);
  onShutdown(async () => {
    stopping = true;
    stopTimer();
    metricsServer?.close();
    await Promise.all(
      Object.values(cluster.workers ?? {}).map(
        (w) =>
          new Promise<void>((resolve) => {
            if (!w || w.isDead()) return resolve();
            w.once('exit', () => resolve());
            w.process.kill('SIGTERM');
          }),
      ),
    );
    await database.close();
  });
}

async function worker(): Promise<void> {
  const env = readEnv();
  const dataDir = path.resolve(env.DATA_DIR);
  const database = await openNodeDatabase({ databaseUrl: env.DATABASE_URL, dataDir, log });
  const keys = await loadNodeKeyRing(dataDir);
  const metrics = createNodeMetrics(database.pool, 'worker');
  // Answer the primary's requests for this process's metrics (prom-client adds the
  // listener when an AggregatorRegistry is made).
  new client.AggregatorRegistry();
  client.AggregatorRegistry.setRegistries(metrics.registry);
  const { server, feed } = await serveApp(env, database, keys, metrics, () => undefined);
  onShutdown(async () => {
    server.close();
    await feed?.stop();
    await database.close();
  });
}

/** SIGINT/SIGTERM: stop accepting, give in-flight work (batched scan writes) 3 s at most, exit. */
function onShutdown(work: () => Promise<void>): void {
  let once = false;
  const stop = () => {
    if (once) return;
    once = true;
    void Promise.race([work(), new Promise((r) => setTimeout(r, 3000))]).finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

(cluster.isPrimary ? primary() : worker()).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
