/**
 * The search key of a text: Vietnamese diacritics and đ folded to their base letters, lower
 * case, so "hat dieu" finds "Hạt điều". The app's one folding: the database holds the same
 * key in generated columns (`search_name`, `search_text` of migration 2026-11-28-02,
 * `certificates.search_decision` of 2026-11-29-01) and queries compare a folded query to them.
 */
export function foldVietnamese(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase();
}

/** Query words, folded; at most 8 of at most 40 characters, so a pasted essay stays cheap. */
export function searchTokens(q: string): string[] {
  return foldVietnamese(q)
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 0)
    .slice(0, 8)
    .map((t) => t.slice(0, 40));
}

/** "Hạt điều rang muối" → "hat-dieu-rang-muoi": a URL slug from a name. */
export function slugify(s: string): string {
  return foldVietnamese(s).replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '') || 'san-pham';
}
