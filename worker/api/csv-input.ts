// Reading the CSV a shop uploads: one certificate number or package code per row, in the
// first column. Spreadsheets add a BOM, quotes, CRLF and sometimes ';' as the separator.

export class CsvInputError extends Error {
  constructor(public readonly kind: 'too_many_rows' | 'bad_quotes', message: string) {
    super(message);
  }
}

/** The first field of each record (RFC 4180 quoting), empty records dropped. */
export function firstColumn(text: string, maxRows: number): string[] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const out: string[] = [];
  let i = 0;
  const n = src.length;
  while (i < n) {
    let field = '';
    if (src[i] === '"') {
      i++;
      for (;;) {
        if (i >= n) throw new CsvInputError('bad_quotes', 'unterminated quoted field');
        const ch = src[i]!;
        if (ch === '"') {
          if (src[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += ch;
        i++;
      }
    }
    // The rest of the first field (unquoted) up to a separator or the end of the line.
    while (i < n && src[i] !== ',' && src[i] !== ';' && src[i] !== '\t' && src[i] !== '\n' && src[i] !== '\r') {
      field += src[i]!;
      i++;
    }
    // Skip the other fields of the record, honouring quotes so a quoted newline does not split it.
    let quoted = false;
    while (i < n) {
      const ch = src[i]!;
      if (ch === '"') quoted = !quoted;
      else if (!quoted && (ch === '\n' || ch === '\r')) break;
      i++;
    }
    if (src[i] === '\r') i++;
    if (src[i] === '\n') i++;
    const value = field.trim();
    if (value !== '') {
      // One extra row is allowed for a header line.
      if (out.length > maxRows) throw new CsvInputError('too_many_rows', `more than ${maxRows} rows`);
      out.push(value);
    }
  }
  // A header row ("code", "Số GCN") has no digit, while numbers and codes always have one.
  if (out.length > 0 && !/[0-9]/.test(out[0]!)) out.shift();
  if (out.length > maxRows) throw new CsvInputError('too_many_rows', `more than ${maxRows} rows`);
  return out;
}
