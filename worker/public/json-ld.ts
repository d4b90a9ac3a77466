import type { CertificateState } from '../domain/certificate-state';

// Structured data for search engines and retailers' crawlers on the product and
// certificate pages: a schema.org Product with its OCOP certification
// (schema.org `hasCertification` / `Certification`), each certification also typed as a
// GS1 Web Vocabulary `gs1:CertificationDetails` with its certification terms. It states
// what the page states, nothing more; the signed credentials are the proof.

const CONTEXT = { '@vocab': 'https://schema.org/', gs1: 'https://gs1.org/voc/' } as const;

/** The scheme every certificate here belongs to. */
const OCOP_STANDARD = 'OCOP – Chương trình Mỗi xã một sản phẩm (One Commune One Product), Việt Nam';

export interface CertificationFacts {
  number: string;
  stars: number;
  issuingBody: string;
  validFrom: string;
  validUntil: string;
}

export type JsonLd = Record<string, unknown>;

/** GS1 and schema.org words for a state: the GS1 term is free text, schema.org has two values. */
const STATUS: Record<CertificateState, { gs1: string; schema: string }> = {
  valid: { gs1: 'ACTIVE', schema: 'CertificationActive' },
  expiring: { gs1: 'ACTIVE', schema: 'CertificationActive' },
  expired: { gs1: 'EXPIRED', schema: 'CertificationInactive' },
  renewal_pending: { gs1: 'EXPIRED', schema: 'CertificationInactive' },
  revoked: { gs1: 'REVOKED', schema: 'CertificationInactive' },
  superseded: { gs1: 'SUPERSEDED', schema: 'CertificationInactive' },
};

export function certificationNode(base: string, cert: CertificationFacts, state: CertificateState): JsonLd {
  const url = `${base}/c/${encodeURIComponent(cert.number)}`;
  return {
    '@type': ['Certification', 'gs1:CertificationDetails'],
    '@id': url,
    url,
    name: `OCOP ${cert.stars}★`,
    certificationIdentification: cert.number,
    issuedBy: { '@type': 'GovernmentOrganization', name: cert.issuingBody },
    validFrom: cert.validFrom,
    expires: cert.validUntil,
    certificationStatus: STATUS[state].schema,
    certificationRating: { '@type': 'Rating', ratingValue: cert.stars, bestRating: 5, worstRating: 1 },
    'gs1:certificationAgency': cert.issuingBody,
    'gs1:certificationStandard': OCOP_STANDARD,
    'gs1:certificationValue': String(cert.stars),
    'gs1:certificationIdentification': cert.number,
    'gs1:certificationStartDate': cert.validFrom,
    'gs1:certificationEndDate': cert.validUntil,
    'gs1:certificationStatus': STATUS[state].gs1,
  };
}

export interface ProductFacts {
  name: string;
  slug: string;
  description?: string | null;
  gtin?: string | null;
  category?: string | null;
  producer: { name: string; address: string };
}

export function productJsonLd(base: string, product: ProductFacts, certifications: JsonLd[]): JsonLd {
  const url = `${base}/p/${encodeURIComponent(product.slug)}`;
  const gtin14 = product.gtin ? product.gtin.padStart(14, '0') : null;
  return {
    '@context': CONTEXT,
    '@type': ['Product', 'gs1:Product'],
    '@id': url,
    url,
    name: product.name,
    ...(product.description ? { description: product.description } : {}),
    ...(product.category ? { category: product.category } : {}),
    ...(gtin14 ? { gtin: gtin14, 'gs1:gtin': gtin14, hasGS1DigitalLink: `${base}/01/${gtin14}` } : {}),
    manufacturer: { '@type': 'Organization', name: product.producer.name, ...(product.producer.address ? { address: product.producer.address } : {}) },
    hasCertification: certifications,
  };
}

/**
 * The JSON as the text of a `<script type="application/ld+json">`: `<`, `>` and `&` as
 * \u escapes so no `</script>` or `<!--` can end or alter the element, and U+2028/2029
 * escaped for old parsers. The result is still the same JSON.
 */
export function jsonLdScript(data: JsonLd): string {
  const json = JSON.stringify(data).replace(/[<>&\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `<script type="application/ld+json">${json}</script>`;
}
