import { sql, type Kysely } from 'kysely';
import type { Database } from '../../schema/database';

export interface ReportInput {
  batchId: number | null;
  serial: number | null;
  certificateId: number | null;
  codeText: string | null;
  message: string;
  contact: string | null;
  place: string | null;
  clientHash: string | null;
}

/** A shopper's report of a suspected fake. Officials see it in the admin area. */
export async function createReport(db: Kysely<Database>, input: ReportInput): Promise<number> {
  const row = await db
    .insertInto('counterfeit_reports')
    .values({
      batch_id: input.batchId,
      serial: input.serial,
      certificate_id: input.certificateId,
      code_text: input.codeText,
      message: input.message,
      contact: input.contact,
      place: input.place,
      client_hash: input.clientHash,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Reports from one client hash in the last `windowSeconds` by the database clock (the rate
 * limit counts rows, so it holds across processes and Worker isolates).
 */
export async function countRecentReports(db: Kysely<Database>, clientHash: string, windowSeconds: number): Promise<number> {
  const row = await db
    .selectFrom('counterfeit_reports')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('client_hash', '=', clientHash)
    .where('created_at', '>', sql<Date>`now() - make_interval(secs => ${windowSeconds})`)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Whether a batch exists, so a report never points at a row that is not there. */
export async function batchExists(db: Kysely<Database>, batchId: number): Promise<boolean> {
  const row = await db.selectFrom('package_batches').select('id').where('id', '=', batchId).executeTakeFirst();
  return row !== undefined;
}
