// Workers entry (wrangler.toml `main`): fetch + the daily cron.
import type { Hyperdrive, ExecutionContext as CfExecutionContext, R2Bucket, ScheduledController } from '@cloudflare/workers-types';
import type { ExecutionContext, Hono } from 'hono';
import { createApp } from './app';
import type { AppDeps, AppEnv, DatabaseProvider, Logger } from './app-env';
import { KeyRing } from './codes/keyring';
import { parseConfig, workerEnvSchema } from './config';
import { createPostgresDb } from './db/connect-postgres';
import { syncSigningKeys } from './db/keys';
import { ScanLog } from './db/scans';
import { buildDeps } from './deps';
import { runDailyJob } from './jobs/daily';
import { memoryMediaStore, r2MediaStore, type R2BucketLike } from './media/store';

export interface WorkerBindings {
  HYPERDRIVE?: Hyperdrive;
  /** Local runs and tests: a plain connection string instead of Hyperdrive. */
  DATABASE_URL?: string;
  PUBLIC_BASE_URL: string;
  SIGNING_KEYS: string;
  SESSION_SECRET: string;
  CACHE_TTL_SECONDS?: string;
  SCAN_RETENTION_MONTHS?: string;
  REPORT_CONTACT_RETENTION_MONTHS?: string;
  REPORT_HOTLINE?: string;
  /** Uploaded photos and decision scans (R2). Without it uploads live only as long as the isolate. */
  MEDIA?: R2Bucket;
}

function connectionString(env: WorkerBindings): string {
  // DATABASE_URL is for local runs and tests only; a deployment leaves it unset and uses Hyperdrive.
  const url = env.DATABASE_URL ?? env.HYPERDRIVE?.connectionString;
  if (!url) throw new Error('Cấu hình sai / invalid configuration: HYPERDRIVE binding or DATABASE_URL is required');
  return url;
}

/** One JSON object per line: Workers Logs and `wrangler tail` keep console output. */
const workersLogger: Logger = (level, message, fields) => console[level === 'info' ? 'log' : level](JSON.stringify({ level, message, ...fields }));

// One client per request: Workers may not share I/O objects across requests. It is not
// ended explicitly: the runtime closes a request's sockets when the invocation (including
// waitUntil work) finishes, while postgres.js's sql.end() on workerd leaves an unhandled
// "Stream was cancelled" rejection on every call (porsager/postgres#1202) and has hung
// (#1097); Cloudflare's Hyperdrive examples dropped sql.end() for the same reason.
function perRequestDatabase(env: WorkerBindings): DatabaseProvider {
  return {
    open: () => createPostgresDb(connectionString(env), { max: 1 }),
  };
}

interface Isolate {
  app: Hono<AppEnv>;
  deps: AppDeps;
}
let isolate: Promise<Isolate> | null = null;

async function buildIsolate(env: WorkerBindings): Promise<Isolate> {
  const cfg = parseConfig(workerEnvSchema, env as unknown as Record<string, unknown>);
  let keySet: unknown;
  try {
    keySet = JSON.parse(cfg.SIGNING_KEYS);
  } catch {
    throw new Error('Cấu hình sai / invalid configuration: SIGNING_KEYS is not JSON');
  }
  const keys = await KeyRing.fromJwkSet(keySet as Parameters<typeof KeyRing.fromJwkSet>[0]);
  const database = perRequestDatabase(env);
  const deps = buildDeps({
    database,
    keys,
    config: {
      publicBaseUrl: cfg.PUBLIC_BASE_URL,
      cacheTtlSeconds: cfg.CACHE_TTL_SECONDS,
      secureCookies: true,
      runtime: 'workers',
      scanRetentionMonths: cfg.SCAN_RETENTION_MONTHS,
      reportContactRetentionMonths: cfg.REPORT_CONTACT_RETENTION_MONTHS,
      reportHotline: cfg.REPORT_HOTLINE,
    },
    // Each request has its own database client here: no background refreshes across requests.
    sharedCache: false,
    sessionSecret: new TextEncoder().encode(cfg.SESSION_SECRET),
    log: workersLogger,
    waitUntil: (c, work) => c.executionCtx.waitUntil(work),
    // Each request has its own client: scans go straight to the database of the request,
    // and a stale key-status read is started without holding the request (waitUntil).
    scanLog: new ScanLog(null, cfg.CACHE_TTL_SECONDS * 1000),
    waitForKeyRefresh: false,
    media: env.MEDIA ? r2MediaStore(env.MEDIA as unknown as R2BucketLike) : memoryMediaStore(),
  });
  await syncSigningKeys(database.open(), keys);
  if (!env.MEDIA) workersLogger('warn', 'no MEDIA binding (R2): uploaded photos and decision scans are kept only in this isolate’s memory');
  return { app: createApp(deps), deps };
}

async function getIsolate(env: WorkerBindings): Promise<Isolate> {
  isolate ??= buildIsolate(env).catch((error: unknown) => {
    isolate = null; // retry on the next request instead of failing forever
    throw error;
  });
  return isolate;
}

export default {
  async fetch(request: Request, env: WorkerBindings, ctx: CfExecutionContext): Promise<Response> {
    let current: Isolate;
    try {
      current = await getIsolate(env);
    } catch (error) {
      console.error(JSON.stringify({ level: 'error', message: 'startup failed', error: error instanceof Error ? error.message : String(error) }));
      return new Response(JSON.stringify({ status: 'unavailable', reason: 'startup failed (database or configuration)' }), { status: 503, headers: { 'content-type': 'application/json' } });
    }
    return current.app.fetch(request, env, ctx as unknown as ExecutionContext);
  },

  async scheduled(_controller: ScheduledController, env: WorkerBindings, ctx: CfExecutionContext): Promise<void> {
    const cfg = parseConfig(workerEnvSchema, env as unknown as Record<string, unknown>);
    const db = createPostgresDb(connectionString(env), { max: 1 });
    ctx.waitUntil(
      runDailyJob(db, new Date(), { scanRetentionMonths: cfg.SCAN_RETENTION_MONTHS, reportContactRetentionMonths: cfg.REPORT_CONTACT_RETENTION_MONTHS })
        .then((r) => console.log(JSON.stringify({
          level: 'info', message: 'daily job', expiredRecorded: r.expiredRecorded, expiringSoon: r.expiringSoon.length,
          scansDeleted: r.retention.deletedScans, scansCutoff: r.retention.cutoff.toISOString(),
          contactsErased: r.contactsErased, throttleRowsPruned: r.throttleRowsPruned,
        }))),
    );
  },
};
