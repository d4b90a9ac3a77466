// GET /api/v1/offline-dataset: registered on the retailer API's documented app (routes.tsx)
// so that it is in the OpenAPI document like every other operation.
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env';
import { getOfflineDataset } from '../api/operations';
import { currentFeedPosition, offlineDataset } from '../db/offline-dataset';
import { todayInVietnam } from '../domain/dates';
import { encodeCursor } from '../api/feed-cursor';
import { OFFLINE_MAX_AGE_HOURS } from './data-age';

export function registerOfflineDataset(app: OpenAPIHono<AppEnv>): void {
  app.openapi(getOfflineDataset, async (c) => {
    const generatedAt = c.var.clock();
    const position = await currentFeedPosition(c.var.db, todayInVietnam(generatedAt));
    const { certificates, batches } = await offlineDataset(c.var.db);
    const keys = c.var.keys.entries().map((e) => ({ kid: e.kid, x: e.publicJwk.x, status: e.status }));
    return c.json(
      {
        generated_at: generatedAt.toISOString(),
        max_age_hours: OFFLINE_MAX_AGE_HOURS,
        feed_cursor: encodeCursor(position),
        keys,
        certificates: certificates.map((r) => ({
          id: r.id,
          number: r.number,
          product: r.product,
          producer: r.producer,
          stars: r.stars,
          status: r.status,
          valid_from: r.validFrom,
          valid_until: r.validUntil,
          superseded_by: r.supersededBy && { number: r.supersededBy.number, stars: r.supersededBy.stars, valid_until: r.supersededBy.validUntil },
          renewal_pending_since: r.renewalPendingSince,
        })),
        batches: batches.map((b) => ({ id: b.id, certificate_id: b.certificateId, key_number: b.keyNumber, quantity: b.quantity, lot_code: b.lotCode, best_before: b.bestBefore })),
      },
      200,
      // Two full-table reads: an edge cache absorbs a whole market's phones refreshing at
      // opening time. A copy up to 30 s old is honest: its age counts from generated_at.
      { 'cache-control': 'public, max-age=30' },
    );
  });
}
