import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../helpers/db';

// `npm start` as a user runs it: a real process, a fresh data folder, the printed URLs.
// On the Postgres pass the server gets its own fresh database; otherwise embedded PGlite.
const children: ChildProcess[] = [];
const dirs: string[] = [];
const databases: TestDatabase[] = [];
afterAll(async () => {
  for (const c of children) c.kill('SIGTERM');
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

function start(env: Record<string, string>, args: string[] = []): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn('npx', ['tsx', 'worker/node.ts', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function waitFor(predicate: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}

const freePort = () => 20000 + Math.floor(Math.random() * 20000);

describe('npm start', () => {
  it('serves /healthz within 30 s on a fresh data folder, seeds demo data and every printed URL answers', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ocop-start-'));
    dirs.push(dir);
    const port = freePort();
    const server = start({ DATA_DIR: dir, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: await databaseUrl() });
    await waitFor(() => server.output().includes('Tài khoản demo'), 30_000);
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(200);
    const urls = [...server.output().matchAll(/(http:\/\/127\.0\.0\.1:\d+\/\S*)/g)].map((m) => m[1]!);
    expect(urls.length).toBeGreaterThanOrEqual(6);
    for (const url of urls) {
      const r = await fetch(url, { redirect: 'manual' });
      expect(r.status, url).toBeLessThan(400);
    }
    expect(server.output()).toMatch(/province_admin\s+admin@ocop\.demo\s+\S{23}/);
    // Secrets beside the database are readable by their owner only.
    expect(statSync(path.join(dir, 'signing-keys.json')).mode & 0o077).toBe(0);
    expect(statSync(path.join(dir, 'session-secret')).mode & 0o077).toBe(0);
    server.child.kill('SIGTERM');
    await server.exited;
  }, 60_000);

  it('starts empty with --no-seed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ocop-start-'));
    dirs.push(dir);
    const port = freePort();
    const server = start({ DATA_DIR: dir, PORT: String(port), DATABASE_URL: await databaseUrl() }, ['--no-seed']);
    await waitFor(() => server.output().includes('is running at'), 30_000);
    expect(server.output()).not.toContain('Tài khoản demo');
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/certificates/BP-OCOP-5S-2023-001`);
    expect(res.status).toBe(404);
    server.child.kill('SIGTERM');
    await server.exited;
  }, 60_000);

  it('refuses invalid configuration with one message naming the variable', async () => {
    const bad = start({ PORT: 'eighty', DATABASE_URL: '' });
    expect(await bad.exited).toBe(2);
    expect(bad.output()).toContain('PORT');
    const badUrl = start({ PUBLIC_BASE_URL: 'http://ocop.example.vn', DATABASE_URL: '' });
    expect(await badUrl.exited).toBe(2);
    expect(badUrl.output()).toContain('PUBLIC_BASE_URL');
  }, 30_000);
});
