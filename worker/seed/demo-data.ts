// Demo producers, products and certificates. Names, places, stars and years of the
// real products come from public reports on Bình Phước (see reference-data.ts); the
// certificate numbers of the 2021 products are their published OCOP codes. Producers
// marked "(minh họa)" are illustrative, added because the programme's targets count
// kinds of producer the public list does not show (ethnic-minority-led, tourism), and
// every unfavourable state (revoked, renewal pending, a lot past its best-before date) is
// given to an illustrative producer only.
import type { LegalForm } from '../../schema/database';
import type { Stars } from '../domain/stars';
import type { CouncilLevel } from '../domain/vocabulary';
import { addDays, addMonthsClamped } from '../domain/dates';

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

/**
 * Offsets in months before the seed date, so every state holds whenever the seed runs. The
 * number, issuing body and decision suffix follow from the decision date (demoIssue below),
 * so they always agree with it: a decision after the 2025 merger is Đồng Nai's or the renamed
 * Ministry's, and a number carries the year of its own decision.
 */
export interface DemoCertificate {
  /** Sequence part of the number (the published code in full when `publishedNumber` is set). */
  seq: string;
  /** A real, published OCOP code, kept as is: its decision date is then fixed too. */
  publishedNumber?: string;
  stars: Stars;
  monthsAgo: number;
  /** A fixed decision date (with `publishedNumber`): the published code says its year. */
  decisionDate?: string;
  /** Extra days added to the decision date (to land inside the 30-day expiry notice window). */
  plusDays?: number;
  level: Extract<CouncilLevel, 'district' | 'province' | 'national'>;
  /** Illustrative certificates have no year in their number ("DEMO"). */
  demo?: boolean;
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
  batch?: { lot: string; quantity: number; monthsAgo: number; bestBeforeMonths: number; /** A fixed production day (with a fixed decision date). */ producedOn?: string };
  /** A renewal (re-evaluation) file received this many days before the seed date, still under review. */
  renewalReceivedDaysAgo?: number;
}

/** Bình Phước merged into Đồng Nai on this day: provincial decisions from it are Đồng Nai's. */
export const MERGER_DATE = '2025-07-01';
/** The Ministry of Agriculture and Rural Development became the Ministry of Agriculture and Environment. */
export const MINISTRY_RENAMED = '2025-03-01';

export const UBND_BP = 'UBND tỉnh Bình Phước';
export const UBND_DN = 'UBND tỉnh Đồng Nai';
export const BNN = 'Bộ Nông nghiệp và Phát triển nông thôn';
export const BNNMT = 'Bộ Nông nghiệp và Môi trường';
const UBND_BGM = 'UBND huyện Bù Gia Mập';

/** Who issued a decision of `level` on `date`, its number and the decision-number suffix. */
export function demoIssue(c: Pick<DemoCertificate, 'seq' | 'publishedNumber' | 'level' | 'demo'>, date: string): { number: string; body: string; level: DemoCertificate['level']; suffix: string } {
  const year = date.slice(0, 4);
  const merged = date >= MERGER_DATE;
  // The district level was abolished with the merger: a later 3★ decision is the province's.
  const level = c.level === 'district' && merged ? 'province' : c.level;
  const prefix = merged ? 'DN' : 'BP';
  if (level === 'national') {
    const renamed = date >= MINISTRY_RENAMED;
    return { number: c.publishedNumber ?? `OCOP-5S-${year}-${c.seq}`, body: renamed ? BNNMT : BNN, level, suffix: renamed ? 'QĐ-BNNMT' : 'QĐ-BNN' };
  }
  if (level === 'district') return { number: c.publishedNumber ?? `BGM-OCOP-${year}-${c.seq}`, body: UBND_BGM, level, suffix: 'QĐ-UBND' };
  const number = c.publishedNumber ?? (c.demo ? `${prefix}-OCOP-DEMO-${c.seq}` : `${prefix}-OCOP-${year}-${c.seq}`);
  return { number, body: merged ? UBND_DN : UBND_BP, level, suffix: 'QĐ-UBND' };
}

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
  { key: 'dac-san', name: 'HTX Đặc sản Phú Riềng (minh họa)', legalForm: 'hop_tac_xa', district: '698', illustrative: true },
];

const cashew = { description: 'Vùng điều Bình Phước (chỉ dẫn địa lý "Hạt điều Bình Phước"), khoảng 175.000 ha toàn tỉnh', areaHa: 175000 };

export const DEMO_PRODUCTS: DemoProduct[] = [
  {
    slug: 'hat-dieu-rang-muoi-ha-my', name: 'Hạt điều rang muối', producer: 'ha-my', group: 'food',
    // No year in the text: the history below says when (first 5★ decision, then its renewal).
    description: 'Sản phẩm OCOP 5 sao đầu tiên của tỉnh Bình Phước (cũ) được công nhận cấp quốc gia.',
    regions: [cashew, { description: 'Vùng nguyên liệu điều xã Tân Lập', district: '695', commune: 'Tân Lập' }],
    certificates: [
      { seq: '001', stars: 5, monthsAgo: 40, level: 'national', legalBasis: 'QD-148-2023' },
      { seq: '014', stars: 5, monthsAgo: 5, level: 'national', legalBasis: 'QD-148-2023' },
    ],
    batch: { lot: 'HM-RM-01', quantity: 500, monthsAgo: 1, bestBeforeMonths: 12 },
  },
  {
    slug: 'keo-dieu-ha-my', name: 'Kẹo điều', producer: 'ha-my', group: 'food', description: 'Kẹo làm từ hạt điều Bình Phước.',
    regions: [cashew],
    certificates: [{ seq: '021', stars: 4, monthsAgo: 36, plusDays: 20, level: 'province', legalBasis: 'QD-148-2023' }],
    batch: { lot: 'HM-KD-07', quantity: 120, monthsAgo: 2, bestBeforeMonths: 9 },
  },
  {
    slug: 'ca-phe-robusta-ha-my', name: 'Cà phê Robusta', producer: 'ha-my', group: 'beverages', description: 'Cà phê Robusta rang xay.',
    regions: [{ description: 'Vùng cà phê huyện Đồng Phú', district: '695' }],
    certificates: [{ seq: '022', stars: 4, monthsAgo: 8, level: 'province', legalBasis: 'QD-148-2023' }],
  },
  {
    slug: 'hat-dieu-rang-muoi-khanh-sam', name: 'Hạt điều rang muối', producer: 'khanh-sam', group: 'food', description: 'Hạt điều rang muối Bù Gia Mập.',
    regions: [cashew], certificates: [{ seq: '031', stars: 4, monthsAgo: 14, level: 'province', legalBasis: 'QD-148-2023' }],
  },
  {
    slug: 'hat-dieu-rang-muoi-green-lotus', name: 'Hạt điều rang muối', producer: 'green-lotus', group: 'food', description: 'Hạt điều rang muối Bù Đăng.',
    regions: [cashew], certificates: [{ seq: '032', stars: 4, monthsAgo: 20, level: 'province', legalBasis: 'QD-148-2023' }],
  },
  {
    slug: 'dieu-rang-muoi-vo-lua-my-le', name: 'Điều rang muối vỏ lụa', producer: 'my-le', group: 'food', description: 'Điều rang muối còn vỏ lụa.',
    regions: [cashew], certificates: [{ seq: '033', stars: 4, monthsAgo: 12, level: 'province', legalBasis: 'QD-148-2023' }],
  },
  {
    slug: 'dieu-mat-ong-phuc-thinh', name: 'Điều mật ong', producer: 'phuc-thinh', group: 'food', description: 'Hạt điều tẩm mật ong.',
    regions: [cashew], certificates: [{ seq: '034', stars: 4, monthsAgo: 30, level: 'province', legalBasis: 'QD-148-2023' }],
  },
  {
    slug: 'banh-cashewpie-vinahe', name: 'Bánh Cashewpie', producer: 'vinahe', group: 'food', description: 'Bánh nhân hạt điều.',
    regions: [cashew], certificates: [{ seq: '035', stars: 4, monthsAgo: 18, level: 'province', legalBasis: 'QD-148-2023' }],
  },
  {
    slug: 'ca-phe-nguyen-chat-cong', name: 'Cà phê nguyên chất Công', producer: 'cong-phat', group: 'beverages', description: 'Cà phê rang xay nguyên chất.',
    regions: [{ description: 'Vùng cà phê Đồng Xoài', district: '689' }],
    certificates: [{ seq: '036', stars: 4, monthsAgo: 10, level: 'province', legalBasis: 'QD-148-2023' }],
  },
  {
    slug: 'yen-sao-nam-phu', name: 'Yến sào Nam Phú', producer: 'nam-phu', group: 'food', description: 'Yến sào nuôi tại Chơn Thành.',
    regions: [{ description: 'Nhà yến tại Chơn Thành', district: '697' }],
    certificates: [{ seq: '041', stars: 3, monthsAgo: 22, level: 'province', legalBasis: 'QD-148-2023' }],
  },
  {
    slug: 'tieu-den-vo-thi-hien', name: 'Tiêu đen', producer: 'vo-thi-hien', group: 'food', description: 'Hồ tiêu đen Bù Gia Mập, hộ kinh doanh do phụ nữ làm chủ.',
    regions: [{ description: 'Vườn tiêu của hộ tại Bù Gia Mập', district: '691', areaHa: 3.5 }],
    // Recognised by the district before the July 2025 process change (3★ was delegated).
    certificates: [{ seq: '003', stars: 3, monthsAgo: 29, level: 'district', legalBasis: 'QD-148-2023' }],
  },
  {
    slug: 'mit-ruot-do-pt79', name: 'Mít ruột đỏ PT79', producer: 'phuoc-thien', group: 'food', description: 'Mít ruột đỏ trồng tại Bù Đốp.',
    regions: [{ description: 'Vườn mít ruột đỏ Bù Đốp', district: '693' }],
    // Published OCOP codes of 2021: their dates are fixed (the day is illustrative, the year is the code's).
    certificates: [{ seq: '', publishedNumber: '70-31-2021', decisionDate: '2021-12-15', stars: 4, monthsAgo: 0, level: 'province', legalBasis: 'QD-1048-2019' }],
    batch: { lot: 'PT79-2022-03', quantity: 50, monthsAgo: 0, producedOn: '2022-12-05', bestBeforeMonths: 1 },
  },
  {
    slug: 'buoi-da-xanh-bu-dop', name: 'Bưởi da xanh', producer: 'buoi-bu-dop', group: 'food', description: 'Bưởi da xanh Bù Đốp.',
    regions: [{ description: 'Vườn bưởi Bù Đốp', district: '693' }],
    certificates: [{ seq: '', publishedNumber: '70-32-2021', decisionDate: '2021-12-15', stars: 4, monthsAgo: 0, level: 'province', legalBasis: 'QD-1048-2019' }],
  },
  {
    slug: 'ho-tieu-huu-co-loc-quang', name: 'Hồ tiêu hữu cơ', producer: 'loc-quang', group: 'food', description: 'Hồ tiêu hữu cơ Lộc Ninh.',
    regions: [{ description: 'Vùng tiêu Lộc Ninh (Lộc An, Lộc Thạnh, Lộc Quang, Lộc Hòa, Lộc Tấn), khoảng 4.000 ha', district: '692', commune: 'Lộc Quang', areaHa: 4000 }],
    certificates: [{ seq: '051', stars: 4, monthsAgo: 26, level: 'province', legalBasis: 'QD-148-2023' }],
  },
  {
    slug: 'tho-cam-stieng-bu-dang', name: "Khăn thổ cẩm S'tiêng (minh họa)", producer: 'tho-cam', group: 'textiles', description: 'Sản phẩm minh họa: khăn dệt thổ cẩm thủ công.',
    regions: [{ description: 'Sợi bông nhuộm màu tự nhiên, Bù Đăng', district: '696' }],
    certificates: [{ seq: '101', demo: true, stars: 3, monthsAgo: 6, level: 'province', legalBasis: 'QD-148-2023' }],
  },
  {
    slug: 'du-lich-cong-dong-bu-dang', name: 'Tour du lịch cộng đồng Bù Đăng (minh họa)', producer: 'du-lich', group: 'tourism', description: 'Dịch vụ minh họa: trải nghiệm văn hóa cộng đồng một ngày.',
    regions: [{ description: 'Điểm du lịch cộng đồng tại Bù Đăng', district: '696' }],
    certificates: [{ seq: '102', demo: true, stars: 3, monthsAgo: 4, level: 'province', legalBasis: 'QD-148-2023' }],
  },
  {
    slug: 'mat-ong-rung-bu-gia-map', name: 'Mật ong rừng (minh họa)', producer: 'mat-ong', group: 'food', description: 'Sản phẩm minh họa cho trạng thái bị thu hồi.',
    regions: [{ description: 'Rừng tràm Bù Gia Mập', district: '691' }],
    certificates: [{ seq: '103', demo: true, stars: 3, monthsAgo: 16, level: 'province', legalBasis: 'QD-148-2023', revoke: { ground: 'production_stopped', note: 'Hộ ngừng sản xuất (dữ liệu minh họa)', monthsAgo: 1 } }],
    batch: { lot: 'MO-2025-12', quantity: 30, monthsAgo: 6, bestBeforeMonths: 18 },
  },
  {
    // Renewal pending: expired two months ago; the re-evaluation file came in before expiry.
    slug: 'banh-trang-phoi-suong-phu-rieng', name: 'Bánh tráng phơi sương (minh họa)', producer: 'dac-san', group: 'food', description: 'Sản phẩm minh họa cho trạng thái hết hạn, đang xét gia hạn.',
    regions: [{ description: 'Gạo và khoai mì địa phương, Phú Riềng', district: '698' }],
    certificates: [{ seq: '104', demo: true, stars: 4, monthsAgo: 38, level: 'province', legalBasis: 'QD-148-2023' }],
    batch: { lot: 'BT-05', quantity: 200, monthsAgo: 5, bestBeforeMonths: 9 },
    renewalReceivedDaysAgo: 75,
  },
  {
    // Past best-before: a lot whose date has passed while the certificate is valid.
    slug: 'mut-dieu-phu-rieng', name: 'Mứt điều (minh họa)', producer: 'dac-san', group: 'food', description: 'Sản phẩm minh họa cho lô hàng đã quá hạn sử dụng.',
    regions: [cashew],
    certificates: [{ seq: '105', demo: true, stars: 4, monthsAgo: 12, level: 'province', legalBasis: 'QD-148-2023' }],
    batch: { lot: 'MD-02', quantity: 100, monthsAgo: 10, bestBeforeMonths: 6 },
  },
];

/** A demo certificate as the seed writes it on `today`'s seed (decision date, number, body). */
export interface PlannedCertificate {
  number: string;
  body: string;
  level: DemoCertificate['level'];
  suffix: string;
  decisionDate: string;
  stars: Stars;
  legalBasis: DemoCertificate['legalBasis'];
}

export function plannedCertificates(p: DemoProduct, today: string): PlannedCertificate[] {
  return p.certificates.map((c) => {
    const decisionDate = c.decisionDate ?? addDays(addMonthsClamped(today, -c.monthsAgo), c.plusDays ?? 0);
    return { ...demoIssue(c, decisionDate), decisionDate, stars: c.stars, legalBasis: c.legalBasis };
  });
}

/**
 * The number of a demo product's certificate as seeded on `today` (the last one by default):
 * numbers carry the year of their decision, so tests ask here rather than spell them.
 */
export function demoCertificateNumber(slug: string, today: string, index = -1): string {
  const product = DEMO_PRODUCTS.find((p) => p.slug === slug);
  const planned = product ? plannedCertificates(product, today).at(index) : undefined;
  if (!planned) throw new Error(`No demo certificate ${index} of ${slug}`);
  return planned.number;
}
