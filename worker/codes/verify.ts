// Verifying a scanned code: parse, find the key, check the Ed25519 signature. No database,
// no zod, no jose: this is the floor cost of every scan.

import { kidFor, parseCode, type PackageRef } from './format';
import type { KeyStatus } from '../domain/vocabulary';

export type CodeVerdict =
  | { ok: true; ref: PackageRef; kid: string; code: string }
  | {
      ok: false;
      reason: 'malformed' | 'unknown_version' | 'unknown_key' | 'bad_signature' | 'key_withdrawn';
      ref?: PackageRef;
      kid?: string;
      code?: string;
    };

const ED25519 = { name: 'Ed25519' } as const;

/** What verifying reads of a key ring: the server's KeyRing, or the offline scanner's keys (no zod in a phone's bundle). */
export interface VerifyKeys {
  get(keyNumber: number): { publicKey: CryptoKey; status: KeyStatus } | undefined;
}

/**
 * `ok` only for a well-formed v1 code whose signature verifies under a key that is not
 * withdrawn. A withdrawn key's codes are still checked, so that 'key_withdrawn' is only
 * said of codes that key really signed; forged ones get 'bad_signature'.
 */
export async function verifyPackageCode(ring: VerifyKeys, input: string): Promise<CodeVerdict> {
  const parsed = parseCode(input);
  if (!parsed.ok) return { ok: false, reason: parsed.reason };
  const { ref, code } = parsed;
  const kid = kidFor(ref.keyNumber);
  const key = ring.get(ref.keyNumber);
  if (!key) return { ok: false, reason: 'unknown_key', ref, kid, code };
  const good = await crypto.subtle.verify(ED25519, key.publicKey, parsed.signature, parsed.signingInput);
  if (!good) return { ok: false, reason: 'bad_signature', ref, kid, code };
  if (key.status === 'withdrawn') return { ok: false, reason: 'key_withdrawn', ref, kid, code };
  return { ok: true, ref, kid, code };
}
