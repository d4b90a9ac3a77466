// Why a spreadsheet could not be read: one error type with a Vietnamese and an English
// message, so the admin page, the admin API and the CLI say the same thing.

export type SpreadsheetErrorKind =
  | 'too_large'
  | 'too_many_rows'
  | 'too_many_columns'
  | 'not_a_spreadsheet'
  | 'broken_zip'
  | 'inflated_too_large'
  | 'broken_xml'
  | 'encoding'
  | 'bad_quotes'
  | 'empty';

export class SpreadsheetError extends Error {
  constructor(
    readonly kind: SpreadsheetErrorKind,
    readonly messageVi: string,
    readonly messageEn: string,
  ) {
    super(messageEn);
  }
}

/** What every reader returns: the first sheet's rows as text, trailing empty cells trimmed, empty rows dropped. */
export interface SheetRows {
  /** Each kept row with its 1-based row number in the file (for messages an official can find). */
  rows: { line: number; cells: string[] }[];
}

export interface ReadLimits {
  /** Rows with at least one value, header included. */
  maxRows: number;
  maxColumns: number;
}
