import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKey } from '../../worker/codes/keyring';
import { revokeCertificates } from '../../worker/db/certificates';
import { syncSigningKeys } from '../../worker/db/keys';
import { REVOCATION_GROUNDS } from '../../worker/domain/vocabulary';
import type { OfflineDataset } from '../../worker/scanner/offline-check';
import { createTestContext, type TestContext } from '../helpers/app';
import { demoNumbers } from '../helpers/demo';

// What the offline scanner downloads and the page it runs in, on the seeded app.

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext({ seed: true });
});

afterAll(async () => {
  await ctx.close();
});

async function dataset(): Promise<OfflineDataset> {
  const res = await ctx.app.request('/api/v1/offline-dataset');
  expect(res.status).toBe(200);
  expect(res.headers.get('access-control-allow-origin')).toBe('*');
  return (await res.json()) as OfflineDataset;
}

describe('GET /api/v1/offline-dataset', () => {
  it('every certificate and batch of the database, with states, renewals and best-before dates', async () => {
    const d = await dataset();
    const certs = await ctx.db.selectFrom('certificates').select(['id', 'number', 'status', 'supersedes_id']).execute();
    const batches = await ctx.db.selectFrom('package_batches').select(['id', 'certificate_id', 'key_number', 'quantity', 'lot_code', 'best_before']).execute();
    expect(d.certificates.map((c) => c.number).sort()).toEqual(certs.map((c) => c.number).sort());
    expect(d.batches).toHaveLength(batches.length);
    expect(d.max_age_hours).toBe(24);
    expect(Math.abs(Date.parse(d.generated_at) - Date.now())).toBeLessThan(60_000);
    const revoked = d.certificates.find((c) => c.number === demoNumbers().matOng)!;
    expect(revoked.status).toBe('revoked');
    // A renewal is shown on the certificate it replaced.
    const renewal = certs.find((c) => c.supersedes_id !== null)!;
    const old = d.certificates.find((c) => c.id === renewal.supersedes_id)!;
    expect(old.superseded_by?.number).toBe(renewal.number);
    for (const b of batches) {
      expect(d.batches.find((x) => x.id === b.id)).toEqual({ id: b.id, certificate_id: b.certificate_id, key_number: b.key_number, quantity: b.quantity, lot_code: b.lot_code, best_before: b.best_before });
    }
  });

  it('keys: withdrawn ones stay, with their status, so their codes read "key withdrawn" offline', async () => {
    const entry = await ctx.keys.addPublic({ ...(await generateSigningKey(2)), d: undefined }, 'active');
    await syncSigningKeys(ctx.db, ctx.keys);
    ctx.keys.setStatus(entry.kid, 'withdrawn');
    const d = await dataset();
    expect(d.keys).toEqual([
      { kid: 'ocop-1', x: ctx.keys.get(1)!.publicJwk.x, status: 'active' },
      { kid: 'ocop-2', x: entry.publicJwk.x, status: 'withdrawn' },
    ]);
    // The JWKS drops it; the dataset must not, or the phone would call the codes forged.
    expect(((await (await ctx.app.request('/.well-known/jwks.json')).json()) as { keys: unknown[] }).keys).toHaveLength(1);
    // Private halves never leave the server.
    expect(JSON.stringify(d)).not.toMatch(/"d"/);
  });
});

describe('the dataset\'s feed cursor', () => {
  it('the feed from it holds no revocation the copy already has, and every one made after', async () => {
    const d = await dataset();
    const since = async () => ((await (await ctx.app.request(`/api/v1/revocations?since=${d.feed_cursor}`)).json()) as { events: { type: string; certificate_number: string }[] }).events.filter((e) => e.type === 'revoked');
    expect(await since()).toEqual([]);
    const target = await ctx.db.selectFrom('certificates').select(['id', 'number']).where('status', '=', 'active').orderBy('id').executeTakeFirstOrThrow();
    await revokeCertificates(ctx.db, { userId: null, label: 'test' }, [target.id], { decisionNumber: '99/QĐ-UBND', date: '2026-12-01', ground: REVOCATION_GROUNDS[0] }, new Date());
    expect((await since()).map((e) => e.certificate_number)).toEqual([target.number]);
    expect(d.certificates.find((c) => c.id === target.id)!.status).toBe('active');
    expect((await dataset()).certificates.find((c) => c.id === target.id)!.status).toBe('revoked');
  });
});

describe('the scanner page', () => {
  it('is the one page with a script: its own, from this origin, under a CSP that names no other origin', async () => {
    const res = await ctx.app.request('/kiem-tra-nhanh');
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval';");
    expect(csp).toContain("connect-src 'self';");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-inline|'unsafe-eval'|https?:|\*/);
    const html = await res.text();
    expect([...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])).toEqual(['<script type="module" src="/kiem-tra-nhanh/app.js">']);
    expect(html).toContain('<link rel="manifest" href="/kiem-tra-nhanh/manifest.webmanifest">');
    expect(html).toMatch(/<html lang="vi">/);
  });

  it('the CSV page and the API docs link to it; the scan page stays script-free', async () => {
    for (const p of ['/tra-cuu', '/api/docs']) expect(await (await ctx.app.request(p)).text(), p).toContain('href="/kiem-tra-nhanh"');
    expect((await ctx.app.request('/tra-cuu')).headers.get('content-security-policy')).not.toContain('script-src');
    expect((await ctx.app.request('/v/NOTACODE')).headers.get('content-security-policy')).not.toContain('script-src');
  });
});
