// The Workers suite cannot run migrations or seeds from inside workerd cheaply, so the
// runner prepares its database from Node: fresh, migrated, seeded, dropped afterwards.
import { createPostgresDatabase } from '../test/helpers/db';
import { generateSigningKey, KeyRing } from '../worker/codes/keyring';
import { syncSigningKeys } from '../worker/db/keys';
import { migrateToLatest } from '../worker/db/migrate';
import { seedDemo } from '../worker/seed/seed';

export async function prepareWorkersDatabase(serverUrl: string): Promise<{ url: string; signingKeys: string; adminLogin: string; drop(): Promise<void> }> {
  const { db, url, drop } = await createPostgresDatabase(serverUrl, 'ocop_w', 2);
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
  } finally {
    await db.destroy();
  }
  return {
    url,
    signingKeys: JSON.stringify(keySet),
    adminLogin,
    drop,
  };
}
