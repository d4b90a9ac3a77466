import { zlibSync } from 'fflate';
import type { EmbeddedFont } from './font-data';

/**
 * A TrueType font prepared for PDF: text becomes 2-byte glyph ids (Identity-H), widths come
 * from hmtx. No shaping: Vietnamese is written with precomposed letters (NFC), which the font
 * maps one to one; decomposed input falls back to base letter + combining mark glyphs.
 */
export class PdfFont {
  readonly name: string;
  private readonly gids = new Map<number, number>();
  private readonly advances = new Map<number, number>();
  private readonly unicodeOf = new Map<number, number>();
  private readonly fallback: number;
  private compressed?: Uint8Array;

  constructor(readonly font: EmbeddedFont, subsetTag: string) {
    this.name = `${subsetTag}+${font.postscriptName}`;
    const c = font.chars;
    for (let i = 0; i + 2 < c.length; i += 3) {
      const cp = c[i]!;
      const gid = c[i + 1]!;
      this.gids.set(cp, gid);
      this.advances.set(gid, c[i + 2]!);
      if (!this.unicodeOf.has(gid)) this.unicodeOf.set(gid, cp);
    }
    this.fallback = this.gids.get(0x3f) ?? 0; // '?'
  }

  /** Glyph ids for `text`, NFC first; characters the font lacks become '?'. */
  glyphs(text: string): number[] {
    const out: number[] = [];
    for (const ch of text.normalize('NFC')) {
      const gid = this.gids.get(ch.codePointAt(0)!);
      if (gid !== undefined) {
        out.push(gid);
        continue;
      }
      for (const part of ch.normalize('NFD')) out.push(this.gids.get(part.codePointAt(0)!) ?? this.fallback);
    }
    return out;
  }

  /** Width in points at `size`. */
  width(glyphs: number[], size: number): number {
    let units = 0;
    for (const g of glyphs) units += this.advances.get(g) ?? 0;
    return (units * size) / this.font.unitsPerEm;
  }

  /** Hex string operand for Tj. */
  hex(glyphs: number[]): string {
    let s = '<';
    for (const g of glyphs) s += g.toString(16).padStart(4, '0');
    return `${s}>`;
  }

  /** Font program deflated once per process: it is the same bytes in every PDF. */
  fontFile(): { deflated: Uint8Array; length1: number } {
    const raw = base64ToBytes(this.font.ttf);
    this.compressed ??= zlibSync(raw, { level: 9 });
    return { deflated: this.compressed, length1: raw.length };
  }

  /** /W array of the CIDFont, in 1/1000 em. */
  widthsArray(): string {
    const ids = [...this.advances.keys()].sort((a, b) => a - b);
    const scale = 1000 / this.font.unitsPerEm;
    let out = '[';
    let i = 0;
    while (i < ids.length) {
      const start = ids[i]!;
      const run: number[] = [];
      while (i < ids.length && ids[i] === start + run.length) run.push(Math.round(this.advances.get(ids[i++]!)! * scale));
      out += `${start}[${run.join(' ')}]`;
    }
    return `${out}]`;
  }

  /** ToUnicode CMap so that text copied or searched in the PDF is the original Vietnamese. */
  toUnicodeCMap(): string {
    const entries = [...this.unicodeOf.entries()].sort((a, b) => a[0] - b[0]);
    let body = '';
    for (let i = 0; i < entries.length; i += 100) {
      const block = entries.slice(i, i + 100);
      body += `${block.length} beginbfchar\n`;
      for (const [gid, cp] of block) body += `<${hex4(gid)}> <${utf16Hex(String.fromCodePoint(cp))}>\n`;
      body += 'endbfchar\n';
    }
    return (
      '/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n' +
      '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n' +
      '/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n' +
      '1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n' +
      body +
      'endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n'
    );
  }

  descriptor(fontFileRef: string): string {
    const f = this.font;
    const s = (v: number): number => Math.round((v * 1000) / f.unitsPerEm);
    return (
      `<< /Type /FontDescriptor /FontName /${this.name} /Flags 32 ` +
      `/FontBBox [${f.bbox.map(s).join(' ')}] /ItalicAngle 0 /Ascent ${s(f.ascent)} /Descent ${s(f.descent)} ` +
      `/CapHeight ${s(f.capHeight)} /StemV ${f.weightClass >= 600 ? 120 : 80} /FontWeight ${f.weightClass} ` +
      `/FontFile2 ${fontFileRef} >>`
    );
  }
}

function hex4(n: number): string {
  return n.toString(16).toUpperCase().padStart(4, '0');
}

/** UTF-16BE hex of a string, as PDF text strings and CMaps want it. */
export function utf16Hex(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += hex4(s.charCodeAt(i));
  return out;
}

export function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
