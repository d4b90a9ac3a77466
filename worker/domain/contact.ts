// Contact details a shopper can act on from the scan page: a phone to call, a Zalo chat, a
// website. Pure rules: what counts as a Vietnamese phone number, how it is stored, shown
// and dialled, and which websites may be linked from a public page.

/**
 * Vietnamese numbers since the 2017–2018 renumbering:
 * - mobile: 10 digits, 0 then 3, 5, 7, 8 or 9 (0912 345 678);
 * - landline: 11 digits, 02 then the area code and subscriber number (0271 3879 123);
 * - toll-free and premium service numbers: 1800 or 1900 then 4 or 6 digits (1800 1234).
 * A leading +84 or 84 (or 0084) stands for the 0 of mobile and landline numbers. Spaces, dots,
 * hyphens and brackets are accepted between digits, as people write them.
 */
export type PhoneKind = 'mobile' | 'landline' | 'service';

export interface Phone {
  kind: PhoneKind;
  /** Digits only, as dialled inside Vietnam (0912345678, 18001234): what the database stores. */
  national: string;
}

// One line only: a line break or tab inside a number is not how anyone writes one.
const SEPARATORS = /[ \u00a0.\-()]/g;

export function parseVietnamesePhone(raw: string): Phone | null {
  const trimmed = raw.trim();
  if (trimmed.length === 0 || trimmed.length > 24 || !/^\+?[0-9 \u00a0.\-()]+$/.test(trimmed)) return null;
  let digits = trimmed.replace(SEPARATORS, '');
  if (digits.startsWith('+84')) digits = `0${digits.slice(3)}`;
  else if (digits.startsWith('0084')) digits = `0${digits.slice(4)}`;
  else if (digits.startsWith('84') && (digits.length === 11 || digits.length === 12)) digits = `0${digits.slice(2)}`;
  if (digits.startsWith('+')) return null;
  if (/^0[35789][0-9]{8}$/.test(digits)) return { kind: 'mobile', national: digits };
  if (/^02[0-9]{9}$/.test(digits)) return { kind: 'landline', national: digits };
  if (/^1[89]00([0-9]{4}|[0-9]{6})$/.test(digits)) return { kind: 'service', national: digits };
  return null;
}

/** The `tel:` URI (RFC 3966): a global number with +84, or the service number as it is dialled. */
export function telHref(p: Phone): string {
  return p.kind === 'service' ? `tel:${p.national}` : `tel:+84${p.national.slice(1)}`;
}

/** Grouped as Vietnamese print does: 0912 345 678, 0271 3879 123, 1800 1234, 1900 123 456. */
export function formatPhone(p: Phone): string {
  const d = p.national;
  if (p.kind === 'mobile') return `${d.slice(0, 4)} ${d.slice(4, 7)} ${d.slice(7)}`;
  if (p.kind === 'landline') return `${d.slice(0, 4)} ${d.slice(4, 8)} ${d.slice(8)}`;
  return d.length === 8 ? `${d.slice(0, 4)} ${d.slice(4)}` : `${d.slice(0, 4)} ${d.slice(4, 7)} ${d.slice(7)}`;
}

/** Zalo accounts are opened with a mobile number; its chat link is zalo.me/<number>. */
export function zaloHref(p: Phone): string {
  return `https://zalo.me/${p.national}`;
}

export const WEBSITE_MAX = 200;

/**
 * A producer's website as linked from public pages: https only (a shopper's phone should
 * never be sent to a page anyone on the path can change), a host name with a dot, no user
 * name or password in it, at most 200 characters. Returns the normalised URL.
 */
export function parseWebsite(raw: string): string | null {
  const trimmed = raw.trim();
  if (trimmed.length === 0 || trimmed.length > WEBSITE_MAX || /\s/.test(trimmed)) return null;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '') return null;
  if (!/^[a-z0-9.-]+\.[a-z0-9-]{2,}$/i.test(url.hostname) || url.hostname.includes('..')) return null;
  return url.href.length <= WEBSITE_MAX ? url.href : null;
}

/** What a shopper reads for a website link: the host and path, without https:// and a bare trailing slash. */
export function websiteLabel(href: string): string {
  const url = new URL(href);
  const rest = `${url.pathname === '/' ? '' : url.pathname}${url.search}`;
  return `${url.hostname.replace(/^www\./, '')}${rest}`;
}
