import { sql, type Kysely } from 'kysely';

// Every process that caches package states or key statuses (Node workers, the CLI's writes
// reach them too) hears about a change at once through Postgres LISTEN/NOTIFY on channel
// `ocop_changes`; the payload is the table that changed. Statement-level triggers, so a bulk
// change is one notice, and Postgres folds identical notices of one transaction into one.
// The cache TTL stays as the fallback (and the bound on Workers, which do not listen).
const TABLES = ['certificates', 'package_batches', 'products', 'producers', 'raw_material_regions', 'evaluations', 'signing_keys', 'admin_units'];

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function ocop_notify_change() returns trigger language plpgsql as $$
    begin
      perform pg_notify('ocop_changes', tg_table_name);
      return null;
    end $$`.execute(db);
  for (const table of TABLES) {
    await sql`create trigger ${sql.raw(`${table}_notify_change`)} after insert or update or delete on ${sql.table(table)} for each statement execute function ocop_notify_change()`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of TABLES) await sql`drop trigger if exists ${sql.raw(`${table}_notify_change`)} on ${sql.table(table)}`.execute(db);
  await sql`drop function if exists ocop_notify_change()`.execute(db);
}
