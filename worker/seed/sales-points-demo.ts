// Demo showrooms and sales points (issue 12). Every one is illustrative and marked so (name
// "(minh họa)" and the `illustrative` flag the pages show): the shared notes hold no list of
// showrooms or shops, so the places, coordinates, hours and phone numbers are invented;
// only the units (former districts and communes, the 2025 merger) are real. Online shops
// point at the reserved `.example` domain, which can never be a real shop.
import type { Kysely } from 'kysely';
import type { Database } from '../../schema/database';
import type { Actor } from '../db/audit';
import { createSalesPoint, type SalesPointInput } from '../db/sales-points';
import { ALL_SCOPE } from '../db/scope';
import type { SalesPointKind } from '../domain/vocabulary';
import { ALL_UNITS } from './reference-data';

interface DemoPoint {
  kind: SalesPointKind;
  name: string;
  /** The producer (by name) whose own point this is. */
  producer?: string;
  addressLine?: string;
  unitId: string | null;
  formerUnitId: string | null;
  at?: [number, number];
  openingHours?: string;
  phone?: string;
  url?: string;
  products: string[];
}

const HA_MY = 'Công ty Cổ phần Hà Mỵ';

export const DEMO_SALES_POINTS: DemoPoint[] = [
  {
    kind: 'showroom', name: 'Điểm giới thiệu và bán sản phẩm OCOP Đồng Xoài (minh họa)', addressLine: 'Đường Phú Riềng Đỏ (minh họa)',
    unitId: 'c-2025-phuong-binh-phuoc', formerUnitId: 'd-689', at: [11.5349, 106.8832], openingHours: 'Thứ Hai – Chủ nhật, 7:30 – 20:00', phone: '0271 000 0001',
    products: ['hat-dieu-rang-muoi-ha-my', 'keo-dieu-ha-my', 'ca-phe-robusta-ha-my', 'ca-phe-nguyen-chat-cong', 'dieu-mat-ong-phuc-thinh', 'banh-cashewpie-vinahe', 'yen-sao-nam-phu', 'tieu-den-vo-thi-hien', 'ho-tieu-huu-co-loc-quang'],
  },
  {
    kind: 'showroom', name: 'Điểm giới thiệu sản phẩm OCOP Đồng Phú (minh họa)', unitId: 'c-2025-xa-dong-phu', formerUnitId: 'd-695', at: [11.4771, 106.9394],
    openingHours: 'Thứ Hai – Thứ Bảy, 7:30 – 17:00', phone: '0271 000 0002', products: ['hat-dieu-rang-muoi-ha-my', 'keo-dieu-ha-my', 'ca-phe-robusta-ha-my'],
  },
  {
    // The commune Bù Đăng's centre belongs to since 2025 is not in the shared notes: the point is placed in the province, with its former district.
    kind: 'showroom', name: 'Điểm giới thiệu sản phẩm OCOP Bù Đăng (minh họa)', unitId: 'p-dong-nai', formerUnitId: 'd-696', at: [11.8037, 107.2419],
    openingHours: 'Thứ Hai – Chủ nhật, 8:00 – 18:00', products: ['hat-dieu-rang-muoi-green-lotus', 'tho-cam-stieng-bu-dang', 'du-lich-cong-dong-bu-dang'],
  },
  {
    kind: 'supermarket', name: 'Siêu thị tại Đồng Xoài (minh họa)', unitId: 'c-2025-phuong-binh-phuoc', formerUnitId: 'd-689', at: [11.5392, 106.8967],
    openingHours: '8:00 – 22:00', products: ['hat-dieu-rang-muoi-ha-my', 'ca-phe-nguyen-chat-cong', 'banh-cashewpie-vinahe'],
  },
  {
    kind: 'shop', name: 'Cửa hàng Hà Mỵ tại xưởng (minh họa)', producer: HA_MY, addressLine: 'Xã Tân Lập cũ (minh họa)', unitId: 'c-2025-xa-dong-phu', formerUnitId: 'c-695-tan-lap',
    at: [11.5857, 106.9321], openingHours: '7:00 – 17:00', phone: '0271 000 0003', products: ['hat-dieu-rang-muoi-ha-my', 'keo-dieu-ha-my', 'ca-phe-robusta-ha-my'],
  },
  {
    kind: 'online', name: 'Cửa hàng trực tuyến Hà Mỵ (minh họa)', producer: HA_MY, unitId: null, formerUnitId: null, url: 'https://cuahang.ha-my.example/',
    products: ['hat-dieu-rang-muoi-ha-my', 'keo-dieu-ha-my', 'ca-phe-robusta-ha-my'],
  },
  {
    kind: 'market_stall', name: 'Sạp hồ tiêu chợ Lộc Ninh (minh họa)', unitId: 'p-dong-nai', formerUnitId: 'd-692', at: [11.8385, 106.5891],
    openingHours: '5:30 – 11:00', products: ['ho-tieu-huu-co-loc-quang'],
  },
];

/** Which new unit came from which old ones: the successor links of the reference units, as rows. */
export function unitPredecessorRows(): { unit_id: string; predecessor_id: string }[] {
  return ALL_UNITS.filter((u) => u.successor_id !== null).map((u) => ({ unit_id: u.successor_id!, predecessor_id: u.id }));
}

export async function seedUnitPredecessors(db: Kysely<Database>): Promise<void> {
  const rows = unitPredecessorRows();
  if (rows.length > 0) await db.insertInto('admin_unit_predecessors').values(rows).onConflict((oc) => oc.doNothing()).execute();
}

export async function seedDemoSalesPoints(db: Kysely<Database>, actor: Actor): Promise<number> {
  const products = await db.selectFrom('products').select(['id', 'slug']).execute();
  const bySlug = new Map(products.map((p) => [p.slug, p.id]));
  const producers = await db.selectFrom('producers').select(['id', 'name']).execute();
  const byName = new Map(producers.map((p) => [p.name, p.id]));
  let n = 0;
  for (const p of DEMO_SALES_POINTS) {
    const producerId = p.producer ? (byName.get(p.producer) ?? null) : null;
    if (p.producer && producerId === null) continue;
    const input: SalesPointInput = {
      kind: p.kind, name: p.name, producerId, addressLine: p.addressLine ?? null, unitId: p.unitId, formerUnitId: p.formerUnitId,
      latitude: p.at?.[0] ?? null, longitude: p.at?.[1] ?? null, openingHours: p.openingHours ?? null, phone: p.phone ?? null, url: p.url ?? null,
      note: 'Dữ liệu minh họa / Illustrative data',
      // Demo products another version of the demo data may have renamed are left out, not failed on.
      productIds: p.products.map((s) => bySlug.get(s)).filter((id): id is number => id !== undefined),
    };
    await createSalesPoint(db, actor, ALL_SCOPE, input, { illustrative: true });
    n++;
  }
  return n;
}
