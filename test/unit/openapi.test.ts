import { createRoute } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { documentedApi, jsonResponse, openApiDocument, orNull, parsedString, problemResponses } from '../../worker/api/openapi';
import { AppError, errorBody } from '../../worker/errors';

// The pieces any API of the service documents itself with (the retailer API today, the
// officials' API next), on a small API that uses each of them once.

const item = z.object({ id: z.string(), note: orNull(z.object({ text: z.string() }).meta({ id: 'Note' })) }).meta({ id: 'Item' });

const getItem = createRoute({
  method: 'get',
  path: '/items/{id{.+}}',
  operationId: 'getItem',
  request: {
    params: z.object({ id: parsedString(20, (raw) => (/^[a-z/]+$/.test(raw) ? raw.toUpperCase() : null), 'not an item id', 'không phải mã mục') }),
    query: z.object({ limit: z.coerce.number().int().min(1).max(10).default(5) }),
  },
  responses: { 200: jsonResponse('The item.', item), ...problemResponses({ 400: 'Bad id or limit.' }) },
});

function smallApi() {
  const app = documentedApi();
  app.openapi(getItem, (c) => c.json({ id: `${c.req.valid('param').id}:${c.req.valid('query').limit}`, note: null }, 200));
  // What worker/app.ts does with an AppError on an API path.
  app.onError((err, c) => (err instanceof AppError ? c.json(errorBody(err), err.status) : c.text('unexpected', 500)));
  return app;
}

describe('documented APIs', () => {
  it('validates with the declared schemas: parsed values reach the handler, a raw "/" included', async () => {
    const res = await smallApi().request('/items/a/b?limit=3');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: 'A/B:3', note: null });
    expect(await (await smallApi().request('/items/abc')).json()).toEqual({ id: 'ABC:5', note: null });
  });

  it('a request that fails its schema is a 400 problem naming the field, Vietnamese first', async () => {
    const bad = await smallApi().request('/items/a1');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      error: { code: 'invalid_request', message: 'id: không phải mã mục / id: not an item id', message_vi: 'id: không phải mã mục', message_en: 'id: not an item id' },
    });
    const limit = (await (await smallApi().request('/items/a?limit=11')).json()) as { error: { message_vi: string; message_en: string } };
    expect(limit.error.message_vi).toBe('limit: giá trị không hợp lệ');
    expect(limit.error.message_en).toMatch(/^limit: /);
  });

  it('generates an OpenAPI 3.1 document: plain path templates, named schemas, null as anyOf, the problem shape', () => {
    const doc = openApiDocument(smallApi(), { info: { title: 'Small', version: '1' } });
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths ?? {})).toEqual(['/items/{id}']);
    const op = doc.paths?.['/items/{id}']?.get;
    expect(op?.parameters).toEqual([
      expect.objectContaining({ name: 'id', in: 'path', required: true, schema: { type: 'string', maxLength: 20 } }),
      expect.objectContaining({ name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 10, default: 5 } }),
    ]);
    expect(op?.responses?.['400']).toEqual({ description: 'Bad id or limit.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
    const schemas = doc.components?.schemas ?? {};
    expect(Object.keys(schemas).sort()).toEqual(['Error', 'Item', 'Note']);
    expect(schemas.Item).toMatchObject({ properties: { note: { anyOf: [{ $ref: '#/components/schemas/Note' }, { type: 'null' }] } } });
    expect(schemas.Note).toMatchObject({ type: 'object' });
  });
});
