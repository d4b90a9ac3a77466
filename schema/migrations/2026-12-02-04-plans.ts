import { sql, type Kysely } from 'kysely';

// Provincial OCOP plans as data (issue 12): a plan covers an area (a province, or a unit
// that no longer exists, such as Bình Phước before the 2025 merger) over a period, with
// targets by indicator. The indicator keys mirror PLAN_INDICATORS in worker/domain/plan.ts.
// That two plans of one area never overlap is checked by worker/db/plans.ts under a row
// lock on the area (btree_gist exclusion constraints are not available in PGlite).
const statements = [
  sql`create table plans (
    id serial primary key,
    name text not null check (length(name) between 3 and 300),
    legal_basis text not null check (length(legal_basis) between 3 and 500),
    area_unit_id text not null references admin_units(id),
    period_start date not null,
    period_end date not null,
    note text check (note is null or length(note) <= 2000),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    check (period_start <= period_end)
  )`,
  sql`create index plans_area_period_idx on plans(area_unit_id, period_start)`,
  sql`create table plan_targets (
    id serial primary key,
    plan_id integer not null references plans(id) on delete cascade,
    position integer not null default 0,
    indicator text not null check (indicator in ('products_3_star_cumulative','new_products_3_star','share_coop_or_enterprise','share_female_led','share_ethnic_minority_led','community_tourism_products','share_expired_recertified','share_modern_channels','showrooms_per_district','custom')),
    name text check (name is null or length(name) between 1 and 300),
    unit text check (unit is null or length(unit) <= 40),
    target numeric not null check (target >= 0),
    actual numeric check (actual is null or actual >= 0),
    check ((indicator = 'custom') = (name is not null)),
    check (indicator = 'custom' or actual is null)
  )`,
  sql`create unique index plan_targets_standard_once on plan_targets(plan_id, indicator) where indicator <> 'custom'`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const s of statements) await s.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists plan_targets`.execute(db);
  await sql`drop table if exists plans`.execute(db);
}
