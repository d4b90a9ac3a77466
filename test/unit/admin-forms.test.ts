import { describe, expect, it } from 'vitest';
import { batchForm, domainFieldErrors, evaluationForm, issueForm, parseForm, producerForm, revokeForm, userForm } from '../../admin/forms';
import { DomainError, type DomainErrorCode } from '../../worker/domain/errors';

describe('admin forms', () => {
  it('read an HTML form and a JSON body to the same values', () => {
    const html = parseForm(evaluationForm, { productId: '4', scoreA: '30', scoreB: '19', scoreC: '27.5', mandatoryLevel: '5', councilLevel: 'province', evaluatedOn: '2026-02-20', legalBasisId: 'QD-148-2023', note: '' });
    const json = parseForm(evaluationForm, { productId: 4, scoreA: 30, scoreB: 19, scoreC: 27.5, mandatoryLevel: 5, councilLevel: 'province', evaluatedOn: '2026-02-20', legalBasisId: 'QD-148-2023' });
    expect(html).toEqual(json);
    expect(html.ok && html.data.note).toBeNull();
  });

  it('treat checkboxes as HTML sends them: "on" or absent', () => {
    const base = { name: 'HTX A', legalForm: 'hop_tac_xa' };
    expect(parseForm(producerForm, { ...base, femaleLed: 'on' })).toMatchObject({ ok: true, data: { femaleLed: true, ethnicMinorityLed: false } });
    expect(parseForm(producerForm, { ...base, femaleLed: true, ethnicMinorityLed: false })).toMatchObject({ ok: true, data: { femaleLed: true, ethnicMinorityLed: false } });
    expect(parseForm(producerForm, { ...base, femaleLed: 'yes please' })).toMatchObject({ ok: true, data: { femaleLed: false } });
  });

  it('give one Vietnamese-first message per field', () => {
    const r = parseForm(issueForm, { evaluationId: 'x', number: 'a', decisionDate: '2025-02-29', issuingLevel: 'galaxy' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual({
      evaluationId: 'Phải là số / Must be a number',
      number: 'Số giấy chứng nhận: 3-40 ký tự A-Z, 0-9, . / - / Certificate number: 3-40 of A-Z 0-9 . / -',
      decisionNumber: 'Bắt buộc / Required',
      decisionDate: 'Ngày không hợp lệ (YYYY-MM-DD) / Invalid date (YYYY-MM-DD)',
      issuingBody: 'Bắt buộc / Required',
      issuingLevel: 'Giá trị không hợp lệ / Invalid choice',
    });
  });

  it('normalise what people type: trimmed, NFC, upper-case certificate numbers, lower-case emails', () => {
    const decomposed = 'Ha\u0300 My\u0323';
    const r = parseForm(producerForm, { name: `  ${decomposed}  `, legalForm: 'doanh_nghiep', email: ' A@B.VN ' });
    expect(r).toMatchObject({ ok: true, data: { name: 'Hà Mỵ', email: 'a@b.vn' } });
    expect(parseForm(issueForm, { evaluationId: '1', number: ' bp-ocop-1 ', decisionNumber: '1', decisionDate: '2026-01-01', issuingBody: 'UBND', issuingLevel: 'province' })).toMatchObject({ ok: true, data: { number: 'BP-OCOP-1' } });
    expect(parseForm(userForm, { email: 'X@Y.VN', name: 'X', role: 'auditor' })).toMatchObject({ ok: true, data: { email: 'x@y.vn', areaUnitId: null, producerId: null } });
  });

  it('bound quantities, scores and selections', () => {
    const batch = (quantity: unknown) => parseForm(batchForm, { certificateId: 1, lotCode: 'L1', productionDate: '2026-01-01', quantity });
    expect(batch('1').ok).toBe(true);
    expect(batch(1_000_000).ok).toBe(true);
    expect(batch('1000001').ok).toBe(false);
    expect(batch('2.5').ok).toBe(false);
    expect(batch('1e3')).toMatchObject({ ok: true, data: { quantity: 1000 } });
    const ids = (v: unknown) => parseForm(revokeForm, { ids: v, decisionNumber: '1', date: '2026-01-01', ground: 'other', note: 'x' });
    expect(ids('5')).toMatchObject({ ok: true, data: { ids: [5], confirm: false } });
    expect(ids(['5', '6'])).toMatchObject({ ok: true, data: { ids: [5, 6] } });
    expect(ids(undefined)).toMatchObject({ ok: false, errors: { ids: 'Chưa chọn giấy chứng nhận nào / No certificate selected' } });
    expect(ids(['5', 'x']).ok).toBe(false);
  });

  it('place domain errors beside the field they are about, or at the top', () => {
    const e = (code: DomainErrorCode) => new DomainError(code, 'English', 'Tiếng Việt');
    expect(domainFieldErrors(e('number_taken'), ['number'])).toEqual({ number: 'Tiếng Việt / English' });
    expect(domainFieldErrors(e('number_taken'), ['other'])).toEqual({ _form: 'Tiếng Việt / English' });
    expect(domainFieldErrors(e('future_date'), ['decisionDate'], 'decisionDate')).toEqual({ decisionDate: 'Tiếng Việt / English' });
    expect(domainFieldErrors(e('unknown_unit'), ['unitId'])).toEqual({ unitId: 'Tiếng Việt / English' });
    expect(domainFieldErrors(e('not_revocable'), ['number'])).toEqual({ _form: 'Tiếng Việt / English' });
  });
});
