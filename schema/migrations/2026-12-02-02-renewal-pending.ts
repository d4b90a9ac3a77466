import { sql, type Kysely } from 'kysely';

// Frozen once run. Renewal applications (issue 11): an official records that a producer's
// re-evaluation file was received for a certificate, and later, if so, that the renewal was
// refused. "Renewal pending" is derived, never stored: an application with no refusal, on a
// certificate that is still `active` (a renewal supersedes it, which ends the wait; a
// revocation wins over it). At most one open application per certificate; after a refusal a
// new file may be received again.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table renewal_applications (
    id serial primary key,
    certificate_id integer not null references certificates(id),
    received_on date not null,
    note text check (note is null or char_length(note) <= 1000),
    recorded_by integer references users(id),
    recorded_at timestamptz not null default now(),
    refused_on date,
    refusal_note text check (refusal_note is null or char_length(refusal_note) <= 1000),
    refused_by integer references users(id),
    refused_at timestamptz,
    check (refused_on is null or refused_on >= received_on),
    check ((refused_on is null) = (refused_at is null))
  )`.execute(db);
  await sql`create unique index renewal_applications_open_idx on renewal_applications (certificate_id) where refused_on is null`.execute(db);
  // Scan pages cache package states: other processes hear about a change like any other table's.
  await sql`create trigger renewal_applications_notify_change after insert or update or delete on renewal_applications for each statement execute function ocop_notify_change()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists renewal_applications_notify_change on renewal_applications`.execute(db);
  await sql`drop table if exists renewal_applications`.execute(db);
}
