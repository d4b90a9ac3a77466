// Production mode on Node (`NODE_ENV=production` or `npm start -- --production`): the checks
// that stop a start which would expose the service, each with one message saying what to do.
// Demo mode (the default of `npm start`) skips them and says so in its banner.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../schema/database';
import { KEY_FILE_NAME } from './codes/keyfile-node';
import { DEMO_EMAIL_DOMAIN } from './db/demo-accounts';


export class ProductionRefusal extends Error {
  constructor(message: string) {
    super(`Chế độ production từ chối khởi động / production mode refuses to start: ${message}`);
  }
}

export function isProduction(env: Record<string, string | undefined>, argv: readonly string[]): boolean {
  return env.NODE_ENV === 'production' || argv.includes('--production');
}

async function modeOf(file: string): Promise<number | null> {
  try {
    return (await stat(file)).mode & 0o777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Settings and files, before the database is opened. */
export async function checkProductionSettings(opts: {
  publicBaseUrl: string | undefined;
  seedRequested: boolean;
  dataDir: string;
}): Promise<void> {
  if (!opts.publicBaseUrl || !opts.publicBaseUrl.startsWith('https://')) {
    throw new ProductionRefusal('PUBLIC_BASE_URL phải là https://… / must be an https:// URL (the domain printed on packages)');
  }
  if (opts.seedRequested) throw new ProductionRefusal('SEED / dữ liệu demo không được phép / demo data is never seeded in production: unset SEED');
  const dirMode = await modeOf(opts.dataDir);
  if (dirMode !== null && (dirMode & 0o077) !== 0) {
    throw new ProductionRefusal(`DATA_DIR ${opts.dataDir} có quyền ${dirMode.toString(8)}, người khác đọc được / is readable by others: chmod -R go-rwx ${opts.dataDir}`);
  }
  for (const name of [KEY_FILE_NAME, 'session-secret']) {
    const file = path.join(opts.dataDir, name);
    const mode = await modeOf(file);
    if (mode !== null && (mode & 0o077) !== 0) {
      throw new ProductionRefusal(`${file} có quyền ${mode.toString(8)}, người khác đọc được / is readable by others: treat it as leaked, replace it, and chmod 600`);
    }
  }
  // A missing key file or session secret is created at start with mode 0600 (SESSION_SECRET,
  // when set, replaces the file).
}

/** Data, once the database is migrated: no demo account may survive into a deployment. */
export async function checkNoDemoAccounts(db: Kysely<Database>): Promise<void> {
  const demo = await db.selectFrom('users').select('email').where('email', 'like', `%${DEMO_EMAIL_DOMAIN}`).execute();
  if (demo.length > 0) {
    throw new ProductionRefusal(`${demo.length} tài khoản demo còn trong cơ sở dữ liệu / demo accounts are present (${demo.map((u) => u.email).join(', ')}): run \`npm run ocop -- demo remove\``);
  }
}
