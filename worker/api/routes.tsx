import type { Context, Hono, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { zValidator } from '@hono/zod-validator';
import { z } from 'zod';
import type { AppEnv } from '../app-env';
import { FEED_START, revocationFeed, revokedStatusIndexes, statusListEntries } from '../db/certificate-status';
import { certificateByNumber } from '../db/certificates';
import { todayInVietnam } from '../domain/dates';
import { AppError, errorBody } from '../errors';
import { pickLang, switchLangHref } from '../public/i18n';
import { renderPage } from '../public/layout';
import { publicCertificateVerdict } from '../public/verdict';
import { certificateCredential, statusListToken, STATUS_LIST_PATH } from './credentials';
import { CsvInputError, firstColumn } from './csv-input';
import { ApiDocsPage } from './docs-page';
import { encodeCursor } from './feed-cursor';
import { documentedApi, openApiDocument, rejectInvalid, type OpenApiDocument } from './openapi';
import {
  getBitstringStatusList, getCertificate, getCertificateVc, getCredential, getDidDocument, getJwks, getStatusList, listRevocations, RETAILER_API_INFO, verifyMany, verifyOne,
} from './operations';
import { certificateJson, verifyItems } from './results';
import { MAX_BULK_BYTES, MAX_BULK_ITEMS } from './schemas';
import { SHOP_MAX_ROWS, ShopPage } from './shop-page';
import { resultsCsvMachine, resultsCsvVi } from './shop-results';
import { registerOfflineDataset } from '../scanner/dataset-route';
import { bitstringStatusListJwt, certificateVcJwt, didDocument, VC_MEDIA_TYPE } from './verifiable-credentials';

// The retailer API (JSON, CORS open, /api/v1), its OpenAPI document and reference page,
// the JWKS, and the CSV page for small shops. Freshness: answers may be cached for 30 s
// (Cache-Control), on top of the per-process state cache (CACHE_TTL_SECONDS, ≤ 30 s by
// default), so a revocation reaches every client within 60 s and this origin at once.

const FRESH = 'public, max-age=30';

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

/** The Content-Type without its parameters, lower case. */
const mediaType = (c: Context) => (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();

/**
 * The body must be JSON: a 415 or a 400 problem document otherwise, before zValidator
 * (which reads the parsed body Hono keeps) checks its shape.
 */
const jsonBody: MiddlewareHandler<AppEnv> = async function jsonBody(c, next) {
  // The media types zValidator reads as JSON; anything else would reach it as an empty body.
  if (!/^application\/(?:[\w.-]+\+)?json$/.test(mediaType(c))) {
    throw new AppError(415, 'unsupported_media_type', 'Nội dung phải là JSON (Content-Type: application/json)', 'Body must be JSON (Content-Type: application/json)');
  }
  try {
    await c.req.json();
  } catch {
    throw new AppError(400, 'invalid_request', 'body: không phải JSON hợp lệ', 'body: not valid JSON');
  }
  await next();
};

/** Too many items is a 413, as a too large body is; an empty list says so; any other mismatch a 400. */
function rejectBulk(result: { success: true } | { success: false; error: z.ZodError }): undefined {
  const onCodes = (code: 'too_big' | 'too_small') =>
    !result.success && result.error.issues.some((i) => (i.code === 'too_big' || i.code === 'too_small') && i.code === code && i.origin === 'array' && i.path.join('.') === 'codes');
  if (onCodes('too_big')) {
    throw new AppError(413, 'too_many_items', `Tối đa ${MAX_BULK_ITEMS} mã mỗi lần`, `At most ${MAX_BULK_ITEMS} items per request`);
  }
  if (onCodes('too_small')) {
    throw new AppError(400, 'invalid_request', 'codes: cần ít nhất một mã hoặc số giấy chứng nhận', 'codes: at least one code or certificate number is required');
  }
  rejectInvalid(result);
}

// The shop page's upload (/tra-cuu): one file or a pasted list, answered as a page or a CSV.
// Repeated fields count once, as a browser never sends them twice.
const firstOf = (v: unknown) => (Array.isArray(v) ? v[0] : v);
const shopForm = z.object({
  file: z.preprocess(firstOf, z.union([z.instanceof(File), z.string()]).optional()),
  list: z.preprocess(firstOf, z.string().optional()),
  format: z.preprocess(firstOf, z.string().optional()),
});

/** The shop page again, with the reason the upload was refused. */
async function shopError(c: Context, status: 400 | 413, vi: string, en: string): Promise<Response> {
  const lang = pickLang(c);
  return c.html(await renderPage(c, <ShopPage lang={lang} switchHref={switchLangHref(c, lang === 'vi' ? 'en' : 'vi')} error={lang === 'vi' ? vi : en} />), status);
}

const unreadable = (c: Context) => shopError(c, 400, 'Không đọc được dữ liệu gửi lên.', 'Could not read the submitted form.');

/** A multipart body that does not parse is the page with a message, not zValidator's plain-text 400. */
const readableForm: MiddlewareHandler<AppEnv> = async function readableForm(c, next) {
  const type = mediaType(c);
  if (type === 'multipart/form-data' || type === 'application/x-www-form-urlencoded') {
    try {
      await c.req.formData();
    } catch {
      return unreadable(c);
    }
  }
  await next();
};

/** The certificate a credential route names, as of now; 404 when there is none. */
async function certificateAt(c: Context<AppEnv>, number: string) {
  const { deps, db } = c.var;
  const now = deps.clock();
  const cert = await certificateByNumber(db, number, await deps.cache.unitIndex(db), todayInVietnam(now));
  if (!cert) throw unknownCertificate(number);
  return { cert, deps, now };
}

function unknownCertificate(number: string): AppError {
  return new AppError(404, 'certificate_not_found', `Không có giấy chứng nhận số ${number}`, `No certificate numbered ${number}`);
}

export function apiRoutes(): Hono<AppEnv> {
  const app = documentedApi<AppEnv>();

  app.use('/api/v1/*', openCors());
  app.use('/api/openapi.json', openCors());
  app.use('/.well-known/jwks.json', openCors());
  app.use('/.well-known/did.json', openCors());

  // Key statuses are kept fresh for every request by the app's middleware (worker/app.ts).
  app.openapi(getJwks, async (c) => {
    return c.json(c.var.keys.publicJwks(), 200, { 'cache-control': 'public, max-age=60' });
  });

  app.openapi(verifyOne, async (c) => {
    const { code } = c.req.valid('query');
    const [result] = await verifyItems(c.var.deps, c.var.db, [code], c.var.clock());
    return c.json({ result: result! }, 200, { 'cache-control': FRESH });
  });

  app.openapi(
    {
      ...verifyMany,
      middleware: [bodyLimit({ maxSize: MAX_BULK_BYTES, onError: tooLarge(`tối đa ${MAX_BULK_BYTES} byte / at most ${MAX_BULK_BYTES} bytes`) }), jsonBody],
    },
    async (c) => {
      const { codes } = c.req.valid('json');
      const results = await verifyItems(c.var.deps, c.var.db, codes, c.var.clock());
      return c.json({ results }, 200, { 'cache-control': 'no-store' });
    },
    rejectBulk,
  );

  app.openapi(getDidDocument, async (c) => {
    return c.json(didDocument(c.var.keys, c.var.config.publicBaseUrl), 200, { 'cache-control': 'public, max-age=60' });
  });

  // Before getCertificate: its `{number{.+}}` would match ".../vc" as part of the number.
  app.openapi(getCertificateVc, async (c) => {
    const { cert, deps, now } = await certificateAt(c, c.req.valid('param').number);
    const jwt = await certificateVcJwt(deps.keys, deps.config.publicBaseUrl, cert, now);
    return c.body(jwt, 200, { 'content-type': VC_MEDIA_TYPE, 'cache-control': FRESH });
  });

  app.openapi(getBitstringStatusList, async (c) => {
    const { deps, db } = c.var;
    const ttl = Math.max(1, Math.min(30, deps.config.cacheTtlSeconds || 30));
    const jwt = await bitstringStatusListJwt(deps.keys, deps.config.publicBaseUrl, await revokedStatusIndexes(db), deps.clock(), ttl);
    return c.body(jwt, 200, { 'content-type': VC_MEDIA_TYPE, 'cache-control': FRESH });
  });

  app.openapi(getCertificate, async (c) => {
    const { number } = c.req.valid('param');
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
        days_left: result.daysLeft!, // a certificate that exists has dates, so a count of days
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

  app.openapi(getCredential, async (c) => {
    const { cert, deps, now } = await certificateAt(c, c.req.valid('param').number);
    const jwt = await certificateCredential(deps.keys, deps.config.publicBaseUrl, cert, now);
    return c.body(jwt, 200, { 'content-type': 'application/jwt', 'cache-control': FRESH });
  });

  app.openapi(getStatusList, async (c) => {
    const { deps, db } = c.var;
    const now = deps.clock();
    const { size, invalid } = await statusListEntries(db, todayInVietnam(now));
    const ttl = Math.max(1, Math.min(30, deps.config.cacheTtlSeconds || 30));
    const jwt = await statusListToken(deps.keys, deps.config.publicBaseUrl, size, invalid, now, ttl);
    return c.body(jwt, 200, { 'content-type': 'application/statuslist+jwt', 'cache-control': FRESH });
  });

  registerOfflineDataset(app);

  app.openapi(listRevocations, async (c) => {
    const { since, limit } = c.req.valid('query');
    const { events, next, hasMore } = await revocationFeed(c.var.db, since ?? FEED_START, limit, todayInVietnam(c.var.clock()));
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

  // Generated once per app, on first use: the routes above are all registered by then.
  const documents = new Map<string, OpenApiDocument>();
  const document = (baseUrl: string): OpenApiDocument => {
    let doc = documents.get(baseUrl);
    if (!doc) documents.set(baseUrl, (doc = openApiDocument(app, { ...RETAILER_API_INFO, servers: [{ url: baseUrl }] })));
    return doc;
  };

  app.get('/api/openapi.json', (c) => c.json(document(c.var.config.publicBaseUrl), 200, { 'cache-control': 'public, max-age=300' }));

  app.get('/api/docs', async (c) => {
    const lang = pickLang(c);
    const html = await renderPage(c, <ApiDocsPage lang={lang} switchHref={switchLangHref(c, lang === 'vi' ? 'en' : 'vi')} doc={document(c.var.config.publicBaseUrl)} />);
    return c.html(html, 200, { 'cache-control': FRESH, vary: 'Accept-Language' });
  });

  app.get('/tra-cuu', async (c) => {
    const lang = pickLang(c);
    const html = await renderPage(c, <ShopPage lang={lang} switchHref={switchLangHref(c, lang === 'vi' ? 'en' : 'vi')} />);
    return c.html(html, 200, { 'cache-control': FRESH, vary: 'Accept-Language' });
  });

  app.post(
    '/tra-cuu',
    bodyLimit({
      maxSize: MAX_BULK_BYTES,
      onError: (c) => shopError(c, 413, `Tệp quá lớn: tối đa ${MAX_BULK_BYTES / 1024 / 1024} MB.`, `File too large: at most ${MAX_BULK_BYTES / 1024 / 1024} MB.`),
    }),
    readableForm,
    zValidator('form', shopForm, (result, c) => (result.success ? undefined : unreadable(c))),
    async (c) => {
      const { file, list, format } = c.req.valid('form');
      const text = file instanceof File && file.size > 0 ? await file.text() : (list ?? '');
      let inputs: string[];
      try {
        inputs = firstColumn(text, SHOP_MAX_ROWS);
      } catch (error) {
        if (error instanceof CsvInputError && error.kind === 'too_many_rows') {
          return shopError(c, 413, `Quá nhiều dòng: tối đa ${SHOP_MAX_ROWS} dòng mỗi lần.`, `Too many rows: at most ${SHOP_MAX_ROWS} per upload.`);
        }
        return shopError(c, 400, 'Tệp CSV sai định dạng (dấu ngoặc kép không đóng).', 'The CSV file is malformed (unclosed quote).');
      }
      if (inputs.length === 0) return shopError(c, 400, 'Không có mã nào trong tệp hoặc danh sách.', 'No codes found in the file or list.');
      const results = await verifyItems(c.var.deps, c.var.db, inputs.map((s) => s.slice(0, 1000)), c.var.clock());
      // Two files: Vietnamese headers and values for people, the API's keys for software.
      if (format === 'csv' || format === 'csv-machine') {
        const forPeople = format === 'csv';
        return c.body(forPeople ? resultsCsvVi(results) : resultsCsvMachine(results), 200, {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="${forPeople ? 'ocop-ket-qua.csv' : 'ocop-results.csv'}"`,
          'cache-control': 'no-store',
        });
      }
      const lang = pickLang(c);
      return c.html(await renderPage(c, <ShopPage lang={lang} switchHref={switchLangHref(c, lang === 'vi' ? 'en' : 'vi')} results={results} />), 200, { 'cache-control': 'no-store' });
    },
  );

  return app;
}
