import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../schema/database';
import { rolesScript, rolesSql } from '../../schema/roles';
import { createPgliteDb } from '../../worker/db/connect-pglite';
import { createNodePostgresDb } from '../../worker/db/connect-node-postgres';
import { migrateToLatest } from '../../worker/db/migrate';
import { randomBytes } from 'node:crypto';
import { runDb } from '../../scripts/cli/db';
import { openTestDatabase, type TestDatabase } from '../helpers/db';

// Finding 8 of issue 10: the role the service runs as must not be able to switch the audit
// log's append-only trigger off. On Postgres the test database is already set up with the
// two roles and `t.db` is the runtime role (test/helpers/db.ts); on PGlite the same SQL is
// applied and the session takes the runtime role with SET ROLE.

let t: TestDatabase;
let app: Kysely<Database>;
let owner: Kysely<Database> | null = null;
let pglite: Kysely<Database> | null = null;

beforeAll(async () => {
  t = await openTestDatabase();
  if (t.kind === 'postgres') {
    app = t.db;
    owner = createNodePostgresDb(t.ownerUrl!, { max: 1 });
  } else {
    ({ db: pglite } = await createPgliteDb());
    await migrateToLatest(pglite);
    const database = (await sql<{ db: string }>`select current_database() as db`.execute(pglite)).rows[0]!.db;
    for (const statement of rolesSql({ database, owner: 'ocop_owner', runtime: 'ocop_app' })) await sql.raw(statement).execute(pglite);
    // PGlite has one connection: everything below runs as the runtime role.
    await sql`set role ocop_app`.execute(pglite);
    app = pglite;
  }
  await app.insertInto('audit_log').values({ actor_label: 'test', action: 'test.write', entity: 'test', entity_id: '1' }).execute();
}, 60_000);

afterAll(async () => {
  await owner?.destroy();
  await pglite?.destroy();
  await t?.close();
});

describe('the runtime role', () => {
  it('appends to and reads the audit log', async () => {
    await app.insertInto('audit_log').values({ actor_label: 'test', action: 'test.second', entity: 'test', entity_id: '2' }).execute();
    const rows = await app.selectFrom('audit_log').select('action').where('entity', '=', 'test').execute();
    expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(['test.write', 'test.second']));
  });

  it('cannot update, delete or truncate it', async () => {
    await expect(app.updateTable('audit_log').set({ action: 'tampered' }).execute()).rejects.toThrow(/permission denied/);
    await expect(app.deleteFrom('audit_log').execute()).rejects.toThrow(/permission denied/);
    await expect(sql`truncate audit_log`.execute(app)).rejects.toThrow(/permission denied/);
  });

  it('cannot disable or drop the append-only trigger, nor skip triggers with session_replication_role', async () => {
    await expect(sql`alter table audit_log disable trigger audit_log_no_update`.execute(app)).rejects.toThrow(/must be owner/);
    await expect(sql`alter table audit_log disable trigger all`.execute(app)).rejects.toThrow(/must be owner/);
    await expect(sql`drop trigger audit_log_no_update on audit_log`.execute(app)).rejects.toThrow(/must be owner/);
    await expect(sql`drop function audit_log_append_only() cascade`.execute(app)).rejects.toThrow(/must be owner/);
    await expect(sql`set session_replication_role = replica`.execute(app)).rejects.toThrow(/permission denied/);
    await expect(sql`drop table audit_log`.execute(app)).rejects.toThrow(/must be owner/);
    await expect(sql`create table sneaky (id int)`.execute(app)).rejects.toThrow(/permission denied/);
    const rows = await app.selectFrom('audit_log').select('action').where('action', '=', 'test.write').execute();
    expect(rows).toHaveLength(1);
  });

  it('reads and writes ordinary rows (the app works)', async () => {
    const row = await app.insertInto('login_throttle').values({ key: 'test:roles-check', failures: 1, window_started: new Date() }).returning('key').executeTakeFirstOrThrow();
    await app.updateTable('login_throttle').set({ failures: 2 }).where('key', '=', row.key).execute();
    await app.deleteFrom('login_throttle').where('key', '=', row.key).execute();
    expect(await migrateToLatest(app)).toEqual([]);
  });
});

describe('the owner', () => {
  it('still meets the trigger: the audit log is append-only for it too', async () => {
    if (owner) {
      await expect(owner.updateTable('audit_log').set({ action: 'tampered' }).execute()).rejects.toThrow(/append-only/);
      return;
    }
    // PGlite: one connection, so the session takes the owner's role for this check.
    await sql`set role ocop_owner`.execute(app);
    try {
      await expect(app.updateTable('audit_log').set({ action: 'tampered' }).execute()).rejects.toThrow(/append-only/);
    } finally {
      await sql`set role ocop_app`.execute(app);
    }
  });
});

describe('npm run ocop -- db roles', () => {
  it('prints SQL without any password and refuses names that are not plain identifiers', () => {
    const script = rolesScript({ database: 'ocop', owner: 'ocop_owner', runtime: 'ocop_app' });
    expect(script).toContain('CREATE ROLE ocop_owner LOGIN NOSUPERUSER');
    expect(script).toContain('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ocop_app');
    expect(script).toContain("REVOKE UPDATE, DELETE ON public.%I FROM ocop_app");
    expect(script).not.toMatch(/PASSWORD '[^…]/);
    for (const bad of ['Ocop', 'ocop; drop table x', "o'x", 'a'.repeat(64), '']) {
      expect(() => rolesSql({ database: 'ocop', owner: bad, runtime: 'ocop_app' })).toThrow(RangeError);
    }
    expect(() => rolesSql({ database: 'ocop', owner: 'same', runtime: 'same' })).toThrow(RangeError);
  });
});

describe('npm run ocop -- db roles --apply', () => {
  it('on a database migrated by the superuser (the old setup), hands everything to the owner and leaves the runtime role rows only', async () => {
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l) };
    const saved = process.env.DATABASE_URL;
    const server = process.env.TEST_DATABASE_URL;
    if (!server) {
      // PGlite has no roles to log in as: the command says DATABASE_URL is needed.
      delete process.env.DATABASE_URL;
      try {
        expect(await runDb(['roles', '--apply'], io)).toBe(2);
      } finally {
        if (saved !== undefined) process.env.DATABASE_URL = saved;
      }
      expect(out.join('\n')).toContain('DATABASE_URL');
      return;
    }
    const name = `ocop_r_${randomBytes(4).toString('hex')}`;
    const admin = createNodePostgresDb(server, { max: 1 });
    await sql.raw(`create database ${name}`).execute(admin);
    const url = (user: string) => {
      const u = new URL(server);
      u.pathname = `/${name}`;
      if (user) u.username = user;
      return u.toString();
    };
    try {
      const old = createNodePostgresDb(url(''), { max: 1 });
      await migrateToLatest(old);
      await old.destroy();
      process.env.DATABASE_URL = url('');
      expect(await runDb(['roles', '--apply', '--owner', `${name}_own`, '--runtime', `${name}_run`], io)).toBe(0);
      const runtime = createNodePostgresDb(url(`${name}_run`), { max: 1 });
      try {
        await runtime.insertInto('audit_log').values({ actor_label: 'test', action: 'test.cli', entity: 'test', entity_id: '1' }).execute();
        await expect(sql`alter table audit_log disable trigger all`.execute(runtime)).rejects.toThrow(/must be owner/);
        await expect(runtime.deleteFrom('audit_log').execute()).rejects.toThrow(/permission denied/);
        await expect(sql`set session_replication_role = replica`.execute(runtime)).rejects.toThrow(/permission denied/);
        expect(await migrateToLatest(runtime)).toEqual([]);
      } finally {
        await runtime.destroy();
      }
      const here = createNodePostgresDb(url(''), { max: 1 });
      try {
        const owners = await sql<{ owner: string }>`select distinct tableowner as owner from pg_tables where schemaname = 'public'`.execute(here);
        expect(owners.rows.map((r) => r.owner)).toEqual([`${name}_own`]);
      } finally {
        await here.destroy();
      }
    } finally {
      if (saved === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved;
      await sql.raw(`drop database if exists ${name} with (force)`).execute(admin);
      await sql.raw(`drop role if exists ${name}_run`).execute(admin);
      await sql.raw(`drop role if exists ${name}_own`).execute(admin);
      await admin.destroy();
    }
  });
});
