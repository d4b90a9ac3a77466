// Shared by the codes tests: a fixed key (RFC 8032 §7.1 test 1, so the README's test
// vector can be re-derived by anyone) and helpers to forge code bytes.
import { base32Encode } from '../../../worker/codes/base32';
import type { PrivateKeyJwk } from '../../../worker/codes/keyring';

const hex = (h: string) => Uint8Array.from(h.match(/../g)!.map((b) => parseInt(b, 16)));
const b64u = (b: Uint8Array) => Buffer.from(b).toString('base64url');

export const RFC8032_SECRET_HEX = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
export const RFC8032_PUBLIC_HEX = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';

export function rfc8032Key(keyNumber = 1): PrivateKeyJwk {
  return { kty: 'OKP', crv: 'Ed25519', kid: `ocop-${keyNumber}`, x: b64u(hex(RFC8032_PUBLIC_HEX)), d: b64u(hex(RFC8032_SECRET_HEX)) };
}

export const BASE_URL = 'https://ocop.binhphuoc.gov.vn';

/** Raw 10-byte payload, fields unchecked: for building codes a conforming signer would never make. */
export function rawPayload(version: number, keyNumber: number, batchId: number, serial: number): Uint8Array {
  const p = new Uint8Array(10);
  const v = new DataView(p.buffer);
  v.setUint8(0, version);
  v.setUint8(1, keyNumber);
  v.setUint32(2, batchId);
  v.setUint32(6, serial);
  return p;
}

export function codeOfBytes(payload: Uint8Array, signature: Uint8Array = new Uint8Array(64).fill(7)): string {
  const bytes = new Uint8Array(74);
  bytes.set(payload, 0);
  bytes.set(signature, 10);
  return base32Encode(bytes);
}
