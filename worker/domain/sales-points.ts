// Rules of where to buy (issue 12): what a sales point must hold to be shown to shoppers,
// how far away it is, and how its coordinates open the phone's map app. Pure.
import type { SalesPointKind } from './vocabulary';

/**
 * Vietnam's extent with a margin: mainland 8.18-23.39°N, 102.14-109.47°E; the eastern limit
 * takes in the offshore islands (Trường Sa to about 117.8°E). A point outside is a typo
 * (swapped latitude and longitude, a missing minus sign, a decimal comma read as a
 * thousands separator), and would send a shopper's map app to the wrong place.
 */
export const VIETNAM_BOUNDS = { minLat: 8.0, maxLat: 23.5, minLng: 102.0, maxLng: 117.9 } as const;

export function inVietnam(lat: number, lng: number): boolean {
  const b = VIETNAM_BOUNDS;
  return lat >= b.minLat && lat <= b.maxLat && lng >= b.minLng && lng <= b.maxLng;
}

/** Online shops are links a shopper follows from a public page: https only, no credentials in the URL. */
export function isSafeShopUrl(raw: string): boolean {
  if (raw.length > 500 || /\s/.test(raw)) return false;
  try {
    const u = new URL(raw);
    return u.protocol === 'https:' && u.username === '' && u.password === '' && u.hostname.includes('.');
  } catch {
    return false;
  }
}

export interface Coordinates {
  lat: number;
  lng: number;
}

/** Great-circle distance in km (haversine): the order of "nearest first". */
export function distanceKm(a: Coordinates, b: Coordinates): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Coordinates rounded to 5 decimals (about 1 m), as links carry them. */
function fixed(x: number): string {
  return String(Math.round(x * 1e5) / 1e5);
}

/**
 * Links that open the phone's map app at a point, no map library needed: `geo:` (RFC 5870,
 * Android opens the chosen map app) and an https maps link (iPhones and desktops; Google
 * Maps' documented `api=1` search URL, which opens the app when installed).
 */
export function mapLinks(p: Coordinates, label: string): { geo: string; web: string } {
  const ll = `${fixed(p.lat)},${fixed(p.lng)}`;
  return {
    geo: `geo:${ll}?q=${ll}(${encodeURIComponent(label)})`,
    web: `https://www.google.com/maps/search/?api=1&query=${ll}`,
  };
}

/** A shopper's position from ?lat=&lng=: both numbers and inside Vietnam, else none (the list falls back to "by area"). */
export function parseNear(lat: string | undefined, lng: string | undefined): Coordinates | null {
  if (lat === undefined || lng === undefined || lat.length > 20 || lng.length > 20) return null;
  if (!/^-?[0-9]{1,3}(\.[0-9]+)?$/.test(lat) || !/^-?[0-9]{1,3}(\.[0-9]+)?$/.test(lng)) return null;
  const p = { lat: Number(lat), lng: Number(lng) };
  return inVietnam(p.lat, p.lng) ? p : null;
}

/** Why a point cannot be stored as given, or null: the rules the database checks enforce too. */
export function salesPointProblem(p: { kind: SalesPointKind; producerId: number | null; unitId: string | null; url: string | null; latitude: number | null; longitude: number | null }):
  | { code: 'showroom_has_producer' | 'online_needs_url' | 'place_needs_unit' | 'coordinates_pair' | 'outside_vietnam' | 'unsafe_url'; field: string; vi: string; en: string }
  | null {
  if (p.kind === 'showroom' && p.producerId !== null) return { code: 'showroom_has_producer', field: 'producerId', vi: 'Điểm giới thiệu sản phẩm OCOP do cơ quan quản lý, không thuộc một chủ thể', en: 'An OCOP showroom is managed by officials, not by one producer' };
  if (p.kind === 'online' && p.url === null) return { code: 'online_needs_url', field: 'url', vi: 'Cửa hàng trực tuyến cần đường dẫn https', en: 'An online shop needs an https link' };
  if (p.url !== null && !isSafeShopUrl(p.url)) return { code: 'unsafe_url', field: 'url', vi: 'Đường dẫn phải bắt đầu bằng https:// và không chứa khoảng trắng', en: 'The link must start with https:// and hold no spaces' };
  if (p.kind !== 'online' && p.unitId === null) return { code: 'place_needs_unit', field: 'unitId', vi: 'Hãy chọn xã, phường nơi đặt điểm bán', en: 'Choose the commune or ward the point is in' };
  if ((p.latitude === null) !== (p.longitude === null)) return { code: 'coordinates_pair', field: 'latitude', vi: 'Nhập cả vĩ độ và kinh độ, hoặc bỏ trống cả hai', en: 'Enter both latitude and longitude, or neither' };
  if (p.latitude !== null && p.longitude !== null && !inVietnam(p.latitude, p.longitude)) return { code: 'outside_vietnam', field: 'latitude', vi: 'Tọa độ nằm ngoài lãnh thổ Việt Nam (vĩ độ 8–23,5; kinh độ 102–117,9): kiểm tra lại, có thể bị đảo vĩ độ và kinh độ', en: 'The coordinates lie outside Vietnam (lat 8–23.5, lng 102–117.9): check them, latitude and longitude may be swapped' };
  return null;
}
