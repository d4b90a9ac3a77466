import { describe, expect, it } from 'vitest';
import { hexEncode } from '../../../worker/codes/hex';

describe('hexEncode', () => {
  it('writes two lowercase digits per byte, leading zeros kept', () => {
    expect(hexEncode(new Uint8Array([0, 1, 15, 16, 171, 255]))).toBe('00010f10abff');
    expect(hexEncode(new Uint8Array([]))).toBe('');
  });

  it('reads an ArrayBuffer (a WebCrypto digest) and a view into a larger buffer alike', async () => {
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode('abc'));
    expect(hexEncode(digest)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hexEncode(new Uint8Array(digest, 0, 4))).toBe('ba7816bf');
  });
});
