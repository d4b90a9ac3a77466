export interface CsvRow {
  serial: number;
  lot: string;
  url: string;
}

export interface CsvStreamOptions {
  /** UTF-8 byte order mark, so Excel opens Vietnamese text as UTF-8 (default true). */
  bom?: boolean;
  /** Expected number of rows, only passed through to onProgress. */
  total?: number;
  /** Called after each emitted chunk with rows done and `total` (NaN when not given). */
  onProgress?: (done: number, total: number) => void;
  /** Approximate bytes per enqueued chunk (default 64 KiB). */
  chunkSize?: number;
}

const HEADER = 'serial,lot,url\r\n';
const BOM = '\uFEFF';

/**
 * One CSV field per RFC 4180, guarded against formula injection: a spreadsheet runs a cell
 * that starts with = + - @ (or tab / CR, which some of them strip first), so such text gets a
 * leading apostrophe, which Excel and LibreOffice show as plain text.
 */
export function csvField(value: string): string {
  let v = value;
  if (/^[=+\-@\t\r]/.test(v)) v = `'${v}`;
  return /[",\r\n]/.test(v) || v !== value ? `"${v.replace(/"/g, '""')}"` : v;
}

/** CSV with CRLF line ends; rows are batched into ~64 KiB chunks, read only when the consumer pulls. */
export function csvStream(rows: AsyncIterable<CsvRow>, opts: CsvStreamOptions = {}): ReadableStream<Uint8Array> {
  const total = opts.total ?? Number.NaN;
  const chunkSize = opts.chunkSize ?? 64 * 1024;
  const encoder = new TextEncoder();
  let iterator: AsyncIterator<CsvRow> | undefined;
  let first = true;
  let done = 0;

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        iterator ??= rows[Symbol.asyncIterator]();
        let text = '';
        if (first) {
          text = (opts.bom ?? true ? BOM : '') + HEADER;
          first = false;
        }
        let ended = false;
        while (text.length < chunkSize) {
          const next = await iterator.next();
          if (next.done) {
            ended = true;
            break;
          }
          const { serial, lot, url } = next.value;
          if (!Number.isSafeInteger(serial)) throw new TypeError(`serial must be an integer, got ${String(serial)}`);
          text += `${serial},${csvField(lot)},${csvField(url)}\r\n`;
          done++;
        }
        if (text.length > 0) controller.enqueue(encoder.encode(text));
        opts.onProgress?.(done, total);
        if (ended) controller.close();
      },
      async cancel(reason) {
        await iterator?.return?.(reason);
      },
    },
    { highWaterMark: 1 },
  );
}
