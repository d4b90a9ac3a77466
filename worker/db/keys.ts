// Signing keys (public parts and statuses): both runtimes at start-up and on refresh, the CLI, and the admin key pages.
import { sql, type Kysely } from 'kysely';
import type { Database, KeyStatusColumn } from '../../schema/database';
import type { KeyRing } from '../codes/keyring';
import type { KeyStatus } from '../domain/vocabulary';
import { DomainError } from '../domain/errors';
import { audit, type Actor } from './audit';
import { jsonb } from './json';

/**
 * The database holds each key's public part and status; private keys never touch it.
 * Registers keys the ring has and the table lacks, then applies the table's statuses
 * (a withdrawal made by an official) to the ring. Safe to call repeatedly.
 */
export async function syncSigningKeys(db: Kysely<Database>, ring: KeyRing): Promise<void> {
  const rows = await db.selectFrom('signing_keys').select(['kid', 'status']).execute();
  const known = new Set(rows.map((r) => r.kid));
  const missing = ring.entries().filter((k) => !known.has(k.kid));
  if (missing.length > 0) {
    await db
      .insertInto('signing_keys')
      .values(missing.map((k) => ({ kid: k.kid, key_number: k.keyNumber, public_jwk: jsonb(k.publicJwk), status: k.status })))
      .onConflict((oc) => oc.column('kid').doNothing())
      .execute();
  }
  applyStatuses(ring, rows);
}

/**
 * Statuses from the database, and the public half of keys this ring has never seen (added
 * by `keys rotate`, the CLI or another process), so running servers verify their codes
 * without a restart.
 */
export async function refreshKeyStatuses(db: Kysely<Database>, ring: KeyRing): Promise<void> {
  const rows = await db.selectFrom('signing_keys').select(['kid', 'key_number', 'public_jwk', 'status']).execute();
  for (const row of rows) if (!ring.get(row.key_number)) await ring.addPublic(row.public_jwk, row.status);
  applyStatuses(ring, rows);
}

function applyStatuses(ring: KeyRing, rows: { kid: string; status: KeyStatus }[]): void {
  const byKid = new Map(rows.map((r) => [r.kid, r.status]));
  for (const entry of ring.entries()) {
    const status = byKid.get(entry.kid);
    if (status && status !== entry.status) ring.setStatus(entry.kid, status);
  }
}

/**
 * Rotation: every active key but the newest becomes `retired` (still verifies, no longer signs).
 */
export async function retireOlderKeys(db: Kysely<Database>, ring: KeyRing): Promise<void> {
  const newest = Math.max(...ring.entries().filter((k) => k.status === 'active').map((k) => k.keyNumber));
  await db.updateTable('signing_keys').set({ status: 'retired' }).where('status', '=', 'active').where('key_number', '<', newest).execute();
  await refreshKeyStatuses(db, ring);
}

export interface SigningKeyRow {
  kid: string;
  key_number: number;
  status: KeyStatusColumn;
  created_at: Date;
  withdrawn_at: Date | null;
  withdrawn_reason: string | null;
  batches: number;
  codes: number;
}

export async function listSigningKeys(db: Kysely<Database>): Promise<SigningKeyRow[]> {
  const rows = await db
    .selectFrom('signing_keys as k')
    .leftJoin('package_batches as b', 'b.key_number', 'k.key_number')
    .select(['k.kid', 'k.key_number', 'k.status', 'k.created_at', 'k.withdrawn_at', 'k.withdrawn_reason'])
    .select([sql<number>`count(b.id)`.as('batches'), sql<number>`coalesce(sum(b.quantity), 0)`.as('codes')])
    .groupBy(['k.kid', 'k.key_number', 'k.status', 'k.created_at', 'k.withdrawn_at', 'k.withdrawn_reason'])
    .orderBy('k.key_number', 'desc')
    .execute();
  return rows.map((r) => ({ ...r, batches: Number(r.batches), codes: Number(r.codes) }));
}

/**
 * Withdraws a compromised key: every code it signed verifies as "key withdrawn" from now
 * on, never as genuine. Final. The caller applies the new status to the in-memory key
 * ring and clears the package-state cache.
 */
export async function withdrawSigningKey(db: Kysely<Database>, actor: Actor, kid: string, reason: string, now: Date): Promise<SigningKeyRow> {
  await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('signing_keys').select(['kid', 'key_number', 'status', 'withdrawn_at', 'withdrawn_reason']).where('kid', '=', kid).forUpdate().executeTakeFirst();
    if (!before) throw new DomainError('unknown_key', 'Unknown signing key', 'Không tìm thấy khóa ký');
    if (before.status === 'withdrawn') throw new DomainError('key_withdrawn', 'This key is already withdrawn', 'Khóa này đã bị thu hồi');
    const after = await trx
      .updateTable('signing_keys')
      .set({ status: 'withdrawn', withdrawn_at: now, withdrawn_reason: reason.trim() })
      .where('kid', '=', kid)
      .returning(['kid', 'key_number', 'status', 'withdrawn_at', 'withdrawn_reason'])
      .executeTakeFirstOrThrow();
    await audit(trx, actor, { action: 'key.withdraw', entity: 'signing_key', entityId: kid, before, after, reason: reason.trim() });
  });
  const row = (await listSigningKeys(db)).find((k) => k.kid === kid);
  if (!row) throw new DomainError('unknown_key', 'Unknown signing key', 'Không tìm thấy khóa ký');
  return row;
}
