// Importing a register: every row of a file matched against the database by natural keys
// (certificate number; producer tax code, else name and address; product name within its
// producer; evaluation by product, date and council; region by product and description),
// planned as new / update / unchanged / error, then written in one transaction.
//
// A row is all or nothing: a row with any error contributes nothing, and the rows after it
// are planned as if it were absent. Rows later in the file may not contradict earlier ones
// about the same producer (the first row that names a value sets it).
//
// Certificates of one product form a chain by decision date: each one not revoked is
// superseded by the next (a renewal), the last one not revoked stays active (and is expired
// when its dates say so: expiry is never stored). Imported certificates may only extend a
// product's chain at either end; one dated between two certificates already in the database
// is refused, since re-linking certificates others have relied on is not an import's business.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../schema/database';
import { compareIsoDates, vietnamDayStart } from '../domain/dates';
import { REGISTER_COLUMNS, type ColumnMapping, type RegisterField } from '../domain/register-columns';
import { parseRegisterRow, type RegisterRow, type RowError } from '../domain/register-rows';
import { foldVietnamese, slugify } from '../domain/search';
import type { CertificateStatus, CouncilLevel, IssuingLevel, LegalForm, RevocationGround } from '../domain/vocabulary';
import { audit, type Actor, type AuditEntry } from './audit';
import { jsonb } from './json';

type Db = Kysely<Database> | Transaction<Database>;

export type RowStatus = 'new' | 'update' | 'unchanged' | 'error';

export interface PreviewRow {
  line: number;
  status: RowStatus;
  producer: string;
  product: string;
  certificate: string | null;
  /** What the row changes, in Vietnamese ("Chủ thể mới", "Cập nhật: Địa chỉ"). */
  changes: string[];
  errors: RowError[];
}

export interface ImportCounts {
  rows: number;
  new: number;
  update: number;
  unchanged: number;
  error: number;
}

export interface ImportPlan {
  rows: PreviewRow[];
  counts: ImportCounts;
  /** Internal: what apply writes. */
  work: Work;
}

// ---------------------------------------------------------------------------------------
// What the database holds, loaded once per plan

interface DbProducer { id: number; name: string; legal_form: LegalForm; tax_code: string | null; representative: string | null; address_line: string | null; phone: string | null }
interface DbProduct { id: number; producer_id: number; name: string; slug: string }
interface DbEvaluation { id: number; product_id: number; evaluated_on: string; council_level: CouncilLevel; score_a: number; score_b: number; score_c: number; mandatory_level: number; stars: number }
interface DbCertificate {
  id: number; number: string; product_id: number; evaluation_id: number; stars: number; decision_number: string; decision_date: string; issuing_body: string;
  issuing_level: IssuingLevel; status: CertificateStatus; supersedes_id: number | null; revocation_decision_number: string | null; revocation_date: string | null; revocation_ground: RevocationGround | null;
}
interface DbRegion { id: number; product_id: number; description: string; area_ha: number | null }

async function loadState(db: Db) {
  const [producers, products, evaluations, certificates, regions, bases] = await Promise.all([
    db.selectFrom('producers').select(['id', 'name', 'legal_form', 'tax_code', 'representative', 'address_line', 'phone']).orderBy('id').execute(),
    db.selectFrom('products').select(['id', 'producer_id', 'name', 'slug']).orderBy('id').execute(),
    db.selectFrom('evaluations').select(['id', 'product_id', 'evaluated_on', 'council_level', 'score_a', 'score_b', 'score_c', 'mandatory_level', 'stars']).orderBy('id').execute(),
    db
      .selectFrom('certificates')
      .select(['id', 'number', 'product_id', 'evaluation_id', 'stars', 'decision_number', 'decision_date', 'issuing_body', 'issuing_level', 'status', 'supersedes_id', 'revocation_decision_number', 'revocation_date', 'revocation_ground'])
      .orderBy('id')
      .execute(),
    db.selectFrom('raw_material_regions').select(['id', 'product_id', 'description', 'area_ha']).orderBy('id').execute(),
    db.selectFrom('legal_bases').select(['id', 'title_vi', 'effective_from', 'effective_to']).execute(),
  ]);
  return {
    producers: producers as DbProducer[],
    products: products as DbProduct[],
    evaluations: evaluations.map((e) => ({ ...e, score_a: Number(e.score_a), score_b: Number(e.score_b), score_c: Number(e.score_c) })) as DbEvaluation[],
    certificates: certificates as DbCertificate[],
    regions: regions.map((r) => ({ ...r, area_ha: r.area_ha === null ? null : Number(r.area_ha) })) as DbRegion[],
    // The criteria an evaluation followed: the legal bases that are criteria sets (not plans).
    criteria: bases.filter((b) => /tiêu chí/i.test(b.title_vi)),
  };
}

type State = Awaited<ReturnType<typeof loadState>>;

// ---------------------------------------------------------------------------------------
// The plan's entities

const PRODUCER_FIELDS = ['name', 'legal_form', 'tax_code', 'representative', 'address_line', 'phone'] as const;
type ProducerField = (typeof PRODUCER_FIELDS)[number];
const PRODUCER_FIELD_OF: Record<ProducerField, RegisterField> = {
  name: 'producer_name', legal_form: 'legal_form', tax_code: 'tax_code', representative: 'representative', address_line: 'address', phone: 'phone',
};

interface PProducer {
  db: DbProducer | null;
  values: Record<ProducerField, string | null>;
  /** Fields a file row set, and which row. */
  setBy: Partial<Record<ProducerField, number>>;
  changed: Set<ProducerField>;
  owner: number;
  id: number | null;
}
interface PProduct { db: DbProduct | null; producer: PProducer; name: string; owner: number; id: number | null }
interface PEvaluation {
  db: DbEvaluation | null;
  product: PProduct;
  values: NonNullable<RegisterRow['evaluation']>;
  legalBasisId: string;
  changed: boolean;
  owner: number;
  id: number | null;
  certificate: PCertificate | null;
}
interface PCertificate {
  db: DbCertificate | null;
  product: PProduct;
  evaluation: PEvaluation | null;
  values: NonNullable<RegisterRow['certificate']> | null;
  number: string;
  decisionDate: string;
  owner: number;
  /** The revocation this file adds to a certificate the database holds as active. */
  revoke: NonNullable<RegisterRow['certificate']>['revocation'];
  /** Settled with the chain. */
  target: { status: CertificateStatus; predecessor: PCertificate | null; supersededOn: string | null } | null;
  id: number | null;
}
interface PRegion { db: DbRegion | null; product: PProduct; description: string; areaHa: number | null; changed: boolean; owner: number }

interface Work {
  producers: PProducer[];
  products: PProduct[];
  evaluations: PEvaluation[];
  certificates: PCertificate[];
  regions: PRegion[];
  /** Recorded certificates the plan changes: revoked, superseded, or given an imported predecessor. */
  recorded: PCertificate[];
  /** Row lines with what they changed. */
  effects: Map<number, { created: string[]; updated: string[] }>;
}

function fold(s: string | null | undefined): string {
  return foldVietnamese(s ?? '').replace(/[^a-z0-9]+/g, ' ').trim();
}

function sameScores(a: { score_a: number; score_b: number; score_c: number }, b: { scoreA: number; scoreB: number; scoreC: number }): boolean {
  return Math.abs(a.score_a - b.scoreA) < 1e-6 && Math.abs(a.score_b - b.scoreB) < 1e-6 && Math.abs(a.score_c - b.scoreC) < 1e-6;
}

function dmy(d: string): string {
  return d.split('-').reverse().join('/');
}

/** Plans the rows not in `excluded`; returns the plan and the errors only the whole file reveals. */
function planOnce(state: State, rows: readonly RegisterRow[], excluded: ReadonlyMap<number, RowError[]>): { work: Work; rowErrors: Map<number, RowError[]>; late: Map<number, RowError[]> } {
  const work: Work = { producers: [], products: [], evaluations: [], certificates: [], regions: [], recorded: [], effects: new Map() };
  // Errors of a row against what the database and earlier rows hold (the row is left out),
  // and errors only the whole file reveals (the row must be left out and the file planned again).
  const rowErrors = new Map<number, RowError[]>();
  const late = new Map<number, RowError[]>();
  const lateErrors = (line: number, errors: RowError[]) => late.set(line, [...(late.get(line) ?? []), ...errors]);

  // Indexes: database rows wrapped lazily, plus what earlier rows planned.
  const producerByTax = new Map<string, PProducer>();
  const producerByNameAddress = new Map<string, PProducer>();
  const producerById = new Map<number, PProducer>();
  const productByKey = new Map<string, PProduct>();
  const productById = new Map<number, PProduct>();
  const evaluationByKey = new Map<string, PEvaluation>();
  const evaluationById = new Map<number, PEvaluation>();
  const certificateByNumber = new Map<string, PCertificate>();
  const certificatesOfProduct = new Map<PProduct, PCertificate[]>();
  const regionByKey = new Map<string, PRegion>();
  const dbProducerByTax = new Map(state.producers.filter((p) => p.tax_code).map((p) => [p.tax_code!, p]));
  const dbProducerByNameAddress = new Map<string, DbProducer>();
  for (const p of state.producers) {
    const k = `${fold(p.name)}|${fold(p.address_line)}`;
    if (!dbProducerByNameAddress.has(k)) dbProducerByNameAddress.set(k, p);
  }
  const dbProductByKey = new Map(state.products.map((p) => [`${p.producer_id}|${fold(p.name)}`, p]));
  const dbEvaluationById = new Map(state.evaluations.map((e) => [e.id, e]));
  const dbEvaluationByKey = new Map(state.evaluations.map((e) => [`${e.product_id}|${e.evaluated_on}|${e.council_level}`, e]));
  const dbCertificateByNumber = new Map(state.certificates.map((c) => [c.number, c]));
  const dbCertificateByEvaluation = new Map(state.certificates.map((c) => [c.evaluation_id, c]));
  const dbRegionByKey = new Map(state.regions.map((r) => [`${r.product_id}|${fold(r.description)}`, r]));
  const dbCertificatesOfProduct = new Map<number, DbCertificate[]>();
  for (const c of state.certificates) dbCertificatesOfProduct.set(c.product_id, [...(dbCertificatesOfProduct.get(c.product_id) ?? []), c]);

  const wrapProducer = (p: DbProducer): PProducer => {
    let w = producerById.get(p.id);
    if (!w) {
      w = { db: p, values: { name: p.name, legal_form: p.legal_form, tax_code: p.tax_code, representative: p.representative, address_line: p.address_line, phone: p.phone }, setBy: {}, changed: new Set(), owner: 0, id: p.id };
      producerById.set(p.id, w);
    }
    return w;
  };
  const wrapProduct = (p: DbProduct, producer: PProducer): PProduct => {
    let w = productById.get(p.id);
    if (!w) {
      w = { db: p, producer, name: p.name, owner: 0, id: p.id };
      productById.set(p.id, w);
    }
    return w;
  };
  const chainOf = (product: PProduct): PCertificate[] => {
    let list = certificatesOfProduct.get(product);
    if (!list) {
      list = [];
      for (const c of product.db ? (dbCertificatesOfProduct.get(product.db.id) ?? []) : []) {
        let w = certificateByNumber.get(c.number);
        if (!w) {
          w = { db: c, product, evaluation: null, values: null, number: c.number, decisionDate: c.decision_date, owner: 0, revoke: null, target: null, id: c.id };
          certificateByNumber.set(c.number, w);
        }
        list.push(w);
      }
      certificatesOfProduct.set(product, list);
    }
    return list;
  };
  const effect = (line: number, kind: 'created' | 'updated', what: string) => {
    const e = work.effects.get(line) ?? { created: [], updated: [] };
    e[kind].push(what);
    work.effects.set(line, e);
  };

  for (const row of rows) {
    if (row.errors.length > 0 || excluded.has(row.line)) continue;
    const errors: RowError[] = [];
    const fail = (field: RegisterField | null, messageVi: string) => errors.push({ field, messageVi });
    const commits: (() => void)[] = [];

    // Producer: by tax code, else name and address.
    const given = row.producer;
    let producer: PProducer | null = null;
    let newProducer = false;
    if (given.taxCode) {
      producer = producerByTax.get(given.taxCode) ?? null;
      if (!producer) {
        const d = dbProducerByTax.get(given.taxCode);
        if (d) producer = wrapProducer(d);
      }
    }
    const nameAddress = `${fold(given.name)}|${fold(given.address)}`;
    if (!producer) {
      producer = producerByNameAddress.get(nameAddress) ?? null;
      if (!producer) {
        const d = dbProducerByNameAddress.get(nameAddress);
        if (d) producer = wrapProducer(d);
      }
      // Matched by name and address but the file gives another tax code than the database's.
      if (producer && given.taxCode && producer.values.tax_code && producer.values.tax_code !== given.taxCode) {
        fail('tax_code', `Chủ thể "${given.name}" (cùng địa chỉ) đã có mã số thuế ${producer.values.tax_code}`);
      }
    }
    if (!producer) {
      newProducer = true;
      if (!given.legalForm) fail('legal_form', 'Chủ thể mới cần loại hình (Doanh nghiệp, Hợp tác xã, Tổ hợp tác, Hộ kinh doanh): thêm cột hoặc ghi trong tên (HTX…, Công ty…)');
      producer = {
        db: null,
        values: { name: given.name, legal_form: given.legalForm, tax_code: given.taxCode, representative: given.representative, address_line: given.address, phone: given.phone },
        setBy: {}, changed: new Set(), owner: row.line, id: null,
      };
      for (const f of PRODUCER_FIELDS) if (producer.values[f] !== null) producer.setBy[f] = row.line;
    } else {
      const incoming: Record<ProducerField, string | null> = { name: given.name, legal_form: given.legalForm, tax_code: given.taxCode, representative: given.representative, address_line: given.address, phone: given.phone };
      const sets: [ProducerField, string][] = [];
      for (const f of PRODUCER_FIELDS) {
        const value = incoming[f];
        // A blank cell changes nothing; a legal form read from the name does not override a recorded one.
        if (value === null || (f === 'legal_form' && !row.legalFormStated)) continue;
        const current = producer.values[f];
        const same = f === 'name' || f === 'address_line' ? fold(current) === fold(value) : current === value;
        if (same) continue;
        const by = producer.setBy[f];
        if (by !== undefined) fail(PRODUCER_FIELD_OF[f], `Khác với dòng ${by} (${current ?? 'trống'})`);
        else sets.push([f, value]);
      }
      const p = producer;
      commits.push(() => {
        for (const [f, value] of sets) {
          p.values[f] = value;
          p.setBy[f] = row.line;
          p.changed.add(f);
          effect(row.line, 'updated', `Chủ thể: ${REGISTER_COLUMNS[PRODUCER_FIELD_OF[f]].header}`);
        }
        if (p.owner === 0) p.owner = row.line;
      });
    }

    // Product: by name within its producer.
    const productKeyOf = (p: PProducer) => `${p.db ? `db${p.db.id}` : `new${p.owner}`}|${fold(row.product.name)}`;
    let product: PProduct | null = null;
    let newProduct = false;
    if (!newProducer) {
      product = productByKey.get(productKeyOf(producer)) ?? null;
      if (!product && producer.db) {
        const d = dbProductByKey.get(`${producer.db.id}|${fold(row.product.name)}`);
        if (d) product = wrapProduct(d, producer);
      }
    }
    if (!product) {
      newProduct = true;
      product = { db: null, producer, name: row.product.name, owner: row.line, id: null };
    }

    // Evaluation: by product, date and council; a certificate already recorded brings its own.
    let evaluation: PEvaluation | null = null;
    let newEvaluation = false;
    let evaluationChanged = false;
    const ev = row.evaluation;
    const cert = row.certificate;
    const dbCert = cert ? (dbCertificateByNumber.get(cert.number) ?? null) : null;
    const plannedCert = cert ? (certificateByNumber.get(cert.number) ?? null) : null;
    if (ev) {
      const criteria = state.criteria.find((b) => b.effective_from <= ev.evaluatedOn && (b.effective_to === null || ev.evaluatedOn <= b.effective_to));
      if (!criteria) fail('evaluated_on', `Không có bộ tiêu chí OCOP nào có hiệu lực vào ngày ${dmy(ev.evaluatedOn)}`);
      const key = `${product.db ? `db${product.db.id}` : `new${product.owner}`}|${ev.evaluatedOn}|${ev.councilLevel}`;
      evaluation = newProduct ? null : (evaluationByKey.get(key) ?? null);
      if (!evaluation && product.db) {
        const d = dbEvaluationByKey.get(`${product.db.id}|${ev.evaluatedOn}|${ev.councilLevel}`);
        if (d) {
          evaluation = evaluationById.get(d.id) ?? { db: d, product, values: ev, legalBasisId: criteria?.id ?? '', changed: false, owner: 0, id: d.id, certificate: null };
          evaluationById.set(d.id, evaluation);
        }
      }
      if (dbCert) {
        const dbEval = dbEvaluationById.get(dbCert.evaluation_id);
        if (!dbEval || dbEval.evaluated_on !== ev.evaluatedOn || dbEval.council_level !== ev.councilLevel || !sameScores(dbEval, ev)) {
          fail('evaluated_on', `Giấy chứng nhận ${dbCert.number} trong hệ thống dựa trên kết quả đánh giá khác (ngày ${dbEval ? dmy(dbEval.evaluated_on) : '?'}, điểm ${dbEval ? `${dbEval.score_a}/${dbEval.score_b}/${dbEval.score_c}` : '?'})`);
        }
      }
      if (evaluation) {
        const current = evaluation.db && !evaluation.changed ? evaluation.db : null;
        const differs = current ? !sameScores(current, ev) || current.stars !== ev.stars : !sameScores({ score_a: evaluation.values.scoreA, score_b: evaluation.values.scoreB, score_c: evaluation.values.scoreC }, ev);
        if (differs) {
          if (evaluation.owner !== 0) fail('score_a', `Điểm khác với dòng ${evaluation.owner} (cùng sản phẩm, ngày và cấp đánh giá)`);
          else if (evaluation.db && dbCertificateByEvaluation.has(evaluation.db.id)) {
            fail('score_a', `Kết quả đánh giá ngày ${dmy(ev.evaluatedOn)} đã là căn cứ của giấy ${dbCertificateByEvaluation.get(evaluation.db.id)!.number}: không sửa điểm được, hãy nhập kết quả đánh giá mới`);
          } else evaluationChanged = true;
        }
      } else {
        newEvaluation = true;
        evaluation = { db: null, product, values: ev, legalBasisId: criteria?.id ?? '', changed: false, owner: row.line, id: null, certificate: null };
      }
    }

    // Certificate: by number.
    let certificate: PCertificate | null = null;
    let newCertificate = false;
    let revokes = false;
    if (cert && evaluation) {
      if (plannedCert && plannedCert.owner !== 0) fail('certificate_number', `Số giấy chứng nhận ${cert.number} trùng với dòng ${plannedCert.owner}`);
      else if (dbCert) {
        if (product.db?.id !== dbCert.product_id) fail('certificate_number', `Số giấy chứng nhận ${cert.number} đã dùng cho một sản phẩm khác trong hệ thống`);
        const differ: string[] = [];
        if (dbCert.decision_date !== cert.decisionDate) differ.push(`ngày quyết định ${dmy(dbCert.decision_date)}`);
        if (fold(dbCert.decision_number) !== fold(cert.decisionNumber)) differ.push(`số quyết định ${dbCert.decision_number}`);
        if (dbCert.stars !== evaluation.values.stars) differ.push(`${dbCert.stars} sao`);
        if (fold(dbCert.issuing_body) !== fold(cert.issuingBody)) differ.push(`cơ quan ${dbCert.issuing_body}`);
        if (differ.length > 0) fail('certificate_number', `Giấy ${cert.number} trong hệ thống ghi khác (${differ.join(', ')}): nhập tệp không sửa giấy đã cấp`);
        const wantsRevoked = cert.status === 'revoked';
        if (dbCert.status === 'revoked') {
          if (!wantsRevoked) fail('status', `Giấy ${cert.number} đã bị thu hồi trong hệ thống`);
          else if (cert.revocation && (cert.revocation.date !== dbCert.revocation_date || fold(cert.revocation.decisionNumber) !== fold(dbCert.revocation_decision_number))) {
            fail('revocation_number', `Giấy ${cert.number} đã bị thu hồi theo quyết định ${dbCert.revocation_decision_number} ngày ${dmy(dbCert.revocation_date ?? '')}`);
          }
        } else if (wantsRevoked) {
          if (dbCert.status === 'superseded') fail('status', `Giấy ${cert.number} đã được thay bằng giấy gia hạn: không thu hồi được bằng nhập tệp`);
          else revokes = true;
        }
        certificate = chainOf(product).find((c) => c.number === cert.number) ?? null;
      } else {
        newCertificate = true;
        if (evaluation.certificate || (evaluation.db && dbCertificateByEvaluation.has(evaluation.db.id))) {
          fail('evaluated_on', 'Kết quả đánh giá này đã được dùng để cấp giấy chứng nhận khác');
        }
        // Extends the product's chain at an end, never between two recorded certificates.
        const recorded = newProduct ? [] : chainOf(product).filter((c) => c.db);
        const before = recorded.some((c) => compareIsoDates(c.decisionDate, cert.decisionDate) < 0);
        const after = recorded.some((c) => compareIsoDates(c.decisionDate, cert.decisionDate) > 0);
        if (before && after) fail('decision_date', 'Giấy này có ngày nằm giữa các giấy đã có trong hệ thống của sản phẩm: hãy nhập qua trang giấy chứng nhận');
        const existing = newProduct ? [] : chainOf(product);
        const sameDay = existing.find((c) => c.decisionDate === cert.decisionDate);
        if (sameDay) fail('decision_date', `Sản phẩm đã có giấy ${sameDay.number} cùng ngày quyết định`);
        certificate = { db: null, product, evaluation, values: cert, number: cert.number, decisionDate: cert.decisionDate, owner: row.line, revoke: null, target: null, id: null };
      }
    }

    // Region: by product and description.
    let region: PRegion | null = null;
    let newRegion = false;
    let regionChanged = false;
    if (row.region) {
      const key = `${product.db ? `db${product.db.id}` : `new${product.owner}`}|${fold(row.region.description)}`;
      region = newProduct ? null : (regionByKey.get(key) ?? null);
      if (!region && product.db) {
        const d = dbRegionByKey.get(`${product.db.id}|${fold(row.region.description)}`);
        if (d) region = { db: d, product, description: d.description, areaHa: d.area_ha, changed: false, owner: 0 };
      }
      if (region) {
        if (row.region.areaHa !== null && region.areaHa !== row.region.areaHa) {
          if (region.owner !== 0) fail('region_area', `Diện tích khác với dòng ${region.owner}`);
          else regionChanged = true;
        }
      } else {
        newRegion = true;
        region = { db: null, product, description: row.region.description, areaHa: row.region.areaHa, changed: false, owner: row.line };
      }
    }

    if (errors.length > 0) {
      rowErrors.set(row.line, errors);
      continue;
    }
    for (const c of commits) c();
    const p = producer;
    if (newProducer) {
      work.producers.push(p);
      if (p.values.tax_code) producerByTax.set(p.values.tax_code, p);
      producerByNameAddress.set(nameAddress, p);
      effect(row.line, 'created', 'Chủ thể mới');
    } else if (p.values.tax_code) producerByTax.set(p.values.tax_code, p);
    if (p.db && p.changed.size > 0 && !work.producers.includes(p)) work.producers.push(p);
    if (newProduct) {
      work.products.push(product);
      productByKey.set(productKeyOf(p), product);
      effect(row.line, 'created', 'Sản phẩm mới');
    } else if (product.owner === 0) product.owner = row.line;
    if (evaluation && ev) {
      const key = `${product.db ? `db${product.db.id}` : `new${product.owner}`}|${ev.evaluatedOn}|${ev.councilLevel}`;
      evaluationByKey.set(key, evaluation);
      if (newEvaluation) {
        work.evaluations.push(evaluation);
        effect(row.line, 'created', `Kết quả đánh giá ${dmy(ev.evaluatedOn)}`);
      } else {
        if (evaluation.owner === 0) evaluation.owner = row.line;
        if (evaluationChanged) {
          evaluation.values = ev;
          evaluation.changed = true;
          if (!work.evaluations.includes(evaluation)) work.evaluations.push(evaluation);
          effect(row.line, 'updated', `Điểm đánh giá ${dmy(ev.evaluatedOn)}`);
        }
      }
    }
    if (certificate) {
      if (newCertificate) {
        chainOf(product).push(certificate);
        certificateByNumber.set(certificate.number, certificate);
        work.certificates.push(certificate);
        if (evaluation) evaluation.certificate = certificate;
        effect(row.line, 'created', `Giấy chứng nhận ${certificate.number}`);
      } else {
        certificate.owner = row.line;
        certificate.values = cert;
        certificate.evaluation = evaluation;
        if (revokes && cert?.revocation) {
          certificate.revoke = cert.revocation;
          effect(row.line, 'updated', `Thu hồi giấy ${certificate.number}`);
        }
      }
    }
    if (region) {
      if (newRegion) {
        work.regions.push(region);
        regionByKey.set(`${product.db ? `db${product.db.id}` : `new${product.owner}`}|${fold(region.description)}`, region);
        effect(row.line, 'created', 'Vùng nguyên liệu');
      } else {
        if (region.owner === 0) region.owner = row.line;
        if (regionChanged && row.region) {
          region.areaHa = row.region.areaHa;
          region.changed = true;
          work.regions.push(region);
          effect(row.line, 'updated', 'Diện tích vùng nguyên liệu');
        }
      }
    }
  }

  // Chains: each product's certificates by decision date.
  for (const [product, list] of certificatesOfProduct) {
    if (!list.some((c) => !c.db || c.revoke)) continue;
    list.sort((a, b) => compareIsoDates(a.decisionDate, b.decisionDate) || a.number.localeCompare(b.number));
    list.forEach((c, i) => {
      const next = list[i + 1] ?? null;
      const prev = list[i - 1] ?? null;
      const revoked = c.revoke !== null || (c.db ? c.db.status === 'revoked' : c.values?.status === 'revoked');
      const status: CertificateStatus = revoked ? 'revoked' : next ? 'superseded' : 'active';
      const prevRevoked = prev ? prev.revoke !== null || (prev.db ? prev.db.status === 'revoked' : prev.values?.status === 'revoked') : true;
      c.target = { status, predecessor: prevRevoked ? null : prev, supersededOn: status === 'superseded' ? next!.decisionDate : null };
      if (!c.db && c.values?.status === 'superseded' && status !== 'superseded') {
        lateErrors(c.owner, [{ field: 'status', messageVi: `Tình trạng ghi "Đã thay thế" nhưng không có giấy chứng nhận nào sau giấy ${c.number} của sản phẩm "${product.name}"` }]);
      }
      if (c.db) {
        const supersede = c.db.status === 'active' && status === 'superseded';
        const link = c.db.supersedes_id === null && c.target.predecessor !== null && c.target.predecessor.db === null;
        if (supersede) effect(next!.owner || c.owner, 'updated', `Giấy ${c.number} được thay bằng giấy ${next!.number}`);
        if (c.revoke || supersede || link) work.recorded.push(c);
      }
    });
  }
  return { work, rowErrors, late };
}

/** Reads and plans a sheet: the header row, then each row parsed and matched. */
export async function planRegisterImport(db: Db, sheet: { rows: { line: number; cells: string[] }[] }, mapping: ColumnMapping, now: Date): Promise<ImportPlan> {
  const state = await loadState(db);
  const parsed = sheet.rows.slice(1).map((r) => {
    return parseRegisterRow(r.line, r.cells, mapping, now);
  });
  // Errors only the whole file reveals remove their rows, then the rest is planned again
  // (a few rounds at most: each round only removes rows).
  const excluded = new Map<number, RowError[]>();
  let result = planOnce(state, parsed, excluded);
  for (let round = 0; round < 5 && result.late.size > 0; round++) {
    for (const [line, errors] of result.late) excluded.set(line, [...(excluded.get(line) ?? []), ...errors]);
    result = planOnce(state, parsed, excluded);
  }
  if (result.late.size > 0) throw new Error('register import: the plan did not settle');
  for (const [line, errors] of result.rowErrors) excluded.set(line, [...(excluded.get(line) ?? []), ...errors]);
  const { work } = result;

  const rows: PreviewRow[] = parsed.map((r) => {
    const errors = [...r.errors, ...(excluded.get(r.line) ?? [])];
    const effects = work.effects.get(r.line);
    const status: RowStatus = errors.length > 0 ? 'error' : effects?.created.length ? 'new' : effects?.updated.length ? 'update' : 'unchanged';
    return {
      line: r.line,
      status,
      producer: r.producer.name,
      product: r.product.name,
      certificate: r.certificate?.number ?? null,
      changes: errors.length > 0 ? [] : [...(effects?.created ?? []), ...(effects?.updated.map((u) => `Cập nhật: ${u}`) ?? [])],
      errors,
    };
  });
  const counts: ImportCounts = { rows: rows.length, new: 0, update: 0, unchanged: 0, error: 0 };
  for (const r of rows) counts[r.status]++;
  return { rows, counts, work };
}

// ---------------------------------------------------------------------------------------
// Apply

export interface ImportSource {
  fileName: string;
  sha256: string;
}

export interface AppliedImport {
  counts: ImportCounts;
  written: { producers: number; products: number; evaluations: number; certificates: number; regions: number };
}

const CHUNK = 500;

async function inChunks<I, O>(items: readonly I[], run: (chunk: I[]) => Promise<O[]>): Promise<O[]> {
  const out: O[] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(...(await run(items.slice(i, i + CHUNK))));
  return out;
}

async function allocateIds(trx: Db, table: 'producers' | 'products' | 'evaluations' | 'certificates', n: number): Promise<number[]> {
  if (n === 0) return [];
  const r = await sql<{ id: number | string }>`select nextval(pg_get_serial_sequence(${table}, 'id')) as id from generate_series(1, ${n})`.execute(trx);
  return r.rows.map((x) => Number(x.id));
}

/** Audit rows as audit() writes them, many per statement. */
async function auditMany(trx: Db, actor: Actor, entries: readonly AuditEntry[]): Promise<void> {
  await inChunks(entries, async (chunk) => {
    await trx
      .insertInto('audit_log')
      .values(
        chunk.map((e) => ({
          actor_user_id: actor.userId,
          actor_label: actor.label,
          action: e.action,
          entity: e.entity,
          entity_id: e.entityId === null ? null : String(e.entityId),
          before: e.before === undefined ? null : jsonb(e.before),
          after: e.after === undefined ? null : jsonb(e.after),
          reason: e.reason ?? null,
        })),
      )
      .execute();
    return [];
  });
}

/**
 * A product's address: its name, else its name and its producer's (as the demo data's
 * "hat-dieu-rang-muoi-ha-my"), else that with a number; the next number per base is
 * remembered, so ten thousand products of one name cost no more than ten.
 */
function freeSlug(taken: Set<string>, next: Map<string, number>, name: string, producerName: string): string {
  const claim = (slug: string) => {
    taken.add(slug);
    return slug;
  };
  const plain = slugify(name);
  if (!taken.has(plain)) return claim(plain);
  const withProducer = slugify(`${name} ${producerName}`);
  if (!taken.has(withProducer)) return claim(withProducer);
  const stem = withProducer.slice(0, 52).replace(/-+$/, '');
  for (let n = next.get(stem) ?? 2; ; n++) {
    const candidate = `${stem}-${n}`;
    if (!taken.has(candidate)) {
      next.set(stem, n + 1);
      return claim(candidate);
    }
  }
}

/**
 * Plans the sheet again inside one transaction (the database may have changed since the
 * preview) and writes every row without an error, with an audit entry per record written
 * and one for the import (file name, SHA-256, counts). Rows with errors are left out.
 */
export async function applyRegisterImport(
  db: Kysely<Database>,
  actor: Actor,
  source: ImportSource,
  sheet: { rows: { line: number; cells: string[] }[] },
  mapping: ColumnMapping,
  now: Date,
  /** More writes of the same transaction (marking the upload imported); throwing rolls all back. */
  within?: (trx: Transaction<Database>, result: AppliedImport) => Promise<void>,
): Promise<AppliedImport> {
  return db.transaction().execute(async (trx) => {
    const plan = await planRegisterImport(trx, sheet, mapping, now);
    const { work } = plan;
    const reason = `Nhập sổ đăng ký: ${source.fileName} (sha256 ${source.sha256.slice(0, 12)}…)`;
    const written = { producers: 0, products: 0, evaluations: 0, certificates: 0, regions: 0 };

    // New records go in as multi-row inserts with ids taken from their sequences first, so
    // products can name their new producers (and certificates their predecessors) before
    // anything is written: a 20,000-row register is a few hundred statements, not 100,000.
    const newProducers = work.producers.filter((p) => !p.db);
    const producerIds = await allocateIds(trx, 'producers', newProducers.length);
    newProducers.forEach((p, i) => (p.id = producerIds[i]!));
    const producerRows = await inChunks(newProducers, (chunk) =>
      trx
        .insertInto('producers')
        .values(chunk.map((p) => ({ id: p.id!, name: p.values.name!, legal_form: p.values.legal_form as LegalForm, tax_code: p.values.tax_code, representative: p.values.representative, address_line: p.values.address_line, phone: p.values.phone })))
        .returningAll()
        .execute(),
    );
    await auditMany(trx, actor, producerRows.map((row) => ({ action: 'producer.import', entity: 'producer', entityId: row.id, after: row, reason })));
    written.producers += producerRows.length;
    for (const p of work.producers.filter((x) => x.db)) {
      const before = await trx.selectFrom('producers').selectAll().where('id', '=', p.db!.id).executeTakeFirstOrThrow();
      const set: Partial<Record<ProducerField, string | null>> = {};
      for (const f of p.changed) set[f] = p.values[f];
      const after = await trx
        .updateTable('producers')
        .set({ ...set, name: set.name ?? before.name, legal_form: (set.legal_form ?? before.legal_form) as LegalForm, updated_at: now })
        .where('id', '=', p.db!.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await audit(trx, actor, { action: 'producer.import', entity: 'producer', entityId: p.db!.id, before, after, reason });
      written.producers++;
    }

    const slugs = new Set((await trx.selectFrom('products').select('slug').execute()).map((r) => r.slug));
    const slugNumbers = new Map<string, number>();
    const productIds = await allocateIds(trx, 'products', work.products.length);
    work.products.forEach((p, i) => (p.id = productIds[i]!));
    const productRows = await inChunks(work.products, (chunk) =>
      trx
        .insertInto('products')
        .values(chunk.map((p) => ({ id: p.id!, producer_id: (p.producer.id ?? p.producer.db?.id)!, name: p.name, slug: freeSlug(slugs, slugNumbers, p.name, p.producer.values.name ?? '') })))
        .returningAll()
        .execute(),
    );
    await auditMany(trx, actor, productRows.map((row) => ({ action: 'product.import', entity: 'product', entityId: row.id, after: row, reason })));
    written.products += productRows.length;

    const evaluationColumns = (v: PEvaluation['values']) => ({
      score_a: v.scoreA, score_b: v.scoreB, score_c: v.scoreC, total: v.total, mandatory_level: v.mandatoryLevel, stars: v.stars, council_level: v.councilLevel, evaluated_on: v.evaluatedOn,
    });
    const newEvaluations = work.evaluations.filter((e) => !e.db);
    const evaluationIds = await allocateIds(trx, 'evaluations', newEvaluations.length);
    newEvaluations.forEach((e, i) => (e.id = evaluationIds[i]!));
    const evaluationRows = await inChunks(newEvaluations, (chunk) =>
      trx
        .insertInto('evaluations')
        .values(chunk.map((e) => ({ ...evaluationColumns(e.values), id: e.id!, product_id: (e.product.id ?? e.product.db?.id)!, legal_basis_id: e.legalBasisId, note: 'Nhập từ sổ đăng ký', created_by: actor.userId })))
        .returningAll()
        .execute(),
    );
    await auditMany(trx, actor, evaluationRows.map((row) => ({ action: 'evaluation.import', entity: 'evaluation', entityId: row.id, after: row, reason })));
    written.evaluations += evaluationRows.length;
    for (const e of work.evaluations.filter((x) => x.db)) {
      const before = await trx.selectFrom('evaluations').selectAll().where('id', '=', e.db!.id).executeTakeFirstOrThrow();
      const after = await trx.updateTable('evaluations').set(evaluationColumns(e.values)).where('id', '=', e.db!.id).returningAll().executeTakeFirstOrThrow();
      await audit(trx, actor, { action: 'evaluation.import', entity: 'evaluation', entityId: e.db!.id, before, after, reason });
      written.evaluations++;
    }

    const newRegions = work.regions.filter((r) => !r.db);
    const regionRows = await inChunks(newRegions, (chunk) =>
      trx
        .insertInto('raw_material_regions')
        .values(chunk.map((r) => ({ product_id: (r.product.id ?? r.product.db?.id)!, description: r.description, area_ha: r.areaHa })))
        .returningAll()
        .execute(),
    );
    await auditMany(trx, actor, regionRows.map((row) => ({ action: 'region.import', entity: 'raw_material_region', entityId: row.id, after: row, reason })));
    written.regions += regionRows.length;
    for (const r of work.regions.filter((x) => x.db)) {
      const before = await trx.selectFrom('raw_material_regions').selectAll().where('id', '=', r.db!.id).executeTakeFirstOrThrow();
      const after = await trx.updateTable('raw_material_regions').set({ area_ha: r.areaHa }).where('id', '=', r.db!.id).returningAll().executeTakeFirstOrThrow();
      await audit(trx, actor, { action: 'region.import', entity: 'raw_material_region', entityId: r.db!.id, before, after, reason });
      written.regions++;
    }

    // Certificates: recorded ones leave the active state first (the database allows one
    // active certificate per product), then new ones in date order so each names its
    // predecessor, then a recorded first certificate is linked to an older imported one.
    const recordedChanges = work.recorded;
    for (const c of recordedChanges) {
      const db = c.db!;
      const target = c.target;
      if (c.revoke) {
        const before = await trx.selectFrom('certificates').selectAll().where('id', '=', db.id).forUpdate().executeTakeFirstOrThrow();
        const after = await trx
          .updateTable('certificates')
          .set({ status: 'revoked', revocation_decision_number: c.revoke.decisionNumber, revocation_date: c.revoke.date, revocation_ground: c.revoke.ground, revocation_note: c.revoke.note, revoked_by: actor.userId, revoked_at: now })
          .where('id', '=', db.id)
          .returningAll()
          .executeTakeFirstOrThrow();
        await audit(trx, actor, { action: 'certificate.revoke', entity: 'certificate', entityId: db.id, before, after, reason });
        written.certificates++;
      } else if (target && db.status === 'active' && target.status === 'superseded') {
        const before = await trx.selectFrom('certificates').selectAll().where('id', '=', db.id).forUpdate().executeTakeFirstOrThrow();
        const after = await trx
          .updateTable('certificates')
          .set({ status: 'superseded', superseded_at: vietnamDayStart(target.supersededOn!) })
          .where('id', '=', db.id)
          .returningAll()
          .executeTakeFirstOrThrow();
        await audit(trx, actor, { action: 'certificate.supersede', entity: 'certificate', entityId: db.id, before, after, reason });
        written.certificates++;
      }
    }

    // New certificates in date order, each naming its predecessor (allocated or recorded):
    // within one statement the foreign keys are checked at its end, and only the last of a
    // product's chain is active, so the one-active-per-product index always holds.
    const fresh = [...work.certificates].sort((a, b) => compareIsoDates(a.decisionDate, b.decisionDate) || a.number.localeCompare(b.number));
    const certificateIds = await allocateIds(trx, 'certificates', fresh.length);
    fresh.forEach((c, i) => (c.id = certificateIds[i]!));
    const certificateRows = await inChunks(fresh, (chunk) =>
      trx
        .insertInto('certificates')
        .values(
          chunk.map((c) => {
            const v = c.values!;
            const e = c.evaluation!;
            const target = c.target!;
            const revocation = target.status === 'revoked' ? v.revocation : null;
            return {
              id: c.id!,
              number: c.number,
              product_id: (c.product.id ?? c.product.db?.id)!,
              evaluation_id: (e.id ?? e.db?.id)!,
              stars: e.values.stars,
              decision_number: v.decisionNumber,
              decision_date: v.decisionDate,
              issuing_body: v.issuingBody,
              issuing_level: v.issuingLevel,
              legal_basis_id: e.legalBasisId,
              valid_from: v.decisionDate,
              valid_until: v.validUntil,
              status: target.status,
              supersedes_id: target.predecessor ? (target.predecessor.id ?? target.predecessor.db?.id ?? null) : null,
              superseded_at: target.status === 'superseded' ? vietnamDayStart(target.supersededOn!) : null,
              revocation_decision_number: revocation?.decisionNumber ?? null,
              revocation_date: revocation?.date ?? null,
              revocation_ground: revocation?.ground ?? null,
              revocation_note: revocation?.note ?? null,
              revoked_by: null,
              // When the revocation was recorded here; the decision's own date is revocation_date.
              revoked_at: revocation ? now : null,
            };
          }),
        )
        .returningAll()
        .execute(),
    );
    await auditMany(trx, actor, certificateRows.map((row) => ({ action: 'certificate.import', entity: 'certificate', entityId: row.id, after: row, reason })));
    written.certificates += certificateRows.length;

    // A recorded certificate that now has an imported predecessor.
    for (const c of recordedChanges) {
      const pred = c.target?.predecessor;
      if (!c.db || !pred || c.db.supersedes_id !== null || pred.db) continue;
      const before = await trx.selectFrom('certificates').selectAll().where('id', '=', c.db.id).executeTakeFirstOrThrow();
      const after = await trx.updateTable('certificates').set({ supersedes_id: pred.id }).where('id', '=', c.db.id).returningAll().executeTakeFirstOrThrow();
      await audit(trx, actor, { action: 'certificate.import_link', entity: 'certificate', entityId: c.db.id, before, after, reason });
    }

    await audit(trx, actor, {
      action: 'register.import',
      entity: 'register_import',
      entityId: source.sha256.slice(0, 16),
      after: { fileName: source.fileName, sha256: source.sha256, counts: plan.counts, written },
      reason,
    });
    const result = { counts: plan.counts, written };
    if (within) await within(trx, result);
    return result;
  });
}
