// base64url without padding (RFC 4648 §5), as JWS and JWK use it. No Buffer: runs on Workers.

import { alphabetTable, unpackStrict } from './radix';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const CODES = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
const VALUES = alphabetTable(ALPHABET);

export function base64urlLength(byteLength: number): number {
  return Math.ceil((byteLength * 4) / 3);
}

/** Writes the ASCII of base64url(bytes) into `out` at `offset`; returns the end offset. */
export function base64urlWrite(bytes: Uint8Array, out: Uint8Array, offset: number): number {
  let o = offset;
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = CODES[n >>> 18]!;
    out[o++] = CODES[(n >>> 12) & 63]!;
    out[o++] = CODES[(n >>> 6) & 63]!;
    out[o++] = CODES[n & 63]!;
  }
  const left = bytes.length - i;
  if (left === 1) {
    const n = bytes[i]! << 16;
    out[o++] = CODES[n >>> 18]!;
    out[o++] = CODES[(n >>> 12) & 63]!;
  } else if (left === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out[o++] = CODES[n >>> 18]!;
    out[o++] = CODES[(n >>> 12) & 63]!;
    out[o++] = CODES[(n >>> 6) & 63]!;
  }
  return o;
}

export function base64urlEncode(bytes: Uint8Array): string {
  const out = new Uint8Array(base64urlLength(bytes.length));
  base64urlWrite(bytes, out, 0);
  let s = '';
  for (let i = 0; i < out.length; i++) s += String.fromCharCode(out[i]!);
  return s;
}

/** Strict: unpadded, URL alphabet, zero trailing bits; otherwise null. */
export function base64urlDecode(text: string): Uint8Array<ArrayBuffer> | null {
  if (text.length % 4 === 1) return null;
  return unpackStrict(text, VALUES, 6);
}
