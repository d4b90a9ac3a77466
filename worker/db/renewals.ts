// Renewal applications (issue 11): a re-evaluation file received for a certificate, and its
// refusal. Admin certificate pages; the public side reads only the open application's date,
// through certificateViewQuery (certificates.ts). The rules are in domain/renewal.ts.
import { sql, type Expression, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { Database, RenewalApplication } from '../../schema/database';
import { DomainError } from '../domain/errors';
import { checkRenewalApplication, checkRenewalRefusal } from '../domain/renewal';
import { audit, type Actor } from './audit';

type Db = Kysely<Database> | Transaction<Database>;

/** The day the open application of certificate `c` was received (null: none), as a subquery of a certificate query. */
export function renewalPendingSince(certificateId: Expression<number>) {
  return sql<string | null>`(select ra.received_on from renewal_applications ra where ra.certificate_id = ${certificateId} and ra.refused_on is null)`;
}

/** Whether a certificate has an open application (SQL condition on `c.id`). */
export function hasOpenApplication(certificateId: Expression<number>) {
  return sql<SqlBool>`exists (select 1 from renewal_applications ra where ra.certificate_id = ${certificateId} and ra.refused_on is null)`;
}

async function lockedCertificate(trx: Db, certificateId: number) {
  const cert = await trx.selectFrom('certificates').select(['id', 'number', 'status', 'decision_date']).where('id', '=', certificateId).forUpdate().executeTakeFirst();
  if (!cert) throw new DomainError('unknown_certificate', 'Unknown certificate', 'Không tìm thấy giấy chứng nhận');
  return cert;
}

async function openOf(trx: Db, certificateId: number): Promise<RenewalApplication | undefined> {
  return trx.selectFrom('renewal_applications').selectAll().where('certificate_id', '=', certificateId).where('refused_on', 'is', null).executeTakeFirst();
}

export interface ApplicationInput {
  receivedOn: string;
  note?: string | null | undefined;
}

/** Records that a re-evaluation file was received: the certificate shows "renewal under review" once expired. */
export async function recordRenewalApplication(db: Kysely<Database>, actor: Actor, certificateId: number, input: ApplicationInput, now: Date): Promise<RenewalApplication> {
  return db.transaction().execute(async (trx) => {
    const cert = await lockedCertificate(trx, certificateId);
    checkRenewalApplication(cert, await openOf(trx, cert.id), input.receivedOn, now);
    const row = await trx
      .insertInto('renewal_applications')
      .values({ certificate_id: cert.id, received_on: input.receivedOn, note: input.note?.trim() || null, recorded_by: actor.userId })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, actor, { action: 'certificate.renewal_received', entity: 'certificate', entityId: cert.id, after: row, reason: row.note });
    return row;
  });
}

export interface RefusalInput {
  refusedOn: string;
  note?: string | null | undefined;
}

/** Records that the renewal was refused: the certificate is plainly expired again (or stays valid until it ends). */
export async function refuseRenewal(db: Kysely<Database>, actor: Actor, certificateId: number, input: RefusalInput, now: Date): Promise<RenewalApplication> {
  return db.transaction().execute(async (trx) => {
    const cert = await lockedCertificate(trx, certificateId);
    const open = await openOf(trx, cert.id);
    checkRenewalRefusal(cert, open, input.refusedOn, now);
    const row = await trx
      .updateTable('renewal_applications')
      .set({ refused_on: input.refusedOn, refusal_note: input.note?.trim() || null, refused_by: actor.userId, refused_at: now })
      .where('id', '=', open!.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, actor, { action: 'certificate.renewal_refused', entity: 'certificate', entityId: cert.id, before: open, after: row, reason: row.refusal_note });
    return row;
  });
}

/** Every application of a certificate, newest first (admin certificate page). */
export async function renewalApplications(db: Db, certificateId: number): Promise<RenewalApplication[]> {
  return db.selectFrom('renewal_applications').selectAll().where('certificate_id', '=', certificateId).orderBy('received_on', 'desc').orderBy('id', 'desc').execute();
}

/**
 * The active certificate of each product (at most one: a unique index), by product id: a new
 * evaluation of such a product is a renewal, never a first issue (issue 12).
 */
export async function activeCertificatesOf(db: Db, productIds: readonly number[]): Promise<Map<number, { id: number; number: string }>> {
  const out = new Map<number, { id: number; number: string }>();
  if (productIds.length === 0) return out;
  const rows = await db
    .selectFrom('certificates')
    .select(['id', 'number', 'product_id'])
    .where('status', '=', 'active')
    .where('product_id', 'in', [...new Set(productIds)])
    .execute();
  for (const r of rows) out.set(r.product_id, { id: r.id, number: r.number });
  return out;
}
