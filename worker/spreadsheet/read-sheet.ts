// One entry for both formats: an XLSX file by its ZIP signature, anything else as CSV.
import { readCsv } from './csv-read';
import { SpreadsheetError, type ReadLimits, type SheetRows } from './read-error';
import { isZip, readXlsx } from './xlsx-read';

export function readSheet(bytes: Uint8Array, fileName: string, limits: ReadLimits): SheetRows {
  if (bytes.length === 0) throw new SpreadsheetError('empty', 'Tệp rỗng', 'The file is empty');
  if (isZip(bytes)) return readXlsx(bytes, limits);
  if (/\.xlsx?$/i.test(fileName)) {
    throw new SpreadsheetError('not_a_spreadsheet', 'Tệp có đuôi .xls/.xlsx nhưng không phải XLSX (tệp .xls cũ: hãy lưu lại dưới dạng .xlsx)', 'The file is named .xls/.xlsx but is not XLSX (save an old .xls as .xlsx)');
  }
  return readCsv(bytes, limits);
}
