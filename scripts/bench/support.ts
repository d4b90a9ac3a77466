// What both benchmarks share: autocannon's slice of types, a free port, waiting for a server
// process to answer, and a throwaway database.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../schema/database';
import { loadOrCreateKeyFile } from '../../worker/codes/keyfile-node';
import { KeyRing } from '../../worker/codes/keyring';
import { createNodePostgresDb } from '../../worker/db/connect-node-postgres';
import { syncSigningKeys } from '../../worker/db/keys';
import { migrateToLatest } from '../../worker/db/migrate';
import { seedDemo } from '../../worker/seed/seed';

// autocannon ships no types; only what the benchmarks use is described here.
export interface CannonRequest { method: string; path?: string; setupRequest?: (req: { path: string }) => { path: string } }
export interface CannonOptions { url: string; connections?: number; duration?: number; requests?: CannonRequest[] }
export interface CannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}
export const autocannon = ((await import('autocannon' as string)) as { default: (opts: CannonOptions) => Promise<CannonResult> }).default;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** Polls `url` until it answers 2xx; fails at once if the server process exits. */
export async function waitFor(url: string, child: ChildProcess, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server did not answer ${url} within ${timeoutMs} ms`);
}

export interface BenchDatabase {
  name: string;
  url: string;
  /** A fresh data folder for the server's keys. */
  dataDir: string;
  db: Kysely<Database>;
  /** The keys of `dataDir`, registered in the database, as the server will load them. */
  ring: KeyRing;
  /** Drops the database and the folder (the server must be stopped first). */
  drop(): Promise<void>;
}

/**
 * A new database `ocop_bench_<random>` on the server, migrated, seeded with the demo data at
 * `now`, and a data folder with its keys; `drop` removes both. `note` ends the first line printed.
 */
export async function benchDatabase(serverUrl: string, now: Date, note = ''): Promise<BenchDatabase> {
  const name = `ocop_bench_${randomBytes(4).toString('hex')}`;
  const admin = createNodePostgresDb(serverUrl, { max: 1 });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const dataDir = await mkdtemp(path.join(tmpdir(), 'ocop-bench-'));
  await sql.raw(`create database ${name}`).execute(admin);
  const db = createNodePostgresDb(url.toString(), { max: 4 });
  console.log(`database ${name} on ${serverUrl.replace(/\/\/[^@]*@/, '//')}${note}`);
  await migrateToLatest(db);
  const ring = await KeyRing.fromJwkSet(await loadOrCreateKeyFile(dataDir));
  await syncSigningKeys(db, ring);
  await seedDemo(db, ring, now);
  return {
    name,
    url: url.toString(),
    dataDir,
    db,
    ring,
    async drop() {
      await db.destroy();
      await sql.raw(`drop database if exists ${name} with (force)`).execute(admin);
      await admin.destroy();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** `--name N` from the command line: a positive whole number (1_000 and 1,000 allowed), else the fallback. */
export function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]?.replace(/[_,]/g, ''));
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} needs a positive whole number`);
  return value;
}
