// Users, sessions, API tokens and the login throttle: admin sign-in and session checks, user and token pages, CLI.
import { sql, type Kysely } from 'kysely';
import type { Database, Role, User } from '../../schema/database';
import { DomainError } from '../domain/errors';
import { audit, type Actor } from './audit';
import { transactWrite, UNIQUE_VIOLATION } from './errors';

// ---------------------------------------------------------------------------------------
// Users and sessions

/** A user row without its password hash: what pages, JSON and audit entries may carry. */
export type PublicUser = Omit<User, 'password_hash'>;

export function publicUser(u: User): PublicUser {
  const { password_hash: _hash, ...rest } = u;
  return rest;
}

export async function findUserByEmail(db: Kysely<Database>, email: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
}

export async function getUser(db: Kysely<Database>, id: number): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface UserListRow extends PublicUser {
  producer_name: string | null;
  area_name: string | null;
}

export async function listUsers(db: Kysely<Database>): Promise<UserListRow[]> {
  const rows = await db
    .selectFrom('users as u')
    .leftJoin('producers as pr', 'pr.id', 'u.producer_id')
    .leftJoin('admin_units as au', 'au.id', 'u.area_unit_id')
    .selectAll('u')
    .select(['pr.name as producer_name', 'au.name as area_name'])
    .orderBy('u.role')
    .orderBy('u.email')
    .execute();
  return rows.map(({ password_hash: _h, ...r }) => r);
}

export interface UserInput {
  email: string;
  name: string;
  role: Role;
  areaUnitId: string | null;
  producerId: number | null;
}

function checkRoleScope(input: Pick<UserInput, 'role' | 'areaUnitId' | 'producerId'>): void {
  if (input.role === 'area_officer' && !input.areaUnitId) {
    throw new DomainError('area_required', 'An area officer needs an area', 'Cán bộ khu vực cần chọn địa bàn');
  }
  if (input.role === 'producer' && input.producerId === null) {
    throw new DomainError('producer_required', 'A producer account needs a producer', 'Tài khoản chủ thể cần chọn chủ thể sản xuất');
  }
}

/** Only the fields that matter to the role: an area for an officer, a producer for a producer. */
function scopedFields(input: Pick<UserInput, 'role' | 'areaUnitId' | 'producerId'>): { area_unit_id: string | null; producer_id: number | null } {
  return {
    area_unit_id: input.role === 'area_officer' ? input.areaUnitId : null,
    producer_id: input.role === 'producer' ? input.producerId : null,
  };
}

/** The area is a district and the producer exists: the same for a user and for a token. */
async function checkReferences(db: Kysely<Database>, input: Pick<UserInput, 'role' | 'areaUnitId' | 'producerId'>): Promise<void> {
  if (input.role === 'area_officer' && input.areaUnitId) {
    const unit = await db.selectFrom('admin_units').select(['id', 'level']).where('id', '=', input.areaUnitId).executeTakeFirst();
    if (!unit || unit.level !== 'district') {
      throw new DomainError('unknown_area', 'The area must be a district', 'Địa bàn phải là một đơn vị cấp huyện');
    }
  }
  if (input.role === 'producer' && input.producerId !== null) {
    const producer = await db.selectFrom('producers').select('id').where('id', '=', input.producerId).executeTakeFirst();
    if (!producer) throw new DomainError('unknown_producer', 'Unknown producer', 'Không tìm thấy chủ thể sản xuất');
  }
}

export async function createUser(db: Kysely<Database>, actor: Actor, input: UserInput, passwordHash: string): Promise<PublicUser> {
  checkRoleScope(input);
  await checkReferences(db, input);
  return transactWrite(db, async (trx) => {
    const row = await trx
      .insertInto('users')
      .values({ email: input.email.trim().toLowerCase(), name: input.name.trim(), role: input.role, ...scopedFields(input), password_hash: passwordHash })
      .returningAll()
      .executeTakeFirstOrThrow();
    const safe = publicUser(row);
    await audit(trx, actor, { action: 'user.create', entity: 'user', entityId: row.id, after: safe });
    return safe;
  }, (code) => {
    if (code === UNIQUE_VIOLATION) {
      throw new DomainError('email_taken', `The email ${input.email} already has an account`, `Email ${input.email} đã có tài khoản`);
    }
  });
}

export interface UserUpdate {
  name: string;
  role: Role;
  areaUnitId: string | null;
  producerId: number | null;
  disabled: boolean;
}

/**
 * Changing what a user may do (role, scope, disabled) bumps their session version, so the
 * change applies at their very next request instead of when their session runs out.
 */
export async function updateUser(db: Kysely<Database>, actor: Actor, id: number, input: UserUpdate): Promise<PublicUser> {
  checkRoleScope(input);
  await checkReferences(db, input);
  if (actor.userId === id && (input.disabled || input.role !== 'province_admin')) {
    const self = await getUser(db, id);
    if (self?.role === 'province_admin') {
      throw new DomainError('self_demotion', 'You cannot disable or demote your own account', 'Không thể tự khóa hoặc hạ quyền tài khoản của chính mình');
    }
  }
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('users').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!before) throw new DomainError('unknown_user', 'Unknown user', 'Không tìm thấy tài khoản');
    const scoped = scopedFields(input);
    const powersChanged =
      before.role !== input.role || before.area_unit_id !== scoped.area_unit_id || before.producer_id !== scoped.producer_id || before.disabled !== input.disabled;
    const after = await trx
      .updateTable('users')
      .set({
        name: input.name.trim(),
        role: input.role,
        ...scoped,
        disabled: input.disabled,
        ...(powersChanged ? { session_version: sql<number>`session_version + 1` } : {}),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, actor, { action: 'user.update', entity: 'user', entityId: id, before: publicUser(before), after: publicUser(after) });
    return publicUser(after);
  });
}

/** A new password (reset by an admin or changed by the user): every existing session ends. */
export async function setPassword(db: Kysely<Database>, actor: Actor, id: number, passwordHash: string, reason: string): Promise<PublicUser> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('users')
      .set({ password_hash: passwordHash, session_version: sql<number>`session_version + 1`, failed_logins: 0, locked_until: null })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new DomainError('unknown_user', 'Unknown user', 'Không tìm thấy tài khoản');
    await audit(trx, actor, { action: 'user.password', entity: 'user', entityId: id, reason });
    return publicUser(row);
  });
}

/** Stronger hashing parameters applied at sign-in; the password itself is unchanged, so sessions stay. */
export async function upgradePasswordHash(db: Kysely<Database>, id: number, oldHash: string, passwordHash: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', id).where('password_hash', '=', oldHash).execute();
}

/** Sign-out: every token carrying the old version stops working at once, on every device. */
export async function endSessions(db: Kysely<Database>, actor: Actor, id: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ session_version: sql<number>`session_version + 1` }).where('id', '=', id).execute();
    await audit(trx, actor, { action: 'auth.logout', entity: 'user', entityId: id });
  });
}

export async function recordLogin(db: Kysely<Database>, user: Pick<User, 'id' | 'email'>): Promise<void> {
  await audit(db, { userId: user.id, label: user.email }, { action: 'auth.login', entity: 'user', entityId: user.id });
}

// ---------------------------------------------------------------------------------------
// API tokens (machine access)

export interface ApiTokenRow {
  id: number;
  name: string;
  role: Role;
  area_unit_id: string | null;
  producer_id: number | null;
  created_by: number | null;
  created_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

const PUBLIC_COLUMNS = ['id', 'name', 'role', 'area_unit_id', 'producer_id', 'created_by', 'created_at', 'revoked_at', 'last_used_at'] as const;

export async function listTokens(db: Kysely<Database>): Promise<ApiTokenRow[]> {
  return db.selectFrom('api_tokens').select(PUBLIC_COLUMNS).orderBy('revoked_at', 'desc').orderBy('id', 'desc').execute();
}

export interface TokenInput {
  name: string;
  role: Role;
  areaUnitId: string | null;
  producerId: number | null;
}

/** Stores only the token's hash; the caller shows the token itself once. */
export async function createToken(db: Kysely<Database>, actor: Actor, input: TokenInput, tokenHash: string): Promise<ApiTokenRow> {
  if (input.role === 'area_officer' && !input.areaUnitId) {
    throw new DomainError('area_required', 'An area-officer token needs an area', 'Khóa truy cập của cán bộ khu vực cần chọn địa bàn');
  }
  if (input.role === 'producer' && input.producerId === null) {
    throw new DomainError('producer_required', 'A producer token needs a producer', 'Khóa truy cập của chủ thể cần chọn chủ thể sản xuất');
  }
  await checkReferences(db, input);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('api_tokens')
      .values({
        name: input.name.trim(),
        token_hash: tokenHash,
        role: input.role,
        area_unit_id: input.role === 'area_officer' ? input.areaUnitId : null,
        producer_id: input.role === 'producer' ? input.producerId : null,
        created_by: actor.userId,
      })
      .returning(PUBLIC_COLUMNS)
      .executeTakeFirstOrThrow();
    await audit(trx, actor, { action: 'token.create', entity: 'api_token', entityId: row.id, after: row });
    return row;
  });
}

export async function revokeToken(db: Kysely<Database>, actor: Actor, id: number, now: Date): Promise<ApiTokenRow> {
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('api_tokens').select(PUBLIC_COLUMNS).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!before) throw new DomainError('unknown_token', 'Unknown API token', 'Không tìm thấy khóa truy cập');
    if (before.revoked_at) throw new DomainError('token_revoked', 'This token is already revoked', 'Khóa truy cập này đã bị thu hồi');
    const after = await trx.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', id).returning(PUBLIC_COLUMNS).executeTakeFirstOrThrow();
    await audit(trx, actor, { action: 'token.revoke', entity: 'api_token', entityId: id, before, after });
    return after;
  });
}

export async function findActiveToken(db: Kysely<Database>, tokenHash: string): Promise<ApiTokenRow | undefined> {
  return db.selectFrom('api_tokens').select(PUBLIC_COLUMNS).where('token_hash', '=', tokenHash).where('revoked_at', 'is', null).executeTakeFirst();
}

export async function touchToken(db: Kysely<Database>, id: number, now: Date): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute();
}

// ---------------------------------------------------------------------------------------
// Login throttle
//
// Rows of login_throttle, one per key (keyed hashes, admin/secrets.ts; the design and its
// numbers are in admin/auth.ts and the README's Security section):
//   pair:<account>:<client>  failures of one account from one client: a hard lock;
//   client:<client>          failures from one client on any account: a hard lock;
//   account:<account>        failures of one account from anywhere: only a growing delay;
//   global:failures          failures of the whole service in the current minute.

export interface LockPolicy {
  /** Failures within `windowMs` that lock the key for `lockMs`. */
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

const MINUTE = 60_000;

/** Five wrong passwords for one account from one client within 15 minutes lock that pair for 15 minutes. */
export const PAIR_POLICY: LockPolicy = { maxFailures: 5, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE };
/** A client may try more accounts (offices share an address) before it is locked on all of them. */
export const CLIENT_POLICY: LockPolicy = { maxFailures: 20, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE };

/**
 * An account is never locked, only slowed: from its 5th failure within an hour (from
 * anywhere), a client that has failed recently must wait 2^(n−5) seconds after the latest
 * failure (1 s, 2 s, 4 s … at most 15 minutes) before its next try on that account.
 */
export const ACCOUNT_SLOWDOWN = {
  freeFailures: 5,
  windowMs: 60 * MINUTE,
  maxDelayMs: 15 * MINUTE,
  delayMs(failures: number): number {
    if (failures < this.freeFailures) return 0;
    return Math.min(1000 * 2 ** (failures - this.freeFailures), this.maxDelayMs);
  },
};

/** Failed sign-ins per minute, service-wide, beyond which clients with recent failures wait for the next minute. */
export const GLOBAL_FAILURES_PER_MINUTE = 30;
export const GLOBAL_THROTTLE_KEY = 'global:failures';

/** How long a row is worth keeping: the longest window or lock, after which it is pruned. */
const THROTTLE_KEEP_MS = Math.max(PAIR_POLICY.windowMs, CLIENT_POLICY.windowMs, ACCOUNT_SLOWDOWN.windowMs);

export interface ThrottleRow {
  key: string;
  failures: number;
  window_started: Date;
  locked_until: Date | null;
}

/** The rows of `keys` (missing keys are simply absent from the map). */
export async function throttleRows(db: Kysely<Database>, keys: string[]): Promise<Map<string, ThrottleRow>> {
  if (keys.length === 0) return new Map();
  const rows = await db.selectFrom('login_throttle').select(['key', 'failures', 'window_started', 'locked_until']).where('key', 'in', keys).execute();
  return new Map(rows.map((r) => [r.key, { ...r, window_started: new Date(r.window_started), locked_until: r.locked_until ? new Date(r.locked_until) : null }]));
}

/** Counts one failure for `key` in a single upsert (safe under concurrent attempts); the count in the current window. */
async function countFailure(db: Kysely<Database>, key: string, windowMs: number, now: Date): Promise<number> {
  const windowStart = new Date(now.getTime() - windowMs);
  const row = await db
    .insertInto('login_throttle')
    .values({ key, failures: 1, window_started: now })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        failures: sql<number>`case when login_throttle.window_started < ${windowStart} then 1 else login_throttle.failures + 1 end`,
        window_started: sql<Date>`case when login_throttle.window_started < ${windowStart} then ${now}::timestamptz else login_throttle.window_started end`,
      }),
    )
    .returning(['failures'])
    .executeTakeFirstOrThrow();
  return row.failures;
}

/** A failure on a hard-locked key; the lock end when this failure locked it. */
export async function recordLockFailure(db: Kysely<Database>, key: string, policy: LockPolicy, now: Date): Promise<Date | null> {
  if ((await countFailure(db, key, policy.windowMs, now)) < policy.maxFailures) return null;
  const until = new Date(now.getTime() + policy.lockMs);
  await db.updateTable('login_throttle').set({ locked_until: until, failures: 0, window_started: now }).where('key', '=', key).execute();
  return until;
}

/** A failure of an account: sets the time before which clients with recent failures must not try it again. */
export async function recordAccountFailure(db: Kysely<Database>, key: string, now: Date): Promise<Date | null> {
  const failures = await countFailure(db, key, ACCOUNT_SLOWDOWN.windowMs, now);
  const delay = ACCOUNT_SLOWDOWN.delayMs(failures);
  if (delay === 0) return null;
  const until = new Date(now.getTime() + delay);
  await db.updateTable('login_throttle').set({ locked_until: until }).where('key', '=', key).execute();
  return until;
}

/**
 * A failure counted against the service-wide ceiling; returns the failures of the current
 * minute. The first failure of a minute, and every 100th within one, also prunes expired
 * rows, so failures with ever new emails and addresses cannot grow the table beyond what
 * the last hour of them leaves (see pruneLoginThrottle), whether they trickle or flood.
 */
export async function recordGlobalFailure(db: Kysely<Database>, now: Date): Promise<number> {
  const failures = await countFailure(db, GLOBAL_THROTTLE_KEY, MINUTE, now);
  if (failures === 1 || failures % 100 === 0) await pruneLoginThrottle(db, now);
  return failures;
}

export async function clearFailures(db: Kysely<Database>, key: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', key).execute();
}

/** Clears an account's delay and every (account, client) lock of it: the admin's "unlock". */
export async function clearAccountFailures(db: Kysely<Database>, accountKey: string, pairPrefix: string): Promise<void> {
  await db
    .deleteFrom('login_throttle')
    .where((eb) => eb.or([eb('key', '=', accountKey), eb('key', 'like', `${pairPrefix}%`)]))
    .execute();
}

/** The latest lock or delay in force on an account (its own row or any of its pairs), or null. */
export async function accountRestrictedUntil(db: Kysely<Database>, accountKey: string, pairPrefix: string, now: Date): Promise<Date | null> {
  const row = await db
    .selectFrom('login_throttle')
    .select(sql<Date | null>`max(locked_until)`.as('until'))
    .where((eb) => eb.or([eb('key', '=', accountKey), eb('key', 'like', `${pairPrefix}%`)]))
    .where('locked_until', '>', now)
    .executeTakeFirst();
  return row?.until ? new Date(row.until) : null;
}

/**
 * Deletes rows that no longer hold anything: their window and their lock have both passed.
 * Run by the daily job and by recordGlobalFailure; what remains is at most the
 * failures of the last hour (three or four rows each) plus the locks still in force.
 */
export async function pruneLoginThrottle(db: Kysely<Database>, now: Date): Promise<number> {
  const result = await db
    .deleteFrom('login_throttle')
    .where('window_started', '<', new Date(now.getTime() - THROTTLE_KEEP_MS))
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function throttleState(db: Kysely<Database>, key: string): Promise<{ failures: number; locked_until: Date | null } | undefined> {
  return db.selectFrom('login_throttle').select(['failures', 'locked_until']).where('key', '=', key).executeTakeFirst();
}
