import { zlibSync } from 'fflate';
import { SignJWT } from 'jose';
import type { KeyRing } from '../codes/keyring';
import { base64urlEncode } from '../codes/base64url';
import type { PublicCertificate } from '../db/certificates';
import { addDays, VN_OFFSET_MINUTES } from '../domain/dates';

// Signed documents a retailer can keep and check offline with the JWKS at
// /.well-known/jwks.json: one credential per certificate, and one status list that
// says, one bit per certificate, which of them must no longer be accepted
// (IETF OAuth Token Status List, draft-ietf-oauth-status-list: `statuslist+jwt`).

export const STATUS_LIST_PATH = '/api/v1/status-list';
export const CREDENTIAL_TYP = 'ocop-certificate+jwt';

/** Seconds since the epoch of 00:00 Vietnam time on `date`. */
export function vietnamMidnight(date: string): number {
  return Math.floor((Date.parse(`${date}T00:00:00Z`) - VN_OFFSET_MINUTES * 60_000) / 1000);
}

function signingKey(ring: KeyRing): { kid: string; key: CryptoKey } {
  const signer = ring.signer();
  if (!signer.privateKey) throw new Error('signer has no private key');
  return { kid: signer.kid, key: signer.privateKey };
}

export interface CredentialClaims {
  iss: string;
  sub: string;
  iat: number;
  nbf: number;
  exp: number;
  ocop: {
    number: string;
    stars: number;
    product: { name: string; slug: string };
    producer: { name: string; legal_form: string; address_as_issued: string };
    decision_number: string;
    decision_date: string;
    issuing_body: string;
    issuing_level: string;
    legal_basis: string;
    valid_from: string;
    valid_until: string;
    supersedes: string | null;
  };
  status: { status_list: { idx: number; uri: string } };
}

/**
 * A JWT for one certificate: valid from 00:00 of `valid_from` to the end of `valid_until`
 * (Vietnam time) as `nbf`/`exp`, with its status-list index so a revocation can be seen
 * offline from one status-list fetch. The credential states facts, not the current status.
 */
export async function certificateCredential(ring: KeyRing, baseUrl: string, cert: PublicCertificate, now: Date): Promise<string> {
  const { kid, key } = signingKey(ring);
  const claims: CredentialClaims = {
    iss: baseUrl,
    sub: `${baseUrl}/c/${encodeURIComponent(cert.number)}`,
    iat: Math.floor(now.getTime() / 1000),
    nbf: vietnamMidnight(cert.validFrom),
    exp: vietnamMidnight(addDays(cert.validUntil, 1)),
    ocop: {
      number: cert.number,
      stars: cert.stars,
      product: { name: cert.product.name, slug: cert.product.slug },
      producer: { name: cert.producer.name, legal_form: cert.producer.legalForm, address_as_issued: cert.producer.addressAsIssued },
      decision_number: cert.decisionNumber,
      decision_date: cert.decisionDate,
      issuing_body: cert.issuingBody,
      issuing_level: cert.issuingLevel,
      legal_basis: cert.legalBasis.id,
      valid_from: cert.validFrom,
      valid_until: cert.validUntil,
      supersedes: cert.supersedes?.number ?? null,
    },
    status: { status_list: { idx: cert.statusIndex, uri: `${baseUrl}${STATUS_LIST_PATH}` } },
  };
  return new SignJWT(claims as unknown as Record<string, unknown>)
    .setProtectedHeader({ alg: 'EdDSA', kid, typ: CREDENTIAL_TYP })
    .sign(key);
}

/**
 * The bit array of the draft: status of index i in bit (i mod 8) of byte floor(i / 8),
 * least significant bit first; 1 = INVALID, 0 = VALID.
 */
export function statusBits(size: number, invalid: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(Math.max(1, Math.ceil(size / 8)));
  for (const i of invalid) {
    if (Number.isInteger(i) && i >= 0 && i < size) bytes[i >> 3]! |= 1 << (i & 7);
  }
  return bytes;
}

/** `lst`: the bit array compressed with DEFLATE in the ZLIB format, base64url without padding. */
export function encodeStatusList(bits: Uint8Array): string {
  return base64urlEncode(zlibSync(bits, { level: 9 }));
}

export async function statusListToken(ring: KeyRing, baseUrl: string, size: number, invalid: readonly number[], now: Date, ttlSeconds: number): Promise<string> {
  const { kid, key } = signingKey(ring);
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({
    sub: `${baseUrl}${STATUS_LIST_PATH}`,
    iat,
    // A consumer must refetch within a day even if it ignores `ttl`.
    exp: iat + 86_400,
    ttl: Math.max(1, ttlSeconds),
    status_list: { bits: 1, lst: encodeStatusList(statusBits(size, invalid)) },
  })
    .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'statuslist+jwt' })
    .sign(key);
}
