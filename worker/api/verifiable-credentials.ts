import { gzipSync } from 'fflate';
import { SignJWT } from 'jose';
import type { KeyRing } from '../codes/keyring';
import { base64urlEncode } from '../codes/base64url';
import type { PublicCertificate } from '../db/certificates';
import { addDays } from '../domain/dates';

// The same certificates in the W3C form retailers' systems speak (Recommendations of
// 15 May 2025): one Verifiable Credential 2.0 per certificate, secured with JOSE
// (VC-JOSE-COSE: `application/vc+jwt`, the JWS payload is the credential itself), issued
// by the service's did:web, whose DID document lists the keys of /.well-known/jwks.json;
// and one Bitstring Status List v1.0 credential (statusPurpose "revocation"). The
// subject follows the UN Transparency Protocol's Digital Conformity Credential
// (ConformityAttestation) where its terms fit; `ocop` repeats the facts flat.
// The older `ocop-certificate+jwt` and the IETF Token Status List stay as they are.

export const VC_MEDIA_TYPE = 'application/vc+jwt';
export const BITSTRING_PATH = '/api/v1/status/bitstring';
export const DID_DOCUMENT_PATH = '/.well-known/did.json';
/** Bitstring Status List v1.0 §2.1: at least 16 KB (131,072 entries), for herd privacy. */
export const MIN_BITSTRING_ENTRIES = 131_072;

const VC_CONTEXT = 'https://www.w3.org/ns/credentials/v2';

/**
 * `did:web` of the service's host (a port percent-encoded, as did:web asks). Only the
 * host: the DID document is served at /.well-known/did.json, where did:web looks for a DID
 * without a path.
 */
export function issuerDid(baseUrl: string): string {
  return `did:web:${encodeURIComponent(new URL(baseUrl).host)}`;
}

export const verificationMethodId = (did: string, kid: string) => `${did}#${kid}`;

export interface DidDocument {
  '@context': string[];
  id: string;
  verificationMethod: { id: string; type: 'JsonWebKey'; controller: string; publicKeyJwk: { kty: 'OKP'; crv: 'Ed25519'; x: string } }[];
  assertionMethod: string[];
}

/** The DID document: every key of the JWKS (withdrawn keys are not there either) as a JsonWebKey. */
export function didDocument(ring: KeyRing, baseUrl: string): DidDocument {
  const did = issuerDid(baseUrl);
  const methods = ring.publicJwks().keys.map((k) => ({
    id: verificationMethodId(did, k.kid),
    type: 'JsonWebKey' as const,
    controller: did,
    publicKeyJwk: { kty: k.kty, crv: k.crv, x: k.x },
  }));
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://www.w3.org/ns/cid/v1'],
    id: did,
    verificationMethod: methods,
    assertionMethod: methods.map((m) => m.id),
  };
}

function signer(ring: KeyRing, did: string): { kid: string; key: CryptoKey } {
  const s = ring.signer();
  if (!s.privateKey) throw new Error('signer has no private key');
  return { kid: verificationMethodId(did, s.kid), key: s.privateKey };
}

/** 00:00 of `date`, Vietnam time, as an XML Schema dateTimeStamp. */
const vietnamDayStart = (date: string) => `${date}T00:00:00+07:00`;

/** The credential (unsigned): what the JWS payload holds. */
export function certificateVc(baseUrl: string, cert: PublicCertificate): Record<string, unknown> {
  const did = issuerDid(baseUrl);
  const number = encodeURIComponent(cert.number);
  const page = `${baseUrl}/c/${number}`;
  const productUrl = `${baseUrl}/p/${encodeURIComponent(cert.product.slug)}`;
  const gtin14 = cert.product.gtin ? cert.product.gtin.padStart(14, '0') : null;
  return {
    '@context': [VC_CONTEXT],
    id: `${baseUrl}/api/v1/certificates/${number}/vc`,
    type: ['VerifiableCredential', 'DigitalConformityCredential'],
    name: `Giấy chứng nhận OCOP ${cert.number} / OCOP certificate ${cert.number}`,
    issuer: { id: did, name: 'OCOP Verify' },
    validFrom: vietnamDayStart(cert.validFrom),
    // valid_until is the last valid day, inclusive: the credential ends as that day does.
    validUntil: vietnamDayStart(addDays(cert.validUntil, 1)),
    credentialSubject: {
      type: ['ConformityAttestation'],
      id: page,
      name: `OCOP ${cert.stars}★ – ${cert.product.name}`,
      attestationType: 'certification',
      assessmentLevel: 'GovtApproval',
      scope: { type: ['ConformityAssessmentScheme'], name: 'OCOP', legalBasis: cert.legalBasis.titleVi },
      issuedToParty: {
        type: ['Party'],
        name: cert.producer.name,
        legalForm: cert.producer.legalForm,
        address: cert.producer.addressAsIssued,
      },
      issuingBody: { type: ['Party'], name: cert.issuingBody, level: cert.issuingLevel },
      decision: { number: cert.decisionNumber, date: cert.decisionDate },
      assessment: [
        {
          type: ['ConformityAssessment'],
          assessmentDate: cert.decisionDate,
          referenceRegulation: { name: cert.legalBasis.titleVi },
          assessedProduct: [{ type: ['Product'], id: productUrl, name: cert.product.name, ...(gtin14 ? { gtin: gtin14 } : {}) }],
          declaredValue: [{ metricName: 'OCOP stars', metricValue: { value: cert.stars, unit: 'stars' }, score: `${cert.stars}/5` }],
          compliance: true,
        },
      ],
      ocop: {
        number: cert.number,
        stars: cert.stars,
        valid_from: cert.validFrom,
        valid_until: cert.validUntil,
        decision_number: cert.decisionNumber,
        decision_date: cert.decisionDate,
        issuing_body: cert.issuingBody,
        issuing_level: cert.issuingLevel,
        supersedes: cert.supersedes?.number ?? null,
      },
    },
    credentialStatus: {
      id: `${baseUrl}${BITSTRING_PATH}#${cert.statusIndex}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(cert.statusIndex),
      statusListCredential: `${baseUrl}${BITSTRING_PATH}`,
    },
  };
}

/** The credential as `application/vc+jwt`. It states facts; whether it still holds is the status list's job. */
export async function certificateVcJwt(ring: KeyRing, baseUrl: string, cert: PublicCertificate, now: Date): Promise<string> {
  const did = issuerDid(baseUrl);
  const { kid, key } = signer(ring, did);
  const vc = certificateVc(baseUrl, cert);
  return new SignJWT({ ...vc, iss: did, sub: `${baseUrl}/c/${encodeURIComponent(cert.number)}`, iat: Math.floor(now.getTime() / 1000) })
    .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'vc+jwt', cty: 'vc' })
    .sign(key);
}

/**
 * The bitstring of the spec (§3.1): index i is bit 7 − (i mod 8) of byte floor(i / 8),
 * the most significant bit first (the opposite of the IETF list); 1 = revoked.
 */
export function bitstring(revoked: readonly number[], entries = MIN_BITSTRING_ENTRIES): Uint8Array {
  let size = entries;
  for (const i of revoked) if (Number.isInteger(i) && i >= size) size = i + 1;
  const bytes = new Uint8Array(Math.ceil(Math.max(size, MIN_BITSTRING_ENTRIES) / 8));
  for (const i of revoked) {
    if (Number.isInteger(i) && i >= 0) bytes[i >> 3]! |= 0x80 >> (i & 7);
  }
  return bytes;
}

/** `encodedList`: GZIP, then base64url without padding, as a Multibase string ("u" prefix). */
export function encodeBitstring(bits: Uint8Array): string {
  return `u${base64urlEncode(gzipSync(bits, { level: 9, mtime: 0 }))}`;
}

/** The BitstringStatusListCredential, signed as `application/vc+jwt`. */
export async function bitstringStatusListJwt(ring: KeyRing, baseUrl: string, revoked: readonly number[], now: Date, ttlSeconds: number): Promise<string> {
  const did = issuerDid(baseUrl);
  const { kid, key } = signer(ring, did);
  const url = `${baseUrl}${BITSTRING_PATH}`;
  const credential = {
    '@context': [VC_CONTEXT],
    id: url,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: did,
    validFrom: now.toISOString(),
    // A consumer must refetch within a day even if it ignores `ttl`.
    validUntil: new Date(now.getTime() + 86_400_000).toISOString(),
    credentialSubject: {
      id: `${url}#list`,
      type: 'BitstringStatusList',
      statusPurpose: 'revocation',
      // Milliseconds, as the spec counts it.
      ttl: Math.max(1, ttlSeconds) * 1000,
      encodedList: encodeBitstring(bitstring(revoked)),
    },
  };
  return new SignJWT({ ...credential, iss: did, iat: Math.floor(now.getTime() / 1000) })
    .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'vc+jwt', cty: 'vc' })
    .sign(key);
}
