import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { isQrAlphanumeric, qrMatrix, type ErrorCorrectionLevel } from '../../../worker/qr/matrix';
import { qrPng } from '../../../worker/qr/png';
import { BASE_32, BASE_REAL, packageUrl, randomCode, tempDir, writeTemp, zbarDecode } from './tools';

describe('qrMatrix', () => {
  it('fits the longest package URL (32-character base) in version 6 at level M, alphanumeric mode', () => {
    const url = packageUrl(BASE_32);
    expect(url).toHaveLength(154);
    const m = qrMatrix(url);
    expect(m.version).toBeLessThanOrEqual(6);
    expect(m.size).toBe(m.version * 4 + 17);
    expect(m.modules).toHaveLength(m.size * m.size);
    expect(m.mode).toBe('alphanumeric');
  });

  it('keeps the Bình Phước base URL (29 characters) within version 6 too', () => {
    const m = qrMatrix(packageUrl(BASE_REAL));
    expect(m.version).toBe(6);
    expect(m.size).toBe(41);
  });

  it('recognises the QR alphanumeric set exactly', () => {
    expect(isQrAlphanumeric('HTTPS://OCOP.VN/V/ABC234 $%*+-./:')).toBe(true);
    expect(isQrAlphanumeric('https://ocop.vn')).toBe(false);
    expect(isQrAlphanumeric('HTTPS://OCOP.VN/V/ABC?X=1')).toBe(false);
    expect(isQrAlphanumeric('ĐIỀU')).toBe(false);
  });

  it('produces exactly the symbol qrcode builds with its own automatic mask choice', () => {
    const masks = new Set<number>();
    const eclLevels: ErrorCorrectionLevel[] = ['L', 'M', 'Q', 'H'];
    for (let i = 0; i < 160; i++) {
      const ecl = eclLevels[i % 4]!;
      const text = i % 5 === 4 ? `https://ocop.vn/p/${randomCode(i % 60).toLowerCase()}?x=${i}` : packageUrl(BASE_32, randomCode(1 + ((i * 7) % 119)));
      const ours = qrMatrix(text, { ecl });
      const input = isQrAlphanumeric(text) ? [{ mode: 'alphanumeric' as const, data: text }] : text;
      const ref = QRCode.create(input, { errorCorrectionLevel: ecl });
      masks.add(ours.mask);
      expect(ours.version).toBe(ref.version);
      expect(ours.mask).toBe(ref.maskPattern);
      expect(Buffer.from(ours.modules).equals(Buffer.from(ref.modules.data))).toBe(true);
    }
    // Random data must exercise the penalty comparison, not always land on one mask.
    expect(masks.size).toBeGreaterThanOrEqual(5);
  });

  it('encodes text outside the alphanumeric set in mixed mode, and it still scans', () => {
    const text = 'https://ocop.binhphuoc.gov.vn/v/abc?lot=1';
    const m = qrMatrix(text);
    expect(m.mode).toBe('mixed');
    const dir = tempDir();
    expect(zbarDecode(writeTemp(dir, 'mixed.png', qrPng(m)))).toEqual([text]);
  });

  it('honours minVersion, and grows past it when the data needs more room', () => {
    expect(qrMatrix('HTTPS://X.VN/V/ABC', { minVersion: 6 }).version).toBe(6);
    expect(qrMatrix('HTTPS://X.VN/V/ABC').version).toBeLessThan(6);
    const long = `HTTPS://A-MUCH-LONGER-BASE-URL.EXAMPLE.GOV.VN/V/${randomCode()}`;
    expect(qrMatrix(long, { minVersion: 6 }).version).toBeGreaterThan(6);
  });

  it('rejects empty input and impossible versions', () => {
    expect(() => qrMatrix('')).toThrow(RangeError);
    expect(() => qrMatrix('ABC', { minVersion: 41 })).toThrow(RangeError);
    expect(() => qrMatrix('x'.repeat(5000))).toThrow();
  });
});
