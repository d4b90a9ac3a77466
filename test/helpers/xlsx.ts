// Building XLSX files for the import tests: well-formed ones with shared strings, numbers and
// formulas, and hostile ones (any part replaced by bytes of the test's choosing).
import { strToU8, zipSync } from 'fflate';

export type Cell = string | number | { formula: string; cached: string | number } | null;

function esc(s: string): string {
  return s.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!);
}

export function colName(i: number): string {
  let n = i + 1;
  let out = '';
  while (n > 0) {
    out = String.fromCharCode(65 + ((n - 1) % 26)) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** Sheet XML and shared strings for rows of cells: text as shared strings, numbers as numbers. */
export function sheetParts(rows: readonly (readonly Cell[])[]): { sheet: string; strings: string } {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const sst = (s: string) => {
    let i = index.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      index.set(s, i);
    }
    return i;
  };
  const body = rows
    .map((r, ri) => {
      const cells = r
        .map((v, ci) => {
          const ref = `${colName(ci)}${ri + 1}`;
          if (v === null || v === '') return '';
          if (typeof v === 'number') return `<c r="${ref}"><v>${v}</v></c>`;
          if (typeof v === 'string') return `<c r="${ref}" t="s"><v>${sst(v)}</v></c>`;
          return typeof v.cached === 'number'
            ? `<c r="${ref}"><f>${esc(v.formula)}</f><v>${v.cached}</v></c>`
            : `<c r="${ref}" t="str"><f>${esc(v.formula)}</f><v>${esc(v.cached)}</v></c>`;
        })
        .join('');
      return `<row r="${ri + 1}">${cells}</row>`;
    })
    .join('');
  return {
    sheet: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${body}</sheetData></worksheet>`,
    strings: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${strings.length}" uniqueCount="${strings.length}">${strings.map((s) => `<si><t xml:space="preserve">${esc(s)}</t></si>`).join('')}</sst>`,
  };
}

const WORKBOOK = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sổ" sheetId="1" r:id="rId1"/></sheets></workbook>';
const RELS = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>';

/** A workbook from its parts; `parts` replaces or adds any of them (text or raw bytes). */
export function xlsxFile(parts: { sheet: string | Uint8Array; strings?: string | Uint8Array; extra?: Record<string, string | Uint8Array> }): Uint8Array {
  const u8 = (x: string | Uint8Array) => (typeof x === 'string' ? strToU8(x) : x);
  const files: Record<string, Uint8Array> = {
    '[Content_Types].xml': strToU8('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
    'xl/workbook.xml': strToU8(WORKBOOK),
    'xl/_rels/workbook.xml.rels': strToU8(RELS),
    'xl/worksheets/sheet1.xml': u8(parts.sheet),
  };
  if (parts.strings !== undefined) files['xl/sharedStrings.xml'] = u8(parts.strings);
  for (const [k, v] of Object.entries(parts.extra ?? {})) files[k] = u8(v);
  return zipSync(files, { level: 6 });
}

export function xlsxOf(rows: readonly (readonly Cell[])[]): Uint8Array {
  const { sheet, strings } = sheetParts(rows);
  return xlsxFile({ sheet, strings });
}
