import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { jwtVerify, SignJWT } from 'jose';

/** A session lasts 30 minutes after the last request (sliding), and never beyond 12 hours. */
export const SESSION_IDLE_SECONDS = 30 * 60;
export const SESSION_MAX_SECONDS = 12 * 60 * 60;
/** Re-issue the cookie at most this often, so not every request sets a cookie. */
const REFRESH_AFTER_SECONDS = 60;

const COOKIE = 'ocop_admin';

export interface SessionClaims {
  /** users.id */
  userId: number;
  /** users.session_version when the token was made; a bump ends the session at once. */
  version: number;
  /** When the person signed in (seconds since epoch): the 12-hour cap counts from here. */
  authTime: number;
  issuedAt: number;
}

export async function signSession(secret: Uint8Array, claims: Omit<SessionClaims, 'issuedAt'>, now: Date): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  const exp = Math.min(iat + SESSION_IDLE_SECONDS, claims.authTime + SESSION_MAX_SECONDS);
  return new SignJWT({ sv: claims.version, auth: claims.authTime })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(String(claims.userId))
    .setAudience('ocop-admin')
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(secret);
}

/** The claims of a valid, unexpired token, or null for anything else. */
export async function verifySession(secret: Uint8Array, token: string, now: Date): Promise<SessionClaims | null> {
  try {
    const { payload } = await jwtVerify(token, secret, { algorithms: ['HS256'], audience: 'ocop-admin', currentDate: now, clockTolerance: 0 });
    const userId = Number(payload.sub);
    const version = payload.sv;
    const authTime = payload.auth;
    if (!Number.isSafeInteger(userId) || userId < 1) return null;
    if (typeof version !== 'number' || !Number.isSafeInteger(version)) return null;
    if (typeof authTime !== 'number' || typeof payload.iat !== 'number') return null;
    if (now.getTime() / 1000 - authTime > SESSION_MAX_SECONDS) return null;
    return { userId, version, authTime, issuedAt: payload.iat };
  } catch {
    return null;
  }
}

export function shouldRefresh(claims: SessionClaims, now: Date): boolean {
  return now.getTime() / 1000 - claims.issuedAt >= REFRESH_AFTER_SECONDS;
}

/**
 * `__Host-` on https: the browser then refuses the cookie unless it is Secure, host-only
 * and for path /, so no subdomain or plain-http page can plant or read it.
 */
export function readSessionCookie(c: Context, secure: boolean): string | undefined {
  return secure ? getCookie(c, COOKIE, 'host') : getCookie(c, COOKIE);
}

export function writeSessionCookie(c: Context, token: string, secure: boolean): void {
  setCookie(c, COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'Strict',
    secure,
    maxAge: SESSION_IDLE_SECONDS,
    ...(secure ? { prefix: 'host' as const } : {}),
  });
}

export function clearSessionCookie(c: Context, secure: boolean): void {
  deleteCookie(c, COOKIE, { path: '/', secure, httpOnly: true, sameSite: 'Strict', ...(secure ? { prefix: 'host' as const } : {}) });
}

export const SESSION_COOKIE_NAME = (secure: boolean): string => (secure ? `__Host-${COOKIE}` : COOKIE);
