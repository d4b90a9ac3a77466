import { sql, type Kysely } from 'kysely';

// Frozen once run. How a shopper reaches the producer from the scan page: a website (https
// only) and a Zalo number (a Vietnamese mobile number, stored as its 10 digits). The phone
// column exists since the first migration; the forms now store it as digits too, but older
// rows may hold free text, so it gets no constraint here (public pages show only a phone
// that parses, worker/domain/contact.ts).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table producers
    add column website text check (website ~ '^https://' and length(website) <= 200),
    add column zalo text check (zalo ~ '^0[35789][0-9]{8}$')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table producers drop column website, drop column zalo`.execute(db);
}
