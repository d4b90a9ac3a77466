import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPackageCode } from '../../worker/codes/sign';
import { createTestContext, type TestContext } from '../helpers/app';
import { type Document, documentedStatuses, expectDocumentedAnswer, expectValidDocument, resolved, schemaValidator } from '../helpers/openapi';
import { demoNumbers } from '../helpers/demo';

/** Demo certificate numbers as seeded by this file's context (they carry their decision's year). */
const N = demoNumbers();

// The published OpenAPI document against the answers the API really gives: every documented
// operation is called on a seeded app, and each answer's status, media type and JSON body
// are checked against the schema the document declares for that status. Schemas are taken
// from the served /api/openapi.json, not from the code, so the document cannot drift from
// the API unnoticed; and every documented status must be produced by at least one call.

interface Call {
  /** The documented operation, as "METHOD /path/{template}". */
  operation: string;
  url: string;
  init?: RequestInit;
  status: number;
  /** For error answers: the `error.code` that shows the right handler answered. */
  code?: string;
}

let ctx: TestContext;
let doc: Document;
let calls: Call[];

const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

beforeAll(async () => {
  ctx = await createTestContext({ seed: true });
  const batch: Record<string, number> = {};
  for (const b of await ctx.db.selectFrom('package_batches').select(['id', 'lot_code']).execute()) batch[b.lot_code] = b.id;
  const genuine = await signPackageCode(ctx.keys, batch['HM-RM-01']!, 1);
  const expired = await signPackageCode(ctx.keys, batch['PT79-2022-03']!, 2);
  const revoked = await signPackageCode(ctx.keys, batch['MO-2025-12']!, 3);
  const forged = genuine.slice(0, 100) + (genuine[100] === 'A' ? 'B' : 'A') + genuine.slice(101);
  // Expired with a renewal under review, and a lot past its best-before date (issue 11).
  const pending = await signPackageCode(ctx.keys, batch['BT-05']!, 1);
  const stale = await signPackageCode(ctx.keys, batch['MD-02']!, 1);
  // Genuine, superseded by a renewal, revoked, expired, renewal pending, unknown, forged, junk: every nullable branch of ItemResult.
  const mixed = [genuine, N.haMyOld, N.matOng, '70-31-2021', N.banhTrang, expired, revoked, pending, stale, forged, 'BP-OCOP-NOPE-1', 'nonsense', '💩'];
  const firstPage = (await (await ctx.app.request('/api/v1/revocations?limit=1')).json()) as { next_cursor: string };

  calls = [
    { operation: 'GET /.well-known/jwks.json', url: '/.well-known/jwks.json', status: 200 },
    ...mixed.map((code) => ({ operation: 'GET /api/v1/verify', url: `/api/v1/verify?code=${encodeURIComponent(code)}`, status: 200 })),
    { operation: 'GET /api/v1/verify', url: '/api/v1/verify', status: 400, code: 'invalid_request' },
    { operation: 'GET /api/v1/verify', url: `/api/v1/verify?code=${'A'.repeat(1001)}`, status: 400, code: 'invalid_request' },
    { operation: 'POST /api/v1/verify', url: '/api/v1/verify', init: json({ codes: mixed }), status: 200 },
    { operation: 'POST /api/v1/verify', url: '/api/v1/verify', init: json('{"codes": ['), status: 400, code: 'invalid_request' },
    { operation: 'POST /api/v1/verify', url: '/api/v1/verify', init: json({ codes: [1, 2] }), status: 400, code: 'invalid_request' },
    { operation: 'POST /api/v1/verify', url: '/api/v1/verify', init: json({ codes: [] }), status: 400, code: 'invalid_request' },
    { operation: 'POST /api/v1/verify', url: '/api/v1/verify', init: json({ codes: Array.from({ length: 10_001 }, () => 'BP-1') }), status: 413, code: 'too_many_items' },
    { operation: 'POST /api/v1/verify', url: '/api/v1/verify', init: json({ codes: ['x'.repeat(3 * 1024 * 1024)] }), status: 413, code: 'payload_too_large' },
    { operation: 'POST /api/v1/verify', url: '/api/v1/verify', init: { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"codes":["BP-1"]}' }, status: 415, code: 'unsupported_media_type' },
    ...[N.robusta.toLowerCase(), N.haMyOld, N.matOng, '70-31-2021', N.banhTrang].map((n) => ({ operation: 'GET /api/v1/certificates/{number}', url: `/api/v1/certificates/${n}`, status: 200 })),
    { operation: 'GET /api/v1/certificates/{number}', url: '/api/v1/certificates/%F0%9F%92%A9', status: 400, code: 'invalid_request' },
    { operation: 'GET /api/v1/certificates/{number}', url: '/api/v1/certificates/BP-NONE-404', status: 404, code: 'certificate_not_found' },
    // A raw "/" in the number still reaches the handler (not the app's generic 404).
    { operation: 'GET /api/v1/certificates/{number}', url: '/api/v1/certificates/70/31-2021', status: 404, code: 'certificate_not_found' },
    { operation: 'GET /api/v1/credentials/{number}', url: `/api/v1/credentials/${N.robusta}`, status: 200 },
    { operation: 'GET /api/v1/credentials/{number}', url: `/api/v1/credentials/${'1'.repeat(100)}`, status: 400, code: 'invalid_request' },
    { operation: 'GET /api/v1/credentials/{number}', url: '/api/v1/credentials/NOPE-123', status: 404, code: 'certificate_not_found' },
    { operation: 'GET /api/v1/status-list', url: '/api/v1/status-list', status: 200 },
    { operation: 'GET /.well-known/did.json', url: '/.well-known/did.json', status: 200 },
    ...[N.robusta, N.matOng, '70-31-2021'].map((n) => ({ operation: 'GET /api/v1/certificates/{number}/vc', url: `/api/v1/certificates/${n}/vc`, status: 200 })),
    { operation: 'GET /api/v1/certificates/{number}/vc', url: '/api/v1/certificates/%F0%9F%92%A9/vc', status: 400, code: 'invalid_request' },
    { operation: 'GET /api/v1/certificates/{number}/vc', url: '/api/v1/certificates/BP-NONE-404/vc', status: 404, code: 'certificate_not_found' },
    { operation: 'GET /api/v1/status/bitstring', url: '/api/v1/status/bitstring', status: 200 },
    { operation: 'GET /api/v1/offline-dataset', url: '/api/v1/offline-dataset', status: 200 },
    { operation: 'GET /api/v1/revocations', url: '/api/v1/revocations', status: 200 },
    { operation: 'GET /api/v1/revocations', url: `/api/v1/revocations?limit=1&since=${firstPage.next_cursor}`, status: 200 },
    { operation: 'GET /api/v1/revocations', url: '/api/v1/revocations?since=2000-01-01T00:00:00Z', status: 200 },
    ...['since=%%%', 'since=bm90LWpzb24', 'since=2026-13-45', 'limit=0', 'limit=abc'].map((q) => ({ operation: 'GET /api/v1/revocations', url: `/api/v1/revocations?${q}`, status: 400, code: 'invalid_request' })),
  ];

  // The document as a client gets it, with every $ref inlined so each schema compiles alone.
  doc = (await (await ctx.app.request('/api/openapi.json')).json()) as Document;
});

afterAll(async () => {
  await ctx.close();
});

describe('the OpenAPI document against real answers', () => {
  it('is valid OpenAPI 3.1', async () => {
    await expectValidDocument(doc);
  });

  it('every answer of every documented operation matches the schema declared for its status', async () => {
    const resolvedDoc = await resolved(doc);
    const compile = schemaValidator();
    const seen = new Set<string>();
    for (const call of calls) {
      const [method, path] = call.operation.split(' ') as [string, string];
      const op = resolvedDoc.paths[path]?.[method.toLowerCase()];
      expect(op, `${call.operation} is documented`).toBeDefined();
      const res = await ctx.app.request(call.url, call.init);
      const label = `${method} ${call.url.slice(0, 80)} → ${res.status}`;
      expect(res.status, label).toBe(call.status);
      const body = await expectDocumentedAnswer(op!, res, label, compile);
      if (call.code) expect((body as { error: { code: string } }).error.code, label).toBe(call.code);
      seen.add(`${call.operation} ${res.status}`);
    }
    // Each documented (operation, status) was produced by at least one real request.
    expect([...seen].sort()).toEqual(documentedStatuses(doc).sort());
  });

  it('a wrong answer fails its schema: the check is not vacuous', async () => {
    const resolvedDoc = await resolved(doc);
    const compile = schemaValidator();
    const schema = resolvedDoc.paths['/api/v1/verify']!.get!.responses['200']!.content!['application/json']!.schema;
    const good = (await (await ctx.app.request(`/api/v1/verify?code=${N.robusta}`)).json()) as { result: Record<string, unknown> };
    expect(compile(schema)(good)).toBe(true);
    for (const broken of [
      { result: { ...good.result, verdict: 'maybe' } },
      { result: { ...good.result, certificate: { ...(good.result.certificate as object), valid_until: '2026-02-30x' } } },
      { result: { ...good.result, package: undefined } },
    ]) {
      expect(compile(schema)(JSON.parse(JSON.stringify(broken))), JSON.stringify(broken).slice(0, 60)).toBe(false);
    }
    const problem = resolvedDoc.paths['/api/v1/verify']!.get!.responses['400']!.content!['application/json']!.schema;
    expect(compile(problem)({ error: { code: 'x', message: 'x' } })).toBe(false);
  });
});
