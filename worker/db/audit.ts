// The audit log: written by every aggregate's writes; read by the admin audit pages, the admin API and certificate details.
import type { Kysely, Transaction } from 'kysely';
import type { Certificate, Database } from '../../schema/database';
import { addDays, vietnamDayStart } from '../domain/dates';
import { escapeLike } from './catalogue';
import { jsonb } from './json';

export interface Actor {
  userId: number | null;
  /** Who, in words an auditor reads: an email, `cli`, `system`, `token:<name>`. */
  label: string;
}

export const SYSTEM_ACTOR: Actor = { userId: null, label: 'system' };

export interface AuditEntry {
  action: string;
  entity: string;
  entityId: string | number | null;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

/** Call inside the transaction that makes the change, so a change never lands unaudited. */
export async function audit(db: Kysely<Database> | Transaction<Database>, actor: Actor, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor_user_id: actor.userId,
      actor_label: actor.label,
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId === null ? null : String(entry.entityId),
      before: entry.before === undefined ? null : jsonb(entry.before),
      after: entry.after === undefined ? null : jsonb(entry.after),
      reason: entry.reason ?? null,
    })
    .execute();
}

export interface AuditRow {
  id: number;
  at: Date;
  actor_user_id: number | null;
  actor_label: string;
  action: string;
  entity: string;
  entity_id: string | null;
  before: unknown;
  after: unknown;
  reason: string | null;
}

export interface AuditFilter {
  /** Exact action (`certificate.revoke`) or a prefix ending in a dot (`certificate.`). */
  action?: string | undefined;
  entity?: string | undefined;
  entityId?: string | undefined;
  /** Part of the actor label (an email, `token:…`, `system`). */
  actor?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

function filtered(db: Kysely<Database>, f: AuditFilter) {
  let q = db.selectFrom('audit_log').selectAll();
  if (f.action) q = f.action.endsWith('.') ? q.where('action', 'like', `${escapeLike(f.action)}%`) : q.where('action', '=', f.action);
  if (f.entity) q = q.where('entity', '=', f.entity);
  if (f.entityId) q = q.where('entity_id', '=', f.entityId);
  if (f.actor) q = q.where('actor_label', 'ilike', `%${escapeLike(f.actor)}%`);
  if (f.from) q = q.where('at', '>=', vietnamDayStart(f.from));
  if (f.to) q = q.where('at', '<', vietnamDayStart(addDays(f.to, 1)));
  return q;
}

// bigint ids come back as numbers or strings depending on the driver.
function toRow<R extends { id: number | string | bigint }>(r: R): Omit<R, 'id'> & { id: number } {
  return { ...r, id: Number(r.id) };
}

/** Newest first, one page; `before` is the id to continue below (keyset paging). */
export async function listAudit(db: Kysely<Database>, f: AuditFilter, opts: { limit?: number; before?: number | undefined } = {}): Promise<AuditRow[]> {
  let q = filtered(db, f);
  if (opts.before !== undefined) q = q.where('id', '<', opts.before);
  const rows = await q.orderBy('id', 'desc').limit(opts.limit ?? 100).execute();
  return rows.map(toRow);
}

/** Every matching entry, oldest first, read in pages so an export of years stays flat in memory. */
export async function* iterateAudit(db: Kysely<Database>, f: AuditFilter, pageSize = 1000): AsyncGenerator<AuditRow> {
  let after = 0;
  for (;;) {
    const rows = await filtered(db, f).where('id', '>', after).orderBy('id').limit(pageSize).execute();
    for (const r of rows) yield toRow(r);
    if (rows.length < pageSize) return;
    after = Number(rows[rows.length - 1]!.id);
  }
}

export async function auditActions(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('audit_log').select('action').distinct().orderBy('action').execute();
  return rows.map((r) => r.action);
}

/** The audit trail of one certificate: itself, its evaluation and its batches. */
export async function certificateAudit(db: Kysely<Database>, cert: Pick<Certificate, 'id' | 'evaluation_id'>, batchIds: number[]): Promise<AuditRow[]> {
  const rows = await db
    .selectFrom('audit_log')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb.and([eb('entity', '=', 'certificate'), eb('entity_id', '=', String(cert.id))]),
        eb.and([eb('entity', '=', 'evaluation'), eb('entity_id', '=', String(cert.evaluation_id))]),
        ...(batchIds.length > 0 ? [eb.and([eb('entity', '=', 'package_batch'), eb('entity_id', 'in', batchIds.map(String))])] : []),
      ]),
    )
    .orderBy('at')
    .orderBy('id')
    .execute();
  return rows.map(toRow);
}
