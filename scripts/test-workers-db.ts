// The Workers suite cannot run migrations or seeds from inside workerd cheaply, so the
// runner prepares its database from Node: fresh, migrated, seeded, dropped afterwards. The
// Worker then connects as the runtime role of that database (schema/roles.ts), as in production.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { rolesSql } from '../schema/roles';
import { generateSigningKey, KeyRing } from '../worker/codes/keyring';
import { createNodePostgresDb } from '../worker/db/connect-node-postgres';
import { syncSigningKeys } from '../worker/db/keys';
import { migrateToLatest } from '../worker/db/migrate';
import { seedDemo } from '../worker/seed/seed';

export async function prepareWorkersDatabase(serverUrl: string): Promise<{ url: string; signingKeys: string; adminLogin: string; drop(): Promise<void> }> {
  const name = `ocop_w_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = createNodePostgresDb(serverUrl, { max: 1 });
  await sql.raw(`create database ${name}`).execute(admin);
  const names = { database: name, owner: `${name}_owner`, runtime: `${name}_app` };
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = createNodePostgresDb(url.toString(), { max: 2 });
  const keySet = { keys: [await generateSigningKey(1)] };
  let adminLogin = '';
  try {
    await migrateToLatest(db);
    const ring = await KeyRing.fromJwkSet(keySet);
    await syncSigningKeys(db, ring);
    const seeded = await seedDemo(db, ring, new Date());
    const admin = seeded.logins.find((l) => l.role === 'province_admin');
    if (!admin) throw new Error('the demo seed made no province admin');
    adminLogin = JSON.stringify({ email: admin.email, password: admin.password });
    for (const statement of rolesSql(names)) await sql.raw(statement).execute(db);
  } finally {
    await db.destroy();
  }
  const runtimeUrl = new URL(url);
  runtimeUrl.username = names.runtime;
  runtimeUrl.password = '';
  return {
    url: runtimeUrl.toString(),
    signingKeys: JSON.stringify(keySet),
    adminLogin,
    async drop() {
      await sql.raw(`drop database if exists ${name} with (force)`).execute(admin);
      await sql.raw(`drop role if exists ${names.runtime}`).execute(admin);
      await sql.raw(`drop role if exists ${names.owner}`).execute(admin);
      await admin.destroy();
    },
  };
}
