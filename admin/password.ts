// PBKDF2-SHA256 through WebCrypto, so the same code hashes on Workers and on Node.
// workerd refuses more than 100,000 iterations, so that is the ceiling today; the
// parameters are stored with each hash so they can be raised later without a reset.
import { base64urlDecode, base64urlEncode } from '../worker/codes/base64url';

const ITERATIONS = 100_000;
const SALT_BYTES = 16;
const HASH_BYTES = 32;
const PREFIX = 'pbkdf2-sha256';

async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number, bytes: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(password.normalize('NFC')), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, bytes * 8);
  return new Uint8Array(bits);
}

export async function hashPassword(password: string, iterations = ITERATIONS): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await derive(password, salt, iterations, HASH_BYTES);
  return `${PREFIX}$${iterations}$${base64urlEncode(salt)}$${base64urlEncode(hash)}`;
}

function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [prefix, iter, salt, hash] = stored.split('$');
  if (prefix !== PREFIX || !iter || !salt || !hash) return false;
  const iterations = Number(iter);
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > ITERATIONS) return false;
  const expected = base64urlDecode(hash);
  const saltBytes = base64urlDecode(salt);
  if (!expected || !saltBytes || expected.length === 0) return false;
  const actual = await derive(password, saltBytes, iterations, expected.length);
  return constantTimeEqual(actual, expected);
}

/** True when a hash was made with weaker parameters than today's and should be redone at next sign-in. */
export function needsRehash(stored: string): boolean {
  const iter = Number(stored.split('$')[1]);
  return !(iter >= ITERATIONS);
}

/** A password that a bored attacker cannot guess and a person can still type: 4 groups of 5. */
export function generatePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const chars: string[] = [];
  while (chars.length < 20) {
    for (const b of crypto.getRandomValues(new Uint8Array(32))) {
      // Rejection sampling: bytes past the last whole multiple of the alphabet would bias it.
      if (b < 248 && chars.length < 20) chars.push(alphabet[b % alphabet.length]!);
    }
  }
  return [0, 5, 10, 15].map((i) => chars.slice(i, i + 5).join('')).join('-');
}
