// One register row read into what it says about a producer, a product, an evaluation, a
// certificate and a raw-material region, with every problem found in the row alone (a
// Vietnamese message on its field). Matching against the database is worker/db/register-import.ts.
// Historical decisions are checked by the same issuance rules as a new one (domain/issuance):
// stars follow the scores, 5★ only from a national council, the body must have been allowed
// to recognise those stars on the decision date, the decision follows the evaluation, no
// date lies in the future, a revocation follows its certificate and "other" is explained.
import { PROCESS_CHANGE_DATE } from './bodies';
import { todayInVietnam, type IsoDate } from './dates';
import { DomainError } from './errors';
import { checkIssuable, checkRevocable, checkRevocation, evaluationResult } from './issuance';
import type { RegisterField, ColumnMapping } from './register-columns';
import {
  issuingLevelFromBody, legalFormFromName, parseCertificateNumber, parseCouncilLevel, parseIssuingLevel, parseLegalForm,
  parseRegisterDate, parseRegisterNumber, parseRegisterStars, parseRegisterStatus, parseRevocationGround, parseTaxCode,
  type Parsed, type RegisterStatus,
} from './register-values';
import type { Stars } from './stars';
import { validUntil } from './validity';
import type { CouncilLevel, IssuingLevel, LegalForm, RevocationGround } from './vocabulary';

export interface RowError {
  field: RegisterField | null;
  messageVi: string;
}

export interface RegisterRow {
  line: number;
  /** The legal form came from its own column (not read from the producer's name). */
  legalFormStated: boolean;
  producer: { name: string; legalForm: LegalForm | null; taxCode: string | null; representative: string | null; address: string | null; phone: string | null };
  product: { name: string };
  evaluation: { evaluatedOn: IsoDate; councilLevel: CouncilLevel; scoreA: number; scoreB: number; scoreC: number; total: number; mandatoryLevel: number; stars: number } | null;
  certificate: {
    number: string;
    decisionNumber: string;
    decisionDate: IsoDate;
    issuingBody: string;
    issuingLevel: IssuingLevel;
    validUntil: IsoDate;
    /** As the file says (or blank): the final status is settled with the product's other certificates. */
    status: RegisterStatus | null;
    revocation: { decisionNumber: string; date: IsoDate; ground: RevocationGround; note: string | null } | null;
  } | null;
  region: { description: string; areaHa: number | null } | null;
  errors: RowError[];
}

const MAX_TEXT = 200;

/** The row's cells by field, trimmed; absent and blank cells are omitted. */
export function rowCells(cells: readonly string[], mapping: ColumnMapping): Partial<Record<RegisterField, string>> {
  const out: Partial<Record<RegisterField, string>> = {};
  mapping.forEach((f, i) => {
    const v = cells[i]?.trim();
    if (f && v) out[f] = v;
  });
  return out;
}

export function parseRegisterRow(line: number, cells: readonly string[], mapping: ColumnMapping, now: Date): RegisterRow {
  const v = rowCells(cells, mapping);
  const errors: RowError[] = [];
  const fail = (field: RegisterField | null, messageVi: string) => errors.push({ field, messageVi });
  function read<T>(field: RegisterField, parse: (s: string) => Parsed<T>): T | null {
    const raw = v[field];
    if (raw === undefined) return null;
    const r = parse(raw);
    if (r.ok) return r.value;
    fail(field, r.messageVi);
    return null;
  }
  const text = (field: RegisterField): string | null => {
    const raw = v[field]?.replace(/\s+/g, ' ');
    if (raw === undefined) return null;
    if (raw.length > MAX_TEXT) {
      fail(field, `Dài quá ${MAX_TEXT} ký tự`);
      return null;
    }
    return raw;
  };
  const domain = (field: RegisterField | null, run: () => void) => {
    try {
      run();
    } catch (error) {
      if (error instanceof DomainError) fail(field, error.messageVi);
      else throw error;
    }
  };

  const producerName = text('producer_name');
  if (!producerName) fail('producer_name', 'Thiếu tên chủ thể');
  else if (producerName.length < 2) fail('producer_name', 'Tên chủ thể quá ngắn');
  const productName = text('product_name');
  if (!productName) fail('product_name', 'Thiếu tên sản phẩm');
  else if (productName.length < 2) fail('product_name', 'Tên sản phẩm quá ngắn');
  const legalForm = read('legal_form', parseLegalForm) ?? (producerName ? legalFormFromName(producerName) : null);
  const producer = {
    name: producerName ?? '',
    legalForm,
    taxCode: read('tax_code', parseTaxCode),
    representative: text('representative'),
    address: text('address'),
    phone: text('phone'),
  };

  // Evaluation: present when any of its cells is.
  const evaluatedOn = read('evaluated_on', parseRegisterDate);
  const scoreA = read('score_a', (s) => parseRegisterNumber(s, 'Điểm phần A'));
  const scoreB = read('score_b', (s) => parseRegisterNumber(s, 'Điểm phần B'));
  const scoreC = read('score_c', (s) => parseRegisterNumber(s, 'Điểm phần C'));
  const statedStars = read('stars', parseRegisterStars);
  const statedMandatory = read('mandatory_level', parseRegisterStars);
  const statedCouncil = read('council_level', parseCouncilLevel);
  const wantsEvaluation = ['evaluated_on', 'score_a', 'score_b', 'score_c', 'council_level', 'mandatory_level'].some((f) => v[f as RegisterField] !== undefined);

  // Certificate: present when its number is; its other cells without a number are an error.
  const certNumber = read('certificate_number', parseCertificateNumber);
  const decisionNumber = text('decision_number');
  const decisionDate = read('decision_date', parseRegisterDate);
  const issuingBody = text('issuing_body');
  const statedLevel = read('issuing_level', parseIssuingLevel);
  const statedStatus = read('status', parseRegisterStatus);
  const revNumber = text('revocation_number');
  const revDate = read('revocation_date', parseRegisterDate);
  const revGround = v.revocation_ground !== undefined ? parseRevocationGround(v.revocation_ground) : null;
  const certFields: RegisterField[] = ['decision_number', 'decision_date', 'issuing_body', 'issuing_level', 'status', 'revocation_number', 'revocation_date', 'revocation_ground'];
  const wantsCertificate = v.certificate_number !== undefined;
  if (!wantsCertificate && certFields.some((f) => v[f] !== undefined)) fail('certificate_number', 'Có thông tin quyết định nhưng thiếu số giấy chứng nhận');

  let evaluation: RegisterRow['evaluation'] = null;
  if (wantsEvaluation || wantsCertificate) {
    if (scoreA === null || scoreB === null || scoreC === null || evaluatedOn === null) {
      for (const [f, val, label] of [['score_a', scoreA, 'Điểm phần A'], ['score_b', scoreB, 'Điểm phần B'], ['score_c', scoreC, 'Điểm phần C'], ['evaluated_on', evaluatedOn, 'Ngày đánh giá']] as const) {
        if (val === null && v[f] === undefined) fail(f, `Thiếu ${label}: kết quả đánh giá được lưu theo điểm từng phần và ngày đánh giá`);
      }
    } else {
      const bodyLevel = statedLevel ?? (issuingBody ? issuingLevelFromBody(issuingBody) : null);
      // The council that evaluated: as stated; else the level that recognised the stars.
      const councilLevel: CouncilLevel | null = statedCouncil ?? bodyLevel ?? (statedStars === 5 ? 'national' : statedStars !== null ? 'province' : null);
      if (councilLevel === null) fail('council_level', 'Thiếu cấp đánh giá (Cấp huyện, Cấp tỉnh, Trung ương)');
      else {
        // Without a stated mandatory-criteria level, the stated stars are it (the stars are the
        // lower of the two); with neither, the stars are the score band's.
        const mandatoryLevel = (statedMandatory ?? statedStars ?? 5) as Stars;
        domain('score_a', () => {
          const result = evaluationResult({ scoreA, scoreB, scoreC, mandatoryLevel, evaluatedOn }, now);
          if (statedStars !== null && statedStars !== result.stars) {
            fail('stars', `Hạng sao ghi ${statedStars} nhưng điểm (tổng ${result.total}) và tiêu chí bắt buộc cho ${result.stars} sao`);
          } else {
            evaluation = { evaluatedOn, councilLevel, scoreA, scoreB, scoreC, total: result.total, mandatoryLevel, stars: result.stars };
          }
        });
      }
    }
  }

  let certificate: RegisterRow['certificate'] = null;
  if (wantsCertificate && certNumber !== null) {
    if (!decisionNumber) fail('decision_number', 'Thiếu số quyết định công nhận');
    if (decisionDate === null && v.decision_date === undefined) fail('decision_date', 'Thiếu ngày quyết định');
    if (!issuingBody) fail('issuing_body', 'Thiếu cơ quan công nhận');
    const ev = evaluation as RegisterRow['evaluation'];
    const stars = ev?.stars ?? statedStars;
    let level: IssuingLevel | null = statedLevel ?? (issuingBody ? issuingLevelFromBody(issuingBody) : null);
    if (level === null && stars !== null && decisionDate !== null) {
      if (stars === 5) level = 'national';
      else if (stars === 4 || decisionDate >= PROCESS_CHANGE_DATE) level = 'province';
    }
    if (level === null && issuingBody) fail('issuing_level', 'Không rõ cấp công nhận: hãy thêm cột "Cấp công nhận" (Cấp huyện, Cấp tỉnh, Trung ương)');
    let status: RegisterStatus | null = statedStatus;
    let revocation: NonNullable<RegisterRow['certificate']>['revocation'] = null;
    const wantsRevocation = revNumber !== null || v.revocation_date !== undefined || revGround !== null;
    if (wantsRevocation && status === null) status = 'revoked';
    if (wantsRevocation && status !== 'revoked') fail('status', 'Có quyết định thu hồi nhưng tình trạng không phải "Đã thu hồi"');
    if (status === 'revoked') {
      if (!revNumber) fail('revocation_number', 'Giấy đã thu hồi cần số quyết định thu hồi');
      if (revDate === null && v.revocation_date === undefined) fail('revocation_date', 'Giấy đã thu hồi cần ngày thu hồi');
      if (revGround === null) fail('revocation_ground', 'Giấy đã thu hồi cần lý do thu hồi');
      if (revNumber && revDate !== null && revGround !== null) {
        revocation = { decisionNumber: revNumber, date: revDate, ground: revGround.ground, note: revGround.note };
        domain('revocation_date', () => checkRevocation([0], { date: revDate, ground: revGround.ground, note: revGround.note }, now));
        if (decisionDate !== null) domain('revocation_date', () => checkRevocable({ number: certNumber, status: 'active', decision_date: decisionDate }, { date: revDate }));
      }
    }
    if (ev && decisionDate !== null && level !== null) {
      domain('decision_date', () => checkIssuable({ stars: ev.stars, council_level: ev.councilLevel, evaluated_on: ev.evaluatedOn }, { issuingLevel: level, decisionDate }, undefined, now));
    }
    if (decisionDate !== null) {
      const until = validUntil(decisionDate);
      if (status === 'expired' && until >= todayInVietnam(now)) fail('status', `Tình trạng ghi "Hết hạn" nhưng giấy còn hạn đến ${until.split('-').reverse().join('/')}`);
      if (ev && decisionNumber && issuingBody && level !== null) {
        certificate = { number: certNumber, decisionNumber, decisionDate, issuingBody, issuingLevel: level, validUntil: until, status, revocation };
      }
    }
  }

  let region: RegisterRow['region'] = null;
  const regionText = text('region');
  const area = read('region_area', (s) => parseRegisterNumber(s, 'Diện tích'));
  if (area !== null && (area <= 0 || area > 1_000_000)) fail('region_area', 'Diện tích phải lớn hơn 0 ha');
  if (regionText) region = { description: regionText, areaHa: area };
  else if (v.region_area !== undefined) fail('region', 'Có diện tích nhưng thiếu mô tả vùng nguyên liệu');

  return { line, legalFormStated: v.legal_form !== undefined, producer, product: { name: productName ?? '' }, evaluation, certificate, region, errors };
}
