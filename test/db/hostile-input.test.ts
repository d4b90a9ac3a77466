import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiToken, hashApiToken } from '../../admin/secrets';
import { signPackageCode } from '../../worker/codes/sign';
import { createToken } from '../../worker/db/users-and-tokens';
import { createTestContext, type TestContext } from '../helpers/app';
import { DEMO_EMAILS, ORIGIN, sessionFor } from './admin-support';
import { demoNumbers } from '../helpers/demo';

/** Demo certificate numbers as seeded by this file's context (they carry their decision's year). */
const N = demoNumbers();

// Issue 10, finding 4: a hostile-input corpus over every route the app serves (read from
// the app's own route list, so a route added later is covered too): the public pages and
// the retailer API anonymously, the admin UI with a province admin's session, the admin API
// with a province admin's token. Hostile query strings, path parameters and bodies (forms,
// multipart, JSON) must never give a 5xx, a stack trace or an error in the log.

let ctx: TestContext;
let token: string;
let code: string;

// What an attacker types: control characters, invalid escapes, markup, SQL, huge and odd numbers, dates out of range.
const PAYLOADS = [
  '\u0000', 'a\u0000b', '\r\nSet-Cookie: x=1', '\u001b[31m', '\u007f', '\u0085', '\u202e\u2066', '\uffff', '😀'.repeat(50),
  '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "' OR 1=1 --", '"; DROP TABLE users; --', '../../../../etc/passwd',
  '%', '%ZZ', '%00', '%E0%A4%A', '0001-01-01', '9999-99-99', '-1', '0', '2147483648', '99999999999999999999', '1e309', 'NaN', 'Infinity', '0x10',
  'x'.repeat(5000), ' ', '', '[]', '{}', 'null', 'true', '__proto__', 'constructor',
];
/** Parameter names the routes read (filters, cursors, forms), each given the payload at once. */
const PARAMS = ['q', 'status', 'since', 'limit', 'page', 'product', 'producer', 'certificate', 'next', 'format', 'from', 'to', 'period', 'code', 'number', 'lang', 'before', 'actor', 'action', 'entity', 'entity_id', 'area', 'group', 'stars', 'legal_form', 'legalForm', 'pending', 'done', 'columns', 'rows', 'expired'];
const FIELDS = ['name', 'email', 'password', 'message', 'contact', 'code', 'certificate', 'note', 'description', 'ids', 'status', 'role', 'number', 'decisionNumber', 'decisionDate', 'date', 'ground', 'confirm', 'reason', 'producerId', 'productId', 'evaluationId', 'certificateId', 'areaUnitId', 'legalForm', 'taxCode', 'phone', 'slug', 'lotCode', 'productionDate', 'quantity', 'scoreA', 'current', 'next', 'repeat', 'list', 'format', 'lang', 'unitId', 'latitude', 'disabled', 'from', 'to'];

const STACK = /\bat (async )?[\w.$<>]+ \(|node_modules|\.tsx?:\d+:\d+|\bTypeError\b|\bReferenceError\b|invalid byte sequence|violates|syntax error at/;

interface Probe {
  method: string;
  path: string;
  init: RequestInit;
}

function query(payload: string): string {
  const params = new URLSearchParams();
  for (const p of PARAMS) params.append(p, payload);
  return params.toString();
}

/** The concrete paths a route pattern stands for: real ids, out-of-range ids, hostile text. */
function paths(pattern: string, prefix: string): string[] {
  const idValues = ['1', '2', '0', '2147483648', '99999999999999999999'];
  const textValues = [code, N.haMy5, 'ha-my', ...PAYLOADS.slice(0, 20).map(encodeURIComponent), '%00', '%ZZ', '%2e%2e%2f', 'a/b/c', `${code}/`];
  let out = [prefix + pattern];
  const param = /:(\w+)(\{[^}]*\})?|\*/;
  while (out.some((p) => param.test(p))) {
    out = out.flatMap((p) => {
      const m = param.exec(p);
      if (!m) return [p];
      const values = m[2]?.includes('[0-9]') ? idValues : textValues;
      return values.map((v) => p.slice(0, m.index) + v + p.slice(m.index + m[0].length));
    });
  }
  return [...new Set(out)].slice(0, 60);
}

function formBody(payload: string): URLSearchParams {
  const body = new URLSearchParams();
  for (const f of FIELDS) body.append(f, payload);
  return body;
}

function jsonBodies(payload: string): string[] {
  const obj: Record<string, unknown> = {};
  for (const f of FIELDS) obj[f] = payload;
  return [JSON.stringify(obj), JSON.stringify({ ...obj, ids: [payload, -1, 1e309], codes: [payload, '', payload] })];
}

const STRUCTURAL_JSON = ['', '{', 'null', '[]', '"x"', '1', '{"__proto__":{"polluted":1}}', '{"codes":[[[[[[[[[[["x"]]]]]]]]]]]}', '[' .repeat(5000) + ']'.repeat(5000), '{"name":{"$gt":""}}', '{"ids":"1,2,3"}', '{"quantity":1e400}'];
const MULTIPART = [
  { type: 'multipart/form-data; boundary=x', body: '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nno end' },
  { type: 'multipart/form-data', body: 'no boundary at all' },
  { type: 'multipart/form-data; boundary=x', body: '--x\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\n\u0000\u0000\r\n--x--\r\n' },
  { type: 'application/x-www-form-urlencoded', body: '%%%&&&==&a=%ZZ&b=%00' },
  { type: 'text/plain', body: 'hello' },
  { type: 'application/json', body: '{"name":"x"}' },
];

function probesFor(method: string, pattern: string, prefix: string): Probe[] {
  const probes: Probe[] = [];
  const concrete = paths(pattern, prefix);
  const first = concrete[0]!;
  for (const path of concrete) probes.push({ method, path, init: {} });
  for (const payload of PAYLOADS) probes.push({ method, path: `${first}?${query(payload)}`, init: {} });
  if (method !== 'GET') {
    for (const payload of PAYLOADS) {
      probes.push({ method, path: first, init: { body: formBody(payload), headers: { 'content-type': 'application/x-www-form-urlencoded' } } });
      for (const body of jsonBodies(payload)) probes.push({ method, path: first, init: { body, headers: { 'content-type': 'application/json' } } });
    }
    for (const body of STRUCTURAL_JSON) probes.push({ method, path: first, init: { body, headers: { 'content-type': 'application/json' } } });
    for (const m of MULTIPART) probes.push({ method, path: first, init: { body: m.body, headers: { 'content-type': m.type } } });
  }
  return probes;
}

async function run(probes: Probe[], headers: () => Promise<Record<string, string>>): Promise<{ requests: number; failures: string[] }> {
  const failures: string[] = [];
  for (const probe of probes) {
    const init: RequestInit = { ...probe.init, method: probe.method, headers: { origin: ORIGIN, ...(await headers()), ...(probe.init.headers as Record<string, string> | undefined) } };
    const res = await ctx.app.request(probe.path, init, { incoming: { socket: { remoteAddress: '192.0.2.33' } } });
    const body = await res.text();
    const label = `${probe.method} ${probe.path.slice(0, 120)} ${String((probe.init.headers as Record<string, string> | undefined)?.['content-type'] ?? '')} → ${res.status}`;
    if (res.status >= 500) failures.push(`${label}: ${body.slice(0, 160)}`);
    else if (STACK.test(body)) failures.push(`${label}: stack trace or database error in the answer: ${STACK.exec(body)![0]}`);
  }
  return { requests: probes.length, failures };
}

function routes(filter: (path: string) => boolean): { method: string; path: string }[] {
  const seen = new Set<string>();
  const out: { method: string; path: string }[] = [];
  for (const r of ctx.app.routes) {
    if (r.method === 'ALL' || !filter(r.path)) continue;
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ method: r.method, path: r.path });
  }
  return out;
}

beforeAll(async () => {
  ctx = await createTestContext({ seed: true });
  // Decoy tokens first: a probe that revokes token 1 or 2 does not revoke the one in use.
  for (const name of ['decoy one', 'decoy two']) await createToken(ctx.db, { userId: null, label: 'test' }, { name, role: 'auditor', areaUnitId: null, producerId: null }, await hashApiToken(generateApiToken()));
  token = generateApiToken();
  await createToken(ctx.db, { userId: null, label: 'test' }, { name: 'hostile corpus', role: 'province_admin', areaUnitId: null, producerId: null }, await hashApiToken(token));
  const batch = await ctx.db.selectFrom('package_batches').select('id').orderBy('id').executeTakeFirstOrThrow();
  code = await signPackageCode(ctx.keys, batch.id, 1);
}, 120_000);

afterAll(async () => {
  await ctx?.close();
});

const isAdminUi = (p: string) => p === '/admin' || p.startsWith('/admin/');
const isAdminApi = (p: string) => p.startsWith('/api/v1/admin');

describe('hostile input: no 5xx, no stack trace, on every route', () => {
  it('public pages and the retailer API, anonymously', async () => {
    const list = routes((p) => !isAdminUi(p) && !isAdminApi(p) && p !== '/*' && p !== '*');
    expect(list.length).toBeGreaterThan(15);
    const { requests, failures } = await run(list.flatMap((r) => probesFor(r.method, r.path, '')), async () => ({}));
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(1000);
  }, 600_000);

  it('the admin UI, with a province admin\'s session', async () => {
    const list = routes((p) => isAdminUi(p)).map((r) => ({ ...r, path: r.path.slice('/admin'.length) }));
    expect(list.length).toBeGreaterThan(45);
    // A fresh session per request: a probe of /logout or a password change ends the one before.
    const { requests, failures } = await run(list.flatMap((r) => probesFor(r.method, r.path, '/admin')), async () => ({ cookie: await sessionFor(ctx, DEMO_EMAILS.province_admin) }));
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(3000);
  }, 600_000);

  it('the admin API, with a province admin\'s token', async () => {
    const list = routes((p) => isAdminApi(p)).map((r) => ({ ...r, path: r.path.slice('/api/v1/admin'.length) }));
    expect(list.length).toBeGreaterThan(30);
    const { requests, failures } = await run(list.flatMap((r) => probesFor(r.method, r.path, '/api/v1/admin')), async () => ({ authorization: `Bearer ${token}` }));
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(2000);
  }, 600_000);

  it('logged no unhandled error while doing so', () => {
    expect(ctx.logs.filter((l) => l.level === 'error')).toEqual([]);
  });
});
