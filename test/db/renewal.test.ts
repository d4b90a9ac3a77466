import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPackageCode } from '../../worker/codes/sign';
import { issueBatch } from '../../worker/db/batches';
import { createEvaluation } from '../../worker/db/evaluations';
import { addDays, todayInVietnam } from '../../worker/domain/dates';
import { formatDate } from '../../worker/public/i18n';
import { createTestContext, type TestContext } from '../helpers/app';
import { demoNumbers } from '../helpers/demo';
import { DEMO_EMAILS, get, postForm, sessionFor, text } from './admin-support';

// Renewal pending (issue 11) and renewal flows that do not dead-end (issue 12), through the
// admin UI as officials use it and the public pages and API as shoppers and shops see them.

const N = demoNumbers();
let ctx: TestContext;
let admin: string;
let today: string;
const CLIENT = { incoming: { socket: { remoteAddress: '203.0.113.9' } } };

async function page(path: string): Promise<string> {
  return text(await (await ctx.app.request(path, {}, CLIENT)).text());
}

async function certId(number: string): Promise<number> {
  return (await ctx.db.selectFrom('certificates').select('id').where('number', '=', number).executeTakeFirstOrThrow()).id;
}

async function apiCertificate(number: string) {
  return (await (await ctx.app.request(`/api/v1/verify?code=${encodeURIComponent(number)}`, {}, CLIENT)).json()) as {
    result: { verdict: string; warnings: string[]; certificate: { state: string; renewal_pending_since: string | null } };
  };
}

beforeAll(async () => {
  ctx = await createTestContext({ seed: true });
  admin = await sessionFor(ctx, DEMO_EMAILS.province_admin);
  today = todayInVietnam(new Date());
}, 180_000);

afterAll(async () => {
  await ctx.deps.scans.log.drain();
  await ctx?.close();
});

describe('renewal pending: recording a file', () => {
  it('turns an expired certificate into "expired — renewal under review since …" on every public page and in the API, audited', async () => {
    const number = '70-32-2021';
    const id = await certId(number);
    expect((await apiCertificate(number)).result.certificate.state).toBe('expired');
    const received = addDays(today, -3);
    const res = await postForm(ctx, `/admin/certificates/${id}/renewal-application`, admin, { receivedOn: received, note: 'Hồ sơ nộp tại Sở' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/admin/certificates/${id}?done=renewal_received`);
    const since = formatDate('vi', received);

    const cert = await page(`/c/${number}`);
    expect(cert).toContain(`Hết hạn — đang xét gia hạn từ ${since}`);
    expect(cert).toContain('chưa ra quyết định');
    expect(await page(`/c/${number}?lang=en`)).toContain(`Expired — renewal under review since ${formatDate('en', received)}`);
    expect(await page('/p/buoi-da-xanh-bu-dop')).toContain(`Hết hạn — đang xét gia hạn từ ${since}`);

    const api = (await apiCertificate(number)).result;
    // Still not genuine goods: the verdict stays `expired`; the state and a warning say more.
    expect(api.verdict).toBe('expired');
    expect(api.certificate).toMatchObject({ state: 'renewal_pending', renewal_pending_since: received });
    expect(api.warnings).toEqual(['certificate_expired', 'renewal_pending']);

    const shop = text(await (await ctx.app.request('/tra-cuu', { method: 'POST', body: new URLSearchParams({ list: number }), headers: { 'content-type': 'application/x-www-form-urlencoded' } }, CLIENT)).text());
    expect(shop).toContain(`Đang xét gia hạn: hồ sơ đánh giá lại nhận ngày ${since}`);

    const audit = await ctx.db.selectFrom('audit_log').select(['action', 'actor_label', 'reason']).where('entity', '=', 'certificate').where('entity_id', '=', String(id)).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(audit).toEqual({ action: 'certificate.renewal_received', actor_label: DEMO_EMAILS.province_admin, reason: 'Hồ sơ nộp tại Sở' });
    const adminPage = text(await (await get(ctx, `/admin/certificates/${id}`, admin)).text());
    expect(adminPage).toContain(`Đã nhận hồ sơ đánh giá lại ngày ${since}, đang xét.`);
    expect(adminPage).toContain('Hết hạn — đang xét gia hạn');
    // Officials can list what is under review (the seeded one and this one), in the UI and the API alike.
    const list = text(await (await get(ctx, '/admin/certificates?state=renewal_pending', admin)).text());
    expect(list).toContain(number);
    expect(list).toContain(N.banhTrang);
    expect(list).not.toContain('70-31-2021');
  });

  it('shows the pending state on the scan page of a package at once (the state cache is cleared by the write)', async () => {
    const number = N.keo;
    const id = await certId(number);
    const b = await ctx.db.selectFrom('package_batches').select('id').where('certificate_id', '=', id).executeTakeFirstOrThrow();
    const code = await signPackageCode(ctx.keys, b.id, 2);
    const before = text(await (await ctx.app.request(`/v/${code}`, {}, CLIENT)).text());
    expect(before).toContain('Sản phẩm OCOP chính hãng');
    // Not yet expired (it is "expiring"): marked, but the public still sees it valid.
    expect((await postForm(ctx, `/admin/certificates/${id}/renewal-application`, admin, { receivedOn: today })).status).toBe(303);
    const stillValid = text(await (await ctx.app.request(`/v/${code}`, {}, CLIENT)).text());
    expect(stillValid).toContain('Sản phẩm OCOP chính hãng');
    expect(stillValid).not.toContain('đang xét gia hạn');
    expect((await apiCertificate(number)).result.certificate).toMatchObject({ state: 'expiring', renewal_pending_since: today });
    expect(text(await (await get(ctx, `/admin/certificates/${id}`, admin)).text())).toContain('Giấy còn hiệu lực: trang công khai vẫn hiện còn hiệu lực');
    // Once its last day has passed, the scan says what is known, in the verdict box.
    const validUntil = (await ctx.db.selectFrom('certificates').select('valid_until').where('id', '=', id).executeTakeFirstOrThrow()).valid_until;
    ctx.setNow(new Date(`${addDays(validUntil, 1)}T05:00:00Z`));
    try {
      ctx.deps.cache.invalidate();
      const html = await (await ctx.app.request(`/v/${code}`, {}, CLIENT)).text();
      const box = /<section class="verdict warn"[^>]*>([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';
      expect(text(box)).toContain(`Hết hạn — đang xét gia hạn từ ${formatDate('vi', today)}`);
      expect(text(box)).toContain('Lô này được sản xuất ngày');
      expect(html).not.toContain('chính hãng');
      // The warning costs little: the page stays far under its budget (30 KB; photos aim at 12 KB).
      const bytes = new TextEncoder().encode(html).length;
      expect(bytes).toBeLessThan(12 * 1024);
      console.log(`renewal-pending scan page: ${bytes} bytes`);
    } finally {
      ctx.setNow(new Date());
      ctx.deps.cache.invalidate();
    }
  });

  it('refuses a second open file, a future or pre-decision date, a revoked certificate, and other roles', async () => {
    const id = await certId('70-32-2021');
    const again = await postForm(ctx, `/admin/certificates/${id}/renewal-application`, admin, { receivedOn: today });
    expect(again.status).toBe(409);
    expect(text(await again.text())).toContain('đang xét');
    const fresh = await certId(N.robusta);
    const future = await postForm(ctx, `/admin/certificates/${fresh}/renewal-application`, admin, { receivedOn: addDays(today, 1) });
    expect(future.status).toBe(400);
    expect(text(await future.text())).toContain('Ngày nhận hồ sơ không được ở tương lai');
    const early = await postForm(ctx, `/admin/certificates/${fresh}/renewal-application`, admin, { receivedOn: '2020-01-01' });
    expect(early.status).toBe(400);
    expect(text(await early.text())).toContain('không được trước ngày quyết định');
    const junk = await postForm(ctx, `/admin/certificates/${fresh}/renewal-application`, admin, { receivedOn: '31/02/2026', note: 'x'.repeat(1001) });
    expect(junk.status).toBe(400);
    const revoked = await postForm(ctx, `/admin/certificates/${await certId(N.matOng)}/renewal-application`, admin, { receivedOn: today });
    expect(revoked.status).toBe(409);
    expect(text(await revoked.text())).toContain('đã bị thu hồi');
    for (const role of ['auditor', 'area_officer', 'producer'] as const) {
      const res = await postForm(ctx, `/admin/certificates/${fresh}/renewal-application`, await sessionFor(ctx, DEMO_EMAILS[role]), { receivedOn: today });
      expect(res.status, role).toBe(403);
    }
    expect((await postForm(ctx, `/admin/certificates/${fresh}/renewal-application`, undefined, { receivedOn: today })).status).toBe(303); // to the sign-in page
    expect((await postForm(ctx, '/admin/certificates/999999/renewal-application', admin, { receivedOn: today })).status).toBe(404);
    // Nothing of the refused attempts was stored.
    expect(await ctx.db.selectFrom('renewal_applications').select('id').where('certificate_id', '=', fresh).execute()).toEqual([]);
  });
});

describe('renewal pending: refusal and renewal end it', () => {
  it('a refusal (audited, not before the file) makes the certificate plainly expired again', async () => {
    const number = '70-32-2021';
    const id = await certId(number);
    const open = await ctx.db.selectFrom('renewal_applications').select('received_on').where('certificate_id', '=', id).executeTakeFirstOrThrow();
    const tooEarly = await postForm(ctx, `/admin/certificates/${id}/renewal-refusal`, admin, { refusedOn: addDays(open.received_on, -1) });
    expect(tooEarly.status).toBe(400);
    expect(text(await tooEarly.text())).toContain('Ngày từ chối không được trước ngày nhận hồ sơ');
    const res = await postForm(ctx, `/admin/certificates/${id}/renewal-refusal`, admin, { refusedOn: today, note: 'Hồ sơ không đạt' });
    expect(res.status).toBe(303);
    expect((await apiCertificate(number)).result).toMatchObject({ verdict: 'expired', warnings: ['certificate_expired'], certificate: { state: 'expired', renewal_pending_since: null } });
    expect(await page(`/c/${number}`)).not.toContain('đang xét gia hạn');
    const twice = await postForm(ctx, `/admin/certificates/${id}/renewal-refusal`, admin, { refusedOn: today });
    expect(twice.status).toBe(409);
    const audit = await ctx.db.selectFrom('audit_log').select(['action', 'reason']).where('entity', '=', 'certificate').where('entity_id', '=', String(id)).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(audit).toEqual({ action: 'certificate.renewal_refused', reason: 'Hồ sơ không đạt' });
    // After a refusal a new file may be received.
    expect((await postForm(ctx, `/admin/certificates/${id}/renewal-application`, admin, { receivedOn: today })).status).toBe(303);
    expect((await apiCertificate(number)).result.certificate.state).toBe('renewal_pending');
  });

  it('the seeded renewal-pending certificate ends its wait when the renewal is issued', async () => {
    const number = N.banhTrang;
    expect((await apiCertificate(number)).result.certificate.state).toBe('renewal_pending');
    const id = await certId(number);
    const cert = await ctx.db.selectFrom('certificates').select('product_id').where('id', '=', id).executeTakeFirstOrThrow();
    const evaluation = await createEvaluation(ctx.db, { userId: null, label: 'test' }, { productId: cert.product_id, scoreA: 30, scoreB: 19, scoreC: 27.5, mandatoryLevel: 4, councilLevel: 'province', evaluatedOn: today, legalBasisId: 'QD-148-2023' }, new Date());
    const res = await postForm(ctx, `/admin/certificates/${id}/renew`, admin, {
      evaluationId: String(evaluation.id), number: 'DN-OCOP-DEMO-904', decisionNumber: '904/QĐ-UBND', decisionDate: today, issuingBody: 'UBND tỉnh Đồng Nai', issuingLevel: 'province',
    });
    expect(res.status).toBe(303);
    const old = (await apiCertificate(number)).result;
    expect(old.certificate.state).toBe('superseded');
    expect(old.warnings).not.toContain('renewal_pending');
    const adminPage = text(await (await get(ctx, `/admin/certificates/${id}`, admin)).text());
    expect(adminPage).toContain('Đã gia hạn / Renewed');
  });
});

describe('renewal flows that do not dead-end (issue 12)', () => {
  it('starting an issue from an evaluation of a certified product leads to its renewal, from the first step and at the submit', async () => {
    const id = await certId(N.cong);
    const cert = await ctx.db.selectFrom('certificates').select('product_id').where('id', '=', id).executeTakeFirstOrThrow();
    const evaluation = await createEvaluation(ctx.db, { userId: null, label: 'test' }, { productId: cert.product_id, scoreA: 30, scoreB: 19, scoreC: 27.5, mandatoryLevel: 4, councilLevel: 'province', evaluatedOn: today, legalBasisId: 'QD-148-2023' }, new Date());
    const first = await get(ctx, `/admin/certificates/new?evaluation=${evaluation.id}`, admin);
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe(`/admin/certificates/${id}/renew?evaluation=${evaluation.id}`);
    // The issue page lists it as a renewal, not as an evaluation to issue from.
    const issuePage = text(await (await get(ctx, '/admin/certificates/new', admin)).text());
    expect(issuePage).toContain(`Gia hạn ${N.cong} / Renew`);
    const submitted = await postForm(ctx, '/admin/certificates', admin, { evaluationId: String(evaluation.id), number: 'DN-OCOP-2099-001', decisionNumber: '1/QĐ-UBND', decisionDate: today, issuingBody: 'UBND tỉnh Đồng Nai', issuingLevel: 'province' });
    expect(submitted.status).toBe(303);
    expect(submitted.headers.get('location')).toBe(`/admin/certificates/${id}/renew?evaluation=${evaluation.id}`);
    const renewPage = await (await get(ctx, `/admin/certificates/${id}/renew?evaluation=${evaluation.id}`, admin)).text();
    expect(renewPage).toMatch(new RegExp(`<option value="${evaluation.id}" selected`));
    expect(text(renewPage)).toContain('UBND tỉnh Đồng Nai');
  });

  it('shows ineligible re-evaluations with the reason before any field, and an evaluation started from the renewal returns to it', async () => {
    const id = await certId(N.namPhu);
    const cert = await ctx.db.selectFrom('certificates').select('product_id').where('id', '=', id).executeTakeFirstOrThrow();
    await createEvaluation(ctx.db, { userId: null, label: 'test' }, { productId: cert.product_id, scoreA: 20, scoreB: 10, scoreC: 10, mandatoryLevel: 2, councilLevel: 'province', evaluatedOn: today, legalBasisId: 'QD-148-2023' }, new Date());
    const html = await (await get(ctx, `/admin/certificates/${id}/renew`, admin)).text();
    const shown = text(html);
    expect(shown).toContain('dưới 3 sao không được cấp hoặc gia hạn');
    expect(html).not.toContain('name="number"'); // no form to fill in vain
    expect(html).toContain(`href="/admin/evaluations/new?product=${cert.product_id}&amp;renew=${id}"`);
    const form = await (await get(ctx, `/admin/evaluations/new?product=${cert.product_id}&renew=${id}`, admin)).text();
    expect(form).toContain(`action="/admin/evaluations?renew=${id}"`);
    const saved = await postForm(ctx, `/admin/evaluations?renew=${id}`, admin, {
      productId: String(cert.product_id), scoreA: '26', scoreB: '16', scoreC: '23', mandatoryLevel: '3', councilLevel: 'province', evaluatedOn: today, legalBasisId: 'QD-148-2023',
    });
    expect(saved.status).toBe(303);
    const back = saved.headers.get('location')!;
    expect(back).toMatch(new RegExp(`^/admin/certificates/${id}/renew\\?evaluation=\\d+$`));
    const renewPage = await (await get(ctx, back, admin)).text();
    expect(renewPage).toContain('name="number"');
    // An area officer may record evaluations but not renew: saving shows the evaluation.
    const officer = await sessionFor(ctx, DEMO_EMAILS.area_officer);
    const robusta = await ctx.db.selectFrom('certificates').select('product_id').where('number', '=', N.robusta).executeTakeFirstOrThrow();
    const byOfficer = await postForm(ctx, `/admin/evaluations?renew=${await certId(N.robusta)}`, officer, {
      productId: String(robusta.product_id), scoreA: '26', scoreB: '16', scoreC: '23', mandatoryLevel: '3', councilLevel: 'province', evaluatedOn: today, legalBasisId: 'QD-148-2023',
    });
    expect(byOfficer.status).toBe(303);
    expect(byOfficer.headers.get('location')).toMatch(/^\/admin\/evaluations\/\d+\?done=created$/);
    expect((await get(ctx, `/admin/evaluations/new?renew=abc`, admin)).status).toBe(400);
  });

  it('a lot past its best-before date warns while its certificate is valid; an expired certificate under review takes no new batch', async () => {
    const pendingLot = await ctx.db.selectFrom('package_batches').select('id').where('lot_code', '=', 'MD-02').executeTakeFirstOrThrow();
    const code = await signPackageCode(ctx.keys, pendingLot.id, 1);
    const api = (await (await ctx.app.request(`/api/v1/verify?code=${code}`, {}, CLIENT)).json()) as { result: { verdict: string; warnings: string[] } };
    expect(api.result).toMatchObject({ verdict: 'genuine', warnings: ['past_best_before'] });
    const pendingId = await certId('70-32-2021');
    await expect(issueBatch(ctx.db, { userId: null, label: 'test' }, { certificateId: pendingId, lotCode: 'X-1', productionDate: today, bestBefore: null, quantity: 1 }, ctx.keys, new Date())).rejects.toThrow(/expired/);
  });
});
