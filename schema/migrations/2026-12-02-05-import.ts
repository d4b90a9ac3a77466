import { sql, type Kysely } from 'kysely';

// A register file uploaded for import, kept between the preview and the confirmation: Workers
// keep nothing between requests, and asking the official to pick the same file again would be
// a step that can go wrong. The bytes are cleared once the file is imported (the row, its
// hash and counts stay as the record); unconfirmed uploads older than a day are deleted by the
// next upload.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table register_uploads (
    id serial primary key,
    file_name text not null check (length(file_name) between 1 and 255),
    sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
    size_bytes integer not null check (size_bytes between 1 and 10485760),
    content bytea not null,
    mapping jsonb,
    uploaded_by_label text not null,
    uploaded_by integer,
    created_at timestamptz not null default now(),
    applied_at timestamptz,
    result jsonb
  )`.execute(db);
  await sql`create index register_uploads_created_idx on register_uploads(created_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists register_uploads`.execute(db);
}
