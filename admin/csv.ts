import { csvField } from '../worker/qr/csv';

type Cell = string | number | boolean | null | undefined | Date;

function cell(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return csvField(v);
}

export function csvLine(cells: Cell[]): string {
  return `${cells.map(cell).join(',')}\r\n`;
}

/**
 * A CSV download that starts at once and reads rows only as the client takes them. UTF-8
 * with a byte-order mark so spreadsheet programs show Vietnamese correctly; cells that a
 * spreadsheet would run as a formula are neutralised by csvField.
 */
export function csvDownload(filename: string, header: string[], rows: AsyncIterable<Cell[]> | Iterable<Cell[]>, keepAlive?: (finished: Promise<void>) => void): Response {
  const encoder = new TextEncoder();
  // Rows are read from the database after the handler has returned: the request's deferred
  // work (waitUntil on Workers, where the runtime then closes the client) must last until
  // the last one.
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  keepAlive?.(finished);
  const iterator = (Symbol.asyncIterator in rows ? (rows as AsyncIterable<Cell[]>)[Symbol.asyncIterator]() : (rows as Iterable<Cell[]>)[Symbol.iterator]()) as
    | AsyncIterator<Cell[]>
    | Iterator<Cell[]>;
  let started = false;
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          await fill(controller);
        } catch (error) {
          finish();
          throw error;
        }
      },
      async cancel() {
        finish();
        await iterator.return?.();
      },
    },
    { highWaterMark: 1 },
  );
  async function fill(controller: ReadableStreamDefaultController<Uint8Array>): Promise<void> {
    let text = '';
    if (!started) {
      text = `\uFEFF${csvLine(header)}`;
      started = true;
    }
    while (text.length < 32 * 1024) {
      const next = await iterator.next();
      if (next.done) {
        if (text) controller.enqueue(encoder.encode(text));
        controller.close();
        finish();
        return;
      }
      text += csvLine(next.value);
    }
    controller.enqueue(encoder.encode(text));
  }
  return new Response(body, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
      'cache-control': 'no-store',
    },
  });
}
