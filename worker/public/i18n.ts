import type { Context } from 'hono';
import { VN_OFFSET_MINUTES } from '../domain/dates';

/** Vietnamese first; English from `?lang=en` or, failing that, an Accept-Language preferring English. */
export type Lang = 'vi' | 'en';

/** A string in both languages, Vietnamese first as everywhere in the app. */
export type Tr = (vi: string, en: string) => string;

export function translator(lang: Lang): Tr {
  return lang === 'en' ? (_vi, en) => en : (vi) => vi;
}

/**
 * `?lang=` wins (the visible switch); else the first of vi/en in Accept-Language by
 * q-value; else Vietnamese. Anything unexpected falls back to Vietnamese.
 */
export function pickLang(c: Context): Lang {
  const q = c.req.query('lang');
  if (q === 'en' || q === 'vi') return q;
  return langFromAcceptLanguage(c.req.header('accept-language'));
}

export function langFromAcceptLanguage(header: string | undefined): Lang {
  if (!header || header.length > 500) return 'vi';
  let best: { lang: Lang; q: number } | null = null;
  for (const part of header.split(',').slice(0, 20)) {
    const [tag = '', ...params] = part.trim().toLowerCase().split(';');
    const primary = tag.trim().split('-')[0];
    if (primary !== 'vi' && primary !== 'en') continue;
    let q = 1;
    for (const p of params) {
      const m = /^\s*q=([01](?:\.\d{0,3})?)\s*$/.exec(p);
      if (m) q = Number(m[1]);
    }
    if (q > 0 && (!best || q > best.q)) best = { lang: primary, q };
  }
  return best?.lang ?? 'vi';
}

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** 'YYYY-MM-DD' as people read it: 10/05/2026 in Vietnamese, 10 May 2026 in English. */
export function formatDate(lang: Lang, iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  return lang === 'en' ? `${Number(m[3])} ${MONTHS_EN[Number(m[2]) - 1]} ${m[1]}` : `${m[3]}/${m[2]}/${m[1]}`;
}

/** An instant as a Vietnam calendar date (scan times are shown to the day, nothing finer). */
export function formatInstantDate(lang: Lang, at: Date): string {
  const local = new Date(at.getTime() + VN_OFFSET_MINUTES * 60_000);
  return formatDate(lang, local.toISOString().slice(0, 10));
}

export function formatNumber(lang: Lang, n: number): string {
  // Vietnamese groups thousands with dots.
  const s = Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, lang === 'en' ? ',' : '.');
  return s;
}

/** The URL of the same page in the other language (the visible switch). */
export function switchLangHref(c: Context, to: Lang): string {
  const url = new URL(c.req.url);
  url.searchParams.set('lang', to);
  return `${url.pathname}${url.search}`;
}
