import { sql, type Kysely } from 'kysely';

// Frozen once run. Search keys for the public catalogue, so "hat dieu" finds "Hạt điều".
// PGlite has no `unaccent` extension, so the folding is spelled out with translate():
// every precomposed Vietnamese vowel (both cases) and đ map to their base letter, and
// the combining marks of decomposed (NFD) text are dropped. The app folds the query the
// same way in TypeScript (worker/db/catalogue.ts foldVietnamese). Generated columns keep
// the keys right whoever writes the row (admin UI, CLI, seed).
const FROM =
  'àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ' +
  'ÀÁẠẢÃÂẦẤẬẨẪĂẰẮẶẲẴÈÉẸẺẼÊỀẾỆỂỄÌÍỊỈĨÒÓỌỎÕÔỒỐỘỔỖƠỜỚỢỞỠÙÚỤỦŨƯỪỨỰỬỮỲÝỴỶỸĐ' +
  '\u0300\u0301\u0302\u0303\u0306\u0309\u031b\u0323';
const TO =
  'aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd' +
  'aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd';

function fold(expression: string) {
  return sql.raw(`lower(translate(${expression}, '${FROM}', '${TO}'))`);
}

const statements = [
  sql`alter table products add column search_name text generated always as (${fold('name')}) stored`,
  sql`alter table products add column search_text text generated always as (${fold(`name || ' ' || coalesce(description, '')`)}) stored`,
  sql`alter table producers add column search_name text generated always as (${fold('name')}) stored`,
  // Counterfeit reports are rate-limited per client hash over a sliding hour.
  sql`create index counterfeit_reports_client_idx on counterfeit_reports(client_hash, created_at)`,
  // The revocation feed pages by revocation time.
  sql`create index certificates_revoked_at_idx on certificates(revoked_at) where revoked_at is not null`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index certificates_revoked_at_idx`.execute(db);
  await sql`drop index counterfeit_reports_client_idx`.execute(db);
  await sql`alter table producers drop column search_name`.execute(db);
  await sql`alter table products drop column search_text`.execute(db);
  await sql`alter table products drop column search_name`.execute(db);
}
