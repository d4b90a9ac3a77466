// Package batches and the state a scan reads of one (package state): admin pages, admin API, labels, CLI, seed and the scan page / retailer API.
import { sql, type Kysely } from 'kysely';
import type { Database, PackageBatch } from '../../schema/database';
import { TtlCache } from '../cache';
import type { KeyRing } from '../codes/keyring';
import { DomainError } from '../domain/errors';
import { checkBatch, checkBatchable } from '../domain/issuance';
import { audit, type Actor } from './audit';
import { certificatesWithProducer, certificateViewQuery, toCertificateView, type CertificateView } from './certificates';
import { pgErrorCode, UNIQUE_VIOLATION } from './errors';
import { producerView, type ProducerView } from './producers';
import { regionViewsOf, type RegionView } from './products';
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
  product: { id: number; slug: string; name: string; gtin?: string | null; groupVi: string | null; groupEn: string | null; description: string | null };
  producer: ProducerView & { id: number };
  regions: RegionView[];
}

export async function loadPackageState(
  db: Kysely<Database>,
  batchId: number,
  units: UnitIndex,
  today: string,
): Promise<PackageState | null> {
  return (await loadPackageStates(db, [batchId], units, today)).get(batchId) ?? null;
}

/**
 * The states of many batches in two queries (batches with their certificates, then the
 * raw-material regions of their products), however many batches: bulk verification of
 * codes from 10,000 batches costs what one batch costs. Batches that do not exist are
 * absent from the map.
 */
export async function loadPackageStates(
  db: Kysely<Database>,
  batchIds: readonly number[],
  units: UnitIndex,
  today: string,
): Promise<Map<number, PackageState>> {
  const out = new Map<number, PackageState>();
  if (batchIds.length === 0) return out;
  const rows = await certificateViewQuery(db)
    .innerJoin('package_batches as b', 'b.certificate_id', 'c.id')
    .select([
      'b.id as batch_id', 'b.lot_code', 'b.production_date', 'b.best_before', 'b.quantity', 'b.key_number',
      'p.id as product_id', 'p.description', 'pr.id as producer_id',
    ])
    .where(sql<boolean>`b.id = any(${[...batchIds]}::int[])`)
    .execute();
  const regions = await regionViewsOf(db, [...new Set(rows.map((r) => r.product_id))], units);
  for (const row of rows) {
    out.set(row.batch_id, {
      batch: {
        id: row.batch_id, lotCode: row.lot_code, productionDate: row.production_date,
        bestBefore: row.best_before, quantity: row.quantity, keyNumber: row.key_number,
      },
      certificate: toCertificateView(row),
      product: { id: row.product_id, slug: row.slug, name: row.product_name, gtin: row.gtin, groupVi: row.group_vi, groupEn: row.group_en, description: row.description },
      producer: { id: row.producer_id, ...producerView(units, row, today) },
      regions: regions.get(row.product_id) ?? [],
    });
  }
  return out;
}

export type PackageStatesLoader = (db: Kysely<Database>, batchIds: readonly number[], units: UnitIndex, today: string) => Promise<Map<number, PackageState>>;

interface CachedState {
  state: PackageState | null;
  loadedAt: number;
}

/**
 * Batch states cached per process for at most `ttlSeconds`. Every write in this process
 * (revocation, renewal, key withdrawal) calls `invalidate()`, so the origin answers the
 * new state at the very next scan; other processes and Worker isolates catch up within
 * the TTL (30 s by default, 60 s at most — the edge budget).
 *
 * No scan waits for a refresh of a state in use: from half the TTL on, a read returns the
 * cached state and reloads it in the background (one load per batch at a time), so a
 * batch scanned at least once per half TTL never expires. Only a state unused for longer
 * than the TTL is loaded while its scan waits, which keeps the staleness bound exact.
 * Background work needs a shared database (Node): Workers (`shared: false`) give each
 * request its own client, which must not serve another request's promise, so there a
 * state is simply reloaded after the TTL.
 */
export class PackageStateCache {
  private readonly states = new Map<number, CachedState>();
  private readonly refreshing = new Map<number, Promise<void>>();
  /** Bumped by invalidate(): a load started before it must not store what it read. */
  private generation = 0;
  private units: { index: UnitIndex; expires: number } | null = null;
  private readonly ttlMs: number;
  private readonly shared: boolean;
  private readonly load: PackageStatesLoader;
  /** What a scan page shows beside the package's state (where to buy): kept as long as a state. */
  private readonly extras: TtlCache<string, unknown>;

  constructor(
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
    options: { shared?: boolean; load?: PackageStatesLoader } = {},
  ) {
    this.ttlMs = ttlSeconds * 1000;
    this.shared = options.shared ?? true;
    this.load = options.load ?? loadPackageStates;
    this.extras = new TtlCache(this.ttlMs, 10_000, now);
  }

  /**
   * A value read beside a package's state on every scan (the product's places to buy), under
   * the same staleness bound and cleared by the same writes. Only resolved values are kept:
   * on Workers one request must not await another's database client.
   */
  async extra<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.extras.get(key);
    if (hit !== undefined) return hit as T;
    const generation = this.generation;
    const value = await load();
    if (generation === this.generation) this.extras.set(key, value);
    return value;
  }

  async get(db: Kysely<Database>, batchId: number, today: string): Promise<PackageState | null> {
    return (await this.getMany(db, [batchId], today)).get(batchId) ?? null;
  }

  /** States of many batches: cached ones at once, all the others in one load. */
  async getMany(db: Kysely<Database>, batchIds: Iterable<number>, today: string): Promise<Map<number, PackageState | null>> {
    const out = new Map<number, PackageState | null>();
    const missing: number[] = [];
    const stale: number[] = [];
    const now = this.now();
    for (const id of batchIds) {
      if (out.has(id)) continue;
      const hit = this.states.get(id);
      const age = hit ? now - hit.loadedAt : Infinity;
      if (hit && age < this.ttlMs) {
        out.set(id, hit.state);
        if (this.shared && age >= this.ttlMs / 2 && !this.refreshing.has(id)) stale.push(id);
      } else {
        out.set(id, null);
        missing.push(id);
      }
    }
    if (stale.length > 0) this.refreshInBackground(db, stale, today);
    if (missing.length > 0) {
      // Concurrent scans of a batch that is not cached share one load (shared database only).
      const toLoad = this.shared ? missing.filter((id) => !this.loading.has(id)) : missing;
      const own = toLoad.length > 0 ? this.loadAndStore(db, toLoad, today) : null;
      if (own && this.shared) {
        for (const id of toLoad) this.loading.set(id, own);
        const forget = () => {
          for (const id of toLoad) if (this.loading.get(id) === own) this.loading.delete(id);
        };
        own.then(forget, forget);
      }
      // Taken before any await: a finished load forgets its promise.
      const sources = missing.map((id) => [id, (this.shared ? this.loading.get(id) : undefined) ?? own!] as const);
      for (const [id, source] of sources) out.set(id, (await source).get(id) ?? null);
    }
    return out;
  }

  private readonly loading = new Map<number, Promise<Map<number, PackageState>>>();

  private async loadAndStore(db: Kysely<Database>, ids: number[], today: string): Promise<Map<number, PackageState>> {
    const generation = this.generation;
    const loadedAt = this.now();
    const units = await this.unitIndex(db);
    const loaded = await this.load(db, ids, units, today);
    if (generation === this.generation && this.ttlMs > 0) {
      for (const id of ids) {
        if (!this.states.has(id) && this.states.size >= MAX_CACHED_STATES) {
          // Maps iterate in insertion order: dropping the first entry drops the oldest.
          const oldest = this.states.keys().next();
          if (!oldest.done) this.states.delete(oldest.value);
        }
        this.states.set(id, { state: loaded.get(id) ?? null, loadedAt });
      }
    }
    return loaded;
  }

  private refreshInBackground(db: Kysely<Database>, ids: number[], today: string): void {
    const work = this.loadAndStore(db, ids, today)
      .then(() => undefined)
      // A failed refresh leaves the current copy serving; the next read past half the TTL
      // tries again, and past the TTL a scan loads it itself (and sees the error).
      .catch(() => undefined)
      .finally(() => {
        for (const id of ids) if (this.refreshing.get(id) === work) this.refreshing.delete(id);
      });
    for (const id of ids) this.refreshing.set(id, work);
  }

  /** Resolves once no background refresh is running (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.refreshing.size > 0 || this.unitsRefresh) await Promise.all([...new Set(this.refreshing.values()), this.unitsRefresh]);
  }

  /** Administrative units (addresses), refreshed like the states: in the background from half the TTL on. */
  async unitIndex(db: Kysely<Database>): Promise<UnitIndex> {
    const lifetime = Math.max(this.ttlSeconds, 1) * 1000;
    const units = this.units;
    if (units && units.expires > this.now()) {
      if (this.shared && !this.unitsRefresh && units.expires - this.now() <= lifetime / 2) {
        this.unitsRefresh = this.loadUnitsAndStore(db)
          .then(() => undefined, () => undefined)
          .finally(() => (this.unitsRefresh = null));
      }
      return units.index;
    }
    return this.loadUnitsAndStore(db);
  }

  private unitsRefresh: Promise<void> | null = null;

  private async loadUnitsAndStore(db: Kysely<Database>): Promise<UnitIndex> {
    const generation = this.generation;
    const index = await loadUnits(db);
    if (generation === this.generation) this.units = { index, expires: this.now() + Math.max(this.ttlSeconds, 1) * 1000 };
    return index;
  }

  invalidate(): void {
    this.generation++;
    this.states.clear();
    // A scan after a write must not join a load that began before it.
    this.loading.clear();
    this.units = null;
    this.extras.clear();
  }
}

const MAX_CACHED_STATES = 100_000;
