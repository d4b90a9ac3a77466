// Certificate status as published: the revocation and expiry feed and the status list, for the retailer API.
import { sql, type Kysely } from 'kysely';
import type { Database, RevocationGroundColumn } from '../../schema/database';
import { addDays, vietnamDayStart } from '../domain/dates';

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
  return vietnamDayStart(addDays(validUntil, 1));
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

/**
 * Status-list indexes of revoked certificates, for the W3C Bitstring Status List, whose
 * purpose is revocation only: expiry is the credential's own `validUntil`, and a
 * superseded certificate was not withdrawn.
 */
export async function revokedStatusIndexes(db: Kysely<Database>): Promise<number[]> {
  const rows = await db.selectFrom('certificates').select('status_index').where('status', '=', 'revoked').execute();
  return rows.map((r) => r.status_index);
}
