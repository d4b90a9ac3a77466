// Kế hoạch / Plans: the provincial OCOP plans the dashboard and the reports measure against.
// Province admins enter and edit them (plan.manage); readers of the reports see them.
import { createPlan, getPlan, listPlans, planAreas, updatePlan, type PlanDetail } from '../../worker/db/plans';
import { PLAN_INDICATOR_INFO, PLAN_INDICATORS, isStandardIndicator } from '../../worker/domain/plan';
import { formAction } from '../actions';
import { actorOf, principalOf, type AdminContext } from '../context';
import type { FieldErrors } from '../forms';
import { can } from '../permissions';
import { CUSTOM_ROWS, MAX_TARGETS, planForm, targetField } from '../plan-form';
import { found, idParam } from '../request';
import type { RouteTable } from '../route-table';
import { Bi, Flash, FormErrors, Input, NewButton, Select, Table, TextArea, type FormValues } from '../ui/components';
import { fmtDate, fmtScore } from '../ui/format';
import { Layout, PageTitle } from '../ui/layout';

const FIELDS = ['name', 'legalBasis', 'areaUnitId', 'periodStart', 'periodEnd', 'note', 'targets'] as const;

async function plansPage(c: AdminContext) {
  const p = principalOf(c);
  const plans = await listPlans(c.var.db);
  return (
    <Layout title="Kế hoạch / Plans" principal={p} current="/admin/plans">
      <PageTitle vi="Kế hoạch thực hiện Chương trình OCOP" en="Provincial OCOP plans" />
      <Flash done={c.req.query('done')} />
      <p class="muted">
        <Bi
          vi="Tổng quan và báo cáo đo theo kế hoạch có hiệu lực trong kỳ. Mỗi địa bàn chỉ có một kế hoạch cho một thời điểm."
          en="The dashboard and the reports measure against the plan in force in the period. An area has one plan at a time."
        />
      </p>
      <NewButton when={can(p, 'plan.manage')} href="/admin/plans/new" label="Nhập kế hoạch mới / New plan" />
      {plans.length === 0 ? (
        <p>
          <Bi vi="Chưa có kế hoạch nào." en="No plan yet." />
        </p>
      ) : (
        <Table head={['Kế hoạch / Plan', 'Địa bàn / Area', 'Từ ngày / From', 'Đến ngày / To', 'Căn cứ / Legal basis']}>
          {plans.map((x) => (
            <tr>
              <td>
                <a href={`/admin/plans/${x.id}`}>{x.name}</a>
              </td>
              <td>{x.area_name}</td>
              <td>{fmtDate(x.period_start)}</td>
              <td>{fmtDate(x.period_end)}</td>
              <td>{x.legal_basis}</td>
            </tr>
          ))}
        </Table>
      )}
    </Layout>
  );
}

/** A stored plan as the form's flat fields. */
function planValues(plan: PlanDetail): FormValues {
  const v: FormValues = { name: plan.name, legalBasis: plan.legal_basis, areaUnitId: plan.area_unit_id, periodStart: plan.period_start, periodEnd: plan.period_end, note: plan.note ?? '' };
  let custom = 0;
  for (const t of plan.targets) {
    if (isStandardIndicator(t.indicator)) v[targetField(t.indicator)] = fmtNumber(t.target);
    else {
      v[`custom_name_${custom}`] = t.name ?? '';
      v[`custom_unit_${custom}`] = t.unit ?? '';
      v[`custom_target_${custom}`] = fmtNumber(t.target);
      v[`custom_actual_${custom}`] = t.actual === null ? '' : fmtNumber(t.actual);
      custom++;
    }
  }
  return v;
}

/** A number as the form shows it back: no thousands separator, so it reads back unchanged. */
function fmtNumber(n: number): string {
  return String(n);
}

/** Rows of free indicators: the blank ones offered, or as many as the plan holds and one more. */
function customRows(values: FormValues): number {
  let filled = 0;
  for (let i = 0; i < MAX_TARGETS; i++) {
    if (['name', 'unit', 'target', 'actual'].some((f) => (values[`custom_${f}_${i}`] ?? '').trim() !== '')) filled = i + 1;
  }
  return Math.min(MAX_TARGETS, Math.max(CUSTOM_ROWS, filled + 1));
}

function TargetFields(props: { values: FormValues }) {
  const numberInput = (name: string, label: string) => <input id={`f-${name}`} name={name} inputmode="decimal" aria-label={label} value={props.values[name] ?? ''} size={8} />;
  return (
    <>
      <Table head={['Chỉ tiêu / Indicator', 'Chỉ tiêu tối thiểu / Target (at least)', 'Đơn vị / Unit']} caption="Để trống chỉ tiêu mà kế hoạch không đặt / Leave blank what the plan does not target">
        {PLAN_INDICATORS.filter(isStandardIndicator).map((k) => (
          <tr>
            <td>
              <label for={`f-${targetField(k)}`}>
                <Bi vi={PLAN_INDICATOR_INFO[k].vi} en={PLAN_INDICATOR_INFO[k].en} />
              </label>
            </td>
            <td>{numberInput(targetField(k), PLAN_INDICATOR_INFO[k].vi)}</td>
            <td>{PLAN_INDICATOR_INFO[k].unitVi}</td>
          </tr>
        ))}
      </Table>
      <h3>
        <Bi vi="Chỉ tiêu khác (tự nhập số liệu thực hiện)" en="Other indicators (actual value entered by hand)" />
      </h3>
      <Table head={['Tên chỉ tiêu / Name', 'Đơn vị / Unit', 'Chỉ tiêu / Target', 'Thực hiện / Actual']}>
        {Array.from({ length: customRows(props.values) }, (_, i) => (
          <tr>
            <td>
              <input id={`f-custom_name_${i}`} name={`custom_name_${i}`} aria-label={`Tên chỉ tiêu khác ${i + 1}`} value={props.values[`custom_name_${i}`] ?? ''} maxlength={300} />
            </td>
            <td>
              <input id={`f-custom_unit_${i}`} name={`custom_unit_${i}`} aria-label={`Đơn vị ${i + 1}`} value={props.values[`custom_unit_${i}`] ?? ''} maxlength={40} size={8} />
            </td>
            <td>{numberInput(`custom_target_${i}`, `Chỉ tiêu ${i + 1}`)}</td>
            <td>{numberInput(`custom_actual_${i}`, `Thực hiện ${i + 1}`)}</td>
          </tr>
        ))}
      </Table>
    </>
  );
}

async function formPage(c: AdminContext, plan: PlanDetail | null, values: FormValues, errors?: FieldErrors) {
  const areas = await planAreas(c.var.db);
  const editable = can(principalOf(c), 'plan.manage');
  const title = plan ? { vi: plan.name, en: 'Plan' } : { vi: 'Nhập kế hoạch mới', en: 'New plan' };
  return (
    <Layout title={`${title.vi} / ${title.en}`} principal={principalOf(c)} current="/admin/plans">
      <PageTitle vi={title.vi} en={title.en} />
      <Flash done={c.req.query('done')} />
      <p>
        <a href="/admin/plans">← Danh sách kế hoạch / All plans</a>
        {plan ? (
          <>
            {' · '}
            <a href={`/admin?day=${plan.period_end}`}>Tổng quan cuối kỳ kế hoạch / Dashboard at the plan's end</a>
          </>
        ) : null}
      </p>
      <form method="post" action={plan ? `/admin/plans/${plan.id}` : '/admin/plans'} class="card">
        <FormErrors errors={errors} fields={FIELDS} />
        <fieldset disabled={!editable}>
          <Input name="name" label={{ vi: 'Tên kế hoạch', en: 'Name' }} values={values} errors={errors} required maxlength={300} />
          <Input name="legalBasis" label={{ vi: 'Căn cứ pháp lý (số, ngày văn bản)', en: 'Legal basis' }} values={values} errors={errors} required maxlength={500} hint="Ví dụ: Kế hoạch số …/KH-UBND ngày …" />
          <Select
            name="areaUnitId"
            label={{ vi: 'Địa bàn', en: 'Area' }}
            values={values}
            errors={errors}
            required
            options={areas.map((a) => ({ value: a.id, label: a.validTo ? `${a.name} (cũ, đến ${fmtDate(a.validTo)})` : a.name }))}
          />
          <Input name="periodStart" type="date" label={{ vi: 'Từ ngày', en: 'From' }} values={values} errors={errors} required />
          <Input name="periodEnd" type="date" label={{ vi: 'Đến ngày', en: 'To' }} values={values} errors={errors} required />
          <TextArea name="note" label={{ vi: 'Ghi chú', en: 'Note' }} values={values} errors={errors} rows={2} />
          <h2>
            <Bi vi="Chỉ tiêu" en="Targets" />
          </h2>
          {errors?.targets ? (
            <p class="error" role="alert">
              {errors.targets}
            </p>
          ) : null}
          <TargetFields values={values} />
          {editable ? <button type="submit">Lưu kế hoạch / Save the plan</button> : null}
        </fieldset>
      </form>
      {plan ? <PlanTargetsSummary plan={plan} /> : null}
    </Layout>
  );
}

function PlanTargetsSummary(props: { plan: PlanDetail }) {
  return (
    <p class="muted">
      {props.plan.targets.length} chỉ tiêu / targets:{' '}
      {props.plan.targets.map((t) => `${isStandardIndicator(t.indicator) ? PLAN_INDICATOR_INFO[t.indicator].vi : t.name} ≥ ${fmtScore(t.target)}`).join('; ')}
    </p>
  );
}

export function registerPlanPages(r: RouteTable): void {
  r.get('/plans', 'reports.view', async (c) => c.html(await plansPage(c)));
  r.get('/plans/new', 'plan.manage', async (c) => c.html(await formPage(c, null, {})));
  r.post(
    '/plans',
    'plan.manage',
    formAction({
      schema: planForm,
      fields: FIELDS,
      dateField: 'periodStart',
      page: (c, form) => formPage(c, null, form.values, form.errors),
      act: async (c, input) => {
        const plan = await createPlan(c.var.db, actorOf(principalOf(c)), input);
        return `/admin/plans/${plan.id}?done=saved`;
      },
    }),
  );
  r.get('/plans/:id{[0-9]+}', 'reports.view', async (c) => {
    const plan = found(await getPlan(c.var.db, idParam(c.req.param('id'))));
    return c.html(await formPage(c, plan, planValues(plan)));
  });
  r.post(
    '/plans/:id{[0-9]+}',
    'plan.manage',
    formAction({
      schema: planForm,
      fields: FIELDS,
      dateField: 'periodStart',
      load: async (c) => found(await getPlan(c.var.db, idParam(c.req.param('id')))),
      page: (c, form, plan) => formPage(c, plan, form.values, form.errors),
      act: async (c, input, plan) => {
        await updatePlan(c.var.db, actorOf(principalOf(c)), plan.id, input, c.var.clock());
        return `/admin/plans/${plan.id}?done=saved`;
      },
    }),
  );
}
