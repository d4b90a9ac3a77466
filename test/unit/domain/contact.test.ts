import { describe, expect, it } from 'vitest';
import { producerContactForm, productForm } from '../../../admin/forms';
import { nodeEnvSchema, parseConfig } from '../../../worker/config';
import { formatPhone, parseVietnamesePhone, parseWebsite, telHref, websiteLabel, zaloHref } from '../../../worker/domain/contact';

describe('Vietnamese phone numbers', () => {
  it('reads mobile, landline and 1800/1900 numbers as people write them', () => {
    const cases: [string, string, string, string][] = [
      ['0912 345 678', '0912345678', 'tel:+84912345678', '0912 345 678'],
      ['0912.345.678', '0912345678', 'tel:+84912345678', '0912 345 678'],
      ['+84 912 345 678', '0912345678', 'tel:+84912345678', '0912 345 678'],
      ['84912345678', '0912345678', 'tel:+84912345678', '0912 345 678'],
      ['0084 35 123 4567', '0351234567', 'tel:+84351234567', '0351 234 567'],
      ['(0271) 3879-123', '02713879123', 'tel:+842713879123', '0271 3879 123'],
      ['+84 271 3879 123', '02713879123', 'tel:+842713879123', '0271 3879 123'],
      ['1800 1234', '18001234', 'tel:18001234', '1800 1234'],
      ['1900 123 456', '1900123456', 'tel:1900123456', '1900 123 456'],
    ];
    for (const [raw, national, tel, shown] of cases) {
      const p = parseVietnamesePhone(raw);
      expect(p?.national, raw).toBe(national);
      expect(telHref(p!), raw).toBe(tel);
      expect(formatPhone(p!), raw).toBe(shown);
    }
  });

  it('refuses what is not a Vietnamese number', () => {
    for (const raw of ['', '   ', '12345', '0112345678', '0412345678', '091234567', '09123456789', '0271387912', '+1 415 555 0100', '+44 20 7946 0958', '1800 12345', '1700 1234',
      '0912345678 ext 2', 'gọi 0912345678', '0912\u0000345678', '0912\n345678', '0912\t345678', '++84912345678', '84+912345678', '0'.repeat(30)]) {
      expect(parseVietnamesePhone(raw), JSON.stringify(raw)).toBeNull();
    }
  });

  it('Zalo links open the chat of a mobile number', () => {
    expect(zaloHref(parseVietnamesePhone('+84 987 654 321')!)).toBe('https://zalo.me/0987654321');
  });
});

describe('websites', () => {
  it('accepts https addresses and normalises them', () => {
    expect(parseWebsite('https://hamy.example')).toBe('https://hamy.example/');
    expect(parseWebsite('  https://WWW.HaMy.example/san-pham?x=1  ')).toBe('https://www.hamy.example/san-pham?x=1');
    expect(parseWebsite('https://xn--hm-6ka.vn/')).toBe('https://xn--hm-6ka.vn/');
    expect(websiteLabel('https://www.hamy.example/')).toBe('hamy.example');
    expect(websiteLabel('https://hamy.example/san-pham')).toBe('hamy.example/san-pham');
  });

  it('refuses anything else', () => {
    for (const raw of ['http://hamy.example', 'hamy.example', 'javascript:alert(1)', 'data:text/html,x', 'https://', 'https://localhost/', 'https://user:pw@hamy.example/', 'https://ha my.example/',
      `https://hamy.example/${'a'.repeat(200)}`, 'ftp://hamy.example', 'https://hamy..example/']) {
      expect(parseWebsite(raw), raw).toBeNull();
    }
  });
});

describe('the contact form and the GTIN field', () => {
  it('stores digits and https URLs; blank fields clear', () => {
    expect(producerContactForm.parse({ phone: '+84 271 3879 123', website: 'https://hamy.example', zalo: '0912.345.678' })).toEqual({ phone: '02713879123', website: 'https://hamy.example/', zalo: '0912345678' });
    expect(producerContactForm.parse({ phone: '', website: ' ', zalo: '' })).toEqual({ phone: null, website: null, zalo: null });
    expect(producerContactForm.parse({})).toEqual({ phone: null, website: null, zalo: null });
  });

  it('a landline is not a Zalo number; a JSON number is not a phone', () => {
    const zalo = producerContactForm.safeParse({ zalo: '0271 3879 123' });
    expect(zalo.success).toBe(false);
    expect(zalo.error?.issues[0]?.message).toContain('Số Zalo phải là số di động Việt Nam');
    expect(producerContactForm.safeParse({ phone: 912345678 }).success).toBe(false);
  });

  it('checks the GTIN check digit with a Vietnamese message', () => {
    const base = { producerId: 1, name: 'Hạt điều' };
    expect(productForm.parse({ ...base, gtin: '8939999900010' }).gtin).toBe('8939999900010');
    expect(productForm.parse({ ...base, gtin: '8 939999 900010' }).gtin).toBe('8939999900010');
    const wrong = productForm.safeParse({ ...base, gtin: '8939999900011' });
    expect(wrong.error?.issues[0]?.message).toMatch(/^Số kiểm tra \(chữ số cuối\) của mã GTIN không đúng/);
    const letters = productForm.safeParse({ ...base, gtin: '893ABC' });
    expect(letters.error?.issues[0]?.message).toMatch(/^Mã GTIN gồm 8, 12, 13 hoặc 14 chữ số/);
  });
});

describe('REPORT_HOTLINE', () => {
  it('defaults to none, is stored as digits, and a wrong value stops the start naming the variable', () => {
    expect(parseConfig(nodeEnvSchema, {}).REPORT_HOTLINE).toBeUndefined();
    expect(parseConfig(nodeEnvSchema, { REPORT_HOTLINE: '0271 3879 123' }).REPORT_HOTLINE).toBe('02713879123');
    expect(parseConfig(nodeEnvSchema, { REPORT_HOTLINE: '' }).REPORT_HOTLINE).toBeUndefined();
    expect(() => parseConfig(nodeEnvSchema, { REPORT_HOTLINE: '113 hoặc 114' })).toThrow(/REPORT_HOTLINE must be a Vietnamese phone number/);
  });
});
