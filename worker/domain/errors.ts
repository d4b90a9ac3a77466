/**
 * What kind of rule a request broke. Each kind has one HTTP status (see worker/errors.ts),
 * so the same error answers the same way in the admin UI, the admin API and the public side.
 */
export type ErrorKind = 'invalid' | 'not_found' | 'conflict' | 'forbidden';

interface ErrorSpec {
  kind: ErrorKind;
  /** The input field the rule is about (the form and JSON field name), so a form shows the message beside it. */
  field?: string;
}

/**
 * Every domain error code, closed: `new DomainError('misspelt_code', …)` does not compile.
 * A new rule adds its code here with its kind (and its field when one input is to blame).
 */
export const DOMAIN_ERRORS = {
  // Something named by the request does not exist (or is outside the caller's scope).
  unknown_area: { kind: 'not_found', field: 'areaUnitId' },
  unknown_batch: { kind: 'not_found' },
  unknown_certificate: { kind: 'not_found', field: 'certificateId' },
  unknown_evaluation: { kind: 'not_found', field: 'evaluationId' },
  unknown_key: { kind: 'not_found' },
  unknown_legal_basis: { kind: 'not_found', field: 'legalBasisId' },
  unknown_national_group: { kind: 'not_found', field: 'nationalGroupId' },
  unknown_plan: { kind: 'not_found' },
  unknown_plan_area: { kind: 'not_found', field: 'areaUnitId' },
  unknown_plan_group: { kind: 'not_found', field: 'planGroupId' },
  unknown_photo: { kind: 'not_found' },
  unknown_producer: { kind: 'not_found', field: 'producerId' },
  unknown_product: { kind: 'not_found', field: 'productId' },
  unknown_reference: { kind: 'not_found' },
  unknown_region: { kind: 'not_found' },
  unknown_report: { kind: 'not_found' },
  unknown_token: { kind: 'not_found' },
  unknown_unit: { kind: 'not_found', field: 'addressUnitId' },
  unknown_sales_point: { kind: 'not_found' },
  unknown_user: { kind: 'not_found' },

  // The caller may not touch this.
  forbidden: { kind: 'forbidden' },
  not_your_product: { kind: 'forbidden', field: 'certificateId' },
  outside_area: { kind: 'forbidden', field: 'addressUnitId' },
  product_outside_scope: { kind: 'forbidden', field: 'productIds' },

  // The request is well formed but the current state does not allow it.
  already_certified: { kind: 'conflict' },
  certificate_expired: { kind: 'conflict', field: 'certificateId' },
  certificate_revoked: { kind: 'conflict', field: 'certificateId' },
  certificate_superseded: { kind: 'conflict', field: 'certificateId' },
  certified_producer_fixed: { kind: 'conflict' },
  email_taken: { kind: 'conflict', field: 'email' },
  evaluation_used: { kind: 'conflict', field: 'evaluationId' },
  key_withdrawn: { kind: 'conflict' },
  lot_exists: { kind: 'conflict', field: 'lotCode' },
  no_signing_key: { kind: 'conflict' },
  not_renewable: { kind: 'conflict' },
  renewal_already_received: { kind: 'conflict', field: 'receivedOn' },
  renewal_not_pending: { kind: 'conflict' },
  not_revocable: { kind: 'conflict' },
  number_taken: { kind: 'conflict', field: 'number' },
  plan_overlap: { kind: 'conflict', field: 'periodStart' },
  slug_taken: { kind: 'conflict', field: 'slug' },
  token_revoked: { kind: 'conflict' },
  unit_id_taken: { kind: 'conflict', field: 'id' },

  // The input breaks a rule of the programme.
  area_required: { kind: 'invalid', field: 'areaUnitId' },
  bad_best_before: { kind: 'invalid', field: 'bestBefore' },
  bad_quantity: { kind: 'invalid', field: 'quantity' },
  body_not_allowed: { kind: 'invalid', field: 'issuingLevel' },
  date_out_of_range: { kind: 'invalid' },
  decision_before_evaluation: { kind: 'invalid', field: 'decisionDate' },
  five_star_national_only: { kind: 'invalid', field: 'evaluationId' },
  /** Lands on the form's own date field (each form names it), so it has no fixed field here. */
  future_date: { kind: 'invalid' },
  invalid_date: { kind: 'invalid' },
  invalid_instant: { kind: 'invalid' },
  invalid_mandatory_level: { kind: 'invalid', field: 'mandatoryLevel' },
  invalid_number: { kind: 'invalid' },
  invalid_producer: { kind: 'invalid' },
  invalid_product: { kind: 'invalid' },
  invalid_stars: { kind: 'invalid' },
  invalid_status: { kind: 'invalid' },
  invalid_validity_period: { kind: 'invalid' },
  not_certifiable: { kind: 'invalid', field: 'evaluationId' },
  note_required: { kind: 'invalid', field: 'note' },
  nothing_selected: { kind: 'invalid' },
  other_product: { kind: 'invalid', field: 'evaluationId' },
  invalid_plan_period: { kind: 'invalid', field: 'periodEnd' },
  plan_target_name_required: { kind: 'invalid', field: 'targets' },
  plan_target_repeated: { kind: 'invalid', field: 'targets' },
  producer_required: { kind: 'invalid', field: 'producerId' },
  received_before_issue: { kind: 'invalid', field: 'receivedOn' },
  refusal_before_receipt: { kind: 'invalid', field: 'refusedOn' },
  revocation_before_issue: { kind: 'invalid', field: 'date' },
  score_not_a_number: { kind: 'invalid' },
  score_out_of_range: { kind: 'invalid', field: 'scoreA' },
  score_precision: { kind: 'invalid' },
  self_demotion: { kind: 'invalid' },
  zip_too_large: { kind: 'invalid' },

  // Uploads (worker/media/uploads.ts): the file is refused and nothing is stored.
  file_missing: { kind: 'invalid', field: 'file' },
  file_too_large: { kind: 'invalid', field: 'file' },
  file_wrong_type: { kind: 'invalid', field: 'file' },
  file_truncated: { kind: 'invalid', field: 'file' },
  image_too_many_pixels: { kind: 'invalid', field: 'file' },
  image_too_small: { kind: 'invalid', field: 'file' },
  image_unreadable: { kind: 'invalid', field: 'file' },
  // Importing the register (worker/services/register-import.ts).
  import_unreadable: { kind: 'invalid', field: 'file' },
  import_mapping: { kind: 'invalid' },
  import_not_found: { kind: 'not_found' },
  import_applied: { kind: 'conflict' },
  import_changed: { kind: 'conflict' },
  // Where to buy and the units of today's province (issue 12; worker/domain/sales-points.ts).
  showroom_has_producer: { kind: 'invalid', field: 'producerId' },
  online_needs_url: { kind: 'invalid', field: 'url' },
  unsafe_url: { kind: 'invalid', field: 'url' },
  place_needs_unit: { kind: 'invalid', field: 'unitId' },
  coordinates_pair: { kind: 'invalid', field: 'latitude' },
  outside_vietnam: { kind: 'invalid', field: 'latitude' },
  invalid_sales_point: { kind: 'invalid' },
  invalid_unit: { kind: 'invalid' },
  not_a_former_unit: { kind: 'invalid', field: 'predecessorIds' },
} as const satisfies Record<string, ErrorSpec>;

export type DomainErrorCode = keyof typeof DOMAIN_ERRORS;

export function isDomainErrorCode(code: string): code is DomainErrorCode {
  return Object.hasOwn(DOMAIN_ERRORS, code);
}

export function errorKind(code: DomainErrorCode): ErrorKind {
  return DOMAIN_ERRORS[code].kind;
}

/** The input field a rule is about, if one field is to blame. */
export function errorField(code: DomainErrorCode): string | undefined {
  const spec: ErrorSpec = DOMAIN_ERRORS[code];
  return spec.field;
}

/**
 * A broken domain rule (bad score, impossible date, forbidden transition). Pure: carries no
 * HTTP status; worker/errors.ts maps its kind to one. `messageVi` is what people see first;
 * `message` is the English text, for logs. The argument order (English before Vietnamese)
 * is the one every throw site already uses.
 */
export class DomainError extends Error {
  constructor(
    public readonly code: DomainErrorCode,
    public readonly messageEn: string,
    public readonly messageVi: string,
  ) {
    super(messageEn);
    this.name = 'DomainError';
  }

  get kind(): ErrorKind {
    return errorKind(this.code);
  }
}
