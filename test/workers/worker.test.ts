import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { KeyRing } from '../../worker/codes/keyring';
import { signPackageCode } from '../../worker/codes/sign';

// Runs inside workerd: the real Worker entry, postgres.js over Workers TCP sockets, a
// database prepared by scripts/test-workers-db.ts (migrated + demo seed).
const worker = (exports as unknown as { default: { fetch(input: string, init?: RequestInit): Promise<Response> } }).default;
const bindings = env as unknown as { SIGNING_KEYS: string };

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
    const res = await worker.fetch('https://ocop.example.vn/api/v1/certificates/BP-OCOP-5S-2023-001');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ verdict: 'genuine', certificate: { number: 'BP-OCOP-5S-2023-001', status: 'active' } });
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
});
