// The closed sets of words the service stores: each defined once as an `as const` tuple,
// its type derived from it, its Vietnamese and English names beside it. The database
// column types (schema/database.ts), the form schemas and the pages all read these, so a
// new value is added in one place and the compiler finds every switch that must handle it.

type Label = { vi: string; en: string };

function member<T extends string>(values: readonly T[]): (s: unknown) => s is T {
  return (s: unknown): s is T => typeof s === 'string' && (values as readonly string[]).includes(s);
}

/** Who a signed-in account or an API token acts as. */
export const ROLES = ['province_admin', 'area_officer', 'producer', 'auditor'] as const;
export type Role = (typeof ROLES)[number];
export const isRole = member(ROLES);
export const ROLE_LABELS: Record<Role, Label> = {
  province_admin: { vi: 'Quản trị tỉnh', en: 'Province admin' },
  area_officer: { vi: 'Cán bộ khu vực', en: 'Area officer' },
  producer: { vi: 'Chủ thể sản xuất', en: 'Producer' },
  auditor: { vi: 'Thanh tra, kiểm tra', en: 'Auditor' },
};

/** A producer's legal form (chủ thể OCOP). */
export const LEGAL_FORMS = ['doanh_nghiep', 'hop_tac_xa', 'to_hop_tac', 'ho_kinh_doanh'] as const;
export type LegalForm = (typeof LEGAL_FORMS)[number];
export const isLegalForm = member(LEGAL_FORMS);
export const LEGAL_FORM_LABELS: Record<LegalForm, Label> = {
  doanh_nghiep: { vi: 'Doanh nghiệp', en: 'Enterprise' },
  hop_tac_xa: { vi: 'Hợp tác xã', en: 'Cooperative' },
  to_hop_tac: { vi: 'Tổ hợp tác', en: 'Cooperative group' },
  ho_kinh_doanh: { vi: 'Hộ kinh doanh', en: 'Household business' },
};

/** The level of the council that evaluated a product. */
export const COUNCIL_LEVELS = ['commune', 'district', 'province', 'national'] as const;
export type CouncilLevel = (typeof COUNCIL_LEVELS)[number];
export const COUNCIL_LEVEL_LABELS: Record<CouncilLevel, Label> = {
  commune: { vi: 'Cấp xã', en: 'Commune' },
  district: { vi: 'Cấp huyện', en: 'District' },
  province: { vi: 'Cấp tỉnh', en: 'Province' },
  national: { vi: 'Trung ương (Bộ)', en: 'National (Ministry)' },
};

/** The level of the body that issued a certificate: a commune never does. */
export const ISSUING_LEVELS = ['district', 'province', 'national'] as const;
export type IssuingLevel = (typeof ISSUING_LEVELS)[number];

/** What the database stores of a certificate. "Expired" is derived from the dates on every read, never stored. */
export const CERTIFICATE_STATUSES = ['active', 'revoked', 'superseded'] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];

export const REVOCATION_GROUNDS = [
  'expired_not_reevaluated',
  'failed_reevaluation',
  'not_certified_process',
  'food_safety_violation',
  'no_quality_records',
  'production_stopped',
  'other',
] as const;
export type RevocationGround = (typeof REVOCATION_GROUNDS)[number];
export const isRevocationGround = member(REVOCATION_GROUNDS);
export const REVOCATION_GROUND_LABELS: Record<RevocationGround, Label> = {
  expired_not_reevaluated: { vi: 'Hết hạn mà không đánh giá lại', en: 'Expired without re-evaluation' },
  failed_reevaluation: { vi: 'Không đạt khi đánh giá lại', en: 'Failed re-evaluation' },
  not_certified_process: { vi: 'Không sản xuất theo quy trình đã được công nhận', en: 'Not produced to the certified process' },
  food_safety_violation: { vi: 'Vi phạm an toàn thực phẩm', en: 'Food-safety violation' },
  no_quality_records: { vi: 'Không có hồ sơ chất lượng, truy xuất nguồn gốc', en: 'No quality or traceability records' },
  production_stopped: { vi: 'Ngừng sản xuất', en: 'Production stopped' },
  other: { vi: 'Lý do khác', en: 'Other reason' },
};

/** A signing key: signs new batches (active), only verifies (retired), or verifies nothing (withdrawn). */
export const KEY_STATUSES = ['active', 'retired', 'withdrawn'] as const;
export type KeyStatus = (typeof KEY_STATUSES)[number];
export const KEY_STATUS_LABELS: Record<KeyStatus, Label> = {
  active: { vi: 'Đang dùng', en: 'Active' },
  retired: { vi: 'Ngừng ký, vẫn xác minh', en: 'Retired' },
  withdrawn: { vi: 'Đã thu hồi', en: 'Withdrawn' },
};

/** Where a shopper's counterfeit report stands. */
export const REPORT_STATUSES = ['new', 'reviewing', 'closed'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];
export const isReportStatus = member(REPORT_STATUSES);
export const REPORT_STATUS_LABELS: Record<ReportStatus, Label> = {
  new: { vi: 'Mới', en: 'New' },
  reviewing: { vi: 'Đang xem xét', en: 'Reviewing' },
  closed: { vi: 'Đã xử lý', en: 'Closed' },
};

/** Administrative units: the kind of unit, and its level in the hierarchy. */
export const UNIT_TYPES = ['tinh', 'thanh_pho_tw', 'huyen', 'thi_xa', 'thanh_pho', 'xa', 'phuong', 'thi_tran', 'dac_khu'] as const;
export type UnitType = (typeof UNIT_TYPES)[number];
export const UNIT_LEVELS = ['province', 'district', 'commune'] as const;
export type UnitLevel = (typeof UNIT_LEVELS)[number];

/** Product taxonomy rows: a provincial plan group, or a national sector, group or product set. */
export const PRODUCT_GROUP_KINDS = ['plan_group', 'sector', 'group', 'product_set'] as const;
export type ProductGroupKind = (typeof PRODUCT_GROUP_KINDS)[number];

/** Where a product is sold (issue 12): showrooms are the officials', the rest may be a producer's own. */
export const SALES_POINT_KINDS = ['showroom', 'supermarket', 'shop', 'market_stall', 'online'] as const;
export type SalesPointKind = (typeof SALES_POINT_KINDS)[number];
export const isSalesPointKind = member(SALES_POINT_KINDS);
export const SALES_POINT_KIND_LABELS: Record<SalesPointKind, Label> = {
  showroom: { vi: 'Điểm giới thiệu và bán sản phẩm OCOP', en: 'OCOP showroom' },
  supermarket: { vi: 'Siêu thị', en: 'Supermarket' },
  shop: { vi: 'Cửa hàng', en: 'Shop' },
  market_stall: { vi: 'Sạp chợ', en: 'Market stall' },
  online: { vi: 'Cửa hàng trực tuyến', en: 'Online shop' },
};
/** The plan's "modern channels": supermarkets and e-commerce. */
export const MODERN_CHANNEL_KINDS: readonly SalesPointKind[] = ['supermarket', 'online'];

/** The unit types a commune-level unit of today's province may have (after the 2025 reform). */
export const CURRENT_COMMUNE_TYPES = ['xa', 'phuong', 'dac_khu'] as const;
export type CurrentCommuneType = (typeof CURRENT_COMMUNE_TYPES)[number];
export const CURRENT_COMMUNE_TYPE_LABELS: Record<CurrentCommuneType, Label> = {
  xa: { vi: 'Xã', en: 'Commune' },
  phuong: { vi: 'Phường', en: 'Ward' },
  dac_khu: { vi: 'Đặc khu', en: 'Special zone' },
};
