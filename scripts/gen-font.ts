/**
 * Generates worker/qr/font-data.ts: Be Vietnam Pro (SIL OFL 1.1, from the npm package
 * @expo-google-fonts/be-vietnam-pro) Regular and SemiBold, cut down to Latin + Vietnamese, as
 * base64 plus the metrics the PDF writer needs, so Workers can embed it without a filesystem.
 *
 * Run: npx tsx scripts/gen-font.ts  (output is committed; rerun only to change the character set)
 *
 * Subsetting keeps glyph ids stable (unused glyphs become empty outlines) so cmap, hmtx and
 * composite glyph references stay valid untouched; layout tables (GSUB/GPOS/GDEF) are dropped
 * because the PDF writer places precomposed glyphs one after another. Hinting (fpgm, prep, cvt
 * and per-glyph instructions, about a third of the bytes) is dropped too: it only tunes
 * rasterisation at small pixel sizes on screen, and printers and PDF viewers render fine without.
 * The font has no ★ (U+2605): label sheets draw stars as paths.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve('@expo-google-fonts/be-vietnam-pro/package.json'));
const OUT = new URL('../worker/qr/font-data.ts', import.meta.url);

const WEIGHTS = [
  { name: 'regular', file: '400Regular/BeVietnamPro_400Regular.ttf', postscript: 'BeVietnamPro-Regular' },
  { name: 'semibold', file: '600SemiBold/BeVietnamPro_600SemiBold.ttf', postscript: 'BeVietnamPro-SemiBold' },
] as const;

function ranges(...pairs: [number, number][]): number[] {
  const out: number[] = [];
  for (const [a, b] of pairs) for (let c = a; c <= b; c++) out.push(c);
  return out;
}

// Printable ASCII, Latin-1, the Vietnamese letters outside it, the combining tone marks (for
// text that arrives decomposed), the Vietnamese block, and common typography (– — ‘ ’ “ ” • … ₫ №).
const CHARS = ranges(
  [0x20, 0x7e], [0xa0, 0xff], [0x102, 0x103], [0x110, 0x111], [0x128, 0x129], [0x168, 0x169],
  [0x1a0, 0x1a1], [0x1af, 0x1b0], [0x300, 0x303], [0x309, 0x309], [0x323, 0x323], [0x1ea0, 0x1ef9],
  [0x2013, 0x2014], [0x2018, 0x2019], [0x201c, 0x201d], [0x2022, 0x2022], [0x2026, 0x2026],
  [0x20ab, 0x20ab], [0x2116, 0x2116],
);

const KEEP_TABLES = ['OS/2', 'cmap', 'glyf', 'head', 'hhea', 'hmtx', 'loca', 'maxp', 'name', 'post'];

interface Table { tag: string; data: Buffer }

function readTables(font: Buffer): Map<string, Buffer> {
  const n = font.readUInt16BE(4);
  const tables = new Map<string, Buffer>();
  for (let i = 0; i < n; i++) {
    const o = 12 + 16 * i;
    const tag = font.toString('latin1', o, o + 4);
    const off = font.readUInt32BE(o + 8);
    const len = font.readUInt32BE(o + 12);
    tables.set(tag, font.subarray(off, off + len));
  }
  return tables;
}

/** Unicode -> glyph id from the (3,10) format 12 or (3,1) format 4 subtable. */
function readCmap(cmap: Buffer): Map<number, number> {
  const map = new Map<number, number>();
  const n = cmap.readUInt16BE(2);
  let best: { off: number; format: number } | undefined;
  for (let i = 0; i < n; i++) {
    const pid = cmap.readUInt16BE(4 + 8 * i);
    const eid = cmap.readUInt16BE(6 + 8 * i);
    const off = cmap.readUInt32BE(8 + 8 * i);
    const format = cmap.readUInt16BE(off);
    if (pid === 3 && eid === 10 && format === 12) best = { off, format };
    else if (pid === 3 && eid === 1 && format === 4 && !best) best = { off, format };
  }
  if (!best) throw new Error('no usable cmap subtable');
  const t = best.off;
  if (best.format === 12) {
    const groups = cmap.readUInt32BE(t + 12);
    for (let g = 0; g < groups; g++) {
      const o = t + 16 + 12 * g;
      const start = cmap.readUInt32BE(o);
      const end = cmap.readUInt32BE(o + 4);
      const gid = cmap.readUInt32BE(o + 8);
      for (let c = start; c <= end; c++) map.set(c, gid + c - start);
    }
  } else {
    const segX2 = cmap.readUInt16BE(t + 6);
    const ends = t + 14;
    const starts = ends + segX2 + 2;
    const deltas = starts + segX2;
    const rangeOffs = deltas + segX2;
    for (let s = 0; s < segX2; s += 2) {
      const end = cmap.readUInt16BE(ends + s);
      const start = cmap.readUInt16BE(starts + s);
      const delta = cmap.readInt16BE(deltas + s);
      const ro = cmap.readUInt16BE(rangeOffs + s);
      for (let c = start; c <= end && c !== 0xffff; c++) {
        let gid: number;
        if (ro === 0) gid = (c + delta) & 0xffff;
        else {
          const g = cmap.readUInt16BE(rangeOffs + s + ro + 2 * (c - start));
          gid = g === 0 ? 0 : (g + delta) & 0xffff;
        }
        if (gid) map.set(c, gid);
      }
    }
  }
  return map;
}

function readLoca(loca: Buffer, longFormat: boolean, numGlyphs: number): number[] {
  const out: number[] = [];
  for (let i = 0; i <= numGlyphs; i++) out.push(longFormat ? loca.readUInt32BE(4 * i) : loca.readUInt16BE(2 * i) * 2);
  return out;
}

/** Component glyph ids of a composite glyph (flags per the glyf spec). */
function components(glyph: Buffer): number[] {
  if (glyph.length === 0 || glyph.readInt16BE(0) >= 0) return [];
  const out: number[] = [];
  let o = 10;
  for (;;) {
    const flags = glyph.readUInt16BE(o);
    out.push(glyph.readUInt16BE(o + 2));
    o += 4 + (flags & 0x0001 ? 4 : 2);
    if (flags & 0x0008) o += 2;
    else if (flags & 0x0040) o += 4;
    else if (flags & 0x0080) o += 8;
    if (!(flags & 0x0020)) break;
  }
  return out;
}

/** The glyph without its TrueType instructions. */
function unhinted(glyph: Buffer): Buffer {
  if (glyph.length === 0) return glyph;
  const contours = glyph.readInt16BE(0);
  if (contours >= 0) {
    const endPts = 10;
    const insLenAt = endPts + 2 * contours;
    const insLen = glyph.readUInt16BE(insLenAt);
    const out = Buffer.concat([glyph.subarray(0, insLenAt + 2), glyph.subarray(insLenAt + 2 + insLen)]);
    out.writeUInt16BE(0, insLenAt);
    return out;
  }
  const out = Buffer.from(glyph);
  let o = 10;
  for (;;) {
    const flags = out.readUInt16BE(o);
    out.writeUInt16BE(flags & ~0x0100, o); // WE_HAVE_INSTRUCTIONS
    o += 4 + (flags & 0x0001 ? 4 : 2);
    if (flags & 0x0008) o += 2;
    else if (flags & 0x0040) o += 4;
    else if (flags & 0x0080) o += 8;
    if (!(flags & 0x0020)) break;
  }
  return out.subarray(0, o);
}

function checksum(data: Buffer): number {
  const padded = Buffer.concat([data, Buffer.alloc((4 - (data.length % 4)) % 4)]);
  let sum = 0;
  for (let i = 0; i < padded.length; i += 4) sum = (sum + padded.readUInt32BE(i)) >>> 0;
  return sum;
}

function writeFont(tables: Table[]): Buffer {
  tables.sort((a, b) => (a.tag < b.tag ? -1 : 1));
  const n = tables.length;
  const entrySelector = Math.floor(Math.log2(n));
  const searchRange = 2 ** entrySelector * 16;
  const header = Buffer.alloc(12 + 16 * n);
  header.writeUInt32BE(0x00010000, 0);
  header.writeUInt16BE(n, 4);
  header.writeUInt16BE(searchRange, 6);
  header.writeUInt16BE(entrySelector, 8);
  header.writeUInt16BE(n * 16 - searchRange, 10);
  let offset = header.length;
  const bodies: Buffer[] = [];
  let headOffset = 0;
  tables.forEach((t, i) => {
    const o = 12 + 16 * i;
    header.write(t.tag, o, 'latin1');
    header.writeUInt32BE(checksum(t.data), o + 4);
    header.writeUInt32BE(offset, o + 8);
    header.writeUInt32BE(t.data.length, o + 12);
    if (t.tag === 'head') headOffset = offset;
    const padded = Buffer.concat([t.data, Buffer.alloc((4 - (t.data.length % 4)) % 4)]);
    bodies.push(padded);
    offset += padded.length;
  });
  const font = Buffer.concat([header, ...bodies]);
  font.writeUInt32BE((0xb1b0afba - checksum(font)) >>> 0, headOffset + 8);
  return font;
}

function subset(file: string) {
  const font = readFileSync(join(pkgDir, file));
  const t = readTables(font);
  const get = (tag: string): Buffer => {
    const b = t.get(tag);
    if (!b) throw new Error(`missing table ${tag}`);
    return b;
  };
  const head = Buffer.from(get('head'));
  const hhea = get('hhea');
  const maxp = get('maxp');
  const hmtx = get('hmtx');
  const os2 = get('OS/2');
  const numGlyphs = maxp.readUInt16BE(4);
  const longLoca = head.readInt16BE(50) === 1;
  const loca = readLoca(get('loca'), longLoca, numGlyphs);
  const glyf = get('glyf');
  const cmap = readCmap(get('cmap'));
  const numHMetrics = hhea.readUInt16BE(34);
  const advance = (gid: number): number => hmtx.readUInt16BE(4 * Math.min(gid, numHMetrics - 1));

  const glyph = (gid: number): Buffer => glyf.subarray(loca[gid]!, loca[gid + 1]!);
  const keep = new Set<number>([0]);
  const chars: [number, number, number][] = [];
  for (const c of CHARS) {
    const gid = cmap.get(c);
    if (gid === undefined) continue;
    chars.push([c, gid, advance(gid)]);
    const stack = [gid];
    while (stack.length) {
      const g = stack.pop()!;
      if (keep.has(g) && g !== gid) continue;
      keep.add(g);
      for (const comp of components(glyph(g))) if (!keep.has(comp)) stack.push(comp);
    }
  }

  const glyphs: Buffer[] = [];
  const newLoca = Buffer.alloc(4 * (numGlyphs + 1));
  let off = 0;
  for (let g = 0; g < numGlyphs; g++) {
    newLoca.writeUInt32BE(off, 4 * g);
    if (!keep.has(g)) continue;
    const data = unhinted(glyph(g));
    const padded = Buffer.concat([data, Buffer.alloc((4 - (data.length % 4)) % 4)]);
    glyphs.push(padded);
    off += padded.length;
  }
  newLoca.writeUInt32BE(off, 4 * numGlyphs);
  head.writeInt16BE(1, 50); // long loca offsets
  head.writeUInt32BE(0, 8); // checkSumAdjustment, recomputed by writeFont
  const newMaxp = Buffer.from(maxp);
  if (newMaxp.readUInt32BE(0) === 0x00010000) {
    // No hinting programs left: zero the limits that described them.
    for (const at of [14, 16, 18, 20, 22, 24, 26]) newMaxp.writeUInt16BE(at === 14 ? 1 : 0, at);
  }

  // post version 3: no glyph names (they are most of the table and unused by PDF viewers).
  const post = Buffer.from(get('post').subarray(0, 32));
  post.writeUInt32BE(0x00030000, 0);

  const tables: Table[] = [];
  for (const tag of KEEP_TABLES) {
    if (tag === 'glyf') tables.push({ tag, data: Buffer.concat(glyphs) });
    else if (tag === 'loca') tables.push({ tag, data: newLoca });
    else if (tag === 'head') tables.push({ tag, data: head });
    else if (tag === 'post') tables.push({ tag, data: post });
    else if (tag === 'maxp') tables.push({ tag, data: newMaxp });
    else if (t.has(tag)) tables.push({ tag, data: get(tag) });
  }
  const out = writeFont(tables);
  const unitsPerEm = head.readUInt16BE(18);
  const bbox = [head.readInt16BE(36), head.readInt16BE(38), head.readInt16BE(40), head.readInt16BE(42)];
  const capHeight = os2.readUInt16BE(0) >= 2 ? os2.readInt16BE(88) : hhea.readInt16BE(4);
  return {
    bytes: out,
    original: font.length,
    glyphsKept: keep.size,
    metrics: {
      unitsPerEm,
      ascent: hhea.readInt16BE(4),
      descent: hhea.readInt16BE(6),
      capHeight,
      bbox,
      weightClass: os2.readUInt16BE(4),
      chars,
    },
  };
}

let out = `// GENERATED by scripts/gen-font.ts from @expo-google-fonts/be-vietnam-pro. Do not edit.
// Be Vietnam Pro, Copyright 2021 The Be Vietnam Pro Project Authors
// (https://github.com/bettergui/BeVietnamPro), SIL Open Font License 1.1; subset to Latin + Vietnamese.

import type { EmbeddedFont } from './embedded-font';

export type { EmbeddedFont };
`;
for (const w of WEIGHTS) {
  const s = subset(w.file);
  console.log(`${w.name}: ${s.original} -> ${s.bytes.length} bytes, ${s.glyphsKept} glyphs, ${s.metrics.chars.length} chars`);
  const m = s.metrics;
  out += `
export const ${w.name}: EmbeddedFont = {
  postscriptName: '${w.postscript}',
  unitsPerEm: ${m.unitsPerEm},
  ascent: ${m.ascent},
  descent: ${m.descent},
  capHeight: ${m.capHeight},
  bbox: [${m.bbox.join(', ')}],
  weightClass: ${m.weightClass},
  chars: [${m.chars.flat().join(',')}],
  ttf: '${s.bytes.toString('base64')}',
};
`;
}
writeFileSync(OUT, out);
console.log(`wrote ${OUT.pathname}`);
