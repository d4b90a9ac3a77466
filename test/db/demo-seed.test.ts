import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mayRecognise } from '../../worker/domain/bodies';
import { todayInVietnam } from '../../worker/domain/dates';
import type { Stars } from '../../worker/domain/stars';
import { BNN, BNNMT, DEMO_PRODUCERS, DEMO_PRODUCTS, demoCertificateNumber, MERGER_DATE, MINISTRY_RENAMED, UBND_BP, UBND_DN } from '../../worker/seed/demo-data';
import { createTestContext, type TestContext } from '../helpers/app';

// The demo data is what the README sends officials to look at (issue 12): every decision is
// issued by a body that existed on its date, and numbers and texts agree with the dates.

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext({ seed: true });
});

afterAll(async () => {
  await ctx.close();
});

async function seededCertificates() {
  return ctx.db
    .selectFrom('certificates as c')
    .innerJoin('products as p', 'p.id', 'c.product_id')
    .innerJoin('producers as pr', 'pr.id', 'p.producer_id')
    .select(['c.number', 'c.stars', 'c.decision_date', 'c.decision_number', 'c.issuing_body', 'c.issuing_level', 'c.status', 'c.valid_until', 'p.slug', 'p.name as product_name', 'p.description', 'pr.name as producer_name'])
    .orderBy('c.id')
    .execute();
}

describe('demo seed facts', () => {
  it('has every decision issued by a body that existed on its date, at a level allowed to recognise its stars', async () => {
    const certs = await seededCertificates();
    expect(certs.length).toBeGreaterThan(15);
    for (const c of certs) {
      const where = `${c.number} (${c.decision_date})`;
      expect(mayRecognise(c.issuing_level, c.stars as Stars, c.decision_date), where).toBe(true);
      if (c.issuing_level === 'national') {
        expect(c.stars, where).toBe(5);
        expect(c.issuing_body, where).toBe(c.decision_date >= MINISTRY_RENAMED ? BNNMT : BNN);
      } else if (c.decision_date >= MERGER_DATE) {
        // Bình Phước ceased to exist on 1 July 2025; its districts with it.
        expect(c.issuing_body, where).toBe(UBND_DN);
        expect(c.issuing_level, where).toBe('province');
      } else if (c.issuing_level === 'province') {
        expect(c.issuing_body, where).toBe(UBND_BP);
      }
      expect(c.issuing_body, where).not.toMatch(c.decision_date >= MERGER_DATE ? /Bình Phước|Phát triển nông thôn|huyện/ : /Đồng Nai/);
    }
  });

  it('gives numbers the year of their own decision, and Đồng Nai numbers only after the merger', async () => {
    for (const c of await seededCertificates()) {
      const years = c.number.match(/(?<!\d)(20\d\d)(?!\d)/g) ?? [];
      for (const y of years) expect(y, `${c.number} decided ${c.decision_date}`).toBe(c.decision_date.slice(0, 4));
      if (c.number.startsWith('DN-')) expect(c.decision_date >= MERGER_DATE, c.number).toBe(true);
      if (c.number.startsWith('BP-')) expect(c.decision_date < MERGER_DATE, c.number).toBe(true);
      // The decision number's suffix names the body that signed it.
      expect(c.decision_number, c.number).toMatch(c.issuing_level === 'national' ? (c.issuing_body === BNNMT ? /QĐ-BNNMT$/ : /QĐ-BNN$/) : /QĐ-UBND$/);
    }
  });

  it('claims in product texts no stars or year that the certificate history contradicts', async () => {
    const certs = await seededCertificates();
    for (const p of DEMO_PRODUCTS) {
      const history = certs.filter((c) => c.slug === p.slug);
      const claimed = /(\d) sao/.exec(p.description)?.[1];
      if (claimed) {
        // A text that names stars: the first certificate that has them is where the claim starts.
        const first = history.find((c) => String(c.stars) === claimed);
        expect(first, `${p.slug} claims ${claimed} sao`).toBeDefined();
        const year = /\((\d{4})\)/.exec(p.description)?.[1];
        if (year) expect(first!.decision_date.slice(0, 4), p.slug).toBe(year);
      }
    }
  });

  it('marks every illustrative producer and product as such, and keeps the unfavourable states on them', async () => {
    for (const p of DEMO_PRODUCERS.filter((x) => x.illustrative)) expect(p.name).toContain('(minh họa)');
    const illustrative = new Set(DEMO_PRODUCERS.filter((x) => x.illustrative).map((x) => x.key));
    for (const p of DEMO_PRODUCTS) {
      if (illustrative.has(p.producer)) expect(p.name, p.slug).toContain('(minh họa)');
      const unfavourable = p.renewalReceivedDaysAgo !== undefined || p.certificates.some((c) => c.revoke);
      if (unfavourable) expect(illustrative.has(p.producer), p.slug).toBe(true);
    }
  });

  it('seeds a renewal-pending certificate and a lot past its best-before date under a valid certificate', async () => {
    const today = todayInVietnam(new Date());
    const pending = await ctx.db
      .selectFrom('renewal_applications as ra')
      .innerJoin('certificates as c', 'c.id', 'ra.certificate_id')
      .select(['c.number', 'c.valid_until', 'c.status', 'ra.received_on'])
      .where('ra.refused_on', 'is', null)
      .execute();
    expect(pending).toHaveLength(1);
    expect(pending[0]!.number).toBe(demoCertificateNumber('banh-trang-phoi-suong-phu-rieng', today));
    expect(pending[0]!.status).toBe('active');
    expect(pending[0]!.valid_until < today).toBe(true);
    const stale = await ctx.db
      .selectFrom('package_batches as b')
      .innerJoin('certificates as c', 'c.id', 'b.certificate_id')
      .select(['b.lot_code', 'c.number'])
      .where('b.best_before', '<', today)
      .where('c.status', '=', 'active')
      .where('c.valid_until', '>=', today)
      .execute();
    expect(stale.map((s) => s.lot_code)).toEqual(['MD-02']);
  });
});
