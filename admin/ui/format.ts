// How the admin pages write dates, numbers and stars, the Vietnamese way (DD/MM/YYYY, 1.234).

export function fmtDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/** A moment in Vietnam's time zone (UTC+7, no daylight saving). */
export function fmtDateTime(d: Date | string | null | undefined): string {
  if (!d) return '—';
  const t = new Date(d);
  if (Number.isNaN(t.getTime())) return '—';
  const vn = new Date(t.getTime() + 7 * 3_600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(vn.getUTCDate())}/${p(vn.getUTCMonth() + 1)}/${vn.getUTCFullYear()} ${p(vn.getUTCHours())}:${p(vn.getUTCMinutes())}`;
}

export function fmtInt(n: number): string {
  return new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 }).format(n);
}

export function fmtScore(n: number): string {
  return new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 }).format(n);
}

export function fmtPercent(share: number): string {
  return `${new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 }).format(share * 100)}%`;
}

export function starText(n: number): string {
  const k = Math.max(0, Math.min(5, Math.round(n)));
  return '★'.repeat(k) + '☆'.repeat(5 - k);
}

export function share(part: number, whole: number): number {
  return whole > 0 ? part / whole : 0;
}

/** "Vietnamese / English" for each word of a vocabulary, where a plain string is needed (select options, cells). */
export function bilingualText<K extends string>(labels: Record<K, { vi: string; en: string }>): Record<K, string> {
  const out = {} as Record<K, string>;
  for (const k of Object.keys(labels) as K[]) out[k] = `${labels[k].vi} / ${labels[k].en}`;
  return out;
}
