import type { Kysely } from 'kysely';
import type { Database, PackageBatch } from '../../schema/database';
import type { KeyRing } from '../codes/keyring';
import { certificateState } from '../domain/certificate-state';
import { todayInVietnam } from '../domain/dates';
import { DomainError } from '../domain/errors';
import { audit, type Actor } from './audit';
import { pgErrorCode, UNIQUE_VIOLATION } from './errors';

export interface BatchInput {
  certificateId: number;
  lotCode: string;
  productionDate: string;
  bestBefore: string | null;
  quantity: number;
}

export const MAX_BATCH_QUANTITY = 1_000_000;

/**
 * Issues a batch for a certificate that is valid today. No row per package: codes are
 * derived from (batch id, serial) and the batch's key, so a download can be repeated.
 * `producerId` restricts a producer to their own products.
 */
export async function issueBatch(
  db: Kysely<Database>,
  actor: Actor,
  input: BatchInput,
  ring: KeyRing,
  now: Date,
  producerId: number | null = null,
): Promise<PackageBatch> {
  if (!Number.isInteger(input.quantity) || input.quantity < 1 || input.quantity > MAX_BATCH_QUANTITY) {
    throw new DomainError('bad_quantity', 'Quantity must be 1 to 1,000,000', 'Số lượng phải từ 1 đến 1.000.000');
  }
  const today = todayInVietnam(now);
  if (input.productionDate > today) {
    throw new DomainError('future_date', 'The production date is in the future', 'Ngày sản xuất không được ở tương lai');
  }
  if (input.bestBefore !== null && input.bestBefore <= input.productionDate) {
    throw new DomainError('bad_best_before', 'Best-before must come after the production date', 'Hạn sử dụng phải sau ngày sản xuất');
  }
  const signer = ring.signer();
  return db.transaction().execute(async (trx) => {
    const cert = await trx
      .selectFrom('certificates as c')
      .innerJoin('products as p', 'p.id', 'c.product_id')
      .select(['c.id', 'c.number', 'c.status', 'c.valid_from', 'c.valid_until', 'p.producer_id'])
      .where('c.id', '=', input.certificateId)
      .executeTakeFirst();
    if (!cert) throw new DomainError('unknown_certificate', 'Unknown certificate', 'Không tìm thấy giấy chứng nhận');
    if (producerId !== null && cert.producer_id !== producerId) {
      throw new DomainError('not_your_product', 'This certificate belongs to another producer', 'Giấy chứng nhận này thuộc chủ thể khác');
    }
    const { state } = certificateState({ status: cert.status, validFrom: cert.valid_from, validUntil: cert.valid_until }, now);
    if (state === 'revoked') throw new DomainError('certificate_revoked', `Certificate ${cert.number} is revoked`, `Giấy chứng nhận ${cert.number} đã bị thu hồi`);
    if (state === 'superseded') throw new DomainError('certificate_superseded', `Certificate ${cert.number} was replaced by a renewal: use the new one`, `Giấy chứng nhận ${cert.number} đã được thay bằng giấy mới: hãy dùng giấy mới`);
    if (state === 'expired') throw new DomainError('certificate_expired', `Certificate ${cert.number} expired on ${cert.valid_until}`, `Giấy chứng nhận ${cert.number} đã hết hạn ngày ${cert.valid_until}`);
    try {
      const batch = await trx
        .insertInto('package_batches')
        .values({
          certificate_id: cert.id,
          lot_code: input.lotCode.trim(),
          production_date: input.productionDate,
          best_before: input.bestBefore,
          quantity: input.quantity,
          key_number: signer.keyNumber,
          created_by: actor.userId,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await audit(trx, actor, { action: 'batch.issue', entity: 'package_batch', entityId: batch.id, after: batch });
      return batch;
    } catch (error) {
      if (pgErrorCode(error) === UNIQUE_VIOLATION) {
        throw new DomainError('lot_exists', `Lot ${input.lotCode} already exists for this certificate`, `Lô ${input.lotCode} đã tồn tại cho giấy chứng nhận này`);
      }
      throw error;
    }
  });
}

export async function getBatch(db: Kysely<Database>, id: number): Promise<PackageBatch | undefined> {
  return db.selectFrom('package_batches').selectAll().where('id', '=', id).executeTakeFirst();
}
