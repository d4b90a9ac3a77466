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
  const { db, url, drop } = await createPostgresDatabase(serverUrl, 'ocop_t', 5);
  await migrateToLatest(db);
  return {
    db,
    kind: 'postgres',
    url,
    async close() {
      await db.destroy();
      await drop();
    },
  };
}

/**
 * A new, empty database on the Postgres server at `serverUrl`, named `<prefix>_<time>_<random>`
 * so parallel runs never meet; `drop` removes it (close `db` first).
 */
export async function createPostgresDatabase(serverUrl: string, prefix: string, max: number): Promise<{ db: Kysely<Database>; url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = createNodePostgresDb(serverUrl, { max: 1 });
  await sql.raw(`create database ${name}`).execute(admin);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    db: createNodePostgresDb(url.toString(), { max }),
    url: url.toString(),
    async drop() {
      await sql.raw(`drop database if exists ${name} with (force)`).execute(admin);
      await admin.destroy();
    },
  };
}
