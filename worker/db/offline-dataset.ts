// The compact tables the offline scanner (/kiem-tra-nhanh) keeps in IndexedDB: every
// certificate with what a shop needs to see (number, product, producer, stars, dates, state)
// and every batch (id → certificate, key, quantity, lot, best-before). Two queries, no
// per-row work: the whole programme is a few thousand certificates and batches.
import type { Kysely } from 'kysely';
import type { Database } from '../../schema/database';
import type { CertificateStatusColumn } from '../../schema/database';
import { addDays } from '../domain/dates';
import type { FeedPosition } from './certificate-status';
import { renewalPendingSince } from './renewals';

export interface OfflineCertificate {
  id: number;
  number: string;
  product: string;
  producer: string;
  stars: number;
  status: CertificateStatusColumn;
  validFrom: string;
  validUntil: string;
  supersededBy: { number: string; stars: number; validUntil: string } | null;
  /** The day an open renewal file was received (renewals.ts), else null. */
  renewalPendingSince: string | null;
}

export interface OfflineBatch {
  id: number;
  certificateId: number;
  keyNumber: number;
  quantity: number;
  lotCode: string;
  bestBefore: string | null;
}

export async function offlineDataset(db: Kysely<Database>): Promise<{ certificates: OfflineCertificate[]; batches: OfflineBatch[] }> {
  const [certs, batches] = await Promise.all([
    db
      .selectFrom('certificates as c')
      .innerJoin('products as p', 'p.id', 'c.product_id')
      .innerJoin('producers as pr', 'pr.id', 'p.producer_id')
      .leftJoin('certificates as next', 'next.supersedes_id', 'c.id')
      .select([
        'c.id', 'c.number', 'c.stars', 'c.status', 'c.valid_from', 'c.valid_until', 'p.name as product', 'pr.name as producer',
        'next.number as next_number', 'next.stars as next_stars', 'next.valid_until as next_valid_until',
      ])
      .select((eb) => renewalPendingSince(eb.ref('c.id')).as('renewal_pending_since'))
      .orderBy('c.id')
      .execute(),
    db.selectFrom('package_batches').select(['id', 'certificate_id', 'key_number', 'quantity', 'lot_code', 'best_before']).orderBy('id').execute(),
  ]);
  return {
    certificates: certs.map((r) => ({
      id: r.id,
      number: r.number,
      product: r.product,
      producer: r.producer,
      stars: r.stars,
      status: r.status,
      validFrom: r.valid_from,
      validUntil: r.valid_until,
      supersededBy: r.next_number !== null && r.next_stars !== null && r.next_valid_until !== null ? { number: r.next_number, stars: r.next_stars, validUntil: r.next_valid_until } : null,
      renewalPendingSince: r.renewal_pending_since ?? null,
    })),
    batches: batches.map((b) => ({ id: b.id, certificateId: b.certificate_id, keyNumber: b.key_number, quantity: b.quantity, lotCode: b.lot_code, bestBefore: b.best_before })),
  };
}

/**
 * Where the revocation feed stands now: its last revocation, and expiries up to yesterday.
 * Read BEFORE the tables, so a revocation committed in between is in the tables or after
 * this position (then the phone gets it twice, harmlessly), never in neither.
 */
export async function currentFeedPosition(db: Kysely<Database>, today: string): Promise<FeedPosition> {
  const row = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.max('id').as('last'))
    .where('action', '=', 'certificate.revoke')
    .where('entity', '=', 'certificate')
    .executeTakeFirst();
  return { revocationAfter: Number(row?.last ?? 0), revokedFrom: null, expiryAfter: [addDays(today, -1), 2_147_483_647] };
}
