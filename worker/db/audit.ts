import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../schema/database';
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
