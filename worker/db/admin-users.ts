import { sql, type Kysely } from 'kysely';
import type { Database, Role, User } from '../../schema/database';
import { DomainError } from '../domain/errors';
import { audit, type Actor } from './audit';
import { pgErrorCode, UNIQUE_VIOLATION } from './errors';

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
  try {
    return await db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('users')
        .values({ email: input.email.trim().toLowerCase(), name: input.name.trim(), role: input.role, ...scopedFields(input), password_hash: passwordHash })
        .returningAll()
        .executeTakeFirstOrThrow();
      const safe = publicUser(row);
      await audit(trx, actor, { action: 'user.create', entity: 'user', entityId: row.id, after: safe });
      return safe;
    });
  } catch (error) {
    if (pgErrorCode(error) === UNIQUE_VIOLATION) {
      throw new DomainError('email_taken', `The email ${input.email} already has an account`, `Email ${input.email} đã có tài khoản`);
    }
    throw error;
  }
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
