import type { Kysely } from 'kysely';
import type { Database } from '../../schema/database';
import type { AppDeps } from '../app-env';
import type { CodeVerdict } from '../codes/verify';
import type { PackageState } from '../db/batches';
import { certificatesByNumbers, normaliseCertificateNumber, type PublicCertificate } from '../db/certificates';
import { packageKey, scanHistories, type ScanHistory } from '../db/scans';
import { todayInVietnam, type IsoDate } from '../domain/dates';
import { REVOCATION_GROUND_LABELS } from '../domain/vocabulary';
import { looksCopied } from '../public/scan-service';
import { packageVerdict, publicCertificateVerdict, warningsOf, type VerdictResult } from '../public/verdict';
import type { CertificateJson, ItemResult } from './schemas';

// The JSON a retailer gets for one code or certificate number (GET and POST /api/v1/verify,
// the CSV page). snake_case, stable; its shape is `itemResultSchema` (schemas.ts), which
// the OpenAPI document publishes.

/** Inputs are echoed back, cut to this length, so a junk item cannot blow up the response. */
export const ECHO_MAX = 200;

function revocationJson(r: { decisionNumber: string; date: string; ground: keyof typeof REVOCATION_GROUND_LABELS } | null): CertificateJson['revocation'] {
  if (!r) return null;
  const label = REVOCATION_GROUND_LABELS[r.ground];
  return { decision_number: r.decisionNumber, date: r.date, ground: r.ground, ground_vi: label?.vi ?? r.ground, ground_en: label?.en ?? r.ground };
}

function certUrl(base: string, number: string): string {
  return `${base}/c/${encodeURIComponent(number)}`;
}


/**
 * `copied`: the package's scan summary looks like a copied label (looksCopied, the scan
 * page's rule). Read only: an API check is not a shopper's scan and is never counted.
 */
export function packageResult(base: string, input: string, check: CodeVerdict, state: PackageState | null, result: VerdictResult, today: IsoDate, copied = false): ItemResult {
  const genuineCode = check.ok && result.reason !== 'unknown_batch' && result.reason !== 'unknown_package';
  const s = genuineCode ? state : null;
  return {
    input: input.slice(0, ECHO_MAX),
    kind: 'package',
    verdict: result.verdict,
    reason: result.reason,
    days_left: result.daysLeft,
    expiring_soon: result.expiringSoon,
    warnings: [...(s && copied ? (['copy_suspected'] as const) : []), ...warningsOf(result, s ? { bestBefore: s.batch.bestBefore, today } : null)],
    certificate: s
      ? {
          number: s.certificate.number, stars: s.certificate.stars, status: s.certificate.status, state: result.state,
          decision_number: s.certificate.decisionNumber, decision_date: s.certificate.decisionDate,
          issuing_body: s.certificate.issuingBody, issuing_level: s.certificate.issuingLevel,
          valid_from: s.certificate.validFrom, valid_until: s.certificate.validUntil, status_list_index: s.certificate.statusIndex,
          revocation: revocationJson(s.certificate.revocation),
          superseded_by: s.certificate.supersededBy ? { number: s.certificate.supersededBy.number, stars: s.certificate.supersededBy.stars, valid_until: s.certificate.supersededBy.validUntil } : null,
          renewal_pending_since: s.certificate.renewalPendingSince ?? null,
          url: certUrl(base, s.certificate.number),
        }
      : null,
    product: s ? { name: s.product.name, slug: s.product.slug, group_vi: s.product.groupVi, group_en: s.product.groupEn, url: `${base}/p/${s.product.slug}` } : null,
    producer: s ? { name: s.producer.name, legal_form: s.producer.legalForm, address_as_issued: s.producer.addressAsIssued, address_now: s.producer.addressNow } : null,
    package: s && check.ok
      ? { batch_id: s.batch.id, serial: check.ref.serial, lot_code: s.batch.lotCode, production_date: s.batch.productionDate, best_before: s.batch.bestBefore, kid: check.kid }
      : null,
  };
}

export function certificateJson(base: string, c: PublicCertificate, result: VerdictResult): CertificateJson {
  return {
    number: c.number, stars: c.stars, status: c.status, state: result.state,
    decision_number: c.decisionNumber, decision_date: c.decisionDate, issuing_body: c.issuingBody, issuing_level: c.issuingLevel,
    valid_from: c.validFrom, valid_until: c.validUntil, status_list_index: c.statusIndex,
    revocation: revocationJson(c.revocation),
    superseded_by: c.supersededBy ? { number: c.supersededBy.number, stars: c.supersededBy.stars, valid_until: c.supersededBy.validUntil } : null,
    renewal_pending_since: c.renewalPendingSince ?? null,
    url: certUrl(base, c.number),
  };
}

export function certificateResult(base: string, input: string, cert: PublicCertificate | null, result: VerdictResult): ItemResult {
  return {
    input: input.slice(0, ECHO_MAX),
    kind: 'certificate',
    verdict: result.verdict,
    reason: result.reason,
    days_left: result.daysLeft,
    expiring_soon: result.expiringSoon,
    // A certificate alone has no lot, so no best-before.
    warnings: warningsOf(result, null),
    certificate: cert ? certificateJson(base, cert, result) : null,
    product: cert ? { name: cert.product.name, slug: cert.product.slug, group_vi: cert.product.groupVi, group_en: cert.product.groupEn, url: `${base}/p/${cert.product.slug}` } : null,
    producer: cert ? { name: cert.producer.name, legal_form: cert.producer.legalForm, address_as_issued: cert.producer.addressAsIssued, address_now: cert.producer.addressNow } : null,
    package: null,
  };
}

/** A certificate number (≤ 40 characters of A-Z 0-9 . / -) or else a package code or URL. */
export function classify(input: string): { kind: 'certificate'; number: string } | { kind: 'package' } {
  const trimmed = input.trim();
  if (trimmed.length <= 40) {
    const number = normaliseCertificateNumber(trimmed);
    if (number) return { kind: 'certificate', number };
  }
  return { kind: 'package' };
}

const CHUNK = 512;

/**
 * Verdicts for many codes and certificate numbers, in input order. Signatures are
 * verified in chunks (WebCrypto runs them concurrently), the states of all batches come
 * from the cache or one load together, and all certificate numbers are read in one
 * query per thousand.
 */
export async function verifyItems(deps: AppDeps, db: Kysely<Database>, inputs: readonly string[], now: Date): Promise<ItemResult[]> {
  const base = deps.config.publicBaseUrl;
  const today = todayInVietnam(now);
  const kinds = inputs.map(classify);
  const checks: (CodeVerdict | null)[] = new Array(inputs.length).fill(null);
  for (let i = 0; i < inputs.length; i += CHUNK) {
    const slice = inputs.slice(i, i + CHUNK);
    const done = await Promise.all(slice.map((input, j) => (kinds[i + j]!.kind === 'package' ? deps.scans.checkCode(input) : Promise.resolve(null))));
    for (let j = 0; j < done.length; j++) checks[i + j] = done[j]!;
  }
  const batchIds = new Set<number>();
  for (const c of checks) if (c?.ok) batchIds.add(c.ref.batchId);
  // All batches of the request in one load, however many: a fixed number of queries.
  const states = await deps.cache.getMany(db, batchIds, today);
  const numbers = kinds.flatMap((k) => (k.kind === 'certificate' ? [k.number] : []));
  const certs = numbers.length > 0 ? await certificatesByNumbers(db, numbers, await deps.cache.unitIndex(db), today) : new Map<string, PublicCertificate>();
  // Scan summaries of every package that matched a batch, in one query (copy_suspected).
  const packages = new Map<string, { batchId: number; serial: number }>();
  for (const c of checks) if (c?.ok && states.get(c.ref.batchId)) packages.set(packageKey(c.ref.batchId, c.ref.serial), c.ref);
  const histories = packages.size > 0 ? await scanHistories(db, [...packages.values()], now) : new Map<string, ScanHistory>();
  return inputs.map((input, i) => {
    const kind = kinds[i]!;
    if (kind.kind === 'certificate') {
      const cert = certs.get(kind.number) ?? null;
      return certificateResult(base, input, cert, publicCertificateVerdict(cert, now));
    }
    const check = checks[i]!;
    const state = check.ok ? (states.get(check.ref.batchId) ?? null) : null;
    const history = check.ok ? histories.get(packageKey(check.ref.batchId, check.ref.serial)) : undefined;
    return packageResult(base, input, check, state, packageVerdict(check, state, now), today, history !== undefined && looksCopied(history));
  });
}
