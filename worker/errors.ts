import type { Context, Env, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import type { AppVariables, Logger } from './app-env';
import { isDatabaseUnavailable, RETRY_AFTER_SECONDS } from './db/unavailable';
import { DomainError, errorKind, type ErrorKind } from './domain/errors';

/** One status per kind of broken rule, whichever sub-app the rule surfaces in. */
export const ERROR_STATUS = {
  invalid: 400,
  not_found: 404,
  conflict: 409,
  forbidden: 403,
} as const satisfies Record<ErrorKind, ContentfulStatusCode>;

/**
 * An HTTP error with a message in Vietnamese first and English second. `code` is stable
 * for API clients; the messages are for people. `message` (logs, thrown-error text) shows both.
 */
export class AppError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    public readonly code: string,
    public readonly messageVi: string,
    public readonly messageEn: string,
    public readonly details?: unknown,
  ) {
    super(status, { message: `${messageVi} / ${messageEn}` });
  }
}

/** Form field → its first message (Vietnamese / English as written in the schema); `_form` for the whole form. */
export type FieldErrors = Record<string, string>;

/** Keeps the first message per field, for re-rendering a form or for `details.fields`. */
export function fieldErrors(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? String(issue.path[0]) : '_form';
    errors[key] ??= issue.message;
  }
  return errors;
}

/** A body or query that failed its zod schema: 400 with the messages by field in `details.fields`. */
export function invalidInput(fields: FieldErrors): AppError {
  const names = Object.keys(fields).join(', ');
  return new AppError(400, 'invalid_input', `Dữ liệu không hợp lệ: ${names}`, `Invalid input: ${names}`, { fields });
}

/** The field errors of an `invalid_input` answer, if that is what it is. */
export function fieldErrorsOf(error: AppError): FieldErrors | undefined {
  const d = error.details;
  if (error.code !== 'invalid_input' || typeof d !== 'object' || d === null || !('fields' in d)) return undefined;
  return d.fields as FieldErrors;
}

/**
 * The database is restarting or unreachable: 503, in both languages, so clients and people
 * retry instead of seeing a 500. Nothing was acknowledged, so nothing is lost.
 */
export const DATABASE_UNAVAILABLE = (): AppError =>
  new AppError(503, 'database_unavailable', 'Hệ thống tạm thời không kết nối được cơ sở dữ liệu. Vui lòng thử lại sau ít giây.', 'The database is temporarily unreachable. Please try again in a few seconds.');

export const INTERNAL_ERROR = (): AppError => new AppError(500, 'internal', 'Lỗi hệ thống, vui lòng thử lại sau.', 'Internal error, please retry later.');

/** Hono's own exceptions (malformed bodies, the CSRF origin check, body limits) in the same vocabulary. */
function fromHttpException(err: HTTPException): AppError {
  if (err.status === 400 && err.message.startsWith('Malformed JSON')) return new AppError(400, 'invalid_json', 'Nội dung không phải JSON hợp lệ', 'The body is not valid JSON');
  // hono/csrf is the only thrower of a bare 403 here.
  if (err.status === 403) return new AppError(403, 'request_refused', 'Yêu cầu bị từ chối (kiểm tra nguồn gửi biểu mẫu).', 'Request refused (form origin check).');
  if (err.status === 413) return new AppError(413, 'payload_too_large', 'Nội dung gửi quá lớn', 'Request body too large');
  if (err.status >= 500) return INTERNAL_ERROR();
  return new AppError(err.status, 'bad_request', 'Yêu cầu không hợp lệ', err.message || 'Bad request');
}

/**
 * Every thrown thing as an HTTP answer: rules by their kind, zod failures as 400 with field
 * errors, Hono's exceptions by status. `undefined` means a bug (the caller logs it, answers 500).
 */
export function toAppError(err: unknown): AppError | undefined {
  if (err instanceof AppError) return err;
  if (err instanceof DomainError) return new AppError(ERROR_STATUS[errorKind(err.code)], err.code, err.messageVi, err.messageEn);
  if (err instanceof z.ZodError) return invalidInput(fieldErrors(err));
  if (err instanceof HTTPException) return fromHttpException(err);
  if (isDatabaseUnavailable(err)) return DATABASE_UNAVAILABLE();
  return undefined;
}

export function errorBody(err: AppError): { error: { code: string; message: string; message_vi: string; message_en: string; details?: unknown } } {
  return {
    error: {
      code: err.code,
      message: err.message,
      message_vi: err.messageVi,
      message_en: err.messageEn,
      ...(err.details === undefined ? {} : { details: err.details }),
    },
  };
}

/** How a sub-app shows an error: a JSON problem document, an admin page, the public error page. */
export type ErrorPresenter<E extends Env> = (c: Context<E>, error: AppError) => Response | Promise<Response>;

/**
 * The one `onError` of every sub-app: classifies the error once (toAppError), logs bugs, and
 * leaves only the presentation to the sub-app.
 */
export function errorHandler<E extends Env & { Variables: AppVariables }>(where: string, present: ErrorPresenter<E>): ErrorHandler<E> {
  return async function onError(err, c) {
    const known = toAppError(err);
    // deps is missing only if the database could not even be opened for this request.
    const log: Logger = c.get('deps')?.log ?? ((level, message, fields) => console.error(level, message, fields));
    if (known?.code === 'database_unavailable') {
      log('warn', `${where}: database unavailable`, { path: c.req.path, error: err instanceof Error ? err.message : String(err) });
      const res = await present(c, known);
      res.headers.set('retry-after', String(RETRY_AFTER_SECONDS));
      res.headers.set('cache-control', 'no-store');
      return res;
    }
    if (!known || known.status >= 500) {
      log('error', `${where}: unhandled error`, { path: c.req.path, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    }
    return present(c, known ?? INTERNAL_ERROR());
  };
}

/** A JSON problem document: `{ error: { code, message, message_vi, message_en, details? } }`. */
export function jsonProblem<E extends Env>(c: Context<E>, error: AppError): Response {
  return c.json(errorBody(error), error.status);
}
