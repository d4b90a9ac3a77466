import type { Context } from 'hono';
import type { Kysely } from 'kysely';
import type { Database } from '../schema/database';
import type { KeyRing } from './codes/keyring';
import type { AppConfig } from './config';
import type { PackageStateCache } from './db/batches';

export interface DatabaseProvider {
  /** The database for one request: on Workers a new client each time, which the runtime closes. */
  open(): Kysely<Database>;
}

export type LogLevel = 'info' | 'warn' | 'error';
export type Logger = (level: LogLevel, message: string, fields?: Record<string, unknown>) => void;

/** What every runtime (Workers, Node, tests) hands to the app factory. */
export interface AppDeps {
  database: DatabaseProvider;
  keys: KeyRing;
  clock: () => Date;
  cache: PackageStateCache;
  config: AppConfig;
  /** HMAC key for admin session tokens (from a secret; generated per data folder on Node). */
  sessionSecret: Uint8Array;
  log: Logger;
  /** Keeps background work alive after the response: `waitUntil` on Workers. */
  waitUntil: (c: Context, work: Promise<unknown>) => void;
}

export interface AppVariables {
  db: Kysely<Database>;
  deps: AppDeps;
  /** Run work after the response is sent (scan logging, cache refresh). */
  defer: (task: () => Promise<unknown>) => void;
}

export type AppEnv = { Variables: AppVariables };
