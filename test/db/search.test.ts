import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchCatalogue } from '../../worker/db/catalogue';
import { todayInVietnam } from '../../worker/domain/dates';
import { correctWord, editDistance, looseSpelling } from '../../worker/domain/fuzzy';
import { addFishSauceProduct } from '../helpers/demo';
import { createTestContext, type TestContext } from '../helpers/app';

// Search that forgives (issue 12): typos, missing accents, "cafe" for "cà phê", and places.
// Runs on PGlite (pg_trgm from @electric-sql/pglite/contrib) and, with TEST_DATABASE_URL, on
// Postgres, where the migration (as owner) created the extension the runtime role uses.

let ctx: TestContext;
const names = async (q: string) => (await searchCatalogue(ctx.db, { q }, todayInVietnam(ctx.deps.clock()))).items.map((i) => i.name);
const search = (q: string) => searchCatalogue(ctx.db, { q }, todayInVietnam(ctx.deps.clock()));

beforeAll(async () => {
  ctx = await createTestContext({ seed: true });
  // The demo data has no fish sauce; a producer of one, as the catalogue would hold it.
  await addFishSauceProduct(ctx.db);
});

afterAll(async () => {
  await ctx?.close();
});

describe('typo- and accent-tolerant catalogue search', () => {
  it('"hat deu" finds the roasted cashews and suggests "hạt điều"', async () => {
    const page = await search('hat deu');
    expect(page.items.slice(0, 3).map((i) => i.name)).toEqual(['Hạt điều rang muối', 'Hạt điều rang muối', 'Hạt điều rang muối']);
    expect(page.suggestion).toBe('hạt điều');
  });

  it('"cafe" and "ca fe" find both coffees, suggesting "cà phê"', async () => {
    for (const q of ['cafe', 'ca fe', 'CAFE', 'caphe']) {
      const page = await search(q);
      expect(page.items.map((i) => i.name).sort(), q).toEqual(['Cà phê Robusta', 'Cà phê nguyên chất Công'].sort());
    }
    expect((await search('cafe')).suggestion).toBe('cà phê');
  });

  it('"nuoc mam" finds fish sauce without accents; a slip ("nuoc mma", "nươc mam") too', async () => {
    expect(await names('nuoc mam')).toEqual(['Nước mắm cá cơm']);
    expect((await search('nuoc mam')).suggestion).toBeUndefined();
    expect(await names('nuoc mma')).toEqual(['Nước mắm cá cơm']);
    expect(await names('nươc mam')).toEqual(['Nước mắm cá cơm']);
  });

  it('places: "bình phước" finds products made there whose own text does not say it; "đồng phú" finds Hà Mỵ', async () => {
    const bp = await names('bình phước');
    expect(bp).toContain('Mít ruột đỏ PT79');
    expect(bp).toContain('Yến sào Nam Phú');
    // Today's province finds them too, through the merger's successor links.
    expect(await names('dong nai')).toContain('Mít ruột đỏ PT79');
    // The district's products first (Hà Mỵ, addressed in a commune of Đồng Phú), before those that only share a word with it.
    const dongPhu = await names('đồng phú');
    expect(dongPhu.slice(0, 3).sort()).toEqual(['Cà phê Robusta', 'Hạt điều rang muối', 'Kẹo điều'].sort());
  });

  it('exact matches are untouched (no suggestion), and nonsense finds nothing rather than something', async () => {
    const exact = await search('hat dieu');
    expect(exact.suggestion).toBeUndefined();
    expect(exact.items[0]!.name).toBe('Hạt điều rang muối');
    for (const q of ['xyzzy', 'qqqq wwww', 'hat xyzzy']) {
      const page = await search(q);
      expect(page.total, q).toBe(0);
      expect(page.suggestion, q).toBeUndefined();
    }
  });

  it('the public catalogue says "Có phải bạn muốn tìm" with a link to the corrected search', async () => {
    const res = await ctx.app.request('/products?q=hat+deu');
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('Có phải bạn muốn tìm:');
    expect(html).toContain(`href="/products?q=${encodeURIComponent('hạt điều')}"`);
    const en = await (await ctx.app.request('/products?q=cafe&lang=en')).text();
    expect(en).toContain('Did you mean:');
  });

  it('hostile queries stay answers: wildcards, long words, many words', async () => {
    for (const q of ['%%%', '_', `${'a'.repeat(100)}`, 'a b c d e f g h i j', "'; drop table products; --"]) {
      const res = await ctx.app.request(`/products?q=${encodeURIComponent(q)}`);
      expect(res.status, q).toBe(200);
    }
  });
});

describe('the correction rules (pure)', () => {
  it('spelling that sounds alike, one slip in a short word, two in a long one', () => {
    expect(looseSpelling('phe')).toBe('fe');
    expect(editDistance('deu', 'dieu')).toBe(1);
    expect(editDistance('dieu', 'deiu')).toBe(1);
    expect(correctWord('deu', new Set(), [{ word: 'dieu', similarity: 0.3 }, { word: 'dau', similarity: 0.3 }])).toBe('dieu');
    expect(correctWord('fe', new Set(), [{ word: 'phe', similarity: 1 }])).toBe('phe');
    // Two letters are too few to guess from by slips alone.
    expect(correctWord('xe', new Set(), [{ word: 'phe', similarity: 0.2 }])).toBeNull();
    expect(correctWord('cafe', new Set(), [{ word: 'ca phe', similarity: 0.4 }])).toBe('ca phe');
    expect(correctWord('rangmuoi', new Set(), [{ word: 'rang muoi', similarity: 0.5 }])).toBe('rang muoi');
  });
});
