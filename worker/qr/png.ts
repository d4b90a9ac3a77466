import { zlibSync } from 'fflate';
import type { QrMatrix } from './matrix';

export interface QrPngOptions {
  /** Pixels per module. */
  scale?: number;
  /** Quiet zone in modules; ISO 18004 asks for 4. */
  margin?: number;
}

type Matrix = Pick<QrMatrix, 'size' | 'modules'>;

const SIGNATURE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** 1-bit grayscale PNG (bit 1 = white). A version 6 symbol at scale 8 is well under 1 KB. */
export function qrPng(m: Matrix, opts: QrPngOptions = {}): Uint8Array {
  const scale = opts.scale ?? 8;
  const margin = opts.margin ?? 4;
  if (!Number.isInteger(scale) || scale < 1 || scale > 64) throw new RangeError('scale must be an integer from 1 to 64');
  if (!Number.isInteger(margin) || margin < 0) throw new RangeError('margin must be a non-negative integer');
  const { size, modules } = m;
  const px = (size + 2 * margin) * scale;
  const stride = 1 + ((px + 7) >> 3); // filter byte + packed bits
  const raw = new Uint8Array(stride * px).fill(0xff);

  // One module row becomes `scale` identical pixel rows: build the first, copy it.
  const line = new Uint8Array(stride);
  for (let r = 0; r < size; r++) {
    line.fill(0xff);
    line[0] = 0; // filter: none
    for (let c = 0; c < size; c++) {
      if (!modules[r * size + c]) continue;
      const x0 = (c + margin) * scale;
      for (let x = x0; x < x0 + scale; x++) line[1 + (x >> 3)]! &= ~(0x80 >> (x & 7));
    }
    const y0 = (r + margin) * scale;
    raw.set(line, y0 * stride);
    // The other `scale - 1` rows repeat it: PNG filter 2 ("Up") turns a repeated row into
    // zeros, which deflate squeezes to almost nothing, fast even at a low level.
    for (let y = y0 + 1; y < y0 + scale; y++) {
      raw.fill(0, y * stride, (y + 1) * stride);
      raw[y * stride] = 2;
    }
  }
  // Quiet-zone rows stay white with filter 0; module rows already set their filter byte.
  for (let y = 0; y < margin * scale; y++) raw[y * stride] = 0;
  for (let y = (size + margin) * scale; y < px; y++) raw[y * stride] = 0;

  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, px);
  view.setUint32(4, px);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // colour type: grayscale
  // compression, filter, interlace: 0
  const idat = zlibSync(raw, { level: 6 });
  return concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))]);
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out, 4, 8 + data.length));
  return out;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
