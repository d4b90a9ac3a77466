// Node-only building blocks shared by the server (node.ts), the CLI, tests and benchmarks.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../schema/database';
import type { AppDeps, DatabaseProvider, Logger } from './app-env';
import { KeyRing } from './codes/keyring';
import { loadOrCreateKeyFile } from './codes/keyfile-node';
import type { AppConfig } from './config';
import { createPgliteDb } from './db/connect-pglite';
import { ScanLog } from './db/scans';
import { buildDeps } from './deps';
import type { Metrics } from './observability/metrics';
import type { PoolState } from './observability/metrics-node';
import { createNodePostgres } from './db/connect-node-postgres';
import { syncSigningKeys } from './db/keys';
import { ownerOnlyFiles, secureDataDir } from './data-dir';
import type { MediaStore } from './media/store';
import { folderMediaStore } from './media/store-node';

/** Uploaded photos and documents of a Node install: DATA_DIR/media, whichever database is used. */
export function nodeMediaStore(dataDir: string): MediaStore {
  return folderMediaStore(path.join(dataDir, 'media'));
}

export { checkDataDirPrivate, dataDirProblemMessage, secureDataDir } from './data-dir';

export const consoleLogger: Logger = (level, message, fields) => {
  const line = fields ? `${message} ${JSON.stringify(fields)}` : message;
  if (level === 'error') console.error(`[${level}] ${line}`);
  else if (level === 'warn') console.warn(`[${level}] ${line}`);
  else console.log(`[${level}] ${line}`);
};

export interface NodeDatabase {
  db: Kysely<Database>;
  kind: 'pglite' | 'postgres';
  /** The connection pool on Postgres (for the pool gauges); none for PGlite. */
  pool?: PoolState;
  close(): Promise<void>;
}

/** Postgres when a URL is given, else embedded PGlite in `dataDir/pgdata` (or memory). */
export async function openNodeDatabase(opts: { databaseUrl?: string | undefined; dataDir?: string | undefined; log?: Logger }): Promise<NodeDatabase> {
  if (opts.databaseUrl) {
    const log = opts.log ?? consoleLogger;
    // The data folder still holds the private keys and the session secret: owner only.
    if (opts.dataDir) await secureDataDir(path.resolve(opts.dataDir));
    const { db, pool } = createNodePostgres(opts.databaseUrl, { max: 10, onIdleError: (error) => log('warn', 'database connection lost; the pool reconnects on demand', { error: error.message }) });
    return { db, kind: 'postgres', pool, close: () => db.destroy() };
  }
  let dir: string | undefined;
  if (opts.dataDir) {
    // PGlite writes its files with the mode the umask leaves (0666 under the usual 022):
    // owner-only from here on, and whatever an older version left is closed first.
    ownerOnlyFiles();
    await secureDataDir(path.resolve(opts.dataDir));
    dir = path.resolve(opts.dataDir, 'pgdata');
    await mkdir(dir, { recursive: true, mode: 0o700 });
  }
  const { db } = await createPgliteDb(dir);
  // PGlite sets its files' modes itself (0666), whatever the umask: close them again after
  // it created its folder, and after it stops (files it added while running).
  const dataDir = opts.dataDir ? path.resolve(opts.dataDir) : undefined;
  if (dataDir) await secureDataDir(dataDir);
  return {
    db,
    kind: 'pglite',
    async close() {
      await db.destroy();
      if (dataDir) await secureDataDir(dataDir);
    },
  };
}

/** SESSION_SECRET if set, else a random secret kept beside the database with owner-only permissions. */
export async function loadOrCreateSessionSecret(dataDir: string, fromEnv?: string): Promise<Uint8Array> {
  if (fromEnv) return new TextEncoder().encode(fromEnv);
  const file = path.resolve(dataDir, 'session-secret');
  try {
    const info = await stat(file);
    if ((info.mode & 0o077) !== 0) await chmod(file, 0o600);
    return new Uint8Array(Buffer.from((await readFile(file, 'utf8')).trim(), 'base64url'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(32);
  await writeFile(file, secret.toString('base64url'), { mode: 0o600 });
  return new Uint8Array(secret);
}

export async function loadNodeKeyRing(dataDir: string): Promise<KeyRing> {
  return KeyRing.fromJwkSet(await loadOrCreateKeyFile(dataDir));
}

export function sharedDatabase(db: Kysely<Database>): DatabaseProvider {
  return { open: () => db };
}

export interface NodeDepsInput {
  db: Kysely<Database>;
  keys: KeyRing;
  config: AppConfig;
  sessionSecret: Uint8Array;
  clock?: () => Date;
  log?: Logger;
  metrics?: Metrics;
  /** The media store (folderMediaStore(DATA_DIR/media) for `npm start`); memory when absent. */
  media?: MediaStore;
}

export async function buildNodeDeps(input: NodeDepsInput): Promise<AppDeps> {
  await syncSigningKeys(input.db, input.keys);
  const log = input.log ?? consoleLogger;
  return buildDeps({
    database: sharedDatabase(input.db),
    keys: input.keys,
    config: input.config,
    sessionSecret: input.sessionSecret,
    log,
    ...(input.clock ? { clock: input.clock } : {}),
    ...(input.metrics ? { metrics: input.metrics } : {}),
    ...(input.media ? { media: input.media } : {}),
    // One process, one pool: scan writes and history reads are batched across requests.
    scanLog: new ScanLog(input.db, input.config.cacheTtlSeconds * 1000),
    waitForKeyRefresh: true,
    waitUntil: (_c, work) => {
      work.catch((error: unknown) => log('error', 'background work failed', { error: String(error) }));
    },
  });
}
