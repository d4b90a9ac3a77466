import { z } from 'zod';
import { LEGAL_FORMS } from '../domain/vocabulary';
import { orNull } from './openapi';
import { WARNINGS } from '../public/verdict';

// The JSON shapes of the retailer API. Each named schema (`.meta({ id })`) is one entry
// of `components.schemas` in the OpenAPI document, and the TypeScript types the handlers
// build (results.ts) are inferred from these, so the document cannot promise a field the
// code does not write.

export const MAX_BULK_ITEMS = 10_000;
export const MAX_BULK_BYTES = 2 * 1024 * 1024;
export const MAX_FEED_LIMIT = 1000;

const day = z.iso.date();

export const verdictSchema = z.enum(['genuine', 'expired', 'revoked', 'key_withdrawn', 'not_genuine']).meta({ id: 'Verdict' });

export const reasonSchema = z
  .enum(['malformed', 'unknown_version', 'unknown_key', 'bad_signature', 'unknown_batch', 'unknown_package', 'unknown_certificate'])
  .nullable()
  .meta({ id: 'Reason', description: 'Why an item is `not_genuine`; null otherwise.' });

export const certificateSchema = z
  .object({
    number: z.string(),
    stars: z.int().min(3).max(5),
    status: z.enum(['active', 'revoked', 'superseded']).meta({ description: 'As recorded; `expired` is never stored.' }),
    state: z
      .enum(['valid', 'expiring', 'expired', 'renewal_pending', 'revoked', 'superseded'])
      .nullable()
      .meta({ description: 'As of today. `renewal_pending`: expired, and a re-evaluation file was received on `renewal_pending_since`; no decision yet (still not in force).' }),
    decision_number: z.string(),
    decision_date: day,
    issuing_body: z.string(),
    issuing_level: z.enum(['district', 'province', 'national']),
    valid_from: day,
    valid_until: day.meta({ description: 'Last valid day, inclusive.' }),
    status_list_index: z.int().min(0),
    revocation: orNull(z.object({ decision_number: z.string(), date: day, ground: z.string(), ground_vi: z.string(), ground_en: z.string() })),
    superseded_by: orNull(z.object({ number: z.string(), stars: z.int(), valid_until: day })),
    renewal_pending_since: day.nullable().meta({ description: 'The day a renewal (re-evaluation) file was received, while no renewal or refusal has followed; also set before expiry.' }),
    url: z.url(),
  })
  .meta({ id: 'Certificate' });

export const productSchema = z
  .object({ name: z.string(), slug: z.string(), group_vi: z.string().nullable(), group_en: z.string().nullable(), url: z.url() })
  .meta({ id: 'Product' });

export const producerSchema = z
  .object({
    name: z.string(),
    legal_form: z.enum(LEGAL_FORMS),
    address_as_issued: z.string(),
    address_now: z.string().nullable().meta({ description: 'The unit after the 2025 merger, e.g. "Bình Phước (cũ), nay Tỉnh Đồng Nai".' }),
  })
  .meta({ id: 'Producer' });

export const packageSchema = z
  .object({
    batch_id: z.int(),
    serial: z.int().min(1),
    lot_code: z.string(),
    production_date: day,
    best_before: day.nullable(),
    kid: z.string().meta({ description: 'The key that signed the code.' }),
  })
  .meta({ id: 'Package' });

export const warningSchema = z.enum(WARNINGS).meta({ id: 'Warning' });

export const itemResultSchema = z
  .object({
    input: z.string().meta({ description: 'The item as sent (first 200 characters).' }),
    kind: z.enum(['package', 'certificate']),
    verdict: verdictSchema,
    reason: reasonSchema,
    days_left: z.int().nullable().meta({ description: 'valid_until − today in days (negative once expired).' }),
    expiring_soon: z.boolean().meta({ description: 'Genuine with fewer than 30 days left.' }),
    warnings: z.array(warningSchema).meta({
      description:
        'Facts beside the verdict that change what a buyer should do: copy_suspected (the package\'s scan history looks like a copied label: 20 or more people in all, scans from 3 or more places, or 10 or more people on the current Vietnam day; people are distinct (day, client) pairs, so one person reloading never counts twice; API checks are not counted as scans), certificate_expired, certificate_revoked, expiring_soon, past_best_before (the lot\'s best-before date has passed, Vietnam time), renewal_pending (beside certificate_expired: the renewal is under review since certificate.renewal_pending_since; the verdict stays `expired`). Empty when there is nothing to warn about.',
    }),
    certificate: orNull(certificateSchema),
    product: orNull(productSchema),
    producer: orNull(producerSchema),
    package: orNull(packageSchema),
  })
  .meta({ id: 'ItemResult' });

export const certificateResponseSchema = z
  .object({
    verdict: verdictSchema,
    days_left: z.int(),
    expiring_soon: z.boolean(),
    certificate: certificateSchema,
    product: productSchema,
    producer: producerSchema,
    credential_url: z.url(),
    status_list: z.object({ idx: z.int(), uri: z.url() }),
  })
  .meta({ id: 'CertificateResponse' });

export const feedEventSchema = z
  .object({
    type: z.enum(['revoked', 'expired']),
    at: z.iso.datetime(),
    certificate_number: z.string(),
    status_list_index: z.int(),
    valid_until: day,
    revocation: orNull(z.object({ decision_number: z.string(), date: day, ground: z.string() })),
  })
  .meta({ id: 'FeedEvent' });

export const feedPageSchema = z.object({
  events: z.array(feedEventSchema),
  next_cursor: z.string().nullable().meta({ description: 'Pass as `since` next time.' }),
  has_more: z.boolean(),
});

export const jwksSchema = z
  .object({
    keys: z.array(z.object({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: z.string(), kid: z.string(), alg: z.literal('EdDSA'), use: z.literal('sig') })),
  })
  .meta({ id: 'Jwks' });

export const didDocumentSchema = z
  .object({
    '@context': z.array(z.string()),
    id: z.string().startsWith('did:web:'),
    verificationMethod: z.array(
      z.object({
        id: z.string(),
        type: z.literal('JsonWebKey'),
        controller: z.string(),
        publicKeyJwk: z.object({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: z.string() }),
      }),
    ),
    assertionMethod: z.array(z.string()),
  })
  .meta({ id: 'DidDocument' });

export type ItemResult = z.infer<typeof itemResultSchema>;
export type CertificateJson = z.infer<typeof certificateSchema>;
export type FeedPage = z.infer<typeof feedPageSchema>;

/** The offline scanner's tables (GET /api/v1/offline-dataset): compact, everything a shop's phone keeps. */
export const offlineDatasetSchema = z
  .object({
    generated_at: z.iso.datetime().meta({ description: 'When the server read these tables; the scanner counts the data age from here.' }),
    max_age_hours: z.int().min(1).meta({ description: 'How old a copy may be before the scanner stops saying "genuine" from it.' }),
    feed_cursor: z.string().meta({ description: 'Pass to `GET /api/v1/revocations?since=` to get only the revocations made after this copy.' }),
    keys: z
      .array(z.object({ kid: z.string(), x: z.string(), status: z.enum(['active', 'retired', 'withdrawn']) }))
      .meta({ description: 'Every signing key, withdrawn ones included, so that their codes read "key withdrawn" offline too.' }),
    certificates: z.array(
      z.object({
        id: z.int(),
        number: z.string(),
        product: z.string(),
        producer: z.string(),
        stars: z.int().min(3).max(5),
        status: z.enum(['active', 'revoked', 'superseded']),
        valid_from: day,
        valid_until: day,
        superseded_by: orNull(z.object({ number: z.string(), stars: z.int(), valid_until: day })),
        renewal_pending_since: day.nullable().meta({ description: 'The day an open renewal file was received: an expired certificate is then "expired — renewal under review". Changes reach phones with the next full download (hourly), not through the revocation feed.' }),
      }),
    ),
    batches: z.array(
      z.object({ id: z.int(), certificate_id: z.int(), key_number: z.int(), quantity: z.int(), lot_code: z.string(), best_before: day.nullable() }),
    ),
  })
  .meta({ id: 'OfflineDataset' });
