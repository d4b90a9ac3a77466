// Demo photos made by the project at seed time (no one else's pictures): a drawn package in
// the product's colours with its name, on a soft background with a little grain so it
// compresses like a photo rather than a flat drawing. Each goes through the same upload
// pipeline as a producer's photo (worker/media/uploads.ts), so the demo shows real renditions.
import type { Kysely } from 'kysely';
import type { Database } from '../../schema/database';
import type { Actor } from '../db/audit';
import type { PhotoKind } from '../db/media';
import { loadPhoton } from '../media/photon';
import { uploadPhoto, type ImageLimits } from '../media/uploads';
import type { MediaStore } from '../media/store';

type Rgb = readonly [number, number, number];

interface DemoPhoto {
  slug: string;
  kind: PhotoKind;
  label: string;
  /** Package, background and accent colours. */
  colours: readonly [Rgb, Rgb, Rgb];
  shape: 'pouch' | 'jar' | 'box';
}

export const DEMO_PHOTOS: readonly DemoPhoto[] = [
  { slug: 'hat-dieu-rang-muoi-ha-my', kind: 'product', label: 'Hạt điều rang muối', colours: [[176, 58, 46], [242, 230, 210], [231, 186, 62]], shape: 'pouch' },
  { slug: 'hat-dieu-rang-muoi-ha-my', kind: 'package', label: 'Hà Mỵ · 500 g', colours: [[120, 36, 30], [232, 236, 226], [231, 186, 62]], shape: 'box' },
  { slug: 'ca-phe-robusta-ha-my', kind: 'product', label: 'Cà phê Robusta', colours: [[78, 52, 38], [226, 214, 196], [196, 150, 92]], shape: 'pouch' },
  { slug: 'yen-sao-nam-phu', kind: 'product', label: 'Yến sào Nam Phú', colours: [[190, 150, 60], [248, 244, 232], [120, 30, 40]], shape: 'jar' },
  { slug: 'tieu-den-vo-thi-hien', kind: 'product', label: 'Tiêu đen', colours: [[40, 44, 40], [222, 230, 214], [70, 140, 70]], shape: 'jar' },
  { slug: 'buoi-da-xanh-bu-dop', kind: 'product', label: 'Bưởi da xanh', colours: [[70, 140, 60], [246, 240, 210], [240, 200, 80]], shape: 'box' },
];

/** Source size: 4:3 at 960 px, so the renditions are 320, 640 and 960 (never enlarged). */
const W = 960;
const H = 720;

function inShape(shape: DemoPhoto['shape'], x: number, y: number): boolean {
  const cx = W / 2;
  switch (shape) {
    case 'pouch': {
      // A stand-up pouch: a rectangle narrowing a little towards the top, rounded at the bottom.
      const top = 110, bottom = 640;
      if (y < top || y > bottom) return false;
      const half = 190 + ((y - top) / (bottom - top)) * 40;
      return Math.abs(x - cx) < half - (y > bottom - 30 ? (y - (bottom - 30)) * 1.2 : 0);
    }
    case 'jar': {
      if (y >= 130 && y <= 190) return Math.abs(x - cx) < 150; // lid
      return y > 190 && y < 640 && Math.abs(x - cx) < 200 - (y > 600 ? (y - 600) * 0.8 : 0);
    }
    case 'box':
      return y > 150 && y < 620 && Math.abs(x - cx) < 260;
  }
}

/** A JPEG of the demo picture (what a phone would upload). */
export async function drawDemoPhoto(p: DemoPhoto, seed = 1): Promise<Uint8Array> {
  const { draw_text_with_color, PhotonImage, Rgba } = await loadPhoton();
  const [pack, background, accent] = p.colours;
  const px = new Uint8Array(W * H * 4);
  let rnd = seed * 2654435761;
  const noise = () => {
    rnd = (rnd * 1103515245 + 12345) >>> 0;
    return ((rnd >>> 16) & 0xff) / 255 - 0.5;
  };
  const cx = W / 2;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = (y * W + x) * 4;
      const shade = 1 - 0.18 * (y / H) - 0.08 * Math.abs(x - cx) / cx;
      let c: Rgb = [background[0] * shade, background[1] * shade, background[2] * shade];
      // A soft shadow under the pack.
      const sd = Math.hypot((x - cx) / 300, (y - 650) / 30);
      if (sd < 1) c = [c[0] * (0.75 + 0.25 * sd), c[1] * (0.75 + 0.25 * sd), c[2] * (0.75 + 0.25 * sd)];
      if (inShape(p.shape, x, y)) {
        const light = 0.85 + 0.3 * Math.cos(((x - cx) / 260) * 1.4);
        c = [pack[0] * light, pack[1] * light, pack[2] * light];
        // The label: a band in the accent colour, and a round OCOP-style seal.
        if (y > 330 && y < 470) c = [accent[0] * light, accent[1] * light, accent[2] * light];
        if (Math.hypot(x - (cx + 120), y - 250) < 48) c = [250, 250, 245];
      }
      const g = noise() * 14;
      px[i] = Math.max(0, Math.min(255, c[0] + g));
      px[i + 1] = Math.max(0, Math.min(255, c[1] + g));
      px[i + 2] = Math.max(0, Math.min(255, c[2] + g));
      px[i + 3] = 255;
    }
  }
  const image = new PhotonImage(px, W, H);
  try {
    // Roboto averages about half the font size per character: fit the name inside the band.
    const size = Math.min(52, Math.floor(400 / (p.label.length * 0.5)));
    draw_text_with_color(image, p.label, Math.round(cx - (p.label.length * size) / 4), 400 - Math.round(size * 0.6), size, new Rgba(30, 24, 20, 255));
    draw_text_with_color(image, 'OCOP', Math.round(cx + 86), 236, 26, new Rgba(150, 110, 20, 255));
    return image.get_bytes_jpeg(90);
  } finally {
    image.free();
  }
}

/** Draws and uploads the demo photos of the products that exist; returns how many were stored. */
export async function seedDemoPhotos(db: Kysely<Database>, store: MediaStore, actor: Actor, limits: ImageLimits): Promise<number> {
  const products = await db.selectFrom('products').select(['id', 'slug']).where('slug', 'in', DEMO_PHOTOS.map((p) => p.slug)).execute();
  const idOf = new Map(products.map((p) => [p.slug, p.id]));
  let stored = 0;
  for (const [n, photo] of DEMO_PHOTOS.entries()) {
    const productId = idOf.get(photo.slug);
    if (productId === undefined) continue;
    await uploadPhoto(db, store, actor, { productId, kind: photo.kind, makeMain: false, bytes: await drawDemoPhoto(photo, n + 1) }, limits);
    stored++;
  }
  return stored;
}
