import type { Context } from 'hono';
import type { Kysely } from 'kysely';
import type { Database } from '../schema/database';
import type { KeyRing } from './codes/keyring';
import type { AppConfig } from './config';
import type { PackageStateCache } from './db/batches';
import type { Metrics } from './observability/metrics';
import type { ScanService } from './public/scan-service';
import type { KeyStatusService } from './services/key-status';
import type { MediaService } from './media/service';

export interface DatabaseProvider {
  /** The database for one request: on Workers a new client each time, which the runtime closes. */
  open(): Kysely<Database>;
}

export type LogLevel = 'info' | 'warn' | 'error';
export type Logger = (level: LogLevel, message: string, fields?: Record<string, unknown>) => void;

/**
 * What the app factory receives, built once per app by `buildDeps` (worker/deps.ts) from
 * what each runtime supplies: the database, keys, clock, configuration and the small
 * runtime-specific parts. The named services are created there, once.
 */
export interface AppDeps {
  database: DatabaseProvider;
  keys: KeyRing;
  clock: () => Date;
  config: AppConfig;
  /** HMAC key for admin session tokens (from a secret; generated per data folder on Node). */
  sessionSecret: Uint8Array;
  log: Logger;
  /** Keeps background work alive after the response: `waitUntil` on Workers. */
  waitUntil: (c: Context, work: Promise<unknown>) => void;
  metrics: Metrics;
  /** Package states by batch, bounded by the TTL (and cleared at once on Node by NOTIFY). */
  cache: PackageStateCache;
  /** Key statuses and keys made elsewhere, re-read within the TTL. */
  keyStatus: KeyStatusService;
  /** The scan path: signature check, state, history, scan log. */
  scans: ScanService;
  /** Photos and documents: the media store and the main-photo cache. */
  media: MediaService;
}

export interface AppVariables {
  db: Kysely<Database>;
  /** The whole bundle, for the few helpers that take several services at once. */
  deps: AppDeps;
  // The named services and settings handlers use, one context variable each.
  clock: () => Date;
  config: AppConfig;
  keys: KeyRing;
  keyStatus: KeyStatusService;
  cache: PackageStateCache;
  scans: ScanService;
  media: MediaService;
  log: Logger;
  /** Run work after the response is sent (scan logging, cache refresh). */
  defer: (task: () => Promise<unknown>) => void;
}

export type AppEnv = { Variables: AppVariables };
