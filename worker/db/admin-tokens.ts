import type { Kysely } from 'kysely';
import type { Database, Role } from '../../schema/database';
import { DomainError } from '../domain/errors';
import { audit, type Actor } from './audit';

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
  if (input.role === 'area_officer') {
    const unit = await db.selectFrom('admin_units').select('level').where('id', '=', input.areaUnitId!).executeTakeFirst();
    if (unit?.level !== 'district') throw new DomainError('unknown_area', 'The area must be a district', 'Địa bàn phải là một đơn vị cấp huyện');
  }
  if (input.role === 'producer') {
    const producer = await db.selectFrom('producers').select('id').where('id', '=', input.producerId!).executeTakeFirst();
    if (!producer) throw new DomainError('unknown_producer', 'Unknown producer', 'Không tìm thấy chủ thể sản xuất');
  }
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
