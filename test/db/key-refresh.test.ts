import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKey, KeyRing } from '../../worker/codes/keyring';
import { signPackageCode } from '../../worker/codes/sign';
import { issueBatch } from '../../worker/db/batches';
import { syncSigningKeys } from '../../worker/db/keys';
import { createTestContext, type TestContext } from '../helpers/app';
import { demoNumbers } from '../helpers/demo';

/** Demo certificate numbers as seeded by this file's context (they carry their decision's year). */
const N = demoNumbers();

// A key added elsewhere (`ocop keys rotate`, the CLI, another server) reaches a running
// server from the database, public half only, without a restart; a withdrawal too.
let ctx: TestContext;
beforeAll(async () => {
  // TTL 0: every request re-reads key statuses, so the test needs no waiting.
  ctx = await createTestContext({ seed: true, config: { cacheTtlSeconds: 0 } });
});
afterAll(async () => ctx?.close());

describe('keys made elsewhere', () => {
  it('verifies codes of a key another process registered, lists it in the JWKS, and drops it when withdrawn', async () => {
    // Another install's process (here: the CLI's key file after `keys rotate`) registers its
    // key and issues a batch under it, as `ocop batch issue` does.
    const other = await KeyRing.fromJwkSet({ keys: [await generateSigningKey(2)] });
    const cert = await ctx.db.selectFrom('certificates').select('id').where('number', '=', N.haMy5).executeTakeFirstOrThrow();
    // Warm this server's view first: it has not seen ocop-2.
    expect((await ctx.app.request('/.well-known/jwks.json')).status).toBe(200);
    expect(ctx.keys.get(2)).toBeUndefined();
    await syncSigningKeys(ctx.db, other);
    const batch = await issueBatch(ctx.db, { userId: null, label: 'cli' }, { certificateId: cert.id, lotCode: 'ROT-1', productionDate: '2026-01-05', bestBefore: null, quantity: 5 }, other, new Date());
    expect(batch.key_number).toBe(2);
    const code = await signPackageCode(other, batch.id, 3);
    const after = (await (await ctx.app.request(`/api/v1/verify?code=${code}`)).json()) as { result: { verdict: string } };
    expect(after.result.verdict).toBe('genuine');
    const jwks = (await (await ctx.app.request('/.well-known/jwks.json')).json()) as { keys: { kid: string; d?: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toEqual(expect.arrayContaining(['ocop-1', 'ocop-2']));
    expect(jwks.keys.every((k) => k.d === undefined)).toBe(true);
    // The server learnt only the public half: it still signs with its own key.
    expect(ctx.keys.signer().kid).toBe('ocop-1');

    await ctx.db.updateTable('signing_keys').set({ status: 'withdrawn', withdrawn_reason: 'test' }).where('kid', '=', 'ocop-2').execute();
    const withdrawn = (await (await ctx.app.request(`/api/v1/verify?code=${code}`)).json()) as { result: { verdict: string } };
    expect(withdrawn.result.verdict).toBe('key_withdrawn');
  });
});
