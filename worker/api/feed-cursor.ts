import { z } from 'zod';
import { base64urlDecode, base64urlEncode } from '../codes/base64url';
import type { FeedPosition } from '../db/certificate-status';
import { addDays, parseIsoDate, todayInVietnam } from '../domain/dates';
import { vietnamMidnight } from './credentials';

// Where a reader of the revocation feed starts: the `next_cursor` of an earlier page, or a
// date or date-time. The cursor is base64url of JSON {r: last revocation (audit id),
// f: revoked-from (ms) or null, e: [valid_until, certificate id] of the last expiry};
// opaque to clients.

const MAX_ID = 2_147_483_647;

export function encodeCursor(p: FeedPosition): string {
  const json = JSON.stringify({ r: p.revocationAfter, f: p.revokedFrom?.getTime() ?? null, e: p.expiryAfter });
  return base64urlEncode(new TextEncoder().encode(json));
}

const isoDay = z.string().refine((d) => parseIsoDate(d) === d);
const cursorShape = z
  .object({
    r: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    f: z.number().int().min(0).max(8.64e15).nullable(),
    e: z.tuple([isoDay, z.number().int().min(0).max(MAX_ID)]),
  })
  .strict();

function decodeCursor(text: string): FeedPosition | null {
  const bytes = base64urlDecode(text);
  if (!bytes) return null;
  try {
    const parsed = cursorShape.safeParse(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)));
    if (!parsed.success) return null;
    const { r, f, e } = parsed.data;
    return { revocationAfter: r, revokedFrom: f === null ? null : new Date(f), expiryAfter: e };
  } catch {
    return null;
  }
}

/** The feed position `since` names, or null when it is neither a cursor nor an ISO date. */
export function parseSince(since: string): FeedPosition | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(since)) {
    if (parseIsoDate(since) !== since) return null;
    // Expiries at or after 00:00 of that day (valid_until ≥ the day before), revocations recorded from then on.
    return { revocationAfter: 0, revokedFrom: new Date(vietnamMidnight(since) * 1000), expiryAfter: [addDays(since, -2), MAX_ID] };
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(since)) {
    const t = Date.parse(since);
    if (!Number.isFinite(t) || t < 0) return null;
    const at = new Date(t);
    const day = todayInVietnam(at);
    const atMidnight = vietnamMidnight(day) * 1000 === t;
    return { revocationAfter: 0, revokedFrom: at, expiryAfter: [addDays(day, atMidnight ? -2 : -1), MAX_ID] };
  }
  return /^[A-Za-z0-9_-]{1,300}$/.test(since) ? decodeCursor(since) : null;
}
