import { sql, type Kysely } from 'kysely';

// Frozen once run. Where to buy (issue 12), the communes of today's Đồng Nai, and search
// that forgives typos:
//
// - `sales_points`: OCOP showrooms, supermarkets, shops, market stalls and online shops, each
//   with a merger-aware address (the current unit, and the former district it lay in, which
//   the plan's "one showroom per district" counts by), coordinates, opening hours, phone, and
//   `sales_point_products`, the products sold there. A point with a producer is that
//   producer's own; a point without one is managed by officials. The checks mirror the form
//   rules (worker/domain/sales-points.ts) so no writer can store what the pages cannot show.
// - `admin_units`: the unit type `dac_khu` (special zone, a type of the 2025 reform), a
//   folded `search_name` for place search, and `admin_unit_predecessors`: a new commune can
//   come from several old ones, and an old one can be split between several new ones, which
//   `successor_id` (one per unit) cannot say.
// - `pg_trgm` for typo-tolerant catalogue search. Created here because migrations run as the
//   owner: the runtime role may not create extensions (pg_trgm is a trusted extension, so the
//   database owner may). PGlite loads it from @electric-sql/pglite/contrib (connect-pglite.ts).

// The same folding as 2026-11-28-02 (copied: migrations are frozen, they import nothing that may change).
const FROM =
  'àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ' +
  'ÀÁẠẢÃÂẦẤẬẨẪĂẰẮẶẲẴÈÉẸẺẼÊỀẾỆỂỄÌÍỊỈĨÒÓỌỎÕÔỒỐỘỔỖƠỜỚỢỞỠÙÚỤỦŨƯỪỨỰỬỮỲÝỴỶỸĐ' +
  '\u0300\u0301\u0302\u0303\u0306\u0309\u031b\u0323';
const TO =
  'aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd' +
  'aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd';

const statements = [
  sql`create extension if not exists pg_trgm`,
  sql`alter table admin_units drop constraint if exists admin_units_unit_type_check`,
  sql`alter table admin_units add constraint admin_units_unit_type_check check (unit_type in ('tinh','thanh_pho_tw','huyen','thi_xa','thanh_pho','xa','phuong','thi_tran','dac_khu'))`,
  sql`alter table admin_units add column search_name text generated always as (${sql.raw(`lower(translate(name, '${FROM}', '${TO}'))`)}) stored`,
  sql`create table admin_unit_predecessors (
    unit_id text not null references admin_units(id),
    predecessor_id text not null references admin_units(id),
    primary key (unit_id, predecessor_id),
    check (unit_id <> predecessor_id)
  )`,
  sql`create index admin_unit_predecessors_predecessor_idx on admin_unit_predecessors(predecessor_id)`,
  sql`create table sales_points (
    id serial primary key,
    kind text not null check (kind in ('showroom','supermarket','shop','market_stall','online')),
    name text not null check (length(name) between 2 and 200),
    producer_id integer references producers(id),
    address_line text check (length(address_line) <= 300),
    unit_id text references admin_units(id),
    former_unit_id text references admin_units(id),
    latitude double precision check (latitude between 8.0 and 23.5),
    longitude double precision check (longitude between 102.0 and 117.9),
    opening_hours text check (length(opening_hours) <= 200),
    phone text check (phone ~ '^[0-9 +().-]{6,20}$'),
    url text check (url ~ '^https://[^[:space:]]+$' and length(url) <= 500),
    note text check (length(note) <= 1000),
    illustrative boolean not null default false,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    check ((latitude is null) = (longitude is null)),
    check (kind <> 'online' or url is not null),
    check (kind = 'online' or unit_id is not null),
    check (kind <> 'showroom' or producer_id is null)
  )`,
  sql`create index sales_points_producer_idx on sales_points(producer_id)`,
  sql`create index sales_points_former_unit_idx on sales_points(former_unit_id)`,
  sql`create table sales_point_products (
    sales_point_id integer not null references sales_points(id) on delete cascade,
    product_id integer not null references products(id) on delete cascade,
    primary key (sales_point_id, product_id)
  )`,
  sql`create index sales_point_products_product_idx on sales_point_products(product_id)`,
  // The catalogue finds each product's current certificate by product (worker/db/catalogue.ts);
  // without this index that lookup scanned every certificate once per product (4 s over 5,000).
  sql`create index if not exists certificates_product_idx on certificates(product_id)`,
  // Scan pages show where to buy: a change must reach every process's cache like a product change.
  sql`create trigger sales_points_notify_change after insert or update or delete on sales_points for each statement execute function ocop_notify_change()`,
  sql`create trigger sales_point_products_notify_change after insert or update or delete on sales_point_products for each statement execute function ocop_notify_change()`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists certificates_product_idx`.execute(db);
  await sql`drop table sales_point_products`.execute(db);
  await sql`drop table sales_points`.execute(db);
  await sql`drop table admin_unit_predecessors`.execute(db);
  await sql`alter table admin_units drop column search_name`.execute(db);
  await sql`alter table admin_units drop constraint admin_units_unit_type_check`.execute(db);
  await sql`alter table admin_units add constraint admin_units_unit_type_check check (unit_type in ('tinh','thanh_pho_tw','huyen','thi_xa','thanh_pho','xa','phuong','thi_tran'))`.execute(db);
  // pg_trgm stays: dropping an extension another object may use is not this migration's call.
}
