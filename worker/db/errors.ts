import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../schema/database';

/** Postgres error codes the app turns into clear messages instead of 500s. */
export function pgErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

export const UNIQUE_VIOLATION = '23505';
export const CHECK_VIOLATION = '23514';
export const FOREIGN_KEY_VIOLATION = '23503';

/**
 * Runs `work` in one transaction. When the database refuses the write, `explain` gets the
 * Postgres error code and throws the DomainError that says why in words; any other error,
 * a DomainError thrown by `work` included, passes through unchanged.
 */
export async function transactWrite<T>(db: Kysely<Database>, work: (trx: Transaction<Database>) => Promise<T>, explain: (code: string | undefined) => void): Promise<T> {
  try {
    return await db.transaction().execute(work);
  } catch (error) {
    explain(pgErrorCode(error));
    throw error;
  }
}
