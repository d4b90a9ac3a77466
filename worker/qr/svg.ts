import type { QrMatrix } from './matrix';

export interface QrSvgOptions {
  /** Quiet zone in modules; ISO 18004 asks for 4. */
  margin?: number;
  /** When set, width/height = modules * moduleSize (user units); otherwise the SVG scales to its box. */
  moduleSize?: number;
  /** Accessible name, written as <title>. */
  title?: string;
}

type Matrix = Pick<QrMatrix, 'size' | 'modules'>;

/**
 * One-path SVG: each horizontal run of dark modules is one `h` stroke of a filled outline, so a
 * version 6 symbol is ~4 KB. crispEdges keeps renderers from anti-aliasing module seams.
 */
export function qrSvg(m: Matrix, opts: QrSvgOptions = {}): string {
  const margin = opts.margin ?? 4;
  if (!Number.isInteger(margin) || margin < 0) throw new RangeError('margin must be a non-negative integer');
  const { size, modules } = m;
  const full = size + 2 * margin;
  let d = '';
  for (let r = 0; r < size; r++) {
    const row = r * size;
    let c = 0;
    while (c < size) {
      if (!modules[row + c]) {
        c++;
        continue;
      }
      const start = c;
      while (c < size && modules[row + c]) c++;
      const len = c - start;
      d += `M${start + margin} ${r + margin}h${len}v1h-${len}z`;
    }
  }
  let dims = '';
  if (opts.moduleSize !== undefined) {
    if (!(opts.moduleSize > 0)) throw new RangeError('moduleSize must be positive');
    const px = +(full * opts.moduleSize).toFixed(4);
    dims = ` width="${px}" height="${px}"`;
  }
  const title = opts.title === undefined ? '' : `<title>${escapeXml(opts.title)}</title>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${full} ${full}"${dims} shape-rendering="crispEdges"` +
    `${opts.title === undefined ? '' : ' role="img"'}>${title}` +
    `<rect width="${full}" height="${full}" fill="#fff"/><path fill="#000" d="${d}"/></svg>`
  );
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
