// Shared helpers for the QR tests: external decoders and renderers, random package URLs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const INSTALL_HINT = 'apt-get install zbar-tools poppler-utils';

/** Absolute path of a required tool; a missing one fails the test, it never skips it. */
export function tool(name: 'zbarimg' | 'pdftoppm' | 'pdftotext' | 'pdfinfo' | 'pdffonts'): string {
  for (const dir of ['/usr/bin', '/usr/local/bin']) {
    const p = path.join(dir, name);
    if (existsSync(p)) return p;
  }
  throw new Error(`${name} not found: ${INSTALL_HINT}`);
}

export function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'ocop-qr-'));
}

export function writeTemp(dir: string, name: string, data: Uint8Array | string): string {
  const p = path.join(dir, name);
  writeFileSync(p, data);
  return p;
}

/** Every symbol zbarimg finds in the images, one decoded text each. */
export function zbarDecode(...files: string[]): string[] {
  // zbarimg prints one line per symbol with --raw; -q drops the summary. stderr carries
  // harmless D-Bus noise in containers, so only stdout and the exit code are read.
  const res = spawnSync(tool('zbarimg'), ['--raw', '-q', ...files], { encoding: 'utf8' });
  if (res.status !== 0 && res.status !== 4) throw new Error(`zbarimg failed (${res.status}): ${res.stderr}`);
  return res.stdout.split('\n').filter((l) => l.length > 0);
}

/** Runs a poppler tool; its complaints about the file ("Syntax Error", xref repairs) fail the test. */
export function run(cmd: string, args: string[]): string {
  const res = spawnSync(cmd, args, { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`${path.basename(cmd)} failed (${res.status}): ${res.stderr}`);
  if (/error/i.test(res.stderr)) throw new Error(`${path.basename(cmd)} reported: ${res.stderr}`);
  return res.stdout;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Stand-in for a signed code: same alphabet and length (119) as worker/codes output. */
export function randomCode(length = 119): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let s = '';
  for (const b of bytes) s += BASE32[b & 31];
  return s;
}

/** The longest base URL the configuration allows: 32 characters. */
export const BASE_32 = 'HTTPS://OCOP-BINHPHUOC.EXAMPLE.V';
export const BASE_REAL = 'HTTPS://OCOP.BINHPHUOC.GOV.VN';

export function packageUrl(base: string, code = randomCode()): string {
  return `${base}/V/${code}`;
}

export async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export async function* fromArray<T>(items: T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

export interface GrayImage {
  width: number;
  height: number;
  /** One byte per pixel, row-major. */
  data: Uint8Array;
}

/** Page `page` of a PDF rendered by pdftoppm as 8-bit grayscale (PGM). */
export function renderGray(pdf: string, page: number, dpi: number): GrayImage {
  const dir = tempDir();
  run(tool('pdftoppm'), ['-gray', '-r', String(dpi), '-f', String(page), '-l', String(page), '-singlefile', pdf, `${dir}/page`]);
  const bytes = readFileSync(`${dir}/page.pgm`);
  // Header: "P5" width height maxval, whitespace separated, then one byte per pixel.
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(bytes.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error('pdftoppm did not write an 8-bit PGM');
  const width = Number(header[1]);
  const height = Number(header[2]);
  return { width, height, data: new Uint8Array(bytes.subarray(header[0].length, header[0].length + width * height)) };
}

/** A rectangle of the image as a PGM file (zbarimg reads PGM). */
export function writePgmCrop(img: GrayImage, file: string, x: number, y: number, w: number, h: number): string {
  const x0 = Math.max(0, Math.floor(x));
  const y0 = Math.max(0, Math.floor(y));
  const cw = Math.min(img.width - x0, Math.ceil(w));
  const ch = Math.min(img.height - y0, Math.ceil(h));
  const head = Buffer.from(`P5\n${cw} ${ch}\n255\n`, 'latin1');
  const body = Buffer.alloc(cw * ch);
  for (let r = 0; r < ch; r++) body.set(img.data.subarray((y0 + r) * img.width + x0, (y0 + r) * img.width + x0 + cw), r * cw);
  writeFileSync(file, Buffer.concat([head, body]));
  return file;
}
