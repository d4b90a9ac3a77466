import { OpenAPIHono } from '@hono/zod-openapi';
import type { Env } from 'hono';
import { z } from 'zod';
import { AppError, errorBody } from '../errors';

// How an API of this service is described: each route is declared once with
// `createRoute` (its request schemas validate through zValidator, its response schemas
// type the handler), and the OpenAPI 3.1 document is generated from those declarations.
// Nothing here knows the retailer API, so the officials' API can build its own document
// the same way: `documentedApi()` for the sub-app, `problemResponses()` for its errors,
// `openApiDocument()` to publish it.

export type OpenApiDocument = ReturnType<OpenAPIHono['getOpenAPI31Document']>;
/** Everything in the document but what the routes generate. */
export type DocumentInfo = Omit<OpenApiDocument, 'openapi' | 'paths' | 'components' | 'webhooks'>;

/** `{error: {code, message, message_vi, message_en, details?}}`, as `errorBody` writes it. */
export const problemSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'Stable, for programs.' }),
      message: z.string().meta({ description: 'Vietnamese / English, for people.' }),
      message_vi: z.string(),
      message_en: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: 'Error' }) satisfies z.ZodType<ReturnType<typeof errorBody>>;

/** A documented answer whose body is JSON of `schema`. */
export function jsonResponse<T extends z.ZodType>(description: string, schema: T) {
  return { description, content: { 'application/json': { schema } } };
}

/** The documented error answers of one route, each described in a sentence. */
export function problemResponses<S extends number>(descriptions: Record<S, string>) {
  const out = {} as Record<S, ReturnType<typeof jsonResponse<typeof problemSchema>>>;
  for (const status of Object.keys(descriptions).map(Number) as S[]) out[status] = jsonResponse(descriptions[status], problemSchema);
  return out;
}

/**
 * `schema | null` as `anyOf [schema, null]`. zod's own `.nullable()` on a named schema comes
 * out of the generator as `allOf [$ref, {type: [object, null]}]`, which rejects null.
 */
export function orNull<T extends z.ZodType>(schema: T) {
  return z.union([schema, z.null()]);
}

/**
 * A string that `parse` turns into a value; where it returns null the request fails with
 * `en` / `vi` as the reason (see `invalidRequest`). The document shows the string.
 */
export function parsedString<T>(maxLength: number, parse: (raw: string) => T | null, en: string, vi: string) {
  return z
    .string()
    .max(maxLength)
    .transform((raw, ctx) => {
      const value = parse(raw);
      if (value !== null) return value;
      ctx.issues.push({ code: 'custom', input: raw, message: en, params: { vi } });
      return z.NEVER;
    });
}

/** What a failed zod check says: the field it concerns and the reason, Vietnamese first. */
export function invalidRequest(error: z.ZodError): AppError {
  const issue = error.issues[0];
  const field = issue?.path.map(String).join('.') || 'request';
  const vi = issue?.code === 'custom' && typeof issue.params?.vi === 'string' ? issue.params.vi : 'giá trị không hợp lệ';
  return new AppError(400, 'invalid_request', `${field}: ${vi}`, `${field}: ${issue?.message ?? 'invalid value'}`);
}

/** zValidator hook: a request that fails its schema is a 400 problem document. */
export function rejectInvalid(result: { success: true } | { success: false; error: z.ZodError }): undefined {
  if (!result.success) throw invalidRequest(result.error);
}

/** A sub-app whose `openapi()` routes validate with zValidator and answer failures as problems. */
export function documentedApi<E extends Env>(): OpenAPIHono<E> {
  return new OpenAPIHono<E>({ defaultHook: rejectInvalid });
}

/**
 * The OpenAPI 3.1 document of `app`. Hono route patterns such as `{number{.+}}` (a
 * parameter that may hold a raw slash) become plain templates (`{number}`).
 */
export function openApiDocument<E extends Env>(app: OpenAPIHono<E>, info: DocumentInfo): OpenApiDocument {
  // The generator's parameter is typed as 3.0's; a 3.1 `info` (license `identifier`) fits it.
  const doc = app.getOpenAPI31Document({ openapi: '3.1.0', ...info });
  const paths = Object.fromEntries(Object.entries(doc.paths ?? {}).map(([path, item]) => [path.replace(/\{(\w+)\{[^/]*?\}\}/g, '{$1}'), item]));
  return { ...doc, paths };
}
