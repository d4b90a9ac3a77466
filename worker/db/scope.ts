// Access scope, applied inside the queries of every aggregate (admin pages, admin API, CLI).
import { sql, type RawBuilder } from 'kysely';

/**
 * What part of the data a principal may touch, applied inside every admin query so that a
 * forgotten check in a route cannot widen it. Officials and auditors see everything; an area
 * officer the producers registered in their district (or one of its communes); a producer
 * only themselves.
 */
export type Scope =
  | { kind: 'all' }
  | { kind: 'area'; unitId: string }
  | { kind: 'producer'; producerId: number }
  | { kind: 'none' };

export const ALL_SCOPE: Scope = { kind: 'all' };

export function scopeFor(p: { role: string; areaUnitId: string | null; producerId: number | null }): Scope {
  switch (p.role) {
    case 'province_admin':
    case 'auditor':
      return ALL_SCOPE;
    case 'area_officer':
      return p.areaUnitId ? { kind: 'area', unitId: p.areaUnitId } : { kind: 'none' };
    case 'producer':
      return p.producerId !== null ? { kind: 'producer', producerId: p.producerId } : { kind: 'none' };
    default:
      return { kind: 'none' };
  }
}

/**
 * A condition on a producers row (under `alias`): true when the scope covers that producer.
 * A producer is in an area when its address unit is the area itself or a unit whose parent
 * is the area (a commune of the district).
 */
export function producerInScope(scope: Scope, alias = 'pr'): RawBuilder<boolean> {
  switch (scope.kind) {
    case 'all':
      return sql<boolean>`true`;
    case 'none':
      return sql<boolean>`false`;
    case 'producer':
      return sql<boolean>`${sql.ref(`${alias}.id`)} = ${scope.producerId}`;
    case 'area':
      return sql<boolean>`${sql.ref(`${alias}.address_unit_id`)} in (select su.id from admin_units su where su.id = ${scope.unitId} or su.parent_id = ${scope.unitId})`;
  }
}
