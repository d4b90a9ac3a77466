import { sql, type RawBuilder } from 'kysely';

// PGlite and postgres.js serialise jsonb parameters differently (one stringifies a string
// again). Sending text and casting in SQL behaves the same on both.
export function jsonb(value: unknown): RawBuilder<string> {
  return sql<string>`cast(${JSON.stringify(value ?? null)}::text as jsonb)`;
}
