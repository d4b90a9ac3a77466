// Package batches and the state a scan reads of one (package state): admin pages, admin API, labels, CLI, seed and the scan page / retailer API.
import type { Kysely } from 'kysely';
import type { Database, PackageBatch } from '../../schema/database';
import { TtlCache } from '../cache';
import type { KeyRing } from '../codes/keyring';
import { DomainError } from '../domain/errors';
import { checkBatch, checkBatchable } from '../domain/issuance';
import { audit, type Actor } from './audit';
import { certificatesWithProducer, certificateViewQuery, toCertificateView, type CertificateView } from './certificates';
import { pgErrorCode, UNIQUE_VIOLATION } from './errors';
import { producerView, type ProducerView } from './producers';
import { regionViews, type RegionView } from './products';
import { producerInScope, type Scope } from './scope';
import { loadUnits, type UnitIndex } from './units';

export { MAX_BATCH_QUANTITY } from '../domain/issuance';

export interface BatchInput {
  certificateId: number;
  lotCode: string;
  productionDate: string;
  bestBefore: string | null;
  quantity: number;
}

/**
 * Issues a batch for a certificate that is valid today. No row per package: codes are
 * derived from (batch id, serial) and the batch's key, so a download can be repeated.
 * `producerId` restricts a producer to their own products.
 */
export async function issueBatch(
  db: Kysely<Database>,
  actor: Actor,
  input: BatchInput,
  ring: KeyRing,
  now: Date,
  producerId: number | null = null,
): Promise<PackageBatch> {
  checkBatch(input, now);
  const signer = ring.signer();
  return db.transaction().execute(async (trx) => {
    const cert = await certificatesWithProducer(trx)
      .select(['c.id', 'c.number', 'c.status', 'c.valid_from', 'c.valid_until', 'p.producer_id'])
      .where('c.id', '=', input.certificateId)
      .executeTakeFirst();
    if (!cert) throw new DomainError('unknown_certificate', 'Unknown certificate', 'Không tìm thấy giấy chứng nhận');
    checkBatchable(cert, producerId, now);
    try {
      const batch = await trx
        .insertInto('package_batches')
        .values({
          certificate_id: cert.id,
          lot_code: input.lotCode.trim(),
          production_date: input.productionDate,
          best_before: input.bestBefore,
          quantity: input.quantity,
          key_number: signer.keyNumber,
          created_by: actor.userId,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await audit(trx, actor, { action: 'batch.issue', entity: 'package_batch', entityId: batch.id, after: batch });
      return batch;
    } catch (error) {
      if (pgErrorCode(error) === UNIQUE_VIOLATION) {
        throw new DomainError('lot_exists', `Lot ${input.lotCode} already exists for this certificate`, `Lô ${input.lotCode} đã tồn tại cho giấy chứng nhận này`);
      }
      throw error;
    }
  });
}

// ---------------------------------------------------------------------------------------
// Lists for officials and producers, within their scope

export interface BatchRow extends PackageBatch {
  certificate_number: string;
  certificate_status: 'active' | 'revoked' | 'superseded';
  certificate_valid_until: string;
  stars: number;
  product_id: number;
  product_name: string;
  producer_id: number;
  producer_name: string;
  scans: number;
}

function listBase(db: Kysely<Database>, scope: Scope) {
  return certificatesWithProducer(db)
    .innerJoin('package_batches as b', 'b.certificate_id', 'c.id')
    .selectAll('b')
    .select([
      'c.number as certificate_number', 'c.status as certificate_status', 'c.valid_until as certificate_valid_until', 'c.stars',
      'p.id as product_id', 'p.name as product_name', 'pr.id as producer_id', 'pr.name as producer_name',
    ])
    .select((eb) => eb.selectFrom('scan_batches as s').select('s.scans').whereRef('s.batch_id', '=', 'b.id').as('scans'))
    .where(producerInScope(scope));
}

export async function listBatches(db: Kysely<Database>, scope: Scope, filter: { productId?: number | undefined; certificateId?: number | undefined } = {}): Promise<BatchRow[]> {
  let q = listBase(db, scope);
  if (filter.productId !== undefined) q = q.where('p.id', '=', filter.productId);
  if (filter.certificateId !== undefined) q = q.where('c.id', '=', filter.certificateId);
  const rows = await q.orderBy('b.created_at', 'desc').orderBy('b.id', 'desc').limit(500).execute();
  return rows.map((r) => ({ ...r, scans: Number(r.scans ?? 0) }));
}

export async function getBatchRow(db: Kysely<Database>, scope: Scope, id: number): Promise<BatchRow | undefined> {
  const row = await listBase(db, scope).where('b.id', '=', id).executeTakeFirst();
  return row ? { ...row, scans: Number(row.scans ?? 0) } : undefined;
}

// ---------------------------------------------------------------------------------------
// Package state: what a scan shows

/** Everything a scan shows about one batch, read in one go and cached per batch. */
export interface PackageState {
  batch: {
    id: number;
    lotCode: string;
    productionDate: string;
    bestBefore: string | null;
    quantity: number;
    keyNumber: number;
  };
  certificate: CertificateView;
  product: { id: number; slug: string; name: string; groupVi: string | null; groupEn: string | null; description: string | null };
  producer: ProducerView & { id: number };
  regions: RegionView[];
}

export async function loadPackageState(
  db: Kysely<Database>,
  batchId: number,
  units: UnitIndex,
  today: string,
): Promise<PackageState | null> {
  const row = await certificateViewQuery(db)
    .innerJoin('package_batches as b', 'b.certificate_id', 'c.id')
    .select([
      'b.id as batch_id', 'b.lot_code', 'b.production_date', 'b.best_before', 'b.quantity', 'b.key_number',
      'p.id as product_id', 'p.description', 'pr.id as producer_id',
    ])
    .where('b.id', '=', batchId)
    .executeTakeFirst();
  if (!row) return null;
  return {
    batch: {
      id: row.batch_id, lotCode: row.lot_code, productionDate: row.production_date,
      bestBefore: row.best_before, quantity: row.quantity, keyNumber: row.key_number,
    },
    certificate: toCertificateView(row),
    product: { id: row.product_id, slug: row.slug, name: row.product_name, groupVi: row.group_vi, groupEn: row.group_en, description: row.description },
    producer: { id: row.producer_id, ...producerView(units, row, today) },
    regions: await regionViews(db, row.product_id, units),
  };
}

/**
 * Batch states cached per process for at most `ttlSeconds`. Every write in this process
 * (revocation, renewal, key withdrawal) calls `invalidate()`, so the origin answers the
 * new state at the very next scan; other processes and Worker isolates catch up within
 * the TTL (30 s by default, 60 s at most — the edge budget).
 */
export class PackageStateCache {
  private readonly states: TtlCache<number, PackageState | null>;
  private units: { index: UnitIndex; expires: number } | null = null;

  constructor(private readonly ttlSeconds: number, private readonly now: () => number = Date.now) {
    this.states = new TtlCache(ttlSeconds * 1000, 100_000, now);
  }

  async get(db: Kysely<Database>, batchId: number, today: string): Promise<PackageState | null> {
    const hit = this.states.get(batchId);
    if (hit !== undefined) return hit;
    const units = await this.unitIndex(db);
    const state = await loadPackageState(db, batchId, units, today);
    this.states.set(batchId, state);
    return state;
  }

  async unitIndex(db: Kysely<Database>): Promise<UnitIndex> {
    if (this.units && this.units.expires > this.now()) return this.units.index;
    const index = await loadUnits(db);
    this.units = { index, expires: this.now() + Math.max(this.ttlSeconds, 1) * 1000 };
    return index;
  }

  invalidate(): void {
    this.states.clear();
    this.units = null;
  }
}
