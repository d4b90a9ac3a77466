import { env, exports } from 'cloudflare:workers';
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { KeyRing } from '../../worker/codes/keyring';
import { signPackageCode } from '../../worker/codes/sign';
import workerModule from '../../worker/index';
import { jpegWithExif } from '../helpers/media-fixtures';
import { demoNumbers } from '../helpers/demo';

/** Demo certificate numbers as seeded by this file's context (they carry their decision's year). */
const N = demoNumbers();

// Runs inside workerd: the real Worker entry, postgres.js over Workers TCP sockets, a
// database prepared by scripts/test-workers-db.ts (migrated + demo seed).
const entry = workerModule as unknown as {
  scheduled(controller: unknown, env: unknown, ctx: unknown): Promise<void>;
  fetch(request: Request, env: unknown, ctx: unknown): Promise<Response>;
};
const worker = (exports as unknown as { default: { fetch(input: string, init?: RequestInit): Promise<Response> } }).default;
const bindings = env as unknown as { SIGNING_KEYS: string; TEST_ADMIN_LOGIN: string; MEDIA: { get(key: string): Promise<{ arrayBuffer(): Promise<ArrayBuffer>; httpMetadata?: { contentType?: string } } | null> } };

const login = () => JSON.parse(bindings.TEST_ADMIN_LOGIN) as { email: string; password: string };

/** The login form posted as a browser would, for the demo province admin. */
function postLogin(password: string): Promise<Response> {
  return worker.fetch('https://ocop.example.vn/admin/login', {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://ocop.example.vn' },
    body: new URLSearchParams({ email: login().email, password }).toString(),
  });
}

async function signIn(): Promise<string> {
  const res = await postLogin(login().password);
  expect(res.status).toBe(303);
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

describe('Worker in workerd', () => {
  it('answers /healthz with the database reachable', async () => {
    const res = await worker.fetch('https://ocop.example.vn/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', runtime: 'workers' });
  });

  it('publishes the signing key in the JWKS', async () => {
    const res = await worker.fetch('https://ocop.example.vn/.well-known/jwks.json');
    expect(res.status).toBe(200);
    const jwks = (await res.json()) as { keys: { kid: string; d?: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toContain('ocop-1');
    expect(jwks.keys.every((k) => k.d === undefined)).toBe(true);
  });

  it('reads a certificate from Postgres', async () => {
    const res = await worker.fetch(`https://ocop.example.vn/api/v1/certificates/${N.haMy5}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ verdict: 'genuine', certificate: { number: N.haMy5, status: 'active' } });
  });

  it('issues a W3C VC 2.0 that verifies against the did:web document, and a GZIP bitstring status list', async () => {
    const { decodeProtectedHeader, importJWK, jwtVerify } = await import('jose');
    const did = (await (await worker.fetch('https://ocop.example.vn/.well-known/did.json')).json()) as {
      id: string;
      verificationMethod: { id: string; publicKeyJwk: { kty: string; crv: string; x: string } }[];
    };
    const verify = async (jwt: string) => {
      const method = did.verificationMethod.find((m) => m.id === decodeProtectedHeader(jwt).kid)!;
      return (await jwtVerify(jwt, await importJWK({ ...method.publicKeyJwk, alg: 'EdDSA' }, 'EdDSA'), { issuer: did.id, typ: 'vc+jwt' })).payload;
    };
    const res = await worker.fetch(`https://ocop.example.vn/api/v1/certificates/${N.haMy5}/vc`);
    expect(res.headers.get('content-type')).toBe('application/vc+jwt');
    const vc = await verify(await res.text());
    expect(vc).toMatchObject({ credentialSubject: { ocop: { number: N.haMy5 } }, credentialStatus: { type: 'BitstringStatusListEntry' } });
    const list = await verify(await (await worker.fetch('https://ocop.example.vn/api/v1/status/bitstring')).text());
    const encoded = (list.credentialSubject as { encodedList: string }).encodedList;
    expect(encoded.startsWith('u')).toBe(true);
    // GZIP magic bytes after base64url decoding.
    const raw = atob(encoded.slice(1, 5).replace(/-/g, '+').replace(/_/g, '/'));
    expect([raw.charCodeAt(0), raw.charCodeAt(1)]).toEqual([0x1f, 0x8b]);
  });

  it('verifies a seeded package code end to end and rejects an altered one', async () => {
    const ring = await KeyRing.fromJwkSet(JSON.parse(bindings.SIGNING_KEYS));
    const code = await signPackageCode(ring, 1, 1);
    const good = await worker.fetch(`https://ocop.example.vn/api/v1/verify?code=${code}`);
    expect(good.status).toBe(200);
    expect(await good.json()).toMatchObject({ result: { verdict: 'genuine' } });
    const altered = code.slice(0, 50) + (code[50] === 'A' ? 'B' : 'A') + code.slice(51);
    const bad = await worker.fetch(`https://ocop.example.vn/api/v1/verify?code=${altered}`);
    expect(await bad.json()).toMatchObject({ result: { verdict: 'not_genuine' } });
  });

  it('serves the scan page in Vietnamese', async () => {
    const ring = await KeyRing.fromJwkSet(JSON.parse(bindings.SIGNING_KEYS));
    const code = await signPackageCode(ring, 1, 2);
    const res = await worker.fetch(`https://ocop.example.vn/v/${code.toLowerCase()}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('lang="vi"');
    expect(html).toContain('Hạt điều rang muối');
  });

  it('logs each scan with its summaries through postgres.js: the next scan and the admin batch page count it', async () => {
    const ring = await KeyRing.fromJwkSet(JSON.parse(bindings.SIGNING_KEYS));
    const code = await signPackageCode(ring, 1, 31);
    const scan = async (headers: Record<string, string>) => {
      // The Worker's own fetch with an execution context, so the logging it hands to
      // waitUntil is finished before the next scan.
      const ctx = createExecutionContext();
      const res = await entry.fetch(new Request(`https://ocop.example.vn/v/${code}`, { headers: { 'cf-connecting-ip': '203.0.113.9', ...headers } }), env, ctx);
      const html = await res.text();
      await waitOnExecutionContext(ctx);
      return html;
    };
    // First without a place (a null in the written arrays), then with one.
    expect(await scan({})).toContain('Hôm nay (lần đầu tiên)');
    expect(await scan({ 'cf-ipcountry': 'VN' })).toMatch(/Số lần<\/dt><dd>2<\/dd>/);
    const cookie = await signIn();
    const page = (await (await worker.fetch('https://ocop.example.vn/admin/batches/1', { headers: { cookie } })).text()).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(page).toMatch(/ 31 2 1 /); // serial 31: 2 scans from 1 place
  });

  it('verifies codes of several batches in one request', async () => {
    const ring = await KeyRing.fromJwkSet(JSON.parse(bindings.SIGNING_KEYS));
    const codes = [await signPackageCode(ring, 1, 3), await signPackageCode(ring, 2, 1), await signPackageCode(ring, 1, 4)];
    const res = await worker.fetch('https://ocop.example.vn/api/v1/verify', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ codes }) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { results: { package: { batch_id: number } | null }[] };
    expect(body.results.map((r) => r.package?.batch_id)).toEqual([1, 2, 1]);
  });

  it('signs an official in and serves the admin dashboard with the session cookie', async () => {
    const cookie = await signIn();
    expect(cookie).toMatch(/ocop_admin=./);
    const dash = await worker.fetch('https://ocop.example.vn/admin', { headers: { cookie } });
    expect(dash.status).toBe(200);
    const page = await dash.text();
    expect(page).toContain('action="/admin/logout"');
    expect(page).not.toContain('name="password"');
    const wrong = await postLogin(`${login().password}x`);
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
  });

  it('serves the period report as an XLSX workbook from the Workers runtime (the fflate writer)', async () => {
    const cookie = await signIn();
    const res = await worker.fetch('https://ocop.example.vn/admin/reports.xlsx?period=2025', { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    expect(strFromU8(files['xl/workbook.xml']!)).toContain('<sheet name="Chỉ tiêu kế hoạch"');
    expect(strFromU8(files['xl/worksheets/sheet3.xml']!)).toContain('Kế hoạch (tối thiểu)');
  });

  it('downloads a batch label sheet as PDF and its codes as CSV that verify', async () => {
    const cookie = await signIn();
    const pdf = await worker.fetch('https://ocop.example.vn/admin/batches/1/labels?format=pdf', { headers: { cookie } });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toContain('application/pdf');
    const bytes = new Uint8Array(await pdf.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-');
    expect(new TextDecoder().decode(bytes.slice(-6))).toContain('%%EOF');
    const csv = await (await worker.fetch('https://ocop.example.vn/admin/batches/1/labels?format=csv', { headers: { cookie } })).text();
    const url = csv.split('\n').map((l) => l.split(',').find((f) => f.includes('/V/')) ?? '').find((u) => u !== '')!;
    expect(url).toBeTruthy();
    const code = url.slice(url.lastIndexOf('/') + 1);
    const check = await worker.fetch(`https://ocop.example.vn/api/v1/verify?code=${code}`);
    expect(await check.json()).toMatchObject({ result: { verdict: 'genuine' } });
  });

  it('runs the daily job from the cron trigger: each expiry is recorded in the audit log once', async () => {
    const cookie = await signIn();
    const expiries = async () => (await (await worker.fetch('https://ocop.example.vn/admin/audit.csv?action=certificate.expired', { headers: { cookie } })).text()).trim().split('\n').length - 1;
    const before = await expiries();
    const runCron = async () => {
      // The Worker's own module, called as the runtime calls it on a cron, then waiting for
      // everything it handed to waitUntil.
      const ctx = createExecutionContext();
      await entry.scheduled(createScheduledController({ cron: '0 23 * * *', scheduledTime: Date.now() }), env, ctx);
      await waitOnExecutionContext(ctx);
    };
    await runCron();
    const after = await expiries();
    // The demo seed has certificates already past their validity: the job records them.
    expect(after).toBeGreaterThan(before);
    await runCron();
    expect(await expiries()).toBe(after);
  });
  it('stores an uploaded photo in R2 (MEDIA binding) through photon in workerd, and serves it from /media', async () => {
    const cookie = await signIn();
    const form = new FormData();
    form.append('file', new File([jpegWithExif(1000, 750, 1) as Uint8Array<ArrayBuffer>], 'IMG_2001.JPG', { type: 'image/jpeg' }));
    form.append('kind', 'package');
    const res = await worker.fetch('https://ocop.example.vn/admin/products/1/photos', { method: 'POST', redirect: 'manual', body: form, headers: { cookie, origin: 'https://ocop.example.vn' } });
    expect(res.status).toBe(303);
    const page = await (await worker.fetch('https://ocop.example.vn/admin/products/1/photos', { headers: { cookie } })).text();
    const hashes = [...page.matchAll(/\/media\/([0-9a-f]{64})\.jpg/g)].map((m) => m[1]!);
    expect(hashes.length).toBeGreaterThan(0);
    const hash = hashes[hashes.length - 1]!;
    const object = await bindings.MEDIA.get(`media/${hash}`);
    expect(object?.httpMetadata?.contentType).toBe('image/jpeg');
    const stored = new Uint8Array(await object!.arrayBuffer());
    const served = await worker.fetch(`https://ocop.example.vn/media/${hash}.jpg`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    expect(served.headers.get('cache-control')).toContain('immutable');
    const bytes = new Uint8Array(await served.arrayBuffer());
    expect(bytes).toEqual(stored);
    expect([bytes[0], bytes[1]]).toEqual([0xff, 0xd8]);
    expect(new TextDecoder('latin1').decode(bytes)).not.toContain('Exif');
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
    expect([...digest].map((b) => b.toString(16).padStart(2, '0')).join('')).toBe(hash);
  });
});
