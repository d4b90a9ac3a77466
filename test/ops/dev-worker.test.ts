import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createNodePostgresDb } from '../../worker/db/connect-node-postgres';
import { freePort, groupGone, startProcess, waitForHttp, type ServerProcess } from '../helpers/process';

// `npm run dev:worker` as a developer runs it on a fresh clone: no .dev.vars, no database,
// then the Worker in workerd must serve /healthz and the scan page on the first try.
// scripts/test.ts runs this file only when a Postgres server is given (DATABASE_URL).
const serverUrl = process.env.TEST_DATABASE_URL;
if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set: run this suite through `npm test` with DATABASE_URL');
const dbName = `ocop_dev_t_${Date.now().toString(36)}`;
const dir = mkdtempSync(path.join(tmpdir(), 'ocop-dev-worker-'));
let server: ServerProcess | undefined;

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
  const admin = createNodePostgresDb(serverUrl, { max: 1 });
  await sql.raw(`drop database if exists ${dbName} with (force)`).execute(admin);
  await admin.destroy();
});

describe('npm run dev:worker', () => {
  it('prepares its database and .dev.vars, then serves /healthz, the scan page and the cron in workerd', async () => {
    const port = await freePort();
    const varsFile = path.join(dir, '.dev.vars');
    server = startProcess(path.resolve('node_modules/.bin/tsx'), ['scripts/dev-worker.ts'], {
      DEV_POSTGRES_URL: serverUrl,
      DEV_DATABASE: dbName,
      DEV_VARS_FILE: varsFile,
      DEV_STATE_DIR: path.join(dir, 'state'),
      PORT: String(port),
    });
    // wrangler bundles the Worker and boots workerd: generous for a slow, busy machine.
    await waitForHttp(server, `http://127.0.0.1:${port}/healthz`, 180_000);
    const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { runtime: string };
    expect(health.runtime).toBe('workers');

    expect(statSync(varsFile).mode & 0o077).toBe(0);
    expect(readFileSync(varsFile, 'utf8')).toMatch(/^SIGNING_KEYS='\{"keys":\[\{.*"crv":"Ed25519"/m);

    const demo = /a demo package: (\S+)/.exec(server.log())?.[1];
    expect(demo, server.log()).toBeDefined();
    const scan = await fetch(`http://127.0.0.1:${port}${new URL(demo!.toLowerCase()).pathname.toUpperCase()}`);
    expect(scan.status).toBe(200);
    const html = await scan.text();
    expect(html).toContain('lang="vi"');
    expect(html).toContain('Hạt điều rang muối');
    expect(server.log()).toMatch(/province_admin\s+admin@ocop\.demo\s+\S+/);

    const cron = await fetch(`http://127.0.0.1:${port}/__scheduled?cron=0+23+*+*+*`);
    expect(cron.status).toBe(200);

    await server.stop();
    expect(groupGone(server.child)).toBe(true);
  }, 300_000);
});
