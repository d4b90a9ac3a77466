import type { Kysely } from 'kysely';
import type { Database } from '../../schema/database';
import type { KeyRing } from '../codes/keyring';
import type { KeyStatus } from '../domain/vocabulary';
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

export async function refreshKeyStatuses(db: Kysely<Database>, ring: KeyRing): Promise<void> {
  applyStatuses(ring, await db.selectFrom('signing_keys').select(['kid', 'status']).execute());
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
