// The few entries of a ZIP (an XLSX file) that the reader needs, inflated with a cap.
// fflate's own unzip inflates an entry in one go, whatever its declared size says, so a
// zip bomb (a few KB that inflate to GBs) would fill memory before any check ran. Here the
// central directory is read by hand and each entry's deflate stream is fed to fflate's
// streaming Inflate 4 KB at a time: one push yields at most ~4 MB (deflate's ratio is
// ~1:1032), and the reader stops as soon as the entry's inflated bytes pass its cap.
import { Inflate } from 'fflate';
import { SpreadsheetError } from './read-error';

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const INPUT_CHUNK = 4096;

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  localOffset: number;
}

function broken(detail: string): SpreadsheetError {
  return new SpreadsheetError('broken_zip', `Tệp XLSX bị hỏng hoặc không phải tệp Excel (${detail})`, `The XLSX file is damaged or not an Excel file (${detail})`);
}

/** The entries listed in the central directory (no data read yet). */
export function zipEntries(bytes: Uint8Array): Map<string, ZipEntry> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw broken('no central directory');
  const count = view.getUint16(eocd + 10, true);
  const cdOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || cdOffset === 0xffffffff) throw broken('ZIP64 is not supported');
  const entries = new Map<string, ZipEntry>();
  const decoder = new TextDecoder();
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== CENTRAL) throw broken('bad central directory');
    const method = view.getUint16(p + 10, true);
    const compressedSize = view.getUint32(p + 20, true);
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    const localOffset = view.getUint32(p + 42, true);
    if (p + 46 + nameLength > bytes.length) throw broken('bad entry name');
    const name = decoder.decode(bytes.subarray(p + 46, p + 46 + nameLength));
    entries.set(name, { name, method, compressedSize, localOffset });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** One entry's bytes, refused with `inflated_too_large` once they pass `maxBytes`. */
export function readZipEntry(bytes: Uint8Array, entry: ZipEntry, maxBytes: number): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = entry.localOffset;
  if (at + 30 > bytes.length || view.getUint32(at, true) !== LOCAL) throw broken(`bad local header of ${entry.name}`);
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  const end = start + entry.compressedSize;
  if (end > bytes.length) throw broken(`${entry.name} is cut off`);
  const data = bytes.subarray(start, end);
  const tooLarge = () =>
    new SpreadsheetError('inflated_too_large', `Tệp XLSX giải nén quá lớn (phần ${entry.name} vượt ${Math.round(maxBytes / 1048576)} MB): tệp có thể bị làm hỏng cố ý`, `The XLSX file inflates too large (${entry.name} exceeds ${Math.round(maxBytes / 1048576)} MB)`);
  if (entry.method === 0) {
    if (data.length > maxBytes) throw tooLarge();
    return data;
  }
  if (entry.method !== 8) throw broken(`compression method ${entry.method}`);
  const chunks: Uint8Array[] = [];
  let total = 0;
  let done = false;
  const inflate = new Inflate((chunk, final) => {
    total += chunk.length;
    if (total > maxBytes) throw tooLarge();
    chunks.push(chunk);
    if (final) done = true;
  });
  try {
    for (let i = 0; i < data.length; i += INPUT_CHUNK) {
      const last = i + INPUT_CHUNK >= data.length;
      inflate.push(data.subarray(i, Math.min(i + INPUT_CHUNK, data.length)), last);
    }
    if (data.length === 0) inflate.push(new Uint8Array(0), true);
  } catch (error) {
    if (error instanceof SpreadsheetError) throw error;
    throw broken(`${entry.name}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!done && data.length > 0) throw broken(`${entry.name} ends early`);
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}
