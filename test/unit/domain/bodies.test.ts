import { describe, expect, it } from 'vitest';
import { mayRecognise, PROCESS_CHANGE_DATE, recognisingLevels } from '../../../worker/domain/bodies';
import { DomainError } from '../../../worker/domain/errors';
import type { Stars } from '../../../worker/domain/stars';
import { COUNCIL_LEVEL_LABELS } from '../../../worker/domain/vocabulary';

const BEFORE = '2025-07-05';
const ON = PROCESS_CHANGE_DATE;
const AFTER = '2026-01-15';

describe('mayRecognise / recognisingLevels', () => {
  it('the process changed on 6 July 2025', () => {
    expect(PROCESS_CHANGE_DATE).toBe('2025-07-06');
  });

  it('1★ and 2★ are never recognised by anyone', () => {
    for (const d of [BEFORE, ON, AFTER]) {
      expect(recognisingLevels(1, d)).toEqual([]);
      expect(recognisingLevels(2, d)).toEqual([]);
    }
  });

  it('5★ is national (Ministry) only, before and after the change', () => {
    expect(recognisingLevels(5, BEFORE)).toEqual(['national']);
    expect(recognisingLevels(5, AFTER)).toEqual(['national']);
    expect(mayRecognise('province', 5, BEFORE)).toBe(false);
  });

  it('4★ is the province only', () => {
    expect(recognisingLevels(4, BEFORE)).toEqual(['province']);
    expect(recognisingLevels(4, AFTER)).toEqual(['province']);
    expect(mayRecognise('district', 4, '2020-01-01')).toBe(false);
    expect(mayRecognise('national', 4, AFTER)).toBe(false);
  });

  it('3★: province always; district only before 2025-07-06 (delegated)', () => {
    expect(recognisingLevels(3, '2021-03-01')).toEqual(['district', 'province']);
    expect(recognisingLevels(3, BEFORE)).toEqual(['district', 'province']);
    expect(recognisingLevels(3, ON)).toEqual(['province']);
    expect(recognisingLevels(3, AFTER)).toEqual(['province']);
  });

  it('a commune never recognises, before or after', () => {
    for (const s of [1, 2, 3, 4, 5] as Stars[]) {
      for (const d of [BEFORE, ON, AFTER]) expect(mayRecognise('commune', s, d)).toBe(false);
    }
  });

  it('rejects impossible dates and star values instead of guessing', () => {
    expect(() => mayRecognise('district', 3, '2025-02-29')).toThrow(DomainError);
    expect(() => mayRecognise('province', 3, '06/07/2025')).toThrow(DomainError);
    expect(() => mayRecognise('province', 6 as Stars, AFTER)).toThrow(DomainError);
    expect(() => recognisingLevels(0 as Stars, AFTER)).toThrow(DomainError);
  });

  it('has Vietnamese labels for every level', () => {
    expect(COUNCIL_LEVEL_LABELS.province.vi).toBe('Cấp tỉnh');
    for (const l of Object.values(COUNCIL_LEVEL_LABELS)) expect(l.vi && l.en).toBeTruthy();
  });
});
