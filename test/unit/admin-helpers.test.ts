import { describe, expect, it } from 'vitest';
import { csvDownload, csvLine } from '../../admin/csv';
import { safeNext } from '../../admin/pages/session-pages';
import { can, homePath, PERMISSIONS } from '../../admin/permissions';
import { generateApiToken, hashApiToken, looksLikeApiToken, throttleKey } from '../../admin/secrets';
import { foldVietnamese, slugify } from '../../worker/domain/search';
import { containsPattern } from '../../worker/db/catalogue';
import { scopeFor } from '../../worker/db/scope';
import { ROLES } from '../../worker/domain/vocabulary';

describe('search folding', () => {
  it.each([['Hạt Điều Rang Muối', 'hat dieu rang muoi'], ['ĐỒNG PHÚ', 'dong phu'], ['Ha\u0300 My\u0323', 'ha my'], ['Yến sào', 'yen sao']])(
    'drops Vietnamese diacritics and case, both precomposed and decomposed: %s',
    (input, folded) => expect(foldVietnamese(input)).toBe(folded),
  );

  it('takes LIKE wildcards literally', () => {
    expect(containsPattern('50%_a\\b')).toBe('%50\\%\\_a\\\\b%');
  });

  it('makes product slugs', () => {
    expect(slugify('Hạt điều rang muối (túi 500g)')).toBe('hat-dieu-rang-muoi-tui-500g');
    expect(slugify('!!!')).toBe('san-pham');
    expect(slugify('a'.repeat(100)).length).toBeLessThanOrEqual(60);
  });
});

describe('permissions', () => {
  it('name every role for every permission from the four roles only', () => {
    for (const roles of Object.values(PERMISSIONS)) for (const r of roles) expect(ROLES).toContain(r);
    expect(can(null, 'account.self')).toBe(false);
    expect(can({ role: 'area_officer' }, 'certificates.view')).toBe(false);
    expect(can({ role: 'producer' }, 'labels.download')).toBe(true);
    expect(can({ role: 'auditor' }, 'labels.download')).toBe(false);
    expect(homePath('producer')).toBe('/admin/products');
    expect(homePath('auditor')).toBe('/admin');
  });

  it('give each role its scope, and a scoped role without its scope nothing', () => {
    expect(scopeFor({ role: 'province_admin', areaUnitId: null, producerId: null })).toEqual({ kind: 'all' });
    expect(scopeFor({ role: 'area_officer', areaUnitId: 'd-695', producerId: null })).toEqual({ kind: 'area', unitId: 'd-695' });
    expect(scopeFor({ role: 'area_officer', areaUnitId: null, producerId: null })).toEqual({ kind: 'none' });
    expect(scopeFor({ role: 'producer', areaUnitId: null, producerId: 3 })).toEqual({ kind: 'producer', producerId: 3 });
    expect(scopeFor({ role: 'producer', areaUnitId: null, producerId: null })).toEqual({ kind: 'none' });
  });
});

describe('secrets', () => {
  it('makes API tokens of 256 random bits and hashes them', async () => {
    const a = generateApiToken();
    const b = generateApiToken();
    expect(a).not.toBe(b);
    expect(looksLikeApiToken(a)).toBe(true);
    expect(looksLikeApiToken(`${a}x`)).toBe(false);
    expect(await hashApiToken(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(await hashApiToken(a)).toBe(await hashApiToken(a));
  });

  it('keys the throttle by a keyed hash that depends on the secret', async () => {
    const s1 = new TextEncoder().encode('secret one secret one secret one!');
    const s2 = new TextEncoder().encode('secret two secret two secret two!');
    const k = await throttleKey(s1, 'account', 'a@b.vn');
    expect(k).toMatch(/^account:[0-9a-f]{40}$/);
    expect(k).not.toContain('a@b.vn');
    expect(await throttleKey(s2, 'account', 'a@b.vn')).not.toBe(k);
    expect(await throttleKey(s1, 'client', 'a@b.vn')).not.toBe(k);
  });
});

describe('redirect after sign-in', () => {
  it('only ever goes to an admin page on this site', () => {
    expect(safeNext('/admin/audit?x=1')).toBe('/admin/audit?x=1');
    for (const bad of [undefined, '', '//evil.example/admin', 'https://evil.example/admin', '/admin\\@evil', '/admin/login', '/admin/logout', '/public']) expect(safeNext(bad)).toBeNull();
  });
});

describe('CSV export', () => {
  it('quotes what needs quoting and neutralises formulas', () => {
    expect(csvLine(['a', 1, null, true, 'x,y', 'say "hi"'])).toBe('a,1,,true,"x,y","say ""hi"""\r\n');
    expect(csvLine(['=HYPERLINK("http://x")', '+1', '-2', '@SUM(A1)'])).toBe(`"'=HYPERLINK(""http://x"")","'+1","'-2","'@SUM(A1)"\r\n`);
    expect(csvLine([-2])).toBe('-2\r\n'); // numbers stay numbers
  });

  it('streams with a BOM and tells the caller when it is finished', async () => {
    let finished: Promise<void> | undefined;
    async function* rows() {
      for (let i = 0; i < 3000; i++) yield [i, `Sản phẩm ${i}`];
    }
    const res = csvDownload('a b.csv', ['n', 'name'], rows(), (f) => (finished = f));
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="a_b.csv"');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const body = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    expect(body.startsWith('\uFEFFn,name\r\n0,Sản phẩm 0\r\n')).toBe(true);
    expect(body.trim().split('\r\n').length).toBe(3001);
    await expect(finished).resolves.toBeUndefined();
  });
});
