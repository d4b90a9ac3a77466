import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type {
  CertificateStatus, CouncilLevel, IssuingLevel, KeyStatus, LegalForm, ProductGroupKind, ReportStatus, RevocationGround, Role, SalesPointKind, UnitLevel, UnitType,
} from '../worker/domain/vocabulary';
import type { PlanIndicator } from '../worker/domain/plan';

// Column conventions (set by worker/db/connect.ts for both drivers):
// `date` columns come back as 'YYYY-MM-DD' strings (no time-zone drift),
// numeric and bigint come back as JS numbers, timestamptz as Date, jsonb as parsed JSON.
type IsoDate = string;
type Timestamp = Date;
type Json = ColumnType<unknown, string, string>;

// Enumerated columns take their values from the domain's vocabulary (worker/domain/vocabulary.ts),
// which the migrations' check constraints mirror. Re-exported under the names the query
// modules import with the table types.
export type { LegalForm, Role };
export type CouncilLevelColumn = CouncilLevel;
export type CertificateStatusColumn = CertificateStatus;
export type RevocationGroundColumn = RevocationGround;
export type KeyStatusColumn = KeyStatus;

export interface AdminUnitsTable {
  id: string;
  gso_code: string | null;
  name: string;
  unit_type: UnitType;
  level: UnitLevel;
  parent_id: string | null;
  valid_from: IsoDate | null;
  valid_to: IsoDate | null;
  successor_id: string | null;
}

/**
 * The folded text the catalogue search looks in, one row per product, kept by triggers
 * (migration 2026-12-02-07): product name and description, producer name and current
 * certificate number; the producer's places padded with spaces; the GTIN as 14 digits.
 */
export interface ProductSearchDocumentsTable {
  product_id: number;
  document: string;
  places: string;
  gtin14: string | null;
}

/** The words (and two-word runs) of product, producer and unit names: the typo correction's candidates (migration 2026-12-02-07). */
export interface SearchWordsTable {
  word: string;
  /** Generated: the spelling the correction compares (ph → f, k → c, ngh → ng). */
  loose: Generated<string>;
  /** How many names hold the word. */
  uses: number;
}

/** A unit formed (wholly or in part) from another in a reorganisation: many to many (migration 2026-12-02-06). */
export interface AdminUnitPredecessorsTable {
  unit_id: string;
  predecessor_id: string;
}

export interface LegalBasesTable {
  id: string;
  title_vi: string;
  title_en: string;
  effective_from: IsoDate;
  effective_to: IsoDate | null;
}

export interface ProductGroupsTable {
  id: Generated<number>;
  legal_basis_id: string;
  kind: ProductGroupKind;
  code: string;
  name_vi: string;
  name_en: string;
  parent_id: number | null;
}

export interface ProducersTable {
  id: Generated<number>;
  name: string;
  legal_form: LegalForm;
  tax_code: string | null;
  representative: string | null;
  female_led: Generated<boolean>;
  ethnic_minority_led: Generated<boolean>;
  address_line: string | null;
  address_unit_id: string | null;
  phone: string | null;
  email: string | null;
  /** https URL, ≤ 200 characters (2026-12-02-03-contact). */
  website: string | null;
  /** A Vietnamese mobile number, 10 digits, for https://zalo.me/<number>. */
  zalo: string | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface ProductsTable {
  id: Generated<number>;
  slug: string;
  producer_id: number;
  name: string;
  plan_group_id: number | null;
  national_group_id: number | null;
  gtin: string | null;
  description: string | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface RawMaterialRegionsTable {
  id: Generated<number>;
  product_id: number;
  unit_id: string | null;
  description: string;
  area_ha: number | null;
  latitude: number | null;
  longitude: number | null;
}

export interface EvaluationsTable {
  id: Generated<number>;
  product_id: number;
  score_a: number;
  score_b: number;
  score_c: number;
  total: number;
  mandatory_level: number;
  stars: number;
  council_level: CouncilLevelColumn;
  evaluated_on: IsoDate;
  legal_basis_id: string;
  note: string | null;
  created_by: number | null;
  created_at: Generated<Timestamp>;
}

export interface CertificatesTable {
  id: Generated<number>;
  number: string;
  product_id: number;
  evaluation_id: number;
  stars: number;
  decision_number: string;
  decision_date: IsoDate;
  issuing_body: string;
  issuing_level: IssuingLevel;
  legal_basis_id: string;
  valid_from: IsoDate;
  valid_until: IsoDate;
  status: Generated<CertificateStatusColumn>;
  supersedes_id: number | null;
  superseded_at: Timestamp | null;
  revocation_decision_number: string | null;
  revocation_date: IsoDate | null;
  revocation_ground: RevocationGroundColumn | null;
  revocation_note: string | null;
  revoked_by: number | null;
  revoked_at: Timestamp | null;
  status_index: Generated<number>;
  created_at: Generated<Timestamp>;
}

export interface SigningKeysTable {
  kid: string;
  key_number: number;
  public_jwk: Json;
  status: Generated<KeyStatusColumn>;
  created_at: Generated<Timestamp>;
  withdrawn_at: Timestamp | null;
  withdrawn_reason: string | null;
}

export interface PackageBatchesTable {
  id: Generated<number>;
  certificate_id: number;
  lot_code: string;
  production_date: IsoDate;
  best_before: IsoDate | null;
  quantity: number;
  key_number: number;
  created_by: number | null;
  created_at: Generated<Timestamp>;
}

export interface ScansTable {
  id: Generated<number>;
  batch_id: number;
  serial: number;
  scanned_at: Generated<Timestamp>;
  place: string | null;
  client_hash: string | null;
  verdict: string;
}

/** Per package ever scanned; kept up to date with each scan write (worker/db/scans.ts). */
export interface ScanPackagesTable {
  batch_id: number;
  serial: number;
  first_scan_at: Timestamp;
  last_scan_at: Timestamp;
  scans: number;
  /** Distinct (Vietnam day, client hash) pairs. */
  people: number;
  places: number;
  /** The latest Vietnam day with a scan, and that day's counts. */
  day: string;
  day_scans: number;
  day_people: number;
}

export interface ScanPackagePlacesTable {
  batch_id: number;
  serial: number;
  place: string;
}

export interface ScanPackageClientsTable {
  day: string;
  batch_id: number;
  serial: number;
  client_hash: string;
}

export interface ScanBatchesTable {
  batch_id: number;
  scans: number;
  packages: number;
  first_scan_at: Timestamp;
  last_scan_at: Timestamp;
}

export interface ScanBatchPlacesTable {
  batch_id: number;
  /** '' when the place is unknown. */
  place: string;
  scans: number;
}

export interface ScanDaysTable {
  batch_id: number;
  day: string;
  verdict: string;
  scans: number;
}

export interface CounterfeitReportsTable {
  id: Generated<number>;
  batch_id: number | null;
  serial: number | null;
  certificate_id: number | null;
  code_text: string | null;
  message: string;
  contact: string | null;
  place: string | null;
  client_hash: string | null;
  status: Generated<ReportStatus>;
  created_at: Generated<Timestamp>;
}

export interface UsersTable {
  id: Generated<number>;
  email: string;
  name: string;
  role: Role;
  area_unit_id: string | null;
  producer_id: number | null;
  password_hash: string;
  session_version: Generated<number>;
  disabled: Generated<boolean>;
  failed_logins: Generated<number>;
  locked_until: Timestamp | null;
  created_at: Generated<Timestamp>;
}

export interface ApiTokensTable {
  id: Generated<number>;
  name: string;
  token_hash: string;
  role: Role;
  area_unit_id: string | null;
  producer_id: number | null;
  created_by: number | null;
  created_at: Generated<Timestamp>;
  revoked_at: Timestamp | null;
  last_used_at: Timestamp | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Generated<Timestamp>;
  actor_user_id: number | null;
  actor_label: string;
  action: string;
  entity: string;
  entity_id: string | null;
  before: Json | null;
  after: Json | null;
  reason: string | null;
}

export interface LoginThrottleTable {
  key: string;
  failures: Generated<number>;
  window_started: Timestamp;
  locked_until: Timestamp | null;
}

/** A provincial OCOP plan (issue 12): its period and area; targets in plan_targets. */
export interface PlansTable {
  id: Generated<number>;
  name: string;
  legal_basis: string;
  area_unit_id: string;
  period_start: IsoDate;
  period_end: IsoDate;
  note: string | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface PlanTargetsTable {
  id: Generated<number>;
  plan_id: number;
  position: Generated<number>;
  indicator: PlanIndicator;
  name: string | null;
  unit: string | null;
  target: number;
  actual: number | null;
}

/** A photo of a product or of its package (schema/migrations/2026-12-02-01-media.ts). */
export interface ProductPhotosTable {
  id: Generated<number>;
  product_id: number;
  kind: 'product' | 'package';
  is_main: Generated<boolean>;
  width: number;
  height: number;
  created_at: Generated<Timestamp>;
  created_by: number | null;
}

/** One width of a photo: a JPEG in the media store under its SHA-256. */
export interface ProductPhotoRenditionsTable {
  photo_id: number;
  width: number;
  height: number;
  sha256: string;
  bytes: number;
}

/** The scanned decision (PDF) of a certificate, in the media store under its SHA-256. */
export interface CertificateDocumentsTable {
  certificate_id: number;
  sha256: string;
  bytes: number;
  uploaded_at: Generated<Timestamp>;
  uploaded_by: number | null;
}

/** A register file kept between its import preview and the confirmation (worker/db/register-uploads.ts). */
export interface RegisterUploadsTable {
  id: Generated<number>;
  file_name: string;
  sha256: string;
  size_bytes: number;
  content: Uint8Array;
  mapping: Json | null;
  uploaded_by_label: string;
  uploaded_by: number | null;
  created_at: Generated<Timestamp>;
  applied_at: Timestamp | null;
  result: Json | null;
}

/** A re-evaluation file received for a certificate (renewal pending until renewed or refused). */
export interface RenewalApplicationsTable {
  id: Generated<number>;
  certificate_id: number;
  received_on: IsoDate;
  note: string | null;
  recorded_by: number | null;
  recorded_at: Generated<Timestamp>;
  refused_on: IsoDate | null;
  refusal_note: string | null;
  refused_by: number | null;
  refused_at: Timestamp | null;
}

/** A showroom or sales point (migration 2026-12-02-06; rules in worker/domain/sales-points.ts). */
export interface SalesPointsTable {
  id: Generated<number>;
  kind: SalesPointKind;
  name: string;
  /** The producer whose own point this is; null for showrooms and points officials manage. */
  producer_id: number | null;
  address_line: string | null;
  /** The unit the point is in today (a commune of the merged province). */
  unit_id: string | null;
  /** The unit it lay in before the 2025 merger (usually a former district): reports count by it. */
  former_unit_id: string | null;
  latitude: number | null;
  longitude: number | null;
  opening_hours: string | null;
  phone: string | null;
  url: string | null;
  note: string | null;
  illustrative: Generated<boolean>;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface SalesPointProductsTable {
  sales_point_id: number;
  product_id: number;
}

export interface Database {
  admin_units: AdminUnitsTable;
  admin_unit_predecessors: AdminUnitPredecessorsTable;
  legal_bases: LegalBasesTable;
  product_groups: ProductGroupsTable;
  producers: ProducersTable;
  products: ProductsTable;
  raw_material_regions: RawMaterialRegionsTable;
  evaluations: EvaluationsTable;
  certificates: CertificatesTable;
  signing_keys: SigningKeysTable;
  package_batches: PackageBatchesTable;
  scans: ScansTable;
  scan_packages: ScanPackagesTable;
  scan_package_places: ScanPackagePlacesTable;
  scan_package_clients: ScanPackageClientsTable;
  scan_batches: ScanBatchesTable;
  scan_batch_places: ScanBatchPlacesTable;
  scan_days: ScanDaysTable;
  counterfeit_reports: CounterfeitReportsTable;
  users: UsersTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
  login_throttle: LoginThrottleTable;
  plans: PlansTable;
  plan_targets: PlanTargetsTable;
  product_photos: ProductPhotosTable;
  product_photo_renditions: ProductPhotoRenditionsTable;
  certificate_documents: CertificateDocumentsTable;
  register_uploads: RegisterUploadsTable;
  sales_points: SalesPointsTable;
  sales_point_products: SalesPointProductsTable;
  product_search_documents: ProductSearchDocumentsTable;
  search_words: SearchWordsTable;
  renewal_applications: RenewalApplicationsTable;
}

export type Certificate = Selectable<CertificatesTable>;
export type NewCertificate = Insertable<CertificatesTable>;
export type CertificateUpdate = Updateable<CertificatesTable>;
export type Producer = Selectable<ProducersTable>;
export type Product = Selectable<ProductsTable>;
export type Evaluation = Selectable<EvaluationsTable>;
export type PackageBatch = Selectable<PackageBatchesTable>;
export type User = Selectable<UsersTable>;
export type AdminUnit = Selectable<AdminUnitsTable>;
export type RenewalApplication = Selectable<RenewalApplicationsTable>;
export type SalesPoint = Selectable<SalesPointsTable>;
