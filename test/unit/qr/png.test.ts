import { unzlibSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { qrMatrix } from '../../../worker/qr/matrix';
import { crc32, qrPng } from '../../../worker/qr/png';
import { BASE_32, BASE_REAL, packageUrl, randomCode, tempDir, tool, writeTemp, zbarDecode } from './tools';

describe('qrPng', () => {
  beforeAll(() => {
    tool('zbarimg');
  });

  it('scans back to exactly the URL with zbarimg, for several URLs including the longest', () => {
    const dir = tempDir();
    const urls = [
      packageUrl(BASE_32),
      packageUrl(BASE_32, 'A'.repeat(119)),
      packageUrl(BASE_32, '7'.repeat(119)),
      packageUrl(BASE_REAL),
      packageUrl('HTTPS://X.VN'),
      packageUrl('HTTP://LOCALHOST:8787', randomCode()),
    ];
    urls.forEach((url, i) => {
      const file = writeTemp(dir, `u${i}.png`, qrPng(qrMatrix(url)));
      expect(zbarDecode(file)).toEqual([url]);
    });
  });

  it('still scans at scale 2 with the default quiet zone', () => {
    const url = packageUrl(BASE_32);
    const file = writeTemp(tempDir(), 'small.png', qrPng(qrMatrix(url), { scale: 2 }));
    expect(zbarDecode(file)).toEqual([url]);
  });

  it('writes a valid 1-bit grayscale PNG of (size + 2 * margin) * scale pixels', () => {
    const m = qrMatrix(packageUrl(BASE_32));
    const png = qrPng(m, { scale: 3, margin: 2 });
    expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
    const chunks: { type: string; data: Uint8Array }[] = [];
    for (let o = 8; o < png.length; ) {
      const len = view.getUint32(o);
      const type = String.fromCharCode(...png.subarray(o + 4, o + 8));
      expect(view.getUint32(o + 8 + len)).toBe(crc32(png, o + 4, o + 8 + len));
      chunks.push({ type, data: png.subarray(o + 8, o + 8 + len) });
      o += 12 + len;
    }
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    const ihdr = new DataView(chunks[0]!.data.buffer, chunks[0]!.data.byteOffset, 13);
    const px = (m.size + 4) * 3;
    expect([ihdr.getUint32(0), ihdr.getUint32(4), ihdr.getUint8(8), ihdr.getUint8(9)]).toEqual([px, px, 1, 0]);
    const raw = unzlibSync(chunks[1]!.data);
    const stride = 1 + Math.ceil(px / 8);
    expect(raw.length).toBe(stride * px);
    // Undo the row filters as a PNG decoder does: only None (0) and Up (2) are used.
    for (let y = 0; y < px; y++) {
      const filter = raw[y * stride]!;
      expect([0, 2]).toContain(filter);
      if (filter === 2) for (let i = 1; i < stride; i++) raw[y * stride + i] = (raw[y * stride + i]! + (y > 0 ? raw[(y - 1) * stride + i]! : 0)) & 0xff;
    }
    // Pixel (x, y) is dark (bit 0) exactly where the module under it is dark.
    const dark = (x: number, y: number): boolean => ((raw[y * stride + 1 + (x >> 3)]! >> (7 - (x & 7))) & 1) === 0;
    for (let r = 0; r < m.size; r++) {
      for (let c = 0; c < m.size; c++) {
        expect(dark((c + 2) * 3 + 1, (r + 2) * 3 + 1)).toBe(m.modules[r * m.size + c] === 1);
      }
    }
    expect(dark(0, 0)).toBe(false);
  });

  it('rejects bad scale and margin', () => {
    const m = qrMatrix('HTTPS://X.VN');
    expect(() => qrPng(m, { scale: 0 })).toThrow(RangeError);
    expect(() => qrPng(m, { scale: 1.5 })).toThrow(RangeError);
    expect(() => qrPng(m, { margin: -1 })).toThrow(RangeError);
  });

  it('computes the standard CRC-32', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });
});
