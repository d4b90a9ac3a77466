// Counterfeit reports: filed from scan pages (public routes), reviewed on the admin counterfeit pages.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../schema/database';
import { DomainError } from '../domain/errors';
import { audit, SYSTEM_ACTOR, type Actor } from './audit';
import { producerInScope, type Scope } from './scope';

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


export interface CounterfeitRow {
  id: number;
  batch_id: number | null;
  serial: number | null;
  certificate_id: number | null;
  certificate_number: string | null;
  product_name: string | null;
  producer_name: string | null;
  code_text: string | null;
  message: string;
  /** The shopper's contact: only in rows read `withContact` (officials), else absent. */
  contact?: string | null;
  place: string | null;
  status: 'new' | 'reviewing' | 'closed';
  created_at: Date;
}

/**
 * Counterfeit reports, each tied to a product through its batch or its certificate. A
 * report naming neither (an unreadable code) is visible to officials only. The shopper's
 * contact is read only when `withContact` (the caller may see it: officials, never the
 * producer of the reported product), so it cannot leak through a page or an API answer.
 */
export async function listCounterfeitReports(
  db: Kysely<Database>,
  scope: Scope,
  filter: { productId?: number | undefined; status?: string | undefined } = {},
  opts: { withContact: boolean } = { withContact: false },
): Promise<CounterfeitRow[]> {
  let q = db
    .selectFrom('counterfeit_reports as r')
    .leftJoin('package_batches as b', 'b.id', 'r.batch_id')
    .leftJoin('certificates as c', (j) => j.on(sql<boolean>`c.id = coalesce(r.certificate_id, b.certificate_id)`))
    .leftJoin('products as p', 'p.id', 'c.product_id')
    .leftJoin('producers as pr', 'pr.id', 'p.producer_id')
    .select([
      'r.id', 'r.batch_id', 'r.serial', 'c.id as certificate_id', 'c.number as certificate_number', 'p.name as product_name', 'pr.name as producer_name',
      'r.code_text', 'r.message', 'r.place', 'r.status', 'r.created_at',
    ])
    .$if(opts.withContact, (qb) => qb.select('r.contact'));
  if (scope.kind !== 'all') q = q.where(producerInScope(scope));
  if (filter.productId !== undefined) q = q.where('p.id', '=', filter.productId);
  if (filter.status === 'new' || filter.status === 'reviewing' || filter.status === 'closed') q = q.where('r.status', '=', filter.status);
  return q.orderBy('r.created_at', 'desc').limit(500).execute();
}

export async function setCounterfeitStatus(db: Kysely<Database>, actor: Actor, id: number, status: 'new' | 'reviewing' | 'closed', note: string | null): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('counterfeit_reports').select(['id', 'status']).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!before) throw new DomainError('unknown_report', 'Unknown report', 'Không tìm thấy phản ánh');
    await trx.updateTable('counterfeit_reports').set({ status }).where('id', '=', id).execute();
    await audit(trx, actor, { action: 'counterfeit.status', entity: 'counterfeit_report', entityId: id, before, after: { id, status }, reason: note });
  });
}

/**
 * Erases the contact of every report older than `months` months (REPORT_CONTACT_RETENTION_MONTHS):
 * the report itself stays, for the record, without a way to reach the shopper. One audit
 * row names the reports and the cut-off. Run by the daily job; returns how many it erased.
 */
export async function eraseOldReportContacts(db: Kysely<Database>, now: Date, months: number): Promise<number> {
  const cutoff = new Date(now.getTime());
  cutoff.setUTCMonth(cutoff.getUTCMonth() - months);
  return db.transaction().execute(async (trx) => {
    const erased = await trx
      .updateTable('counterfeit_reports')
      .set({ contact: null })
      .where('contact', 'is not', null)
      .where('created_at', '<', cutoff)
      .returning('id')
      .execute();
    if (erased.length > 0) {
      await audit(trx, SYSTEM_ACTOR, {
        action: 'counterfeit.contact_erased',
        entity: 'counterfeit_report',
        entityId: null,
        after: { ids: erased.map((r) => r.id), created_before: cutoff.toISOString(), retention_months: months },
        reason: `retention: contacts older than ${months} months`,
      });
    }
    return erased.length;
  });
}
