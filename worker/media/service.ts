// The media service of an app (c.var.media): the store, the pixel limit of this runtime, and
// the main photo of each product for the scan page, cached so the hot path adds no query.
import type { Kysely } from 'kysely';
import type { Database } from '../../schema/database';
import { mainPhotos, type PhotoView } from '../db/media';
import type { ImageLimits } from './uploads';
import type { MediaStore } from './store';

/**
 * Pixels decoded at most. A decoded photo takes 4 bytes a pixel: 40 MP is 160 MB, fine for a
 * Node server, but a Worker isolate has 128 MB in all, so Workers stop at 16 MP (64 MB), which
 * still takes any phone's 12 MP photo.
 */
export const MAX_PIXELS = { node: 40_000_000, workers: 16_000_000 } as const;

export class MediaService {
  // Only resolved values are kept: on Workers a promise of another request's database client
  // must not be awaited, so concurrent misses each read (one small query).
  private main: { at: number; photos: Map<number, PhotoView> } | null = null;

  constructor(
    readonly store: MediaStore,
    readonly limits: ImageLimits,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The main photo of a product, read with all others at most once per TTL (as package states are). */
  async mainPhoto(db: Kysely<Database>, productId: number): Promise<PhotoView | null> {
    const t = this.now();
    let current = this.main;
    if (!current || t - current.at > this.ttlMs) {
      current = { at: t, photos: await mainPhotos(db) };
      this.main = current;
    }
    return current.photos.get(productId) ?? null;
  }

  /** After a change to photos in this process: the next page shows it at once. */
  invalidate(): void {
    this.main = null;
  }
}
