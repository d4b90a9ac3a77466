import { sql, type Kysely } from 'kysely';

// Frozen once run. Scan summaries kept up to date as scans are written (worker/db/scans.ts),
// so no read on the scan path, the admin pages or the reports counts raw `scans` rows, and
// raw rows past the retention period can be deleted without changing what anyone sees.
// Existing scans are summarised here once. The day of a scan is its Vietnam calendar day
// (UTC+7, no daylight saving), written without the time-zone database so that every
// runtime computes the same day.
const DAY = sql.raw(`((scanned_at at time zone 'UTC') + interval '7 hours')::date`);

export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    // One row per package ever scanned. `people` counts distinct (day, client hash) pairs:
    // the client hash rotates daily, so that is as far as people can be told apart.
    // `day`, `day_scans`, `day_people`: the latest day with a scan and its counts.
    sql`create table scan_packages (
      batch_id integer not null references package_batches(id),
      serial integer not null,
      first_scan_at timestamptz not null,
      last_scan_at timestamptz not null,
      scans integer not null check (scans >= 1),
      people integer not null default 0,
      places integer not null default 0,
      day date not null,
      day_scans integer not null,
      day_people integer not null default 0,
      primary key (batch_id, serial)
    )`,
    // The most scanned packages of a batch, read by index (admin batch and product pages).
    sql`create index scan_packages_top_idx on scan_packages (batch_id, scans desc, serial)`,
    // Distinct places per package: one row per (package, place); a conflict means "seen".
    sql`create table scan_package_places (
      batch_id integer not null,
      serial integer not null,
      place text not null,
      primary key (batch_id, serial, place)
    )`,
    // Distinct clients per package and day. Only recent days are needed (older ones are
    // already counted in scan_packages.people); the daily job deletes the rest.
    sql`create table scan_package_clients (
      day date not null,
      batch_id integer not null,
      serial integer not null,
      client_hash text not null,
      primary key (day, batch_id, serial, client_hash)
    )`,
    sql`create table scan_batches (
      batch_id integer primary key references package_batches(id),
      scans bigint not null,
      packages integer not null,
      first_scan_at timestamptz not null,
      last_scan_at timestamptz not null
    )`,
    // Scans per batch and coarse place ('' = unknown).
    sql`create table scan_batch_places (
      batch_id integer not null references package_batches(id),
      place text not null,
      scans bigint not null,
      primary key (batch_id, place)
    )`,
    // Scans per batch, Vietnam day and verdict: the period reports and verdict counts.
    sql`create table scan_days (
      batch_id integer not null references package_batches(id),
      day date not null,
      verdict text not null,
      scans bigint not null,
      primary key (batch_id, day, verdict)
    )`,
    sql`create index scan_days_day_idx on scan_days (day)`,
    // Rows arrive in time order: a BRIN index finds the rows past retention for a few
    // kilobytes instead of a B-tree's ~30 bytes a scan. The per-package B-tree served the
    // history reads that the summaries now answer; nothing reads raw rows by package.
    sql`create index scans_time_brin on scans using brin (scanned_at)`,
    sql`drop index scans_package_idx`,

    sql`insert into scan_packages (batch_id, serial, first_scan_at, last_scan_at, scans, people, places, day, day_scans, day_people)
      select s.batch_id, s.serial, min(s.scanned_at), max(s.scanned_at), count(*),
        count(distinct (s.day, s.client_hash)) filter (where s.client_hash is not null),
        count(distinct s.place), l.day,
        count(*) filter (where s.day = l.day),
        count(distinct s.client_hash) filter (where s.day = l.day)
      from (select *, ${DAY} as day from scans) s
      join (select batch_id, serial, max(${DAY}) as day from scans group by 1, 2) l on l.batch_id = s.batch_id and l.serial = s.serial
      group by s.batch_id, s.serial, l.day`,
    sql`insert into scan_package_places (batch_id, serial, place)
      select distinct batch_id, serial, place from scans where place is not null`,
    sql`insert into scan_package_clients (day, batch_id, serial, client_hash)
      select distinct ${DAY}, batch_id, serial, client_hash from scans
      where client_hash is not null and scanned_at > now() - interval '3 days'`,
    sql`insert into scan_batches (batch_id, scans, packages, first_scan_at, last_scan_at)
      select batch_id, sum(scans), count(*), min(first_scan_at), max(last_scan_at) from scan_packages group by batch_id`,
    sql`insert into scan_batch_places (batch_id, place, scans)
      select batch_id, coalesce(place, ''), count(*) from scans group by 1, 2`,
    sql`insert into scan_days (batch_id, day, verdict, scans)
      select batch_id, ${DAY}, verdict, count(*) from scans group by 1, 2, 3`,
  ];
  for (const s of statements) await s.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`create index scans_package_idx on scans(batch_id, serial, scanned_at)`.execute(db);
  await sql`drop index scans_time_brin`.execute(db);
  for (const t of ['scan_days', 'scan_batch_places', 'scan_batches', 'scan_package_clients', 'scan_package_places', 'scan_packages']) {
    await sql.raw(`drop table ${t}`).execute(db);
  }
}
