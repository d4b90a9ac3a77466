// Shared helpers for the QR tests: external decoders and renderers, random package URLs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
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

/** Every symbol zbarimg finds in an image, one decoded text each. */
export function zbarDecode(file: string): string[] {
  // zbarimg prints one line per symbol with --raw; -q drops the summary. stderr carries
  // harmless D-Bus noise in containers, so only stdout and the exit code are read.
  const res = spawnSync(tool('zbarimg'), ['--raw', '-q', file], { encoding: 'utf8' });
  if (res.status !== 0 && res.status !== 4) throw new Error(`zbarimg failed (${res.status}): ${res.stderr}`);
  return res.stdout.split('\n').filter((l) => l.length > 0);
}

export function run(cmd: string, args: string[]): string {
  const res = spawnSync(cmd, args, { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`${path.basename(cmd)} failed (${res.status}): ${res.stderr}`);
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

/** The longest base URL the design allows: 28 characters. */
export const BASE_28 = 'HTTPS://OCOP-BP.EXAMPLE.VN/X';
export const BASE_REAL = 'HTTPS://OCOP.BINHPHUOC.GOV.VN';

export function packageUrl(base: string, code = randomCode()): string {
  return `${base}/V/${code}`;
}

export async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let n = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    n += value.length;
  }
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export async function* fromArray<T>(items: T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}
