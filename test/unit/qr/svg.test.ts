import { describe, expect, it } from 'vitest';
import { qrMatrix } from '../../../worker/qr/matrix';
import { qrSvg } from '../../../worker/qr/svg';
import { BASE_32, packageUrl } from './tools';

/** Tags balanced and properly nested, attributes quoted: enough XML for our output. */
function assertWellFormed(xml: string): void {
  const stack: string[] = [];
  const tag = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  for (let m = tag.exec(xml); m; m = tag.exec(xml)) {
    expect(xml.slice(last, m.index)).not.toMatch(/[<>]/);
    last = tag.lastIndex;
    const [, close, name, , selfClose] = m;
    if (close) expect(stack.pop()).toBe(name);
    else if (!selfClose) stack.push(name!);
  }
  expect(xml.slice(last)).toBe('');
  expect(stack).toEqual([]);
}

/** Rebuild the module grid from the path's `M x y h n v1 h-n z` runs. */
function modulesFromPath(d: string, size: number, margin: number): Uint8Array {
  const out = new Uint8Array(size * size);
  const run = /M(\d+) (\d+)h(\d+)v1h-(\d+)z/g;
  let consumed = 0;
  for (let m = run.exec(d); m; m = run.exec(d)) {
    consumed += m[0].length;
    const [x, y, len, back] = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number];
    expect(back).toBe(len);
    for (let c = x; c < x + len; c++) {
      expect(out[(y - margin) * size + (c - margin)]).toBe(0); // no overlapping runs
      out[(y - margin) * size + (c - margin)] = 1;
    }
  }
  expect(consumed).toBe(d.length);
  return out;
}

describe('qrSvg', () => {
  const m = qrMatrix(packageUrl(BASE_32));

  it('is well-formed, with a viewBox of the symbol plus quiet zone and one path', () => {
    const svg = qrSvg(m);
    assertWellFormed(svg);
    expect(svg).toContain(`viewBox="0 0 ${m.size + 8} ${m.size + 8}"`);
    expect(svg).toContain('shape-rendering="crispEdges"');
    expect(svg.match(/<path /g)).toHaveLength(1);
    expect(svg).not.toMatch(/<svg[^>]*width=/);
  });

  it('draws exactly the dark modules, as merged horizontal runs', () => {
    for (const margin of [4, 0, 2]) {
      const svg = qrSvg(m, { margin });
      const d = /<path fill="#000" d="([^"]*)"/.exec(svg)![1]!;
      expect(Buffer.from(modulesFromPath(d, m.size, margin)).equals(Buffer.from(m.modules))).toBe(true);
      expect(svg).toContain(`viewBox="0 0 ${m.size + 2 * margin} ${m.size + 2 * margin}"`);
    }
  });

  it('sets width and height from moduleSize and escapes the title', () => {
    const svg = qrSvg(m, { moduleSize: 2.5, title: 'Mã QR <Điều & "mật ong">' });
    assertWellFormed(svg);
    expect(svg).toContain(`width="${(m.size + 8) * 2.5}" height="${(m.size + 8) * 2.5}"`);
    expect(svg).toContain('<title>Mã QR &#60;Điều &#38; &#34;mật ong&#34;&#62;</title>');
  });

  it('rejects a bad margin or module size', () => {
    expect(() => qrSvg(m, { margin: -1 })).toThrow(RangeError);
    expect(() => qrSvg(m, { moduleSize: 0 })).toThrow(RangeError);
  });
});
