import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { signSession } from '../../admin/session';
import { updateUser } from '../../worker/db/users-and-tokens';
import { createTestContext, type TestContext } from '../helpers/app';
import { DEMO_EMAILS, get, ORIGIN, postForm, sessionFor, text } from './admin-support';

let ctx: TestContext;
let start: Date;
let adminPassword: string;

/** A sign-in from the socket address `client`, as @hono/node-server hands the request over. */
function loginAt(path: string, email: string, password: string, client = '203.0.113.5', extra: Record<string, string> = {}): Promise<Response> {
  const body = new URLSearchParams({ email, password });
  const headers = { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, ...extra };
  return Promise.resolve(ctx.app.request(path, { method: 'POST', body, headers }, { incoming: { socket: { remoteAddress: client } } }));
}

function loginForm(email: string, password: string, client = '203.0.113.5', extra: Record<string, string> = {}): Promise<Response> {
  return loginAt('/admin/login', email, password, client, extra);
}

function cookieFrom(res: Response): string {
  const set = res.headers.get('set-cookie') ?? '';
  const m = /(?:__Host-)?ocop_admin=([^;]+)/.exec(set);
  if (!m) throw new Error(`no session cookie in ${set}`);
  return `ocop_admin=${m[1]}`;
}

beforeAll(async () => {
  start = new Date('2026-03-10T03:00:00Z');
  ctx = await createTestContext({ seed: true, now: start });
  adminPassword = ctx.demo!.logins.find((l) => l.role === 'province_admin')!.password;
}, 180_000);

afterAll(async () => {
  await ctx?.close();
});

describe('sign-in', () => {
  it('signs in with email and password and sets a strict, HttpOnly session cookie', async () => {
    const res = await loginForm('ADMIN@ocop.demo ', adminPassword);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin');
    const set = res.headers.get('set-cookie')!;
    expect(set).toMatch(/HttpOnly/i);
    expect(set).toMatch(/SameSite=Strict/i);
    expect(set).toMatch(/Path=\//);
    expect(set).toMatch(/Max-Age=1800/);
    expect(set).not.toMatch(/Secure/i); // plain-http test config
    const home = await get(ctx, '/admin', cookieFrom(res));
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('Quản trị tỉnh (demo)');
    const audit = await ctx.db.selectFrom('audit_log').select(['action', 'actor_label']).where('action', '=', 'auth.login').execute();
    expect(audit.some((a) => a.actor_label === 'admin@ocop.demo')).toBe(true);
  });

  it('answers a wrong password and an unknown email with the same words', async () => {
    const wrong = await loginForm('admin@ocop.demo', 'not-the-password', '198.51.100.1');
    const unknown = await loginForm('nobody@ocop.demo', 'not-the-password', '198.51.100.2');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const a = text(await wrong.text()).replace('admin@ocop.demo', 'EMAIL');
    const b = text(await unknown.text()).replace('nobody@ocop.demo', 'EMAIL');
    expect(a).toContain('Email hoặc mật khẩu không đúng.');
    expect(a).toBe(b);
    expect(wrong.headers.get('set-cookie')).toBeNull();
  });

  it('refuses blank fields with field errors and no session', async () => {
    const res = await loginForm('', '');
    expect(res.status).toBe(400);
    expect(text(await res.text())).toContain('Bắt buộc / Required');
  });

  it('goes back to the page asked for, but never off-site', async () => {
    const asked = await loginAt('/admin/login?next=%2Fadmin%2Faudit%3Faction%3Dauth.login', 'admin@ocop.demo', adminPassword, '203.0.113.9');
    expect(asked.headers.get('location')).toBe('/admin/audit?action=auth.login');
    const evil = await loginAt('/admin/login?next=%2F%2Fevil.example%2Fadmin', 'admin@ocop.demo', adminPassword, '203.0.113.9');
    expect(evil.headers.get('location')).toBe('/admin');
    const anon = await get(ctx, '/admin/certificates?state=revoked');
    expect(anon.status).toBe(303);
    expect(anon.headers.get('location')).toBe('/admin/login?next=%2Fadmin%2Fcertificates%3Fstate%3Drevoked');
  });
});

describe('throttling', () => {
  it('locks the (account, client) pair after 5 failures, even for the right password, and opens again after 15 minutes', async () => {
    const email = 'kiemtra@ocop.demo';
    const password = ctx.demo!.logins.find((l) => l.email === email)!.password;
    const client = '192.0.2.50';
    for (let i = 0; i < 4; i++) expect((await loginForm(email, `wrong-${i}`, client)).status).toBe(401);
    const fifth = await loginForm(email, 'wrong-5', client);
    expect(fifth.status).toBe(429);
    const body = text(await fifth.text());
    expect(body).toContain('Đăng nhập tạm bị khóa vì nhập sai nhiều lần');
    expect(body).toContain('15 phút');
    const right = await loginForm(email, password, client);
    expect(right.status).toBe(429);
    expect(right.headers.get('set-cookie')).toBeNull();
    // The users page shows the lock to an admin.
    const user = await ctx.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    expect(text(await (await get(ctx, `/admin/users/${user.id}`, await sessionFor(ctx, DEMO_EMAILS.province_admin))).text())).toContain('Đăng nhập đang bị tạm khóa');
    ctx.setNow(new Date(start.getTime() + 16 * 60_000));
    try {
      expect((await loginForm(email, password, client)).status).toBe(303);
    } finally {
      ctx.setNow(start);
    }
  });

  it('a stranger cannot lock the owner out: 30 failures from 30 addresses, then the right password from a clean client signs in', async () => {
    const email = 'hamy@ocop.demo';
    const password = ctx.demo!.logins.find((l) => l.email === email)!.password;
    ctx.setNow(new Date(start.getTime() + 2 * 3_600_000));
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) statuses.push((await loginForm(email, `guess-${i}`, `198.18.0.${i + 1}`)).status);
      // Every address was clean when it tried: each guess was checked (401), none was refused.
      expect(statuses.every((s) => s === 401)).toBe(true);
      const owner = await loginForm(email, password, '198.18.1.1');
      expect(owner.status).toBe(303);
      expect(owner.headers.get('set-cookie')).toMatch(/ocop_admin=/);
    } finally {
      ctx.setNow(start);
    }
  });

  it('an account under attack slows down clients that have failed recently: 2^(n-5) seconds after the latest failure', async () => {
    const email = 'slow@ocop.demo';
    ctx.setNow(new Date(start.getTime() + 3 * 3_600_000));
    try {
      // Six failures from six addresses: the account's 6th failure means a 2 s wait for failing clients.
      for (let i = 0; i < 6; i++) expect((await loginForm(email, 'x', `198.19.0.${i + 1}`)).status).toBe(401);
      const again = await loginForm(email, 'x', '198.19.0.6');
      expect(again.status).toBe(429);
      expect(text(await again.text())).toContain('2 giây');
      // A client with no failures is still checked at once.
      expect((await loginForm(email, 'x', '198.19.0.99')).status).toBe(401);
      // Once the delay has passed, the failing client is checked again.
      ctx.setNow(new Date(start.getTime() + 3 * 3_600_000 + 10_000));
      expect((await loginForm(email, 'x', '198.19.0.6')).status).toBe(401);
    } finally {
      ctx.setNow(start);
    }
  });

  it('a service-wide ceiling of 30 failures a minute makes failing clients wait for the next minute', async () => {
    const minute = new Date(start.getTime() + 4 * 3_600_000);
    ctx.setNow(minute);
    try {
      // 30 failures on 30 different accounts from 10 addresses (3 each: no pair or client lock).
      for (let i = 0; i < 30; i++) expect((await loginForm(`spray-${i}@ocop.demo`, 'x', `198.20.0.${(i % 10) + 1}`)).status).toBe(401);
      // A client that has failed this minute is refused, whatever account it tries …
      const refused = await loginForm('admin@ocop.demo', adminPassword, '198.20.0.1');
      expect(refused.status).toBe(429);
      // … a clean client is not: the ceiling never keeps the owner out.
      expect((await loginForm('admin@ocop.demo', adminPassword, '198.20.9.9')).status).toBe(303);
      ctx.setNow(new Date(minute.getTime() + 61_000));
      expect((await loginForm('admin@ocop.demo', adminPassword, '198.20.0.1')).status).toBe(303);
    } finally {
      ctx.setNow(start);
    }
  });

  it('IPv6 clients are counted by their /64 network, so fresh addresses in it are no fresh tries', async () => {
    ctx.setNow(new Date(start.getTime() + 5 * 3_600_000));
    try {
      const statuses: number[] = [];
      for (let i = 1; i <= 5; i++) statuses.push((await loginForm('v6@ocop.demo', 'x', `2001:db8:1:2::${i.toString(16)}`)).status);
      expect(statuses).toEqual([401, 401, 401, 401, 429]);
      expect((await loginForm('v6@ocop.demo', 'x', '2001:db8:1:2:ffff::1')).status).toBe(429);
      expect((await loginForm('v6@ocop.demo', 'x', '2001:db8:1:3::1')).status).toBe(401);
    } finally {
      ctx.setNow(start);
    }
  });

  it('locks an unknown email exactly like a known one', async () => {
    const responses: Response[] = [];
    for (let i = 0; i < 5; i++) responses.push(await loginForm('ghost@ocop.demo', 'x', '192.0.2.100'));
    expect(responses.map((r) => r.status)).toEqual([401, 401, 401, 401, 429]);
    expect(text(await responses[4]!.text())).toContain('Đăng nhập tạm bị khóa');
  });

  it('locks a client that tries many emails, with the same message', async () => {
    const client = '203.0.113.77';
    let last: Response | undefined;
    for (let i = 0; i < 20; i++) last = await loginForm(`spray${i}@ocop.demo`, 'x', client);
    expect(last!.status).toBe(429);
    const fresh = await loginForm('admin@ocop.demo', adminPassword, client);
    expect(fresh.status).toBe(429);
    // Another client is not affected.
    expect((await loginForm('admin@ocop.demo', adminPassword, '203.0.113.78')).status).toBe(303);
    // Client addresses are stored only as keyed hashes.
    const keys = await ctx.db.selectFrom('login_throttle').select('key').execute();
    expect(keys.some((k) => k.key.includes('203.0.113'))).toBe(false);
    expect(keys.some((k) => k.key.includes('ocop.demo'))).toBe(false);
  });

  it('a locked client gets no fresh attempts by sending a forged X-Forwarded-For', async () => {
    const client = '203.0.113.88';
    for (let i = 0; i < 20; i++) await loginForm(`guess${i}@ocop.demo`, 'x', client, { 'x-forwarded-for': `198.51.100.${i}` });
    for (const forged of ['198.51.100.200', '203.0.113.89']) {
      const again = await loginForm('admin@ocop.demo', adminPassword, client, { 'x-forwarded-for': forged, 'x-real-ip': forged, 'cf-connecting-ip': forged });
      expect(again.status, forged).toBe(429);
      expect(again.headers.get('set-cookie')).toBeNull();
    }
  });

  it('an admin can unlock an account, and that is audited', async () => {
    // A quiet minute of its own, away from the service-wide ceiling the tests above filled.
    ctx.setNow(new Date(start.getTime() + 6 * 3_600_000));
    onTestFinished(() => ctx.setNow(start));
    for (let i = 0; i < 5; i++) await loginForm('hamy@ocop.demo', 'nope', '192.0.2.200');
    const password = ctx.demo!.logins.find((l) => l.email === 'hamy@ocop.demo')!.password;
    expect((await loginForm('hamy@ocop.demo', password, '192.0.2.200')).status).toBe(429);
    const user = await ctx.db.selectFrom('users').select('id').where('email', '=', 'hamy@ocop.demo').executeTakeFirstOrThrow();
    const res = await postForm(ctx, `/admin/users/${user.id}/unlock`, await sessionFor(ctx, DEMO_EMAILS.province_admin));
    expect(res.status).toBe(303);
    expect((await loginForm('hamy@ocop.demo', password, '192.0.2.200')).status).toBe(303);
    const audit = await ctx.db.selectFrom('audit_log').select('entity_id').where('action', '=', 'user.unlock').execute();
    expect(audit.map((a) => a.entity_id)).toContain(String(user.id));
  });
});

describe('sessions', () => {
  it('slide: a cookie used within 30 minutes is renewed, an idle one expires', async () => {
    const cookie = await sessionFor(ctx, DEMO_EMAILS.auditor);
    ctx.setNow(new Date(start.getTime() + 20 * 60_000));
    try {
      const res = await get(ctx, '/admin/audit', cookie);
      expect(res.status).toBe(200);
      const renewed = cookieFrom(res);
      ctx.setNow(new Date(start.getTime() + 45 * 60_000));
      expect((await get(ctx, '/admin/audit', cookie)).status).toBe(303);
      expect((await get(ctx, '/admin/audit', renewed)).status).toBe(200);
      // Never beyond 12 hours after signing in, however busy.
      ctx.setNow(new Date(start.getTime() + 12 * 3_600_000 + 60_000));
      expect((await get(ctx, '/admin/audit', renewed)).status).toBe(303);
    } finally {
      ctx.setNow(start);
    }
  });

  it('sign-out ends the session at once, on every copy of the cookie', async () => {
    const cookie = await sessionFor(ctx, DEMO_EMAILS.area_officer);
    expect((await get(ctx, '/admin/producers', cookie)).status).toBe(200);
    const out = await postForm(ctx, '/admin/logout', cookie);
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/ocop_admin=;/);
    expect((await get(ctx, '/admin/producers', cookie)).status).toBe(303);
  });

  it('a role change or disabling takes effect on the next request', async () => {
    const officer = await ctx.db.selectFrom('users').selectAll().where('email', '=', DEMO_EMAILS.area_officer).executeTakeFirstOrThrow();
    const cookie = await sessionFor(ctx, DEMO_EMAILS.area_officer);
    expect((await get(ctx, '/admin/producers', cookie)).status).toBe(200);
    await updateUser(ctx.db, { userId: null, label: 'test' }, officer.id, { name: officer.name, role: 'auditor', areaUnitId: null, producerId: null, disabled: false });
    expect((await get(ctx, '/admin/producers', cookie)).status).toBe(303);
    const asAuditor = await sessionFor(ctx, DEMO_EMAILS.area_officer);
    expect((await get(ctx, '/admin/audit', asAuditor)).status).toBe(200);
    await updateUser(ctx.db, { userId: null, label: 'test' }, officer.id, { name: officer.name, role: 'auditor', areaUnitId: null, producerId: null, disabled: true });
    expect((await get(ctx, '/admin/audit', asAuditor)).status).toBe(303);
    await updateUser(ctx.db, { userId: null, label: 'test' }, officer.id, { name: officer.name, role: 'area_officer', areaUnitId: 'd-695', producerId: null, disabled: false });
  });

  it('refuses tampered tokens and tokens signed with another secret', async () => {
    const good = await sessionFor(ctx, DEMO_EMAILS.auditor);
    const [h, p, s] = good.slice('ocop_admin='.length).split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims, sub: '1' })).toString('base64url');
    expect((await get(ctx, '/admin/audit', `ocop_admin=${h}.${forgedPayload}.${s}`)).status).toBe(303);
    const user = await ctx.db.selectFrom('users').select(['id', 'session_version']).where('email', '=', DEMO_EMAILS.province_admin).executeTakeFirstOrThrow();
    const otherSecret = await signSession(crypto.getRandomValues(new Uint8Array(32)), { userId: user.id, version: user.session_version, authTime: Math.floor(start.getTime() / 1000) }, start);
    expect((await get(ctx, '/admin/audit', `ocop_admin=${otherSecret}`)).status).toBe(303);
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${p}.`;
    expect((await get(ctx, '/admin/audit', `ocop_admin=${none}`)).status).toBe(303);
    expect((await get(ctx, '/admin/audit', 'ocop_admin=garbage')).status).toBe(303);
  });

  it('a changed password ends other sessions but keeps the one that changed it', async () => {
    const email = 'pw@ocop.demo';
    const { hashPassword } = await import('../../admin/password');
    await ctx.db.insertInto('users').values({ email, name: 'PW', role: 'auditor', password_hash: await hashPassword('old-password-123') }).execute();
    const here = await sessionFor(ctx, email);
    const elsewhere = await sessionFor(ctx, email);
    const bad = await postForm(ctx, '/admin/account/password', here, { current: 'wrong', next: 'new-password-456', repeat: 'new-password-456' });
    expect(bad.status).toBe(400);
    expect(text(await bad.text())).toContain('Mật khẩu hiện tại không đúng');
    const short = await postForm(ctx, '/admin/account/password', here, { current: 'old-password-123', next: 'short', repeat: 'short' });
    expect(text(await short.text())).toContain('Ít nhất 12 ký tự');
    const res = await postForm(ctx, '/admin/account/password', here, { current: 'old-password-123', next: 'new-password-456', repeat: 'new-password-456' });
    expect(res.status).toBe(303);
    const renewed = cookieFrom(res);
    expect((await get(ctx, '/admin/account', renewed)).status).toBe(200);
    expect((await get(ctx, '/admin/account', elsewhere)).status).toBe(303);
    expect((await loginForm(email, 'new-password-456', '192.0.2.250')).status).toBe(303);
  });
});

describe('CSRF and headers', () => {
  it('refuses form posts from another origin or without one', async () => {
    const cookie = await sessionFor(ctx, DEMO_EMAILS.province_admin);
    const cross = await ctx.app.request('/admin/jobs/daily', { method: 'POST', headers: { cookie, origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(cross.status).toBe(403);
    const none = await ctx.app.request('/admin/jobs/daily', { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(none.status).toBe(403);
    const crossSite = await ctx.app.request('/admin/login', { method: 'POST', headers: { 'sec-fetch-site': 'cross-site', 'content-type': 'application/x-www-form-urlencoded' }, body: 'email=a%40b.c&password=x' });
    expect(crossSite.status).toBe(403);
    const sameSite = await ctx.app.request('/admin/jobs/daily', { method: 'POST', headers: { cookie, 'sec-fetch-site': 'same-origin', 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(sameSite.status).toBe(303);
    const configured = await ctx.app.request('/admin/jobs/daily', { method: 'POST', headers: { cookie, origin: 'https://ocop.test', 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(configured.status).toBe(303);
  });

  it('sends a strict CSP, no-store and no inline script or style on any page', async () => {
    const cookie = await sessionFor(ctx, DEMO_EMAILS.province_admin);
    for (const path of ['/admin/login', '/admin', '/admin/certificates', '/admin/certificates/1', '/admin/reports', '/admin/audit', '/admin/products/1', '/admin/batches/1', '/admin/keys']) {
      const res = await get(ctx, path, path === '/admin/login' ? undefined : cookie);
      expect(res.status, path).toBe(200);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("form-action 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('cache-control')).toBe('no-store');
      const html = await res.text();
      expect(html.startsWith('<!doctype html><html lang="vi">')).toBe(true);
      expect(html).toContain('name="viewport"');
      expect(html).not.toMatch(/<script/i);
      expect(html).not.toMatch(/\sstyle=/i);
      expect(html).not.toMatch(/<style/i);
    }
    const css = await get(ctx, '/admin/static/admin.css');
    expect(css.headers.get('content-type')).toContain('text/css');
  });

  it('uses a __Host- cookie with Secure on https', async () => {
    const secure = await createTestContext({ seed: true, now: start, config: { secureCookies: true } });
    try {
      const password = secure.demo!.logins.find((l) => l.role === 'auditor')!.password;
      const res = await secure.app.request('https://ocop.test/admin/login', {
        method: 'POST',
        headers: { origin: 'https://ocop.test', 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ email: 'kiemtra@ocop.demo', password }),
      });
      expect(res.status).toBe(303);
      const set = res.headers.get('set-cookie')!;
      expect(set).toMatch(/^__Host-ocop_admin=/);
      expect(set).toMatch(/Secure/);
      const cookie = set.split(';')[0]!;
      expect((await secure.app.request('https://ocop.test/admin/audit', { headers: { cookie } })).status).toBe(200);
      // A cookie without the prefix (planted by a sibling subdomain, say) is ignored.
      expect((await secure.app.request('https://ocop.test/admin/audit', { headers: { cookie: cookie.replace('__Host-', '') } })).status).toBe(303);
    } finally {
      await secure.close();
    }
  });
});

