import { sql, type Kysely } from 'kysely';

// Photos of products and packages, and the scanned decision of a certificate. The files
// themselves are in the media store (R2 or DATA_DIR/media), named by the SHA-256 of their
// bytes; these tables say which file is what. A photo has one row per rendition (width).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table product_photos (
    id serial primary key,
    product_id integer not null references products(id) on delete cascade,
    kind text not null check (kind in ('product', 'package')),
    is_main boolean not null default false,
    width integer not null check (width > 0),
    height integer not null check (height > 0),
    created_at timestamptz not null default now(),
    created_by integer references users(id) on delete set null
  )`.execute(db);
  await sql`create index product_photos_product_idx on product_photos(product_id)`.execute(db);
  // At most one main photo per product.
  await sql`create unique index product_photos_main_idx on product_photos(product_id) where is_main`.execute(db);
  await sql`create table product_photo_renditions (
    photo_id integer not null references product_photos(id) on delete cascade,
    width integer not null check (width > 0),
    height integer not null check (height > 0),
    sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
    bytes integer not null check (bytes > 0),
    primary key (photo_id, width)
  )`.execute(db);
  await sql`create index product_photo_renditions_sha_idx on product_photo_renditions(sha256)`.execute(db);
  await sql`create table certificate_documents (
    certificate_id integer primary key references certificates(id) on delete cascade,
    sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
    bytes integer not null check (bytes > 0),
    uploaded_at timestamptz not null default now(),
    uploaded_by integer references users(id) on delete set null
  )`.execute(db);
  await sql`create index certificate_documents_sha_idx on certificate_documents(sha256)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists certificate_documents`.execute(db);
  await sql`drop table if exists product_photo_renditions`.execute(db);
  await sql`drop table if exists product_photos`.execute(db);
}
