import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPackageCode } from '../../worker/codes/sign';
import { createTestContext, type TestContext } from '../helpers/app';
import { type Document, expectDocumentedAnswer, resolved, schemaValidator } from '../helpers/openapi';

// The retailer API carries `copy_suspected` when a package's scan history looks like a copied
// label (the scan page's rule, looksCopied: people, not page loads). Scans are made through
// the real scan page, each "phone" a different socket address, so the daily client hash the
// page stores is what tells people apart. API checks only read the summary: never counted.

let ctx: TestContext;
let batchId: number;
let doc: Document;

/** A scan from one phone: the page's own request, with `address` as the socket peer. */
async function scanFrom(code: string, address: string): Promise<string> {
  const res = await ctx.app.request(`/v/${code}`, {}, { incoming: { socket: { remoteAddress: address } } });
  expect(res.status).toBe(200);
  const html = await res.text();
  await ctx.deps.scans.log.drain();
  return html;
}

interface Item { verdict: string; warnings: string[] }

async function apiWarnings(code: string): Promise<string[]> {
  const res = await ctx.app.request(`/api/v1/verify?code=${encodeURIComponent(code)}`);
  const body = (await expectDocumentedAnswer(doc.paths['/api/v1/verify']!.get!, res, 'GET /api/v1/verify', compile)) as { result: Item };
  expect(body.result.verdict).toBe('genuine');
  return body.result.warnings;
}

async function scansOf(serial: number): Promise<number> {
  const row = await ctx.db.selectFrom('scan_packages').select('scans').where('batch_id', '=', batchId).where('serial', '=', serial).executeTakeFirst();
  return Number(row?.scans ?? 0);
}

const compile = schemaValidator();

beforeAll(async () => {
  ctx = await createTestContext({ seed: true });
  batchId = (await ctx.db.selectFrom('package_batches').select('id').where('lot_code', '=', 'HM-RM-01').executeTakeFirstOrThrow()).id;
  doc = await resolved((await (await ctx.app.request('/api/openapi.json')).json()) as Document);
}, 180_000);

afterAll(async () => {
  await ctx.deps.scans.log.drain();
  await ctx.close();
});

describe('copy_suspected in the retailer API', () => {
  it('is documented as a warning in the OpenAPI document', () => {
    const warnings = JSON.stringify(doc.paths['/api/v1/verify']!.get!.responses['200']);
    expect(warnings).toContain('copy_suspected');
  });

  it('a package scanned by many distinct phones gets the flag from the scan past the threshold (10 people in a day), and API checks are not counted', async () => {
    const code = await signPackageCode(ctx.keys, batchId, 101);
    for (let i = 1; i <= 9; i++) await scanFrom(code, `198.51.100.${i}`);
    // Nine people today: a shop, a family, a few gifts. No flag.
    expect(await apiWarnings(code)).not.toContain('copy_suspected');
    const before = await scansOf(101);
    expect(before).toBe(9);
    await scanFrom(code, '198.51.100.10');
    expect(await apiWarnings(code)).toEqual(['copy_suspected']);
    // The same facts in bulk, beside the other warnings, and valid against the document.
    const res = await ctx.app.request('/api/v1/verify', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ codes: [code, await signPackageCode(ctx.keys, batchId, 102)] }) });
    const bulk = (await expectDocumentedAnswer(doc.paths['/api/v1/verify']!.post!, res, 'POST /api/v1/verify', compile)) as { results: Item[] };
    expect(bulk.results.map((r) => r.warnings.includes('copy_suspected'))).toEqual([true, false]);
    // Three API checks above (and the bulk one) changed nothing in the package's history.
    expect(await scansOf(101)).toBe(10);
  });

  it('one phone reloading the page 50 times is one person: no flag, on the API or the page', async () => {
    const code = await signPackageCode(ctx.keys, batchId, 103);
    let page = '';
    for (let i = 0; i < 50; i++) page = await scanFrom(code, '203.0.113.50');
    expect(await scansOf(103)).toBe(50);
    expect(await apiWarnings(code)).toEqual([]);
    expect(page).not.toContain('nhãn này có thể bị sao chép');
  });

  it('a package never scanned has no flag; a forged code carries no warnings at all', async () => {
    const code = await signPackageCode(ctx.keys, batchId, 104);
    expect(await apiWarnings(code)).toEqual([]);
    const forged = code.slice(0, 60) + (code[60] === 'A' ? 'B' : 'A') + code.slice(61);
    const res = await ctx.app.request(`/api/v1/verify?code=${encodeURIComponent(forged)}`);
    const body = (await res.json()) as { result: Item };
    expect(body.result.verdict).toBe('not_genuine');
    expect(body.result.warnings).toEqual([]);
  });
});
