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
  /** Position of this event in its own source (see FeedPosition). */
  position: { revocation: number } | { expiry: [string, number] };
}

/**
 * Where a reader of the feed is, in each of its two sources:
 * - revocations in the order they were recorded: the id of their audit-log entry, which
 *   is written in the revoking transaction (a timestamp would let a revocation recorded
 *   with an earlier clock slip behind a cursor);
 * - expiries by (valid_until, certificate id): an expiry happens at 00:00 Vietnam time
 *   of the day after valid_until and only shows once that instant has passed.
 */
export interface FeedPosition {
  revocationAfter: number;
  /** Only for a start from a date: revocations recorded from this instant on. */
  revokedFrom: Date | null;
  expiryAfter: [string, number];
}

export const FEED_START: FeedPosition = { revocationAfter: 0, revokedFrom: null, expiryAfter: ['0001-01-01', 0] };

/** First instant of the day after `validUntil`, Vietnam time (UTC+7). */
function expiryInstant(validUntil: string): Date {
  const [y, m, d] = validUntil.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1) - 7 * 3_600_000);
}

/**
 * Up to `limit` events after `from`, oldest first (merged by time), with the position
 * after the last one returned. A revoked certificate has no expiry event: its revocation
 * already withdrew it.
 */
export async function revocationFeed(
  db: Kysely<Database>,
  from: FeedPosition,
  limit: number,
  today: string,
): Promise<{ events: FeedEvent[]; next: FeedPosition; hasMore: boolean }> {
  let revQuery = db
    .selectFrom('audit_log as a')
    .innerJoin('certificates as c', (j) => j.on(sql<boolean>`c.id::text = a.entity_id`))
    .select([
      'a.id as seq', 'c.id', 'c.number', 'c.status_index', 'c.valid_until', 'c.revoked_at',
      'c.revocation_decision_number', 'c.revocation_date', 'c.revocation_ground',
    ])
    .where('a.action', '=', 'certificate.revoke')
    .where('a.entity', '=', 'certificate')
    .where('c.status', '=', 'revoked')
    .where('a.id', '>', from.revocationAfter);
  if (from.revokedFrom) revQuery = revQuery.where('a.at', '>=', from.revokedFrom);
  const [revocations, expiries] = await Promise.all([
    revQuery.orderBy('a.id').limit(limit + 1).execute(),
    db
      .selectFrom('certificates as c')
      .select(['c.id', 'c.number', 'c.status_index', 'c.valid_until'])
      .where('c.status', '<>', 'revoked')
      .where('c.valid_until', '<', today)
      .where(sql<boolean>`(c.valid_until, c.id) > (${from.expiryAfter[0]}::date, ${from.expiryAfter[1]}::int)`)
      .orderBy('c.valid_until')
      .orderBy('c.id')
      .limit(limit + 1)
      .execute(),
  ]);
  const revEvents = revocations.map((r): FeedEvent => ({
    type: 'revoked',
    at: r.revoked_at instanceof Date ? r.revoked_at : new Date(r.revoked_at ?? 0),
    certificateId: r.id, number: r.number, statusIndex: r.status_index, validUntil: r.valid_until,
    revocation: r.revocation_decision_number && r.revocation_date && r.revocation_ground
      ? { decisionNumber: r.revocation_decision_number, date: r.revocation_date, ground: r.revocation_ground }
      : null,
    position: { revocation: Number(r.seq) },
  }));
  const expEvents = expiries.map((e): FeedEvent => ({
    type: 'expired', at: expiryInstant(e.valid_until), certificateId: e.id, number: e.number, statusIndex: e.status_index,
    validUntil: e.valid_until, revocation: null, position: { expiry: [e.valid_until, e.id] },
  }));
  // Merge the two sources by time, but take each source strictly in its own order, so a
  // page always ends at a position that nothing before it is behind.
  const events: FeedEvent[] = [];
  let i = 0;
  let j = 0;
  while (events.length < limit && (i < revEvents.length || j < expEvents.length)) {
    const r = revEvents[i];
    const e = expEvents[j];
    if (r && (!e || r.at.getTime() <= e.at.getTime())) {
      events.push(r);
      i++;
    } else {
      events.push(e!);
      j++;
    }
  }
  const next: FeedPosition = { ...from };
  for (const ev of events) {
    if ('revocation' in ev.position) next.revocationAfter = ev.position.revocation;
    else next.expiryAfter = ev.position.expiry;
  }
  const all = revEvents.length + expEvents.length;
  return { events, next, hasMore: all > events.length };
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
