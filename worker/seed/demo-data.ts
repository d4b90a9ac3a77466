// Demo producers, products and certificates. Names, places, stars and years of the
// real products come from public reports on Bình Phước (see reference-data.ts); the
// certificate numbers of the 2021 products are their published OCOP codes. Producers
// marked "(minh họa)" are illustrative, added because the programme's targets count
// kinds of producer the public list does not show (ethnic-minority-led, tourism), and
// every unfavourable state (revoked) is given to an illustrative producer only.
import type { LegalForm } from '../../schema/database';
import type { Stars } from '../domain/stars';
import type { CouncilLevel } from '../domain/vocabulary';

export interface DemoProducer {
  key: string;
  name: string;
  legalForm: LegalForm;
  district: string;
  commune?: string;
  femaleLed?: boolean;
  ethnicMinorityLed?: boolean;
  representative?: string;
  illustrative?: boolean;
}

/** Offsets in months before the seed date, so every state holds whenever the seed runs. */
export interface DemoCertificate {
  number: string;
  stars: Stars;
  monthsAgo: number;
  /** Extra days added to the decision date (to land inside the 30-day expiry notice window). */
  plusDays?: number;
  level: Extract<CouncilLevel, 'district' | 'province' | 'national'>;
  body: string;
  legalBasis: 'QD-1048-2019' | 'QD-148-2023';
  revoke?: { ground: 'production_stopped' | 'no_quality_records'; note: string; monthsAgo: number };
}

export interface DemoProduct {
  slug: string;
  name: string;
  producer: string;
  group: 'food' | 'beverages' | 'herbal' | 'textiles' | 'souvenirs' | 'tourism';
  description: string;
  regions: { description: string; district?: string; commune?: string; areaHa?: number }[];
  /** Oldest first; each later certificate renews (supersedes) the one before. */
  certificates: DemoCertificate[];
  batch?: { lot: string; quantity: number; monthsAgo: number; bestBeforeMonths: number };
}

export const UBND_BP = 'UBND tỉnh Bình Phước';
const BNN = 'Bộ Nông nghiệp và Phát triển nông thôn';

export const DEMO_PRODUCERS: DemoProducer[] = [
  { key: 'ha-my', name: 'Công ty Cổ phần Hà Mỵ', legalForm: 'doanh_nghiep', district: '695', commune: 'Tân Lập' },
  { key: 'khanh-sam', name: 'Công ty TNHH MTV Khánh Sâm', legalForm: 'doanh_nghiep', district: '691' },
  { key: 'green-lotus', name: 'Công ty Green Lotus', legalForm: 'doanh_nghiep', district: '696' },
  { key: 'my-le', name: 'Công ty Mỹ Lệ', legalForm: 'doanh_nghiep', district: '698' },
  { key: 'phuc-thinh', name: 'Công ty TNHH XNK Phúc Thịnh Winut', legalForm: 'doanh_nghiep', district: '688' },
  { key: 'vinahe', name: 'Công ty TNHH Vinahe', legalForm: 'doanh_nghiep', district: '688' },
  { key: 'cong-phat', name: 'Công ty TNHH MTV Công Phát', legalForm: 'doanh_nghiep', district: '689' },
  { key: 'nam-phu', name: 'Công ty TNHH MTV Yến Sào Nam Phú', legalForm: 'doanh_nghiep', district: '697' },
  { key: 'vo-thi-hien', name: 'Hộ kinh doanh Võ Thị Hiền', legalForm: 'ho_kinh_doanh', district: '691', femaleLed: true, representative: 'Võ Thị Hiền' },
  { key: 'phuoc-thien', name: 'HTX Thương mại - Dịch vụ Phước Thiện', legalForm: 'hop_tac_xa', district: '693' },
  { key: 'buoi-bu-dop', name: 'HTX Bưởi da xanh Bù Đốp', legalForm: 'hop_tac_xa', district: '693' },
  { key: 'loc-quang', name: 'HTX hồ tiêu hữu cơ Lộc Quang', legalForm: 'hop_tac_xa', district: '692', commune: 'Lộc Quang' },
  { key: 'tho-cam', name: "Tổ hợp tác dệt thổ cẩm S'tiêng Bù Đăng (minh họa)", legalForm: 'to_hop_tac', district: '696', femaleLed: true, ethnicMinorityLed: true, illustrative: true },
  { key: 'du-lich', name: 'HTX Du lịch cộng đồng Bù Đăng (minh họa)', legalForm: 'hop_tac_xa', district: '696', ethnicMinorityLed: true, illustrative: true },
  { key: 'mat-ong', name: 'Hộ kinh doanh Mật ong rừng Bù Gia Mập (minh họa)', legalForm: 'ho_kinh_doanh', district: '691', illustrative: true },
];

const cashew = { description: 'Vùng điều Bình Phước (chỉ dẫn địa lý "Hạt điều Bình Phước"), khoảng 175.000 ha toàn tỉnh', areaHa: 175000 };

export const DEMO_PRODUCTS: DemoProduct[] = [
  {
    slug: 'hat-dieu-rang-muoi-ha-my', name: 'Hạt điều rang muối', producer: 'ha-my', group: 'food',
    description: 'Sản phẩm OCOP 5 sao đầu tiên của tỉnh được công nhận cấp quốc gia (2023).',
    regions: [cashew, { description: 'Vùng nguyên liệu điều xã Tân Lập', district: '695', commune: 'Tân Lập' }],
    certificates: [
      { number: 'BP-OCOP-2023-010', stars: 4, monthsAgo: 40, level: 'province', body: UBND_BP, legalBasis: 'QD-148-2023' },
      { number: 'BP-OCOP-5S-2023-001', stars: 5, monthsAgo: 5, level: 'national', body: BNN, legalBasis: 'QD-148-2023' },
    ],
    batch: { lot: 'HM-RM-01', quantity: 500, monthsAgo: 1, bestBeforeMonths: 12 },
  },
  {
    slug: 'keo-dieu-ha-my', name: 'Kẹo điều', producer: 'ha-my', group: 'food', description: 'Kẹo làm từ hạt điều Bình Phước.',
    regions: [cashew],
    certificates: [{ number: 'BP-OCOP-2023-021', stars: 4, monthsAgo: 36, plusDays: 20, level: 'province', body: UBND_BP, legalBasis: 'QD-148-2023' }],
    batch: { lot: 'HM-KD-07', quantity: 120, monthsAgo: 2, bestBeforeMonths: 9 },
  },
  {
    slug: 'ca-phe-robusta-ha-my', name: 'Cà phê Robusta', producer: 'ha-my', group: 'beverages', description: 'Cà phê Robusta rang xay.',
    regions: [{ description: 'Vùng cà phê huyện Đồng Phú', district: '695' }],
    certificates: [{ number: 'BP-OCOP-2023-022', stars: 4, monthsAgo: 8, level: 'province', body: UBND_BP, legalBasis: 'QD-148-2023' }],
  },
  {
    slug: 'hat-dieu-rang-muoi-khanh-sam', name: 'Hạt điều rang muối', producer: 'khanh-sam', group: 'food', description: 'Hạt điều rang muối Bù Gia Mập.',
    regions: [cashew], certificates: [{ number: 'BP-OCOP-2023-031', stars: 4, monthsAgo: 14, level: 'province', body: UBND_BP, legalBasis: 'QD-148-2023' }],
  },
  {
    slug: 'hat-dieu-rang-muoi-green-lotus', name: 'Hạt điều rang muối', producer: 'green-lotus', group: 'food', description: 'Hạt điều rang muối Bù Đăng.',
    regions: [cashew], certificates: [{ number: 'BP-OCOP-2023-032', stars: 4, monthsAgo: 20, level: 'province', body: UBND_BP, legalBasis: 'QD-148-2023' }],
  },
  {
    slug: 'dieu-rang-muoi-vo-lua-my-le', name: 'Điều rang muối vỏ lụa', producer: 'my-le', group: 'food', description: 'Điều rang muối còn vỏ lụa.',
    regions: [cashew], certificates: [{ number: 'BP-OCOP-2023-033', stars: 4, monthsAgo: 12, level: 'province', body: UBND_BP, legalBasis: 'QD-148-2023' }],
  },
  {
    slug: 'dieu-mat-ong-phuc-thinh', name: 'Điều mật ong', producer: 'phuc-thinh', group: 'food', description: 'Hạt điều tẩm mật ong.',
    regions: [cashew], certificates: [{ number: 'BP-OCOP-2023-034', stars: 4, monthsAgo: 30, level: 'province', body: UBND_BP, legalBasis: 'QD-148-2023' }],
  },
  {
    slug: 'banh-cashewpie-vinahe', name: 'Bánh Cashewpie', producer: 'vinahe', group: 'food', description: 'Bánh nhân hạt điều.',
    regions: [cashew], certificates: [{ number: 'BP-OCOP-2023-035', stars: 4, monthsAgo: 18, level: 'province', body: UBND_BP, legalBasis: 'QD-148-2023' }],
  },
  {
    slug: 'ca-phe-nguyen-chat-cong', name: 'Cà phê nguyên chất Công', producer: 'cong-phat', group: 'beverages', description: 'Cà phê rang xay nguyên chất.',
    regions: [{ description: 'Vùng cà phê Đồng Xoài', district: '689' }],
    certificates: [{ number: 'BP-OCOP-2023-036', stars: 4, monthsAgo: 10, level: 'province', body: UBND_BP, legalBasis: 'QD-148-2023' }],
  },
  {
    slug: 'yen-sao-nam-phu', name: 'Yến sào Nam Phú', producer: 'nam-phu', group: 'food', description: 'Yến sào nuôi tại Chơn Thành.',
    regions: [{ description: 'Nhà yến tại Chơn Thành', district: '697' }],
    certificates: [{ number: 'BP-OCOP-2023-041', stars: 3, monthsAgo: 22, level: 'province', body: UBND_BP, legalBasis: 'QD-148-2023' }],
  },
  {
    slug: 'tieu-den-vo-thi-hien', name: 'Tiêu đen', producer: 'vo-thi-hien', group: 'food', description: 'Hồ tiêu đen Bù Gia Mập, hộ kinh doanh do phụ nữ làm chủ.',
    regions: [{ description: 'Vườn tiêu của hộ tại Bù Gia Mập', district: '691', areaHa: 3.5 }],
    // Recognised by the district before the July 2025 process change (3★ was delegated).
    certificates: [{ number: 'BGM-OCOP-2024-003', stars: 3, monthsAgo: 29, level: 'district', body: 'UBND huyện Bù Gia Mập', legalBasis: 'QD-148-2023' }],
  },
  {
    slug: 'mit-ruot-do-pt79', name: 'Mít ruột đỏ PT79', producer: 'phuoc-thien', group: 'food', description: 'Mít ruột đỏ trồng tại Bù Đốp.',
    regions: [{ description: 'Vườn mít ruột đỏ Bù Đốp', district: '693' }],
    certificates: [{ number: '70-31-2021', stars: 4, monthsAgo: 60, level: 'province', body: UBND_BP, legalBasis: 'QD-1048-2019' }],
    batch: { lot: 'PT79-2022-03', quantity: 50, monthsAgo: 48, bestBeforeMonths: 1 },
  },
  {
    slug: 'buoi-da-xanh-bu-dop', name: 'Bưởi da xanh', producer: 'buoi-bu-dop', group: 'food', description: 'Bưởi da xanh Bù Đốp.',
    regions: [{ description: 'Vườn bưởi Bù Đốp', district: '693' }],
    certificates: [{ number: '70-32-2021', stars: 4, monthsAgo: 59, level: 'province', body: UBND_BP, legalBasis: 'QD-1048-2019' }],
  },
  {
    slug: 'ho-tieu-huu-co-loc-quang', name: 'Hồ tiêu hữu cơ', producer: 'loc-quang', group: 'food', description: 'Hồ tiêu hữu cơ Lộc Ninh.',
    regions: [{ description: 'Vùng tiêu Lộc Ninh (Lộc An, Lộc Thạnh, Lộc Quang, Lộc Hòa, Lộc Tấn), khoảng 4.000 ha', district: '692', commune: 'Lộc Quang', areaHa: 4000 }],
    certificates: [{ number: 'BP-OCOP-2024-051', stars: 4, monthsAgo: 26, level: 'province', body: UBND_BP, legalBasis: 'QD-148-2023' }],
  },
  {
    slug: 'tho-cam-stieng-bu-dang', name: "Khăn thổ cẩm S'tiêng (minh họa)", producer: 'tho-cam', group: 'textiles', description: 'Sản phẩm minh họa: khăn dệt thổ cẩm thủ công.',
    regions: [{ description: 'Sợi bông nhuộm màu tự nhiên, Bù Đăng', district: '696' }],
    certificates: [{ number: 'BP-OCOP-DEMO-101', stars: 3, monthsAgo: 6, level: 'province', body: UBND_BP, legalBasis: 'QD-148-2023' }],
  },
  {
    slug: 'du-lich-cong-dong-bu-dang', name: 'Tour du lịch cộng đồng Bù Đăng (minh họa)', producer: 'du-lich', group: 'tourism', description: 'Dịch vụ minh họa: trải nghiệm văn hóa cộng đồng một ngày.',
    regions: [{ description: 'Điểm du lịch cộng đồng tại Bù Đăng', district: '696' }],
    certificates: [{ number: 'BP-OCOP-DEMO-102', stars: 3, monthsAgo: 4, level: 'province', body: UBND_BP, legalBasis: 'QD-148-2023' }],
  },
  {
    slug: 'mat-ong-rung-bu-gia-map', name: 'Mật ong rừng (minh họa)', producer: 'mat-ong', group: 'food', description: 'Sản phẩm minh họa cho trạng thái bị thu hồi.',
    regions: [{ description: 'Rừng tràm Bù Gia Mập', district: '691' }],
    certificates: [{ number: 'BP-OCOP-DEMO-103', stars: 3, monthsAgo: 16, level: 'province', body: UBND_BP, legalBasis: 'QD-148-2023', revoke: { ground: 'production_stopped', note: 'Hộ ngừng sản xuất (dữ liệu minh họa)', monthsAgo: 1 } }],
    batch: { lot: 'MO-2025-12', quantity: 30, monthsAgo: 6, bestBeforeMonths: 18 },
  },
];
