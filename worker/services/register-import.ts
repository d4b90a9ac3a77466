// Importing the register from a CSV or XLSX file: the limits, reading the file, and the steps
// the admin UI and the CLI share (read → map → preview → apply). Runs on Node and Workers.
import type { Kysely } from 'kysely';
import type { Database } from '../../schema/database';
import { DomainError } from '../domain/errors';
import { guessMapping, mappingProblems, type ColumnMapping } from '../domain/register-columns';
import type { Actor } from '../db/audit';
import { applyRegisterImport, planRegisterImport, type AppliedImport, type ImportPlan } from '../db/register-import';
import { readSheet } from '../spreadsheet/read-sheet';
import { SpreadsheetError, type SheetRows } from '../spreadsheet/read-error';

/** At most 10 MB: a 20,000-row register is ~2-4 MB as XLSX and ~5-8 MB as CSV. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;
/** Data rows (the header row comes on top). */
export const MAX_IMPORT_ROWS = 20_000;
/** The template has 25 columns; offices add a few (STT, notes). */
export const MAX_IMPORT_COLUMNS = 100;

export function importFileTooLarge(): DomainError {
  return new DomainError('import_unreadable', 'The file is larger than 10 MB', 'Tệp lớn hơn 10 MB: hãy chia sổ đăng ký thành nhiều tệp');
}

/** The file's first sheet, or a Vietnamese refusal (never a crash) for whatever it holds. */
export function readRegisterFile(bytes: Uint8Array, fileName: string): SheetRows & { headers: string[] } {
  if (bytes.length > MAX_IMPORT_BYTES) throw importFileTooLarge();
  let sheet: SheetRows;
  try {
    sheet = readSheet(bytes, fileName, { maxRows: MAX_IMPORT_ROWS + 1, maxColumns: MAX_IMPORT_COLUMNS });
  } catch (error) {
    if (error instanceof SpreadsheetError) throw new DomainError('import_unreadable', error.messageEn, error.messageVi);
    // Anything else a hostile file provokes in the readers (a RangeError from a bad offset…) is still the file's fault.
    if (error instanceof Error && !(error instanceof DomainError)) {
      throw new DomainError('import_unreadable', `The file could not be read (${error.name})`, 'Không đọc được tệp: tệp bị hỏng hoặc không đúng định dạng CSV/XLSX');
    }
    throw error;
  }
  if (sheet.rows.length === 0) throw new DomainError('import_unreadable', 'The file has no rows', 'Tệp không có dòng nào');
  if (sheet.rows.length === 1) throw new DomainError('import_unreadable', 'The file has a header row only', 'Tệp chỉ có dòng tiêu đề, không có dữ liệu');
  return { ...sheet, headers: sheet.rows[0]!.cells };
}

/** The mapping to use: the one saved, else guessed from the headers; checked as a whole. */
export function effectiveMapping(headers: readonly string[], saved: ColumnMapping | null): ColumnMapping {
  const mapping = saved && saved.length === headers.length ? saved : guessMapping(headers);
  return mapping;
}

export function checkMapping(mapping: ColumnMapping): void {
  const problems = mappingProblems(mapping);
  if (problems.length > 0) throw new DomainError('import_mapping', 'The column mapping is incomplete', problems.join('; '));
}

export async function previewRegister(db: Kysely<Database>, sheet: SheetRows, mapping: ColumnMapping, now: Date): Promise<ImportPlan> {
  checkMapping(mapping);
  return planRegisterImport(db, sheet, mapping, now);
}

export async function applyRegister(
  db: Kysely<Database>,
  actor: Actor,
  source: { fileName: string; sha256: string },
  sheet: SheetRows,
  mapping: ColumnMapping,
  now: Date,
  within?: Parameters<typeof applyRegisterImport>[6],
): Promise<AppliedImport> {
  checkMapping(mapping);
  return applyRegisterImport(db, actor, source, sheet, mapping, now, within);
}
