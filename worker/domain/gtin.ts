// GTINs (GS1 General Specifications §7.9): 8, 12, 13 or 14 digits, the last one a check
// digit. GS1 Digital Link names a product by its GTIN-14: shorter GTINs are the same
// number padded with leading zeros, so every length resolves to one key.

export const GTIN_LENGTHS = [8, 12, 13, 14] as const;

/** The check digit for the digits before it: weights 3, 1, 3, … from the right. */
export function gtinCheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

export type GtinProblem = 'length' | 'digits' | 'check_digit';

/** The GTIN-14 of `raw`, or why it is not a GTIN. */
export function parseGtin(raw: string): { ok: true; gtin14: string } | { ok: false; problem: GtinProblem } {
  if (!/^[0-9]*$/.test(raw)) return { ok: false, problem: 'digits' };
  if (!(GTIN_LENGTHS as readonly number[]).includes(raw.length)) return { ok: false, problem: 'length' };
  if (gtinCheckDigit(raw.slice(0, -1)) !== raw.charCodeAt(raw.length - 1) - 48) return { ok: false, problem: 'check_digit' };
  return { ok: true, gtin14: raw.padStart(14, '0') };
}
