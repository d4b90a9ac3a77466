// Reading one cell of a register as the value it means. Offices type dates, stars and kinds
// in many ways; each reader accepts the common ones and otherwise says, in Vietnamese, what
// it expected. Pure: no I/O, no clock.
import { addDays, parseIsoDate, type IsoDate } from './dates';
import { foldVietnamese } from './search';
import {
  REVOCATION_GROUND_LABELS, REVOCATION_GROUNDS,
  type CouncilLevel, type IssuingLevel, type LegalForm, type RevocationGround,
} from './vocabulary';

export type Parsed<T> = { ok: true; value: T } | { ok: false; messageVi: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(messageVi: string): Parsed<T> => ({ ok: false, messageVi });

function key(s: string): string {
  return foldVietnamese(s).replace(/[^a-z0-9]+/g, ' ').trim();
}

/** 1900-03-01 onwards: Excel's serial 61 (Excel counts a 29 Feb 1900 that never was). */
const EXCEL_EPOCH: IsoDate = '1899-12-30';

function ymd(y: number, m: number, d: number): IsoDate | null {
  const s = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return parseIsoDate(s);
}

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };

/**
 * dd/mm/yyyy (also with '-' or '.'), d/m/yy (20yy), yyyy-mm-dd, an Excel serial number,
 * "ngày 15 tháng 5 năm 2023", "15 tháng 5, 2023", "15-May-2023". Day first, always: a
 * Vietnamese register never writes month first, so 03/04/2023 is 3 April.
 */
export function parseRegisterDate(raw: string): Parsed<IsoDate> {
  const s = raw.trim();
  const expected = `Ngày "${s}" không đọc được (ví dụ đúng: 15/05/2023 hoặc 2023-05-15)`;
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+Z?)?$/.exec(s);
  if (m) return fromParts(Number(m[1]), Number(m[2]), Number(m[3]), expected);
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(s);
  if (m) {
    const y = m[3]!.length === 2 ? 2000 + Number(m[3]) : Number(m[3]);
    return fromParts(y, Number(m[2]), Number(m[1]), expected);
  }
  // An Excel serial, with a time of day as its fraction (45061.5 is noon).
  m = /^(\d{4,5})(?:\.\d+)?$/.exec(s);
  if (m) {
    const serial = Number(m[1]);
    // 1990-01-01 … 2100-01-01: a serial outside that is a typo, not a register date.
    if (serial < 32874 || serial > 73051) return bad(`Số ${s} không phải ngày hợp lệ (số ngày kiểu Excel ngoài khoảng 1990-2100)`);
    return ok(addDays(EXCEL_EPOCH, serial));
  }
  const f = foldVietnamese(s);
  m = /^(?:ngay\s+)?(\d{1,2})\s*(?:thang|\/)\s*(\d{1,2})\s*(?:,|nam|\/)?\s*(?:nam\s+)?(\d{4})$/.exec(f);
  if (m) return fromParts(Number(m[3]), Number(m[2]), Number(m[1]), expected);
  m = /^(\d{1,2})[\s-]([a-z]{3})[a-z]*[\s-,]+(\d{4})$/.exec(f);
  if (m && MONTHS[m[2]!]) return fromParts(Number(m[3]), MONTHS[m[2]!]!, Number(m[1]), expected);
  return bad(expected);
}

function fromParts(y: number, mo: number, d: number, expected: string): Parsed<IsoDate> {
  const date = y >= 1990 && y <= 2100 ? ymd(y, mo, d) : null;
  return date ? ok(date) : bad(expected);
}

/** "4", "4 sao", "4*", "★★★★", "4 ★", "Bốn sao", "4.0". */
export function parseRegisterStars(raw: string): Parsed<number> {
  const s = raw.trim();
  const stars = [...s].filter((ch) => ch === '★' || ch === '⭐').length;
  if (stars > 0 && s.replace(/[★⭐\s]/g, '') === '') return stars >= 1 && stars <= 5 ? ok(stars) : bad(`Hạng sao "${s}" phải từ 1 đến 5`);
  const f = key(s);
  const words: Record<string, number> = { mot: 1, hai: 2, ba: 3, bon: 4, tu: 4, nam: 5 };
  const m = /^(\d+(?:\.0+)?|mot|hai|ba|bon|tu|nam)(?: sao| star| stars)?$/.exec(f.replace(/\s*\*+$/, '').replace(/ 0$/, ''));
  const n = m ? (words[m[1]!] ?? Number(m[1])) : Number.NaN;
  if (Number.isInteger(n) && n >= 1 && n <= 5) return ok(n);
  return bad(`Hạng sao "${s}" không đọc được (ví dụ: 4, 4 sao, ★★★★)`);
}

/** A score with ',' or '.' as the decimal mark. */
export function parseRegisterNumber(raw: string, label: string): Parsed<number> {
  const s = raw.trim().replace(/\s/g, '');
  const normal = /^\d+,\d+$/.test(s) ? s.replace(',', '.') : s;
  if (!/^\d+(\.\d+)?$/.test(normal)) return bad(`${label} "${raw.trim()}" không phải là số`);
  return ok(Number(normal));
}

export function parseLegalForm(raw: string): Parsed<LegalForm> {
  const f = key(raw);
  if (/^(hop tac xa|htx)\b/.test(f)) return ok('hop_tac_xa');
  if (/^(to hop tac|tht)\b/.test(f)) return ok('to_hop_tac');
  if (/^(doanh nghiep|dn|cong ty|cty|dntn|tnhh|co phan|ctcp)\b/.test(f)) return ok('doanh_nghiep');
  // Not a bare "Hộ": it is also a family name (Hồ).
  if (/^(ho kinh doanh|hkd|ho san xuat|ho gia dinh|co so|ca the)\b/.test(f)) return ok('ho_kinh_doanh');
  return bad(`Loại hình "${raw.trim()}" không rõ (Doanh nghiệp, Hợp tác xã, Tổ hợp tác, Hộ kinh doanh)`);
}

/** The legal form a producer's name states ("HTX …", "Công ty TNHH …", "Hộ kinh doanh …"), if any. */
export function legalFormFromName(name: string): LegalForm | null {
  const r = parseLegalForm(name);
  return r.ok ? r.value : null;
}

export function parseCouncilLevel(raw: string): Parsed<CouncilLevel> {
  const f = key(raw);
  if (/\b(trung uong|bo|quoc gia|tw)\b/.test(f)) return ok('national');
  if (/\b(tinh|province)\b/.test(f)) return ok('province');
  if (/\b(huyen|thi xa|thanh pho|district)\b/.test(f)) return ok('district');
  if (/\b(xa|phuong|thi tran|commune)\b/.test(f)) return ok('commune');
  return bad(`Cấp "${raw.trim()}" không rõ (Cấp xã, Cấp huyện, Cấp tỉnh, Trung ương)`);
}

/** The level of the body that signed a decision, from its name ("UBND tỉnh …", "Bộ Nông nghiệp …"). */
export function issuingLevelFromBody(body: string): IssuingLevel | null {
  const f = key(body);
  if (/^(bo|bo truong)\b/.test(f) || /\b(trung uong|chinh phu|thu tuong)\b/.test(f)) return 'national';
  if (/\b(huyen|thi xa)\b/.test(f) || /\bubnd thanh pho\b/.test(f) && !/\btinh\b/.test(f)) return 'district';
  if (/\btinh\b/.test(f)) return 'province';
  return null;
}

export function parseIssuingLevel(raw: string): Parsed<IssuingLevel> {
  const r = parseCouncilLevel(raw);
  if (!r.ok) return bad(`Cấp công nhận "${raw.trim()}" không rõ (Cấp huyện, Cấp tỉnh, Trung ương)`);
  if (r.value === 'commune') return bad('Cấp xã không ban hành quyết định công nhận OCOP');
  return ok(r.value);
}

/** What a register says about a certificate: expired is a reading of the dates, kept to check them. */
export type RegisterStatus = 'active' | 'expired' | 'revoked' | 'superseded';

export function parseRegisterStatus(raw: string): Parsed<RegisterStatus> {
  const f = key(raw);
  if (/\b(thu hoi|huy|revoked)\b/.test(f)) return ok('revoked');
  if (/\b(thay the|da gia han|superseded)\b/.test(f)) return ok('superseded');
  if (/\b(het han|het hieu luc|qua han|expired)\b/.test(f)) return ok('expired');
  if (/\b(con hieu luc|con han|hieu luc|dang hieu luc|active|valid)\b/.test(f)) return ok('active');
  return bad(`Tình trạng "${raw.trim()}" không rõ (Còn hiệu lực, Hết hạn, Đã thu hồi, Đã thay thế)`);
}

const GROUND_WORDS: [RegExp, RevocationGround][] = [
  [/het han.*(khong|chua).*danh gia/, 'expired_not_reevaluated'],
  [/(khong dat|truot).*danh gia lai|danh gia lai.*khong dat/, 'failed_reevaluation'],
  [/quy trinh/, 'not_certified_process'],
  [/an toan thuc pham|attp|ve sinh thuc pham/, 'food_safety_violation'],
  [/ho so|truy xuat/, 'no_quality_records'],
  [/ngung san xuat|dung san xuat|giai the|ngung hoat dong/, 'production_stopped'],
];

/** A ground by its label or common words; anything else is "other" with the text kept as the note. */
export function parseRevocationGround(raw: string): { ground: RevocationGround; note: string | null } {
  const f = key(raw);
  for (const g of REVOCATION_GROUNDS) if (key(REVOCATION_GROUND_LABELS[g].vi) === f || g === raw.trim()) return { ground: g, note: null };
  for (const [re, g] of GROUND_WORDS) if (re.test(f)) return { ground: g, note: raw.trim() };
  return { ground: 'other', note: raw.trim() || null };
}

/** Tax codes are 10 digits, or 10 + '-' + 3 for a branch; spaces and dots typed in are dropped. */
export function parseTaxCode(raw: string): Parsed<string> {
  const s = raw.replace(/[\s.]/g, '');
  if (/^\d{10}(-\d{3})?$/.test(s)) return ok(s);
  return bad(`Mã số thuế "${raw.trim()}" phải gồm 10 chữ số (hoặc 10 số, dấu -, 3 số cho chi nhánh)`);
}

/** Certificate numbers as stored: upper case, letters without diacritics, digits, . / -. */
export function parseCertificateNumber(raw: string): Parsed<string> {
  const s = raw.trim().toUpperCase();
  if (/^[A-Z0-9][A-Z0-9./-]{2,39}$/.test(s)) return ok(s);
  return bad(`Số giấy chứng nhận "${raw.trim()}" chỉ được gồm chữ không dấu, số và . / - (3 đến 40 ký tự)`);
}
