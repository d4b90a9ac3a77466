import { sql, type Kysely } from 'kysely';

// Frozen: never edit a migration that has run anywhere; add a new one instead.
// Raw SQL because most of the rules live in CHECK constraints, partial indexes and
// triggers that Kysely's schema builder cannot express. One statement per query:
// postgres.js and PGlite prepare statements and refuse several at once.
const statements = [
  sql`create table admin_units (
    id text primary key,
    gso_code text,
    name text not null,
    unit_type text not null check (unit_type in ('tinh','thanh_pho_tw','huyen','thi_xa','thanh_pho','xa','phuong','thi_tran')),
    level text not null check (level in ('province','district','commune')),
    parent_id text references admin_units(id),
    valid_from date,
    valid_to date,
    successor_id text references admin_units(id),
    check (valid_to is null or valid_from is null or valid_to > valid_from)
  )`,
  sql`create table legal_bases (
    id text primary key,
    title_vi text not null,
    title_en text not null,
    effective_from date not null,
    effective_to date
  )`,
  sql`create table product_groups (
    id serial primary key,
    legal_basis_id text not null references legal_bases(id),
    kind text not null check (kind in ('plan_group','sector','group','product_set')),
    code text not null,
    name_vi text not null,
    name_en text not null,
    parent_id integer references product_groups(id),
    unique (legal_basis_id, kind, code)
  )`,
  sql`create table producers (
    id serial primary key,
    name text not null check (length(name) between 2 and 200),
    legal_form text not null check (legal_form in ('doanh_nghiep','hop_tac_xa','to_hop_tac','ho_kinh_doanh')),
    tax_code text check (tax_code ~ '^[0-9]{10}(-[0-9]{3})?$'),
    representative text,
    female_led boolean not null default false,
    ethnic_minority_led boolean not null default false,
    address_line text,
    address_unit_id text references admin_units(id),
    phone text,
    email text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`,
  sql`create table products (
    id serial primary key,
    slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    producer_id integer not null references producers(id),
    name text not null check (length(name) between 2 and 200),
    plan_group_id integer references product_groups(id),
    national_group_id integer references product_groups(id),
    gtin text check (gtin ~ '^([0-9]{8}|[0-9]{12,14})$'),
    description text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`,
  sql`create index products_producer_idx on products(producer_id)`,
  sql`create table raw_material_regions (
    id serial primary key,
    product_id integer not null references products(id) on delete cascade,
    unit_id text references admin_units(id),
    description text not null,
    area_ha numeric(12,2) check (area_ha is null or area_ha > 0),
    latitude numeric(9,6) check (latitude is null or latitude between -90 and 90),
    longitude numeric(9,6) check (longitude is null or longitude between -180 and 180)
  )`,
  sql`create index raw_material_regions_product_idx on raw_material_regions(product_id)`,
  sql`create table evaluations (
    id serial primary key,
    product_id integer not null references products(id),
    score_a numeric(4,1) not null check (score_a between 0 and 40),
    score_b numeric(4,1) not null check (score_b between 0 and 25),
    score_c numeric(4,1) not null check (score_c between 0 and 35),
    total numeric(4,1) not null,
    mandatory_level smallint not null check (mandatory_level between 1 and 5),
    stars smallint not null check (stars between 1 and 5),
    council_level text not null check (council_level in ('commune','district','province','national')),
    evaluated_on date not null,
    legal_basis_id text not null references legal_bases(id),
    note text,
    created_by integer,
    created_at timestamptz not null default now(),
    check (total = score_a + score_b + score_c),
    -- the star follows both the total and the mandatory criteria, never the total alone
    check (stars = least(mandatory_level, case when total >= 90 then 5 when total >= 70 then 4
      when total >= 50 then 3 when total >= 30 then 2 else 1 end))
  )`,
  sql`create index evaluations_product_idx on evaluations(product_id)`,
  sql`create sequence certificate_status_index_seq minvalue 0 start 0`,
  sql`create table certificates (
    id serial primary key,
    number text not null unique check (number ~ '^[A-Z0-9][A-Z0-9./-]{2,39}$'),
    product_id integer not null references products(id),
    evaluation_id integer not null unique references evaluations(id),
    stars smallint not null check (stars between 3 and 5),
    decision_number text not null,
    decision_date date not null,
    issuing_body text not null,
    issuing_level text not null check (issuing_level in ('district','province','national')),
    legal_basis_id text not null references legal_bases(id),
    valid_from date not null,
    valid_until date not null,
    status text not null default 'active' check (status in ('active','revoked','superseded')),
    supersedes_id integer unique references certificates(id),
    superseded_at timestamptz,
    revocation_decision_number text,
    revocation_date date,
    revocation_ground text check (revocation_ground in ('expired_not_reevaluated','failed_reevaluation','not_certified_process','food_safety_violation','no_quality_records','production_stopped','other')),
    revocation_note text,
    revoked_by integer,
    revoked_at timestamptz,
    status_index integer not null unique default nextval('certificate_status_index_seq'),
    created_at timestamptz not null default now(),
    check (valid_until > valid_from),
    check (valid_from >= decision_date),
    check (stars < 5 or issuing_level = 'national'),
    check ((status = 'revoked') = (revocation_decision_number is not null and revocation_date is not null and revocation_ground is not null)),
    check (status <> 'superseded' or superseded_at is not null)
  )`,
  sql`create unique index certificates_one_active_per_product on certificates(product_id) where status = 'active'`,
  sql`create index certificates_valid_until_idx on certificates(valid_until)`,
  // Revoked and superseded are final: a correction is a new certificate.
  sql`create function certificates_guard() returns trigger language plpgsql as $$
  begin
    if old.status <> 'active' and (new.status is distinct from old.status
        or new.revocation_decision_number is distinct from old.revocation_decision_number
        or new.revocation_date is distinct from old.revocation_date
        or new.revocation_ground is distinct from old.revocation_ground) then
      raise exception 'certificate % is % and cannot change', old.number, old.status using errcode = 'check_violation';
    end if;
    if new.number <> old.number or new.product_id <> old.product_id or new.stars <> old.stars
        or new.valid_from <> old.valid_from or new.valid_until <> old.valid_until or new.status_index <> old.status_index then
      raise exception 'certificate % facts are immutable', old.number using errcode = 'check_violation';
    end if;
    return new;
  end $$`,
  sql`create trigger certificates_guard before update on certificates for each row execute function certificates_guard()`,
  sql`create table signing_keys (
    kid text primary key,
    key_number smallint not null unique check (key_number between 1 and 255),
    public_jwk jsonb not null,
    status text not null default 'active' check (status in ('active','retired','withdrawn')),
    created_at timestamptz not null default now(),
    withdrawn_at timestamptz,
    withdrawn_reason text
  )`,
  sql`create table package_batches (
    id serial primary key,
    certificate_id integer not null references certificates(id),
    lot_code text not null check (lot_code ~ '^[A-Za-z0-9][A-Za-z0-9._/-]{0,31}$'),
    production_date date not null,
    best_before date,
    quantity integer not null check (quantity between 1 and 1000000),
    key_number smallint not null references signing_keys(key_number),
    created_by integer,
    created_at timestamptz not null default now(),
    unique (certificate_id, lot_code),
    check (best_before is null or best_before > production_date)
  )`,
  sql`create index package_batches_certificate_idx on package_batches(certificate_id)`,
  sql`create table scans (
    id bigserial primary key,
    batch_id integer not null references package_batches(id),
    serial integer not null check (serial >= 1),
    scanned_at timestamptz not null default now(),
    place text,
    client_hash text,
    verdict text not null
  )`,
  sql`create index scans_package_idx on scans(batch_id, serial, scanned_at)`,
  sql`create table counterfeit_reports (
    id serial primary key,
    batch_id integer references package_batches(id),
    serial integer,
    certificate_id integer references certificates(id),
    code_text text,
    message text not null check (length(message) between 1 and 2000),
    contact text,
    place text,
    client_hash text,
    status text not null default 'new' check (status in ('new','reviewing','closed')),
    created_at timestamptz not null default now()
  )`,
  sql`create table users (
    id serial primary key,
    email text not null unique check (email = lower(email) and email like '%_@_%'),
    name text not null,
    role text not null check (role in ('province_admin','area_officer','producer','auditor')),
    area_unit_id text references admin_units(id),
    producer_id integer references producers(id),
    password_hash text not null,
    session_version integer not null default 1,
    disabled boolean not null default false,
    failed_logins integer not null default 0,
    locked_until timestamptz,
    created_at timestamptz not null default now(),
    check ((role = 'area_officer') = (area_unit_id is not null)),
    check ((role = 'producer') = (producer_id is not null))
  )`,
  sql`create table api_tokens (
    id serial primary key,
    name text not null,
    token_hash text not null unique,
    role text not null check (role in ('province_admin','area_officer','producer','auditor')),
    area_unit_id text references admin_units(id),
    producer_id integer references producers(id),
    created_by integer references users(id),
    created_at timestamptz not null default now(),
    revoked_at timestamptz,
    last_used_at timestamptz
  )`,
  sql`create table audit_log (
    id bigserial primary key,
    at timestamptz not null default now(),
    actor_user_id integer,
    actor_label text not null,
    action text not null,
    entity text not null,
    entity_id text,
    before jsonb,
    after jsonb,
    reason text
  )`,
  sql`create index audit_log_entity_idx on audit_log(entity, entity_id)`,
  sql`create index audit_log_at_idx on audit_log(at)`,
  // Append-only, enforced by the database rather than by convention.
  sql`create function audit_log_append_only() returns trigger language plpgsql as $$
  begin
    raise exception 'audit_log is append-only' using errcode = 'insufficient_privilege';
  end $$`,
  sql`create trigger audit_log_no_update before update or delete on audit_log for each row execute function audit_log_append_only()`,
  sql`create trigger audit_log_no_truncate before truncate on audit_log for each statement execute function audit_log_append_only()`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('The initial migration cannot be reverted; restore a backup instead.');
}
