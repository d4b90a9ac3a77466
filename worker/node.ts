// Node entry: `npm start`. Embedded PGlite under DATA_DIR unless DATABASE_URL is set.
import { serve } from '@hono/node-server';
import { writeFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createApp } from './app';
import { packageUrl } from './codes/format';
import { signPackageCode } from './codes/sign';
import { ConfigError, nodeBaseUrls, nodeEnvSchema, parseConfig, type AppConfig } from './config';
import { migrateToLatest } from './db/migrate';
import { startDailyTimer } from './jobs/daily-timer';
import { buildNodeDeps, consoleLogger, loadNodeKeyRing, loadOrCreateSessionSecret, openNodeDatabase } from './node-runtime';
import { seedDemo, type DemoLogin } from './seed/seed';

async function main(): Promise<void> {
  const noSeedFlag = process.argv.includes('--no-seed');
  let env;
  try {
    env = parseConfig(nodeEnvSchema, process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const { local, publicBaseUrl } = nodeBaseUrls(env);
  const config: AppConfig = {
    publicBaseUrl,
    cacheTtlSeconds: env.CACHE_TTL_SECONDS,
    secureCookies: !/^http:\/\/(localhost|127\.0\.0\.1)/.test(publicBaseUrl),
    runtime: 'node',
    trustProxy: env.TRUST_PROXY,
    reportContactRetentionMonths: env.REPORT_CONTACT_RETENTION_MONTHS,
  };
  const dataDir = path.resolve(env.DATA_DIR);
  const database = await openNodeDatabase({ databaseUrl: env.DATABASE_URL, dataDir });
  const log = consoleLogger;
  log('info', `database: ${database.kind === 'postgres' ? 'Postgres (DATABASE_URL)' : `embedded PGlite in ${path.join(dataDir, 'pgdata')}`}`);

  // Wait for the database rather than crash: on-premises machines often start Postgres late.
  for (let attempt = 1; ; attempt++) {
    try {
      const applied = await migrateToLatest(database.db);
      if (applied.length > 0) log('info', `migrations applied: ${applied.join(', ')}`);
      break;
    } catch (error) {
      log('error', `database not ready (attempt ${attempt}): ${error instanceof Error ? error.message : String(error)}`);
      if (attempt >= 60) process.exit(1);
      await new Promise((r) => setTimeout(r, 2000));
    }
  }

  const keys = await loadNodeKeyRing(dataDir);
  const sessionSecret = await loadOrCreateSessionSecret(dataDir, env.SESSION_SECRET);
  const deps = await buildNodeDeps({ db: database.db, keys, config, sessionSecret, log });

  const loginsFile = path.join(dataDir, 'demo-logins.json');
  let logins: DemoLogin[] = [];
  if (env.SEED && !noSeedFlag) {
    const summary = await seedDemo(database.db, keys, deps.clock());
    if (summary.seeded) {
      // Kept beside the database (owner-only) so later starts can print them again.
      await writeFile(loginsFile, JSON.stringify(summary.logins, null, 2), { mode: 0o600 });
      log('info', 'demo data seeded');
    }
  }
  try {
    logins = JSON.parse(await readFile(loginsFile, 'utf8')) as DemoLogin[];
  } catch {
    logins = [];
  }

  const app = createApp(deps);
  const server = serve({ fetch: app.fetch, hostname: env.HOST, port: env.PORT }, async () => {
    const lines = [`OCOP Verify đang chạy / is running at ${local}`, `  ${local}/healthz`, `  ${local}/products`, `  ${local}/admin/login`];
    const demo = await database.db
      .selectFrom('package_batches as b')
      .innerJoin('certificates as c', 'c.id', 'b.certificate_id')
      .innerJoin('products as p', 'p.id', 'c.product_id')
      .select(['b.id', 'c.number', 'p.slug'])
      .where('c.status', '=', 'active')
      .orderBy('b.id')
      .executeTakeFirst();
    if (demo) {
      const code = await signPackageCode(keys, demo.id, 1);
      lines.push(`  Trang quét mẫu / demo scan page: ${packageUrl(local, code).replace(/^HTTP:\/\/([^/]+)\/V\//, `http://$1/v/`)}`);
      lines.push(`  Giấy chứng nhận / certificate: ${local}/c/${encodeURIComponent(demo.number)}`);
      lines.push(`  Sản phẩm / product: ${local}/p/${demo.slug}`);
    }
    if (logins.length > 0) {
      lines.push('Tài khoản demo / demo logins:');
      for (const l of logins) lines.push(`  ${l.role.padEnd(15)} ${l.email.padEnd(28)} ${l.password}`);
    }
    console.log(lines.join('\n'));
  });

  const stopTimer = startDailyTimer(deps, env.DAILY_JOB_HOUR);
  const shutdown = async () => {
    stopTimer();
    server.close();
    // Give in-flight work (batched scan writes) a moment, but never hang a shutdown on it.
    await Promise.race([database.close(), new Promise((r) => setTimeout(r, 3000))]);
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
