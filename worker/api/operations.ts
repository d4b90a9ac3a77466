import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { normaliseCertificateNumber } from '../db/certificates';
import { parseSince } from './feed-cursor';
import { jsonResponse, parsedString, problemResponses, type DocumentInfo } from './openapi';
import { certificateResponseSchema, didDocumentSchema, feedPageSchema, itemResultSchema, jwksSchema, MAX_BULK_BYTES, MAX_BULK_ITEMS, MAX_FEED_LIMIT, offlineDatasetSchema } from './schemas';

// Every operation of the retailer API: what it accepts (validated by zValidator before the
// handler in routes.tsx runs) and what it answers (the handler's return type). The OpenAPI
// document at /api/openapi.json is generated from these and nothing else.

export const RETAILER_API_INFO: DocumentInfo = {
  info: {
    title: 'OCOP Verify – retailer API',
    version: '1.0.0',
    description:
      'Tra cứu mã QR trên bao bì và số giấy chứng nhận OCOP, từng mã hoặc nhiều mã một lần; tải chứng thư ký số và danh sách trạng thái để kiểm tra ngoại tuyến.\n\n' +
      'Check package QR codes and OCOP certificate numbers one at a time or in bulk; fetch signed credentials and a status list for offline checks. ' +
      'CORS is open (any origin), no authentication is needed. Every answer about a package or certificate has a `verdict`: ' +
      '`genuine`, `expired`, `revoked`, `key_withdrawn` or `not_genuine`. Answers may be up to 30 seconds old (see `Cache-Control`).',
    license: { name: 'Public data of the OCOP programme', identifier: 'CC-BY-4.0' },
  },
  tags: [
    { name: 'verify', description: 'Xác thực / Verification' },
    { name: 'certificates', description: 'Giấy chứng nhận / Certificates' },
    { name: 'offline', description: 'Kiểm tra ngoại tuyến / Offline checks' },
  ],
};

const item = z.string().min(1).max(1000);
/**
 * One item of a bulk request: any text. An empty one, or one over 1,000 characters, cannot
 * be a code or a number, so it is answered as that item's `not_genuine`/`malformed` rather
 * than refusing the whole list (one bad cell in a retailer's spreadsheet).
 */
const bulkItem = z.string().meta({ description: 'Package code, package URL or certificate number; an empty item or one over 1000 characters is answered as malformed.' });

const certificateNumberParams = z.object({
  number: parsedString(60, normaliseCertificateNumber, 'not a certificate number', 'không phải số giấy chứng nhận hợp lệ').meta({
    description: 'Certificate number, any letter case; encode "/" as %2F.',
  }),
});

const notACertificate = problemResponses({ 400: 'Not a certificate number.', 404: 'No certificate with that number.' });

export const verifyOne = createRoute({
  method: 'get',
  path: '/api/v1/verify',
  tags: ['verify'],
  operationId: 'verifyOne',
  summary: 'Xác thực một mã / Verify one code or certificate number',
  description:
    'A package code (the 119-character code or the whole URL from the QR, any letter case) or a certificate number. ' +
    'A code that does not verify is still a 200 answer with `verdict: not_genuine` and a `reason`. Retailer checks are not counted as shopper scans.',
  request: {
    query: z.object({ code: item.meta({ description: 'Package code, package URL or certificate number (at most 1000 characters).' }) }),
  },
  responses: {
    200: jsonResponse('The verdict.', z.object({ result: itemResultSchema })),
    ...problemResponses({ 400: 'The `code` parameter is missing or too long.' }),
  },
});

export const verifyMany = createRoute({
  method: 'post',
  path: '/api/v1/verify',
  tags: ['verify'],
  operationId: 'verifyMany',
  summary: 'Xác thực nhiều mã / Verify up to 10,000 items',
  description: `Up to ${MAX_BULK_ITEMS} codes or certificate numbers (request body at most ${MAX_BULK_BYTES} bytes). Results come back one per item, in the same order.`,
  request: {
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.object({ codes: z.array(bulkItem).min(1).max(MAX_BULK_ITEMS) }),
          example: { codes: ['BP-OCOP-2023-010', 'https://ocop.example.vn/V/AE…'] },
        },
      },
    },
  },
  responses: {
    200: jsonResponse('One result per item, in order.', z.object({ results: z.array(itemResultSchema) })),
    ...problemResponses({
      400: 'Body is not JSON or does not match the schema.',
      413: `More than ${MAX_BULK_ITEMS} items or a body over ${MAX_BULK_BYTES} bytes.`,
      415: 'Content-Type is not application/json.',
    }),
  },
});

export const getCertificate = createRoute({
  method: 'get',
  // `{.+}`: a number with a raw "/" still reaches the handler; the document shows `{number}`.
  path: '/api/v1/certificates/{number{.+}}',
  tags: ['certificates'],
  operationId: 'getCertificate',
  summary: 'Một giấy chứng nhận / One certificate',
  request: { params: certificateNumberParams },
  responses: {
    200: jsonResponse('The certificate, its verdict, and where to get its credential.', certificateResponseSchema),
    ...notACertificate,
  },
});

export const getCredential = createRoute({
  method: 'get',
  path: '/api/v1/credentials/{number{.+}}',
  tags: ['offline', 'certificates'],
  operationId: 'getCredential',
  summary: 'Chứng thư ký số của giấy chứng nhận / Signed credential (JWT)',
  description:
    'A compact JWT (EdDSA, `kid` in the header, `typ: ocop-certificate+jwt`) signed with the service key published at /.well-known/jwks.json. ' +
    'Claims: `iss`, `sub` (the certificate page URL), `iat`, `nbf` (00:00 of valid_from, Vietnam time), `exp` (end of valid_until), ' +
    '`ocop` (number, stars, product, producer, decision, issuing body, legal basis, validity) and `status.status_list` {`idx`, `uri`} pointing into the status list.',
  request: { params: certificateNumberParams },
  responses: {
    200: { description: 'The JWT.', content: { 'application/jwt': { schema: z.string() } } },
    ...notACertificate,
  },
});

export const getStatusList = createRoute({
  method: 'get',
  path: '/api/v1/status-list',
  tags: ['offline'],
  operationId: 'getStatusList',
  summary: 'Danh sách trạng thái / Token Status List',
  description:
    'IETF OAuth Token Status List (`typ: statuslist+jwt`): `status_list.bits` = 1, `status_list.lst` = base64url of the ZLIB-compressed bit array; ' +
    'bit `idx` (least significant bit first) is 1 when that certificate must not be accepted now (revoked, or past its validity). ' +
    'A superseded certificate still inside its dates stays 0. `ttl` says how many seconds a copy may be reused.',
  responses: { 200: { description: 'The signed status list.', content: { 'application/statuslist+jwt': { schema: z.string() } } } },
});

export const listRevocations = createRoute({
  method: 'get',
  path: '/api/v1/revocations',
  tags: ['offline', 'certificates'],
  operationId: 'listRevocations',
  summary: 'Thu hồi và hết hạn / Revocation and expiry feed',
  description:
    'Revocations and expiries, oldest first. Start without `since` (or with a date), then pass back `next_cursor` to get only what is new. ' +
    'An expiry appears at 00:00 (Vietnam time) of the day after `valid_until`.',
  request: {
    query: z.object({
      since: parsedString(200, parseSince, 'not a cursor or an ISO date', 'không phải con trỏ hay ngày ISO hợp lệ')
        .optional()
        .meta({ description: 'A `next_cursor` from an earlier answer, or an ISO date / date-time.' }),
      limit: z.coerce.number().int().min(1).max(MAX_FEED_LIMIT).default(500),
    }),
  },
  responses: {
    200: jsonResponse('A page of events.', feedPageSchema),
    ...problemResponses({ 400: '`since` or `limit` is not valid.' }),
  },
});

export const getJwks = createRoute({
  method: 'get',
  path: '/.well-known/jwks.json',
  tags: ['offline'],
  operationId: 'getJwks',
  summary: 'Khóa công khai / Public keys (JWKS)',
  description: 'Ed25519 public keys that verify package codes, credentials and the status list. Withdrawn keys are removed.',
  responses: { 200: jsonResponse('A JWK Set.', jwksSchema) },
});

export const getCertificateVc = createRoute({
  method: 'get',
  // Registered before getCertificate, whose `{.+}` would otherwise take the "/vc" too.
  path: '/api/v1/certificates/{number{.+}}/vc',
  tags: ['offline', 'certificates'],
  operationId: 'getCertificateVc',
  summary: 'Chứng thư W3C VC 2.0 / W3C Verifiable Credential 2.0 (vc+jwt)',
  description:
    'The certificate as a W3C Verifiable Credential 2.0 secured with JOSE (VC-JOSE-COSE): a compact JWS, header `typ: vc+jwt`, `alg: EdDSA`, ' +
    '`kid` = a verification method of the issuer `did:web:<host>` (DID document at /.well-known/did.json, the same keys as the JWKS). ' +
    'The payload is the credential: `type` [VerifiableCredential, DigitalConformityCredential], `validFrom`/`validUntil` (Vietnam time), ' +
    '`credentialSubject` shaped after the UN Transparency Protocol ConformityAttestation (product, producer, scheme OCOP, stars, issuing body, decision) ' +
    'with the facts repeated flat under `ocop`, and `credentialStatus` a `BitstringStatusListEntry` (statusPurpose `revocation`) into /api/v1/status/bitstring.',
  request: { params: certificateNumberParams },
  responses: {
    200: { description: 'The credential as a JWS.', content: { 'application/vc+jwt': { schema: z.string() } } },
    ...notACertificate,
  },
});

export const getBitstringStatusList = createRoute({
  method: 'get',
  path: '/api/v1/status/bitstring',
  tags: ['offline'],
  operationId: 'getBitstringStatusList',
  summary: 'Danh sách thu hồi W3C / W3C Bitstring Status List (vc+jwt)',
  description:
    'A BitstringStatusListCredential (W3C Bitstring Status List v1.0), signed as `application/vc+jwt` like the certificate credentials. ' +
    '`credentialSubject.encodedList` is a Multibase base64url string ("u" prefix) of the GZIP-compressed bitstring, at least 131,072 entries; ' +
    'the bit at `statusListIndex`, most significant bit first, is 1 when the certificate has been revoked. Expiry is not in this list (see each credential\'s `validUntil`). ' +
    '`ttl` is in milliseconds.',
  responses: { 200: { description: 'The signed status list credential.', content: { 'application/vc+jwt': { schema: z.string() } } } },
});

export const getDidDocument = createRoute({
  method: 'get',
  path: '/.well-known/did.json',
  tags: ['offline'],
  operationId: 'getDidDocument',
  summary: 'Tài liệu DID của bên cấp / Issuer DID document (did:web)',
  description: 'The did:web document of the credential issuer: each key of /.well-known/jwks.json as a `JsonWebKey` verification method, all listed under `assertionMethod`.',
  responses: { 200: jsonResponse('The DID document.', didDocumentSchema) },
});

export const getOfflineDataset = createRoute({
  method: 'get',
  path: '/api/v1/offline-dataset',
  tags: ['offline'],
  operationId: 'getOfflineDataset',
  summary: 'Dữ liệu cho máy quét ngoại tuyến / Offline scanner dataset',
  description:
    'Every certificate (number, product, producer, stars, dates, status, renewal) and every package batch (id, certificate, key, quantity, lot, best-before), ' +
    'with all signing keys and their statuses: what the offline scanner `/kiem-tra-nhanh` keeps in IndexedDB to verify package codes without a network. ' +
    'A copy older than `max_age_hours` must not be used to say "genuine".',
  responses: { 200: jsonResponse('The dataset.', offlineDatasetSchema) },
});
