import { Zip, ZipPassThrough } from 'fflate';

export interface ZipFile {
  name: string;
  data: Uint8Array;
}

export interface ZipStreamOptions {
  /** Modification time written for every entry (default: now). */
  mtime?: Date | number;
  /** Expected number of files, only passed through to onProgress. */
  total?: number;
  /** Called after each file with files done and `total` (NaN when not given). */
  onProgress?: (done: number, total: number) => void;
}

// fflate writes the classic (non-ZIP64) end record: 16-bit entry count, 32-bit offsets.
export const ZIP_MAX_FILES = 0xffff;
const ZIP_MAX_BYTES = 0xffffffff;

/**
 * Streams a ZIP of stored (uncompressed) entries: PNGs and PDFs are already deflated, so
 * compressing again costs time and gains nothing. Pull-based: one file is read from `files`
 * only when the consumer asks for more bytes, so memory holds one file plus the central
 * directory (~100 bytes per entry).
 */
export function zipStream(files: AsyncIterable<ZipFile>, opts: ZipStreamOptions = {}): ReadableStream<Uint8Array> {
  const total = opts.total ?? Number.NaN;
  const mtime = opts.mtime ?? Date.now();
  let iterator: AsyncIterator<ZipFile> | undefined;
  let zip: Zip | undefined;
  let done = 0;
  let written = 0;
  let failure: Error | undefined;
  let pending: Uint8Array[] = [];

  function start(): Zip {
    return new Zip((err, chunk) => {
      if (err) failure = err;
      else {
        written += chunk.length;
        pending.push(chunk);
      }
    });
  }

  function flush(controller: ReadableStreamDefaultController<Uint8Array>): void {
    if (failure) throw failure;
    if (written > ZIP_MAX_BYTES) throw new RangeError('Tệp ZIP vượt quá 4 GiB / ZIP larger than 4 GiB');
    for (const chunk of pending) controller.enqueue(chunk);
    pending = [];
  }

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        iterator ??= files[Symbol.asyncIterator]();
        zip ??= start();
        const next = await iterator.next();
        if (next.done) {
          zip.end();
          flush(controller);
          controller.close();
          return;
        }
        if (done >= ZIP_MAX_FILES) {
          throw new RangeError(`Tối đa ${ZIP_MAX_FILES} tệp trong một ZIP / At most ${ZIP_MAX_FILES} files per ZIP`);
        }
        const entry = new ZipPassThrough(next.value.name);
        entry.mtime = mtime;
        zip.add(entry);
        entry.push(next.value.data, true);
        flush(controller);
        done++;
        opts.onProgress?.(done, total);
      },
      async cancel(reason) {
        await iterator?.return?.(reason);
      },
    },
    // One file per pull: the queue holds at most a couple of files' bytes.
    { highWaterMark: 1 },
  );
}
