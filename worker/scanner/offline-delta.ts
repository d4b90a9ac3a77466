// Bringing the phone's copy up to date without downloading it again: the revocation feed
// from the copy's cursor, and the JWKS (which drops withdrawn keys). Between two full
// downloads these are the only changes that can make a "genuine" wrong: certificates are
// only ever revoked or superseded (a renewal, under which old packages stay genuine),
// batches never change, expiry is a date the phone reads itself. New batches, certificates
// and renewal details wait for the next full download (the app makes one every hour it is
// online, and at once when a validly signed code names a batch it does not have).
import type { OfflineDataset } from './offline-check';

export interface FeedPage {
  events: { type: 'revoked' | 'expired'; certificate_number: string }[];
  next_cursor: string;
  has_more: boolean;
}

/** The copy after these feed pages and this JWKS, known to be current as of `checkedAt` (server time). */
export function applyDelta(data: OfflineDataset, pages: readonly FeedPage[], jwksKids: readonly string[], checkedAt: string): OfflineDataset {
  const revoked = new Set(pages.flatMap((p) => p.events.filter((e) => e.type === 'revoked').map((e) => e.certificate_number)));
  const listed = new Set(jwksKids);
  const last = pages.at(-1);
  return {
    ...data,
    generated_at: Date.parse(checkedAt) > Date.parse(data.generated_at) ? checkedAt : data.generated_at,
    feed_cursor: last ? last.next_cursor : data.feed_cursor,
    keys: data.keys.map((k) => (k.status !== 'withdrawn' && !listed.has(k.kid) ? { ...k, status: 'withdrawn' as const } : k)),
    certificates: data.certificates.map((c) => (revoked.has(c.number) && c.status !== 'revoked' ? { ...c, status: 'revoked' as const } : c)),
  };
}
