import { describe, expect, it } from 'vitest';
import { foldVietnamese, searchTokens, slugify } from '../../../worker/domain/search';

describe('foldVietnamese', () => {
  it('drops tone and shape marks and folds đ, in either case and normal form', () => {
    expect(foldVietnamese('Hạt Điều Rang Muối')).toBe('hat dieu rang muoi');
    expect(foldVietnamese('ĐỒNG PHÚ')).toBe('dong phu');
    expect(foldVietnamese('Ha\u0300 My\u0323')).toBe('ha my');
    expect(foldVietnamese('Hạt điều'.normalize('NFD'))).toBe('hat dieu');
    expect(foldVietnamese('101/QĐ-UBND')).toBe('101/qd-ubnd');
  });

  it('leaves plain text and punctuation alone apart from case', () => {
    expect(foldVietnamese('BP-OCOP-2023-021 50%_')).toBe('bp-ocop-2023-021 50%_');
  });
});

describe('searchTokens', () => {
  it('splits a query into folded words, at most 8 of at most 40 characters', () => {
    expect(searchTokens('  Hạt-điều, (rang)  ')).toEqual(['hat', 'dieu', 'rang']);
    expect(searchTokens('%_\\')).toEqual([]);
    expect(searchTokens('a b c d e f g h i j')).toHaveLength(8);
    expect(searchTokens('x'.repeat(100))).toEqual(['x'.repeat(40)]);
  });
});

describe('slugify', () => {
  it('makes a URL slug from a Vietnamese name', () => {
    expect(slugify('Hạt điều rang muối (túi 500g)')).toBe('hat-dieu-rang-muoi-tui-500g');
    expect(slugify('!!!')).toBe('san-pham');
    expect(slugify('a'.repeat(100)).length).toBeLessThanOrEqual(60);
  });
});
