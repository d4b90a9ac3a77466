import { sql, type Kysely } from 'kysely';

// Frozen once run. Failed sign-ins are counted per key: `account:<hash of email>` and
// `client:<hash of client address>`. Keying the account by the email's hash (not the
// user row) locks unknown emails exactly like known ones, so the lock reveals nothing.
const statements = [
  sql`create table login_throttle (
    key text primary key check (length(key) between 8 and 200),
    failures integer not null default 0 check (failures >= 0),
    window_started timestamptz not null,
    locked_until timestamptz
  )`,
  sql`create index login_throttle_locked_idx on login_throttle(locked_until)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table login_throttle`.execute(db);
}
