import { ROLES, type Role } from '../worker/domain/vocabulary';

/**
 * Who is asking: a signed-in person or an API token. Area officers carry their district,
 * producers their producer id; every query narrows to that scope.
 */
export interface Principal {
  kind: 'user' | 'token';
  /** users.id for a person, api_tokens.id for a token. */
  id: number;
  role: Role;
  areaUnitId: string | null;
  producerId: number | null;
  /** What the audit log shows: the email, or `token:<id> <name>`. */
  label: string;
  name: string;
  /** users.id behind the action (null for tokens: audit rows name the token instead). */
  userId: number | null;
}

export type Permission =
  | 'dashboard.view'
  | 'notices.view'
  | 'reports.view'
  | 'plan.manage'
  | 'certificates.view'
  | 'certificates.write'
  | 'producers.view'
  | 'producers.write'
  | 'producers.contact'
  | 'producers.own_contact'
  | 'products.view'
  | 'products.write'
  | 'photos.write'
  | 'evaluations.view'
  | 'evaluations.write'
  | 'batches.view'
  | 'batches.write'
  | 'labels.download'
  | 'scans.view'
  | 'counterfeit.view'
  | 'counterfeit.contact'
  | 'counterfeit.write'
  | 'audit.view'
  | 'users.view'
  | 'users.write'
  | 'tokens.view'
  | 'tokens.write'
  | 'keys.view'
  | 'keys.write'
  | 'jobs.run'
  | 'register.import'
  | 'account.self'
  | 'salesPoints.view'
  | 'salesPoints.write'
  | 'units.view'
  | 'units.write';

const ALL: readonly Role[] = ROLES;
const ADMIN: Role[] = ['province_admin'];
const READERS: Role[] = ['province_admin', 'auditor'];

/**
 * The one permission table. Scope (own area, own producer) is applied on top of it by the
 * queries; this table only says which role may do what at all.
 *
 * - Area officers: producers, products and evaluations of their area; no certificates.
 * - Producers: their own products, batches, labels, scans and counterfeit reports (that a
 *   report exists and what it says, never the shopper's contact: only officials see that).
 * - Auditors read everything and change nothing. Label downloads count as a change: a
 *   label sheet is a set of genuine codes ready to print, so auditors see batches but
 *   cannot print them.
 */
export const PERMISSIONS: Readonly<Record<Permission, readonly Role[]>> = {
  'dashboard.view': ['province_admin', 'area_officer', 'auditor'],
  'notices.view': READERS,
  'reports.view': READERS,
  /** Enter and edit the provincial OCOP plans the dashboard and reports measure against. */
  'plan.manage': ADMIN,
  'certificates.view': READERS,
  'certificates.write': ADMIN,
  'producers.view': ['province_admin', 'area_officer', 'auditor'],
  'producers.write': ['province_admin', 'area_officer'],
  // How shoppers reach a producer (phone, website, Zalo): producers keep their own up to date.
  'producers.contact': ['province_admin', 'area_officer', 'producer'],
  'producers.own_contact': ['producer'],
  'products.view': ALL,
  'products.write': ['province_admin', 'area_officer'],
  // Photos of products and packages: producers for their own products (scope), officials for any in theirs.
  'photos.write': ['province_admin', 'area_officer', 'producer'],
  'evaluations.view': ['province_admin', 'area_officer', 'auditor'],
  'evaluations.write': ['province_admin', 'area_officer'],
  'batches.view': ['province_admin', 'producer', 'auditor'],
  'batches.write': ['province_admin', 'producer'],
  'labels.download': ['province_admin', 'producer'],
  'scans.view': ['province_admin', 'producer', 'auditor'],
  'counterfeit.view': ['province_admin', 'producer', 'auditor'],
  'counterfeit.contact': READERS,
  'counterfeit.write': ADMIN,
  'audit.view': READERS,
  'users.view': READERS,
  'users.write': ADMIN,
  'tokens.view': READERS,
  'tokens.write': ADMIN,
  'keys.view': READERS,
  'keys.write': ADMIN,
  'jobs.run': ADMIN,
  // Importing the register writes producers, products, evaluations and certificates at once: the province's call.
  'register.import': ADMIN,
  'account.self': ALL,
  // Where to buy (issue 12): officials any point in scope (showrooms included), producers
  // their own points only (worker/db/sales-points.ts salesPointInScope); auditors read.
  'salesPoints.view': ALL,
  'salesPoints.write': ['province_admin', 'area_officer', 'producer'],
  // The communes of today's province: added by the province, read by whoever registers producers.
  'units.view': ['province_admin', 'area_officer', 'auditor'],
  'units.write': ADMIN,
};

export function can(principal: Pick<Principal, 'role'> | null | undefined, permission: Permission): boolean {
  return !!principal && PERMISSIONS[permission].includes(principal.role);
}

/** Where a role lands after signing in: the first page it may see. */
export function homePath(role: Role): string {
  return role === 'producer' ? '/admin/products' : '/admin';
}
