import { describe, expect, it } from 'vitest';
import * as domain from '../../../worker/domain';
import { DomainError } from '../../../worker/domain/errors';

describe('DomainError', () => {
  it('carries a stable code and both messages', () => {
    const e = new DomainError('number_taken', 'English text', 'Tiếng Việt');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('DomainError');
    expect(e.code).toBe('number_taken');
    expect(e.kind).toBe('conflict');
    expect(e.messageVi).toBe('Tiếng Việt');
    expect(e.message).toBe('English text');
    expect(e.messageEn).toBe('English text');
  });

  it('accepts only the codes of the table', () => {
    // @ts-expect-error a misspelt code does not compile
    const e = new DomainError('number_takn', 'English', 'Tiếng Việt');
    expect(e.code).toBe('number_takn');
  });
});

describe('index', () => {
  it('re-exports the public API', () => {
    for (const name of [
      'DomainError', 'VN_OFFSET_MINUTES', 'todayInVietnam', 'parseIsoDate', 'addDays', 'addMonthsClamped', 'daysBetween',
      'SCORE_MAX', 'starsFromTotal', 'evaluateStars', 'isCertifiable',
      'PROCESS_CHANGE_DATE', 'mayRecognise', 'recognisingLevels', 'COUNCIL_LEVEL_LABELS',
      'VALIDITY_MONTHS', 'EXPIRY_NOTICE_DAYS', 'validUntil',
      'certificateState', 'canTransition', 'REVOCATION_GROUNDS', 'REVOCATION_GROUND_LABELS', 'STATE_LABELS', 'LEGAL_FORMS', 'LEGAL_FORM_LABELS',
    ]) {
      expect(domain, name).toHaveProperty(name);
    }
  });
});
