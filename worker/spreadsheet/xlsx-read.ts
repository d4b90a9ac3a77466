// Reading the first sheet of an XLSX file as text, on Node and on Workers alike (only
// fflate's Inflate and this folder's XML scanner; no file system, no native code).
// Formulas are never evaluated: a cell's cached value (<v>) is what the file says it shows.
// Dates come as Excel serial numbers (styles are not read); the import's date reader
// turns serials into dates for date columns.
import { SpreadsheetError, type ReadLimits, type SheetRows } from './read-error';
import { localName, scanXml } from './xml-scan';
import { readZipEntry, zipEntries, type ZipEntry } from './zip-read';

/** Inflated size caps: a 20,000-row register sheet is ~10-25 MB of XML; the rest is small. */
export const MAX_SHEET_XML_BYTES = 48 * 1024 * 1024;
export const MAX_STRINGS_XML_BYTES = 32 * 1024 * 1024;
const MAX_SMALL_PART_BYTES = 1024 * 1024;
/** Shared strings kept at most (one per distinct text; 20,000 rows × 40 columns). */
const MAX_SHARED_STRINGS = 800_000;

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

function partText(bytes: Uint8Array, entries: Map<string, ZipEntry>, name: string, maxBytes: number): string | null {
  const entry = entries.get(name);
  if (!entry) return null;
  const data = readZipEntry(bytes, entry, maxBytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    throw new SpreadsheetError('broken_xml', `Tệp XLSX bị hỏng: ${name} không phải văn bản UTF-8`, `The XLSX file is damaged: ${name} is not UTF-8 text`);
  }
}

/** Where the first sheet lives: workbook.xml's first <sheet> through its relationship, else sheet1.xml. */
function firstSheetPath(bytes: Uint8Array, entries: Map<string, ZipEntry>): string {
  const workbook = partText(bytes, entries, 'xl/workbook.xml', MAX_SMALL_PART_BYTES);
  const rels = partText(bytes, entries, 'xl/_rels/workbook.xml.rels', MAX_SMALL_PART_BYTES);
  if (workbook && rels) {
    let rid: string | null = null;
    scanXml(workbook, 'workbook.xml', {
      open(name, attrs) {
        if (rid === null && localName(name) === 'sheet') rid = attrs['r:id'] ?? Object.entries(attrs).find(([k]) => k.endsWith(':id'))?.[1] ?? null;
      },
      close() {},
      text() {},
    });
    let target: string | null = null;
    scanXml(rels, 'workbook.xml.rels', {
      open(name, attrs) {
        if (localName(name) === 'Relationship' && attrs.Id === rid) target = attrs.Target ?? null;
      },
      close() {},
      text() {},
    });
    if (target !== null) {
      const t: string = target;
      const path = t.startsWith('/') ? t.slice(1) : `xl/${t}`;
      if (entries.has(path)) return path;
    }
  }
  if (entries.has('xl/worksheets/sheet1.xml')) return 'xl/worksheets/sheet1.xml';
  throw new SpreadsheetError('not_a_spreadsheet', 'Không tìm thấy trang tính nào trong tệp XLSX', 'No worksheet found in the XLSX file');
}

function sharedStrings(xml: string | null): string[] {
  if (xml === null) return [];
  const out: string[] = [];
  let current: string | null = null;
  let inText = false;
  let phonetic = 0;
  scanXml(xml, 'sharedStrings.xml', {
    open(name) {
      const n = localName(name);
      if (n === 'si') current = '';
      else if (n === 'rPh') phonetic++;
      else if (n === 't' && phonetic === 0) inText = true;
    },
    close(name) {
      const n = localName(name);
      if (n === 'si') {
        if (out.length >= MAX_SHARED_STRINGS) throw new SpreadsheetError('too_many_rows', 'Tệp XLSX có quá nhiều chuỗi văn bản', 'The XLSX file has too many strings');
        out.push(current ?? '');
        current = null;
      } else if (n === 'rPh') phonetic--;
      else if (n === 't') inText = false;
    },
    text(t) {
      if (inText && current !== null) current += t;
    },
  });
  return out;
}

/** "BC12" → 54 (0-based column index), or null for a reference without letters. */
function columnIndex(ref: string | undefined): number | null {
  if (!ref) return null;
  let col = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c < 65 || c > 90) break;
    col = col * 26 + (c - 64);
    if (col > 16384) return 16384;
  }
  return i === 0 ? null : col - 1;
}

function rowNumber(ref: string | undefined): number | null {
  const m = ref ? /(\d+)$/.exec(ref) : null;
  return m ? Number(m[1]) : null;
}

/** The first sheet's non-empty rows. Refuses a file over the row or column limits. */
export function readXlsx(bytes: Uint8Array, limits: ReadLimits): SheetRows {
  if (!isZip(bytes)) throw new SpreadsheetError('not_a_spreadsheet', 'Tệp không phải XLSX (Excel 2007 trở lên)', 'The file is not an XLSX workbook');
  const entries = zipEntries(bytes);
  const sheetPath = firstSheetPath(bytes, entries);
  const strings = sharedStrings(partText(bytes, entries, 'xl/sharedStrings.xml', MAX_STRINGS_XML_BYTES));
  const xml = partText(bytes, entries, sheetPath, MAX_SHEET_XML_BYTES)!;

  const rows: SheetRows['rows'] = [];
  let line = 0;
  let cells: string[] = [];
  let cell: { col: number; type: string } | null = null;
  let nextCol = 0;
  let capture: 'v' | 't' | null = null;
  let inInline = false;
  let value = '';
  const push = () => {
    while (cells.length > 0 && cells[cells.length - 1]!.trim() === '') cells.pop();
    if (cells.length === 0) return;
    if (rows.length >= limits.maxRows) {
      throw new SpreadsheetError('too_many_rows', `Tệp có quá ${limits.maxRows - 1} dòng dữ liệu`, `The file has more than ${limits.maxRows - 1} data rows`);
    }
    rows.push({ line, cells });
  };
  scanXml(xml, 'trang tính', {
    open(name, attrs) {
      switch (localName(name)) {
        case 'row':
          line = rowNumber(attrs.r) ?? line + 1;
          cells = [];
          nextCol = 0;
          break;
        case 'c':
          cell = { col: columnIndex(attrs.r) ?? nextCol, type: attrs.t ?? 'n' };
          nextCol = cell.col + 1;
          value = '';
          break;
        case 'v':
          if (cell) capture = 'v';
          break;
        case 'is':
          inInline = true;
          break;
        case 't':
          if (cell && inInline) capture = 't';
          break;
        case 'rPh':
          // Phonetic runs of an inline string are not its text.
          inInline = false;
          break;
      }
    },
    close(name) {
      switch (localName(name)) {
        case 'v':
        case 't':
          capture = null;
          break;
        case 'is':
          inInline = false;
          break;
        case 'c': {
          if (!cell) break;
          let text = value;
          if (cell.type === 's') {
            const idx = Number(value);
            text = Number.isInteger(idx) && idx >= 0 && idx < strings.length ? strings[idx]! : '';
          } else if (cell.type === 'b') text = value === '1' ? 'TRUE' : value === '0' ? 'FALSE' : value;
          if (text.trim() !== '') {
            if (cell.col >= limits.maxColumns) {
              throw new SpreadsheetError('too_many_columns', `Tệp có dữ liệu ở cột thứ ${cell.col + 1}: tối đa ${limits.maxColumns} cột`, `The file has data in column ${cell.col + 1}: at most ${limits.maxColumns} columns`);
            }
            while (cells.length < cell.col) cells.push('');
            cells[cell.col] = text;
          }
          cell = null;
          break;
        }
        case 'row':
          push();
          cells = [];
          break;
      }
    },
    text(t) {
      if (capture) value += t;
    },
  });
  return { rows };
}
