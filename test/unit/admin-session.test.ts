import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { SESSION_IDLE_SECONDS, SESSION_MAX_SECONDS, shouldRefresh, signSession, verifySession } from '../../admin/session';

const secret = new TextEncoder().encode('a test secret of at least 32 bytes!!');
const t0 = new Date('2026-03-10T03:00:00Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const authTime = Math.floor(t0.getTime() / 1000);

describe('admin session tokens', () => {
  it('round-trip user, session version and sign-in time', async () => {
    const token = await signSession(secret, { userId: 7, version: 3, authTime }, t0);
    expect(await verifySession(secret, token, at(10))).toEqual({ userId: 7, version: 3, authTime, issuedAt: authTime });
  });

  it('expire 30 minutes after they were issued', async () => {
    const token = await signSession(secret, { userId: 7, version: 3, authTime }, t0);
    expect(await verifySession(secret, token, at(SESSION_IDLE_SECONDS - 1))).not.toBeNull();
    expect(await verifySession(secret, token, at(SESSION_IDLE_SECONDS))).toBeNull();
  });

  it('never outlive 12 hours from sign-in, however often renewed', async () => {
    const late = at(SESSION_MAX_SECONDS - 60);
    const token = await signSession(secret, { userId: 7, version: 3, authTime }, late);
    expect(await verifySession(secret, token, at(SESSION_MAX_SECONDS - 30))).not.toBeNull();
    expect(await verifySession(secret, token, at(SESSION_MAX_SECONDS + 1))).toBeNull();
  });

  it('are refreshed only after a minute', async () => {
    const token = await signSession(secret, { userId: 7, version: 3, authTime }, t0);
    const claims = (await verifySession(secret, token, at(5)))!;
    expect(shouldRefresh(claims, at(30))).toBe(false);
    expect(shouldRefresh(claims, at(61))).toBe(true);
  });

  it('refuse other secrets, other audiences, other algorithms, odd claims and garbage', async () => {
    const token = await signSession(secret, { userId: 7, version: 3, authTime }, t0);
    expect(await verifySession(new TextEncoder().encode('another secret of at least 32 bytes'), token, at(1))).toBeNull();
    const sign = (claims: Record<string, unknown>, alg = 'HS256') =>
      new SignJWT(claims).setProtectedHeader({ alg }).setIssuedAt(authTime).setExpirationTime(authTime + 600).sign(alg === 'HS256' ? secret : new TextEncoder().encode('x'.repeat(64)));
    expect(await verifySession(secret, await sign({ sub: '7', sv: 3, auth: authTime }), at(1))).toBeNull(); // no audience
    expect(await verifySession(secret, await sign({ sub: '7', sv: 3, auth: authTime, aud: 'ocop-admin' }, 'HS512'), at(1))).toBeNull();
    expect(await verifySession(secret, await sign({ sub: 'admin', sv: 3, auth: authTime, aud: 'ocop-admin' }), at(1))).toBeNull();
    expect(await verifySession(secret, await sign({ sub: '7', sv: '3', auth: authTime, aud: 'ocop-admin' }), at(1))).toBeNull();
    expect(await verifySession(secret, await sign({ sub: '7', sv: 3, aud: 'ocop-admin' }), at(1))).toBeNull();
    expect(await verifySession(secret, await sign({ sub: '7', sv: 3, auth: authTime, aud: 'ocop-admin' }), at(1))).not.toBeNull();
    for (const junk of ['', 'a.b.c', token.slice(0, -2), `${token}x`]) expect(await verifySession(secret, junk, at(1))).toBeNull();
  });
});
