// Administrative units (provinces, districts, communes and the 2025 merger): addresses on public pages, unit choices and area filters in the admin.
import { sql, type Kysely } from 'kysely';
import type { AdminUnit, Database } from '../../schema/database';

export type UnitIndex = ReadonlyMap<string, AdminUnit>;

export const TYPE_LABEL: Record<AdminUnit['unit_type'], string> = {
  tinh: 'tỉnh',
  thanh_pho_tw: 'thành phố',
  huyen: 'huyện',
  thi_xa: 'thị xã',
  thanh_pho: 'thành phố',
  xa: 'xã',
  phuong: 'phường',
  thi_tran: 'thị trấn',
  dac_khu: 'đặc khu',
};

export async function loadUnits(db: Kysely<Database>): Promise<UnitIndex> {
  const rows = await db.selectFrom('admin_units').selectAll().execute();
  return new Map(rows.map((u) => [u.id, u]));
}

export function unitLabel(u: AdminUnit): string {
  const type = TYPE_LABEL[u.unit_type];
  // Capitalise the type when it leads the phrase, as Vietnamese addresses are written.
  return `${type.charAt(0).toUpperCase()}${type.slice(1)} ${u.name}`;
}

function chain(units: UnitIndex, id: string | null): AdminUnit[] {
  const out: AdminUnit[] = [];
  let cur = id ? units.get(id) : undefined;
  while (cur && out.length < 5) {
    out.push(cur);
    cur = cur.parent_id ? units.get(cur.parent_id) : undefined;
  }
  return out;
}

/** "Xã Tân Lập, Huyện Đồng Phú, Tỉnh Bình Phước": the address exactly as it was issued. */
export function addressAsIssued(units: UnitIndex, unitId: string | null, line?: string | null): string {
  const parts = chain(units, unitId).map(unitLabel);
  return [line, ...parts].filter((p): p is string => !!p && p.trim() !== '').join(', ');
}

function current(units: UnitIndex, unit: AdminUnit, onDate: string): AdminUnit {
  let cur = unit;
  for (let i = 0; i < 5 && cur.valid_to && cur.valid_to <= onDate && cur.successor_id; i++) {
    const next = units.get(cur.successor_id);
    if (!next) break;
    cur = next;
  }
  return cur;
}

/**
 * The unit that holds an issued address today, after the 2025 merger: the commune's
 * successor, or (where the commune's fate is not known) the province's successor alone,
 * because the district level no longer exists. Null when nothing changed.
 */
export function addressNow(units: UnitIndex, unitId: string | null, onDate: string): string | null {
  const issued = chain(units, unitId);
  if (issued.length === 0) return null;
  const changed = issued.some((u) => u.valid_to !== null && u.valid_to <= onDate);
  if (!changed) return null;
  const commune = issued.find((u) => u.level === 'commune');
  const province = issued.find((u) => u.level === 'province');
  const parts: AdminUnit[] = [];
  if (commune) {
    const now = current(units, commune, onDate);
    if (now.id !== commune.id) parts.push(now);
  }
  if (province) parts.push(current(units, province, onDate));
  if (parts.length === 0) return null;
  return parts.map(unitLabel).join(', ');
}

/** "Bình Phước (cũ), nay Tỉnh Đồng Nai" — how the design notes ask both to be shown. */
export function mergerNote(units: UnitIndex, unitId: string | null, onDate: string): string | null {
  const now = addressNow(units, unitId, onDate);
  if (!now) return null;
  const province = chain(units, unitId).find((u) => u.level === 'province');
  return province ? `${province.name} (cũ), nay ${now}` : `nay ${now}`;
}

/** Districts (for filters and area choices) and every unit (for address choices). */
export async function unitOptions(db: Kysely<Database>): Promise<{ id: string; name: string; level: string; unit_type: string; parent_id: string | null; valid_to: string | null }[]> {
  return db.selectFrom('admin_units').select(['id', 'name', 'level', 'unit_type', 'parent_id', 'valid_to']).orderBy('level').orderBy('name').execute();
}

/**
 * Join condition for `admin_units as ad`, the district holding the address unit
 * `admin_units as au`: the unit itself, or its parent for a commune.
 */
export const DISTRICT_OF_ADDRESS = sql<boolean>`ad.level = 'district' and ad.id = case when au.level = 'district' then au.id else au.parent_id end`;
