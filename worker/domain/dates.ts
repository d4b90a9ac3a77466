import { DomainError } from './errors';

/** A calendar date, 'YYYY-MM-DD', with no time and no zone. */
export type IsoDate = string;

/**
 * Vietnam is UTC+7 all year (no DST), so a fixed offset is exact and independent of the host TZ.
 * (Southern Vietnam used UTC+8 until 1975; irrelevant for OCOP, which began in 2018.)
 */
export const VN_OFFSET_MINUTES = 420;

const MS_PER_DAY = 86_400_000;
const ISO_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

// Integer day arithmetic (days since 1970-01-01, proleptic Gregorian) instead of `Date`:
// `Date.UTC` treats years 0-99 as 19xx and invites local-time mistakes.
interface Ymd {
  y: number;
  m: number;
  d: number;
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function parseYmd(s: string): Ymd | null {
  const m = ISO_DATE_RE.exec(s);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
  return { y, m: mo, d };
}

function requireYmd(s: IsoDate): Ymd {
  const ymd = typeof s === 'string' ? parseYmd(s) : null;
  if (!ymd) {
    throw new DomainError('invalid_date', `Invalid date: ${String(s)} (expected YYYY-MM-DD)`, `Ngày không hợp lệ: ${String(s)} (định dạng YYYY-MM-DD)`);
  }
  return ymd;
}

function requireInteger(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) {
    throw new DomainError('invalid_number', `${what} must be a whole number, got ${n}`, `${what} phải là số nguyên, nhận được ${n}`);
  }
}

// Howard Hinnant's days_from_civil / civil_from_days.
function toEpochDay({ y, m, d }: Ymd): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function fromEpochDay(z0: number): Ymd {
  const z = z0 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

function format({ y, m, d }: Ymd): IsoDate {
  if (y < 1 || y > 9999) {
    throw new DomainError('date_out_of_range', `Date out of range (year ${y})`, `Ngày nằm ngoài phạm vi cho phép (năm ${y})`);
  }
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Strict: only real calendar dates in 'YYYY-MM-DD' (years 0001-9999); anything else is null. */
export function parseIsoDate(s: string): IsoDate | null {
  if (typeof s !== 'string') return null;
  const ymd = parseYmd(s);
  return ymd ? format(ymd) : null;
}

/** The calendar date in Asia/Ho_Chi_Minh at the instant `now`. */
export function todayInVietnam(now: Date): IsoDate {
  const ms = now instanceof Date ? now.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new DomainError('invalid_instant', 'Invalid point in time', 'Thời điểm không hợp lệ');
  }
  return format(fromEpochDay(Math.floor((ms + VN_OFFSET_MINUTES * 60_000) / MS_PER_DAY)));
}

export function addDays(d: IsoDate, n: number): IsoDate {
  requireInteger(n, 'Days');
  return format(fromEpochDay(toEpochDay(requireYmd(d)) + n));
}

/** Adds calendar months; a day that does not exist in the target month becomes its last day. */
export function addMonthsClamped(d: IsoDate, n: number): IsoDate {
  requireInteger(n, 'Months');
  const { y, m, d: day } = requireYmd(d);
  const total = y * 12 + (m - 1) + n;
  const y2 = Math.floor(total / 12);
  const m2 = total - y2 * 12 + 1;
  return format({ y: y2, m: m2, d: Math.min(day, daysInMonth(y2, m2)) });
}

/** b − a in whole days (negative when b is before a). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return toEpochDay(requireYmd(b)) - toEpochDay(requireYmd(a));
}

/** Lexicographic order is date order for valid IsoDates; this also validates both. */
export function compareIsoDates(a: IsoDate, b: IsoDate): number {
  return Math.sign(daysBetween(b, a));
}

/** 00:00 in Vietnam (UTC+7, no daylight saving) of a calendar day, as an instant. */
export function vietnamDayStart(day: IsoDate): Date {
  return new Date(`${day}T00:00:00+07:00`);
}
