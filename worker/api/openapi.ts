// The OpenAPI 3.1 description of the retailer API: served at /api/openapi.json, rendered
// as the reference page at /api/docs, validated by a test. Keep it next to the routes it
// describes (routes.ts) and change both together.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type OpenApiDocument = { [key: string]: Json };

export const MAX_BULK_ITEMS = 10_000;
export const MAX_BULK_BYTES = 2 * 1024 * 1024;
export const MAX_FEED_LIMIT = 1000;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const errorResponse = (descriptionEn: string) => ({ description: descriptionEn, content: { 'application/json': { schema: ref('Error') } } });
const nullable = (schema: { [key: string]: Json }) => ({ oneOf: [schema, { type: 'null' }] });

export function openApiDocument(baseUrl: string): OpenApiDocument {
  return {
    openapi: '3.1.0',
    info: {
      title: 'OCOP Verify – retailer API',
      version: '1.0.0',
      summary: 'Kiểm tra sản phẩm và giấy chứng nhận OCOP / Verify OCOP packages and certificates',
      description:
        'Tra cứu mã QR trên bao bì và số giấy chứng nhận OCOP, từng mã hoặc nhiều mã một lần; tải chứng thư ký số và danh sách trạng thái để kiểm tra ngoại tuyến.\n\n' +
        'Check package QR codes and OCOP certificate numbers one at a time or in bulk; fetch signed credentials and a status list for offline checks. ' +
        'CORS is open (any origin), no authentication is needed. Every answer about a package or certificate has a `verdict`: ' +
        '`genuine`, `expired`, `revoked`, `key_withdrawn` or `not_genuine`. Answers may be up to 30 seconds old (see `Cache-Control`).',
      license: { name: 'Public data of the OCOP programme', identifier: 'CC-BY-4.0' },
    },
    servers: [{ url: baseUrl }],
    tags: [
      { name: 'verify', description: 'Xác thực / Verification' },
      { name: 'certificates', description: 'Giấy chứng nhận / Certificates' },
      { name: 'offline', description: 'Kiểm tra ngoại tuyến / Offline checks' },
    ],
    paths: {
      '/api/v1/verify': {
        get: {
          tags: ['verify'],
          operationId: 'verifyOne',
          summary: 'Xác thực một mã / Verify one code or certificate number',
          description:
            'A package code (the 119-character code or the whole URL from the QR, any letter case) or a certificate number. ' +
            'A code that does not verify is still a 200 answer with `verdict: not_genuine` and a `reason`. Retailer checks are not counted as shopper scans.',
          parameters: [
            { name: 'code', in: 'query', required: true, description: 'Package code, package URL or certificate number (at most 1000 characters).', schema: { type: 'string', minLength: 1, maxLength: 1000 } },
          ],
          responses: {
            '200': { description: 'The verdict.', content: { 'application/json': { schema: { type: 'object', required: ['result'], properties: { result: ref('ItemResult') } } } } },
            '400': errorResponse('The `code` parameter is missing or too long.'),
          },
        },
        post: {
          tags: ['verify'],
          operationId: 'verifyMany',
          summary: 'Xác thực nhiều mã / Verify up to 10,000 items',
          description: `Up to ${MAX_BULK_ITEMS} codes or certificate numbers (request body at most ${MAX_BULK_BYTES} bytes). Results come back one per item, in the same order.`,
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['codes'],
                  properties: { codes: { type: 'array', minItems: 1, maxItems: MAX_BULK_ITEMS, items: { type: 'string', minLength: 1, maxLength: 1000 } } },
                },
                example: { codes: ['BP-OCOP-2023-010', 'https://ocop.example.vn/V/AE…'] },
              },
            },
          },
          responses: {
            '200': {
              description: 'One result per item, in order.',
              content: { 'application/json': { schema: { type: 'object', required: ['results'], properties: { results: { type: 'array', items: ref('ItemResult') } } } } },
            },
            '400': errorResponse('Body is not JSON or does not match the schema.'),
            '413': errorResponse(`More than ${MAX_BULK_ITEMS} items or a body over ${MAX_BULK_BYTES} bytes.`),
            '415': errorResponse('Content-Type is not application/json.'),
          },
        },
      },
      '/api/v1/certificates/{number}': {
        get: {
          tags: ['certificates'],
          operationId: 'getCertificate',
          summary: 'Một giấy chứng nhận / One certificate',
          parameters: [{ name: 'number', in: 'path', required: true, description: 'Certificate number, any letter case; encode "/" as %2F.', schema: { type: 'string', maxLength: 40 } }],
          responses: {
            '200': { description: 'The certificate, its verdict, and where to get its credential.', content: { 'application/json': { schema: ref('CertificateResponse') } } },
            '400': errorResponse('Not a certificate number.'),
            '404': errorResponse('No certificate with that number.'),
          },
        },
      },
      '/api/v1/credentials/{number}': {
        get: {
          tags: ['offline', 'certificates'],
          operationId: 'getCredential',
          summary: 'Chứng thư ký số của giấy chứng nhận / Signed credential (JWT)',
          description:
            'A compact JWT (EdDSA, `kid` in the header, `typ: ocop-certificate+jwt`) signed with the service key published at /.well-known/jwks.json. ' +
            'Claims: `iss`, `sub` (the certificate page URL), `iat`, `nbf` (00:00 of valid_from, Vietnam time), `exp` (end of valid_until), ' +
            '`ocop` (number, stars, product, producer, decision, issuing body, legal basis, validity) and `status.status_list` {`idx`, `uri`} pointing into the status list.',
          parameters: [{ name: 'number', in: 'path', required: true, schema: { type: 'string', maxLength: 40 } }],
          responses: {
            '200': { description: 'The JWT.', content: { 'application/jwt': { schema: { type: 'string' } } } },
            '400': errorResponse('Not a certificate number.'),
            '404': errorResponse('No certificate with that number.'),
          },
        },
      },
      '/api/v1/status-list': {
        get: {
          tags: ['offline'],
          operationId: 'getStatusList',
          summary: 'Danh sách trạng thái / Token Status List',
          description:
            'IETF OAuth Token Status List (`typ: statuslist+jwt`): `status_list.bits` = 1, `status_list.lst` = base64url of the ZLIB-compressed bit array; ' +
            'bit `idx` (least significant bit first) is 1 when that certificate must not be accepted now (revoked, or past its validity). ' +
            'A superseded certificate still inside its dates stays 0. `ttl` says how many seconds a copy may be reused.',
          responses: { '200': { description: 'The signed status list.', content: { 'application/statuslist+jwt': { schema: { type: 'string' } } } } },
        },
      },
      '/api/v1/revocations': {
        get: {
          tags: ['offline', 'certificates'],
          operationId: 'listRevocations',
          summary: 'Thu hồi và hết hạn / Revocation and expiry feed',
          description:
            'Revocations and expiries, oldest first. Start without `since` (or with a date), then pass back `next_cursor` to get only what is new. ' +
            'An expiry appears at 00:00 (Vietnam time) of the day after `valid_until`.',
          parameters: [
            { name: 'since', in: 'query', required: false, description: 'A `next_cursor` from an earlier answer, or an ISO date / date-time.', schema: { type: 'string', maxLength: 200 } },
            { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: MAX_FEED_LIMIT, default: 500 } },
          ],
          responses: {
            '200': {
              description: 'A page of events.',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    required: ['events', 'next_cursor', 'has_more'],
                    properties: {
                      events: { type: 'array', items: ref('FeedEvent') },
                      next_cursor: { type: ['string', 'null'], description: 'Pass as `since` next time.' },
                      has_more: { type: 'boolean' },
                    },
                  },
                },
              },
            },
            '400': errorResponse('`since` or `limit` is not valid.'),
          },
        },
      },
      '/.well-known/jwks.json': {
        get: {
          tags: ['offline'],
          operationId: 'getJwks',
          summary: 'Khóa công khai / Public keys (JWKS)',
          description: 'Ed25519 public keys that verify package codes, credentials and the status list. Withdrawn keys are removed.',
          responses: { '200': { description: 'A JWK Set.', content: { 'application/json': { schema: ref('Jwks') } } } },
        },
      },
    },
    components: {
      schemas: {
        Verdict: { type: 'string', enum: ['genuine', 'expired', 'revoked', 'key_withdrawn', 'not_genuine'] },
        Reason: {
          type: ['string', 'null'],
          enum: ['malformed', 'unknown_version', 'unknown_key', 'bad_signature', 'unknown_batch', 'unknown_package', 'unknown_certificate', null],
          description: 'Why an item is `not_genuine`; null otherwise.',
        },
        ItemResult: {
          type: 'object',
          required: ['input', 'kind', 'verdict', 'reason', 'days_left', 'expiring_soon', 'certificate', 'product', 'producer', 'package'],
          properties: {
            input: { type: 'string', description: 'The item as sent (first 200 characters).' },
            kind: { type: 'string', enum: ['package', 'certificate'] },
            verdict: ref('Verdict'),
            reason: ref('Reason'),
            days_left: { type: ['integer', 'null'], description: 'valid_until − today in days (negative once expired).' },
            expiring_soon: { type: 'boolean', description: 'Genuine with fewer than 30 days left.' },
            certificate: nullable(ref('Certificate')),
            product: nullable(ref('Product')),
            producer: nullable(ref('Producer')),
            package: nullable(ref('Package')),
          },
        },
        Certificate: {
          type: 'object',
          required: ['number', 'stars', 'status', 'state', 'decision_number', 'decision_date', 'issuing_body', 'issuing_level', 'valid_from', 'valid_until', 'status_list_index', 'revocation', 'superseded_by', 'url'],
          properties: {
            number: { type: 'string' },
            stars: { type: 'integer', minimum: 3, maximum: 5 },
            status: { type: 'string', enum: ['active', 'revoked', 'superseded'], description: 'As recorded; `expired` is never stored.' },
            state: { type: ['string', 'null'], enum: ['valid', 'expiring', 'expired', 'revoked', 'superseded', null], description: 'As of today.' },
            decision_number: { type: 'string' },
            decision_date: { type: 'string', format: 'date' },
            issuing_body: { type: 'string' },
            issuing_level: { type: 'string', enum: ['district', 'province', 'national'] },
            valid_from: { type: 'string', format: 'date' },
            valid_until: { type: 'string', format: 'date', description: 'Last valid day, inclusive.' },
            status_list_index: { type: 'integer', minimum: 0 },
            revocation: nullable({
              type: 'object',
              required: ['decision_number', 'date', 'ground', 'ground_vi', 'ground_en'],
              properties: { decision_number: { type: 'string' }, date: { type: 'string', format: 'date' }, ground: { type: 'string' }, ground_vi: { type: 'string' }, ground_en: { type: 'string' } },
            }),
            superseded_by: nullable({
              type: 'object',
              required: ['number', 'stars', 'valid_until'],
              properties: { number: { type: 'string' }, stars: { type: 'integer' }, valid_until: { type: 'string', format: 'date' } },
            }),
            url: { type: 'string', format: 'uri' },
          },
        },
        Product: {
          type: 'object',
          required: ['name', 'slug', 'group_vi', 'group_en', 'url'],
          properties: { name: { type: 'string' }, slug: { type: 'string' }, group_vi: { type: ['string', 'null'] }, group_en: { type: ['string', 'null'] }, url: { type: 'string', format: 'uri' } },
        },
        Producer: {
          type: 'object',
          required: ['name', 'legal_form', 'address_as_issued', 'address_now'],
          properties: {
            name: { type: 'string' },
            legal_form: { type: 'string', enum: ['doanh_nghiep', 'hop_tac_xa', 'to_hop_tac', 'ho_kinh_doanh'] },
            address_as_issued: { type: 'string' },
            address_now: { type: ['string', 'null'], description: 'The unit after the 2025 merger, e.g. "Bình Phước (cũ), nay Tỉnh Đồng Nai".' },
          },
        },
        Package: {
          type: 'object',
          required: ['batch_id', 'serial', 'lot_code', 'production_date', 'best_before', 'kid'],
          properties: {
            batch_id: { type: 'integer' },
            serial: { type: 'integer', minimum: 1 },
            lot_code: { type: 'string' },
            production_date: { type: 'string', format: 'date' },
            best_before: { type: ['string', 'null'], format: 'date' },
            kid: { type: 'string', description: 'The key that signed the code.' },
          },
        },
        CertificateResponse: {
          type: 'object',
          required: ['verdict', 'days_left', 'expiring_soon', 'certificate', 'product', 'producer', 'credential_url', 'status_list'],
          properties: {
            verdict: ref('Verdict'),
            days_left: { type: 'integer' },
            expiring_soon: { type: 'boolean' },
            certificate: ref('Certificate'),
            product: ref('Product'),
            producer: ref('Producer'),
            credential_url: { type: 'string', format: 'uri' },
            status_list: { type: 'object', required: ['idx', 'uri'], properties: { idx: { type: 'integer' }, uri: { type: 'string', format: 'uri' } } },
          },
        },
        FeedEvent: {
          type: 'object',
          required: ['type', 'at', 'certificate_number', 'status_list_index', 'valid_until', 'revocation'],
          properties: {
            type: { type: 'string', enum: ['revoked', 'expired'] },
            at: { type: 'string', format: 'date-time' },
            certificate_number: { type: 'string' },
            status_list_index: { type: 'integer' },
            valid_until: { type: 'string', format: 'date' },
            revocation: nullable({
              type: 'object',
              required: ['decision_number', 'date', 'ground'],
              properties: { decision_number: { type: 'string' }, date: { type: 'string', format: 'date' }, ground: { type: 'string' } },
            }),
          },
        },
        Jwks: {
          type: 'object',
          required: ['keys'],
          properties: {
            keys: {
              type: 'array',
              items: {
                type: 'object',
                required: ['kty', 'crv', 'x', 'kid', 'alg', 'use'],
                properties: { kty: { const: 'OKP' }, crv: { const: 'Ed25519' }, x: { type: 'string' }, kid: { type: 'string' }, alg: { const: 'EdDSA' }, use: { const: 'sig' } },
              },
            },
          },
        },
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message', 'message_vi', 'message_en'],
              properties: { code: { type: 'string' }, message: { type: 'string' }, message_vi: { type: 'string' }, message_en: { type: 'string' }, details: {} },
            },
          },
        },
      },
    },
  };
}
