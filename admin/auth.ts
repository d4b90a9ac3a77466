import type { Kysely } from 'kysely';
import type { Database, User } from '../schema/database';
import type { AppDeps } from '../worker/app-env';
import { parseIp } from '../worker/client-address';
import {
  accountRestrictedUntil,
  clearAccountFailures,
  clearFailures,
  CLIENT_POLICY,
  findActiveToken,
  findUserByEmail,
  getUser,
  GLOBAL_FAILURES_PER_MINUTE,
  GLOBAL_THROTTLE_KEY,
  PAIR_POLICY,
  recordAccountFailure,
  recordGlobalFailure,
  recordLockFailure,
  recordLogin,
  throttleRows,
  touchToken,
  upgradePasswordHash,
  type ThrottleRow,
} from '../worker/db/users-and-tokens';
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
  const now = c.var.clock();
  if (!row.last_used_at || now.getTime() - new Date(row.last_used_at).getTime() >= 60_000) {
    try {
      await touchToken(c.var.db, row.id, now);
    } catch (error) {
      c.var.log('warn', 'could not record API token use', { token: row.id, error: error instanceof Error ? error.message : String(error) });
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
 * Whose failures a client's address stands for: an IPv4 address, or the /64 network of an
 * IPv6 address (one subscriber usually holds a whole /64, so single addresses in it would
 * be free fresh identities).
 */
export function throttleClientId(address: string): string {
  const bytes = parseIp(address);
  if (!bytes || bytes.length === 4) return address.trim().toLowerCase();
  return `${[...bytes.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join('')}/64`;
}

/** The throttle keys of one sign-in (keyed hashes: the table never holds an email or an address). */
async function loginKeys(secret: Uint8Array, email: string, client: string) {
  const account = await throttleKey(secret, 'account', email.trim().toLowerCase());
  const clientKey = await throttleKey(secret, 'client', throttleClientId(client));
  const pairPrefix = `pair:${account.slice('account:'.length)}:`;
  return { account, client: clientKey, pairPrefix, pair: pairPrefix + clientKey.slice('client:'.length) };
}

const inWindow = (row: ThrottleRow | undefined, windowMs: number, now: Date) => !!row && row.failures > 0 && row.window_started.getTime() > now.getTime() - windowMs;
const lockedAt = (row: ThrottleRow | undefined, now: Date) => (row?.locked_until && row.locked_until > now ? row.locked_until : null);

/**
 * Checks a sign-in. The design (numbers in worker/db/users-and-tokens.ts and the README):
 *
 * - An (account, client) pair is locked hard after 5 failures, and a client after 20 on
 *   any accounts: only the client that failed is refused, never anyone else.
 * - An account alone is never locked, only slowed, and only for clients that have failed
 *   recently (in the last 15 minutes): a stranger hammering an account cannot keep its
 *   owner out, because the owner's own client, with no failures, is always checked.
 * - A service-wide ceiling (30 failures a minute) makes clients with recent failures wait
 *   for the next minute, which bounds spraying from many addresses.
 *
 * Locks are checked before the password, so a locked client cannot probe; unknown emails
 * cost the same hash as known ones and count the same way, so neither the answer nor its
 * timing tells whether an email exists.
 */
export async function attemptLogin(db: Kysely<Database>, deps: Pick<AppDeps, 'sessionSecret' | 'clock'>, email: string, password: string, client: string): Promise<LoginResult> {
  const now = deps.clock();
  const normalised = email.trim().toLowerCase();
  const keys = await loginKeys(deps.sessionSecret, normalised, client);
  const rows = await throttleRows(db, [keys.pair, keys.client, keys.account, GLOBAL_THROTTLE_KEY]);
  const pair = rows.get(keys.pair);
  const clientRow = rows.get(keys.client);
  const hard = [lockedAt(pair, now), lockedAt(clientRow, now)].filter((d): d is Date => d !== null);
  if (hard.length > 0) return { ok: false, reason: 'locked', until: new Date(Math.max(...hard.map((d) => d.getTime()))) };
  const failedRecently = inWindow(pair, PAIR_POLICY.windowMs, now) || inWindow(clientRow, CLIENT_POLICY.windowMs, now);
  if (failedRecently) {
    const slowed = lockedAt(rows.get(keys.account), now);
    if (slowed) return { ok: false, reason: 'locked', until: slowed };
    const global = rows.get(GLOBAL_THROTTLE_KEY);
    if (global && inWindow(global, 60_000, now) && global.failures >= GLOBAL_FAILURES_PER_MINUTE) {
      return { ok: false, reason: 'locked', until: new Date(global.window_started.getTime() + 60_000) };
    }
  }

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
    const pairLock = await recordLockFailure(db, keys.pair, PAIR_POLICY, now);
    const clientLock = await recordLockFailure(db, keys.client, CLIENT_POLICY, now);
    await recordAccountFailure(db, keys.account, now);
    await recordGlobalFailure(db, now);
    const locks = [pairLock, clientLock].filter((d): d is Date => d !== null);
    return locks.length > 0 ? { ok: false, reason: 'locked', until: new Date(Math.max(...locks.map((d) => d.getTime()))) } : { ok: false, reason: 'invalid' };
  }
  // The owner's own slate is cleared; the account's count stays, as it may be under attack.
  await clearFailures(db, keys.pair);
  if (needsRehash(user.password_hash)) await upgradePasswordHash(db, user.id, user.password_hash, await hashPassword(password));
  await recordLogin(db, user);
  return { ok: true, user };
}

/** Whether an account is locked or slowed now, for any client (for the users page). */
export async function accountLockedUntil(db: Kysely<Database>, deps: Pick<AppDeps, 'sessionSecret' | 'clock'>, email: string): Promise<Date | null> {
  const keys = await loginKeys(deps.sessionSecret, email, '');
  return accountRestrictedUntil(db, keys.account, keys.pairPrefix, deps.clock());
}

/** The admin's "unlock": the account's delay and every client's lock on it end. */
export async function unlockAccount(db: Kysely<Database>, deps: Pick<AppDeps, 'sessionSecret'>, email: string): Promise<void> {
  const keys = await loginKeys(deps.sessionSecret, email, '');
  await clearAccountFailures(db, keys.account, keys.pairPrefix);
}

export function lockMessage(until: Date, now: Date): { vi: string; en: string } {
  const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  if (seconds < 120) {
    return {
      vi: `Đăng nhập tạm bị khóa vì nhập sai nhiều lần. Vui lòng thử lại sau ${seconds} giây.`,
      en: `Sign-in is paused after repeated failures. Please try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
    };
  }
  const minutes = Math.ceil(seconds / 60);
  return {
    vi: `Đăng nhập tạm bị khóa vì nhập sai nhiều lần. Vui lòng thử lại sau ${minutes} phút.`,
    en: `Sign-in is locked after repeated failures. Please try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
  };
}

export const INVALID_LOGIN = { vi: 'Email hoặc mật khẩu không đúng.', en: 'Wrong email or password.' };
