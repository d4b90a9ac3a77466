import type { Kysely } from 'kysely';
import type { Database, User } from '../schema/database';
import type { AppDeps } from '../worker/app-env';
import { ACCOUNT_POLICY, clearFailures, CLIENT_POLICY, findActiveToken, findUserByEmail, getUser, lockedUntil, recordFailure, recordLogin, touchToken, upgradePasswordHash } from '../worker/db/users-and-tokens';
import type { AdminContext } from './context';
import { hashPassword, needsRehash, verifyPassword } from './password';
import type { Principal } from './permissions';
import { hashApiToken, looksLikeApiToken, throttleKey } from './secrets';
import { readSessionCookie, shouldRefresh, signSession, verifySession, writeSessionCookie } from './session';

export function userPrincipal(u: Pick<User, 'id' | 'email' | 'name' | 'role' | 'area_unit_id' | 'producer_id'>): Principal {
  return { kind: 'user', id: u.id, userId: u.id, role: u.role, areaUnitId: u.area_unit_id, producerId: u.producer_id, label: u.email, name: u.name };
}

/**
 * The person behind the session cookie, checked against the database on every request:
 * a token whose session version is behind the user's (sign-out, role change, password
 * reset) or whose user is disabled is refused at once, whatever its expiry says.
 */
export async function sessionPrincipal(c: AdminContext): Promise<Principal | null> {
  const deps = c.var.deps;
  const secure = deps.config.secureCookies;
  const token = readSessionCookie(c, secure);
  if (!token) return null;
  const now = deps.clock();
  const claims = await verifySession(deps.sessionSecret, token, now);
  if (!claims) return null;
  const user = await getUser(c.var.db, claims.userId);
  if (!user || user.disabled || user.session_version !== claims.version) return null;
  if (shouldRefresh(claims, now)) {
    writeSessionCookie(c, await signSession(deps.sessionSecret, { userId: user.id, version: user.session_version, authTime: claims.authTime }, now), secure);
  }
  return userPrincipal(user);
}

/** The API token in `Authorization: Bearer …`, if it is one we issued and it is not revoked. */
export async function tokenPrincipal(c: AdminContext): Promise<Principal | null> {
  const header = c.req.header('authorization') ?? '';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match || !looksLikeApiToken(match[1]!)) return null;
  const row = await findActiveToken(c.var.db, await hashApiToken(match[1]!));
  if (!row) return null;
  // Recorded at most once a minute, inline: a write deferred past the response would race
  // the pool's shutdown on Node, and a token used in bursts needs no more precision.
  const now = c.var.deps.clock();
  if (!row.last_used_at || now.getTime() - new Date(row.last_used_at).getTime() >= 60_000) {
    try {
      await touchToken(c.var.db, row.id, now);
    } catch (error) {
      c.var.deps.log('warn', 'could not record API token use', { token: row.id, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return {
    kind: 'token',
    id: row.id,
    userId: null,
    role: row.role,
    areaUnitId: row.area_unit_id,
    producerId: row.producer_id,
    label: `token:${row.id} ${row.name}`,
    name: row.name,
  };
}

export type LoginResult = { ok: true; user: User } | { ok: false; reason: 'invalid' } | { ok: false; reason: 'locked'; until: Date };

let dummyHash: Promise<string> | null = null;

/**
 * Checks a sign-in. Locks (per email and per client) are checked before the password, so a
 * locked account cannot be probed; unknown emails cost the same hash as known ones and
 * lock the same way, so neither the answer nor its timing tells whether an email exists.
 */
export async function attemptLogin(db: Kysely<Database>, deps: Pick<AppDeps, 'sessionSecret' | 'clock'>, email: string, password: string, client: string): Promise<LoginResult> {
  const now = deps.clock();
  const normalised = email.trim().toLowerCase();
  const accountKey = await throttleKey(deps.sessionSecret, 'account', normalised);
  const clientKey = await throttleKey(deps.sessionSecret, 'client', client);
  const locked = await lockedUntil(db, [accountKey, clientKey], now);
  if (locked) return { ok: false, reason: 'locked', until: locked };

  const user = normalised.length <= 200 ? await findUserByEmail(db, normalised) : undefined;
  let ok: boolean;
  if (user) {
    ok = await verifyPassword(password, user.password_hash);
  } else {
    dummyHash ??= hashPassword('không có tài khoản này');
    await verifyPassword(password, await dummyHash);
    ok = false;
  }
  if (!ok || !user || user.disabled) {
    const a = await recordFailure(db, accountKey, ACCOUNT_POLICY, now);
    const b = await recordFailure(db, clientKey, CLIENT_POLICY, now);
    const until = a && b ? (a > b ? a : b) : (a ?? b);
    return until ? { ok: false, reason: 'locked', until } : { ok: false, reason: 'invalid' };
  }
  await clearFailures(db, accountKey);
  if (needsRehash(user.password_hash)) await upgradePasswordHash(db, user.id, user.password_hash, await hashPassword(password));
  await recordLogin(db, user);
  return { ok: true, user };
}

/** Whether an account is locked now (for the users page), by the same keyed hash. */
export async function accountLockedUntil(db: Kysely<Database>, deps: Pick<AppDeps, 'sessionSecret' | 'clock'>, email: string): Promise<Date | null> {
  return lockedUntil(db, [await throttleKey(deps.sessionSecret, 'account', email.trim().toLowerCase())], deps.clock());
}

export async function unlockAccount(db: Kysely<Database>, deps: Pick<AppDeps, 'sessionSecret'>, email: string): Promise<void> {
  await clearFailures(db, await throttleKey(deps.sessionSecret, 'account', email.trim().toLowerCase()));
}

export function lockMessage(until: Date, now: Date): { vi: string; en: string } {
  const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
  return {
    vi: `Đăng nhập tạm bị khóa vì nhập sai nhiều lần. Vui lòng thử lại sau ${minutes} phút.`,
    en: `Sign-in is locked after repeated failures. Please try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
  };
}

export const INVALID_LOGIN = { vi: 'Email hoặc mật khẩu không đúng.', en: 'Wrong email or password.' };
