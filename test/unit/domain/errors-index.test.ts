import { describe, expect, it } from 'vitest';
import * as domain from '../../../worker/domain';
import { DomainError } from '../../../worker/domain/errors';

describe('DomainError', () => {
  it('carries a stable code and both messages', () => {
    const e = new DomainError('x_code', 'English text', 'Tiếng Việt');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('DomainError');
    expect(e.code).toBe('x_code');
    expect(e.messageVi).toBe('Tiếng Việt');
    expect(e.message).toBe('English text');
    expect(e.messageEn).toBe('English text');
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
