// Files for the upload tests, made here rather than checked in: photos drawn with photon,
// a JPEG carrying an EXIF block with GPS coordinates and an orientation, hostile and broken
// files, and a small but whole PDF.
import { PhotonImage } from '@cf-wasm/photon';

/** An RGBA picture: a gradient, with a fully transparent top-left quarter when `alpha`. */
export function pixels(width: number, height: number, alpha = false): Uint8Array {
  const px = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      px[i] = (x * 255) / width;
      px[i + 1] = (y * 255) / height;
      px[i + 2] = 90;
      px[i + 3] = alpha && x < width / 2 && y < height / 2 ? 0 : 255;
    }
  }
  return px;
}

function encode(width: number, height: number, as: 'jpeg' | 'png' | 'webp', alpha = false): Uint8Array {
  const image = new PhotonImage(pixels(width, height, alpha), width, height);
  try {
    return as === 'jpeg' ? image.get_bytes_jpeg(90) : as === 'png' ? image.get_bytes() : image.get_bytes_webp();
  } finally {
    image.free();
  }
}

export const jpeg = (w: number, h: number) => encode(w, h, 'jpeg');
export const png = (w: number, h: number, alpha = false) => encode(w, h, 'png', alpha);
/** Lossless WebP (VP8L), the kind photon writes. */
export const webp = (w: number, h: number) => encode(w, h, 'webp');

/** The GPS position written into the EXIF fixture, as ASCII markers the test also looks for. */
export const GPS_MARKER = 'GPS-11.5321N-106.8921E';

/**
 * A JPEG with an APP1 EXIF segment: IFD0 holds the orientation (6: the camera was turned,
 * the picture must be rotated 90° clockwise), the camera maker, and a pointer to a GPS IFD
 * with latitude reference, latitude and a GPS processing-method text naming the place.
 */
export function jpegWithExif(width: number, height: number, orientation = 6): Uint8Array {
  const base = jpeg(width, height);
  const tiff: number[] = [];
  const u16 = (v: number) => tiff.push(v & 0xff, (v >> 8) & 0xff);
  const u32 = (v: number) => tiff.push(v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff);
  const maker = 'OCOP-Test-Camera\0';
  const method = `ASCII\0\0\0${GPS_MARKER}`;
  // Layout: header (8) · IFD0 (2 + 3×12 + 4 = 42) · GPS IFD (2 + 3×12 + 4 = 42) · data.
  const ifd0 = 8;
  const gpsIfd = ifd0 + 42;
  const data = gpsIfd + 42;
  const makerAt = data;
  const latAt = makerAt + maker.length;
  const methodAt = latAt + 24;
  tiff.push(0x49, 0x49); u16(42); u32(ifd0);
  u16(3);
  u16(0x010f); u16(2); u32(maker.length); u32(makerAt); // Make
  u16(0x0112); u16(3); u32(1); u16(orientation); u16(0); // Orientation
  u16(0x8825); u16(4); u32(1); u32(gpsIfd); // GPS IFD pointer
  u32(0);
  u16(3);
  u16(0x0001); u16(2); u32(2); tiff.push(0x4e, 0, 0, 0); // GPSLatitudeRef 'N'
  u16(0x0002); u16(5); u32(3); u32(latAt); // GPSLatitude
  u16(0x001b); u16(7); u32(method.length); u32(methodAt); // GPSProcessingMethod
  u32(0);
  for (const ch of maker) tiff.push(ch.charCodeAt(0));
  for (const [n, d] of [[11, 1], [31, 1], [5556, 100]]) { u32(n!); u32(d!); }
  for (const ch of method) tiff.push(ch.charCodeAt(0));
  const payload = [...'Exif\0\0'].map((c) => c.charCodeAt(0)).concat(tiff);
  const segment = [0xff, 0xe1, ((payload.length + 2) >> 8) & 0xff, (payload.length + 2) & 0xff, ...payload];
  const out = new Uint8Array(base.length + segment.length);
  out.set(base.subarray(0, 2), 0);
  out.set(segment, 2);
  out.set(base.subarray(2), 2 + segment.length);
  return out;
}

/** A PNG whose header claims `width` × `height` pixels, with a tiny body: a decompression bomb's signature. */
export function pngClaiming(width: number, height: number): Uint8Array {
  const real = png(200, 200);
  const out = real.slice();
  const view = new DataView(out.buffer);
  view.setUint32(16, width);
  view.setUint32(20, height);
  return out;
}

/**
 * A JPEG whose size and end marker are sound but whose Huffman tables are impossible (code
 * counts summing past 256): what a crafted file aimed at the decoder looks like.
 */
export function corruptJpeg(): Uint8Array {
  const out = jpeg(400, 300).slice();
  const dht = out.findIndex((b, i) => b === 0xff && out[i + 1] === 0xc4);
  if (dht < 0) throw new Error('no DHT segment in the fixture');
  // Segment: FF C4, length (2), table class/id (1), 16 code counts.
  for (let i = dht + 5; i < dht + 5 + 16; i++) out[i] = 0xff;
  return out;
}

export const textBytes = (s: string) => new TextEncoder().encode(s);

/** A small, whole one-page PDF (header, objects, xref, trailer, startxref, %%EOF). */
export function pdf(note = 'Quyet dinh cong nhan OCOP'): Uint8Array {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${`BT /F1 12 Tf 20 100 Td (${note}) Tj ET`.length} >>\nstream\nBT /F1 12 Tf 20 100 Td (${note}) Tj ET\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return textBytes(body);
}
