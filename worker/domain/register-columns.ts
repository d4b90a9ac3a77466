// The columns of a register import: what each holds, its header in the template, and the
// headers offices actually use for it. A file's headers are matched after folding (no
// diacritics, lower case, punctuation as spaces), so "SỐ QĐ", "Số QĐ:" and "so qd" all match.
import { foldVietnamese } from './search';

export const REGISTER_FIELDS = [
  'producer_name', 'legal_form', 'tax_code', 'representative', 'address', 'phone',
  'product_name',
  'evaluated_on', 'council_level', 'score_a', 'score_b', 'score_c', 'mandatory_level', 'stars',
  'certificate_number', 'decision_number', 'decision_date', 'issuing_body', 'issuing_level', 'status',
  'revocation_number', 'revocation_date', 'revocation_ground',
  'region', 'region_area',
] as const;
export type RegisterField = (typeof REGISTER_FIELDS)[number];

export function isRegisterField(s: unknown): s is RegisterField {
  return typeof s === 'string' && (REGISTER_FIELDS as readonly string[]).includes(s);
}

interface FieldSpec {
  /** The template's header, also the label on the mapping and preview pages. */
  header: string;
  en: string;
  synonyms: readonly string[];
  /** Shown in the template's example row. */
  example: string;
}

export const REGISTER_COLUMNS: Record<RegisterField, FieldSpec> = {
  producer_name: { header: 'Chủ thể', en: 'Producer', synonyms: ['Tên chủ thể', 'Chủ thể OCOP', 'Chủ thể sản xuất', 'Tên chủ thể sản xuất', 'Cơ sở sản xuất', 'Tên cơ sở', 'Đơn vị sản xuất', 'Tên doanh nghiệp/HTX', 'Tên đơn vị'], example: 'HTX Nông nghiệp Điều Bù Đăng' },
  legal_form: { header: 'Loại hình chủ thể', en: 'Legal form', synonyms: ['Loại hình', 'Hình thức tổ chức', 'Loại hình tổ chức', 'Loại chủ thể'], example: 'Hợp tác xã' },
  tax_code: { header: 'Mã số thuế', en: 'Tax code', synonyms: ['MST', 'Mã số DN', 'Mã số doanh nghiệp', 'Mã số HTX', 'Mã số thuế/ĐKKD'], example: '3801234567' },
  representative: { header: 'Người đại diện', en: 'Representative', synonyms: ['Đại diện', 'Người đại diện theo pháp luật', 'Chủ cơ sở', 'Giám đốc'], example: 'Nguyễn Thị Hoa' },
  address: { header: 'Địa chỉ', en: 'Address', synonyms: ['Địa chỉ chủ thể', 'Địa chỉ trụ sở', 'Trụ sở', 'Địa chỉ sản xuất'], example: 'Thôn 3, xã Bù Đăng, tỉnh Đồng Nai' },
  phone: { header: 'Điện thoại', en: 'Phone', synonyms: ['Số điện thoại', 'SĐT', 'ĐT', 'Điện thoại liên hệ'], example: '0271 3880 123' },
  product_name: { header: 'Tên sản phẩm', en: 'Product', synonyms: ['Sản phẩm', 'Tên SP', 'Sản phẩm OCOP', 'Tên sản phẩm OCOP'], example: 'Hạt điều rang muối' },
  evaluated_on: { header: 'Ngày đánh giá', en: 'Evaluation date', synonyms: ['Ngày chấm điểm', 'Ngày họp hội đồng', 'Ngày đánh giá phân hạng'], example: '15/05/2023' },
  council_level: { header: 'Cấp đánh giá', en: 'Council level', synonyms: ['Cấp hội đồng', 'Hội đồng đánh giá', 'Hội đồng'], example: 'Cấp tỉnh' },
  score_a: { header: 'Điểm phần A', en: 'Score A', synonyms: ['Điểm A', 'Phần A'], example: '32' },
  score_b: { header: 'Điểm phần B', en: 'Score B', synonyms: ['Điểm B', 'Phần B'], example: '20' },
  score_c: { header: 'Điểm phần C', en: 'Score C', synonyms: ['Điểm C', 'Phần C'], example: '24' },
  mandatory_level: { header: 'Hạng đạt tiêu chí bắt buộc', en: 'Mandatory criteria level', synonyms: ['Tiêu chí bắt buộc', 'Mức tiêu chí bắt buộc'], example: '' },
  stars: { header: 'Hạng sao', en: 'Stars', synonyms: ['Số sao', 'Hạng', 'Xếp hạng', 'Phân hạng', 'Sao', 'Hạng OCOP', 'Kết quả phân hạng'], example: '4 sao' },
  certificate_number: { header: 'Số giấy chứng nhận', en: 'Certificate number', synonyms: ['Số GCN', 'Số giấy CN', 'Mã GCN', 'Số chứng nhận', 'Số giấy chứng nhận OCOP'], example: 'DN-OCOP-2023-014' },
  decision_number: { header: 'Số quyết định', en: 'Decision number', synonyms: ['Số QĐ', 'Quyết định số', 'QĐ số', 'Số quyết định công nhận', 'Số QĐ công nhận', 'Quyết định công nhận'], example: '1234/QĐ-UBND' },
  decision_date: { header: 'Ngày quyết định', en: 'Decision date', synonyms: ['Ngày QĐ', 'Ngày ký', 'Ngày công nhận', 'Ngày cấp', 'Ngày ký QĐ', 'Ngày quyết định công nhận'], example: '30/06/2023' },
  issuing_body: { header: 'Cơ quan công nhận', en: 'Issuing body', synonyms: ['Cơ quan cấp', 'Đơn vị cấp', 'Cơ quan ban hành', 'Cơ quan quyết định'], example: 'UBND tỉnh Bình Phước' },
  issuing_level: { header: 'Cấp công nhận', en: 'Issuing level', synonyms: ['Cấp quyết định', 'Cấp ban hành'], example: 'Cấp tỉnh' },
  status: { header: 'Tình trạng', en: 'Status', synonyms: ['Trạng thái', 'Hiệu lực', 'Tình trạng hiệu lực', 'Tình trạng GCN'], example: 'Còn hiệu lực' },
  revocation_number: { header: 'Số QĐ thu hồi', en: 'Revocation decision', synonyms: ['Số quyết định thu hồi', 'QĐ thu hồi', 'Quyết định thu hồi'], example: '' },
  revocation_date: { header: 'Ngày thu hồi', en: 'Revocation date', synonyms: ['Ngày QĐ thu hồi', 'Ngày quyết định thu hồi'], example: '' },
  revocation_ground: { header: 'Lý do thu hồi', en: 'Revocation ground', synonyms: ['Căn cứ thu hồi', 'Lý do'], example: '' },
  region: { header: 'Vùng nguyên liệu', en: 'Raw-material region', synonyms: ['Vùng nguyên liệu chính', 'Nguồn nguyên liệu', 'Vùng trồng'], example: 'Vườn điều xã Bù Đăng' },
  region_area: { header: 'Diện tích vùng nguyên liệu (ha)', en: 'Region area (ha)', synonyms: ['Diện tích (ha)', 'Diện tích', 'Diện tích vùng nguyên liệu', 'Quy mô (ha)'], example: '120,5' },
};

/** Fields without which a row means nothing. */
export const REQUIRED_FIELDS: readonly RegisterField[] = ['producer_name', 'product_name'];

/** A header as compared: folded, punctuation and spaces collapsed. */
export function headerKey(s: string): string {
  return foldVietnamese(s).replace(/[^a-z0-9]+/g, ' ').trim();
}

const BY_HEADER: ReadonlyMap<string, RegisterField> = new Map(
  REGISTER_FIELDS.flatMap((f) => [REGISTER_COLUMNS[f].header, ...REGISTER_COLUMNS[f].synonyms, f].map((h) => [headerKey(h), f] as const)),
);

/** Column index → field (or null: ignored). Each field is given to the first column that names it. */
export type ColumnMapping = (RegisterField | null)[];

export function guessMapping(headers: readonly string[]): ColumnMapping {
  const taken = new Set<RegisterField>();
  return headers.map((h) => {
    const f = BY_HEADER.get(headerKey(h)) ?? null;
    if (f === null || taken.has(f)) return null;
    taken.add(f);
    return f;
  });
}

/** What is wrong with a mapping as a whole (a field twice, a required field missing), in Vietnamese. */
export function mappingProblems(mapping: ColumnMapping): string[] {
  const problems: string[] = [];
  const seen = new Map<RegisterField, number>();
  mapping.forEach((f, i) => {
    if (f === null) return;
    const before = seen.get(f);
    if (before !== undefined) problems.push(`Cột ${before + 1} và cột ${i + 1} cùng được gán cho "${REGISTER_COLUMNS[f].header}"`);
    else seen.set(f, i);
  });
  for (const f of REQUIRED_FIELDS) if (!seen.has(f)) problems.push(`Chưa có cột nào cho "${REGISTER_COLUMNS[f].header}" (bắt buộc)`);
  return problems;
}
