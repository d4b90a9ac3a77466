// Shared by CLI commands that open the same database the server would.
import path from 'node:path';
import { migrateToLatest } from '../../worker/db/migrate';
import { openNodeDatabase, type NodeDatabase } from '../../worker/node-runtime';

export function dataDir(): string {
  return path.resolve(process.env.DATA_DIR ?? './.data');
}

/** DATABASE_URL if set, else the embedded PGlite under DATA_DIR (stop `npm start` first: PGlite is single-process). */
export async function openCliDatabase(): Promise<NodeDatabase> {
  const database = await openNodeDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: dataDir() });
  await migrateToLatest(database.db);
  return database;
}

export function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  if (i >= 0) return args[i + 1];
  const eq = args.find((a) => a.startsWith(`--${name}=`));
  return eq ? eq.slice(name.length + 3) : undefined;
}
