import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifyPassword } from '../../admin/password';
import { runUser } from '../../scripts/cli/user';
import { seedReference } from '../../worker/seed/seed';
import { migrateToLatest } from '../../worker/db/migrate';
import { openNodeDatabase } from '../../worker/node-runtime';
import { openTestDatabase, type TestDatabase } from '../helpers/db';

// `npm run ocop -- user add …` against the database the server would open: a fresh
// Postgres database when TEST_DATABASE_URL is set, else PGlite in a temporary DATA_DIR.

let dir: string;
let pg: TestDatabase | null = null;
const saved = { DATA_DIR: process.env.DATA_DIR, DATABASE_URL: process.env.DATABASE_URL };

async function withDb<T>(work: (db: Awaited<ReturnType<typeof openNodeDatabase>>['db']) => Promise<T>): Promise<T> {
  const database = await openNodeDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: process.env.DATA_DIR });
  try {
    await migrateToLatest(database.db);
    return await work(database.db);
  } finally {
    await database.close();
  }
}

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  try {
    const code = await runUser(args);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ocop-cli-'));
  delete process.env.DATABASE_URL;
  process.env.DATA_DIR = dir;
  if (process.env.TEST_DATABASE_URL) {
    pg = await openTestDatabase();
    process.env.DATABASE_URL = pg.url!;
  }
}, 180_000);

afterAll(async () => {
  process.env.DATA_DIR = saved.DATA_DIR;
  if (saved.DATABASE_URL === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = saved.DATABASE_URL;
  await pg?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('ocop user add', () => {
  it('creates the first admin of an empty database and prints its password once', async () => {
    const { code, out } = await run(['add', '--email', 'Admin@Province.gov.vn', '--role', 'province_admin', '--name', 'Nguyễn Văn A']);
    expect(code).toBe(0);
    const password = /password \(shown once\): (\S+)/.exec(out)![1]!;
    expect(password).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
    const user = await withDb((db) => db.selectFrom('users').selectAll().where('email', '=', 'admin@province.gov.vn').executeTakeFirstOrThrow());
    expect(user).toMatchObject({ role: 'province_admin', name: 'Nguyễn Văn A', area_unit_id: null, producer_id: null });
    expect(user.password_hash).not.toContain(password);
    expect(await verifyPassword(password, user.password_hash)).toBe(true);
    const audit = await withDb((db) => db.selectFrom('audit_log').select(['action', 'actor_label']).where('entity', '=', 'user').execute());
    expect(audit).toEqual([{ action: 'user.create', actor_label: 'cli' }]);
  });

  it('refuses bad arguments with a message and exit code 2', async () => {
    expect((await run([])).code).toBe(2);
    const badRole = await run(['add', '--email', 'x@y.vn', '--role', 'king']);
    expect(badRole.code).toBe(2);
    expect(badRole.err).toContain('--role: Giá trị không hợp lệ');
    const badEmail = await run(['add', '--email', 'not-an-email', '--role', 'auditor']);
    expect(badEmail.err).toContain('--email: Email không hợp lệ');
  });

  it('needs an existing district for an area officer, and refuses a duplicate email', async () => {
    const unknown = await run(['add', '--email', 'canbo@province.gov.vn', '--role', 'area_officer', '--area', 'd-695']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('Địa bàn phải là một đơn vị cấp huyện');
    await withDb((db) => seedReference(db));
    const missing = await run(['add', '--email', 'canbo@province.gov.vn', '--role', 'area_officer']);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('Cán bộ khu vực cần chọn địa bàn');
    const ok = await run(['add', '--email', 'canbo@province.gov.vn', '--role', 'area_officer', '--area', 'd-695']);
    expect(ok.code).toBe(0);
    const dup = await run(['add', '--email', 'CANBO@province.gov.vn', '--role', 'auditor']);
    expect(dup.code).toBe(1);
    expect(dup.err).toContain('đã có tài khoản');
  });
});
