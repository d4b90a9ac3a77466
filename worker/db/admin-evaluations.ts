import type { Kysely } from 'kysely';
import type { Database, Evaluation } from '../../schema/database';
import { DomainError } from '../domain/errors';
import { audit, type Actor } from './audit';
import { createEvaluation, evaluationColumns, type EvaluationInput } from './certificates';
import { containsPattern, foldSql, producerInScope, type Scope } from './admin-scope';

export interface EvaluationListRow extends Evaluation {
  product_name: string;
  producer_id: number;
  producer_name: string;
  certificate_id: number | null;
  certificate_number: string | null;
}

export interface EvaluationFilter {
  q?: string | undefined;
  productId?: number | undefined;
  /** Only evaluations of 3★ and up that no certificate uses yet: what an official issues from. */
  pending?: boolean | undefined;
}

function base(db: Kysely<Database>) {
  return db
    .selectFrom('evaluations as e')
    .innerJoin('products as p', 'p.id', 'e.product_id')
    .innerJoin('producers as pr', 'pr.id', 'p.producer_id')
    .leftJoin('certificates as c', 'c.evaluation_id', 'e.id')
    .selectAll('e')
    .select(['p.name as product_name', 'pr.id as producer_id', 'pr.name as producer_name', 'c.id as certificate_id', 'c.number as certificate_number']);
}

export async function listEvaluations(db: Kysely<Database>, scope: Scope, filter: EvaluationFilter = {}): Promise<EvaluationListRow[]> {
  let q = base(db).where(producerInScope(scope));
  if (filter.q?.trim()) {
    const pattern = containsPattern(filter.q);
    q = q.where((eb) => eb.or([eb(foldSql('p.name'), 'like', pattern), eb(foldSql('pr.name'), 'like', pattern)]));
  }
  if (filter.productId !== undefined) q = q.where('e.product_id', '=', filter.productId);
  if (filter.pending) q = q.where('c.id', 'is', null).where('e.stars', '>=', 3);
  return q.orderBy('e.evaluated_on', 'desc').orderBy('e.id', 'desc').limit(500).execute();
}

export async function getEvaluation(db: Kysely<Database>, scope: Scope, id: number): Promise<EvaluationListRow | undefined> {
  return base(db).where('e.id', '=', id).where(producerInScope(scope)).executeTakeFirst();
}

async function checkProductInScope(db: Kysely<Database>, scope: Scope, productId: number): Promise<void> {
  const product = await db.selectFrom('products as p').innerJoin('producers as pr', 'pr.id', 'p.producer_id').select('p.id').where('p.id', '=', productId).where(producerInScope(scope)).executeTakeFirst();
  if (!product) throw new DomainError('unknown_product', 'Unknown product, or outside your area', 'Không tìm thấy sản phẩm, hoặc sản phẩm ngoài địa bàn của bạn');
}

async function checkLegalBasis(db: Kysely<Database>, id: string): Promise<void> {
  const basis = await db.selectFrom('legal_bases').select('id').where('id', '=', id).executeTakeFirst();
  if (!basis) throw new DomainError('unknown_legal_basis', 'Unknown legal basis', 'Không tìm thấy căn cứ pháp lý');
}

export async function createScopedEvaluation(db: Kysely<Database>, actor: Actor, scope: Scope, input: EvaluationInput, now: Date): Promise<Evaluation> {
  if (scope.kind === 'producer' || scope.kind === 'none') throw new DomainError('forbidden', 'Not allowed', 'Không có quyền');
  await checkProductInScope(db, scope, input.productId);
  await checkLegalBasis(db, input.legalBasisId);
  return createEvaluation(db, actor, input, now);
}

/**
 * Corrects an evaluation (a typing error in the scores) while no certificate rests on it.
 * Once a certificate is issued the evaluation is its record: a new result is a new
 * evaluation and a renewal.
 */
export async function updateEvaluation(db: Kysely<Database>, actor: Actor, scope: Scope, id: number, input: EvaluationInput, now: Date): Promise<Evaluation> {
  const columns = evaluationColumns(input, now);
  await checkProductInScope(db, scope, input.productId);
  await checkLegalBasis(db, input.legalBasisId);
  return db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('evaluations as e')
      .innerJoin('products as p', 'p.id', 'e.product_id')
      .innerJoin('producers as pr', 'pr.id', 'p.producer_id')
      .selectAll('e')
      .where('e.id', '=', id)
      .where(producerInScope(scope))
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw new DomainError('unknown_evaluation', 'Unknown evaluation', 'Không tìm thấy kết quả đánh giá');
    const used = await trx.selectFrom('certificates').select('number').where('evaluation_id', '=', id).executeTakeFirst();
    if (used) {
      throw new DomainError('evaluation_used', `Certificate ${used.number} rests on this evaluation: record a new evaluation instead`, `Giấy chứng nhận ${used.number} đã dựa trên kết quả này: hãy nhập kết quả đánh giá mới`);
    }
    const after = await trx
      .updateTable('evaluations')
      .set(columns)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, actor, { action: 'evaluation.update', entity: 'evaluation', entityId: id, before, after });
    return after;
  });
}

export async function legalBasisOptions(db: Kysely<Database>): Promise<{ id: string; title_vi: string; title_en: string; effective_from: string; effective_to: string | null }[]> {
  return db.selectFrom('legal_bases').select(['id', 'title_vi', 'title_en', 'effective_from', 'effective_to']).orderBy('effective_from', 'desc').execute();
}
