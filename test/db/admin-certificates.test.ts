import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInVietnam } from '../../worker/domain/dates';
import { createTestContext, type TestContext } from '../helpers/app';
import { DEMO_EMAILS, get, postForm, sessionFor, text } from './admin-support';
import { demoNumbers } from '../helpers/demo';

// The officials' certificate work through the UI's own forms, as a browser would post them.

const NOW = new Date('2026-03-10T03:00:00Z'); // 10:00 in Vietnam

/** Demo certificate numbers as seeded by this file's context (they carry their decision's year). */
const N = demoNumbers(NOW);
const TODAY = todayInVietnam(NOW);
let ctx: TestContext;
let admin: string;
let officer: string;
let haMyId: number;

function location(res: Response): string {
  return res.headers.get('location') ?? '';
}

async function idFromRedirect(res: Response, resource: string): Promise<number> {
  expect(res.status, text(await res.clone().text()).slice(0, 400)).toBe(303);
  const m = new RegExp(`/admin/${resource}/(\\d+)`).exec(location(res));
  if (!m) throw new Error(`no ${resource} id in ${location(res)}`);
  return Number(m[1]);
}

async function newProduct(name: string): Promise<number> {
  return idFromRedirect(await postForm(ctx, '/admin/products', officer, { producerId: String(haMyId), name, planGroupId: '', description: 'Thử nghiệm' }), 'products');
}

async function newEvaluation(productId: number, a: string, b: string, c: string, mandatory: string, council = 'province'): Promise<number> {
  const res = await postForm(ctx, '/admin/evaluations', officer, {
    productId: String(productId), scoreA: a, scoreB: b, scoreC: c, mandatoryLevel: mandatory, councilLevel: council, evaluatedOn: '2026-02-20', legalBasisId: 'QD-148-2023', note: '',
  });
  return idFromRedirect(res, 'evaluations');
}

function issueFields(evaluationId: number, number: string, extra: Record<string, string> = {}): Record<string, string> {
  return { evaluationId: String(evaluationId), number, decisionNumber: '88/QĐ-UBND', decisionDate: '2026-03-01', issuingBody: 'UBND tỉnh Đồng Nai', issuingLevel: 'province', ...extra };
}

beforeAll(async () => {
  ctx = await createTestContext({ seed: true, now: NOW });
  admin = await sessionFor(ctx, DEMO_EMAILS.province_admin);
  officer = await sessionFor(ctx, DEMO_EMAILS.area_officer);
  haMyId = (await ctx.db.selectFrom('producers').select('id').where('name', '=', 'Công ty Cổ phần Hà Mỵ').executeTakeFirstOrThrow()).id;
}, 180_000);

afterAll(async () => {
  await ctx?.close();
});

describe('evaluations', () => {
  it('derive the stars from the scores capped by the mandatory criteria', async () => {
    const productId = await newProduct('Bơ điều thử nghiệm');
    const capped = await newEvaluation(productId, '36', '22', '33', '4'); // 91 points, 4★ criteria
    const row = await ctx.db.selectFrom('evaluations').selectAll().where('id', '=', capped).executeTakeFirstOrThrow();
    expect(row.total).toBe(91);
    expect(row.stars).toBe(4);
    const page = text(await (await get(ctx, `/admin/evaluations/${capped}`, officer)).text());
    expect(page).toContain('91/100');
    expect(page).toContain('★★★★☆');
  });

  it('refuse bad scores, dates and missing fields with Vietnamese field errors, saving nothing', async () => {
    const productId = await newProduct('Mứt điều');
    const before = await ctx.db.selectFrom('evaluations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const res = await postForm(ctx, '/admin/evaluations', officer, { productId: String(productId), scoreA: '41', scoreB: 'abc', scoreC: '20.25', mandatoryLevel: '', councilLevel: 'galaxy', evaluatedOn: '2026-02-30', legalBasisId: 'QD-148-2023' });
    expect(res.status).toBe(400);
    const html = await res.text();
    const page = text(html);
    for (const s of ['Từ 0 đến 40', 'Phải là số / Must be a number', 'Tối đa một chữ số thập phân', 'Giá trị không hợp lệ', 'Ngày không hợp lệ']) expect(page).toContain(s);
    expect(html).toContain('aria-invalid="true"');
    expect(html).toContain('value="41"'); // the form comes back as sent
    const future = await postForm(ctx, '/admin/evaluations', officer, { productId: String(productId), scoreA: '30', scoreB: '19', scoreC: '27', mandatoryLevel: '5', councilLevel: 'province', evaluatedOn: '2026-04-01', legalBasisId: 'QD-148-2023' });
    expect(future.status).toBe(400); // future_date: invalid input, as in the API
    expect(text(await future.text())).toContain('Ngày đánh giá không được ở tương lai');
    const after = await ctx.db.selectFrom('evaluations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('can be corrected until a certificate rests on them, and every change is audited', async () => {
    const productId = await newProduct('Bánh pía điều');
    const id = await newEvaluation(productId, '25', '15', '22', '5');
    const fix = await postForm(ctx, `/admin/evaluations/${id}`, officer, { productId: String(productId), scoreA: '30', scoreB: '15', scoreC: '22', mandatoryLevel: '5', councilLevel: 'province', evaluatedOn: '2026-02-20', legalBasisId: 'QD-148-2023' });
    expect(fix.status).toBe(303);
    const trail = await ctx.db.selectFrom('audit_log').select(['action', 'actor_label', 'before', 'after']).where('entity', '=', 'evaluation').where('entity_id', '=', String(id)).orderBy('id').execute();
    expect(trail.map((t) => t.action)).toEqual(['evaluation.create', 'evaluation.update']);
    expect(trail[1]!.actor_label).toBe('canbo.dongphu@ocop.demo');
    expect((trail[1]!.before as { total: number }).total).toBe(62);
    expect((trail[1]!.after as { total: number; stars: number }).stars).toBe(3);
    await postForm(ctx, '/admin/certificates', admin, issueFields(id, 'DN-OCOP-2026-900'));
    const late = await postForm(ctx, `/admin/evaluations/${id}`, officer, { productId: String(productId), scoreA: '40', scoreB: '25', scoreC: '35', mandatoryLevel: '5', councilLevel: 'province', evaluatedOn: '2026-02-20', legalBasisId: 'QD-148-2023' });
    expect(late.status).toBe(409);
    expect(text(await late.text())).toContain('DN-OCOP-2026-900');
  });
});

describe('issuing', () => {
  it('issues from an evaluation: stars from the evaluation, 36 months validity, audited, shown at once', async () => {
    const productId = await newProduct('Hạt điều sấy mật ong');
    const evaluationId = await newEvaluation(productId, '30', '19', '27.5', '5');
    const form = text(await (await get(ctx, `/admin/certificates/new?evaluation=${evaluationId}`, admin)).text());
    expect(form).toContain('Hạt điều sấy mật ong');
    const res = await postForm(ctx, '/admin/certificates', admin, issueFields(evaluationId, 'dn-ocop-2026-001'));
    const id = await idFromRedirect(res, 'certificates');
    const cert = await ctx.db.selectFrom('certificates').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(cert.number).toBe('DN-OCOP-2026-001');
    expect(cert.stars).toBe(4);
    expect(cert.valid_from).toBe('2026-03-01');
    expect(cert.valid_until).toBe('2029-03-01');
    const page = text(await (await get(ctx, `/admin/certificates/${id}?done=issued`, admin)).text());
    expect(page).toContain('Đã cấp giấy chứng nhận.');
    expect(page).toContain('★★★★☆');
    expect(page).toContain('A 30/40 · B 19/25 · C 27,5/35');
    const audit = await ctx.db.selectFrom('audit_log').select(['action', 'actor_label', 'actor_user_id']).where('entity', '=', 'certificate').where('entity_id', '=', String(id)).execute();
    expect(audit.map((a) => [a.action, a.actor_label])).toEqual([['certificate.issue', 'admin@ocop.demo']]);
    expect(audit[0]!.actor_user_id).not.toBeNull();
  });

  it('turns every broken rule into a message beside the right field', async () => {
    const productId = await newProduct('Điều nhân trắng');
    const four = await newEvaluation(productId, '30', '19', '27.5', '5');
    const national = await postForm(ctx, '/admin/certificates', admin, issueFields(four, 'DN-OCOP-2026-002', { issuingLevel: 'national' }));
    expect(national.status).toBe(400); // body_not_allowed: invalid input, as in the API
    expect(text(await national.text())).toMatch(/Trung ương \(Bộ\) không có thẩm quyền công nhận sản phẩm 4 sao/);
    const district = await postForm(ctx, '/admin/certificates', admin, issueFields(four, 'DN-OCOP-2026-002', { issuingLevel: 'district' }));
    expect(text(await district.text())).toContain('không có thẩm quyền');
    const early = await postForm(ctx, '/admin/certificates', admin, issueFields(four, 'DN-OCOP-2026-002', { decisionDate: '2026-02-01' }));
    expect(text(await early.text())).toContain('Ngày quyết định trước ngày đánh giá');
    const future = await postForm(ctx, '/admin/certificates', admin, issueFields(four, 'DN-OCOP-2026-002', { decisionDate: '2026-05-01' }));
    expect(text(await future.text())).toContain('Ngày quyết định không được ở tương lai');
    const taken = await postForm(ctx, '/admin/certificates', admin, issueFields(four, N.haMyOld));
    expect(taken.status).toBe(409);
    expect(text(await taken.text())).toContain(`Số giấy chứng nhận ${N.haMyOld} đã được dùng`);
    const badNumber = await postForm(ctx, '/admin/certificates', admin, issueFields(four, 'số 1'));
    expect(badNumber.status).toBe(400);
    expect(text(await badNumber.text())).toContain('Số giấy chứng nhận: 3-40 ký tự');
    const missing = await postForm(ctx, '/admin/certificates', admin, { evaluationId: String(four) });
    expect(missing.status).toBe(400);
    expect((text(await missing.text()).match(/Bắt buộc \/ Required/g) ?? []).length).toBeGreaterThanOrEqual(4);

    const fiveProduct = await newProduct('Điều rang củi');
    const five = await newEvaluation(fiveProduct, '36', '22', '33', '5', 'province');
    const notNational = await postForm(ctx, '/admin/certificates', admin, issueFields(five, 'DN-OCOP-2026-003', { issuingLevel: 'national', issuingBody: 'Bộ Nông nghiệp và Môi trường' }));
    expect(text(await notNational.text())).toContain('Sản phẩm 5 sao chỉ do Hội đồng cấp trung ương đánh giá');
    const twoProduct = await newProduct('Điều vụn');
    const two = await newEvaluation(twoProduct, '15', '10', '15', '5');
    const uncertifiable = await postForm(ctx, '/admin/certificates', admin, issueFields(two, 'DN-OCOP-2026-004'));
    expect(text(await uncertifiable.text())).toContain('Sản phẩm 2 sao không được cấp giấy chứng nhận');
    const count = await ctx.db.selectFrom('certificates').select('id').where('number', 'in', ['DN-OCOP-2026-002', 'DN-OCOP-2026-003', 'DN-OCOP-2026-004']).execute();
    expect(count).toEqual([]);
  });
});

describe('renewal and revocation', () => {
  it('renews with a re-evaluation: the new certificate supersedes the old, and the chain shows on both', async () => {
    const productId = await newProduct('Điều rang bơ');
    const first = await newEvaluation(productId, '30', '19', '27.5', '5');
    const oldId = await idFromRedirect(await postForm(ctx, '/admin/certificates', admin, issueFields(first, 'DN-OCOP-2026-010')), 'certificates');
    const second = await newEvaluation(productId, '25', '15', '22', '5'); // down to 3★
    const form = text(await (await get(ctx, `/admin/certificates/${oldId}/renew`, admin)).text());
    expect(form).toContain(`#${second}`);
    const newId = await idFromRedirect(await postForm(ctx, `/admin/certificates/${oldId}/renew`, admin, issueFields(second, 'DN-OCOP-2026-011', { decisionDate: TODAY })), 'certificates');
    const rows = await ctx.db.selectFrom('certificates').select(['id', 'status', 'stars', 'supersedes_id']).where('id', 'in', [oldId, newId]).orderBy('id').execute();
    expect(rows).toEqual([
      { id: oldId, status: 'superseded', stars: 4, supersedes_id: null },
      { id: newId, status: 'active', stars: 3, supersedes_id: oldId },
    ]);
    const oldPage = text(await (await get(ctx, `/admin/certificates/${oldId}`, admin)).text());
    expect(oldPage).toContain('Được thay bằng / Superseded by DN-OCOP-2026-011');
    const newPage = text(await (await get(ctx, `/admin/certificates/${newId}`, admin)).text());
    expect(newPage).toContain('Thay thế cho / Supersedes DN-OCOP-2026-010');
    const again = await postForm(ctx, `/admin/certificates/${oldId}/renew`, admin, issueFields(second, 'DN-OCOP-2026-012'));
    expect(text(await again.text())).toContain('không thể gia hạn');
  });

  it('revokes only after a confirmation step, and the scan state changes at once', async () => {
    const batch = await ctx.db
      .selectFrom('package_batches as b')
      .innerJoin('certificates as c', 'c.id', 'b.certificate_id')
      .select(['b.id', 'c.id as cert_id', 'c.number'])
      .where('b.lot_code', '=', 'HM-RM-01')
      .executeTakeFirstOrThrow();
    expect((await ctx.deps.cache.get(ctx.db, batch.id, TODAY))!.certificate.status).toBe('active');
    const form = await get(ctx, `/admin/certificates/revoke?ids=${batch.cert_id}`, admin);
    expect(text(await form.text())).toContain(batch.number);
    const fields = { ids: String(batch.cert_id), decisionNumber: '15/QĐ-UBND', date: TODAY, ground: 'food_safety_violation', note: 'Mẫu kiểm nghiệm không đạt' };
    const step1 = await postForm(ctx, '/admin/certificates/revoke', admin, fields);
    expect(step1.status).toBe(200);
    const confirm = text(await step1.text());
    expect(confirm).toContain('Xác nhận thu hồi');
    expect(confirm).toContain('Vi phạm an toàn thực phẩm');
    expect((await ctx.db.selectFrom('certificates').select('status').where('id', '=', batch.cert_id).executeTakeFirstOrThrow()).status).toBe('active');
    const step2 = await postForm(ctx, '/admin/certificates/revoke', admin, { ...fields, confirm: 'on' });
    expect(step2.status).toBe(303);
    expect(location(step2)).toBe(`/admin/certificates/${batch.cert_id}?done=revoked`);
    const state = await ctx.deps.cache.get(ctx.db, batch.id, TODAY);
    expect(state!.certificate.status).toBe('revoked');
    expect(state!.certificate.revocation).toEqual({ decisionNumber: '15/QĐ-UBND', date: TODAY, ground: 'food_safety_violation', note: 'Mẫu kiểm nghiệm không đạt' });
    const page = text(await (await get(ctx, `/admin/certificates/${batch.cert_id}`, admin)).text());
    expect(page).toContain('Đã bị thu hồi');
    expect(page).toContain('QĐ 15/QĐ-UBND');
    const twice = await postForm(ctx, '/admin/certificates/revoke', admin, { ...fields, confirm: 'on' });
    expect(twice.status).toBe(409);
    expect(text(await twice.text())).toContain('đã bị thu hồi');
  });

  it('revokes several certificates under one decision, all or none', async () => {
    const certs = await ctx.db.selectFrom('certificates').select(['id', 'number', 'status']).where('number', 'in', [N.khanhSam, N.greenLotus, N.matOng]).orderBy('number').execute();
    const [a, b, revoked] = certs;
    expect(revoked!.status).toBe('revoked');
    const base = { decisionNumber: '20/QĐ-UBND', date: TODAY, ground: 'production_stopped', note: '', confirm: 'on' };
    const mixed = await postForm(ctx, '/admin/certificates/revoke', admin, { ...base, ids: [String(a!.id), String(revoked!.id)] });
    expect(mixed.status).toBe(409);
    expect((await ctx.db.selectFrom('certificates').select('status').where('id', '=', a!.id).executeTakeFirstOrThrow()).status).toBe('active');
    const other = await postForm(ctx, '/admin/certificates/revoke', admin, { ...base, ground: 'other', ids: [String(a!.id), String(b!.id)] });
    expect(other.status).toBe(400); // note_required: invalid input, as in the API
    expect(text(await other.text())).toContain('Lý do khác cần ghi rõ nội dung');
    const ok = await postForm(ctx, '/admin/certificates/revoke', admin, { ...base, ids: [String(a!.id), String(b!.id)] });
    expect(ok.status).toBe(303);
    const after = await ctx.db.selectFrom('certificates').select(['status', 'revocation_decision_number']).where('id', 'in', [a!.id, b!.id]).execute();
    expect(after).toEqual([
      { status: 'revoked', revocation_decision_number: '20/QĐ-UBND' },
      { status: 'revoked', revocation_decision_number: '20/QĐ-UBND' },
    ]);
    const audit = await ctx.db.selectFrom('audit_log').select(['entity_id', 'reason']).where('action', '=', 'certificate.revoke').where('reason', 'like', '20/QĐ-UBND%').execute();
    expect(audit.map((x) => Number(x.entity_id)).sort()).toEqual([a!.id, b!.id].sort());
  });
});

describe('lists and search', () => {
  async function numbers(query: string): Promise<string[]> {
    const html = await (await get(ctx, `/admin/certificates?${query}`, admin)).text();
    return [...html.matchAll(/href="\/admin\/certificates\/\d+">([^<]+)</g)].map((m) => m[1]!).sort();
  }

  it('filter by derived state, expiry window, stars, group and area', async () => {
    expect(await numbers('state=expiring')).toEqual([N.keo]);
    expect(await numbers('expiring=30')).toEqual([N.keo]);
    expect(await numbers('state=expired')).toEqual(['70-31-2021', '70-32-2021', N.banhTrang]);
    expect(await numbers('state=superseded')).toContain(N.haMyOld);
    expect(await numbers('stars=5')).toEqual([N.haMyOld, N.haMy5]);
    const tourism = await ctx.db.selectFrom('product_groups').select('id').where('code', '=', 'tourism').executeTakeFirstOrThrow();
    expect(await numbers(`group=${tourism.id}`)).toEqual([N.duLich]);
    const dongPhu = await numbers('area=d-695');
    expect(dongPhu.length).toBeGreaterThan(3);
    expect(dongPhu).not.toContain(N.namPhu);
  });

  it('search ignores diacritics and case, and takes wildcards literally', async () => {
    expect(await numbers('q=keo+dieu')).toEqual([N.keo]);
    expect(await numbers('q=K%E1%BA%B8O+%C4%90I%E1%BB%80U')).toEqual([N.keo]); // "KẸO ĐIỀU"
    expect(await numbers('q=k%C3%A8o')).toEqual([N.keo]); // "kèo": another tone mark, same letters
    expect(await numbers('q=yen+sao')).toEqual([N.namPhu]);
    expect(await numbers('q=%25')).toEqual([]);
    expect(await numbers('q=bgm-ocop')).toEqual([N.tieuDen]);
  });

  it('search finds a decision number pasted as issued ("QĐ") or typed without the Đ', async () => {
    const { decision_number: decision } = await ctx.db.selectFrom('certificates').select('decision_number').where('number', '=', N.keo).executeTakeFirstOrThrow();
    expect(decision).toMatch(/^\d+\/QĐ-/);
    expect(await numbers(`q=${encodeURIComponent(decision)}`)).toEqual([N.keo]);
    expect(await numbers(`q=${encodeURIComponent(decision.replace('Đ', 'D').toLowerCase())}`)).toEqual([N.keo]);
    expect(await numbers(`q=${encodeURIComponent(decision.replace('QĐ', 'QX'))}`)).toEqual([]);
  });

  it('refuses nonsense filters with a 400 instead of guessing', async () => {
    for (const q of ['state=lost', 'expiring=45', 'stars=9', 'group=abc', 'area=%27%3B']) {
      expect((await get(ctx, `/admin/certificates?${q}`, admin)).status, q).toBe(400);
    }
  });

  it('each certificate page shows its evaluation, batches, scans and audit trail', async () => {
    const cert = await ctx.db.selectFrom('certificates').select('id').where('number', '=', N.keo).executeTakeFirstOrThrow();
    const page = text(await (await get(ctx, `/admin/certificates/${cert.id}`, admin)).text());
    for (const s of ['Kết quả đánh giá', 'HM-KD-07', 'Cấp giấy chứng nhận', 'Cấp lô mã', 'Nhập kết quả đánh giá', 'Sắp hết hạn']) expect(page).toContain(s);
  });
});
