// Reference facts copied from the project's shared notes on Bình Phước (GSO unit codes,
// the July 2025 merger, the plan's product groups) so a clone works on its own.
// Unknown codes stay null rather than invented.
import type { AdminUnitsTable, LegalBasesTable } from '../../schema/database';
import { slugify } from '../domain/search';

export const MERGER_DATE = '2025-07-01';

type Unit = AdminUnitsTable;

export const PROVINCE: Unit = { id: 'p-70', gso_code: '70', name: 'Bình Phước', unit_type: 'tinh', level: 'province', parent_id: null, valid_from: null, valid_to: MERGER_DATE, successor_id: 'p-dong-nai' };
export const SUCCESSOR_PROVINCE: Unit = { id: 'p-dong-nai', gso_code: null, name: 'Đồng Nai', unit_type: 'tinh', level: 'province', parent_id: null, valid_from: MERGER_DATE, valid_to: null, successor_id: null };

const district = (code: string, name: string, unit_type: Unit['unit_type']): Unit => ({
  id: `d-${code}`, gso_code: code, name, unit_type, level: 'district', parent_id: PROVINCE.id,
  // Districts were abolished, not merged into another district: no successor.
  valid_from: null, valid_to: MERGER_DATE, successor_id: null,
});

export const DISTRICTS: Unit[] = [
  district('688', 'Phước Long', 'thi_xa'),
  district('689', 'Đồng Xoài', 'thanh_pho'),
  district('690', 'Bình Long', 'thi_xa'),
  district('691', 'Bù Gia Mập', 'huyen'),
  district('692', 'Lộc Ninh', 'huyen'),
  district('693', 'Bù Đốp', 'huyen'),
  district('694', 'Hớn Quản', 'huyen'),
  district('695', 'Đồng Phú', 'huyen'),
  district('696', 'Bù Đăng', 'huyen'),
  district('697', 'Chơn Thành', 'thi_xa'),
  district('698', 'Phú Riềng', 'huyen'),
];


// New communes created by the merger (only the two the shared notes confirm).
export const NEW_COMMUNES: Unit[] = [
  { id: 'c-2025-phuong-binh-phuoc', gso_code: null, name: 'Bình Phước', unit_type: 'phuong', level: 'commune', parent_id: SUCCESSOR_PROVINCE.id, valid_from: MERGER_DATE, valid_to: null, successor_id: null },
  { id: 'c-2025-xa-dong-phu', gso_code: null, name: 'Đồng Phú', unit_type: 'xa', level: 'commune', parent_id: SUCCESSOR_PROVINCE.id, valid_from: MERGER_DATE, valid_to: null, successor_id: null },
];

const commune = (districtCode: string, name: string, unit_type: Unit['unit_type'], successor: string | null): Unit => ({
  id: `c-${districtCode}-${slugify(name)}`, gso_code: null, name, unit_type, level: 'commune', parent_id: `d-${districtCode}`,
  valid_from: null, valid_to: MERGER_DATE, successor_id: successor,
});

export const OLD_COMMUNES: Unit[] = [
  // Merged into Phường Bình Phước (Đồng Xoài).
  ...['Tân Phú', 'Tân Đồng', 'Tân Thiện', 'Tân Bình', 'Tân Xuân'].map((n) => commune('689', n, 'phuong', 'c-2025-phuong-binh-phuoc')),
  commune('689', 'Tiến Hưng', 'xa', 'c-2025-phuong-binh-phuoc'),
  // Merged into Xã Đồng Phú.
  commune('695', 'Tân Phú', 'thi_tran', 'c-2025-xa-dong-phu'),
  commune('695', 'Tân Tiến', 'xa', 'c-2025-xa-dong-phu'),
  commune('695', 'Tân Lập', 'xa', 'c-2025-xa-dong-phu'),
  // The pepper-growing communes of Lộc Ninh; their post-merger unit is not confirmed here.
  ...['Lộc An', 'Lộc Thạnh', 'Lộc Quang', 'Lộc Hòa', 'Lộc Tấn'].map((n) => commune('692', n, 'xa', null)),
];

// Successors before the units that point at them (foreign keys).
export const ALL_UNITS: Unit[] = [SUCCESSOR_PROVINCE, ...NEW_COMMUNES, PROVINCE, ...DISTRICTS, ...OLD_COMMUNES];

export const communeId = (districtCode: string, name: string): string => `c-${districtCode}-${slugify(name)}`;

export const LEGAL_BASES: LegalBasesTable[] = [
  { id: 'QD-1048-2019', title_vi: 'Quyết định 1048/QĐ-TTg năm 2019 về Bộ tiêu chí đánh giá, phân hạng sản phẩm OCOP', title_en: 'Decision 1048/QĐ-TTg (2019): OCOP product evaluation and rating criteria', effective_from: '2019-08-21', effective_to: '2023-02-23' },
  { id: 'QD-148-2023', title_vi: 'Quyết định 148/QĐ-TTg năm 2023 về Bộ tiêu chí và quy trình đánh giá, phân hạng sản phẩm OCOP', title_en: 'Decision 148/QĐ-TTg (2023): OCOP criteria and evaluation process', effective_from: '2023-02-24', effective_to: null },
  { id: 'KH-BP-2022-2025', title_vi: 'Kế hoạch thực hiện Chương trình OCOP tỉnh Bình Phước giai đoạn 2022-2025', title_en: 'Bình Phước provincial OCOP plan 2022-2025', effective_from: '2022-01-01', effective_to: '2025-12-31' },
];

/** The provincial plan's six product groups. */
export const PLAN_GROUPS = [
  { code: 'food', name_vi: 'Thực phẩm', name_en: 'Food' },
  { code: 'beverages', name_vi: 'Đồ uống', name_en: 'Beverages' },
  { code: 'herbal', name_vi: 'Thảo dược', name_en: 'Herbal products' },
  { code: 'textiles', name_vi: 'Vải và may mặc', name_en: 'Textiles and garments' },
  { code: 'souvenirs', name_vi: 'Lưu niệm, nội thất, trang trí', name_en: 'Souvenirs, furniture and decoration' },
  { code: 'tourism', name_vi: 'Dịch vụ du lịch nông thôn', name_en: 'Rural tourism and services' },
] as const;

/**
 * The national taxonomy's six sectors (Decision 148/2023). Its 17 groups and 26 product
 * sets are loaded the same way (kind 'group' / 'product_set', parent = sector) once
 * their list is verified against the decision's annex; only the sectors are seeded here.
 */
export const NATIONAL_SECTORS = [
  { code: '1', name_vi: 'Thực phẩm', name_en: 'Food' },
  { code: '2', name_vi: 'Đồ uống', name_en: 'Beverages' },
  { code: '3', name_vi: 'Thảo dược', name_en: 'Herbal products' },
  { code: '4', name_vi: 'Vải và may mặc', name_en: 'Textiles and garments' },
  { code: '5', name_vi: 'Lưu niệm, nội thất, trang trí', name_en: 'Souvenirs, furniture and decoration' },
  { code: '6', name_vi: 'Dịch vụ du lịch cộng đồng, du lịch nông thôn và điểm du lịch', name_en: 'Community and rural tourism services and destinations' },
] as const;
