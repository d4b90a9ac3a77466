import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startProcess, waitForHttp, type ServerProcess } from '../helpers/process';

// `NODE_ENV=production npm start` as an operator meets it: each insecure setting is refused
// with one message and exit code 2; with a proper setup it starts with no demo account and
// prints no password. Demo mode stays the default and says so. Embedded PGlite, one folder each.
const dirs: string[] = [];
const servers: ServerProcess[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function folder(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ocop-prod-'));
  dirs.push(dir);
  return path.join(dir, 'data');
}

const tsx = path.resolve('node_modules/.bin/tsx');
const base = { DATABASE_URL: '', HOST: '127.0.0.1', METRICS_PORT: '0', SEED: '', SESSION_SECRET: '' };

/** Runs a start that must refuse: its exit code and everything it printed. */
function refused(env: Record<string, string>, args: string[] = []): { status: number | null; output: string } {
  const res = spawnSync(tsx, ['worker/node.ts', ...args], { env: { ...process.env, ...base, PORT: '1', ...env }, encoding: 'utf8', timeout: 120_000 });
  return { status: res.status, output: `${res.stdout}${res.stderr}` };
}

async function start(env: Record<string, string>, args: string[] = []): Promise<{ server: ServerProcess; url: string }> {
  const port = await freePort();
  const server = startProcess(tsx, ['worker/node.ts', ...args], { ...base, PORT: String(port), ...env });
  servers.push(server);
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(server, `${url}/healthz`, 150_000);
  const until = Date.now() + 30_000;
  while (!server.log().includes('is running at') && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  return { server, url };
}

describe('production mode', () => {
  it('refuses plain http, no base URL, and SEED, each with one message and exit code 2', () => {
    const dataDir = folder();
    for (const [env, needle] of [
      [{ NODE_ENV: 'production', DATA_DIR: dataDir }, 'PUBLIC_BASE_URL'],
      [{ NODE_ENV: 'production', DATA_DIR: dataDir, PUBLIC_BASE_URL: 'http://localhost:8787' }, 'https'],
      [{ NODE_ENV: 'production', DATA_DIR: dataDir, PUBLIC_BASE_URL: 'https://ocop.example.vn', SEED: '1' }, 'SEED'],
    ] as const) {
      const r = refused(env);
      expect(r.status, r.output).toBe(2);
      expect(r.output).toContain(needle);
      expect(r.output).toContain('production');
      expect(r.output.trim().split('\n')).toHaveLength(1);
    }
    // --production means the same as NODE_ENV=production.
    const flag = refused({ DATA_DIR: dataDir }, ['--production']);
    expect(flag.status).toBe(2);
    expect(flag.output).toContain('PUBLIC_BASE_URL');
  });

  it('refuses a data folder or key file that others can read', () => {
    const open = folder();
    mkdirSync(open, { recursive: true });
    chmodSync(open, 0o755);
    const r = refused({ NODE_ENV: 'production', DATA_DIR: open, PUBLIC_BASE_URL: 'https://ocop.example.vn' });
    expect(r.status).toBe(2);
    expect(r.output).toContain('chmod');
    const keyed = folder();
    mkdirSync(keyed, { recursive: true, mode: 0o700 });
    chmodSync(keyed, 0o700);
    writeFileSync(path.join(keyed, 'signing-keys.json'), '{"keys":[]}', { mode: 0o644 });
    chmodSync(path.join(keyed, 'signing-keys.json'), 0o644);
    const k = refused({ NODE_ENV: 'production', DATA_DIR: keyed, PUBLIC_BASE_URL: 'https://ocop.example.vn' });
    expect(k.status).toBe(2);
    expect(k.output).toContain('signing-keys.json');
  });

  it('refuses a database with demo accounts until `ocop demo remove`, then starts with no password printed', async () => {
    const dataDir = folder();
    // A demo start first, as an office tries the system before going live.
    const demo = await start({ DATA_DIR: dataDir });
    expect(demo.server.log()).toContain('CHẾ ĐỘ DEMO / DEMO MODE');
    expect(demo.server.log()).toMatch(/province_admin\s+admin@ocop\.demo\s+\S+/);
    const demoPassword = /province_admin\s+admin@ocop\.demo\s+(\S+)/.exec(demo.server.log())![1]!;
    await demo.server.stop();

    const prodEnv = { NODE_ENV: 'production', DATA_DIR: dataDir, PUBLIC_BASE_URL: 'https://ocop.example.vn' };
    const r = refused(prodEnv);
    expect(r.status, r.output).toBe(2);
    expect(r.output).toContain('npm run ocop -- demo remove');

    const removal = spawnSync(tsx, ['scripts/ocop.ts', 'demo', 'remove'], { env: { ...process.env, ...base, DATA_DIR: dataDir }, encoding: 'utf8', timeout: 120_000 });
    expect(removal.status, removal.stderr).toBe(0);
    expect(removal.stdout).toContain('admin@ocop.demo');

    const prod = await start(prodEnv);
    const out = prod.server.log();
    expect(out).toContain('production mode');
    expect(out).not.toContain('DEMO MODE');
    expect(out).not.toContain('@ocop.demo');
    expect(out).not.toContain(demoPassword);
    // The old demo login is gone.
    const login = await fetch(`${prod.url}/admin/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: prod.url },
      body: new URLSearchParams({ email: 'admin@ocop.demo', password: demoPassword }),
    });
    expect(login.status).toBe(401);
    // The demo logins file is not read or printed in production; the secrets stay owner-only.
    expect(readFileSync(path.join(dataDir, 'signing-keys.json'), 'utf8')).toContain('"d"');
    await prod.server.stop();
  }, 400_000);
});
