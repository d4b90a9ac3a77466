import { compileErrors, dereference, validate } from '@readme/openapi-parser';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { expect } from 'vitest';

// Checking real answers against a served OpenAPI document: shared by the retailer API's test
// and the admin API's. Schemas come from the document as a client gets it, with every $ref
// inlined so each compiles alone.

export type Schema = Record<string, unknown>;
export interface Operation { responses: Record<string, { content?: Record<string, { schema: Schema }> }> }
export interface Document { openapi: string; paths: Record<string, Record<string, Operation>> }

/** The document is valid OpenAPI 3.1, without warnings. */
export async function expectValidDocument(doc: Document): Promise<void> {
  const result = await validate(structuredClone(doc) as unknown as Parameters<typeof validate>[0]);
  expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
  expect(result.warnings).toEqual([]);
}

/** The document with every $ref inlined. */
export async function resolved(doc: Document): Promise<Document> {
  return (await dereference(structuredClone(doc) as unknown as Parameters<typeof dereference>[0])) as unknown as Document;
}

/** A compiler of the document's schemas, with its formats checked as strictly as the APIs promise them. */
export function schemaValidator(): (schema: Schema) => ValidateFunction {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  ajv.addFormat('date', /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/);
  ajv.addFormat('date-time', (s: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(s) && Number.isFinite(Date.parse(s)));
  ajv.addFormat('uri', (s: string) => URL.canParse(s));
  ajv.addFormat('binary', () => true);
  const compiled = new Map<Schema, ValidateFunction>();
  return (schema) => {
    let fn = compiled.get(schema);
    if (!fn) compiled.set(schema, (fn = ajv.compile(schema)));
    return fn;
  };
}

/** Every (operation, status) the document declares, as "METHOD /path status". */
export function documentedStatuses(doc: Document): string[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).flatMap(([method, op]) => Object.keys(op.responses).map((status) => `${method.toUpperCase()} ${path} ${status}`)),
  );
}

/**
 * One real answer against the response its operation declares for its status: documented,
 * of a declared media type, and (for JSON) a body matching the schema. Returns the body.
 */
export async function expectDocumentedAnswer(op: Operation, res: Response, label: string, compile: (schema: Schema) => ValidateFunction): Promise<unknown> {
  const declared = op.responses[String(res.status)];
  expect(declared, `${label}: status documented`).toBeDefined();
  const mediaType = res.headers.get('content-type')?.split(';')[0];
  const content = declared!.content ?? {};
  if (Object.keys(content).length === 0) {
    expect(mediaType, `${label}: no body declared`).toBeUndefined();
    return undefined;
  }
  expect(Object.keys(content), label).toContain(mediaType);
  if (!mediaType!.endsWith('json')) {
    if (mediaType!.startsWith('text/') || mediaType!.startsWith('application/jwt') || mediaType!.includes('+jwt')) return res.text();
    return new Uint8Array(await res.arrayBuffer());
  }
  const body: unknown = await res.json();
  const check = compile(content[mediaType!]!.schema);
  expect(check(body) ? [] : check.errors, label).toEqual([]);
  return body;
}
