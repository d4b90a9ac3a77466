import type { Env, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { isCleanText } from './domain/text';
import { AppError } from './errors';

// How much of a request the service will read, and what a query string may hold, checked
// before any handler looks at it. A body over its route's limit is refused with 413 as soon
// as its Content-Length says so, or, for a chunked body, as soon as that many bytes have
// arrived: the rest is never read or parsed.

const KB = 1024;

/** Sign-in: an email and a password of at most 200 characters each, percent-encoded. */
export const LOGIN_BODY_BYTES = 8 * KB;
/** Every other admin form and admin API body: the longest is 2,000 characters of notes plus 500 ids. */
export const FORM_BODY_BYTES = 64 * KB;
/** A shopper's report of a suspected fake (worker/public/routes.tsx). */
export const REPORT_BODY_BYTES = 16 * KB;
/** The register import's upload (worker/services/register-import.ts MAX_IMPORT_BYTES, 10 MB) plus multipart framing. */
export const IMPORT_UPLOAD_BYTES = 10 * KB * KB + 64 * KB;
/**
 * The ceiling for any route of the app: the largest ordinary route limit (the bulk check and
 * the CSV upload, worker/api/schemas.ts MAX_BULK_BYTES, 2 MB) plus multipart framing. A route
 * added later without a limit of its own still reads no more than this; the upload routes
 * below are the only ones raised above it.
 */
export const ANY_BODY_BYTES = 2 * KB * KB + 64 * KB;

/**
 * The upload routes, the only ones above that ceiling: a photo of up to 8 MB and a decision
 * scan (PDF) of up to 10 MB (worker/media/uploads.ts), and the register file of up to 10 MB
 * (admin/pages/import-pages.tsx), each plus 64 KB of form fields and multipart framing.
 * Paths as the app sees them.
 */
export const PHOTO_BODY_BYTES = 8 * KB * KB + 64 * KB;
export const DECISION_BODY_BYTES = 10 * KB * KB + 64 * KB;
const UPLOAD_ROUTES: readonly [RegExp, number][] = [
  [/^\/admin\/products\/[0-9]+\/photos$/, PHOTO_BODY_BYTES],
  [/^\/admin\/certificates\/[0-9]+\/decision$/, DECISION_BODY_BYTES],
  [/^\/admin\/import$/, IMPORT_UPLOAD_BYTES],
];

/** The body limit of an upload route, or undefined for every other path. */
export function uploadBodyBytes(path: string): number | undefined {
  for (const [pattern, bytes] of UPLOAD_ROUTES) if (pattern.test(path)) return bytes;
  return undefined;
}

function sizeText(bytes: number): string {
  return bytes >= KB * KB ? `${Math.round((bytes / KB / KB) * 10) / 10} MB` : `${Math.round(bytes / KB)} KB`;
}

export function payloadTooLarge(maxBytes: number): AppError {
  return new AppError(413, 'payload_too_large', `Nội dung gửi quá lớn (tối đa ${sizeText(maxBytes)})`, `Request body too large (at most ${sizeText(maxBytes)})`);
}

/**
 * The app-wide ceiling, which must not read anything itself (or every route would read up
 * to the ceiling before its own, smaller limit saw the body): a declared Content-Length over
 * it is refused at once; a chunked body is counted as the route reads it, and the read fails
 * with the 413 once it passes the ceiling.
 */
export function bodyCeiling(ceiling: number, raisedFor: (path: string) => number | undefined = () => undefined): MiddlewareHandler {
  return async function bodyCeiling(c, next) {
    const maxBytes = raisedFor(c.req.path) ?? ceiling;
    const body = c.req.raw.body;
    if (!body) return next();
    const declared = c.req.header('content-length');
    if (declared !== undefined && !c.req.header('transfer-encoding')) {
      if (!/^\d+$/.test(declared) || Number(declared) > maxBytes) throw payloadTooLarge(maxBytes);
      return next();
    }
    let seen = 0;
    const counted = body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          seen += chunk.byteLength;
          if (seen > maxBytes) controller.error(payloadTooLarge(maxBytes));
          else controller.enqueue(chunk);
        },
      }),
    );
    // `duplex` is required by Node for a streamed request body; workerd ignores it.
    c.req.raw = new Request(c.req.raw, { body: counted, duplex: 'half' } as RequestInit);
    await next();
  };
}

/** limitBody with the limit chosen by path: the upload routes' own, else `otherwise`. */
export function limitBodyByPath<E extends Env>(otherwise: number): MiddlewareHandler<E> {
  const limits = new Map<number, MiddlewareHandler<E>>();
  const limiter = (bytes: number) => {
    let m = limits.get(bytes);
    if (!m) limits.set(bytes, (m = limitBody<E>(bytes)));
    return m;
  };
  return (c, next) => limiter(uploadBodyBytes(c.req.path) ?? otherwise)(c, next);
}

/** hono/body-limit with the service's 413 (the one error handler presents it per sub-app). */
export function limitBody<E extends Env>(maxBytes: number): MiddlewareHandler<E> {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw payloadTooLarge(maxBytes);
    },
  });
}

/**
 * Query parameters are single-line text everywhere: a name or value with a control
 * character or a lone surrogate is a 400 before any route reads it (worker/domain/text.ts),
 * so no filter, cursor or search box can carry one into a query or a page.
 */
export const cleanQuery: MiddlewareHandler = async function cleanQuery(c, next) {
  const url = c.req.url;
  const q = url.indexOf('?');
  if (q >= 0) {
    for (const [name, value] of new URLSearchParams(url.slice(q + 1))) {
      if (!isCleanText(name) || !isCleanText(value)) {
        const field = isCleanText(name) ? name : 'query';
        throw new AppError(400, 'invalid_text', `Tham số ${field}: có ký tự điều khiển hoặc ký tự không hợp lệ`, `Parameter ${field}: contains a control character or an invalid character`);
      }
    }
  }
  await next();
};
