// Evaluations (council scores, the basis of certificates) and legal bases: admin pages, admin API, CLI seed.
import type { Kysely } from 'kysely';
import type { Database, Evaluation } from '../../schema/database';
import type { CouncilLevel } from '../domain/vocabulary';
import { DomainError } from '../domain/errors';
import { checkEvaluationCorrectable, evaluationResult, type EvaluationScores } from '../domain/issuance';
import { audit, type Actor } from './audit';
import { containsPattern, searchName } from './catalogue';
import { productInScope } from './products';
import { producerInScope, type Scope } from './scope';

export interface EvaluationInput extends EvaluationScores {
  productId: number;
  councilLevel: CouncilLevel;
  legalBasisId: string;
  note?: string | null;
}

/** The evaluation's columns from its input (stars from the scores, see evaluationResult). Shared by create and correction. */
function evaluationColumns(input: EvaluationInput, now: Date) {
  const { total, stars } = evaluationResult(input, now);
  return {
    product_id: input.productId,
    score_a: input.scoreA,
    score_b: input.scoreB,
    score_c: input.scoreC,
    total,
    mandatory_level: input.mandatoryLevel,
    stars,
    council_level: input.councilLevel,
    evaluated_on: input.evaluatedOn,
    legal_basis_id: input.legalBasisId,
    note: input.note ?? null,
  };
}

/** Records an evaluation without a scope check: the CLI and seed act for the province. */
export async function createEvaluation(db: Kysely<Database>, actor: Actor, input: EvaluationInput, now: Date): Promise<Evaluation> {
  const columns = evaluationColumns(input, now);
  return db.transaction().execute(async (trx) => {
    const product = await trx.selectFrom('products').select(['id']).where('id', '=', input.productId).executeTakeFirst();
    if (!product) throw new DomainError('unknown_product', 'Unknown product', 'Không tìm thấy sản phẩm');
    const row = await trx
      .insertInto('evaluations')
      .values({ ...columns, created_by: actor.userId })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, actor, { action: 'evaluation.create', entity: 'evaluation', entityId: row.id, after: row });
    return row;
  });
}

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

function listBase(db: Kysely<Database>, scope: Scope) {
  return db
    .selectFrom('evaluations as e')
    .innerJoin('products as p', 'p.id', 'e.product_id')
    .innerJoin('producers as pr', 'pr.id', 'p.producer_id')
    .leftJoin('certificates as c', 'c.evaluation_id', 'e.id')
    .selectAll('e')
    .select(['p.name as product_name', 'pr.id as producer_id', 'pr.name as producer_name', 'c.id as certificate_id', 'c.number as certificate_number'])
    .where(producerInScope(scope));
}

export async function listEvaluations(db: Kysely<Database>, scope: Scope, filter: EvaluationFilter = {}): Promise<EvaluationListRow[]> {
  let q = listBase(db, scope);
  if (filter.q?.trim()) {
    const pattern = containsPattern(filter.q);
    q = q.where((eb) => eb.or([eb(searchName('p'), 'like', pattern), eb(searchName('pr'), 'like', pattern)]));
  }
  if (filter.productId !== undefined) q = q.where('e.product_id', '=', filter.productId);
  if (filter.pending) q = q.where('c.id', 'is', null).where('e.stars', '>=', 3);
  return q.orderBy('e.evaluated_on', 'desc').orderBy('e.id', 'desc').limit(500).execute();
}

export async function getEvaluation(db: Kysely<Database>, scope: Scope, id: number): Promise<EvaluationListRow | undefined> {
  return listBase(db, scope).where('e.id', '=', id).executeTakeFirst();
}

async function checkProductInScope(db: Kysely<Database>, scope: Scope, productId: number): Promise<void> {
  if (!(await productInScope(db, scope, productId))) throw new DomainError('unknown_product', 'Unknown product, or outside your area', 'Không tìm thấy sản phẩm, hoặc sản phẩm ngoài địa bàn của bạn');
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
    checkEvaluationCorrectable(await trx.selectFrom('certificates').select('number').where('evaluation_id', '=', id).executeTakeFirst());
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

/** Evaluations of a product that no certificate uses yet: what a renewal may rest on. */
export async function renewalEvaluations(db: Kysely<Database>, productId: number): Promise<Evaluation[]> {
  return db
    .selectFrom('evaluations as e')
    .leftJoin('certificates as c', 'c.evaluation_id', 'e.id')
    .selectAll('e')
    .where('e.product_id', '=', productId)
    .where('c.id', 'is', null)
    .orderBy('e.evaluated_on', 'desc')
    .execute();
}
