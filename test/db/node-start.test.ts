import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../helpers/db';
import { freePort, groupGone, startProcess, type ServerProcess } from '../helpers/process';
import { demoNumbers } from '../helpers/demo';

/** Demo certificate numbers as seeded by this file's context (they carry their decision's year). */
const N = demoNumbers();

// `npm start` as a user runs it: a real process, a fresh data folder, the printed URLs.
// On the Postgres pass the server gets its own fresh database; otherwise embedded PGlite.
// Each server runs in its own process group and is killed as a group, also on failure.
const servers: ServerProcess[] = [];
const dirs: string[] = [];
const databases: TestDatabase[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop(5_000);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  for (const db of databases) await db.close();
});

async function databaseUrl(): Promise<string> {
  if (!process.env.TEST_DATABASE_URL) return '';
  const db = await openTestDatabase();
  databases.push(db);
  await db.db.destroy().catch(() => undefined);
  return db.url!;
}

function start(env: Record<string, string>, args: string[] = []): ServerProcess & { exited: Promise<number | null> } {
  const server = startProcess(path.resolve('node_modules/.bin/tsx'), ['worker/node.ts', ...args], env);
  servers.push(server);
  const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
  return { ...server, exited };
}

// Limits fit a machine three times slower than a developer's: a cold start there
// (tsx compile, PGlite init, migrations, seed) has taken up to 26 s on a busy 2-core box.
async function waitFor(server: ServerProcess, predicate: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!predicate()) {
    if (server.child.exitCode !== null) throw new Error(`server exited with ${server.child.exitCode}:\n${server.log()}`);
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms:\n${server.log()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('npm start', () => {
  it('serves /healthz on a fresh data folder, seeds demo data and every printed URL answers', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ocop-start-'));
    dirs.push(dir);
    const port = await freePort();
    const server = start({ DATA_DIR: dir, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: await databaseUrl(), METRICS_PORT: '0' });
    await waitFor(server, () => server.log().includes('Tài khoản demo'), 150_000);
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(200);
    // The banner's URLs (log lines are JSON objects and are not part of it).
    const banner = server.log().split('\n').filter((l) => !l.startsWith('{')).join('\n');
    const urls = [...banner.matchAll(/(http:\/\/127\.0\.0\.1:\d+\/\S*)/g)].map((m) => m[1]!);
    expect(urls.length).toBeGreaterThanOrEqual(6);
    for (const url of urls) {
      const r = await fetch(url, { redirect: 'manual' });
      expect(r.status, url).toBeLessThan(400);
    }
    expect(server.log()).toMatch(/province_admin\s+admin@ocop\.demo\s+\S{23}/);
    // Secrets beside the database are readable by their owner only.
    expect(statSync(path.join(dir, 'signing-keys.json')).mode & 0o077).toBe(0);
    expect(statSync(path.join(dir, 'session-secret')).mode & 0o077).toBe(0);
    await server.stop();
    expect(groupGone(server.child)).toBe(true);
  }, 200_000);

  it('starts empty with --no-seed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ocop-start-'));
    dirs.push(dir);
    const port = await freePort();
    const server = start({ DATA_DIR: dir, PORT: String(port), DATABASE_URL: await databaseUrl() }, ['--no-seed']);
    await waitFor(server, () => server.log().includes('is running at'), 150_000);
    expect(server.log()).not.toContain('Tài khoản demo');
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/certificates/${N.haMy5}`);
    expect(res.status).toBe(404);
    await server.stop();
    expect(groupGone(server.child)).toBe(true);
  }, 200_000);

  it('refuses invalid configuration with one message naming the variable', async () => {
    const bad = start({ PORT: 'eighty', DATABASE_URL: '' });
    expect(await bad.exited).toBe(2);
    expect(bad.log()).toContain('PORT');
    const badUrl = start({ PUBLIC_BASE_URL: 'http://ocop.example.vn', DATABASE_URL: '' });
    expect(await badUrl.exited).toBe(2);
    expect(badUrl.log()).toContain('PUBLIC_BASE_URL');
  }, 90_000);
});
