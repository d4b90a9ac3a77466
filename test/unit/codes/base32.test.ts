import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode } from '../../../worker/codes/base32';
import { base64urlDecode, base64urlEncode } from '../../../worker/codes/base64url';

const enc = (s: string) => new TextEncoder().encode(s);

describe('base32 (RFC 4648, unpadded, strict)', () => {
  it('matches the RFC 4648 §10 test vectors (padding removed)', () => {
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'MY'],
      ['fo', 'MZXQ'],
      ['foo', 'MZXW6'],
      ['foob', 'MZXW6YQ'],
      ['fooba', 'MZXW6YTB'],
      ['foobar', 'MZXW6YTBOI'],
    ];
    for (const [plain, b32] of vectors) {
      expect(base32Encode(enc(plain))).toBe(b32);
      expect(base32Decode(b32)).toEqual(enc(plain));
    }
  });

  it('decode(encode(x)) = x for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const text = base32Encode(bytes);
        expect(text).toMatch(/^[A-Z2-7]*$/);
        expect(base32Decode(text)).toEqual(bytes);
      }),
    );
  });

  it('rejects padding, lowercase, foreign characters and impossible lengths', () => {
    for (const bad of ['MY======', 'my', 'MZXw6', 'MZX06', 'MZX16', 'MZX86', 'MZX96', 'M', 'MZX', 'MZXW6Y', 'MZ XW6', 'MZXW6\n', 'МY']) {
      expect(base32Decode(bad), JSON.stringify(bad)).toBeNull();
    }
  });

  it('rejects non-zero trailing pad bits, so each value has one spelling', () => {
    // 'MY' = 'f' with 2 pad bits; 'MZ', 'M2', 'M3' carry the same byte with pad bits set.
    expect(base32Decode('MY')).toEqual(enc('f'));
    for (const bad of ['MZ', 'M2', 'M3']) expect(base32Decode(bad)).toBeNull();
  });
});

describe('base64url', () => {
  it('agrees with Node for any bytes and decodes back', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const text = base64urlEncode(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64url'));
        expect(base64urlDecode(text)).toEqual(bytes);
      }),
    );
  });

  it('rejects padding, the + / alphabet and non-canonical tails', () => {
    // 'Zg' and 'Zm8' are the canonical 'f' and 'fo'; 'Zh' and 'Zm9' set pad bits.
    expect(base64urlDecode('Zg')).toEqual(enc('f'));
    expect(base64urlDecode('Zm8')).toEqual(enc('fo'));
    for (const bad of ['Zg==', 'a+b/', 'Zh', 'Zm9', 'Z']) expect(base64urlDecode(bad), bad).toBeNull();
  });
});
