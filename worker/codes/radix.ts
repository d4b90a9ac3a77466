// What base32 and base64url decoding share: an alphabet lookup table and strict packing of
// fixed-width characters into bytes, most significant bit first.

/** Value of each ASCII character in `alphabet`, -1 for every other character. */
export function alphabetTable(alphabet: string): Int8Array {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  return table;
}

/**
 * Packs `text` (each character `width` bits, looked up in `table`) into bytes. Null for a
 * character outside the alphabet or non-zero trailing pad bits, so one value has one spelling.
 */
export function unpackStrict(text: string, table: Int8Array, width: 5 | 6): Uint8Array<ArrayBuffer> | null {
  const out = new Uint8Array(Math.floor((text.length * width) / 8));
  const mask = (1 << (width + 8)) - 1;
  let buffer = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? table[c]! : -1;
    if (v < 0) return null;
    buffer = ((buffer << width) | v) & mask;
    bits += width;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buffer >>> bits) & 0xff;
    }
  }
  if ((buffer & ((1 << bits) - 1)) !== 0) return null;
  return out;
}
