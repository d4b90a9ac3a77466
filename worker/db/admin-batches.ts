import { sql, type Kysely } from 'kysely';
import type { Database, PackageBatch } from '../../schema/database';
import { DomainError } from '../domain/errors';
import { audit, type Actor } from './audit';
import { producerInScope, type Scope } from './admin-scope';

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

function base(db: Kysely<Database>) {
  return db
    .selectFrom('package_batches as b')
    .innerJoin('certificates as c', 'c.id', 'b.certificate_id')
    .innerJoin('products as p', 'p.id', 'c.product_id')
    .innerJoin('producers as pr', 'pr.id', 'p.producer_id')
    .selectAll('b')
    .select([
      'c.number as certificate_number', 'c.status as certificate_status', 'c.valid_until as certificate_valid_until', 'c.stars',
      'p.id as product_id', 'p.name as product_name', 'pr.id as producer_id', 'pr.name as producer_name',
    ])
    .select((eb) => eb.selectFrom('scans as s').select(eb.fn.countAll<number>().as('n')).whereRef('s.batch_id', '=', 'b.id').as('scans'));
}

export async function listBatches(db: Kysely<Database>, scope: Scope, filter: { productId?: number | undefined; certificateId?: number | undefined } = {}): Promise<BatchRow[]> {
  let q = base(db).where(producerInScope(scope));
  if (filter.productId !== undefined) q = q.where('p.id', '=', filter.productId);
  if (filter.certificateId !== undefined) q = q.where('c.id', '=', filter.certificateId);
  const rows = await q.orderBy('b.created_at', 'desc').orderBy('b.id', 'desc').limit(500).execute();
  return rows.map((r) => ({ ...r, scans: Number(r.scans ?? 0) }));
}

export async function getBatchRow(db: Kysely<Database>, scope: Scope, id: number): Promise<BatchRow | undefined> {
  const row = await base(db).where('b.id', '=', id).where(producerInScope(scope)).executeTakeFirst();
  return row ? { ...row, scans: Number(row.scans ?? 0) } : undefined;
}

export interface PackageScanStat {
  batch_id: number;
  serial: number;
  scans: number;
  places: number;
  first: Date;
  last: Date;
}

/**
 * Packages by how often they were scanned. A genuine package is scanned a few times; one
 * scanned dozens of times from several places is most likely a copied label.
 */
export async function packageScanStats(db: Kysely<Database>, batchIds: number[], limit = 20): Promise<PackageScanStat[]> {
  if (batchIds.length === 0) return [];
  const rows = await db
    .selectFrom('scans')
    .select([
      'batch_id', 'serial',
      sql<number>`count(*)`.as('scans'),
      sql<number>`count(distinct place)`.as('places'),
      sql<Date>`min(scanned_at)`.as('first'),
      sql<Date>`max(scanned_at)`.as('last'),
    ])
    .where('batch_id', 'in', batchIds)
    .groupBy(['batch_id', 'serial'])
    .orderBy(sql`count(*)`, 'desc')
    .orderBy('serial')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, scans: Number(r.scans), places: Number(r.places), first: new Date(r.first), last: new Date(r.last) }));
}

export interface ScanTotals {
  total: number;
  packages: number;
  places: { place: string; scans: number }[];
  byVerdict: { verdict: string; scans: number }[];
}

export async function scanTotals(db: Kysely<Database>, batchIds: number[]): Promise<ScanTotals> {
  if (batchIds.length === 0) return { total: 0, packages: 0, places: [], byVerdict: [] };
  const t = await db
    .selectFrom('scans')
    .select([sql<number>`count(*)`.as('total'), sql<number>`count(distinct (batch_id, serial))`.as('packages')])
    .where('batch_id', 'in', batchIds)
    .executeTakeFirstOrThrow();
  const places = await db
    .selectFrom('scans')
    .select([sql<string>`coalesce(place, '?')`.as('place'), sql<number>`count(*)`.as('scans')])
    .where('batch_id', 'in', batchIds)
    .groupBy(sql`coalesce(place, '?')`)
    .orderBy(sql`count(*)`, 'desc')
    .limit(10)
    .execute();
  const byVerdict = await db
    .selectFrom('scans')
    .select(['verdict', sql<number>`count(*)`.as('scans')])
    .where('batch_id', 'in', batchIds)
    .groupBy('verdict')
    .orderBy('verdict')
    .execute();
  return {
    total: Number(t.total),
    packages: Number(t.packages),
    places: places.map((p) => ({ place: p.place, scans: Number(p.scans) })),
    byVerdict: byVerdict.map((v) => ({ verdict: v.verdict, scans: Number(v.scans) })),
  };
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
  contact: string | null;
  place: string | null;
  status: 'new' | 'reviewing' | 'closed';
  created_at: Date;
}

/**
 * Counterfeit reports, each tied to a product through its batch or its certificate. A
 * report naming neither (an unreadable code) is visible to officials only.
 */
export async function listCounterfeitReports(db: Kysely<Database>, scope: Scope, filter: { productId?: number | undefined; status?: string | undefined } = {}): Promise<CounterfeitRow[]> {
  let q = db
    .selectFrom('counterfeit_reports as r')
    .leftJoin('package_batches as b', 'b.id', 'r.batch_id')
    .leftJoin('certificates as c', (j) => j.on(sql<boolean>`c.id = coalesce(r.certificate_id, b.certificate_id)`))
    .leftJoin('products as p', 'p.id', 'c.product_id')
    .leftJoin('producers as pr', 'pr.id', 'p.producer_id')
    .select([
      'r.id', 'r.batch_id', 'r.serial', 'c.id as certificate_id', 'c.number as certificate_number', 'p.name as product_name', 'pr.name as producer_name',
      'r.code_text', 'r.message', 'r.contact', 'r.place', 'r.status', 'r.created_at',
    ]);
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
