import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLdScript } from '../../worker/public/json-ld';
import { createTestContext, type TestContext } from '../helpers/app';
import { demoNumbers } from '../helpers/demo';

/** Demo certificate numbers as seeded by this file's context (they carry their decision's year). */
const NOW = new Date('2026-06-01T03:00:00Z');
const N = demoNumbers(NOW);

// JSON-LD on the product and certificate pages: schema.org Product with its OCOP
// certification, plus the GS1 Web Vocabulary certification terms; safely embedded.

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext({ seed: true, now: NOW });
});

afterAll(async () => {
  await ctx.close();
});

type Node = Record<string, unknown>;

/** Every ld+json block of a page, parsed as JSON (a parse error fails the test). */
function blocks(html: string): Node[] {
  return [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) => JSON.parse(m[1]!) as Node);
}

async function certificate(number: string) {
  return ctx.db
    .selectFrom('certificates as c')
    .innerJoin('products as p', 'p.id', 'c.product_id')
    .innerJoin('producers as pr', 'pr.id', 'p.producer_id')
    .select(['c.number', 'c.stars', 'c.issuing_body', 'c.valid_from', 'c.valid_until', 'p.id as product_id', 'p.slug', 'p.name', 'pr.name as producer'])
    .where('c.number', '=', number)
    .executeTakeFirstOrThrow();
}

describe('JSON-LD', () => {
  it('certificate page: a Product with one Certification carrying the page facts in schema.org and GS1 terms', async () => {
    const c = await certificate(N.robusta);
    const html = await (await ctx.app.request(`/c/${N.robusta}`)).text();
    const [ld, ...rest] = blocks(html);
    expect(rest).toEqual([]);
    expect(ld!['@context']).toEqual({ '@vocab': 'https://schema.org/', gs1: 'https://gs1.org/voc/' });
    expect(ld!['@type']).toEqual(['Product', 'gs1:Product']);
    expect(ld!.name).toBe(c.name);
    expect(ld!.url).toBe(`https://ocop.test/p/${c.slug}`);
    expect((ld!.manufacturer as Node).name).toBe(c.producer);
    const certs = ld!.hasCertification as Node[];
    expect(certs).toHaveLength(1);
    expect(certs[0]).toMatchObject({
      '@type': ['Certification', 'gs1:CertificationDetails'],
      url: `https://ocop.test/c/${N.robusta}`,
      certificationIdentification: N.robusta,
      issuedBy: { name: c.issuing_body },
      validFrom: c.valid_from,
      expires: c.valid_until,
      certificationStatus: 'CertificationActive',
      certificationRating: { ratingValue: c.stars, bestRating: 5 },
      'gs1:certificationAgency': c.issuing_body,
      'gs1:certificationValue': String(c.stars),
      'gs1:certificationStartDate': c.valid_from,
      'gs1:certificationEndDate': c.valid_until,
      'gs1:certificationStatus': 'ACTIVE',
    });
    expect(String(certs[0]!['gs1:certificationStandard'])).toContain('OCOP');
  });

  it('revoked and superseded certificates say so', async () => {
    const revoked = blocks(await (await ctx.app.request(`/c/${N.matOng}`)).text())[0]!;
    expect((revoked.hasCertification as Node[])[0]).toMatchObject({ certificationStatus: 'CertificationInactive', 'gs1:certificationStatus': 'REVOKED' });
    const superseded = blocks(await (await ctx.app.request(`/c/${N.haMyOld}`)).text())[0]!;
    expect((superseded.hasCertification as Node[])[0]).toMatchObject({ 'gs1:certificationStatus': 'SUPERSEDED' });
  });

  it('product page: every certificate of the history, and the GTIN with its Digital Link when the product has one', async () => {
    const c = await certificate(N.haMyOld);
    await ctx.db.updateTable('products').set({ gtin: '8930000000019' }).where('id', '=', c.product_id).execute();
    const html = await (await ctx.app.request(`/p/${c.slug}`)).text();
    const ld = blocks(html)[0]!;
    expect(ld.gtin).toBe('08930000000019');
    expect(ld['gs1:gtin']).toBe('08930000000019');
    expect(ld.hasGS1DigitalLink).toBe('https://ocop.test/01/08930000000019');
    const numbers = (ld.hasCertification as Node[]).map((n) => n.certificationIdentification);
    const expected = await ctx.db.selectFrom('certificates').select('number').where('product_id', '=', c.product_id).execute();
    expect(numbers.sort()).toEqual(expected.map((r) => r.number).sort());
    expect(numbers).toContain(N.haMyOld);
  });

  it('a name with </script> or <!-- cannot end the block: the JSON still parses to the same text', async () => {
    const c = await certificate(N.robusta);
    const evil = 'Mật ong </script><script>alert(1)</script> <!-- & \u2028';
    await ctx.db.updateTable('products').set({ name: evil }).where('id', '=', c.product_id).execute();
    const html = await (await ctx.app.request(`/c/${N.robusta}`)).text();
    expect(html).not.toContain('<script>alert(1)');
    const ld = blocks(html)[0]!;
    expect(ld.name).toBe(evil);
    const script = jsonLdScript({ name: evil });
    expect(script.match(/<\/script>/g)).toHaveLength(1);
    expect(script).not.toMatch(/<!--|&/);
  });
});
