import { describe, expect, it } from 'vitest';
import { renditionWidths } from '../../../worker/media/images';
import { sniff } from '../../../worker/media/sniff';
import { jpeg, jpegWithExif, pdf, png, pngClaiming, textBytes, webp } from '../../helpers/media-fixtures';

// What a file is, read from its bytes: the checks every upload goes through before any decoding.

/** A lossy WebP header (VP8 keyframe) of `w` × `h`, padded to its stated RIFF length. */
function vp8(w: number, h: number, cut = 0): Uint8Array {
  const b = new Uint8Array(64);
  const v = new DataView(b.buffer);
  b.set(textBytes('RIFF'), 0);
  v.setUint32(4, b.length - 8, true);
  b.set(textBytes('WEBPVP8 '), 8);
  v.setUint32(16, b.length - 20, true);
  b.set([0x9d, 0x01, 0x2a], 23);
  v.setUint16(26, w, true);
  v.setUint16(28, h, true);
  return b.slice(0, b.length - cut);
}

/** An extended WebP header (VP8X) with a canvas of `w` × `h`. */
function vp8x(w: number, h: number): Uint8Array {
  const b = new Uint8Array(30);
  const v = new DataView(b.buffer);
  b.set(textBytes('RIFF'), 0);
  v.setUint32(4, b.length - 8, true);
  b.set(textBytes('WEBPVP8X'), 8);
  v.setUint32(16, 10, true);
  b.set([(w - 1) & 0xff, ((w - 1) >> 8) & 0xff, ((w - 1) >> 16) & 0xff, (h - 1) & 0xff, ((h - 1) >> 8) & 0xff, ((h - 1) >> 16) & 0xff], 24);
  return b;
}

describe('sniff', () => {
  it('reads type and size from JPEG, PNG and WebP headers (lossless, lossy, extended)', () => {
    expect(sniff(jpeg(321, 123))).toEqual({ ok: true, type: 'image/jpeg', width: 321, height: 123, orientation: 1 });
    expect(sniff(png(300, 200))).toEqual({ ok: true, type: 'image/png', width: 300, height: 200, orientation: 1 });
    expect(sniff(webp(250, 170))).toEqual({ ok: true, type: 'image/webp', width: 250, height: 170, orientation: 1 });
    expect(sniff(vp8(1600, 1200))).toEqual({ ok: true, type: 'image/webp', width: 1600, height: 1200, orientation: 1 });
    expect(sniff(vp8x(20_000, 15_000))).toEqual({ ok: true, type: 'image/webp', width: 20_000, height: 15_000, orientation: 1 });
  });

  it('reads the EXIF orientation of a JPEG', () => {
    for (const o of [1, 3, 6, 8]) expect(sniff(jpegWithExif(400, 300, o))).toMatchObject({ type: 'image/jpeg', width: 400, height: 300, orientation: o });
  });

  it('knows a whole PDF from a cut one, and an HTML page or SVG from an image', () => {
    expect(sniff(pdf())).toEqual({ ok: true, type: 'application/pdf' });
    expect(sniff(pdf().slice(0, 300))).toEqual({ ok: false, reason: 'truncated' });
    expect(sniff(textBytes('<!doctype html><p>ảnh</p>'))).toEqual({ ok: false, reason: 'unknown_type' });
    expect(sniff(textBytes('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toEqual({ ok: false, reason: 'unknown_type' });
    expect(sniff(new Uint8Array(0))).toEqual({ ok: false, reason: 'unknown_type' });
  });

  it('refuses files cut short, whatever the format', () => {
    const j = jpeg(400, 300);
    expect(sniff(j.slice(0, j.length - 1))).toEqual({ ok: false, reason: 'truncated' });
    expect(sniff(j.slice(0, 4))).toEqual({ ok: false, reason: 'truncated' });
    const p = png(400, 300);
    expect(sniff(p.slice(0, p.length - 12))).toEqual({ ok: false, reason: 'truncated' }); // no IEND
    expect(sniff(vp8(800, 600, 10))).toEqual({ ok: false, reason: 'truncated' });
    // Trailing zero padding after the end marker is what some cameras write: still whole.
    const padded = new Uint8Array(j.length + 16);
    padded.set(j);
    expect(sniff(padded)).toMatchObject({ ok: true, type: 'image/jpeg' });
  });

  it('an extended WebP reports the larger of its canvas and its image chunk', () => {
    const header = vp8x(200, 200);
    const frame = vp8(16_000, 16_000).subarray(12); // the 'VP8 ' chunk of a lossy header
    const file = new Uint8Array(header.length + frame.length);
    file.set(header);
    file.set(frame, header.length);
    new DataView(file.buffer).setUint32(4, file.length - 8, true);
    expect(sniff(file)).toMatchObject({ ok: true, width: 16_000, height: 16_000 });
  });

  it('reports the size a PNG claims, however large (the pixel limit is applied on it)', () => {
    expect(sniff(pngClaiming(100_000, 100_000))).toMatchObject({ ok: true, width: 100_000, height: 100_000 });
  });
});

describe('rendition widths', () => {
  it('320, 640, 1280 for a large photo; never above the photo itself', () => {
    expect(renditionWidths(4000)).toEqual([320, 640, 1280]);
    expect(renditionWidths(1280)).toEqual([320, 640, 1280]);
    expect(renditionWidths(960)).toEqual([320, 640, 960]);
    expect(renditionWidths(500)).toEqual([320, 500]);
    expect(renditionWidths(320)).toEqual([320]);
    expect(renditionWidths(200)).toEqual([200]);
  });
});
