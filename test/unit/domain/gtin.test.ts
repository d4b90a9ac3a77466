import { describe, expect, it } from 'vitest';
import { gtinCheckDigit, parseGtin } from '../../../worker/domain/gtin';

describe('parseGtin', () => {
  it('accepts GTIN-8, -12, -13 and -14 with a right check digit, as the GTIN-14', () => {
    expect(parseGtin('96385074')).toEqual({ ok: true, gtin14: '00000096385074' });
    expect(parseGtin('036000291452')).toEqual({ ok: true, gtin14: '00036000291452' });
    expect(parseGtin('4006381333931')).toEqual({ ok: true, gtin14: '04006381333931' });
    expect(parseGtin('09506000134352')).toEqual({ ok: true, gtin14: '09506000134352' });
  });

  it('refuses a wrong check digit, every wrong one', () => {
    for (let d = 0; d <= 9; d++) {
      if (d === 1) continue;
      expect(parseGtin(`400638133393${d}`)).toEqual({ ok: false, problem: 'check_digit' });
    }
  });

  it('refuses other lengths and non-digits', () => {
    for (const s of ['', '1234567', '123456789', '12345678901', '123456789012345']) expect(parseGtin(s)).toEqual({ ok: false, problem: 'length' });
    for (const s of ['4006381333 31', '40063813339３1', '0x12345678', '-4006381333931', '٤٠٠٦٣٨١٣٣٣٩٣١']) expect(parseGtin(s)).toEqual({ ok: false, problem: 'digits' });
  });

  it('check digit of the GS1 example', () => {
    expect(gtinCheckDigit('0950600013435')).toBe(2);
  });
});
