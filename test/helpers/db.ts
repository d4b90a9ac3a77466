import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../schema/database';
import { createPgliteDb } from '../../worker/db/connect-pglite';
import { createNodePostgresDb } from '../../worker/db/connect-node-postgres';
import { migrateToLatest } from '../../worker/db/migrate';

export interface TestDatabase {
  db: Kysely<Database>;
  kind: 'pglite' | 'postgres';
  /** The connection string of this test's own database (Postgres only). */
  url: string | null;
  close(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default, or a new
 * database created on the Postgres server named by TEST_DATABASE_URL (scripts/test.ts
 * sets it) and dropped afterwards, so no test depends on state left behind.
 */
export async function openTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const { db } = await createPgliteDb();
    await migrateToLatest(db);
    return { db, kind: 'pglite', url: null, close: () => db.destroy() };
  }
  const name = `ocop_t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = createNodePostgresDb(serverUrl, { max: 1 });
  await sql.raw(`create database ${name}`).execute(admin);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = createNodePostgresDb(url.toString(), { max: 5 });
  await migrateToLatest(db);
  return {
    db,
    kind: 'postgres',
    url: url.toString(),
    async close() {
      await db.destroy();
      await sql.raw(`drop database if exists ${name} with (force)`).execute(admin);
      await admin.destroy();
    },
  };
}
