// Photos are decoded and encoded again (which leaves every byte of metadata behind: EXIF
// with GPS, XMP, comments, colour profiles) into a few widths, by photon's WebAssembly build
// (@cf-wasm/photon), which loads on Node and on Workers from the same import: its package
// exports pick the right loader for each runtime (the wasm file imported as a module on
// workerd, embedded in the module on Node). sharp, the usual Node choice, does not run on Workers.
import type { PhotonImage } from '@cf-wasm/photon';
import { loadPhoton } from './photon';

/** Widths of the renditions; an image narrower than one of them is never enlarged. */
export const RENDITION_WIDTHS = [320, 640, 1280] as const;
/** JPEG quality by width: small ones carry the scan page and must stay light (≤ ~35 KB at 640). */
const QUALITY: Record<number, number> = { 320: 72, 640: 68, 1280: 75 };

export interface Rendition {
  width: number;
  height: number;
  bytes: Uint8Array;
}

/** The widths made for an image `displayWidth` wide: the standard ones below it, and itself when narrower than the largest. */
export function renditionWidths(displayWidth: number): number[] {
  const widths: number[] = RENDITION_WIDTHS.filter((w) => w < displayWidth);
  const largest = RENDITION_WIDTHS[RENDITION_WIDTHS.length - 1]!;
  widths.push(Math.min(displayWidth, largest));
  return [...new Set(widths)].sort((a, b) => a - b);
}

/**
 * RGBA pixels turned upright by EXIF orientation (2–8), with transparency laid on white
 * (a JPEG has no alpha channel; a transparent PNG would otherwise turn black).
 */
function upright(src: Uint8Array, w: number, h: number, orientation: number): { pixels: Uint8Array; width: number; height: number } {
  const swap = orientation >= 5;
  const width = swap ? h : w;
  const height = swap ? w : h;
  const out = new Uint8Array(width * height * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let dx: number, dy: number;
      switch (orientation) {
        case 2: dx = w - 1 - x; dy = y; break;
        case 3: dx = w - 1 - x; dy = h - 1 - y; break;
        case 4: dx = x; dy = h - 1 - y; break;
        case 5: dx = y; dy = x; break;
        case 6: dx = h - 1 - y; dy = x; break;
        case 7: dx = h - 1 - y; dy = w - 1 - x; break;
        case 8: dx = y; dy = w - 1 - x; break;
        default: dx = x; dy = y;
      }
      const s = (y * w + x) * 4;
      const d = (dy * width + dx) * 4;
      const a = src[s + 3]!;
      if (a === 255) {
        out[d] = src[s]!; out[d + 1] = src[s + 1]!; out[d + 2] = src[s + 2]!;
      } else {
        const k = a / 255;
        out[d] = Math.round(src[s]! * k + 255 * (1 - k)); out[d + 1] = Math.round(src[s + 1]! * k + 255 * (1 - k)); out[d + 2] = Math.round(src[s + 2]! * k + 255 * (1 - k));
      }
      out[d + 3] = 255;
    }
  }
  return { pixels: out, width, height };
}

/**
 * Decodes `bytes` (already sniffed: a whole JPEG, PNG or WebP within the pixel limit) and
 * returns JPEG renditions, smallest first, upright and without metadata. Throws when the
 * decoder refuses the image (a corrupt stream behind a sound header).
 */
export async function makeRenditions(bytes: Uint8Array, orientation: number): Promise<Rendition[]> {
  const { PhotonImage, resize, SamplingFilter } = await loadPhoton();
  const source = PhotonImage.new_from_byteslice(bytes);
  const made: Rendition[] = [];
  try {
    const sw = source.get_width();
    const sh = source.get_height();
    const swap = orientation >= 5;
    const displayWidth = swap ? sh : sw;
    const displayHeight = swap ? sw : sh;
    // Largest first, each from the one before (cheaper than from the full image every time).
    let from = source;
    for (const width of renditionWidths(displayWidth).reverse()) {
      const height = Math.max(1, Math.round((displayHeight * width) / displayWidth));
      // Resize in the source's own orientation, then turn upright.
      const [rw, rh] = from === source && swap ? [height, width] : [width, height];
      let image: PhotonImage;
      if (from === source) {
        // Bicubic from the source (Lanczos3 looked no better here at three times the time);
        // an image already at this width is only turned upright.
        const same = rw === sw && rh === sh;
        const scaled = same ? source : resize(source, rw, rh, SamplingFilter.CatmullRom);
        const fixed = upright(scaled.get_raw_pixels(), scaled.get_width(), scaled.get_height(), orientation);
        image = new PhotonImage(fixed.pixels, fixed.width, fixed.height);
        if (!same) scaled.free();
      } else {
        // The next widths are about half the previous one: a triangle filter is enough.
        image = resize(from, rw, rh, SamplingFilter.Triangle);
      }
      made.push({ width: image.get_width(), height: image.get_height(), bytes: image.get_bytes_jpeg(QUALITY[width] ?? 72) });
      if (from !== source) from.free();
      from = image;
    }
    if (from !== source) from.free();
  } finally {
    source.free();
  }
  return made.reverse();
}
