// The public side of photos and documents: the pieces the scan, product and certificate
// pages insert (plain strings, like the scan page), the og:image of a page, and the /media
// route that serves the stored files. Every file is named by the SHA-256 of its bytes, so
// its URL never changes meaning: cached for a year, immutable.
import type { Context } from 'hono';
import type { AppEnv } from '../app-env';
import { certificateDocument, isPublished, productPhotos, type DocumentView, type PhotoView, type RenditionView } from '../db/media';
import { loadPhoton } from '../media/photon';
import { HASH_PATTERN } from '../media/store';
import { esc } from './html';
import type { Lang } from './i18n';

export type MediaExtension = 'jpg' | 'pdf';

export function mediaPath(sha256: string, ext: MediaExtension): string {
  return `/media/${sha256}.${ext}`;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';

function srcset(renditions: readonly RenditionView[]): string {
  return renditions.map((r) => `${mediaPath(r.sha256, 'jpg')} ${r.width}w`).join(', ');
}

function alt(lang: Lang, productName: string, kind: PhotoView['kind']): string {
  return lang === 'vi' ? `Ảnh ${kind === 'package' ? 'bao bì' : 'sản phẩm'} ${productName}` : `${kind === 'package' ? 'Package' : 'Product'} photo: ${productName}`;
}

/**
 * The main photo on the scan page, after the verdict box (so it never pushes the verdict or
 * its warnings off the first screen). Only the 320 and 640 renditions are offered: a 360 px
 * phone at 2× takes the 640 one (the README gives its size); width and height are set so
 * nothing moves when it arrives.
 */
export function scanPhotoHtml(lang: Lang, productName: string, photo: PhotoView | null): string {
  if (!photo) return '';
  const small = photo.renditions.filter((r) => r.width <= 640);
  const offered = small.length > 0 ? small : photo.renditions.slice(0, 1);
  const src = offered[offered.length - 1]!;
  return (
    `<figure class="photo"><img src="${mediaPath(src.sha256, 'jpg')}" srcset="${srcset(offered)}" sizes="(max-width:42rem) calc(100vw - 2rem),40rem" width="${src.width}" height="${src.height}" alt="${esc(alt(lang, productName, photo.kind))}" decoding="async"/>` +
    `<figcaption class="small muted">${lang === 'vi' ? 'Ảnh do nhà sản xuất cung cấp: hãy so với gói hàng trong tay.' : 'Photo from the producer: compare it with the pack in your hand.'}</figcaption></figure>`
  );
}

/** The product page's gallery: every photo, the main one first, lazily loaded. */
export function galleryHtml(lang: Lang, productName: string, photos: readonly PhotoView[]): string {
  if (photos.length === 0) return '';
  const items = photos
    .map((p) => {
      const r = p.renditions.find((x) => x.width >= 320) ?? p.renditions[p.renditions.length - 1]!;
      const largest = p.renditions[p.renditions.length - 1]!;
      return `<li><a href="${mediaPath(largest.sha256, 'jpg')}"><img src="${mediaPath(r.sha256, 'jpg')}" srcset="${srcset(p.renditions)}" sizes="(max-width:42rem) 50vw,20rem" width="${r.width}" height="${r.height}" alt="${esc(alt(lang, productName, p.kind))}" loading="lazy" decoding="async"/></a></li>`;
    })
    .join('');
  return `<section class="card"><h2>${lang === 'vi' ? 'Ảnh sản phẩm và bao bì' : 'Product and package photos'}</h2><ul class="gallery">${items}</ul></section>`;
}

/** The certificate page's link to the scanned decision. */
export function decisionLinkHtml(lang: Lang, decisionNumber: string, doc: { sha256: string; bytes: number } | null): string {
  if (!doc) return '';
  const kb = Math.ceil(doc.bytes / 1024);
  return `<p><a href="${mediaPath(doc.sha256, 'pdf')}" download>${esc(lang === 'vi' ? `Bản quét quyết định ${decisionNumber} (PDF, ${kb} KB)` : `Scan of decision ${decisionNumber} (PDF, ${kb} KB)`)}</a></p>`;
}

export interface OgImage {
  url: string;
  width: number;
  height: number;
}

/** The page's og:image: the product's main photo (its largest rendition), else the project's default picture. */
export function ogImage(baseUrl: string, photo: PhotoView | null | undefined): OgImage {
  if (!photo) return { url: `${baseUrl}${DEFAULT_OG_PATH}`, width: OG_WIDTH, height: OG_HEIGHT };
  const r = photo.renditions[photo.renditions.length - 1]!;
  return { url: `${baseUrl}${mediaPath(r.sha256, 'jpg')}`, width: r.width, height: r.height };
}

export const DEFAULT_OG_PATH = '/og-default.jpg';
const OG_WIDTH = 1200;
const OG_HEIGHT = 630;

let defaultOg: Uint8Array | null = null;

/**
 * The default share picture (1200 × 630, the size Facebook and Zalo show best), drawn by the
 * project: the programme's green with a large white check mark on a gold ring. Made once per
 * process, in memory.
 */
export async function defaultOgImage(): Promise<Uint8Array> {
  if (defaultOg) return defaultOg;
  const w = OG_WIDTH;
  const h = OG_HEIGHT;
  const px = new Uint8Array(w * h * 4);
  const cx = w / 2;
  const cy = h / 2;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      const t = y / h;
      let r = 18 + 20 * t, g = 110 - 40 * t, b = 52 - 10 * t;
      const d = Math.hypot(x - cx, y - cy);
      if (d > 190 && d < 222) [r, g, b] = [214, 168, 40];
      // A check mark: two thick strokes.
      const onStroke = (x1: number, y1: number, x2: number, y2: number) => {
        const vx = x2 - x1, vy = y2 - y1;
        const k = Math.max(0, Math.min(1, ((x - x1) * vx + (y - y1) * vy) / (vx * vx + vy * vy)));
        return Math.hypot(x - (x1 + k * vx), y - (y1 + k * vy)) < 22;
      };
      if (onStroke(cx - 95, cy + 5, cx - 25, cy + 80) || onStroke(cx - 25, cy + 80, cx + 105, cy - 80)) [r, g, b] = [255, 255, 255];
      px[i] = r; px[i + 1] = g; px[i + 2] = b; px[i + 3] = 255;
    }
  }
  const { PhotonImage } = await loadPhoton();
  const image = new PhotonImage(px, w, h);
  try {
    defaultOg = image.get_bytes_jpeg(80);
  } finally {
    image.free();
  }
  return defaultOg;
}

const NOT_FOUND_TEXT = 'Không tìm thấy tệp / File not found';

/**
 * GET /media/{sha256}.{jpg|pdf}: a file that is still published (a photo rendition, or a
 * certificate's decision), with its type; PDFs as a download and sandboxed, so a crafted
 * PDF can never run in this origin. Files of removed photos are no longer served.
 */
export async function serveMedia(c: Context<AppEnv>): Promise<Response> {
  const name = c.req.param('file') ?? '';
  const dot = name.lastIndexOf('.');
  const hash = name.slice(0, dot);
  const ext = name.slice(dot + 1);
  if (!HASH_PATTERN.test(hash) || (ext !== 'jpg' && ext !== 'pdf')) return c.text(NOT_FOUND_TEXT, 404, { 'cache-control': 'no-store' });
  const published = await isPublished(c.var.db, hash, ext === 'jpg' ? 'image' : 'pdf');
  const file = published ? await c.var.media.store.get(hash) : null;
  if (!file || file.contentType !== (ext === 'jpg' ? 'image/jpeg' : 'application/pdf')) return c.text(NOT_FOUND_TEXT, 404, { 'cache-control': 'no-store' });
  const headers: Record<string, string> = { 'content-type': file.contentType, 'cache-control': IMMUTABLE, 'content-length': String(file.bytes.length) };
  if (ext === 'pdf') {
    const number = (published?.certificateNumber ?? 'ocop').replace(/[^A-Za-z0-9.-]+/g, '-');
    headers['content-disposition'] = `attachment; filename="quyet-dinh-${number}.pdf"`;
  }
  return c.body(file.bytes as Uint8Array<ArrayBuffer>, 200, headers);
}

/** GET /og-default.jpg */
export async function serveDefaultOg(c: Context<AppEnv>): Promise<Response> {
  const bytes = await defaultOgImage();
  return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { 'content-type': 'image/jpeg', 'cache-control': 'public, max-age=86400' });
}

/** What the product page adds: its photos (main first) and its og:image. */
export async function productPageMedia(c: Context<AppEnv>, productId: number): Promise<{ photos: PhotoView[]; ogImage: OgImage }> {
  const photos = await productPhotos(c.var.db, productId);
  return { photos, ogImage: ogImage(c.var.config.publicBaseUrl, photos.find((p) => p.isMain)) };
}

/** What the certificate page adds: the decision scan, if uploaded, and the product's photo as og:image. */
export async function certificatePageMedia(c: Context<AppEnv>, cert: { id: number; product: { slug: string } }): Promise<{ decision: DocumentView | null; ogImage: OgImage }> {
  const { db } = c.var;
  const [decision, product] = await Promise.all([
    certificateDocument(db, cert.id),
    db.selectFrom('products').select('id').where('slug', '=', cert.product.slug).executeTakeFirst(),
  ]);
  const photo = product ? await c.var.media.mainPhoto(db, product.id) : null;
  return { decision, ogImage: ogImage(c.var.config.publicBaseUrl, photo) };
}
