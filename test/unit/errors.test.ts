import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type { AppEnv } from '../../worker/app-env';
import { DOMAIN_ERRORS, DomainError, errorField, isDomainErrorCode, type DomainErrorCode } from '../../worker/domain/errors';
import { AppError, ERROR_STATUS, errorBody, errorHandler, jsonProblem, toAppError } from '../../worker/errors';

const codes = Object.keys(DOMAIN_ERRORS) as DomainErrorCode[];

describe('the domain error table', () => {
  it('gives every code one kind, and so one of four statuses', () => {
    for (const code of codes) expect([400, 403, 404, 409], code).toContain(ERROR_STATUS[DOMAIN_ERRORS[code].kind]);
  });

  it('calls "unknown_…" only what does not exist', () => {
    for (const code of codes.filter((c) => c.startsWith('unknown_'))) expect(DOMAIN_ERRORS[code].kind, code).toBe('not_found');
  });

  it('names the field a rule is about, where one field is to blame', () => {
    expect(errorField('number_taken')).toBe('number');
    expect(errorField('not_revocable')).toBeUndefined();
    expect(isDomainErrorCode('number_taken')).toBe(true);
    expect(isDomainErrorCode('toString')).toBe(false);
  });
});

describe('toAppError', () => {
  it('answers a broken rule with its kind’s status and both messages', () => {
    for (const [code, status] of [['unknown_product', 404], ['number_taken', 409], ['outside_area', 403], ['future_date', 400]] as const) {
      const e = toAppError(new DomainError(code, 'English', 'Tiếng Việt'))!;
      expect(e).toMatchObject({ status, code, messageVi: 'Tiếng Việt', messageEn: 'English' });
    }
  });

  it('keeps an AppError as it is', () => {
    const e = new AppError(429, 'too_many_reports', 'Nhiều quá', 'Too many');
    expect(toAppError(e)).toBe(e);
  });

  it('turns a zod failure into 400 invalid_input with the first message per field', () => {
    const r = z.object({ a: z.number('số / number'), b: z.string().min(2, 'ngắn / short') }).safeParse({ a: 'x', b: 'y' });
    const e = toAppError(r.error)!;
    expect(e).toMatchObject({ status: 400, code: 'invalid_input', messageVi: 'Dữ liệu không hợp lệ: a, b', messageEn: 'Invalid input: a, b' });
    expect(e.details).toEqual({ fields: { a: 'số / number', b: 'ngắn / short' } });
  });

  it('names Hono’s own exceptions in the same vocabulary', () => {
    expect(toAppError(new HTTPException(400, { message: 'Malformed JSON in request body' }))).toMatchObject({ status: 400, code: 'invalid_json' });
    expect(toAppError(new HTTPException(403, { res: new Response('Forbidden', { status: 403 }) }))).toMatchObject({ status: 403, code: 'request_refused' });
    expect(toAppError(new HTTPException(413))).toMatchObject({ status: 413, code: 'payload_too_large' });
    expect(toAppError(new HTTPException(502))).toMatchObject({ status: 500, code: 'internal' });
  });

  it('answers a database that cannot serve now, or a transaction it rolled back to be retried, with 503 and Retry-After', () => {
    for (const code of ['57P01', '53300', '40P01', '40001', 'ECONNRESET']) {
      const err = Object.assign(new Error('database'), { code });
      expect(toAppError(err), code).toMatchObject({ status: 503, code: 'database_unavailable' });
    }
    // A broken constraint is the request's fault, not a reason to retry.
    expect(toAppError(Object.assign(new Error('duplicate key'), { code: '23505' }))?.status).not.toBe(503);
  });

  it('leaves a bug unclassified', () => {
    expect(toAppError(new TypeError('x is undefined'))).toBeUndefined();
    expect(toAppError('a string')).toBeUndefined();
  });
});

describe('errorHandler', () => {
  function appThrowing(error: unknown) {
    const log = vi.fn();
    const app = new Hono<AppEnv>();
    app.use(async (c, next) => {
      c.set('deps', { log } as unknown as AppEnv['Variables']['deps']);
      await next();
    });
    app.get('/', () => {
      throw error;
    });
    app.onError(errorHandler('test', jsonProblem));
    return { app, log };
  }

  it('presents a rule as a problem document without logging it', async () => {
    const { app, log } = appThrowing(new DomainError('number_taken', 'Taken', 'Đã dùng'));
    const res = await app.request('/');
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ error: { code: 'number_taken', message: 'Đã dùng / Taken', message_vi: 'Đã dùng', message_en: 'Taken' } });
    expect(log).not.toHaveBeenCalled();
  });

  it('logs a bug and answers 500 without its details', async () => {
    const { app, log } = appThrowing(new Error('secret detail'));
    const res = await app.request('/');
    expect(res.status).toBe(500);
    const body = JSON.stringify(await res.json());
    expect(body).toContain('"code":"internal"');
    expect(body).not.toContain('secret detail');
    expect(log).toHaveBeenCalledWith('error', 'test: unhandled error', expect.objectContaining({ path: '/' }));
  });

  it('keeps details in the body only when there are some', () => {
    expect(errorBody(new AppError(400, 'x', 'vi', 'en')).error).not.toHaveProperty('details');
    expect(errorBody(new AppError(400, 'x', 'vi', 'en', { fields: { a: 'b' } })).error.details).toEqual({ fields: { a: 'b' } });
  });
});
