// Reading a CSV register: the bytes' encoding first (UTF-8 with or without BOM, UTF-16 with
// its BOM, as Excel writes "Unicode text"), then RFC 4180 records with ',' ';' or tab as
// the separator (Excel in a Vietnamese locale writes ';'). A file that is not valid UTF-8
// and has no UTF-16 BOM (Windows-1258, TCVN3/ABC, VNI…) is refused with a way out, never
// guessed: those encodings overlap, and a wrong guess would import wrong names silently.
import { SpreadsheetError, type ReadLimits, type SheetRows } from './read-error';

/** UTF-16 by hand: every runtime has String.fromCharCode, not every one a 'utf-16be' TextDecoder. */
function decodeUtf16(bytes: Uint8Array, littleEndian: boolean): string {
  const units = new Uint16Array(bytes.length >> 1);
  for (let i = 0; i < units.length; i++) units[i] = littleEndian ? bytes[2 * i]! | (bytes[2 * i + 1]! << 8) : (bytes[2 * i]! << 8) | bytes[2 * i + 1]!;
  let out = '';
  for (let i = 0; i < units.length; i += 8192) out += String.fromCharCode(...units.subarray(i, i + 8192));
  // Lone surrogates (a cut-off or damaged file) become U+FFFD, as a TextDecoder would make them.
  return out.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

export function decodeCsvBytes(bytes: Uint8Array): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return decodeUtf16(bytes.subarray(2), true);
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return decodeUtf16(bytes.subarray(2), false);
  const body = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  // UTF-16 without a BOM: every other byte of ASCII text is zero.
  let zeros = 0;
  const probe = Math.min(body.length, 4096);
  for (let i = 0; i < probe; i++) if (body[i] === 0) zeros++;
  if (probe > 0 && zeros > probe / 4) {
    throw new SpreadsheetError('encoding', 'Tệp CSV có vẻ là UTF-16 nhưng không có BOM: hãy lưu lại bằng Excel, chọn "CSV UTF-8 (Comma delimited)"', 'The CSV looks like UTF-16 without a byte-order mark: save it again as "CSV UTF-8"');
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new SpreadsheetError(
      'encoding',
      'Tệp CSV không phải mã UTF-8 (có thể là Windows-1258, TCVN3 hoặc VNI): hãy mở bằng Excel và lưu lại, chọn "CSV UTF-8 (Comma delimited)", hoặc tải lên tệp XLSX',
      'The CSV is not UTF-8 (perhaps Windows-1258, TCVN3 or VNI): save it again as "CSV UTF-8" or upload the XLSX file',
    );
  }
}

function separatorOf(firstLine: string): string {
  const counts = [',', ';', '\t'].map((s) => [s, firstLine.split(s).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0]![1] > 0 ? counts[0]![0] : ',';
}

export function readCsv(bytes: Uint8Array, limits: ReadLimits): SheetRows {
  const text = decodeCsvBytes(bytes);
  const sep = separatorOf(text.slice(0, text.search(/\r?\n|$/)));
  const rows: SheetRows['rows'] = [];
  let cells: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let wasQuoted = false;
  const endField = () => {
    cells.push(wasQuoted ? field : field.trim());
    if (cells.length > limits.maxColumns && field.trim() !== '') {
      throw new SpreadsheetError('too_many_columns', `Dòng ${recordLine} có quá ${limits.maxColumns} cột`, `Line ${recordLine} has more than ${limits.maxColumns} columns`);
    }
    field = '';
    wasQuoted = false;
  };
  const endRecord = () => {
    endField();
    while (cells.length > 0 && cells[cells.length - 1]!.trim() === '') cells.pop();
    if (cells.length > 0) {
      if (rows.length >= limits.maxRows) throw new SpreadsheetError('too_many_rows', `Tệp có quá ${limits.maxRows - 1} dòng dữ liệu`, `The file has more than ${limits.maxRows - 1} data rows`);
      rows.push({ line: recordLine, cells });
    }
    cells = [];
    recordLine = line;
  };
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
    } else if (ch === '"' && field.trim() === '') {
      quoted = true;
      wasQuoted = true;
      field = '';
    } else if (ch === sep) endField();
    else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      line++;
      endRecord();
    } else field += ch;
  }
  if (quoted) throw new SpreadsheetError('bad_quotes', `Dấu ngoặc kép mở ở dòng ${recordLine} không được đóng`, `A quote opened on line ${recordLine} is never closed`);
  if (field !== '' || cells.length > 0) endRecord();
  return { rows };
}
