import { describe, expect, it } from 'vitest';
import { generateSigningKey, KeyRing } from '../../../worker/codes/keyring';
import { signPackageCodeWith } from '../../../worker/codes/sign';
import { ageText, dataAge, OFFLINE_MAX_AGE_HOURS } from '../../../worker/scanner/data-age';
import { checkOffline, loadTables, type OfflineDataset } from '../../../worker/scanner/offline-check';
import { applyDelta } from '../../../worker/scanner/offline-delta';

// The offline scanner's rules, without a browser: how old data may be, and what it may say
// from old data. The verdicts themselves are the server's functions (public/verdict.ts).

const NOW = new Date('2026-12-01T03:00:00Z'); // 10:00 in Vietnam
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000).toISOString();

describe('data age', () => {
  it('trusts data up to 24 hours old, and no older', () => {
    expect(OFFLINE_MAX_AGE_HOURS).toBe(24);
    expect(dataAge(hoursAgo(2), NOW)).toEqual({ trusted: true, ageMs: 2 * 3_600_000 });
    expect(dataAge(hoursAgo(24), NOW).trusted).toBe(true);
    expect(dataAge(new Date(NOW.getTime() - 24 * 3_600_000 - 1).toISOString(), NOW)).toMatchObject({ trusted: false, why: 'too_old' });
    expect(dataAge(hoursAgo(200), NOW)).toMatchObject({ trusted: false, why: 'too_old' });
  });

  it('no data, unreadable dates and a phone clock far behind the server are never trusted', () => {
    expect(dataAge(null, NOW)).toMatchObject({ trusted: false, why: 'none' });
    expect(dataAge('yesterday', NOW)).toMatchObject({ trusted: false, why: 'none' });
    expect(dataAge(hoursAgo(-1), NOW)).toMatchObject({ trusted: false, why: 'clock_behind' });
    // A few minutes of clock drift is normal: counted as fresh, not as negative age.
    expect(dataAge(hoursAgo(-0.05), NOW)).toEqual({ trusted: true, ageMs: 0 });
  });

  it('says the age in words people use', () => {
    expect(ageText(20_000).vi).toBe('cập nhật vừa xong');
    expect(ageText(90_000)).toEqual({ vi: 'cập nhật 1 phút trước', en: 'updated 1 minute ago' });
    expect(ageText(2 * 3_600_000 + 59 * 60_000)).toEqual({ vi: 'cập nhật 2 giờ trước', en: 'updated 2 hours ago' });
    expect(ageText(25 * 3_600_000).vi).toBe('cập nhật 25 giờ trước');
    expect(ageText(50 * 3_600_000).vi).toBe('cập nhật 2 ngày trước');
    expect(ageText(Number.POSITIVE_INFINITY).vi).toBe('chưa có dữ liệu');
  });
});

describe('checkOffline', async () => {
  const ring = await KeyRing.fromJwkSet({ keys: [await generateSigningKey(1), await generateSigningKey(2)] });
  const key1 = ring.get(1)!;
  const key2 = ring.get(2)!;
  const dataset = (generatedAt: string): OfflineDataset => ({
    generated_at: generatedAt,
    max_age_hours: 24,
    feed_cursor: 'cursor-0',
    keys: [
      { kid: 'ocop-1', x: key1.publicJwk.x, status: 'active' },
      { kid: 'ocop-2', x: key2.publicJwk.x, status: 'withdrawn' },
    ],
    certificates: [
      { id: 1, number: 'BP-1', product: 'Hạt điều', producer: 'Hà Mỵ', stars: 5, status: 'active', valid_from: '2025-01-01', valid_until: '2027-12-31', superseded_by: null, renewal_pending_since: null },
      { id: 2, number: 'BP-2', product: 'Mật ong', producer: 'HTX', stars: 4, status: 'revoked', valid_from: '2025-01-01', valid_until: '2027-12-31', superseded_by: null, renewal_pending_since: null },
      { id: 3, number: 'BP-3', product: 'Mít', producer: 'Tổ hợp tác', stars: 3, status: 'active', valid_from: '2022-01-01', valid_until: '2025-01-01', superseded_by: null, renewal_pending_since: null },
      { id: 4, number: 'BP-4', product: 'Kẹo', producer: 'Hà Mỵ', stars: 4, status: 'active', valid_from: '2024-01-01', valid_until: '2026-12-20', superseded_by: null, renewal_pending_since: null },
      { id: 5, number: 'BP-5', product: 'Bánh tráng', producer: 'Cơ sở', stars: 3, status: 'active', valid_from: '2022-01-01', valid_until: '2025-01-01', superseded_by: null, renewal_pending_since: '2024-12-15' },
    ],
    batches: [
      { id: 10, certificate_id: 1, key_number: 1, quantity: 50, lot_code: 'L-GEN', best_before: '2027-06-01' },
      { id: 11, certificate_id: 2, key_number: 1, quantity: 50, lot_code: 'L-REV', best_before: null },
      { id: 12, certificate_id: 3, key_number: 1, quantity: 50, lot_code: 'L-EXP', best_before: '2024-12-01' },
      { id: 13, certificate_id: 4, key_number: 1, quantity: 50, lot_code: 'L-SOON', best_before: null },
      { id: 14, certificate_id: 5, key_number: 1, quantity: 50, lot_code: 'L-PEND', best_before: null },
    ],
  });
  const fresh = await loadTables(dataset(hoursAgo(2)));
  const stale = await loadTables(dataset(hoursAgo(30)));
  const code = (batch: number, serial: number, key = key1) => signPackageCodeWith(key, batch, serial);

  it('genuine from fresh data, with the certificate, the lot and the API’s words', async () => {
    const r = await checkOffline(fresh, `https://ocop.example.vn/v/${await code(10, 3)}`, NOW);
    expect(r).toMatchObject({ verdict: 'genuine', reason: null, warnings: [], lot: { lotCode: 'L-GEN', serial: 3, bestBefore: '2027-06-01' } });
    expect(r.certificate).toEqual({ number: 'BP-1', stars: 5, product: 'Hạt điều', producer: 'Hà Mỵ', validUntil: '2027-12-31' });
    expect(r.words.vi.verdict).toBe('Chính hãng');
    expect(r.words.vi.validity).toContain('31/12/2027');
  });

  it('revoked, expired (with the lot past its best-before), expiring: the server’s verdicts and warnings', async () => {
    expect(await checkOffline(fresh, await code(11, 1), NOW)).toMatchObject({ verdict: 'revoked', warnings: ['certificate_revoked'] });
    expect(await checkOffline(fresh, await code(12, 1), NOW)).toMatchObject({ verdict: 'expired', warnings: ['certificate_expired', 'past_best_before'] });
    expect(await checkOffline(fresh, await code(13, 1), NOW)).toMatchObject({ verdict: 'genuine', warnings: ['expiring_soon'] });
  });

  it('expired with a renewal under review: still expired, with the renewal warning and the day in words', async () => {
    const r = await checkOffline(fresh, await code(14, 1), NOW);
    expect(r).toMatchObject({ verdict: 'expired', warnings: ['certificate_expired', 'renewal_pending'] });
    expect(r.words.vi.renewal).toContain('Đang xét gia hạn');
    expect(r.words.vi.renewal).toContain('15/12/2024');
  });

  it('altered, junk, foreign key, unknown serial, withdrawn key: not genuine with the reason', async () => {
    const good = await code(10, 4);
    const altered = `${good.slice(0, 100)}${good[100] === 'A' ? 'B' : 'A'}${good.slice(101)}`;
    expect(await checkOffline(fresh, altered, NOW)).toMatchObject({ verdict: 'not_genuine', reason: 'bad_signature', certificate: null, lot: null });
    expect(await checkOffline(fresh, 'https://example.com/not-a-code', NOW)).toMatchObject({ verdict: 'not_genuine', reason: 'malformed' });
    expect(await checkOffline(fresh, '', NOW)).toMatchObject({ verdict: 'not_genuine', reason: 'malformed' });
    const foreign = (await KeyRing.fromJwkSet({ keys: [await generateSigningKey(3)] })).get(3)!;
    expect(await checkOffline(fresh, await code(10, 1, foreign), NOW)).toMatchObject({ verdict: 'not_genuine', reason: 'unknown_key' });
    expect(await checkOffline(fresh, await code(10, 51), NOW)).toMatchObject({ verdict: 'not_genuine', reason: 'unknown_package' });
    expect(await checkOffline(fresh, await code(10, 1, key2), NOW)).toMatchObject({ verdict: 'key_withdrawn', certificate: null });
  });

  it('a validly signed code of a batch newer than the data is "unconfirmed", never "not genuine"', async () => {
    const r = await checkOffline(fresh, await code(99, 1), NOW);
    expect(r).toMatchObject({ verdict: 'unconfirmed', reason: null });
    expect(r.words.vi.reason).toContain('kết nối mạng');
  });

  it('from data older than 24 hours: never "genuine"; what old data cannot change is still said', async () => {
    const r = await checkOffline(stale, await code(10, 3), NOW);
    expect(r).toMatchObject({ verdict: 'unconfirmed', reason: null, age: { trusted: false, why: 'too_old' } });
    expect(r.words.vi.verdict).toBe('Chưa xác nhận được');
    expect(r.words.vi.reason).toContain('Hãy kết nối mạng');
    expect((await checkOffline(stale, await code(13, 1), NOW)).verdict).toBe('unconfirmed');
    const good = await code(10, 4);
    expect((await checkOffline(stale, `${good.slice(0, 100)}${good[100] === 'A' ? 'B' : 'A'}${good.slice(101)}`, NOW)).verdict).toBe('not_genuine');
    expect((await checkOffline(stale, await code(11, 1), NOW)).verdict).toBe('revoked');
    expect((await checkOffline(stale, await code(12, 1), NOW)).verdict).toBe('expired');
    expect((await checkOffline(stale, await code(10, 1, key2), NOW)).verdict).toBe('key_withdrawn');
    // A key or a serial the old data does not know may be new: not "not genuine" either.
    expect((await checkOffline(stale, await code(10, 51), NOW)).verdict).toBe('unconfirmed');
  });

  it('answers well under a second: 200 checks', async () => {
    const codes = await Promise.all(Array.from({ length: 200 }, (_, i) => code(10, i + 1)));
    const started = performance.now();
    for (const c of codes) await checkOffline(fresh, c, NOW);
    expect((performance.now() - started) / codes.length).toBeLessThan(20);
  });

  it('a delta (feed since the cursor + JWKS) revokes, withdraws keys and renews the data age; nothing else', async () => {
    const old = dataset(hoursAgo(23));
    const checkedAt = hoursAgo(0);
    const next = applyDelta(
      old,
      [
        { events: [{ type: 'revoked', certificate_number: 'BP-1' }, { type: 'expired', certificate_number: 'BP-3' }], next_cursor: 'cursor-1', has_more: true },
        { events: [], next_cursor: 'cursor-2', has_more: false },
      ],
      [], // key 1 is no longer in the JWKS: withdrawn
      checkedAt,
    );
    expect(next).toMatchObject({ generated_at: checkedAt, feed_cursor: 'cursor-2' });
    expect(next.certificates.map((c) => c.status)).toEqual(['revoked', 'revoked', 'active', 'active', 'active']);
    expect(next.keys.map((k) => k.status)).toEqual(['withdrawn', 'withdrawn']);
    expect(next.batches).toBe(old.batches);
    const tables = await loadTables(next);
    expect((await checkOffline(tables, await code(10, 3), NOW)).verdict).toBe('key_withdrawn');
    // An older answer (an HTTP cache) never makes the copy look younger than it is.
    expect(applyDelta(old, [], ['ocop-1', 'ocop-2'], hoursAgo(30)).generated_at).toBe(old.generated_at);
    expect(applyDelta(old, [], ['ocop-1'], checkedAt).keys[0]!.status).toBe('active');
  });
});
