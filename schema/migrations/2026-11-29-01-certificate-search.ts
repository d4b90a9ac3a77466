import { sql, type Kysely } from 'kysely';

// Frozen once run. Decision numbers ("101/QĐ-UBND") get a folded search key like product
// and producer names (2026-11-28-02), so the admin search compares a folded query with a
// column instead of folding every row at query time. The folding is 02's: precomposed
// Vietnamese vowels (both cases) and đ to their lower-case base letter, combining marks
// dropped. Derived here from the letters rather than imported: a migration never changes.
const LETTERS = 'àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ';
const PRECOMPOSED = LETTERS + LETTERS.toUpperCase();
const MARKS = '\u0300\u0301\u0302\u0303\u0306\u0309\u031b\u0323';
const BASE = [...PRECOMPOSED].map((ch) => (ch === 'đ' || ch === 'Đ' ? 'd' : ch.normalize('NFD').charAt(0).toLowerCase())).join('');

export async function up(db: Kysely<any>): Promise<void> {
  const folded = sql.raw(`lower(translate(decision_number, '${PRECOMPOSED + MARKS}', '${BASE}'))`);
  await sql`alter table certificates add column search_decision text generated always as (${folded}) stored`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table certificates drop column search_decision`.execute(db);
}
