import type { Context } from 'hono';
import { hexEncode } from '../codes/hex';
import { todayInVietnam } from '../domain/dates';

// What the service keeps about who scanned: never the IP address. A coarse place from the
// edge's geolocation headers, and a keyed hash of the address that changes every day, so
// scans of one day can be told apart (copied labels, report rate limits) but nobody can
// follow a phone across days or recover its address.

const CONTROL = /[\u0000-\u001f\u007f]/g;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** HTTP header values are bytes; runtimes hand UTF-8 text ("Hồ Chí Minh") over as Latin-1 characters. */
function latin1AsUtf8(value: string): string {
  if (!/[\u0080-\u00ff]/.test(value) || /[^\u0000-\u00ff]/.test(value)) return value;
  const bytes = new Uint8Array(value.length);
  for (let i = 0; i < value.length; i++) bytes[i] = value.charCodeAt(i);
  try {
    return utf8.decode(bytes);
  } catch {
    return value;
  }
}

/** "VN-Hồ Chí Minh" from Cloudflare's cf-ipcountry / cf-region (or request.cf on Workers); null elsewhere. */
export function coarsePlace(c: Context): string | null {
  const cf = (c.req.raw as Request & { cf?: { country?: unknown; region?: unknown } }).cf;
  const country = (c.req.header('cf-ipcountry') ?? (typeof cf?.country === 'string' ? cf.country : '')).trim().toUpperCase();
  if (!/^[A-Z][A-Z0-9]$/.test(country) || country === 'XX') return null;
  const regionRaw = typeof cf?.region === 'string' ? cf.region : latin1AsUtf8(c.req.header('cf-region') ?? '');
  const region = regionRaw.replace(CONTROL, '').trim().slice(0, 60);
  return region ? `${country}-${region}` : country;
}

const hashKeys = new WeakMap<Uint8Array, Promise<CryptoKey>>();

function hmacKey(secret: Uint8Array): Promise<CryptoKey> {
  let key = hashKeys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', secret as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    hashKeys.set(secret, key);
  }
  return key;
}

// Recent hashes: many scans come from few addresses (carrier NAT, a shop's Wi-Fi), and a
// WebCrypto call costs more than the rest of the logging.
const recentHashes = new WeakMap<Uint8Array, Map<string, string>>();

/** HMAC-SHA-256(secret, "client|<Vietnam date>|<address>"), first 16 bytes as hex. */
export async function clientHash(secret: Uint8Array, address: string, now: Date): Promise<string> {
  const input = `client|${todayInVietnam(now)}|${address}`;
  let recent = recentHashes.get(secret);
  if (!recent) {
    recent = new Map();
    recentHashes.set(secret, recent);
  }
  const hit = recent.get(input);
  if (hit) return hit;
  const key = await hmacKey(secret);
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(input));
  const hex = hexEncode(new Uint8Array(mac, 0, 16));
  if (recent.size >= 10_000) recent.clear();
  recent.set(input, hex);
  return hex;
}

const BOT = /bot\b|crawl|spider|slurp|facebookexternalhit|facebookcatalog|skypeuripreview|linkpreview/i;

/** Link previews and crawlers fetch the page too; they are not scans. (Zalo's and Facebook's in-app browsers are real shoppers and do not match.) */
export function looksLikeBot(c: Context): boolean {
  const ua = c.req.header('user-agent') ?? '';
  return BOT.test(ua);
}
