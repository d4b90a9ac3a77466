import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../schema/database';
import { rolesSql } from '../../schema/roles';
import { createPgliteDb } from '../../worker/db/connect-pglite';
import { createNodePostgresDb } from '../../worker/db/connect-node-postgres';
import { migrateToLatest } from '../../worker/db/migrate';

export interface TestDatabase {
  db: Kysely<Database>;
  kind: 'pglite' | 'postgres';
  /** The connection string the app uses on this test's own database: the runtime role (Postgres only). */
  url: string | null;
  /** The same database as its owner, the role migrations run as (Postgres only). */
  ownerUrl: string | null;
  /** The runtime role's name (Postgres only). */
  runtimeRole: string | null;
  close(): Promise<void>;
}

function withUser(serverUrl: string, database: string, user: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  url.username = user;
  // Trust or peer authentication on the test server: a role of a test database has no password.
  url.password = '';
  return url.toString();
}

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default, or a new
 * database created on the Postgres server named by TEST_DATABASE_URL (scripts/test.ts
 * sets it) and dropped afterwards, so no test depends on state left behind.
 *
 * On Postgres the database is set up as the README's Security section says: two roles of
 * its own (`<db>_owner` owns the schema and runs the migrations, `<db>_app` gets rows
 * only, schema/roles.ts), and the app and the tests talk to it as the runtime role.
 */
export async function openTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const { db } = await createPgliteDb();
    await migrateToLatest(db);
    return { db, kind: 'pglite', url: null, ownerUrl: null, runtimeRole: null, close: () => db.destroy() };
  }
  const name = `ocop_t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const names = { database: name, owner: `${name}_owner`, runtime: `${name}_app` };
  const admin = createNodePostgresDb(serverUrl, { max: 1 });
  const [createOwner, createRuntime] = rolesSql(names);
  await sql.raw(createOwner!).execute(admin);
  await sql.raw(createRuntime!).execute(admin);
  await sql.raw(`create database ${name} owner ${names.owner}`).execute(admin);
  const ownerUrl = withUser(serverUrl, name, names.owner);
  const owner = createNodePostgresDb(ownerUrl, { max: 1 });
  try {
    await migrateToLatest(owner);
  } finally {
    await owner.destroy();
  }
  const superuserHere = createNodePostgresDb(withUser(serverUrl, name, new URL(serverUrl).username || 'postgres'), { max: 1 });
  try {
    for (const statement of rolesSql(names)) await sql.raw(statement).execute(superuserHere);
  } finally {
    await superuserHere.destroy();
  }
  const url = withUser(serverUrl, name, names.runtime);
  const db = createNodePostgresDb(url, { max: 5 });
  return {
    db,
    kind: 'postgres',
    url,
    ownerUrl,
    runtimeRole: names.runtime,
    async close() {
      await db.destroy();
      await sql.raw(`drop database if exists ${name} with (force)`).execute(admin);
      await sql.raw(`drop role if exists ${names.runtime}`).execute(admin);
      await sql.raw(`drop role if exists ${names.owner}`).execute(admin);
      await admin.destroy();
    },
  };
}
