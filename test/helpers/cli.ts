// `npm run ocop -- …` as an operator runs it: a data folder of its own, seeded once, on PGlite
// or, on the Postgres pass (TEST_DATABASE_URL), on a fresh database of its own.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openTestDatabase, type TestDatabase } from './db';

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface CliWorkspace {
  /** The DATA_DIR the commands run with (keys, the embedded database, files written by tests). */
  dir: string;
  ocop(...args: string[]): CliResult;
  /** The same, with some variables changed (another DATA_DIR, a bad setting). */
  ocopWith(overrides: Record<string, string>, ...args: string[]): CliResult;
  /** The Postgres database of the Postgres pass, '' on PGlite. */
  databaseUrl(): string;
  /** Seeds the demo data (for beforeAll; it takes a while). */
  setUp(): Promise<void>;
  tearDown(): Promise<void>;
}

export function cliWorkspace(prefix: string, publicBaseUrl = 'https://ocop.binhphuoc.gov.vn'): CliWorkspace {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  let database: TestDatabase | null = null;
  let env: Record<string, string> = { DATA_DIR: dir, DATABASE_URL: '', PUBLIC_BASE_URL: publicBaseUrl };
  const ocopWith = (overrides: Record<string, string>, ...args: string[]): CliResult => {
    const res = spawnSync(path.resolve('node_modules/.bin/tsx'), ['scripts/ocop.ts', ...args], { env: { ...process.env, ...env, ...overrides }, encoding: 'utf8' });
    return { status: res.status, stdout: res.stdout, stderr: res.stderr };
  };
  const ocop = (...args: string[]): CliResult => ocopWith({}, ...args);
  return {
    dir,
    ocop,
    ocopWith,
    databaseUrl: () => env.DATABASE_URL ?? '',
    async setUp() {
      if (process.env.TEST_DATABASE_URL) {
        database = await openTestDatabase();
        env = { ...env, DATABASE_URL: database.url! };
      }
      const seeded = ocop('seed');
      if (seeded.status !== 0) throw new Error(`ocop seed failed: ${seeded.stderr}`);
    },
    async tearDown() {
      await database?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
