import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiToken, hashApiToken } from '../../admin/secrets';
import { safeNext } from '../../admin/pages/session-pages';
import { packageUrl } from '../../worker/codes/format';
import { signPackageCode } from '../../worker/codes/sign';
import { createReport } from '../../worker/db/counterfeit-reports';
import { createToken } from '../../worker/db/users-and-tokens';
import { runDailyJob } from '../../worker/jobs/daily';
import { FORM_BODY_BYTES, LOGIN_BODY_BYTES, REPORT_BODY_BYTES } from '../../worker/request-limits';
import { createTestContext, TEST_BASE_URL, type TestContext } from '../helpers/app';
import { DEMO_EMAILS, ORIGIN, postForm, sessionFor, text } from './admin-support';

// Issue 10 (security hardening), findings 3 to 6, 9 and 10, each as the behaviour a user or
// an attacker meets. Finding 1 and 2 are in admin-auth.test.ts, 7 in data-dir.test.ts,
// 8 in db-roles.test.ts, the hostile-input corpus in hostile-input.test.ts.

let ctx: TestContext;
let start: Date;
let admin: string;
let producerCookie: string;
let code: string;
const CLIENT = (ip: string) => ({ incoming: { socket: { remoteAddress: ip } } });

beforeAll(async () => {
  start = new Date('2026-05-04T03:00:00Z');
  ctx = await createTestContext({ seed: true, now: start });
  admin = await sessionFor(ctx, DEMO_EMAILS.province_admin);
  producerCookie = await sessionFor(ctx, DEMO_EMAILS.producer);
  const batch = await ctx.db.selectFrom('package_batches').select('id').where('lot_code', '=', 'HM-RM-01').executeTakeFirstOrThrow();
  // Serial 17: a package with no scan history (7 is the seeded copied-looking label).
  code = await signPackageCode(ctx.keys, batch.id, 17);
}, 120_000);

afterAll(async () => {
  await ctx?.close();
});

/** A body of `total` bytes that counts how much of it the server pulled. */
function countingBody(total: number, chunk = 64 * 1024): { body: ReadableStream<Uint8Array>; pulled: () => number } {
  let sent = 0;
  const bytes = new Uint8Array(chunk).fill(0x61); // "aaaa…": valid form text, if anyone read it
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) return controller.close();
      sent += chunk;
      controller.enqueue(bytes);
    },
  });
  return { body, pulled: () => sent };
}

describe('3. request bodies are limited before they are read', () => {
  const routes: { path: string; limit: number; type: string; cookie?: () => string }[] = [
    { path: '/admin/login', limit: LOGIN_BODY_BYTES, type: 'application/x-www-form-urlencoded' },
    { path: '/admin/producers', limit: FORM_BODY_BYTES, type: 'application/x-www-form-urlencoded', cookie: () => admin },
    { path: '/api/v1/admin/producers', limit: FORM_BODY_BYTES, type: 'application/json' },
    { path: '/report', limit: REPORT_BODY_BYTES, type: 'application/x-www-form-urlencoded' },
  ];

  for (const route of routes) {
    it(`${route.path}: a 64 MB body is refused with 413 after at most its ${route.limit / 1024} KB limit is read`, async () => {
      for (const declared of [true, false]) {
        const { body, pulled } = countingBody(64 * 1024 * 1024);
        const headers: Record<string, string> = { 'content-type': route.type, origin: ORIGIN, ...(route.cookie ? { cookie: route.cookie() } : {}) };
        // Declared: refused on the Content-Length alone. Chunked: refused as soon as the limit is passed.
        if (declared) headers['content-length'] = String(64 * 1024 * 1024);
        const res = await ctx.app.request(route.path, { method: 'POST', body, headers, duplex: 'half' } as RequestInit, CLIENT('198.51.100.1'));
        expect(res.status, `${route.path} declared=${declared}`).toBe(413);
        // Each stream between the socket and the limit reads ahead at most one chunk.
        expect(pulled(), `${route.path} declared=${declared}`).toBeLessThanOrEqual(route.limit + 4 * 64 * 1024);
        const answer = await res.text();
        expect(answer).toMatch(/quá (lớn|dài)/);
        expect(answer).not.toMatch(/at (async |new )?\w+ \(|node_modules/);
      }
    });
  }

  it('a sign-in within the limit is still read and checked', async () => {
    const res = await ctx.app.request('/admin/login', { method: 'POST', body: new URLSearchParams({ email: 'nobody@ocop.demo', password: 'x'.repeat(200) }), headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' } }, CLIENT('198.51.100.2'));
    expect(res.status).toBe(401);
  });
});

describe('4. inputs that used to give 500', () => {
  it('a NUL or another control character in a text field is a 400 with the field named, never stored', async () => {
    const login = await ctx.app.request('/admin/login', { method: 'POST', body: 'email=a%00b%40ocop.demo&password=x', headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' } }, CLIENT('198.51.100.3'));
    expect(login.status).toBe(400);
    expect(login.headers.get('set-cookie')).toBeNull();
    expect(text(await login.text())).toContain('ký tự điều khiển');
    const before = await ctx.db.selectFrom('counterfeit_reports').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    for (const message of ['giả\u0000mạo', 'a\u001bb', 'x\u007fy', 'c\u0085d']) {
      const res = await ctx.app.request('/report', { method: 'POST', body: new URLSearchParams({ message, code }), headers: { 'content-type': 'application/x-www-form-urlencoded' } }, CLIENT('198.51.100.4'));
      expect(res.status, JSON.stringify(message)).toBe(400);
    }
    const after = await ctx.db.selectFrom('counterfeit_reports').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    const producer = await postForm(ctx, '/admin/producers', admin, { name: 'HTX\u0000 Thử', legalForm: 'hop_tac_xa' });
    expect(producer.status).toBe(400);
    expect(text(await producer.text())).toContain('ký tự điều khiển');
  });

  it('a line break and a tab are kept where a field holds several lines, and refused where it holds one', async () => {
    const note = await ctx.app.request('/report', { method: 'POST', body: new URLSearchParams({ message: 'Dòng một\r\n\tDòng hai', code }), headers: { 'content-type': 'application/x-www-form-urlencoded' } }, CLIENT('198.51.100.5'));
    expect(note.status).toBe(200);
    const contact = await ctx.app.request('/report', { method: 'POST', body: new URLSearchParams({ message: 'ok', contact: '0900\r\n000' }), headers: { 'content-type': 'application/x-www-form-urlencoded' } }, CLIENT('198.51.100.5'));
    expect(contact.status).toBe(400);
  });

  it('the admin JSON API refuses a lone surrogate and a NUL by field', async () => {
    const token = generateApiToken();
    await createToken(ctx.db, { userId: null, label: 'test' }, { name: 'security test', role: 'province_admin', areaUnitId: null, producerId: null }, await hashApiToken(token));
    for (const name of ['HTX \ud800', 'HTX \u0000']) {
      const res = await ctx.app.request('/api/v1/admin/producers', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ name, legalForm: 'hop_tac_xa' }) });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { code: string; details: { fields: Record<string, string> } } };
      expect(body.error.code).toBe('invalid_input');
      expect(Object.keys(body.error.details.fields)).toEqual(['name']);
    }
  });

  it('a control character in any query parameter is a 400 on every side', async () => {
    for (const [path, cookie] of [['/products?q=%00', undefined], ['/api/v1/verify?code=%00', undefined], ['/admin/producers?q=a%00', admin], ['/admin/audit?actor=%1B', admin], ['/api/v1/revocations?since=%0A', undefined]] as const) {
      const res = await ctx.app.request(path, { headers: cookie ? { cookie } : {} });
      expect(res.status, path).toBe(400);
    }
  });

  it('a malformed multipart body is a 400, not a 500', async () => {
    for (const [path, cookie] of [['/admin/login', undefined], ['/admin/producers', admin], ['/report', undefined]] as const) {
      const res = await ctx.app.request(path, { method: 'POST', body: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nno end', headers: { origin: ORIGIN, 'content-type': 'multipart/form-data; boundary=x', ...(cookie ? { cookie } : {}) } });
      expect(res.status, path).toBe(400);
    }
  });

  it('since=0001-01-01 on the revocation feed is a 400', async () => {
    expect((await ctx.app.request('/api/v1/revocations?since=0001-01-01')).status).toBe(400);
  });

  it('a CR/LF in next= after sign-in is refused before anything is checked, and no session cookie is set', async () => {
    const password = ctx.demo!.logins.find((l) => l.role === 'auditor')!.password;
    const res = await ctx.app.request('/admin/login?next=%2Fadmin%0D%0ASet-Cookie%3A%20x%3D1', { method: 'POST', body: new URLSearchParams({ email: 'kiemtra@ocop.demo', password }), headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' } }, CLIENT('198.51.100.6'));
    expect(res.status).toBe(400);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(safeNext('/admin\r\nSet-Cookie: x=1')).toBeNull();
    expect(safeNext('/admin/audit\u0000')).toBeNull();
    expect(safeNext('/admin/audit?action=auth.login')).toBe('/admin/audit?action=auth.login');
  });
});

async function sha256Base64(s: string): Promise<string> {
  return Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s))).toString('base64');
}

describe('5. security headers on every public response', () => {
  it('pages: no script (JSON-LD data blocks only), only their own stylesheet by hash, no framing, nosniff, a referrer policy, HSTS on https', async () => {
    const cert = await ctx.db.selectFrom('certificates').select('number').where('status', '=', 'active').executeTakeFirstOrThrow();
    const product = await ctx.db.selectFrom('products').select('slug').executeTakeFirstOrThrow();
    for (const path of ['/', `/v/${code}`, '/v/NOTACODE', `/c/${encodeURIComponent(cert.number)}`, `/p/${product.slug}`, '/products', '/tra-cuu', '/api/docs', '/no-such-page']) {
      const res = await ctx.app.request(path);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("default-src 'none'");
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toContain("form-action 'self'");
      expect(csp, path).not.toContain('script-src');
      expect(csp, path).not.toContain('unsafe-inline');
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), path).toBe('same-origin');
      expect(res.headers.get('strict-transport-security'), path).toBe('max-age=31536000');
      const html = await res.text();
      // JSON-LD (<script type="application/ld+json">) is data a browser never runs; nothing else.
      expect(html.replace(/<script type="application\/ld\+json">[^<]*<\/script>/g, ''), path).not.toMatch(/<script/i);
      // Every inline stylesheet is allowed by its hash, so the page is styled under the policy.
      for (const m of html.matchAll(/<style>([^<]*)<\/style>/g)) expect(csp, path).toContain(`'sha256-${await sha256Base64(m[1]!)}'`);
    }
  });

  it('API answers: nothing may load or frame them; the open API stays readable cross-origin', async () => {
    for (const path of ['/api/v1/verify?code=x', '/.well-known/jwks.json', '/api/openapi.json', '/api/v1/admin/me', '/healthz']) {
      const res = await ctx.app.request(path);
      expect(res.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
    }
    expect((await ctx.app.request('/api/v1/verify?code=x')).headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect((await ctx.app.request('/api/v1/admin/me')).headers.get('cross-origin-resource-policy')).toBe('same-origin');
  });

  it('no HSTS when the base URL is plain-http localhost; the admin keeps its own headers', async () => {
    const local = await createTestContext({ config: { publicBaseUrl: 'http://localhost:8787' } });
    try {
      const res = await local.app.request('/');
      expect(res.headers.get('strict-transport-security')).toBeNull();
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    } finally {
      await local.close();
    }
    const login = await ctx.app.request('/admin/login');
    expect(login.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(login.headers.get('content-security-policy')).toContain("style-src 'self'");
  });
});

describe('6. a shopper\'s contact is for officials only', () => {
  const CONTACT = 'Zalo 0912 345 678';
  let reportId: number;

  beforeAll(async () => {
    const batch = await ctx.db.selectFrom('package_batches').select(['id', 'certificate_id']).where('lot_code', '=', 'HM-RM-01').executeTakeFirstOrThrow();
    reportId = await createReport(ctx.db, { batchId: batch.id, serial: 9, certificateId: batch.certificate_id, codeText: null, message: 'Tem in mờ, nghi hàng giả', contact: CONTACT, place: 'VN', clientHash: null });
  });

  it('the producer sees the report and its text on the counterfeit page and the product page, never the contact', async () => {
    const list = await (await ctx.app.request('/admin/counterfeit', { headers: { cookie: producerCookie } })).text();
    expect(list).toContain('Tem in mờ, nghi hàng giả');
    expect(list).not.toContain(CONTACT);
    expect(list).not.toContain('Liên hệ / Contact');
    const product = await ctx.db.selectFrom('package_batches as b').innerJoin('certificates as c', 'c.id', 'b.certificate_id').select('c.product_id').where('b.lot_code', '=', 'HM-RM-01').executeTakeFirstOrThrow();
    const page = await (await ctx.app.request(`/admin/products/${product.product_id}`, { headers: { cookie: producerCookie } })).text();
    expect(page).toContain('Tem in mờ, nghi hàng giả');
    expect(page).not.toContain(CONTACT);
  });

  it('officials see it; the admin API gives it to an official\'s token and not to a producer\'s', async () => {
    expect(await (await ctx.app.request('/admin/counterfeit', { headers: { cookie: admin } })).text()).toContain(CONTACT);
    const producer = await ctx.db.selectFrom('users').select('producer_id').where('email', '=', DEMO_EMAILS.producer).executeTakeFirstOrThrow();
    const tokens: Record<string, string> = {};
    for (const [role, producerId] of [['producer', producer.producer_id], ['auditor', null]] as const) {
      tokens[role] = generateApiToken();
      await createToken(ctx.db, { userId: null, label: 'test' }, { name: `contact ${role}`, role, areaUnitId: null, producerId }, await hashApiToken(tokens[role]!));
    }
    const asProducer = await (await ctx.app.request('/api/v1/admin/counterfeit-reports', { headers: { authorization: `Bearer ${tokens.producer}` } })).json() as { data: Record<string, unknown>[] };
    const mine = asProducer.data.find((r) => r.id === reportId)!;
    expect(mine.message).toBe('Tem in mờ, nghi hàng giả');
    expect('contact' in mine).toBe(false);
    expect(JSON.stringify(asProducer)).not.toContain(CONTACT);
    const asAuditor = await (await ctx.app.request('/api/v1/admin/counterfeit-reports', { headers: { authorization: `Bearer ${tokens.auditor}` } })).json() as { data: Record<string, unknown>[] };
    expect(asAuditor.data.find((r) => r.id === reportId)!.contact).toBe(CONTACT);
  });

  it('the report form says who sees what, and that contact is optional and deleted after a retention period', async () => {
    const page = text(await (await ctx.app.request(`/v/${code}`)).text());
    expect(page).toContain('Liên hệ (không bắt buộc)');
    expect(page).toContain('không bao giờ thấy thông tin liên hệ');
    expect(page).toContain('tự động xóa sau thời hạn lưu giữ');
  });

  it('the daily job erases contacts older than REPORT_CONTACT_RETENTION_MONTHS (default 12), keeps the report, and audits it', async () => {
    const old = await createReport(ctx.db, { batchId: null, serial: null, certificateId: null, codeText: null, message: 'cũ', contact: 'old@example.vn', place: null, clientHash: null });
    const recent = await createReport(ctx.db, { batchId: null, serial: null, certificateId: null, codeText: null, message: 'mới', contact: 'recent@example.vn', place: null, clientHash: null });
    await ctx.db.updateTable('counterfeit_reports').set({ created_at: new Date(start.getTime() - 400 * 86_400_000) }).where('id', '=', old).execute();
    await ctx.db.updateTable('counterfeit_reports').set({ created_at: new Date(start.getTime() - 300 * 86_400_000) }).where('id', '=', recent).execute();
    const first = await runDailyJob(ctx.db, start, { scanRetentionMonths: 13 });
    expect(first.contactsErased).toBeGreaterThanOrEqual(1);
    const rows = await ctx.db.selectFrom('counterfeit_reports').select(['id', 'contact', 'message']).where('id', 'in', [old, recent]).orderBy('id').execute();
    expect(rows).toEqual([{ id: old, contact: null, message: 'cũ' }, { id: recent, contact: 'recent@example.vn', message: 'mới' }]);
    const audit = await ctx.db.selectFrom('audit_log').select(['after', 'actor_label']).where('action', '=', 'counterfeit.contact_erased').execute();
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0]!.after)).toContain(String(old));
    expect(audit[0]!.actor_label).toBe('system');
    // A shorter retention, as configured, reaches the 10-month-old one too.
    await runDailyJob(ctx.db, start, { scanRetentionMonths: 13, reportContactRetentionMonths: 6 });
    expect((await ctx.db.selectFrom('counterfeit_reports').select('contact').where('id', '=', recent).executeTakeFirstOrThrow()).contact).toBeNull();
  });
});

describe('9. the login throttle stays bounded', () => {
  it('300 failures with new emails and addresses, one a minute, leave at most an hour of rows; the daily job clears the rest', async () => {
    const t0 = new Date(start.getTime() + 24 * 3_600_000);
    try {
      for (let i = 0; i < 300; i++) {
        ctx.setNow(new Date(t0.getTime() + i * 60_000));
        await ctx.app.request('/admin/login', { method: 'POST', body: new URLSearchParams({ email: `bound-${i}@ocop.demo`, password: 'x' }), headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' } }, CLIENT(`100.64.${i >> 8}.${i & 255}`));
      }
      const rows = Number((await ctx.db.selectFrom('login_throttle').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      // Three rows per failure (pair, client, account) for the last hour (both ends included), and the minute counter.
      expect(rows).toBeLessThanOrEqual(3 * 62 + 1);
      const later = new Date(t0.getTime() + 302 * 60_000 + 2 * 3_600_000);
      const result = await runDailyJob(ctx.db, later, { scanRetentionMonths: 13 });
      expect(result.throttleRowsPruned).toBeGreaterThan(0);
      const left = Number((await ctx.db.selectFrom('login_throttle').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      expect(left).toBe(0);
    } finally {
      ctx.setNow(start);
    }
  }, 120_000);
});

describe('10. the scan route, the API, the CLI and the specification agree', () => {
  const malformedByApi = async (url: string) => {
    const res = await ctx.app.request(`/api/v1/verify?code=${encodeURIComponent(url)}`);
    const body = (await res.json()) as { result: { verdict: string; reason: string | null } };
    return body.result.verdict === 'not_genuine' && body.result.reason === 'malformed';
  };
  const h1 = (html: string) => /<h1>([^<]*)<\/h1>/.exec(html)?.[1] ?? '';

  it('a percent-escape, a space around the code, a query, a trailing slash or an extra segment: "not genuine" on the page, malformed in the API', async () => {
    const tail = code.slice(1);
    const cases = [`/v/%41${tail}`, `/%56/${code}`, `/v/%20${code}`, `/v/${code}%20`, `/v/${code}?x=1`, `/v/${code}?lang=en&utm_source=zalo`, `/v/${code}/`, `/v/${code}/extra`, `/V/${code}/`];
    for (const path of cases) {
      const res = await ctx.app.request(path);
      const html = await res.text();
      expect(res.status, path).toBe(400);
      expect(h1(html), path).toMatch(/Không phải|không xác thực|không hợp lệ|Not a valid/i);
      expect(html, path).not.toContain('chính hãng</h1>');
      expect(await malformedByApi(`${TEST_BASE_URL}${path}`), path).toBe(true);
    }
  });

  it('the printed URL itself, any letter case, and the page\'s own ?lang= switch are genuine on both', async () => {
    const printed = packageUrl(TEST_BASE_URL, code);
    const path = new URL(printed).pathname;
    for (const p of [path, `/v/${code.toLowerCase()}`, `${path}?lang=en`]) {
      const res = await ctx.app.request(p);
      expect(res.status, p).toBe(200);
      expect(h1(await res.text()), p).toMatch(/chính hãng|Genuine/);
    }
    expect(await malformedByApi(printed)).toBe(false);
  });

  it('the bulk API answers an empty item and one over 1,000 characters as that item\'s malformed, and an empty list in English', async () => {
    const res = await ctx.app.request('/api/v1/verify', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ codes: ['', 'y'.repeat(1001), code] }) });
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as { results: { verdict: string; reason: string | null; input: string }[] };
    expect(results.map((r) => [r.verdict, r.reason])).toEqual([['not_genuine', 'malformed'], ['not_genuine', 'malformed'], ['genuine', null]]);
    expect(results[1]!.input).toHaveLength(200);
    const empty = await ctx.app.request('/api/v1/verify', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"codes":[]}' });
    expect(empty.status).toBe(400);
    const error = ((await empty.json()) as { error: { message_en: string; message_vi: string } }).error;
    expect(error.message_en).toBe('codes: at least one code or certificate number is required');
    expect(error.message_en).toMatch(/^[\x20-\x7e]+$/);
    expect(error.message_vi).toContain('cần ít nhất một mã');
  });
});
