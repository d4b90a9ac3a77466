import type { Kysely } from 'kysely';
import type { Database } from '../../schema/database';
import type { AuditRow } from './admin-certificates';
import { vietnamDayStart } from './admin-dashboard';
import { addDays } from '../domain/dates';

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
  if (f.action) q = f.action.endsWith('.') ? q.where('action', 'like', `${f.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) : q.where('action', '=', f.action);
  if (f.entity) q = q.where('entity', '=', f.entity);
  if (f.entityId) q = q.where('entity_id', '=', f.entityId);
  if (f.actor) q = q.where('actor_label', 'ilike', `%${f.actor.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (f.from) q = q.where('at', '>=', vietnamDayStart(f.from));
  if (f.to) q = q.where('at', '<', vietnamDayStart(addDays(f.to, 1)));
  return q;
}

/** Newest first, one page; `before` is the id to continue below (keyset paging). */
export async function listAudit(db: Kysely<Database>, f: AuditFilter, opts: { limit?: number; before?: number | undefined } = {}): Promise<AuditRow[]> {
  let q = filtered(db, f);
  if (opts.before !== undefined) q = q.where('id', '<', opts.before);
  const rows = await q.orderBy('id', 'desc').limit(opts.limit ?? 100).execute();
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

/** Every matching entry, oldest first, read in pages so an export of years stays flat in memory. */
export async function* iterateAudit(db: Kysely<Database>, f: AuditFilter, pageSize = 1000): AsyncGenerator<AuditRow> {
  let after = 0;
  for (;;) {
    const rows = await filtered(db, f).where('id', '>', after).orderBy('id').limit(pageSize).execute();
    for (const r of rows) yield { ...r, id: Number(r.id) };
    if (rows.length < pageSize) return;
    after = Number(rows[rows.length - 1]!.id);
  }
}

export async function auditActions(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('audit_log').select('action').distinct().orderBy('action').execute();
  return rows.map((r) => r.action);
}
