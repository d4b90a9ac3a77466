// The plan in force and its targets, as the dashboard and the report pages show them: which
// plan, and each target beside its actual value, or plainly that there is no plan or no data.
import type { PlanStatus } from '../../worker/db/plan-actuals';
import type { MeasuredTarget } from '../../worker/domain/plan';
import { TargetBar } from '../ui/charts';
import { Bi } from '../ui/components';
import { fmtDate, fmtInt, fmtScore } from '../ui/format';

export const NO_PLAN = { vi: 'Chưa có kế hoạch cho giai đoạn này', en: 'No plan covers this period' } as const;
export const NO_DATA = { vi: 'chưa có số liệu', en: 'no data yet' } as const;

/** Whether a target is a percentage (a standard share, or a free indicator in "%"). */
export function isPercent(t: MeasuredTarget): boolean {
  return t.unit === 'percent' || (t.unit === 'custom' && t.unitVi === '%');
}

/** A target's or an actual's value in its unit, the Vietnamese way: "80%", "250 sản phẩm", "1 điểm/huyện". */
export function targetValue(t: MeasuredTarget, v: number): string {
  if (isPercent(t)) return `${fmtScore(v)}%`;
  if (t.unit === 'custom') return `${fmtScore(v)}${t.unitVi ? ` ${t.unitVi}` : ''}`;
  return `${fmtInt(v)} ${t.unitVi}`;
}

/** Met / below / no data, in words. */
export function verdictText(t: MeasuredTarget): string {
  if (t.met === null) return 'Chưa có số liệu';
  return t.met ? 'Đạt chỉ tiêu' : 'Chưa đạt chỉ tiêu';
}

export function PlanHeader(props: { status: PlanStatus; day: string; canManage: boolean }) {
  const plan = props.status.plan;
  if (!plan) {
    return (
      <div class="flash warn" role="status" id="no-plan">
        <strong>
          <Bi vi={`${NO_PLAN.vi} (ngày ${fmtDate(props.day)}).`} en={`${NO_PLAN.en} (${props.day}).`} />
        </strong>{' '}
        {props.canManage ? <a href="/admin/plans/new">Nhập kế hoạch / Enter a plan</a> : <Bi vi="Quản trị tỉnh nhập kế hoạch tại mục Kế hoạch." en="A province admin enters plans under Plans." />}
      </div>
    );
  }
  return (
    <p class="muted" id="plan-in-force">
      <Bi vi={`Chỉ tiêu theo: ${plan.name} (${plan.area_name}, ${fmtDate(plan.period_start)} – ${fmtDate(plan.period_end)}). Căn cứ: ${plan.legal_basis}.`} en={`Targets from: ${plan.name} (${plan.period_start} to ${plan.period_end}).`} />
      {plan.note ? ` ${plan.note}` : ''}
    </p>
  );
}

export function TargetCards(props: { status: PlanStatus }) {
  if (!props.status.plan) return null;
  return (
    <div class="grid">
      {props.status.targets.map((t, i) => (
        <div class="card" id={`kpi-${t.indicator === 'custom' ? `custom-${i}` : t.indicator}`}>
          <div>{t.nameVi === t.nameEn ? t.nameVi : <Bi vi={t.nameVi} en={t.nameEn} />}</div>
          <div class="kpi">
            {t.actual ? <span class={t.met ? 'ok' : 'warn'}>{targetValue(t, t.actual.value)}</span> : <span class="muted">{NO_DATA.vi}</span>}{' '}
            <small>
              / ≥ {targetValue(t, t.target)}
              {t.actual ? ` (${t.actual.detail})` : ''}
            </small>
          </div>
          {t.actual ? <TargetBar title={t.nameVi} value={isPercent(t) ? t.actual.value / 100 : t.actual.value} target={isPercent(t) ? t.target / 100 : t.target} percent={isPercent(t)} /> : null}
          <div class="muted">{verdictText(t)}</div>
        </div>
      ))}
    </div>
  );
}
