import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PGliteDialect } from 'kysely';
import type { Database } from '../../schema/database';

// Same column conventions as connect-postgres.ts, so every query behaves alike on both.
const parsers = {
  1082: (x: string) => x,
  1700: (x: string) => Number(x),
  20: (x: string) => Number(x),
};

/** `dataDir` undefined keeps the database in memory (tests); otherwise a folder on disk. */
export async function createPgliteDb(dataDir?: string): Promise<{ db: Kysely<Database>; pglite: PGlite }> {
  // pg_trgm: typo-tolerant catalogue search (migration 2026-12-02-06 creates the extension).
  const pglite = await PGlite.create(dataDir, { parsers, extensions: { pg_trgm } });
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
  return { db, pglite };
}
