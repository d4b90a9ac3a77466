import type { Kysely } from 'kysely';
import type { CertificateStatusColumn, Database, LegalForm, RevocationGroundColumn } from '../../schema/database';
import { TtlCache } from '../cache';
import { addressAsIssued, loadUnits, mergerNote, type UnitIndex } from './units';

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
  certificate: {
    id: number;
    number: string;
    stars: number;
    status: CertificateStatusColumn;
    decisionNumber: string;
    decisionDate: string;
    issuingBody: string;
    issuingLevel: 'district' | 'province' | 'national';
    legalBasisId: string;
    validFrom: string;
    validUntil: string;
    statusIndex: number;
    revocation: null | {
      decisionNumber: string;
      date: string;
      ground: RevocationGroundColumn;
      note: string | null;
    };
    supersedes: { id: number; number: string } | null;
    supersededBy: { id: number; number: string; stars: number; validUntil: string } | null;
  };
  product: { id: number; slug: string; name: string; groupVi: string | null; groupEn: string | null; description: string | null };
  producer: {
    id: number;
    name: string;
    legalForm: LegalForm;
    addressAsIssued: string;
    /** Set when the 2025 merger changed the unit: "Bình Phước (cũ), nay Tỉnh Đồng Nai". */
    addressNow: string | null;
  };
  regions: { description: string; unit: string | null; areaHa: number | null }[];
}

export async function loadPackageState(
  db: Kysely<Database>,
  batchId: number,
  units: UnitIndex,
  today: string,
): Promise<PackageState | null> {
  const row = await db
    .selectFrom('package_batches as b')
    .innerJoin('certificates as c', 'c.id', 'b.certificate_id')
    .innerJoin('products as p', 'p.id', 'c.product_id')
    .innerJoin('producers as pr', 'pr.id', 'p.producer_id')
    .leftJoin('product_groups as g', 'g.id', 'p.plan_group_id')
    .leftJoin('certificates as prev', 'prev.id', 'c.supersedes_id')
    .leftJoin('certificates as next', 'next.supersedes_id', 'c.id')
    .select([
      'b.id as batch_id', 'b.lot_code', 'b.production_date', 'b.best_before', 'b.quantity', 'b.key_number',
      'c.id as cert_id', 'c.number', 'c.stars', 'c.status', 'c.decision_number', 'c.decision_date',
      'c.issuing_body', 'c.issuing_level', 'c.legal_basis_id', 'c.valid_from', 'c.valid_until', 'c.status_index',
      'c.revocation_decision_number', 'c.revocation_date', 'c.revocation_ground', 'c.revocation_note',
      'prev.id as prev_id', 'prev.number as prev_number',
      'next.id as next_id', 'next.number as next_number', 'next.stars as next_stars', 'next.valid_until as next_valid_until',
      'p.id as product_id', 'p.slug', 'p.name as product_name', 'p.description',
      'g.name_vi as group_vi', 'g.name_en as group_en',
      'pr.id as producer_id', 'pr.name as producer_name', 'pr.legal_form', 'pr.address_line', 'pr.address_unit_id',
    ])
    .where('b.id', '=', batchId)
    .executeTakeFirst();
  if (!row) return null;
  const regions = await db
    .selectFrom('raw_material_regions')
    .select(['description', 'unit_id', 'area_ha'])
    .where('product_id', '=', row.product_id)
    .orderBy('id')
    .execute();
  return {
    batch: {
      id: row.batch_id, lotCode: row.lot_code, productionDate: row.production_date,
      bestBefore: row.best_before, quantity: row.quantity, keyNumber: row.key_number,
    },
    certificate: {
      id: row.cert_id, number: row.number, stars: row.stars, status: row.status,
      decisionNumber: row.decision_number, decisionDate: row.decision_date,
      issuingBody: row.issuing_body, issuingLevel: row.issuing_level, legalBasisId: row.legal_basis_id,
      validFrom: row.valid_from, validUntil: row.valid_until, statusIndex: row.status_index,
      revocation:
        row.status === 'revoked' && row.revocation_decision_number && row.revocation_date && row.revocation_ground
          ? { decisionNumber: row.revocation_decision_number, date: row.revocation_date, ground: row.revocation_ground, note: row.revocation_note }
          : null,
      supersedes: row.prev_id !== null && row.prev_number !== null ? { id: row.prev_id, number: row.prev_number } : null,
      supersededBy:
        row.next_id !== null && row.next_number !== null && row.next_stars !== null && row.next_valid_until !== null
          ? { id: row.next_id, number: row.next_number, stars: row.next_stars, validUntil: row.next_valid_until }
          : null,
    },
    product: { id: row.product_id, slug: row.slug, name: row.product_name, groupVi: row.group_vi, groupEn: row.group_en, description: row.description },
    producer: {
      id: row.producer_id, name: row.producer_name, legalForm: row.legal_form,
      addressAsIssued: addressAsIssued(units, row.address_unit_id, row.address_line),
      addressNow: mergerNote(units, row.address_unit_id, today),
    },
    regions: regions.map((r) => ({
      description: r.description,
      unit: r.unit_id ? addressAsIssued(units, r.unit_id) : null,
      areaHa: r.area_ha,
    })),
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
