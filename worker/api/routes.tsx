import { zValidator } from '@hono/zod-validator';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { z } from 'zod';
import type { AppEnv } from '../app-env';
import { base64urlDecode, base64urlEncode } from '../codes/base64url';
import { certificateByNumber, FEED_START, normaliseCertificateNumber, revocationFeed, statusListEntries, type FeedPosition } from '../db/public-certificates';
import { addDays, parseIsoDate, todayInVietnam } from '../domain/dates';
import { AppError, errorBody } from '../errors';
import { pickLang, switchLangHref } from '../public/i18n';
import { renderPage } from '../public/layout';
import { freshKeys } from '../public/scan-service';
import { publicCertificateVerdict } from '../public/verdict';
import { certificateCredential, statusListToken, STATUS_LIST_PATH, vietnamMidnight } from './credentials';
import { CsvInputError, firstColumn } from './csv-input';
import { ApiDocsPage } from './docs-page';
import { MAX_BULK_BYTES, MAX_BULK_ITEMS, MAX_FEED_LIMIT, openApiDocument } from './openapi';
import { certificateJson, verifyItems } from './results';
import { resultsCsv, SHOP_MAX_ROWS, ShopPage } from './shop-page';

// The retailer API (JSON, CORS open, /api/v1), its OpenAPI document and reference page,
// the JWKS, and the CSV page for small shops. Freshness: answers may be cached for 30 s
// (Cache-Control), on top of the per-process state cache (CACHE_TTL_SECONDS, ≤ 30 s by
// default), so a revocation reaches every client within 60 s and this origin at once.

const FRESH = 'public, max-age=30';

function badRequest(field: string, vi: string, en: string): AppError {
  return new AppError(400, 'invalid_request', `${field}: ${vi}`, `${field}: ${en}`);
}

/** zod failures become a 400 that names the field, Vietnamese first. */
function hook(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }): void {
  if (!result.success) {
    const issue = result.error?.issues[0];
    const field = issue?.path.map(String).join('.') || 'request';
    throw badRequest(field, 'giá trị không hợp lệ', issue?.message ?? 'invalid value');
  }
}

function tooLarge(what: string) {
  return function onTooLarge(c: Context<AppEnv>) {
    const err = new AppError(413, 'payload_too_large', `Nội dung gửi quá lớn (${what})`, `Request body too large (${what})`);
    return c.json(errorBody(err), 413);
  };
}

/** CORS open for the public API, but never for the officials' API that shares the prefix. */
function openCors(): MiddlewareHandler<AppEnv> {
  const allow = cors({ origin: '*', allowMethods: ['GET', 'POST', 'OPTIONS'], allowHeaders: ['Content-Type'], maxAge: 86_400 });
  return async function publicCors(c, next) {
    if (c.req.path.startsWith('/api/v1/admin')) return next();
    return allow(c, next);
  };
}

const verifyQuery = z.object({ code: z.string().min(1, 'thiếu mã / code missing').max(1000, 'tối đa 1000 ký tự / at most 1000 characters') });

const verifyBody = z.object({
  codes: z
    .array(z.string().min(1).max(1000), { error: 'codes phải là một mảng chuỗi / codes must be an array of strings' })
    .min(1, 'cần ít nhất một mã / at least one item'),
});

const feedQuery = z.object({
  since: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_FEED_LIMIT).optional(),
});

// Cursor: base64url of JSON {r: last revocation (audit id), f: revoked-from (ms) or null,
// e: [valid_until, certificate id] of the last expiry}. Opaque to clients.
const MAX_ID = 2_147_483_647;

function toBase64url(text: string): string {
  return base64urlEncode(new TextEncoder().encode(text));
}

function fromBase64url(text: string): string {
  const bytes = base64urlDecode(text);
  if (!bytes) throw new Error('not base64url');
  return new TextDecoder().decode(bytes);
}

function encodeCursor(p: FeedPosition): string {
  return toBase64url(JSON.stringify({ r: p.revocationAfter, f: p.revokedFrom?.getTime() ?? null, e: p.expiryAfter }));
}

const isoDay = z.string().refine((d) => parseIsoDate(d) === d);
const cursorShape = z.object({
  r: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  f: z.number().int().min(0).max(8.64e15).nullable(),
  e: z.tuple([isoDay, z.number().int().min(0).max(MAX_ID)]),
}).strict();

function parseSince(since: string): FeedPosition {
  if (/^\d{4}-\d{2}-\d{2}$/.test(since) && parseIsoDate(since) === since) {
    // Expiries at or after 00:00 of that day (valid_until ≥ the day before), revocations recorded from then on.
    return { revocationAfter: 0, revokedFrom: new Date(vietnamMidnight(since) * 1000), expiryAfter: [addDays(since, -2), MAX_ID] };
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(since)) {
    const t = Date.parse(since);
    if (Number.isFinite(t) && t >= 0) {
      const at = new Date(t);
      const day = todayInVietnam(at);
      const atMidnight = vietnamMidnight(day) * 1000 === t;
      return { revocationAfter: 0, revokedFrom: at, expiryAfter: [addDays(day, atMidnight ? -2 : -1), MAX_ID] };
    }
  } else if (/^[A-Za-z0-9_-]{1,300}$/.test(since)) {
    try {
      const parsed = cursorShape.safeParse(JSON.parse(fromBase64url(since)));
      if (parsed.success) {
        const { r, f, e } = parsed.data;
        return { revocationAfter: r, revokedFrom: f === null ? null : new Date(f), expiryAfter: e };
      }
    } catch {
      // fall through to the error below
    }
  }
  throw badRequest('since', 'không phải con trỏ hay ngày ISO hợp lệ', 'not a cursor or an ISO date');
}

async function readJson(c: Context<AppEnv>): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
    throw new AppError(415, 'unsupported_media_type', 'Nội dung phải là JSON (Content-Type: application/json)', 'Body must be JSON (Content-Type: application/json)');
  }
  const text = await c.req.text();
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('body', 'không phải JSON hợp lệ', 'not valid JSON');
  }
}

function certificateParam(raw: string): string {
  const number = raw.length <= 60 ? normaliseCertificateNumber(raw) : null;
  if (!number) throw badRequest('number', 'không phải số giấy chứng nhận hợp lệ', 'not a certificate number');
  return number;
}

function unknownCertificate(number: string): AppError {
  return new AppError(404, 'certificate_not_found', `Không có giấy chứng nhận số ${number}`, `No certificate numbered ${number}`);
}

export function apiRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.use('/api/v1/*', openCors());
  app.use('/api/openapi.json', openCors());
  app.use('/.well-known/jwks.json', openCors());

  app.get('/.well-known/jwks.json', async (c) => {
    await freshKeys(c.var.deps, c.var.db);
    return c.json(c.var.deps.keys.publicJwks(), 200, { 'cache-control': 'public, max-age=60' });
  });

  app.get('/api/v1/verify', zValidator('query', verifyQuery, hook), async (c) => {
    const { code } = c.req.valid('query');
    const [result] = await verifyItems(c.var.deps, c.var.db, [code], c.var.deps.clock());
    return c.json({ result: result! }, 200, { 'cache-control': FRESH });
  });

  app.post(
    '/api/v1/verify',
    bodyLimit({ maxSize: MAX_BULK_BYTES, onError: tooLarge(`tối đa ${MAX_BULK_BYTES} byte / at most ${MAX_BULK_BYTES} bytes`) }),
    async (c) => {
      const body = await readJson(c);
      if (typeof body === 'object' && body !== null && Array.isArray((body as { codes?: unknown }).codes) && (body as { codes: unknown[] }).codes.length > MAX_BULK_ITEMS) {
        throw new AppError(413, 'too_many_items', `Tối đa ${MAX_BULK_ITEMS} mã mỗi lần`, `At most ${MAX_BULK_ITEMS} items per request`);
      }
      const parsed = verifyBody.safeParse(body);
      hook(parsed);
      const results = await verifyItems(c.var.deps, c.var.db, parsed.data!.codes, c.var.deps.clock());
      return c.json({ results }, 200, { 'cache-control': 'no-store' });
    },
  );

  app.get('/api/v1/certificates/:number{.+}', async (c) => {
    const number = certificateParam(c.req.param('number'));
    const { deps, db } = c.var;
    const now = deps.clock();
    const today = todayInVietnam(now);
    const cert = await certificateByNumber(db, number, await deps.cache.unitIndex(db), today);
    if (!cert) throw unknownCertificate(number);
    const result = publicCertificateVerdict(cert, now);
    const base = deps.config.publicBaseUrl;
    return c.json(
      {
        verdict: result.verdict,
        days_left: result.daysLeft,
        expiring_soon: result.expiringSoon,
        certificate: certificateJson(base, cert, result),
        product: { name: cert.product.name, slug: cert.product.slug, group_vi: cert.product.groupVi, group_en: cert.product.groupEn, url: `${base}/p/${cert.product.slug}` },
        producer: { name: cert.producer.name, legal_form: cert.producer.legalForm, address_as_issued: cert.producer.addressAsIssued, address_now: cert.producer.addressNow },
        credential_url: `${base}/api/v1/credentials/${encodeURIComponent(cert.number)}`,
        status_list: { idx: cert.statusIndex, uri: `${base}${STATUS_LIST_PATH}` },
      },
      200,
      { 'cache-control': FRESH },
    );
  });

  app.get('/api/v1/credentials/:number{.+}', async (c) => {
    const number = certificateParam(c.req.param('number'));
    const { deps, db } = c.var;
    const now = deps.clock();
    const cert = await certificateByNumber(db, number, await deps.cache.unitIndex(db), todayInVietnam(now));
    if (!cert) throw unknownCertificate(number);
    const jwt = await certificateCredential(deps.keys, deps.config.publicBaseUrl, cert, now);
    return c.body(jwt, 200, { 'content-type': 'application/jwt', 'cache-control': FRESH });
  });

  app.get(STATUS_LIST_PATH, async (c) => {
    const { deps, db } = c.var;
    const now = deps.clock();
    const { size, invalid } = await statusListEntries(db, todayInVietnam(now));
    const ttl = Math.max(1, Math.min(30, deps.config.cacheTtlSeconds || 30));
    const jwt = await statusListToken(deps.keys, deps.config.publicBaseUrl, size, invalid, now, ttl);
    return c.body(jwt, 200, { 'content-type': 'application/statuslist+jwt', 'cache-control': FRESH });
  });

  app.get('/api/v1/revocations', zValidator('query', feedQuery, hook), async (c) => {
    const { since, limit = 500 } = c.req.valid('query');
    const from = since ? parseSince(since) : FEED_START;
    const { events, next, hasMore } = await revocationFeed(c.var.db, from, limit, todayInVietnam(c.var.deps.clock()));
    return c.json(
      {
        events: events.map((e) => ({
          type: e.type,
          at: e.at.toISOString(),
          certificate_number: e.number,
          status_list_index: e.statusIndex,
          valid_until: e.validUntil,
          revocation: e.revocation ? { decision_number: e.revocation.decisionNumber, date: e.revocation.date, ground: e.revocation.ground } : null,
        })),
        next_cursor: encodeCursor(next),
        has_more: hasMore,
      },
      200,
      { 'cache-control': FRESH },
    );
  });

  app.get('/api/openapi.json', (c) => c.json(openApiDocument(c.var.deps.config.publicBaseUrl), 200, { 'cache-control': 'public, max-age=300' }));

  app.get('/api/docs', async (c) => {
    const lang = pickLang(c);
    const html = await renderPage(<ApiDocsPage lang={lang} switchHref={switchLangHref(c, lang === 'vi' ? 'en' : 'vi')} doc={openApiDocument(c.var.deps.config.publicBaseUrl)} />);
    return c.html(html, 200, { 'cache-control': FRESH, vary: 'Accept-Language' });
  });

  app.get('/tra-cuu', async (c) => {
    const lang = pickLang(c);
    const html = await renderPage(<ShopPage lang={lang} switchHref={switchLangHref(c, lang === 'vi' ? 'en' : 'vi')} />);
    return c.html(html, 200, { 'cache-control': FRESH, vary: 'Accept-Language' });
  });

  app.post(
    '/tra-cuu',
    bodyLimit({
      maxSize: MAX_BULK_BYTES,
      onError: async (c) => {
        const lang = pickLang(c);
        const msg = lang === 'vi' ? `Tệp quá lớn: tối đa ${MAX_BULK_BYTES / 1024 / 1024} MB.` : `File too large: at most ${MAX_BULK_BYTES / 1024 / 1024} MB.`;
        return c.html(await renderPage(<ShopPage lang={lang} switchHref={switchLangHref(c, lang === 'vi' ? 'en' : 'vi')} error={msg} />), 413);
      },
    }),
    async (c) => {
      const lang = pickLang(c);
      const switchHref = switchLangHref(c, lang === 'vi' ? 'en' : 'vi');
      const fail = async (status: 400 | 413, vi: string, en: string) =>
        c.html(await renderPage(<ShopPage lang={lang} switchHref={switchHref} error={lang === 'vi' ? vi : en} />), status);
      let form: Record<string, string | File | (string | File)[]>;
      try {
        form = await c.req.parseBody({ all: true });
      } catch {
        return fail(400, 'Không đọc được dữ liệu gửi lên.', 'Could not read the submitted form.');
      }
      const one = (v: unknown) => (Array.isArray(v) ? v[0] : v);
      const file = one(form.file);
      const list = one(form.list);
      let text = '';
      if (file instanceof File && file.size > 0) text = await file.text();
      else if (typeof list === 'string') text = list;
      let inputs: string[];
      try {
        inputs = firstColumn(text, SHOP_MAX_ROWS);
      } catch (error) {
        if (error instanceof CsvInputError && error.kind === 'too_many_rows') {
          return fail(413, `Quá nhiều dòng: tối đa ${SHOP_MAX_ROWS} dòng mỗi lần.`, `Too many rows: at most ${SHOP_MAX_ROWS} per upload.`);
        }
        return fail(400, 'Tệp CSV sai định dạng (dấu ngoặc kép không đóng).', 'The CSV file is malformed (unclosed quote).');
      }
      if (inputs.length === 0) return fail(400, 'Không có mã nào trong tệp hoặc danh sách.', 'No codes found in the file or list.');
      const results = await verifyItems(c.var.deps, c.var.db, inputs.map((s) => s.slice(0, 1000)), c.var.deps.clock());
      if (one(form.format) === 'csv') {
        return c.body(resultsCsv(results), 200, {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': 'attachment; filename="ocop-ket-qua.csv"',
          'cache-control': 'no-store',
        });
      }
      return c.html(await renderPage(<ShopPage lang={lang} switchHref={switchHref} results={results} />), 200, { 'cache-control': 'no-store' });
    },
  );

  return app;
}
