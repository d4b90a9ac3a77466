// What an uploaded file really is, read from its bytes (never its name or the browser's
// Content-Type), and whether it is whole. Images also give their dimensions from the header,
// so a decompression bomb (a small PNG that claims 100,000 × 100,000 pixels) is refused
// before anything is decoded. Pure: no I/O, runs on both runtimes.

export type ImageType = 'image/jpeg' | 'image/png' | 'image/webp';
export type SniffedType = ImageType | 'application/pdf';

export type Sniffed =
  | { ok: true; type: ImageType; width: number; height: number; orientation: number }
  | { ok: true; type: 'application/pdf' }
  | { ok: false; reason: 'unknown_type' | 'truncated' | 'bad_header' };

const ascii = (b: Uint8Array, at: number, text: string) => {
  if (at + text.length > b.length) return false;
  for (let i = 0; i < text.length; i++) if (b[at + i] !== text.charCodeAt(i)) return false;
  return true;
};
const u16be = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
const u32be = (b: Uint8Array, at: number) => ((b[at]! << 24) >>> 0) + ((b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!);
const u16le = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const u24le = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16);
const u32le = (b: Uint8Array, at: number) => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16)) + b[at + 3]! * 0x1000000;

/** The EXIF orientation (1–8) of a JPEG's APP1 segment, 1 when absent or unreadable. */
function exifOrientation(b: Uint8Array, start: number, end: number): number {
  if (!ascii(b, start, 'Exif\0\0')) return 1;
  const tiff = start + 6;
  if (tiff + 8 > end) return 1;
  const le = ascii(b, tiff, 'II');
  if (!le && !ascii(b, tiff, 'MM')) return 1;
  const r16 = (at: number) => (le ? u16le(b, at) : u16be(b, at));
  const r32 = (at: number) => (le ? u32le(b, at) : u32be(b, at));
  const ifd = tiff + r32(tiff + 4);
  if (ifd + 2 > end) return 1;
  const count = r16(ifd);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > end) return 1;
    if (r16(entry) === 0x0112) {
      const v = r16(entry + 8);
      return v >= 1 && v <= 8 ? v : 1;
    }
  }
  return 1;
}

function sniffJpeg(b: Uint8Array): Sniffed {
  // The end-of-image marker must be there: a cut-off upload decodes to a half-grey picture.
  let end = b.length;
  while (end > 2 && b[end - 1] === 0) end--; // some cameras pad the file with zeros
  if (!(b[end - 2] === 0xff && b[end - 1] === 0xd9)) return { ok: false, reason: 'truncated' };
  let at = 2;
  let orientation = 1;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return { ok: false, reason: 'bad_header' };
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at++;
      continue;
    }
    const length = u16be(b, at + 2);
    if (length < 2 || at + 2 + length > b.length) return { ok: false, reason: 'truncated' };
    if (marker === 0xe1) orientation = exifOrientation(b, at + 4, at + 2 + length);
    // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC): the frame header with the size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (length < 7) return { ok: false, reason: 'bad_header' };
      return { ok: true, type: 'image/jpeg', height: u16be(b, at + 5), width: u16be(b, at + 7), orientation };
    }
    if (marker === 0xda) break; // scan data before any frame header
    at += 2 + length;
  }
  return { ok: false, reason: 'bad_header' };
}

function sniffPng(b: Uint8Array): Sniffed {
  if (b.length < 33 || !ascii(b, 12, 'IHDR')) return { ok: false, reason: 'bad_header' };
  const width = u32be(b, 16);
  const height = u32be(b, 20);
  // Walk the chunks to IEND: a file cut short, or with a chunk claiming more than is there, is refused.
  let at = 8;
  while (at + 12 <= b.length) {
    const length = u32be(b, at);
    if (at + 12 + length > b.length) return { ok: false, reason: 'truncated' };
    if (ascii(b, at + 4, 'IEND')) return { ok: true, type: 'image/png', width, height, orientation: 1 };
    at += 12 + length;
  }
  return { ok: false, reason: 'truncated' };
}

function sniffWebp(b: Uint8Array): Sniffed {
  // The RIFF header states the file's length: less than that arrived means a cut-off upload.
  if (u32le(b, 4) + 8 > b.length) return { ok: false, reason: 'truncated' };
  if (b.length < 30) return { ok: false, reason: 'bad_header' };
  if (ascii(b, 12, 'VP8 ')) {
    if (!(b[23] === 0x9d && b[24] === 0x01 && b[25] === 0x2a)) return { ok: false, reason: 'bad_header' };
    return { ok: true, type: 'image/webp', width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff, orientation: 1 };
  }
  if (ascii(b, 12, 'VP8L')) {
    if (b[20] !== 0x2f) return { ok: false, reason: 'bad_header' };
    const bits = u32le(b, 21);
    return { ok: true, type: 'image/webp', width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1, orientation: 1 };
  }
  if (ascii(b, 12, 'VP8X')) {
    // The canvas size, and the size of the image chunk inside if it is larger: a small canvas
    // must not smuggle a huge frame past the pixel limit.
    let width = u24le(b, 24) + 1;
    let height = u24le(b, 27) + 1;
    let at = 30;
    while (at + 8 <= b.length) {
      const size = u32le(b, at + 4);
      const inner = b.subarray(at, Math.min(b.length, at + 8 + size));
      if (ascii(b, at, 'VP8 ') && inner.length >= 18) {
        width = Math.max(width, u16le(inner, 14) & 0x3fff);
        height = Math.max(height, u16le(inner, 16) & 0x3fff);
      } else if (ascii(b, at, 'VP8L') && inner.length >= 13) {
        const bits = u32le(inner, 9);
        width = Math.max(width, (bits & 0x3fff) + 1);
        height = Math.max(height, ((bits >>> 14) & 0x3fff) + 1);
      }
      at += 8 + size + (size % 2);
    }
    return { ok: true, type: 'image/webp', width, height, orientation: 1 };
  }
  return { ok: false, reason: 'bad_header' };
}

function lastIndexOf(b: Uint8Array, text: string, from: number): number {
  for (let i = b.length - text.length; i >= from; i--) if (ascii(b, i, text)) return i;
  return -1;
}

function sniffPdf(b: Uint8Array): Sniffed {
  // A whole PDF ends with `startxref`, the offset and `%%EOF` (within its last kilobyte,
  // allowing for trailing whitespace); a cut-off scan does not.
  const tail = Math.max(0, b.length - 1024);
  const eof = lastIndexOf(b, '%%EOF', tail);
  if (eof < 0 || lastIndexOf(b, 'startxref', tail) < 0) return { ok: false, reason: 'truncated' };
  return { ok: true, type: 'application/pdf' };
}

export function sniff(b: Uint8Array): Sniffed {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return sniffJpeg(b);
  if (b.length >= 8 && b[0] === 0x89 && ascii(b, 1, 'PNG\r\n\x1a\n')) return sniffPng(b);
  if (b.length >= 12 && ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP')) return sniffWebp(b);
  if (ascii(b, 0, '%PDF-')) return sniffPdf(b);
  return { ok: false, reason: 'unknown_type' };
}
