import { periodReport, type PeriodReport } from '../../worker/db/reports';
import { parseIsoDate } from '../../worker/domain/dates';
import { REVOCATION_GROUND_LABELS } from '../../worker/domain/vocabulary';
import { AppError } from '../../worker/errors';
import { principalOf, todayOf, type AdminContext } from '../context';
import { csvDownload } from '../csv';
import { validQuery } from '../actions';
import { periodQuery } from '../queries';
import { planTargets, ProgressCharts, TargetCards } from './dashboard-pages';
import type { RouteTable } from '../route-table';
import { Bi, Input, Select, Table } from '../ui/components';
import { fmtDate, fmtInt, fmtPercent } from '../ui/format';
import { Layout, PageTitle } from '../ui/layout';

export interface Period {
  key: string;
  from: string;
  to: string;
  labelVi: string;
  labelEn: string;
}

/**
 * The plan asks for a report every 6 months and every year: `2025-H1`, `2025-H2`, `2025`,
 * or any from/to pair. Unknown or impossible input is refused, never guessed.
 */
export function parsePeriod(key: string | undefined, from: string | undefined, to: string | undefined, today: string): Period {
  const k = (key ?? '').trim();
  let m = /^(\d{4})-H([12])$/.exec(k);
  if (m) {
    const y = m[1]!;
    return m[2] === '1'
      ? { key: k, from: `${y}-01-01`, to: `${y}-06-30`, labelVi: `6 tháng đầu năm ${y}`, labelEn: `First half of ${y}` }
      : { key: k, from: `${y}-07-01`, to: `${y}-12-31`, labelVi: `6 tháng cuối năm ${y}`, labelEn: `Second half of ${y}` };
  }
  m = /^(\d{4})$/.exec(k);
  if (m) return { key: k, from: `${m[1]}-01-01`, to: `${m[1]}-12-31`, labelVi: `Năm ${m[1]}`, labelEn: `Year ${m[1]}` };
  if (k === '' && !from && !to) {
    const y = today.slice(0, 4);
    const h = today.slice(5, 7) <= '06' ? '1' : '2';
    return parsePeriod(`${y}-H${h}`, undefined, undefined, today);
  }
  if (k === '' || k === 'custom') {
    const f = from ? parseIsoDate(from) : null;
    const t = to ? parseIsoDate(to) : null;
    if (!f || !t || f > t) {
      throw new AppError(400, 'bad_period', 'Kỳ báo cáo không hợp lệ: chọn ngày bắt đầu và ngày kết thúc (YYYY-MM-DD).', 'Invalid period: give a start and an end date (YYYY-MM-DD).');
    }
    return { key: 'custom', from: f, to: t, labelVi: `Từ ${fmtDate(f)} đến ${fmtDate(t)}`, labelEn: `${f} to ${t}` };
  }
  throw new AppError(400, 'bad_period', `Kỳ báo cáo không hợp lệ: ${k}`, `Invalid period: ${k}`);
}

function periodOptions(today: string): { value: string; label: string }[] {
  const y = Number(today.slice(0, 4));
  const out: { value: string; label: string }[] = [];
  for (let year = y; year >= y - 4; year--) {
    out.push({ value: `${year}-H2`, label: `6 tháng cuối năm ${year} / H2 ${year}` });
    out.push({ value: `${year}-H1`, label: `6 tháng đầu năm ${year} / H1 ${year}` });
    out.push({ value: `${year}`, label: `Cả năm ${year} / Year ${year}` });
  }
  out.push({ value: 'custom', label: 'Tùy chọn (từ ngày – đến ngày) / Custom' });
  return out;
}

const EVENT_LABELS = {
  issued: 'Cấp mới / Issued',
  renewed: 'Gia hạn / Renewed',
  revoked: 'Thu hồi / Revoked',
  expired: 'Hết hạn / Expired',
} as const;

function ReportBody(props: { report: PeriodReport; period: Period }) {
  const r = props.report;
  const newCount = r.issued.filter((i) => !i.renewal).reduce((a, b) => a + b.count, 0);
  const renewCount = r.issued.filter((i) => i.renewal).reduce((a, b) => a + b.count, 0);
  return (
    <>
      <div class="card">
        <h2>
          <Bi vi="Tóm tắt kỳ báo cáo" en="Summary of the period" />
        </h2>
        <dl class="facts">
          <dt>Kỳ / Period</dt>
          <dd>
            {props.period.labelVi} ({fmtDate(r.from)} – {fmtDate(r.to)})
          </dd>
          <dt>Cấp mới / New certificates</dt>
          <dd>{newCount} ({r.issued.filter((i) => !i.renewal).map((i) => `${i.stars}★: ${i.count}`).join(', ') || '—'})</dd>
          <dt>Gia hạn / Renewals</dt>
          <dd>{renewCount} ({r.issued.filter((i) => i.renewal).map((i) => `${i.stars}★: ${i.count}`).join(', ') || '—'})</dd>
          <dt>Thu hồi / Revoked</dt>
          <dd>{r.revoked.reduce((a, b) => a + b.count, 0)} ({r.revoked.map((g) => `${REVOCATION_GROUND_LABELS[g.ground].vi}: ${g.count}`).join('; ') || '—'})</dd>
          <dt>Hết hạn / Expired</dt>
          <dd>{r.expired}</dd>
          <dt>Lô mã đã cấp / Batches issued</dt>
          <dd>
            {fmtInt(r.batches.count)} ({fmtInt(r.batches.codes)} mã / codes)
          </dd>
          <dt>Lượt quét / Scans</dt>
          <dd>{r.scans.map((s) => `${s.verdict}: ${fmtInt(s.count)}`).join(' · ') || '0'}</dd>
          <dt>Phản ánh hàng giả / Counterfeit reports</dt>
          <dd>{r.counterfeitReports}</dd>
        </dl>
      </div>
      <h2>
        <Bi vi={`Chỉ tiêu kế hoạch tại ngày ${fmtDate(r.endOfPeriod.day)}`} en={`Plan targets as of ${r.endOfPeriod.day}`} />
      </h2>
      <TargetCards progress={r.endOfPeriod} />
      <ProgressCharts progress={r.endOfPeriod} />
      <h2>
        <Bi vi="Biến động giấy chứng nhận trong kỳ" en="Certificate events in the period" />
      </h2>
      <Table head={['Ngày / Date', 'Sự kiện / Event', 'Số GCN / Number', 'Sản phẩm / Product', 'Chủ thể / Producer', 'Sao / Stars']}>
        {r.certificates.map((e) => (
          <tr>
            <td>{fmtDate(e.date)}</td>
            <td>{EVENT_LABELS[e.event]}</td>
            <td>{e.number}</td>
            <td>{e.product}</td>
            <td>{e.producer}</td>
            <td class="num">{e.stars}</td>
          </tr>
        ))}
      </Table>
    </>
  );
}

async function load(c: AdminContext): Promise<{ period: Period; report: PeriodReport }> {
  const today = todayOf(c);
  const q = await validQuery(c, periodQuery);
  const period = parsePeriod(q.period, q.from, q.to, today);
  return { period, report: await periodReport(c.var.db, period.from, period.to, today) };
}

export function registerReportPages(r: RouteTable): void {
  r.get('/reports', 'reports.view', async (c) => {
    const { period, report } = await load(c);
    const today = todayOf(c);
    const qs = new URLSearchParams(period.key === 'custom' ? { period: 'custom', from: period.from, to: period.to } : { period: period.key }).toString();
    return c.html(
      <Layout title="Báo cáo / Reports" principal={principalOf(c)} current="/admin/reports">
        <PageTitle vi={`Báo cáo định kỳ: ${period.labelVi}`} en={`Periodic report: ${period.labelEn}`} />
        <form method="get" action="/admin/reports" class="inline card noprint">
          <Select name="period" label={{ vi: 'Kỳ báo cáo', en: 'Period' }} values={{ period: period.key }} options={periodOptions(today)} />
          <Input name="from" type="date" label={{ vi: 'Từ ngày', en: 'From' }} values={{ from: period.key === 'custom' ? period.from : '' }} />
          <Input name="to" type="date" label={{ vi: 'Đến ngày', en: 'To' }} values={{ to: period.key === 'custom' ? period.to : '' }} />
          <button type="submit">Xem / Show</button>
        </form>
        <div class="actions noprint">
          <a class="button secondary" href={`/admin/reports.csv?${qs}`}>
            Tải CSV / Download CSV
          </a>
          <span class="muted">
            <Bi vi="In trang này (Ctrl+P) để có bản báo cáo giấy." en="Print this page (Ctrl+P) for a paper report." />
          </span>
        </div>
        <ReportBody report={report} period={period} />
      </Layout>,
    );
  });

  r.get('/reports.csv', 'reports.view', async (c) => {
    const { period, report } = await load(c);
    const rows: (string | number)[][] = [
      ['period', 'from', report.from, ''],
      ['period', 'to', report.to, ''],
      ...report.issued.map((i) => [i.renewal ? 'renewed' : 'issued', `${i.stars}_star`, i.count, ''] as (string | number)[]),
      ...report.revoked.map((g) => ['revoked', g.ground, g.count, REVOCATION_GROUND_LABELS[g.ground].vi] as (string | number)[]),
      ['expired', 'all', report.expired, ''],
      ['batches', 'count', report.batches.count, ''],
      ['batches', 'codes', report.batches.codes, ''],
      ...report.scans.map((s) => ['scans', s.verdict, s.count, ''] as (string | number)[]),
      ['counterfeit_reports', 'all', report.counterfeitReports, ''],
      ...planTargets(report.endOfPeriod).map((t) => ['target', t.key, t.percent ? Number(t.value.toFixed(4)) : t.value, `${t.vi}: ${t.percent ? fmtPercent(t.value) : t.value} / ${t.percent ? fmtPercent(t.target) : t.target}`] as (string | number)[]),
      ...report.endOfPeriod.coverage.map((cv) => ['coverage', cv.districtName, cv.products, ''] as (string | number)[]),
      ...report.endOfPeriod.starsByGroup.flatMap((g) => [
        ['stars_by_group', `${g.groupVi} 3★`, g.stars3, ''],
        ['stars_by_group', `${g.groupVi} 4★`, g.stars4, ''],
        ['stars_by_group', `${g.groupVi} 5★`, g.stars5, ''],
      ] as (string | number)[][]),
      ...report.certificates.map((e) => ['event', e.event, e.number, `${e.date} ${e.product} — ${e.producer} (${e.stars}★)`] as (string | number)[]),
    ];
    return csvDownload(`ocop-bao-cao-${period.from}-${period.to}.csv`, ['section', 'metric', 'value', 'note'], rows);
  });
}
