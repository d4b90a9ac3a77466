import { compileErrors, dereference, validate } from '@readme/openapi-parser';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPackageCode } from '../../worker/codes/sign';
import { createTestContext, type TestContext } from '../helpers/app';

// The published OpenAPI document against the answers the API really gives: every documented
// operation is called on a seeded app, and each answer's status, media type and JSON body
// are checked against the schema the document declares for that status. Schemas are taken
// from the served /api/openapi.json, not from the code, so the document cannot drift from
// the API unnoticed; and every documented status must be produced by at least one call.

type Schema = Record<string, unknown>;
interface MediaType { schema: Schema }
interface Operation { responses: Record<string, { content?: Record<string, MediaType> }> }
interface Document { openapi: string; paths: Record<string, Record<string, Operation>> }

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
  // Genuine, superseded by a renewal, revoked, expired, unknown, forged, junk: every nullable branch of ItemResult.
  const mixed = [genuine, 'BP-OCOP-2023-010', 'BP-OCOP-DEMO-103', '70-31-2021', expired, revoked, forged, 'BP-OCOP-NOPE-1', 'nonsense', '💩'];
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
    ...['bp-ocop-2023-022', 'BP-OCOP-2023-010', 'BP-OCOP-DEMO-103', '70-31-2021'].map((n) => ({ operation: 'GET /api/v1/certificates/{number}', url: `/api/v1/certificates/${n}`, status: 200 })),
    { operation: 'GET /api/v1/certificates/{number}', url: '/api/v1/certificates/%F0%9F%92%A9', status: 400, code: 'invalid_request' },
    { operation: 'GET /api/v1/certificates/{number}', url: '/api/v1/certificates/BP-NONE-404', status: 404, code: 'certificate_not_found' },
    // A raw "/" in the number still reaches the handler (not the app's generic 404).
    { operation: 'GET /api/v1/certificates/{number}', url: '/api/v1/certificates/70/31-2021', status: 404, code: 'certificate_not_found' },
    { operation: 'GET /api/v1/credentials/{number}', url: '/api/v1/credentials/BP-OCOP-2023-022', status: 200 },
    { operation: 'GET /api/v1/credentials/{number}', url: `/api/v1/credentials/${'1'.repeat(100)}`, status: 400, code: 'invalid_request' },
    { operation: 'GET /api/v1/credentials/{number}', url: '/api/v1/credentials/NOPE-123', status: 404, code: 'certificate_not_found' },
    { operation: 'GET /api/v1/status-list', url: '/api/v1/status-list', status: 200 },
    { operation: 'GET /.well-known/did.json', url: '/.well-known/did.json', status: 200 },
    ...['BP-OCOP-2023-022', 'BP-OCOP-DEMO-103', '70-31-2021'].map((n) => ({ operation: 'GET /api/v1/certificates/{number}/vc', url: `/api/v1/certificates/${n}/vc`, status: 200 })),
    { operation: 'GET /api/v1/certificates/{number}/vc', url: '/api/v1/certificates/%F0%9F%92%A9/vc', status: 400, code: 'invalid_request' },
    { operation: 'GET /api/v1/certificates/{number}/vc', url: '/api/v1/certificates/BP-NONE-404/vc', status: 404, code: 'certificate_not_found' },
    { operation: 'GET /api/v1/status/bitstring', url: '/api/v1/status/bitstring', status: 200 },
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

function validator(): (schema: Schema) => ValidateFunction {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  // The formats the document uses, checked as strictly as the API promises them.
  ajv.addFormat('date', /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/);
  ajv.addFormat('date-time', (s: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(s) && Number.isFinite(Date.parse(s)));
  ajv.addFormat('uri', (s: string) => URL.canParse(s));
  const compiled = new Map<Schema, ValidateFunction>();
  return (schema) => {
    let fn = compiled.get(schema);
    if (!fn) compiled.set(schema, (fn = ajv.compile(schema)));
    return fn;
  };
}

function documented(d: Document): string[] {
  return Object.entries(d.paths).flatMap(([path, item]) =>
    Object.entries(item).flatMap(([method, op]) => Object.keys(op.responses).map((status) => `${method.toUpperCase()} ${path} ${status}`)),
  );
}

describe('the OpenAPI document against real answers', () => {
  it('is valid OpenAPI 3.1', async () => {
    const result = await validate(structuredClone(doc) as unknown as Parameters<typeof validate>[0]);
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
    expect(result.warnings).toEqual([]);
  });

  it('every answer of every documented operation matches the schema declared for its status', async () => {
    const resolved = (await dereference(structuredClone(doc) as unknown as Parameters<typeof dereference>[0])) as unknown as Document;
    const compile = validator();
    const seen = new Set<string>();
    for (const call of calls) {
      const [method, path] = call.operation.split(' ') as [string, string];
      const op = resolved.paths[path]?.[method.toLowerCase()];
      expect(op, `${call.operation} is documented`).toBeDefined();
      const res = await ctx.app.request(call.url, call.init);
      const label = `${method} ${call.url.slice(0, 80)} → ${res.status}`;
      expect(res.status, label).toBe(call.status);
      const declared = op!.responses[String(res.status)];
      expect(declared, `${label}: status documented`).toBeDefined();
      const [mediaType, media] = Object.entries(declared!.content ?? {})[0] ?? [];
      expect(res.headers.get('content-type')?.split(';')[0], label).toBe(mediaType);
      const body: unknown = mediaType!.endsWith('json') ? await res.json() : await res.text();
      const check = compile(media!.schema);
      expect(check(body) ? [] : check.errors, label).toEqual([]);
      if (call.code) expect((body as { error: { code: string } }).error.code, label).toBe(call.code);
      seen.add(`${call.operation} ${res.status}`);
    }
    // Each documented (operation, status) was produced by at least one real request.
    expect([...seen].sort()).toEqual(documented(doc).sort());
  });

  it('a wrong answer fails its schema: the check is not vacuous', async () => {
    const resolved = (await dereference(structuredClone(doc) as unknown as Parameters<typeof dereference>[0])) as unknown as Document;
    const compile = validator();
    const schema = resolved.paths['/api/v1/verify']!.get!.responses['200']!.content!['application/json']!.schema;
    const good = (await (await ctx.app.request('/api/v1/verify?code=BP-OCOP-2023-022')).json()) as { result: Record<string, unknown> };
    expect(compile(schema)(good)).toBe(true);
    for (const broken of [
      { result: { ...good.result, verdict: 'maybe' } },
      { result: { ...good.result, certificate: { ...(good.result.certificate as object), valid_until: '2026-02-30x' } } },
      { result: { ...good.result, package: undefined } },
    ]) {
      expect(compile(schema)(JSON.parse(JSON.stringify(broken))), JSON.stringify(broken).slice(0, 60)).toBe(false);
    }
    const problem = resolved.paths['/api/v1/verify']!.get!.responses['400']!.content!['application/json']!.schema;
    expect(compile(problem)({ error: { code: 'x', message: 'x' } })).toBe(false);
  });
});
