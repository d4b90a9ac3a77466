// Lowercase hex of bytes, for digests and keyed hashes stored as text. No Buffer: runs on Workers.

const BYTE_HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

export function hexEncode(bytes: ArrayBuffer | Uint8Array): string {
  let s = '';
  for (const b of bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)) s += BYTE_HEX[b]!;
  return s;
}
