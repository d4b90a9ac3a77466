// The audit log in words an official reads (issue 12): action names ("Thu hồi giấy chứng
// nhận", not `certificate.revoke`), the record by its number or name (not "#10"), grounds and
// statuses in Vietnamese, and the change as "field: before → after" without internal ids.
// The stored rows keep their machine keys; the JSON API and its audit.csv answer with them.
import type { Kysely } from 'kysely';
import type { Database } from '../schema/database';
import type { AuditRow } from '../worker/db/audit';
import { TYPE_LABEL as UNIT_TYPE_NAMES } from '../worker/db/units';
import { STATE_LABELS } from '../worker/domain/certificate-state';
import { isStandardIndicator, PLAN_INDICATOR_INFO } from '../worker/domain/plan';
import {
  CERTIFICATE_STATUSES, COUNCIL_LEVEL_LABELS, KEY_STATUS_LABELS, LEGAL_FORM_LABELS, REPORT_STATUS_LABELS, REVOCATION_GROUND_LABELS, REVOCATION_GROUNDS, ROLE_LABELS,
  SALES_POINT_KIND_LABELS,
  type CertificateStatus,
} from '../worker/domain/vocabulary';
import { fmtDate, fmtDateTime } from './ui/format';

type Label = { vi: string; en: string };

export const ACTION_LABELS: Record<string, Label> = {
  'auth.login': { vi: 'Đăng nhập', en: 'Signed in' },
  'auth.logout': { vi: 'Đăng xuất', en: 'Signed out' },
  'batch.issue': { vi: 'Cấp lô mã', en: 'Batch issued' },
  'certificate.issue': { vi: 'Cấp giấy chứng nhận', en: 'Certificate issued' },
  'certificate.renew': { vi: 'Gia hạn giấy chứng nhận', en: 'Certificate renewed' },
  'certificate.supersede': { vi: 'Giấy chứng nhận được thay bằng giấy gia hạn', en: 'Certificate replaced by its renewal' },
  'certificate.revoke': { vi: 'Thu hồi giấy chứng nhận', en: 'Certificate revoked' },
  'certificate.expired': { vi: 'Ghi nhận giấy chứng nhận hết hạn', en: 'Certificate expiry recorded' },
  'certificate.decision_document': { vi: 'Tải lên bản quét quyết định công nhận', en: 'Decision scan uploaded' },
  'certificate.renewal_received': { vi: 'Ghi nhận đã nhận hồ sơ gia hạn', en: 'Renewal file received' },
  'certificate.renewal_refused': { vi: 'Ghi nhận từ chối gia hạn', en: 'Renewal refused' },
  'certificate.import': { vi: 'Nhập giấy chứng nhận từ sổ đăng ký', en: 'Certificate imported' },
  'certificate.import_link': { vi: 'Nối giấy chứng nhận với giấy gia hạn (nhập sổ)', en: 'Certificate linked to its renewal (import)' },
  'counterfeit.status': { vi: 'Cập nhật xử lý phản ánh hàng giả', en: 'Counterfeit report status changed' },
  'counterfeit.contact_erased': { vi: 'Xóa thông tin liên hệ người phản ánh (hết thời hạn lưu)', en: 'Reporter contacts erased (retention)' },
  'evaluation.create': { vi: 'Nhập kết quả đánh giá', en: 'Evaluation entered' },
  'evaluation.update': { vi: 'Sửa kết quả đánh giá', en: 'Evaluation changed' },
  'job.daily.run': { vi: 'Chạy tác vụ hằng ngày', en: 'Daily job run' },
  'key.withdraw': { vi: 'Thu hồi khóa ký', en: 'Signing key withdrawn' },
  'plan.create': { vi: 'Nhập kế hoạch OCOP', en: 'Plan entered' },
  'plan.update': { vi: 'Sửa kế hoạch OCOP', en: 'Plan changed' },
  'producer.create': { vi: 'Thêm chủ thể', en: 'Producer added' },
  'producer.update': { vi: 'Sửa thông tin chủ thể', en: 'Producer changed' },
  'producer.contact_update': { vi: 'Sửa thông tin liên hệ của chủ thể', en: 'Producer contact changed' },
  'producer.import': { vi: 'Nhập chủ thể từ sổ đăng ký', en: 'Producer imported' },
  'evaluation.import': { vi: 'Nhập kết quả đánh giá từ sổ đăng ký', en: 'Evaluation imported' },
  'product.import': { vi: 'Nhập sản phẩm từ sổ đăng ký', en: 'Product imported' },
  'product_photo.add': { vi: 'Thêm ảnh sản phẩm', en: 'Product photo added' },
  'product_photo.main': { vi: 'Chọn ảnh chính của sản phẩm', en: 'Main product photo chosen' },
  'product_photo.remove': { vi: 'Xóa ảnh sản phẩm', en: 'Product photo removed' },
  'region.import': { vi: 'Nhập vùng nguyên liệu từ sổ đăng ký', en: 'Raw-material region imported' },
  'register.import': { vi: 'Nhập sổ đăng ký OCOP', en: 'Register imported' },
  'sales_point.create': { vi: 'Thêm nơi bán', en: 'Sales point added' },
  'sales_point.update': { vi: 'Sửa nơi bán', en: 'Sales point changed' },
  'sales_point.delete': { vi: 'Xóa nơi bán', en: 'Sales point removed' },
  'unit.create': { vi: 'Thêm đơn vị hành chính', en: 'Administrative unit added' },
  'unit.update': { vi: 'Sửa đơn vị hành chính', en: 'Administrative unit changed' },
  'product.create': { vi: 'Thêm sản phẩm', en: 'Product added' },
  'product.update': { vi: 'Sửa thông tin sản phẩm', en: 'Product changed' },
  'reference.seed': { vi: 'Nạp dữ liệu danh mục', en: 'Reference data loaded' },
  'region.create': { vi: 'Thêm vùng nguyên liệu', en: 'Raw-material region added' },
  'region.delete': { vi: 'Xóa vùng nguyên liệu', en: 'Raw-material region removed' },
  'token.create': { vi: 'Tạo khóa API', en: 'API token created' },
  'token.revoke': { vi: 'Thu hồi khóa API', en: 'API token revoked' },
  'user.create': { vi: 'Tạo tài khoản', en: 'Account created' },
  'user.update': { vi: 'Sửa tài khoản', en: 'Account changed' },
  'user.delete': { vi: 'Xóa tài khoản', en: 'Account removed' },
  'user.password': { vi: 'Đặt lại mật khẩu', en: 'Password set' },
  'user.unlock': { vi: 'Mở khóa tài khoản', en: 'Account unlocked' },
};

export const ENTITY_LABELS: Record<string, Label> = {
  certificate: { vi: 'Giấy chứng nhận', en: 'Certificate' },
  evaluation: { vi: 'Kết quả đánh giá', en: 'Evaluation' },
  package_batch: { vi: 'Lô mã', en: 'Batch' },
  producer: { vi: 'Chủ thể', en: 'Producer' },
  product: { vi: 'Sản phẩm', en: 'Product' },
  user: { vi: 'Tài khoản', en: 'Account' },
  api_token: { vi: 'Khóa API', en: 'API token' },
  signing_key: { vi: 'Khóa ký', en: 'Signing key' },
  counterfeit_report: { vi: 'Phản ánh hàng giả', en: 'Counterfeit report' },
  job: { vi: 'Tác vụ', en: 'Job' },
  reference: { vi: 'Dữ liệu danh mục', en: 'Reference data' },
  plan: { vi: 'Kế hoạch', en: 'Plan' },
  admin_unit: { vi: 'Đơn vị hành chính', en: 'Administrative unit' },
  raw_material_region: { vi: 'Vùng nguyên liệu', en: 'Raw-material region' },
  register_import: { vi: 'Lần nhập sổ đăng ký', en: 'Register import' },
  sales_point: { vi: 'Nơi bán', en: 'Sales point' },
};

/** An action another part adds later without a label here still reads as words, never as a key. */
export function actionLabel(action: string): Label {
  const known = ACTION_LABELS[action];
  if (known) return known;
  const entity = ENTITY_LABELS[action.split('.')[0] ?? ''];
  return entity ? { vi: `${entity.vi}: thao tác khác`, en: `${entity.en}: other action` } : { vi: 'Thao tác khác', en: 'Other action' };
}

export function entityLabel(entity: string): Label {
  return ENTITY_LABELS[entity] ?? { vi: 'Đối tượng khác', en: 'Other record' };
}

const CERTIFICATE_STATUS_LABELS: Record<CertificateStatus, Label> = {
  active: { vi: 'Đang hiệu lực', en: 'In force' },
  revoked: STATE_LABELS.revoked,
  superseded: STATE_LABELS.superseded,
};

/** Known reasons written by the system, in Vietnamese. */
const SYSTEM_REASONS: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^valid_until passed$/, () => 'Hết thời hạn hiệu lực'],
  [/^reset by an admin$/, () => 'Quản trị viên đặt lại mật khẩu'],
  [/^demo account removed before deployment$/, () => 'Xóa tài khoản thử nghiệm trước khi vận hành'],
  [/^retention: contacts older than (\d+) months$/, (m) => `Hết thời hạn lưu: liên hệ quá ${m[1]} tháng`],
];

/** A reason in Vietnamese: revocation grounds by name, the system's own reasons translated, people's notes as typed. */
export function reasonText(reason: string | null): string {
  if (!reason) return '';
  for (const [re, f] of SYSTEM_REASONS) {
    const m = re.exec(reason);
    if (m) return f(m);
  }
  let out = reason;
  for (const g of REVOCATION_GROUNDS) out = out.replace(new RegExp(`(^|[\\s:])${g}(?=$|[\\s—,;.])`, 'g'), `$1${REVOCATION_GROUND_LABELS[g].vi}`);
  return out;
}

const FIELD_LABELS: Record<string, string> = {
  name: 'Tên', number: 'Số giấy chứng nhận', stars: 'Hạng sao', status: 'Trạng thái', email: 'Email', role: 'Vai trò',
  legal_form: 'Loại hình', tax_code: 'Mã số thuế', representative: 'Người đại diện', female_led: 'Phụ nữ làm chủ', ethnic_minority_led: 'Người dân tộc thiểu số làm chủ',
  address_line: 'Địa chỉ', phone: 'Điện thoại', slug: 'Đường dẫn', description: 'Mô tả', decision_number: 'Số quyết định', decision_date: 'Ngày quyết định',
  issuing_body: 'Cơ quan cấp', issuing_level: 'Cấp ban hành', council_level: 'Cấp hội đồng', valid_from: 'Hiệu lực từ', valid_until: 'Hiệu lực đến',
  revocation_decision_number: 'Số quyết định thu hồi', revocation_date: 'Ngày thu hồi', revocation_ground: 'Lý do thu hồi', revocation_note: 'Ghi chú thu hồi',
  lot_code: 'Số lô', quantity: 'Số lượng mã', production_date: 'Ngày sản xuất', best_before: 'Hạn sử dụng', disabled: 'Khóa tài khoản',
  score_a: 'Điểm phần A', score_b: 'Điểm phần B', score_c: 'Điểm phần C', total_score: 'Tổng điểm', evaluated_on: 'Ngày đánh giá', mandatory_level: 'Mức tiêu chí bắt buộc',
  legal_basis: 'Căn cứ', period_start: 'Từ ngày', period_end: 'Đến ngày', note: 'Ghi chú', area_name: 'Địa bàn', targets: 'Chỉ tiêu',
  legalBasis: 'Căn cứ', periodStart: 'Từ ngày', periodEnd: 'Đến ngày', today: 'Ngày', expiredRecorded: 'Số giấy hết hạn ghi nhận', expiringSoon: 'Số giấy sắp hết hạn',
  area_ha: 'Diện tích (ha)', code_text: 'Mã trên nhãn', contact: 'Liên hệ', failed_logins: 'Số lần đăng nhập sai', gtin: 'Mã GTIN', last_used_at: 'Dùng lần cuối',
  latitude: 'Vĩ độ', longitude: 'Kinh độ', locked_until: 'Khóa đến', message: 'Nội dung', place: 'Nơi', revoked_at: 'Thu hồi lúc', serial: 'Số thứ tự mã',
  total: 'Tổng điểm', withdrawn_at: 'Thu hồi lúc', unit: 'Đơn vị', target: 'Chỉ tiêu', actual: 'Thực hiện', indicator: 'Chỉ tiêu',
  units: 'Đơn vị hành chính', legal_bases: 'Văn bản pháp lý', withdrawn_reason: 'Lý do thu hồi khóa', kid: 'Khóa', retention_months: 'Thời hạn lưu (tháng)',
  url: 'Trang web', website: 'Trang web', zalo: 'Zalo', kind: 'Loại', opening_hours: 'Giờ mở cửa', illustrative: 'Dữ liệu minh họa', product_ids: 'Sản phẩm bán tại đây',
  received_on: 'Ngày nhận hồ sơ', refused_on: 'Ngày từ chối', refusal_note: 'Lý do từ chối', file_name: 'Tên tệp', sha256: 'Mã băm SHA-256', bytes: 'Dung lượng (byte)',
  width: 'Chiều rộng (px)', height: 'Chiều cao (px)', is_main: 'Ảnh chính', gso_code: 'Mã GSO', unit_type: 'Loại đơn vị', predecessor_ids: 'Đơn vị trước sắp xếp',
};

const INTERNAL_FIELDS = new Set(['revoked_by', 'created_by', 'status_index', 'key_number', 'client_hash', 'password_hash', 'public_jwk']);

/** Fields that are internal: ids, hashes, index helpers, bookkeeping times. Never shown to people. */
function internal(key: string): boolean {
  return INTERNAL_FIELDS.has(key) || key.startsWith('search_') || key === 'id' || key.endsWith('_id') || key.endsWith('Id') || key === 'ids' || key.endsWith('_hash') || key === 'token_hash' || key === 'session_version' || key === 'created_at' || key === 'updated_at' || key === 'superseded_at' || key === 'position' || key === 'created_before' || key === 'key_public_jwk';
}

function enumValue(key: string, v: string, entity: string): string | null {
  if (key === 'revocation_ground' && v in REVOCATION_GROUND_LABELS) return REVOCATION_GROUND_LABELS[v as keyof typeof REVOCATION_GROUND_LABELS].vi;
  if (key === 'legal_form' && v in LEGAL_FORM_LABELS) return LEGAL_FORM_LABELS[v as keyof typeof LEGAL_FORM_LABELS].vi;
  if (key === 'role' && v in ROLE_LABELS) return ROLE_LABELS[v as keyof typeof ROLE_LABELS].vi;
  if ((key === 'council_level' || key === 'issuing_level') && v in COUNCIL_LEVEL_LABELS) return COUNCIL_LEVEL_LABELS[v as keyof typeof COUNCIL_LEVEL_LABELS].vi;
  if (key === 'status') {
    if (entity === 'certificate' && (CERTIFICATE_STATUSES as readonly string[]).includes(v)) return CERTIFICATE_STATUS_LABELS[v as CertificateStatus].vi;
    if (entity === 'signing_key' && v in KEY_STATUS_LABELS) return KEY_STATUS_LABELS[v as keyof typeof KEY_STATUS_LABELS].vi;
    if (entity === 'counterfeit_report' && v in REPORT_STATUS_LABELS) return REPORT_STATUS_LABELS[v as keyof typeof REPORT_STATUS_LABELS].vi;
  }
  if (key === 'kind' && entity === 'sales_point' && v in SALES_POINT_KIND_LABELS) return SALES_POINT_KIND_LABELS[v as keyof typeof SALES_POINT_KIND_LABELS].vi;
  if (key === 'kind' && (v === 'product' || v === 'package')) return v === 'product' ? 'Ảnh sản phẩm' : 'Ảnh bao bì';
  if (key === 'unit_type' && v in UNIT_TYPE_NAMES) return UNIT_TYPE_NAMES[v as keyof typeof UNIT_TYPE_NAMES];
  if (key === 'indicator') return isStandardIndicator(v) ? PLAN_INDICATOR_INFO[v].vi : 'Chỉ tiêu khác';
  return null;
}

function valueText(key: string, v: unknown, entity: string): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return v ? 'Có' : 'Không';
  if (typeof v === 'number') return key === 'stars' ? `${v} sao` : String(v);
  if (typeof v === 'string') {
    const e = enumValue(key, v, entity);
    if (e) return e;
    if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return fmtDate(v);
    if (/^\d{4}-\d{2}-\d{2}T/.test(v)) return fmtDateTime(v);
    return v;
  }
  if (Array.isArray(v)) {
    if (key === 'targets') {
      return v
        .map((t) => {
          const r = t as { indicator?: string; name?: string | null; target?: number };
          const name = r.indicator && isStandardIndicator(r.indicator) ? PLAN_INDICATOR_INFO[r.indicator].vi : (r.name ?? 'Chỉ tiêu khác');
          return `${name} ≥ ${r.target ?? ''}`;
        })
        .join('; ');
    }
    return `${v.length} mục`;
  }
  return '…';
}

export interface ChangeLine {
  field: string;
  before: string | null;
  after: string | null;
}

/** What changed, field by field, in words: for an update the changed fields, for a creation the record's fields. */
export function changeLines(row: Pick<AuditRow, 'entity' | 'before' | 'after'>): ChangeLine[] {
  const obj = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
  const before = obj(row.before);
  const after = obj(row.after);
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => !internal(k));
  const lines: ChangeLine[] = [];
  for (const k of keys) {
    const b = k in before ? valueText(k, before[k], row.entity) : null;
    const a = k in after ? valueText(k, after[k], row.entity) : null;
    if (row.before !== null && row.after !== null && b === a) continue;
    lines.push({ field: FIELD_LABELS[k] ?? k.replace(/_/g, ' '), before: b, after: a });
  }
  return lines;
}

/**
 * Names of the records audit rows are about, by entity and id: a certificate by its number
 * and product, a producer or product by its name. Loaded in one query per entity for a page.
 */
export async function entityNames(db: Kysely<Database>, rows: readonly Pick<AuditRow, 'entity' | 'entity_id'>[]): Promise<Map<string, string>> {
  const ids = (entity: string) => [...new Set(rows.filter((r) => r.entity === entity && r.entity_id && /^\d{1,9}$/.test(r.entity_id)).map((r) => Number(r.entity_id)))];
  const names = new Map<string, string>();
  const put = (entity: string, id: number | string, name: string) => names.set(`${entity}:${id}`, name);
  const certs = ids('certificate');
  if (certs.length) {
    for (const r of await db.selectFrom('certificates as c').innerJoin('products as p', 'p.id', 'c.product_id').select(['c.id', 'c.number', 'p.name']).where('c.id', 'in', certs).execute()) put('certificate', r.id, `${r.number} (${r.name})`);
  }
  const producers = ids('producer');
  if (producers.length) for (const r of await db.selectFrom('producers').select(['id', 'name']).where('id', 'in', producers).execute()) put('producer', r.id, r.name);
  const products = ids('product');
  if (products.length) for (const r of await db.selectFrom('products').select(['id', 'name']).where('id', 'in', products).execute()) put('product', r.id, r.name);
  const evaluations = ids('evaluation');
  if (evaluations.length) {
    for (const r of await db.selectFrom('evaluations as e').innerJoin('products as p', 'p.id', 'e.product_id').select(['e.id', 'p.name', 'e.evaluated_on']).where('e.id', 'in', evaluations).execute()) {
      put('evaluation', r.id, `${r.name}, ngày ${fmtDate(r.evaluated_on)}`);
    }
  }
  const batches = ids('package_batch');
  if (batches.length) {
    for (const r of await db.selectFrom('package_batches as b').innerJoin('certificates as c', 'c.id', 'b.certificate_id').innerJoin('products as p', 'p.id', 'c.product_id').select(['b.id', 'b.lot_code', 'p.name']).where('b.id', 'in', batches).execute()) {
      put('package_batch', r.id, `lô ${r.lot_code} (${r.name})`);
    }
  }
  const users = ids('user');
  if (users.length) for (const r of await db.selectFrom('users').select(['id', 'email']).where('id', 'in', users).execute()) put('user', r.id, r.email);
  const tokens = ids('api_token');
  if (tokens.length) for (const r of await db.selectFrom('api_tokens').select(['id', 'name']).where('id', 'in', tokens).execute()) put('api_token', r.id, r.name);
  const plans = ids('plan');
  if (plans.length) for (const r of await db.selectFrom('plans').select(['id', 'name']).where('id', 'in', plans).execute()) put('plan', r.id, r.name);
  const reports = ids('counterfeit_report');
  if (reports.length) {
    const rows = await db
      .selectFrom('counterfeit_reports as cr')
      .leftJoin('certificates as c', 'c.id', 'cr.certificate_id')
      .leftJoin('products as p', 'p.id', 'c.product_id')
      .select(['cr.id', 'cr.created_at', 'p.name'])
      .where('cr.id', 'in', reports)
      .execute();
    for (const r of rows) {
      put('counterfeit_report', r.id, `phản ánh ngày ${fmtDateTime(r.created_at)}${r.name ? ` về ${r.name}` : ''}`);
    }
  }
  return names;
}

/** The record an audit row is about, in words: "Giấy chứng nhận BP-OCOP-2023-021 (Hạt điều rang muối)". */
export function subjectText(row: Pick<AuditRow, 'entity' | 'entity_id'>, names: ReadonlyMap<string, string>): string {
  const kind = entityLabel(row.entity).vi;
  if (row.entity === 'job') return 'Tác vụ hằng ngày';
  if (row.entity === 'reference') return kind;
  if (row.entity === 'signing_key' && row.entity_id) return `${kind} ${row.entity_id}`;
  const name = row.entity_id ? names.get(`${row.entity}:${row.entity_id}`) : undefined;
  if (name) return `${kind} ${name}`;
  return row.entity_id ? `${kind} (không còn trong hệ thống)` : kind;
}

/** Who acted, in words: the system's own actors named in Vietnamese, people by their email, tokens by name. */
export function actorText(label: string): string {
  if (label === 'system') return 'Hệ thống (tự động)';
  if (label === 'seed') return 'Dữ liệu khởi tạo';
  if (label === 'cli') return 'Dòng lệnh quản trị';
  const token = /^token:\d+ (.+)$/.exec(label);
  if (token) return `Khóa API "${token[1]}"`;
  return label;
}
