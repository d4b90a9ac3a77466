// How long the offline scanner trusts its copy of the certificates, batches and keys.
// Pure, and shared by the server (which announces the limit in the dataset) and the app.
//
// 24 hours: online, a revocation reaches every reader within 60 s (README, "Freshness");
// offline, the only bound is how old the copy is. A shop opens once a day and the phone is
// online at some point of it (home Wi-Fi, the morning's first scan), so a day-old copy is
// what "refreshed every working day" means, and a revocation older than a day is never
// missed. Older data can still say "not genuine" (a bad signature is bad forever) but never
// "genuine": it then says it cannot confirm and asks to go online.

export const OFFLINE_MAX_AGE_HOURS = 24;
/** A device clock this far behind the server's is wrong, and so is every age measured by it. */
const CLOCK_SLACK_MS = 10 * 60 * 1000;

export type DataAge =
  | { trusted: true; ageMs: number }
  | { trusted: false; ageMs: number; why: 'too_old' | 'clock_behind' | 'none' };

export function dataAge(generatedAt: string | null, now: Date, maxAgeHours = OFFLINE_MAX_AGE_HOURS): DataAge {
  const at = generatedAt === null ? Number.NaN : Date.parse(generatedAt);
  if (!Number.isFinite(at)) return { trusted: false, ageMs: Number.POSITIVE_INFINITY, why: 'none' };
  const ageMs = now.getTime() - at;
  if (ageMs < -CLOCK_SLACK_MS) return { trusted: false, ageMs, why: 'clock_behind' };
  if (ageMs > maxAgeHours * 3_600_000) return { trusted: false, ageMs, why: 'too_old' };
  return { trusted: true, ageMs: Math.max(0, ageMs) };
}

/** "cập nhật 2 giờ trước" / "updated 2 hours ago": whole minutes, hours, then days. */
export function ageText(ageMs: number): { vi: string; en: string } {
  if (!Number.isFinite(ageMs)) return { vi: 'chưa có dữ liệu', en: 'no data yet' };
  const minutes = Math.max(0, Math.floor(ageMs / 60_000));
  if (minutes < 1) return { vi: 'cập nhật vừa xong', en: 'updated just now' };
  if (minutes < 60) return { vi: `cập nhật ${minutes} phút trước`, en: `updated ${minutes} minute${minutes === 1 ? '' : 's'} ago` };
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return { vi: `cập nhật ${hours} giờ trước`, en: `updated ${hours} hour${hours === 1 ? '' : 's'} ago` };
  const days = Math.floor(hours / 24);
  return { vi: `cập nhật ${days} ngày trước`, en: `updated ${days} days ago` };
}
