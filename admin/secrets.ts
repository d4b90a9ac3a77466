// Small WebCrypto helpers for the admin side: API tokens, hashed client keys.
import { base64urlEncode } from '../worker/codes/base64url';
import { hexEncode } from '../worker/codes/hex';

const TOKEN_PREFIX = 'ocop_';

/** 256 random bits: too many to guess, so a plain SHA-256 is enough to store it. */
export function generateApiToken(): string {
  return TOKEN_PREFIX + base64urlEncode(crypto.getRandomValues(new Uint8Array(32)));
}

export function looksLikeApiToken(s: string): boolean {
  return /^ocop_[A-Za-z0-9_-]{43}$/.test(s);
}

export async function hashApiToken(token: string): Promise<string> {
  return hexEncode(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token)));
}

/**
 * A keyed hash (HMAC with the session secret), so the throttle table never holds an email
 * or an IP address in a form that can be reversed by hashing guesses.
 */
export async function throttleKey(secret: Uint8Array, kind: 'account' | 'client', value: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', new Uint8Array(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${kind}:${value}`));
  return `${kind}:${hexEncode(mac).slice(0, 40)}`;
}
