// Postgres on Node (server, CLI, tests, benchmarks) through node-postgres (`pg`) and Kysely's
// own PostgresDialect. Workers keep postgres.js (connect-postgres.ts).
//
// Why not postgres.js on Node too: when Postgres restarts or a backend is terminated while
// writes are in flight, postgres.js 3.4 throws `TypeError: Cannot read properties of null
// (reading 'write')` from a setImmediate callback (porsager/postgres #1154, #1066, #1208; the
// fix PRs are unmerged), outside any promise, which kills the process. pg reports the same
// faults as rejected queries and as 'error' events on the pool, which we handle, so a fault
// costs the requests in flight (answered 503) and nothing else.
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '../../schema/database';

export interface NodePostgresOptions {
  /** Connections in the pool. */
  max?: number;
  /** How long a query waits for a free connection (full pool) or a new one (server down). */
  connectTimeoutMs?: number;
  /** Told about connections that fail outside a query (a restart, pg_terminate_backend). */
  onIdleError?: (error: Error) => void;
  /** Application name shown in pg_stat_activity (the fault test finds our connections by it). */
  applicationName?: string;
}

// The same value shapes as the postgres.js setup: dates stay 'YYYY-MM-DD' strings (a JS Date
// would shift them by the server's time zone); numeric and bigint become numbers (scores,
// areas and counts are well inside 2^53).
const DATE = 1082;
const NUMERIC = 1700;
const INT8 = 20;
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === DATE) return (value: string) => value;
    if (oid === NUMERIC || oid === INT8) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

export interface NodePostgres {
  db: Kysely<Database>;
  pool: pg.Pool;
}

export function createNodePostgres(url: string, options: NodePostgresOptions = {}): NodePostgres {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    idleTimeoutMillis: 30_000,
    application_name: options.applicationName ?? 'ocop-verify',
    types,
  });
  // A connection that dies while idle in the pool is reported here; without a listener Node
  // would treat the event as an uncaught error. The pool has already dropped the client.
  pool.on('error', (error) => options.onIdleError?.(error));
  // A connection that dies while checked out (between a transaction's statements, or after a
  // query and before release) emits 'error' on the client itself, where pg's pool has no
  // listener: without this one a FATAL "terminating connection" from a restart kills the
  // process. The query in flight, if any, is rejected by pg and answered 503 by the app.
  pool.on('connect', (client) => {
    client.on('error', (error) => options.onIdleError?.(error));
  });
  return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), pool };
}

export function createNodePostgresDb(url: string, options: NodePostgresOptions = {}): Kysely<Database> {
  return createNodePostgres(url, options).db;
}
