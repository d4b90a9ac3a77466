import type { Evaluation } from '../../schema/database';
import { createScopedEvaluation, type EvaluationListRow, getEvaluation, legalBasisOptions, listEvaluations, updateEvaluation } from '../../worker/db/evaluations';
import { listProducts } from '../../worker/db/products';
import type { Stars } from '../../worker/domain/stars';
import { COUNCIL_LEVEL_LABELS, COUNCIL_LEVELS } from '../../worker/domain/vocabulary';
import { actorOf, principalOf, scopeOf, todayOf, type AdminContext } from '../context';
import { formAction, validQuery } from '../actions';
import { evaluationQuery, prefillQuery } from '../queries';
import { evaluationForm, type FieldErrors } from '../forms';
import { can } from '../permissions';
import { scopedRecord } from '../request';
import type { RouteTable } from '../route-table';
import { Bi, Check, Flash, FormErrors, Input, Select, Table, TextArea, toFormValues, type FormValues, NewButton } from '../ui/components';
import { fmtDate, fmtDateTime, fmtScore, starText } from '../ui/format';
import { Layout, PageTitle } from '../ui/layout';

const FIELDS = ['productId', 'scoreA', 'scoreB', 'scoreC', 'mandatoryLevel', 'councilLevel', 'evaluatedOn', 'legalBasisId', 'note'];

async function formOptions(c: AdminContext) {
  const [products, bases] = await Promise.all([listProducts(c.var.db, scopeOf(c)), legalBasisOptions(c.var.db)]);
  return { products, bases };
}

function EvaluationFormPage(props: { c: AdminContext; evaluation?: Evaluation; values: FormValues; errors?: FieldErrors; options: Awaited<ReturnType<typeof formOptions>>; renew?: number | undefined }) {
  const p = principalOf(props.c);
  const editing = props.evaluation;
  // Started from a renewal (issue 12): saving goes back to it, with this evaluation chosen.
  const renew = !editing && props.renew !== undefined && can(p, 'certificates.write') ? props.renew : undefined;
  return (
    <Layout title={editing ? `Đánh giá #${editing.id}` : 'Đánh giá mới / New evaluation'} principal={p} current="/admin/evaluations">
      {editing ? <PageTitle vi={`Sửa kết quả đánh giá #${editing.id}`} en="Correct an evaluation" /> : <PageTitle vi="Nhập kết quả đánh giá, phân hạng" en="Record an evaluation" />}
      <p class="muted">
        <Bi
          vi="Hạng sao được tính từ tổng điểm (A tối đa 40, B 25, C 35) và mức đạt tiêu chí bắt buộc: sản phẩm 95 điểm nhưng chỉ đạt tiêu chí bắt buộc 4 sao là 4 sao."
          en="Stars follow the total (A up to 40, B 25, C 35) capped by the mandatory criteria met: 95 points with 4★ mandatory criteria is 4★."
        />
      </p>
      {renew !== undefined ? (
        <p class="flash ok">
          <Bi vi="Kết quả đánh giá lại để gia hạn: sau khi lưu, bạn quay lại trang gia hạn." en="A re-evaluation for a renewal: saving takes you back to the renewal." />{' '}
          <a href={`/admin/certificates/${renew}/renew`}>← Gia hạn / Renewal</a>
        </p>
      ) : null}
      <FormErrors errors={props.errors} fields={FIELDS} />
      <form method="post" action={editing ? `/admin/evaluations/${editing.id}` : renew !== undefined ? `/admin/evaluations?renew=${renew}` : '/admin/evaluations'} class="stack card">
        <Select name="productId" label={{ vi: 'Sản phẩm', en: 'Product' }} values={props.values} errors={props.errors} blank="— Chọn / Choose —" options={props.options.products.map((x) => ({ value: String(x.id), label: `${x.name} — ${x.producer_name}` }))} required />
        <Input name="scoreA" type="number" step="0.1" min="0" max="40" label={{ vi: 'Điểm phần A (tối đa 40)', en: 'Part A score (max 40)' }} values={props.values} errors={props.errors} required />
        <Input name="scoreB" type="number" step="0.1" min="0" max="25" label={{ vi: 'Điểm phần B (tối đa 25)', en: 'Part B score (max 25)' }} values={props.values} errors={props.errors} required />
        <Input name="scoreC" type="number" step="0.1" min="0" max="35" label={{ vi: 'Điểm phần C (tối đa 35)', en: 'Part C score (max 35)' }} values={props.values} errors={props.errors} required />
        <Select name="mandatoryLevel" label={{ vi: 'Đạt tiêu chí bắt buộc đến mức', en: 'Mandatory criteria met up to' }} values={props.values} errors={props.errors} options={[5, 4, 3, 2, 1].map((s) => ({ value: String(s), label: `${s} sao / ${s}★` }))} required />
        <Select name="councilLevel" label={{ vi: 'Hội đồng đánh giá', en: 'Evaluating council' }} values={props.values} errors={props.errors} options={COUNCIL_LEVELS.map((l) => ({ value: l, label: `${COUNCIL_LEVEL_LABELS[l].vi} / ${COUNCIL_LEVEL_LABELS[l].en}` }))} required />
        <Input name="evaluatedOn" type="date" label={{ vi: 'Ngày đánh giá', en: 'Evaluation date' }} values={props.values} errors={props.errors} required />
        <Select name="legalBasisId" label={{ vi: 'Căn cứ (bộ tiêu chí)', en: 'Legal basis (criteria)' }} values={props.values} errors={props.errors} options={props.options.bases.filter((b) => !b.id.startsWith('KH-')).map((b) => ({ value: b.id, label: b.title_vi }))} required />
        <TextArea name="note" label={{ vi: 'Ghi chú', en: 'Note' }} values={props.values} errors={props.errors} />
        <div>
          <button type="submit">Lưu / Save</button>
        </div>
      </form>
    </Layout>
  );
}

function ListPage(props: { c: AdminContext; rows: EvaluationListRow[]; values: FormValues }) {
  const p = principalOf(props.c);
  return (
    <Layout title="Đánh giá / Evaluations" principal={p} current="/admin/evaluations">
      <PageTitle vi="Kết quả đánh giá, phân hạng" en="Evaluations" />
      <Flash done={props.c.req.query('done')} />
      <NewButton when={can(p, 'evaluations.write')} href="/admin/evaluations/new" label="Nhập kết quả đánh giá / Record an evaluation" />
      <form method="get" action="/admin/evaluations" class="inline card">
        <Input name="q" type="search" label={{ vi: 'Tìm (không cần dấu)', en: 'Search' }} values={props.values} />
        <Check name="pending" label={{ vi: 'Chỉ kết quả 3 sao trở lên chưa cấp GCN', en: 'Only 3★+ without a certificate' }} values={props.values} />
        <button type="submit">Lọc / Filter</button>
      </form>
      <Table head={['#', 'Sản phẩm / Product', 'Chủ thể / Producer', 'Ngày / Date', 'A / B / C', 'Tổng / Total', 'Sao', 'GCN / Certificate', '']}>
        {props.rows.map((e) => (
          <tr>
            <td>
              <a href={`/admin/evaluations/${e.id}`}>#{e.id}</a>
            </td>
            <td>{e.product_name}</td>
            <td>{e.producer_name}</td>
            <td>{fmtDate(e.evaluated_on)}</td>
            <td>
              {fmtScore(e.score_a)} / {fmtScore(e.score_b)} / {fmtScore(e.score_c)}
            </td>
            <td class="num">{fmtScore(e.total)}</td>
            <td>{starText(e.stars)}</td>
            <td>{e.certificate_number ? (can(p, 'certificates.view') ? <a href={`/admin/certificates/${e.certificate_id}`}>{e.certificate_number}</a> : e.certificate_number) : '—'}</td>
            <td>
              {!e.certificate_id && e.stars >= 3 && can(p, 'certificates.write') ? (
                <a href={`/admin/certificates/new?evaluation=${e.id}`}>Cấp GCN / Issue</a>
              ) : null}
            </td>
          </tr>
        ))}
      </Table>
    </Layout>
  );
}

function DetailPage(props: { c: AdminContext; e: EvaluationListRow }) {
  const p = principalOf(props.c);
  const e = props.e;
  return (
    <Layout title={`Đánh giá #${e.id}`} principal={p} current="/admin/evaluations">
      <PageTitle vi={`Kết quả đánh giá #${e.id}: ${e.product_name}`} en={`Evaluation #${e.id}`} />
      <Flash done={props.c.req.query('done')} />
      <div class="card">
        <dl class="facts">
          <dt>Sản phẩm / Product</dt>
          <dd>
            <a href={`/admin/products/${e.product_id}`}>{e.product_name}</a> — {e.producer_name}
          </dd>
          <dt>Điểm / Scores</dt>
          <dd>
            A {fmtScore(e.score_a)}/40 · B {fmtScore(e.score_b)}/25 · C {fmtScore(e.score_c)}/35
          </dd>
          <dt>Tổng điểm / Total</dt>
          <dd>{fmtScore(e.total)}/100</dd>
          <dt>Tiêu chí bắt buộc / Mandatory</dt>
          <dd>Đạt mức {e.mandatory_level} sao / met up to {e.mandatory_level}★</dd>
          <dt>Hạng sao / Stars</dt>
          <dd>
            <strong>{starText(e.stars)}</strong> ({e.stars})
          </dd>
          <dt>Hội đồng / Council</dt>
          <dd>
            <Bi {...COUNCIL_LEVEL_LABELS[e.council_level]} />
          </dd>
          <dt>Ngày / Date</dt>
          <dd>{fmtDate(e.evaluated_on)}</dd>
          <dt>Căn cứ / Legal basis</dt>
          <dd>{e.legal_basis_id}</dd>
          <dt>Ghi chú / Note</dt>
          <dd>{e.note ?? '—'}</dd>
          <dt>Nhập lúc / Recorded</dt>
          <dd>{fmtDateTime(e.created_at)}</dd>
          <dt>Giấy chứng nhận / Certificate</dt>
          <dd>{e.certificate_number ? (can(p, 'certificates.view') ? <a href={`/admin/certificates/${e.certificate_id}`}>{e.certificate_number}</a> : e.certificate_number) : '—'}</dd>
        </dl>
        <div class="actions">
          {!e.certificate_id && can(p, 'evaluations.write') ? (
            <a class="button secondary" href={`/admin/evaluations/${e.id}/edit`}>
              Sửa / Correct
            </a>
          ) : null}
          {!e.certificate_id && e.stars >= 3 && can(p, 'certificates.write') ? (
            <a class="button" href={`/admin/certificates/new?evaluation=${e.id}`}>
              Cấp giấy chứng nhận / Issue a certificate
            </a>
          ) : null}
        </div>
      </div>
    </Layout>
  );
}

function evaluationValues(e: Evaluation): FormValues {
  return toFormValues({
    productId: e.product_id, scoreA: e.score_a, scoreB: e.score_b, scoreC: e.score_c, mandatoryLevel: e.mandatory_level,
    councilLevel: e.council_level, evaluatedOn: e.evaluated_on, legalBasisId: e.legal_basis_id, note: e.note,
  });
}

function toInput(d: ReturnType<typeof evaluationForm.parse>) {
  return { ...d, mandatoryLevel: d.mandatoryLevel as Stars };
}

export function registerEvaluationPages(r: RouteTable): void {
  r.get('/evaluations', 'evaluations.view', async (c) => {
    const filter = await validQuery(c, evaluationQuery);
    const rows = await listEvaluations(c.var.db, scopeOf(c), filter);
    return c.html(<ListPage c={c} rows={rows} values={{ q: filter.q, pending: filter.pending ? 'on' : '' }} />);
  });

  r.get('/evaluations/new', 'evaluations.write', async (c) => {
    const { product } = await validQuery(c, prefillQuery('product'));
    const { renew } = await validQuery(c, prefillQuery('renew'));
    return c.html(<EvaluationFormPage c={c} renew={renew} values={{ productId: product?.toString(), evaluatedOn: todayOf(c), councilLevel: 'province', mandatoryLevel: '5', legalBasisId: 'QD-148-2023' }} options={await formOptions(c)} />);
  });

  r.post('/evaluations', 'evaluations.write', formAction({
    schema: evaluationForm,
    fields: FIELDS,
    dateField: 'evaluatedOn',
    load: async (c) => (await validQuery(c, prefillQuery('renew'))).renew,
    page: async (c, form, renew) => <EvaluationFormPage c={c} renew={renew} {...form} options={await formOptions(c)} />,
    act: async (c, input, renew) => {
      const row = await createScopedEvaluation(c.var.db, actorOf(principalOf(c)), scopeOf(c), toInput(input), c.var.clock());
      // Back to the renewal it was started from (that page checks the certificate and scope again).
      if (renew !== undefined && can(principalOf(c), 'certificates.write')) return `/admin/certificates/${renew}/renew?evaluation=${row.id}`;
      return `/admin/evaluations/${row.id}?done=created`;
    },
  }));

  r.get('/evaluations/:id{[0-9]+}', 'evaluations.view', async (c) => c.html(<DetailPage c={c} e={await scopedRecord(c, getEvaluation)} />));

  r.get('/evaluations/:id{[0-9]+}/edit', 'evaluations.write', async (c) => {
    const e = await scopedRecord(c, getEvaluation);
    return c.html(<EvaluationFormPage c={c} evaluation={e} values={evaluationValues(e)} options={await formOptions(c)} />);
  });

  r.post('/evaluations/:id{[0-9]+}', 'evaluations.write', formAction({
    schema: evaluationForm,
    fields: FIELDS,
    dateField: 'evaluatedOn',
    load: async (c) => scopedRecord(c, getEvaluation),
    page: async (c, form, e) => <EvaluationFormPage c={c} evaluation={e} {...form} options={await formOptions(c)} />,
    act: async (c, input, e) => {
      await updateEvaluation(c.var.db, actorOf(principalOf(c)), scopeOf(c), e.id, toInput(input), c.var.clock());
      return `/admin/evaluations/${e.id}?done=saved`;
    },
  }));
}
