// Signing package codes. WebCrypto Ed25519 directly (keys imported once by KeyRing,
// header prefix cached by format.ts): no jose, no per-code allocation beyond the result.

import { CODE_VERSION, encodeCode, encodePayload, signingInput, type PackageRef } from './format';
import type { KeyEntry, KeyRing } from './keyring';

const ED25519 = { name: 'Ed25519' } as const;

function privateKeyOf(key: KeyEntry): CryptoKey {
  if (!key.privateKey) throw new Error(`Không có khóa bí mật ${key.kid} / the private half of ${key.kid} is not held here`);
  return key.privateKey;
}

async function signWith(key: KeyEntry, privateKey: CryptoKey, batchId: number, serial: number): Promise<string> {
  const ref: PackageRef = { version: CODE_VERSION, keyNumber: key.keyNumber, batchId, serial };
  const payload = encodePayload(ref);
  const signature = new Uint8Array(await crypto.subtle.sign(ED25519, privateKey, signingInput(ref)));
  return encodeCode(payload, signature);
}

/** The 119-character code for one package, signed with the ring's current signer. */
export async function signPackageCode(ring: KeyRing, batchId: number, serial: number): Promise<string> {
  const key = ring.signer();
  return signWith(key, privateKeyOf(key), batchId, serial);
}

/**
 * One code signed with a given key, whatever its status: re-exporting an existing batch
 * must use the key the batch was issued under (callers refuse withdrawn keys themselves).
 */
export async function signPackageCodeWith(key: KeyEntry, batchId: number, serial: number): Promise<string> {
  return signWith(key, privateKeyOf(key), batchId, serial);
}

/**
 * Codes for serials fromSerial .. fromSerial+count-1 under one key, in order. Signs a
 * window of codes concurrently: WebCrypto may run signatures off the main thread
 * (about 1.5× the sequential rate on Node).
 */
export async function* signPackageCodesWith(
  key: KeyEntry,
  batchId: number,
  fromSerial: number,
  count: number,
  window = 64,
): AsyncGenerator<{ serial: number; code: string }> {
  const privateKey = privateKeyOf(key);
  // Validate the whole range up front so that no partial batch is produced.
  encodePayload({ version: CODE_VERSION, keyNumber: key.keyNumber, batchId, serial: fromSerial });
  if (count > 0) encodePayload({ version: CODE_VERSION, keyNumber: key.keyNumber, batchId, serial: fromSerial + count - 1 });
  for (let start = 0; start < count; start += window) {
    const n = Math.min(window, count - start);
    const codes = await Promise.all(Array.from({ length: n }, (_, i) => signWith(key, privateKey, batchId, fromSerial + start + i)));
    for (let i = 0; i < n; i++) yield { serial: fromSerial + start + i, code: codes[i]! };
  }
}

/** As signPackageCodesWith, with the ring's current signer fixed for the whole run (a rotation mid-batch must not split a batch across keys). */
export function signPackageCodes(ring: KeyRing, batchId: number, fromSerial: number, count: number, window = 64): AsyncGenerator<{ serial: number; code: string }> {
  return signPackageCodesWith(ring.signer(), batchId, fromSerial, count, window);
}
