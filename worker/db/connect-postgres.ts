import { Kysely } from 'kysely';
import { PostgresJSDialect } from 'kysely-postgres-js';
import postgres from 'postgres';
import type { Database } from '../../schema/database';

export interface PostgresOptions {
  /** Connections in the pool: 1 per request on Workers, a small pool on Node. */
  max?: number;
  /** postgres.js prepares statements by default; Hyperdrive and poolers in transaction mode need `false`. */
  prepare?: boolean;
  connectTimeoutSeconds?: number;
}

// Dates stay 'YYYY-MM-DD' strings: a JS Date would shift them by the server's time zone.
// numeric and bigint become numbers: scores, areas and counts are well inside 2^53.
const types = {
  dateAsText: { to: 1082, from: [1082], serialize: (x: string) => x, parse: (x: string) => x },
  numericAsNumber: { to: 1700, from: [1700], serialize: (x: number) => String(x), parse: (x: string) => Number(x) },
  bigintAsNumber: { to: 20, from: [20], serialize: (x: number) => String(x), parse: (x: string) => Number(x) },
};

export function createPostgresDb(url: string, options: PostgresOptions = {}): Kysely<Database> {
  const client = postgres(url, {
    max: options.max ?? 10,
    prepare: options.prepare ?? true,
    connect_timeout: options.connectTimeoutSeconds ?? 5,
    idle_timeout: 30,
    onnotice: () => {},
    types,
  });
  return new Kysely<Database>({ dialect: new PostgresJSDialect({ postgres: client }) });
}
