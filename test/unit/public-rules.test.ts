import { unzlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { encodeStatusList, statusBits, vietnamMidnight } from '../../worker/api/credentials';
import { CsvInputError, firstColumn } from '../../worker/api/csv-input';
import { classify } from '../../worker/api/results';
import { base64urlDecode } from '../../worker/codes/base64url';
import { foldVietnamese, searchTokens } from '../../worker/domain/search';
import { normaliseCertificateNumber } from '../../worker/db/certificates';
import { EMPTY_HISTORY } from '../../worker/db/scans';
import { formatDate, langFromAcceptLanguage } from '../../worker/public/i18n';
import { looksCopied } from '../../worker/public/scan-service';
import { certificateVerdict, packageVerdict, scanStatus } from '../../worker/public/verdict';

const NOW = new Date('2026-06-15T05:00:00Z'); // 2026-06-15 noon in Vietnam

describe('diacritics-insensitive search keys', () => {
  it('folds Vietnamese letters, đ and case, precomposed or decomposed', () => {
    expect(foldVietnamese('Hạt điều rang muối')).toBe('hat dieu rang muoi');
    expect(foldVietnamese('ĐẶC SẢN Bù Đốp')).toBe('dac san bu dop');
    expect(foldVietnamese('Hạt điều'.normalize('NFD'))).toBe('hat dieu');
  });

  it('splits the query into at most 8 folded words and drops punctuation', () => {
    expect(searchTokens('  Hạt-điều, (rang)  ')).toEqual(['hat', 'dieu', 'rang']);
    expect(searchTokens('%_\\')).toEqual([]);
    expect(searchTokens('a b c d e f g h i j')).toHaveLength(8);
  });
});

describe('language choice', () => {
  it('defaults to Vietnamese and follows Accept-Language q-values between vi and en', () => {
    expect(langFromAcceptLanguage(undefined)).toBe('vi');
    expect(langFromAcceptLanguage('en-US,en;q=0.9')).toBe('en');
    expect(langFromAcceptLanguage('vi-VN,vi;q=0.9,en;q=0.8')).toBe('vi');
    expect(langFromAcceptLanguage('fr-FR,en;q=0.5,vi;q=0.7')).toBe('vi');
    expect(langFromAcceptLanguage('fr-FR,de;q=0.9')).toBe('vi');
    expect(langFromAcceptLanguage('en;q=0')).toBe('vi');
    expect(langFromAcceptLanguage('x'.repeat(1000))).toBe('vi');
  });

  it('writes dates the way each language reads them', () => {
    expect(formatDate('vi', '2026-05-10')).toBe('10/05/2026');
    expect(formatDate('en', '2026-05-10')).toBe('10 May 2026');
  });
});

describe('verdict rules', () => {
  const active = { status: 'active' as const, validFrom: '2024-01-10', validUntil: '2027-01-10', supersededBy: null };

  it('a valid certificate is genuine, with days left and an expiry notice under 30 days', () => {
    expect(certificateVerdict(active, NOW)).toMatchObject({ verdict: 'genuine', state: 'valid', expiringSoon: false });
    const soon = certificateVerdict({ ...active, validUntil: '2026-07-01' }, NOW);
    expect(soon).toMatchObject({ verdict: 'genuine', state: 'expiring', daysLeft: 16, expiringSoon: true });
  });

  it('the last valid day is still genuine; the day after is expired', () => {
    expect(certificateVerdict({ ...active, validUntil: '2026-06-15' }, NOW).verdict).toBe('genuine');
    expect(certificateVerdict({ ...active, validUntil: '2026-06-14' }, NOW)).toMatchObject({ verdict: 'expired', daysLeft: -1 });
  });

  it('revoked wins over valid dates', () => {
    expect(certificateVerdict({ ...active, status: 'revoked' }, NOW).verdict).toBe('revoked');
  });

  it('a superseded certificate is genuine while its own dates run (with the renewal), expired after', () => {
    const renewal = { number: 'BP-NEW-1', stars: 5, validUntil: '2029-06-01' };
    const running = certificateVerdict({ ...active, status: 'superseded', supersededBy: renewal }, NOW);
    expect(running).toMatchObject({ verdict: 'genuine', state: 'superseded', renewal });
    const over = certificateVerdict({ ...active, status: 'superseded', validUntil: '2026-01-01', supersededBy: renewal }, NOW);
    expect(over).toMatchObject({ verdict: 'expired', renewal });
  });

  it('codes that fail the signature check are never genuine; a withdrawn key is its own verdict', () => {
    for (const reason of ['malformed', 'unknown_version', 'unknown_key', 'bad_signature'] as const) {
      const r = packageVerdict({ ok: false, reason }, null, NOW);
      expect(r.verdict).toBe('not_genuine');
      expect(r.reason).toBe(reason);
    }
    expect(packageVerdict({ ok: false, reason: 'key_withdrawn' }, null, NOW).verdict).toBe('key_withdrawn');
    expect(scanStatus(packageVerdict({ ok: false, reason: 'malformed' }, null, NOW))).toBe(400);
    expect(scanStatus(packageVerdict({ ok: false, reason: 'bad_signature' }, null, NOW))).toBe(404);
  });

  it('a validly signed code with no batch, another key, or a serial beyond the batch is not genuine', () => {
    const ok = { ok: true as const, ref: { version: 1 as const, keyNumber: 1, batchId: 5, serial: 11 }, kid: 'ocop-1', code: 'X' };
    expect(packageVerdict(ok, null, NOW)).toMatchObject({ verdict: 'not_genuine', reason: 'unknown_batch' });
    const state = {
      batch: { id: 5, lotCode: 'L', productionDate: '2026-01-01', bestBefore: null, quantity: 10, keyNumber: 1 },
      certificate: {
        id: 1, number: 'N-1', stars: 4, status: 'active' as const, decisionNumber: 'D', decisionDate: '2024-01-10', issuingBody: 'B',
        issuingLevel: 'province' as const, legalBasis: { id: 'QD-148-2023', titleVi: 'QĐ 148', titleEn: 'Decision 148' }, validFrom: '2024-01-10', validUntil: '2027-01-10', statusIndex: 0,
        revocation: null, supersedes: null, supersededBy: null,
      },
      product: { id: 1, slug: 'p', name: 'P', groupVi: null, groupEn: null, description: null },
      producer: { id: 1, name: 'Pr', legalForm: 'doanh_nghiep' as const, addressAsIssued: '', addressNow: null },
      regions: [],
    };
    expect(packageVerdict(ok, state, NOW)).toMatchObject({ verdict: 'not_genuine', reason: 'unknown_package' });
    expect(packageVerdict({ ...ok, ref: { ...ok.ref, serial: 10 } }, state, NOW).verdict).toBe('genuine');
    expect(packageVerdict({ ...ok, ref: { ...ok.ref, serial: 10, keyNumber: 2 } }, state, NOW).reason).toBe('unknown_package');
  });
});

describe('copied-label warning', () => {
  it('warns on many people, several places or many people in one day, not on a few scans', () => {
    expect(looksCopied({ ...EMPTY_HISTORY, count: 3, people: 2, places: 1, scansToday: 3, peopleToday: 2 })).toBe(false);
    expect(looksCopied({ ...EMPTY_HISTORY, count: 20, people: 20 })).toBe(true);
    expect(looksCopied({ ...EMPTY_HISTORY, count: 4, people: 2, places: 3 })).toBe(true);
    expect(looksCopied({ ...EMPTY_HISTORY, count: 10, people: 10, scansToday: 10, peopleToday: 10 })).toBe(true);
  });

  it('counts people, not page loads: one person reloading 50 times is no warning', () => {
    expect(looksCopied({ ...EMPTY_HISTORY, count: 50, people: 1, scansToday: 50, peopleToday: 1 })).toBe(false);
    expect(looksCopied({ ...EMPTY_HISTORY, count: 19, people: 19, peopleToday: 9 })).toBe(false);
  });
});

describe('Token Status List encoding', () => {
  it('puts index i in bit i mod 8 of byte i / 8, least significant bit first (the draft example)', () => {
    // draft-ietf-oauth-status-list §4.1 example: statuses 1,0,0,1,1,1,0,1 | 1,1,0,0,0,1,0,1 → 0xB9 0xA3
    const invalid = [0, 3, 4, 5, 7, 8, 9, 13, 15];
    expect([...statusBits(16, invalid)]).toEqual([0xb9, 0xa3]);
  });

  it('compresses with ZLIB and encodes base64url without padding', () => {
    const bits = statusBits(1000, [0, 17, 999]);
    const lst = encodeStatusList(bits);
    expect(lst).toMatch(/^[A-Za-z0-9_-]+$/);
    const raw = base64urlDecode(lst)!;
    expect(raw[0]! & 0x0f).toBe(8); // CM = 8: DEFLATE inside a ZLIB header
    expect([...unzlibSync(raw)]).toEqual([...bits]);
  });

  it('ignores indexes outside the list and always has at least one byte', () => {
    expect([...statusBits(0, [5, -1, 1.5])]).toEqual([0]);
  });

  it('counts credential validity in Vietnam days', () => {
    expect(new Date(vietnamMidnight('2026-01-02') * 1000).toISOString()).toBe('2026-01-01T17:00:00.000Z');
  });
});

describe('CSV upload parsing', () => {
  it('takes the first column, skips a header without digits, handles BOM, quotes, CRLF and ;', () => {
    const text = '\uFEFFSố GCN,ghi chú\r\n"BP-OCOP-2023-010","x, y"\r\nBP-OCOP-2023-021;z\n\n  70-31-2021  \n"a ""quoted"" 1",b\n';
    expect(firstColumn(text, 100)).toEqual(['BP-OCOP-2023-010', 'BP-OCOP-2023-021', '70-31-2021', 'a "quoted" 1']);
  });

  it('keeps a quoted newline inside its record', () => {
    expect(firstColumn('A1,"multi\nline"\nB2\n', 10)).toEqual(['A1', 'B2']);
  });

  it('refuses more rows than allowed (a header row does not count) and unterminated quotes', () => {
    expect(firstColumn('code\n1\n2\n', 2)).toEqual(['1', '2']);
    expect(() => firstColumn('1\n2\n3\n', 2)).toThrow(CsvInputError);
    expect(() => firstColumn('"unterminated\n1\n', 10)).toThrow(CsvInputError);
  });
});

describe('input classification', () => {
  it('certificate numbers are short; anything else is treated as a package code', () => {
    expect(classify(' bp-ocop-2023-010 ')).toEqual({ kind: 'certificate', number: 'BP-OCOP-2023-010' });
    expect(classify('A'.repeat(119)).kind).toBe('package');
    expect(classify('https://ocop.test/V/ABC').kind).toBe('package');
    expect(normaliseCertificateNumber('70/31-2021')).toBe('70/31-2021');
    expect(normaliseCertificateNumber('Ư-12')).toBeNull();
    expect(normaliseCertificateNumber('ab')).toBeNull();
  });
});
