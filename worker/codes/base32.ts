// RFC 4648 base32 (A-Z2-7), no padding. Strict on decode so that one value has exactly
// one spelling: a verifier that tolerated padding, lowercase or stray pad bits would let
// many distinct strings map to one package, which breaks scan counting by code text.

import { alphabetTable, unpackStrict } from './radix';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

const VALUES = alphabetTable(ALPHABET);

/** Uppercase, unpadded. */
export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (let i = 0; i < bytes.length; i++) {
    buffer = ((buffer << 8) | bytes[i]!) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(buffer >>> bits) & 31];
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/**
 * Uppercase A-Z2-7 only, no '=' padding, a length that unpadded base32 can have
 * (length mod 8 in {0, 2, 4, 5, 7}) and zero trailing pad bits; anything else is null.
 * Callers that accept lowercase uppercase the (ASCII-checked) text first.
 */
export function base32Decode(text: string): Uint8Array<ArrayBuffer> | null {
  const rem = text.length % 8;
  if (rem === 1 || rem === 3 || rem === 6) return null;
  return unpackStrict(text, VALUES, 5);
}
