import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCode } from '../../worker/codes/format';
import { signPackageCode } from '../../worker/codes/sign';
import { createTestContext, type TestContext } from '../helpers/app';

// Random and mutated codes through the real HTTP routes: no 5xx, and "genuine" only for a
// code that is, after case folding, exactly one this service signed for an issued package.

let ctx: TestContext;
const genuine = new Set<string>();
const seeds: string[] = [];
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

beforeAll(async () => {
  ctx = await createTestContext({ seed: true });
  const batches = await ctx.db.selectFrom('package_batches').select(['id', 'quantity']).execute();
  for (const b of batches) {
    for (const serial of [1, 2, b.quantity]) {
      const code = await signPackageCode(ctx.keys, b.id, serial);
      genuine.add(code);
      seeds.push(code);
    }
  }
});

afterAll(async () => {
  await ctx.deps.scans.log.drain();
  await ctx.close();
});

/** A code this service signed, if the input (as the route will read it) is one. */
function signedCodeIn(input: string): string | null {
  const parsed = parseCode(input);
  return parsed.ok && genuine.has(parsed.code) ? parsed.code : null;
}

function mutated(): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(130), fc.constantFrom(...BASE32, 'a', 'z', '0', '1', '8', '9', '=', '-', 'ı', 'ſ', ' ', '/', '%')), { minLength: 1, maxLength: 4 }), fc.boolean(), fc.boolean())
    .map(([code, edits, lower, truncate]) => {
      const chars = [...code];
      for (const [at, ch] of edits) chars[at % chars.length] = ch;
      let out = chars.join('');
      if (lower) out = out.toLowerCase();
      if (truncate) out = out.slice(0, 118);
      return out;
    });
}

// Built lazily: the seed codes exist only after beforeAll.
function anyText(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.string({ unit: fc.constantFrom(...BASE32), minLength: 110, maxLength: 125 }),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.string({ minLength: 600, maxLength: 3000 }),
    mutated(),
    mutated(),
  );
}

function pathFor(text: string): string {
  return `/v/${encodeURIComponent(text)}`;
}

describe('random and mutated codes through the scan page and the API', () => {
  it('never answer 5xx and never say genuine for a code that was not signed for an issued package', async () => {
    await fc.assert(
      fc.asyncProperty(anyText(), fc.boolean(), async (text, upperRoute) => {
        if (text.length === 0) return;
        const allowed = signedCodeIn(text) !== null;
        const page = await ctx.app.request(upperRoute ? pathFor(text).replace('/v/', '/V/') : pathFor(text));
        expect(page.status).toBeLessThan(500);
        const html = await page.text();
        const saysGenuine = html.includes('Sản phẩm OCOP chính hãng</h1>');
        if (!allowed) expect(saysGenuine).toBe(false);
        if (text.length <= 1000) {
          const api = await ctx.app.request(`/api/v1/verify?code=${encodeURIComponent(text)}`);
          expect(api.status).toBeLessThan(500);
          if (api.status === 200) {
            const { result } = (await api.json()) as { result: { verdict: string; kind: string } };
            if (result.kind === 'package' && !allowed) expect(result.verdict).not.toBe('genuine');
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('bulk verification of mutated codes: no false genuine, results in order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(mutated(), fc.constantFrom(...seeds)), { minLength: 1, maxLength: 40 }), async (codes) => {
        const res = await ctx.app.request('/api/v1/verify', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ codes }) });
        expect(res.status).toBe(200);
        const { results } = (await res.json()) as { results: { input: string; verdict: string; kind: string }[] };
        expect(results).toHaveLength(codes.length);
        results.forEach((r, i) => {
          expect(r.input).toBe(codes[i]!.slice(0, 200));
          if (r.kind === 'package' && r.verdict === 'genuine') expect(signedCodeIn(codes[i]!)).not.toBeNull();
          // And the other way round: a code we signed is never called a fake.
          if (signedCodeIn(codes[i]!) !== null) expect(r.verdict).not.toBe('not_genuine');
        });
      }),
      { numRuns: 60 },
    );
  });
});
