// The Workers suite cannot run migrations or seeds from inside workerd cheaply, so the
// runner prepares its database from Node: fresh, migrated, seeded, dropped afterwards.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { generateSigningKey, KeyRing } from '../worker/codes/keyring';
import { createPostgresDb } from '../worker/db/connect-postgres';
import { syncSigningKeys } from '../worker/db/keys';
import { migrateToLatest } from '../worker/db/migrate';
import { seedDemo } from '../worker/seed/seed';

export async function prepareWorkersDatabase(serverUrl: string): Promise<{ url: string; signingKeys: string; drop(): Promise<void> }> {
  const name = `ocop_w_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = createPostgresDb(serverUrl, { max: 1 });
  await sql.raw(`create database ${name}`).execute(admin);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = createPostgresDb(url.toString(), { max: 2 });
  const keySet = { keys: [await generateSigningKey(1)] };
  try {
    await migrateToLatest(db);
    const ring = await KeyRing.fromJwkSet(keySet);
    await syncSigningKeys(db, ring);
    await seedDemo(db, ring, new Date());
  } finally {
    await db.destroy();
  }
  return {
    url: url.toString(),
    signingKeys: JSON.stringify(keySet),
    async drop() {
      await sql.raw(`drop database if exists ${name} with (force)`).execute(admin);
      await admin.destroy();
    },
  };
}
