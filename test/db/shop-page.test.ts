import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKey, KeyRing } from '../../worker/codes/keyring';
import { signPackageCode } from '../../worker/codes/sign';
import { CSV_HEADER_VI } from '../../worker/api/shop-results';
import { addDays } from '../../worker/domain/dates';
import { createTestContext, type TestContext } from '../helpers/app';
import { parseCsv } from '../helpers/csv';
import { demoNumbers } from '../helpers/demo';

/** Demo certificate numbers as seeded by this file's context (they carry their decision's year). */
const N = demoNumbers();

// The CSV page (/tra-cuu) as a shop uses it on a phone: one card per row with the reason
// for every "not verified" in plain Vietnamese, expiring and renewal shown, and the results
// as a Vietnamese CSV for people and a machine-keyed CSV for software.

let ctx: TestContext;
let genuine: string;
let altered: string;
let foreignKey: string;
let expiringUntil: string;

beforeAll(async () => {
  ctx = await createTestContext({ seed: true });
  const batch = await ctx.db.selectFrom('package_batches').select('id').where('lot_code', '=', 'HM-RM-01').executeTakeFirstOrThrow();
  genuine = await signPackageCode(ctx.keys, batch.id, 3);
  altered = genuine.slice(0, 100) + (genuine[100] === 'A' ? 'B' : 'A') + genuine.slice(101);
  const other = await KeyRing.fromJwkSet({ keys: [await generateSigningKey(9)] });
  foreignKey = await signPackageCode(other, batch.id, 3);
  // Put the clock 10 days before the Robusta certificate ends: it is "expiring", with no renewal.
  const cert = await ctx.db.selectFrom('certificates').select('valid_until').where('number', '=', N.robusta).executeTakeFirstOrThrow();
  expiringUntil = cert.valid_until;
  ctx.setNow(new Date(`${addDays(cert.valid_until, -10)}T03:00:00Z`));
});

afterAll(async () => {
  await ctx.close();
});

function post(list: string[], format: 'html' | 'csv' | 'csv-machine', lang: 'vi' | 'en' = 'vi') {
  return ctx.app.request(`/tra-cuu${lang === 'en' ? '?lang=en' : ''}`, { method: 'POST', body: new URLSearchParams({ list: list.join('\n'), format }) });
}


/** The result cards of a page: class and text without tags. */
function cards(html: string): { tone: string; text: string; why: string | null }[] {
  return [...html.matchAll(/<li class="result (ok|warn|bad)">([\s\S]*?)<\/li>/g)].map((m) => ({
    tone: m[1]!,
    text: m[2]!.replace(/<[^>]+>/g, '').replace(/&#39;|&quot;|&amp;/g, (e) => ({ '&#39;': "'", '&quot;': '"', '&amp;': '&' })[e]!),
    why: /<p class="why">([^<]*)<\/p>/.exec(m[2]!)?.[1] ?? null,
  }));
}

const LIST = () => [genuine, N.robusta, N.haMyOld, N.matOng, '70-31-2021', altered, foreignKey, 'BP-OCOP-NOPE-1', 'xyz-%%%-1'];

describe('/tra-cuu results on a phone', () => {
  it('one card per row, never a table; the reason for every "not verified" in plain Vietnamese', async () => {
    const res = await post(LIST(), 'html');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain('<table');
    expect(html).not.toContain('break-all');
    const list = cards(html);
    expect(list).toHaveLength(LIST().length);
    const [pkg, expiring, superseded, revoked, expired, alteredCard, foreign, unknown, junk] = list;
    expect(pkg!.tone).toBe('ok');
    expect(pkg!.why).toBeNull();
    expect(revoked!.why).toMatch(/^Bị thu hồi theo quyết định số .+ ngày \d{2}\/\d{2}\/\d{4}\. Lý do: .+\.$/);
    expect(expired!.why).toMatch(/^Giấy chứng nhận đã hết hạn ngày \d{2}\/\d{2}\/\d{4}\.$/);
    expect(alteredCard!.why).toBe('Chữ ký của mã không khớp: mã đã bị sửa hoặc làm giả.');
    expect(foreign!.why).toContain('khóa không có trong hệ thống OCOP');
    expect(unknown!.why).toBe('Không có giấy chứng nhận OCOP nào mang số này. Hãy kiểm tra lại số in trên sản phẩm.');
    expect(junk!.tone).toBe('bad');
    expect(junk!.why).not.toBeNull();
    // Different failures never read the same.
    expect(new Set([alteredCard!.why, foreign!.why, unknown!.why, junk!.why]).size).toBe(4);
    // Expiring and renewal.
    expect(expiring!.tone).toBe('warn');
    expect(expiring!.text).toContain('Sắp hết hạn: còn 10 ngày');
    expect(expiring!.text).toContain('Chưa có giấy chứng nhận gia hạn');
    expect(superseded!.text).toContain(`Đã gia hạn: giấy chứng nhận mới ${N.haMy5} (5 sao)`);
  });

  it('in English too', async () => {
    const html = await (await post(['BP-OCOP-NOPE-1', N.robusta], 'html', 'en')).text();
    const [unknown, expiring] = cards(html);
    expect(unknown!.why).toBe('No OCOP certificate has this number. Check the number printed on the product.');
    expect(expiring!.text).toContain('Expiring soon: 10 days left');
  });

  it('the CSV for people has Vietnamese headers and values', async () => {
    const res = await post(LIST(), 'csv');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="ocop-ket-qua.csv"');
    const bytes = new Uint8Array(await res.arrayBuffer());
    // A UTF-8 byte order mark, so Excel reads the Vietnamese as UTF-8.
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    const rows = parseCsv(text);
    expect(rows[0]).toEqual(CSV_HEADER_VI);
    expect(rows[0]).toEqual([
      'Mã hoặc số đã nhập', 'Kết quả', 'Lý do', 'Số giấy chứng nhận', 'Hạng sao', 'Tình trạng giấy chứng nhận', 'Hiệu lực từ', 'Hiệu lực đến',
      'Số ngày còn lại', 'Gia hạn', 'Sản phẩm', 'Chủ thể sản xuất', 'Số lô', 'Số thứ tự gói',
    ]);
    expect(rows).toHaveLength(LIST().length + 1);
    const col = (row: string[], name: string) => row[CSV_HEADER_VI.indexOf(name)]!;
    const [, pkg, expiring, superseded, revoked, expired, alteredRow] = rows;
    expect(col(pkg!, 'Kết quả')).toBe('Chính hãng');
    expect(col(pkg!, 'Số lô')).toBe('HM-RM-01');
    expect(col(pkg!, 'Số thứ tự gói')).toBe('3');
    expect(col(expiring!, 'Tình trạng giấy chứng nhận')).toBe('Sắp hết hạn');
    expect(col(expiring!, 'Hiệu lực đến')).toBe(expiringUntil.split('-').reverse().join('/'));
    expect(col(expiring!, 'Số ngày còn lại')).toBe('10');
    expect(col(expiring!, 'Gia hạn')).toContain('Chưa có giấy chứng nhận gia hạn');
    expect(col(superseded!, 'Tình trạng giấy chứng nhận')).toBe('Đã được thay thế');
    expect(col(superseded!, 'Gia hạn')).toContain(N.haMy5);
    expect(col(revoked!, 'Kết quả')).toBe('Giấy chứng nhận bị thu hồi');
    expect(col(revoked!, 'Lý do')).toMatch(/^Bị thu hồi theo quyết định số/);
    expect(col(expired!, 'Kết quả')).toBe('Giấy chứng nhận hết hạn');
    expect(col(alteredRow!, 'Kết quả')).toBe('Không xác thực được');
    expect(col(alteredRow!, 'Lý do')).toBe('Chữ ký của mã không khớp: mã đã bị sửa hoặc làm giả.');
    // No English code leaks into the people's file.
    expect(text).not.toMatch(/\b(genuine|not_genuine|bad_signature|revoked|expired|unknown_certificate)\b/);
  });

  // At this clock Hà Mỵ's renewed first certificate is past its own dates: expired, with its renewal named.
  it('the machine CSV keeps the API keys and codes', async () => {
    const res = await post(LIST(), 'csv-machine');
    const rows = parseCsv(await res.text());
    expect(rows[0]!.slice(0, 3)).toEqual(['input', 'verdict', 'reason']);
    expect(rows.slice(1).map((r) => r[1])).toEqual(['genuine', 'genuine', 'expired', 'revoked', 'expired', 'not_genuine', 'not_genuine', 'not_genuine', 'not_genuine']);
    expect(rows[6]![2]).toBe('bad_signature');
    expect(rows[7]![2]).toBe('unknown_key');
    expect(rows[8]![2]).toBe('unknown_certificate');
    expect(rows[2]![rows[0]!.indexOf('expiring_soon')]).toBe('true');
    expect(rows[3]![rows[0]!.indexOf('superseded_by')]).toBe(N.haMy5);
  });
});
