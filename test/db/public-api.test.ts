import { compileErrors, validate } from '@readme/openapi-parser';
import { unzlibSync } from 'fflate';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base64urlDecode } from '../../worker/codes/base64url';
import { signPackageCode } from '../../worker/codes/sign';
import { revokeCertificates } from '../../worker/db/certificates';
import { todayInVietnam } from '../../worker/domain/dates';
import { createTestContext, type TestContext } from '../helpers/app';
import { demoNumbers } from '../helpers/demo';

/** Demo certificate numbers as seeded by this file's context (they carry their decision's year). */
const N = demoNumbers();

// The retailer API: verify (one and bulk), certificates, credentials, status list,
// revocation feed, JWKS, OpenAPI document, and the CSV page for shops.

let ctx: TestContext;
const batch: Record<string, number> = {};

interface ItemResult {
  input: string;
  kind: string;
  verdict: string;
  reason: string | null;
  certificate: { number: string; stars: number; status_list_index: number; state: string | null } | null;
  product: { name: string } | null;
  package: { serial: number; lot_code: string } | null;
}

async function json<T = unknown>(path: string, init?: RequestInit): Promise<{ status: number; body: T; res: Response }> {
  const res = await ctx.app.request(path, init);
  return { status: res.status, body: (await res.json()) as T, res };
}

function postVerify(body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  return ctx.app.request('/api/v1/verify', { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

async function jwks() {
  return createLocalJWKSet((await json<{ keys: [] }>('/.well-known/jwks.json')).body);
}

beforeAll(async () => {
  ctx = await createTestContext({ seed: true });
  for (const b of await ctx.db.selectFrom('package_batches').select(['id', 'lot_code']).execute()) batch[b.lot_code] = b.id;
});

afterAll(async () => {
  await ctx.close();
});

describe('GET /api/v1/verify', () => {
  it('answers a verdict for a code, a package URL, or a certificate number', async () => {
    const code = await signPackageCode(ctx.keys, batch['HM-RM-01']!, 3);
    const a = await json<{ result: ItemResult }>(`/api/v1/verify?code=${code}`);
    expect(a.status).toBe(200);
    expect(a.body.result).toMatchObject({ kind: 'package', verdict: 'genuine', reason: null, certificate: { number: N.haMy5, stars: 5 }, package: { serial: 3, lot_code: 'HM-RM-01' } });
    expect(a.res.headers.get('access-control-allow-origin')).toBe('*');
    expect(a.res.headers.get('cache-control')).toBe('public, max-age=30');
    const url = encodeURIComponent(`HTTPS://OCOP.TEST/V/${code}`);
    expect((await json<{ result: ItemResult }>(`/api/v1/verify?code=${url}`)).body.result.verdict).toBe('genuine');
    const cert = await json<{ result: ItemResult }>('/api/v1/verify?code=70-31-2021');
    expect(cert.body.result).toMatchObject({ kind: 'certificate', verdict: 'expired' });
  });

  it('a junk code is a not_genuine verdict; a missing or oversized parameter is a 400 JSON error', async () => {
    expect((await json<{ result: ItemResult }>('/api/v1/verify?code=%F0%9F%92%A9%F0%9F%92%A9')).body.result).toMatchObject({ verdict: 'not_genuine', reason: 'malformed' });
    const missing = await json<{ error: { code: string; message_vi: string } }>('/api/v1/verify');
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('invalid_request');
    expect(missing.body.error.message_vi).toContain('code');
    expect((await json(`/api/v1/verify?code=${'A'.repeat(1001)}`)).status).toBe(400);
  });
});

describe('warnings beside the verdict', () => {
  it('carries expired, revoked, expiring and past-best-before as flags, and nothing for a clean package', async () => {
    const flags = async (lot: string, serial: number) =>
      (await json<{ result: { verdict: string; warnings: string[] } }>(`/api/v1/verify?code=${await signPackageCode(ctx.keys, batch[lot]!, serial)}`)).body.result;
    expect(await flags('HM-RM-01', 40)).toMatchObject({ verdict: 'genuine', warnings: [] });
    expect(await flags('PT79-2022-03', 2)).toMatchObject({ verdict: 'expired', warnings: expect.arrayContaining(['certificate_expired']) });
    expect(await flags('MO-2025-12', 2)).toMatchObject({ verdict: 'revoked', warnings: expect.arrayContaining(['certificate_revoked']) });
    expect(await flags('HM-KD-07', 2)).toMatchObject({ verdict: 'genuine', warnings: ['expiring_soon'] });
    const id = batch['HM-RM-01']!;
    const before = await ctx.db.selectFrom('package_batches').select(['production_date', 'best_before']).where('id', '=', id).executeTakeFirstOrThrow();
    await ctx.db.updateTable('package_batches').set({ production_date: '2022-12-01', best_before: '2023-01-01' }).where('id', '=', id).execute();
    ctx.deps.cache.invalidate();
    try {
      expect(await flags('HM-RM-01', 41)).toMatchObject({ verdict: 'genuine', warnings: ['past_best_before'] });
    } finally {
      await ctx.db.updateTable('package_batches').set(before).where('id', '=', id).execute();
      ctx.deps.cache.invalidate();
    }
    // A certificate number alone has no lot.
    expect((await json<{ result: { warnings: string[] } }>('/api/v1/verify?code=70-31-2021')).body.result.warnings).toEqual(['certificate_expired']);
  });
});

describe('POST /api/v1/verify (bulk)', () => {
  it('answers one result per item, in order, with every verdict', async () => {
    const good = await signPackageCode(ctx.keys, batch['HM-RM-01']!, 1);
    const expired = await signPackageCode(ctx.keys, batch['PT79-2022-03']!, 2);
    const revoked = await signPackageCode(ctx.keys, batch['MO-2025-12']!, 3);
    const forged = good.slice(0, 100) + (good[100] === 'A' ? 'B' : 'A') + good.slice(101);
    const codes = [good, N.haMyOld, expired, revoked, forged, 'nonsense', 'BP-OCOP-NOPE-1', good.toLowerCase()];
    const res = await postVerify({ codes });
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as { results: ItemResult[] };
    expect(results.map((r) => [r.kind, r.verdict, r.reason])).toEqual([
      ['package', 'genuine', null],
      ['certificate', 'expired', null], // the 4★ certificate the 5★ one renewed: superseded, and past its own dates
      ['package', 'expired', null],
      ['package', 'revoked', null],
      ['package', 'not_genuine', 'bad_signature'],
      ['certificate', 'not_genuine', 'unknown_certificate'],
      ['certificate', 'not_genuine', 'unknown_certificate'],
      ['package', 'genuine', null],
    ]);
    expect(results.map((r) => r.input)).toEqual(codes);
    expect(results[4]!.product).toBeNull();
  });

  it('verifies 10,000 distinct codes in one request', async () => {
    const codes = await Promise.all(Array.from({ length: 10_000 }, (_, i) => signPackageCode(ctx.keys, batch['HM-KD-07']!, (i % 120) + 1)));
    codes[9_999] = 'X';
    const res = await postVerify({ codes });
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as { results: ItemResult[] };
    expect(results).toHaveLength(10_000);
    expect(results.slice(0, 9_999).every((r) => r.verdict === 'genuine')).toBe(true);
    expect(results[9_999]!.verdict).toBe('not_genuine');
  });

  it('too many items or too large a body → 413; bad JSON → 400; wrong type → 415; never a 500', async () => {
    const tooMany = await postVerify({ codes: Array.from({ length: 10_001 }, () => 'BP-1') });
    expect(tooMany.status).toBe(413);
    expect(((await tooMany.json()) as { error: { code: string } }).error.code).toBe('too_many_items');
    const huge = await postVerify(JSON.stringify({ codes: ['x'.repeat(3 * 1024 * 1024)] }));
    expect(huge.status).toBe(413);
    for (const body of ['{"codes": [', 'null', '[]', '{"codes": "BP-1"}', '{"codes": []}', '{"codes": [1, 2]}', '\u0000']) {
      const res = await postVerify(body);
      expect(res.status, body.slice(0, 30)).toBe(400);
      expect(((await res.json()) as { error: { message_vi: string } }).error.message_vi).toBeTruthy();
    }
    expect((await postVerify('{"codes":["BP-1"]}', { 'content-type': 'text/plain' })).status).toBe(415);
  });

  it('answers CORS preflight for anyone', async () => {
    const res = await ctx.app.request('/api/v1/verify', { method: 'OPTIONS', headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' } });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('does not open CORS on the officials\' API under /api/v1/admin', async () => {
    const res = await ctx.app.request('/api/v1/admin/anything', { headers: { origin: 'https://evil.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('certificates, credentials and the status list', () => {
  it('GET /api/v1/certificates/{number}: 200 with verdict, 404 unknown, 400 malformed', async () => {
    const ok = await json<{ verdict: string; certificate: { number: string; state: string }; credential_url: string; status_list: { idx: number; uri: string } }>(`/api/v1/certificates/${N.robusta.toLowerCase()}`);
    expect(ok.status).toBe(200);
    expect(ok.body.verdict).toBe('genuine');
    expect(ok.body.certificate.number).toBe(N.robusta);
    expect(ok.body.credential_url).toBe(`https://ocop.test/api/v1/credentials/${N.robusta}`);
    expect(ok.body.status_list.uri).toBe('https://ocop.test/api/v1/status-list');
    const unknown = await json<{ error: { code: string } }>('/api/v1/certificates/BP-NONE-404');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('certificate_not_found');
    expect((await json('/api/v1/certificates/%F0%9F%92%A9')).status).toBe(400);
    expect((await json(`/api/v1/certificates/${'1'.repeat(100)}`)).status).toBe(400);
  });

  it('a credential is an EdDSA JWT that verifies with the JWKS and carries the status-list index', async () => {
    const res = await ctx.app.request(`/api/v1/credentials/${N.robusta}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/jwt');
    const jwt = await res.text();
    expect(decodeProtectedHeader(jwt)).toMatchObject({ alg: 'EdDSA', kid: 'ocop-1' });
    const { payload } = await jwtVerify(jwt, await jwks(), { issuer: 'https://ocop.test', currentDate: ctx.deps.clock() });
    const cert = await ctx.db.selectFrom('certificates').select(['status_index', 'valid_until']).where('number', '=', N.robusta).executeTakeFirstOrThrow();
    expect(payload).toMatchObject({
      sub: `https://ocop.test/c/${N.robusta}`,
      ocop: { number: N.robusta, stars: 4, valid_until: cert.valid_until },
      status: { status_list: { idx: cert.status_index, uri: 'https://ocop.test/api/v1/status-list' } },
    });
    expect((await ctx.app.request('/api/v1/credentials/NOPE-123')).status).toBe(404);
  });

  it('the status list is a signed statuslist+jwt whose bits are set for revoked and expired certificates only', async () => {
    const res = await ctx.app.request('/api/v1/status-list');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/statuslist+jwt');
    const jwt = await res.text();
    const { payload, protectedHeader } = await jwtVerify(jwt, await jwks(), { typ: 'statuslist+jwt', currentDate: ctx.deps.clock() });
    expect(protectedHeader.kid).toBe('ocop-1');
    expect(payload.sub).toBe('https://ocop.test/api/v1/status-list');
    const list = payload.status_list as { bits: number; lst: string };
    expect(list.bits).toBe(1);
    const bits = unzlibSync(base64urlDecode(list.lst)!);
    const bit = (i: number) => (bits[i >> 3]! >> (i & 7)) & 1;
    const today = todayInVietnam(ctx.deps.clock());
    const certs = await ctx.db.selectFrom('certificates').select(['number', 'status', 'valid_until', 'status_index']).execute();
    for (const c of certs) {
      const shouldBeInvalid = c.status === 'revoked' || c.valid_until < today;
      expect(bit(c.status_index), c.number).toBe(shouldBeInvalid ? 1 : 0);
    }
    expect(certs.some((c) => bit(c.status_index) === 0)).toBe(true);
    expect(bit(certs.find((c) => c.number === N.matOng)!.status_index)).toBe(1);
  });

  it('a revocation flips its bit and appears in the feed', async () => {
    const cert = await ctx.db.selectFrom('certificates').select(['id', 'status_index']).where('number', '=', N.cong).executeTakeFirstOrThrow();
    const before = (await json<{ events: { certificate_number: string }[]; next_cursor: string }>('/api/v1/revocations?limit=1000')).body;
    await revokeCertificates(ctx.db, { userId: null, label: 'test' }, [cert.id], { decisionNumber: '555/QĐ-UBND', date: todayInVietnam(ctx.deps.clock()), ground: 'no_quality_records', note: null }, ctx.deps.clock());
    ctx.deps.cache.invalidate();
    const jwt = await (await ctx.app.request('/api/v1/status-list')).text();
    const { payload } = await jwtVerify(jwt, await jwks(), { currentDate: ctx.deps.clock() });
    const bits = unzlibSync(base64urlDecode((payload.status_list as { lst: string }).lst)!);
    expect((bits[cert.status_index >> 3]! >> (cert.status_index & 7)) & 1).toBe(1);
    const next = await json<{ events: { type: string; certificate_number: string; revocation: { decision_number: string } }[]; has_more: boolean }>(
      `/api/v1/revocations?since=${before.next_cursor}`,
    );
    expect(next.body.events).toEqual([expect.objectContaining({ type: 'revoked', certificate_number: N.cong, revocation: expect.objectContaining({ decision_number: '555/QĐ-UBND' }) })]);
  });
});

describe('revocation feed', () => {
  it('lists revocations and expiries oldest first, pages with a cursor, and never repeats or skips', async () => {
    const all = (await json<{ events: { type: string; at: string; certificate_number: string }[]; has_more: boolean }>('/api/v1/revocations')).body;
    expect(all.has_more).toBe(false);
    const types = new Set(all.events.map((e) => e.type));
    expect(types).toEqual(new Set(['revoked', 'expired']));
    expect(all.events.map((e) => e.at)).toEqual([...all.events.map((e) => e.at)].sort());
    expect(all.events.find((e) => e.certificate_number === N.matOng)?.type).toBe('revoked');
    expect(all.events.some((e) => e.certificate_number === '70-31-2021' && e.type === 'expired')).toBe(true);
    const paged: string[] = [];
    let since: string | null = null;
    for (let i = 0; i < 20; i++) {
      const page: { events: { type: string; certificate_number: string }[]; next_cursor: string | null; has_more: boolean } = (
        await json<{ events: { type: string; certificate_number: string }[]; next_cursor: string | null; has_more: boolean }>(`/api/v1/revocations?limit=1${since ? `&since=${since}` : ''}`)
      ).body;
      paged.push(...page.events.map((e) => `${e.type}:${e.certificate_number}`));
      since = page.next_cursor;
      if (!page.has_more) break;
    }
    expect(paged).toEqual(all.events.map((e) => `${e.type}:${e.certificate_number}`));
  });

  it('accepts a date as `since`; rejects junk with 400', async () => {
    const r = await json<{ events: { at: string }[] }>('/api/v1/revocations?since=2000-01-01');
    expect(r.status).toBe(200);
    expect(r.body.events.length).toBeGreaterThan(0);
    const future = await json<{ events: unknown[] }>('/api/v1/revocations?since=2999-01-01');
    expect(future.body.events).toEqual([]);
    for (const q of ['since=%%%', 'since=bm90LWpzb24', 'since=2026-13-45', 'limit=0', 'limit=1001', 'limit=abc']) {
      expect((await json(`/api/v1/revocations?${q}`)).status, q).toBe(400);
    }
  });
});

describe('JWKS and OpenAPI', () => {
  it('serves the public keys with open CORS and cache headers, no private parts', async () => {
    const { status, body, res } = await json<{ keys: Record<string, string>[] }>('/.well-known/jwks.json');
    expect(status).toBe(200);
    expect(body.keys).toHaveLength(1);
    expect(body.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', kid: 'ocop-1', alg: 'EdDSA', use: 'sig' });
    expect(body.keys[0]!.d).toBeUndefined();
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/);
  });

  it('the OpenAPI document is valid OpenAPI 3.1 and describes every public route', async () => {
    const { status, body } = await json<{ openapi: string; paths: Record<string, unknown> }>('/api/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(body) as Parameters<typeof validate>[0]);
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
    expect(result.specification).toBe('OpenAPI');
    expect(result.warnings).toEqual([]);
    // The validator does catch mistakes: the same document with a dangling $ref fails.
    const broken = structuredClone(body) as unknown as { components: { schemas: Record<string, unknown> } };
    delete broken.components.schemas.ItemResult;
    expect((await validate(broken as Parameters<typeof validate>[0])).valid).toBe(false);
    expect(Object.keys(body.paths).sort()).toEqual(
      [
        '/.well-known/jwks.json', '/.well-known/did.json', '/api/v1/certificates/{number}', '/api/v1/certificates/{number}/vc', '/api/v1/credentials/{number}',
        '/api/v1/revocations', '/api/v1/status-list', '/api/v1/status/bitstring', '/api/v1/verify', '/api/v1/offline-dataset',
      ].sort(),
    );
  });

  it('the reference page is rendered from the same document', async () => {
    const res = await ctx.app.request('/api/docs');
    const html = await res.text();
    expect(res.status).toBe(200);
    for (const path of ['GET /api/v1/verify', 'POST /api/v1/verify', 'GET /api/v1/status-list', 'GET /api/v1/revocations', 'GET /.well-known/jwks.json']) expect(html).toContain(path);
    expect(html).toContain('ItemResult');
  });
});

describe('CSV page for shops (/tra-cuu)', () => {
  function upload(csv: string, format: 'html' | 'csv' | 'csv-machine', lang = 'vi') {
    const form = new FormData();
    form.set('file', new File([csv], 'ds.csv', { type: 'text/csv' }));
    form.set('format', format);
    return ctx.app.request(`/tra-cuu${lang === 'en' ? '?lang=en' : ''}`, { method: 'POST', body: form });
  }

  it('shows the upload form without JavaScript', async () => {
    const res = await ctx.app.request('/tra-cuu');
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('enctype="multipart/form-data"');
    expect(html).not.toContain('<script');
  });

  it('turns an uploaded CSV into a table, and into a CSV download', async () => {
    const code = await signPackageCode(ctx.keys, batch['HM-RM-01']!, 2);
    const csv = `so_gcn\r\n${N.robusta}\r\n"${code}"\r\n${N.matOng}\r\n=HYPERLINK("x")\r\n`;
    const page = await upload(csv, 'html');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Kết quả: 4 dòng');
    expect(html).toContain('Cà phê Robusta');
    expect(html).toContain('Giấy chứng nhận bị thu hồi');
    // The machine-keyed CSV for software: the API's field names and codes.
    const file = await upload(csv, 'csv-machine');
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toContain('text/csv');
    expect(file.headers.get('content-disposition')).toContain('attachment; filename="ocop-results.csv"');
    const lines = (await file.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('input,verdict,reason,certificate_number,stars,state,valid_until,product,producer,lot_code,serial,valid_from,days_left,expiring_soon,superseded_by');
    expect(lines[1]!.startsWith(`${N.robusta},genuine,,${N.robusta},4,`)).toBe(true);
    expect(lines[2]).toMatch(new RegExp(`^${code},genuine,,${N.haMy5},5,valid,.*,HM-RM-01,2,\\d{4}-\\d{2}-\\d{2},\\d+,(true|false),$`));
    expect(lines[3]).toContain(',revoked,');
    expect(lines[4]).toMatch(/^"'=HYPERLINK\(""x""\)",not_genuine,/); // formula guarded
  });

  it('too many rows → 413 page; empty upload or broken quotes → 400 page', async () => {
    const many = Array.from({ length: 10_001 }, (_, i) => `BP-${i + 100}`).join('\n');
    expect((await upload(many, 'html')).status).toBe(413);
    expect((await upload('', 'html')).status).toBe(400);
    expect((await upload('"BP-1\n', 'html')).status).toBe(400);
    const big = new FormData();
    big.set('file', new File(['x'.repeat(3 * 1024 * 1024)], 'big.csv'));
    expect((await ctx.app.request('/tra-cuu', { method: 'POST', body: big })).status).toBe(413);
  });
});

describe('CSV page for shops: the form as zValidator reads it', () => {
  it('a pasted list works like a file; a form that does not parse or holds no codes is the page with a 400', async () => {
    const pasted = await ctx.app.request('/tra-cuu', { method: 'POST', body: new URLSearchParams({ list: `${N.robusta}\n${N.matOng}`, format: 'html' }) });
    expect(pasted.status).toBe(200);
    expect(await pasted.text()).toContain('Kết quả: 2 dòng');
    const broken = await ctx.app.request('/tra-cuu?lang=en', { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=zzz' }, body: 'not a multipart body' });
    expect(broken.status).toBe(400);
    expect(broken.headers.get('content-type')).toContain('text/html');
    expect(await broken.text()).toContain('Could not read the submitted form.');
    const json = await ctx.app.request('/tra-cuu?lang=en', { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"list":"${N.robusta}"}` });
    expect(json.status).toBe(400);
    expect(await json.text()).toContain('No codes found');
  });
});
