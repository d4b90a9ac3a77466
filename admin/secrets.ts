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

/**
 * The client's address as the edge reports it: `cf-connecting-ip` on Workers (set by
 * Cloudflare, not forgeable), a proxy's `x-real-ip` / `x-forwarded-for` on Node behind a
 * proxy, else the socket's address (@hono/node-server passes the request as `env.incoming`).
 * A forged forwarding header only changes the client key; the per-account lock still holds.
 */
export function clientAddress(header: (name: string) => string | undefined, env: unknown): string {
  const cf = header('cf-connecting-ip');
  if (cf) return cf.trim();
  const real = header('x-real-ip');
  if (real) return real.trim();
  const forwarded = header('x-forwarded-for');
  if (forwarded) return forwarded.split(',')[0]!.trim();
  const socket = (env as { incoming?: { socket?: { remoteAddress?: unknown } } } | undefined)?.incoming?.socket;
  return typeof socket?.remoteAddress === 'string' ? socket.remoteAddress : 'unknown';
}
