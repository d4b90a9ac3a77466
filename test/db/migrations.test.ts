import { readdirSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../schema/migrations';
import { createPgliteDb } from '../../worker/db/connect-pglite';
import { migrateToLatest } from '../../worker/db/migrate';
import * as vocabulary from '../../worker/domain/vocabulary';

// The migrations are frozen, and 02 was written after 03: nothing may depend on the order
// they were added in, only on their names. A fresh install must build the schema from
// nothing by applying them in name order, every file listed, each once.

const files = readdirSync(new URL('../../schema/migrations/', import.meta.url))
  .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();

let db: Awaited<ReturnType<typeof createPgliteDb>>['db'];
let applied: string[];

beforeAll(async () => {
  ({ db } = await createPgliteDb());
  applied = await migrateToLatest(db);
});
afterAll(async () => db?.destroy());

describe('migrations', () => {
  it('lists every migration file in the index, under its file name', () => {
    expect(files.length).toBeGreaterThan(0);
    expect(Object.keys(migrations).sort()).toEqual(files);
  });

  it('apply in name order on an empty database, and record that order', async () => {
    expect(applied).toEqual(files);
    const recorded = await sql<{ name: string }>`select name from kysely_migration order by timestamp, name`.execute(db);
    expect(recorded.rows.map((r) => r.name)).toEqual(files);
  });

  it('leave a migrated database as it is', async () => {
    expect(await migrateToLatest(db)).toEqual([]);
  });

  it('build the schema the later migrations rely on', async () => {
    const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = 'public'`.execute(db);
    const names = tables.rows.map((r) => r.table_name);
    // 03 adds the login throttle; 02 adds search columns to tables made by 01.
    expect(names).toEqual(expect.arrayContaining(['certificates', 'products', 'producers', 'login_throttle']));
    const columns = await sql<{ column_name: string }>`select column_name from information_schema.columns where table_name = 'products'`.execute(db);
    expect(columns.rows.map((r) => r.column_name)).toContain('search_name');
  });

  it("accept exactly the domain vocabulary in every enumerated column", async () => {
    const columns: [string, string, readonly string[]][] = [
      ['admin_units', 'unit_type', vocabulary.UNIT_TYPES],
      ['admin_units', 'level', vocabulary.UNIT_LEVELS],
      ['product_groups', 'kind', vocabulary.PRODUCT_GROUP_KINDS],
      ['producers', 'legal_form', vocabulary.LEGAL_FORMS],
      ['evaluations', 'council_level', vocabulary.COUNCIL_LEVELS],
      ['certificates', 'issuing_level', vocabulary.ISSUING_LEVELS],
      ['certificates', 'status', vocabulary.CERTIFICATE_STATUSES],
      ['certificates', 'revocation_ground', vocabulary.REVOCATION_GROUNDS],
      ['signing_keys', 'status', vocabulary.KEY_STATUSES],
      ['counterfeit_reports', 'status', vocabulary.REPORT_STATUSES],
      ['users', 'role', vocabulary.ROLES],
      ['api_tokens', 'role', vocabulary.ROLES],
    ];
    for (const [table, column, values] of columns) {
      const defs = await sql<{ def: string }>`select pg_get_constraintdef(oid) as def from pg_constraint where conrelid = ${table}::regclass and contype = 'c'`.execute(db);
      // Postgres writes `col in ('a','b')` back as `(col = ANY (ARRAY['a'::text, 'b'::text]))`.
      const check = defs.rows.map((r) => r.def).find((d) => d.includes(`(${column} = ANY (ARRAY[`));
      expect(check, `${table}.${column}`).toBeDefined();
      const allowed = [...check!.slice(check!.indexOf(`(${column} = ANY (ARRAY[`)).split(']')[0]!.matchAll(/'([^']*)'/g)].map((m) => m[1]);
      expect(allowed.sort(), `${table}.${column}`).toEqual([...values].sort());
    }
  });
});
