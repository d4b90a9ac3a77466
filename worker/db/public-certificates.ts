import { sql, type Kysely } from 'kysely';
import type { CertificateStatusColumn, Database, LegalForm, RevocationGroundColumn } from '../../schema/database';
import { addressAsIssued, mergerNote, type UnitIndex } from './units';

/** A certificate as the public pages and the retailer API show it. */
export interface PublicCertificate {
  id: number;
  number: string;
  stars: number;
  status: CertificateStatusColumn;
  decisionNumber: string;
  decisionDate: string;
  issuingBody: string;
  issuingLevel: 'district' | 'province' | 'national';
  legalBasis: { id: string; titleVi: string; titleEn: string };
  validFrom: string;
  validUntil: string;
  statusIndex: number;
  revocation: null | { decisionNumber: string; date: string; ground: RevocationGroundColumn; note: string | null };
  supersedes: { number: string; stars: number } | null;
  supersededBy: { number: string; stars: number; validUntil: string } | null;
  product: { slug: string; name: string; groupVi: string | null; groupEn: string | null };
  producer: { name: string; legalForm: LegalForm; addressAsIssued: string; addressNow: string | null };
}

function baseQuery(db: Kysely<Database>) {
  return db
    .selectFrom('certificates as c')
    .innerJoin('products as p', 'p.id', 'c.product_id')
    .innerJoin('producers as pr', 'pr.id', 'p.producer_id')
    .innerJoin('legal_bases as lb', 'lb.id', 'c.legal_basis_id')
    .leftJoin('product_groups as g', 'g.id', 'p.plan_group_id')
    .leftJoin('certificates as prev', 'prev.id', 'c.supersedes_id')
    .leftJoin('certificates as next', 'next.supersedes_id', 'c.id')
    .select([
      'c.id', 'c.number', 'c.stars', 'c.status', 'c.decision_number', 'c.decision_date', 'c.issuing_body', 'c.issuing_level',
      'c.valid_from', 'c.valid_until', 'c.status_index', 'c.revocation_decision_number', 'c.revocation_date', 'c.revocation_ground',
      'c.revocation_note', 'lb.id as lb_id', 'lb.title_vi as lb_vi', 'lb.title_en as lb_en',
      'prev.number as prev_number', 'prev.stars as prev_stars',
      'next.number as next_number', 'next.stars as next_stars', 'next.valid_until as next_valid_until',
      'p.slug', 'p.name as product_name', 'g.name_vi as group_vi', 'g.name_en as group_en',
      'pr.name as producer_name', 'pr.legal_form', 'pr.address_line', 'pr.address_unit_id',
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['execute']>>[number];

function toPublic(r: Row, units: UnitIndex, today: string): PublicCertificate {
  return {
    id: r.id, number: r.number, stars: r.stars, status: r.status, decisionNumber: r.decision_number, decisionDate: r.decision_date,
    issuingBody: r.issuing_body, issuingLevel: r.issuing_level,
    legalBasis: { id: r.lb_id, titleVi: r.lb_vi, titleEn: r.lb_en },
    validFrom: r.valid_from, validUntil: r.valid_until, statusIndex: r.status_index,
    revocation: r.status === 'revoked' && r.revocation_decision_number && r.revocation_date && r.revocation_ground
      ? { decisionNumber: r.revocation_decision_number, date: r.revocation_date, ground: r.revocation_ground, note: r.revocation_note }
      : null,
    supersedes: r.prev_number !== null && r.prev_stars !== null ? { number: r.prev_number, stars: r.prev_stars } : null,
    supersededBy: r.next_number !== null && r.next_stars !== null && r.next_valid_until !== null
      ? { number: r.next_number, stars: r.next_stars, validUntil: r.next_valid_until }
      : null,
    product: { slug: r.slug, name: r.product_name, groupVi: r.group_vi, groupEn: r.group_en },
    producer: {
      name: r.producer_name, legalForm: r.legal_form,
      addressAsIssued: addressAsIssued(units, r.address_unit_id, r.address_line),
      addressNow: mergerNote(units, r.address_unit_id, today),
    },
  };
}

/** Certificate numbers are stored upper case (a CHECK constraint); lookups are case-insensitive. */
export function normaliseCertificateNumber(input: string): string | null {
  const n = input.trim().toUpperCase();
  return /^[A-Z0-9][A-Z0-9./-]{2,39}$/.test(n) ? n : null;
}

export async function certificateByNumber(db: Kysely<Database>, number: string, units: UnitIndex, today: string): Promise<PublicCertificate | null> {
  const row = await baseQuery(db).where('c.number', '=', number).executeTakeFirst();
  return row ? toPublic(row, units, today) : null;
}

/** Many at once (bulk verification): one query per 1,000 numbers. */
export async function certificatesByNumbers(db: Kysely<Database>, numbers: readonly string[], units: UnitIndex, today: string): Promise<Map<string, PublicCertificate>> {
  const out = new Map<string, PublicCertificate>();
  const unique = [...new Set(numbers)];
  for (let i = 0; i < unique.length; i += 1000) {
    const rows = await baseQuery(db).where('c.number', 'in', unique.slice(i, i + 1000)).execute();
    for (const r of rows) out.set(r.number, toPublic(r, units, today));
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Revocation and expiry feed

export type FeedEventType = 'revoked' | 'expired';

export interface FeedEvent {
  type: FeedEventType;
  at: Date;
  certificateId: number;
  number: string;
  statusIndex: number;
  validUntil: string;
  revocation: null | { decisionNumber: string; date: string; ground: RevocationGroundColumn };
}

/** Position in the feed: events are ordered by (at, type, certificate id). */
export interface FeedCursor { at: Date; type: FeedEventType; id: number }

/**
 * Revocations (when they were recorded) and expiries (the first instant of the day after
 * `valid_until`, Vietnam time) after `after`, oldest first. Expiries are derived from the
 * date and appear once that instant has passed, so the feed never shows a future event.
 * A revoked certificate has no expiry event: its revocation already withdrew it.
 */
export async function revocationFeed(db: Kysely<Database>, after: FeedCursor | null, limit: number, now: Date): Promise<FeedEvent[]> {
  const afterAt = after?.at ?? new Date(0);
  const afterType = after?.type ?? '';
  const afterId = after?.id ?? 0;
  // 'expired' < 'revoked' alphabetically, which is the tie-break order used below. Times are
  // cut to milliseconds so a cursor that went through a JS Date compares equal.
  const result = await sql<{
    type: FeedEventType; at: Date | string; id: number; number: string; status_index: number; valid_until: string;
    revocation_decision_number: string | null; revocation_date: string | null; revocation_ground: RevocationGroundColumn | null;
  }>`select * from (
      select 'revoked' as type, date_trunc('milliseconds', c.revoked_at) as at, c.id, c.number, c.status_index, c.valid_until,
        c.revocation_decision_number, c.revocation_date, c.revocation_ground
      from certificates c where c.status = 'revoked' and c.revoked_at is not null
      union all
      select 'expired' as type, ((c.valid_until + 1)::timestamp - interval '7 hours') at time zone 'UTC' as at, c.id, c.number,
        c.status_index, c.valid_until, null, null, null
      from certificates c where c.status <> 'revoked'
    ) e
    where e.at <= ${now}
      and (e.at > ${afterAt} or (e.at = ${afterAt} and (e.type > ${afterType} or (e.type = ${afterType} and e.id > ${afterId}))))
    order by e.at, e.type, e.id
    limit ${limit}`.execute(db);
  return result.rows.map((r) => ({
    type: r.type,
    at: r.at instanceof Date ? r.at : new Date(r.at),
    certificateId: r.id,
    number: r.number,
    statusIndex: r.status_index,
    validUntil: r.valid_until,
    revocation: r.type === 'revoked' && r.revocation_decision_number && r.revocation_date && r.revocation_ground
      ? { decisionNumber: r.revocation_decision_number, date: r.revocation_date, ground: r.revocation_ground }
      : null,
  }));
}

// ---------------------------------------------------------------------------------------
// Status list

/**
 * Status-list indexes of every certificate, and which must not be accepted today:
 * revoked, or past `valid_until`. Superseded certificates whose dates still run stay
 * valid (packages printed under them are genuine until then).
 */
export async function statusListEntries(db: Kysely<Database>, today: string): Promise<{ size: number; invalid: number[] }> {
  const rows = await db
    .selectFrom('certificates')
    .select(['status_index', sql<boolean>`(status = 'revoked' or valid_until < ${today})`.as('invalid')])
    .execute();
  let max = -1;
  const invalid: number[] = [];
  for (const r of rows) {
    if (r.status_index > max) max = r.status_index;
    if (r.invalid) invalid.push(r.status_index);
  }
  return { size: max + 1, invalid };
}
