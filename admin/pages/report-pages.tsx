import { z } from 'zod';
import { periodReport, type PeriodReport } from '../../worker/db/reports';
import { parseIsoDate } from '../../worker/domain/dates';
import { writeXlsx, XLSX_CONTENT_TYPE } from '../../worker/spreadsheet/xlsx-write';
import { AppError } from '../../worker/errors';
import { principalOf, todayOf, type AdminContext } from '../context';
import { csvDownload } from '../csv';
import { validQuery } from '../actions';
import { can } from '../permissions';
import { periodQuery } from '../queries';
import { reportCsvRows, reportDocument, type ReportDocument, type ReportSection } from '../report-document';
import { ProgressCharts } from './dashboard-pages';
import { PlanHeader, TargetCards } from './plan-view';
import type { RouteTable } from '../route-table';
import { Bi, Input, Select, Table } from '../ui/components';
import { fmtDate, fmtInt } from '../ui/format';
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

/** The report's query: the period, and optionally a period to compare it with (`compare=2025-H2`). */
const reportQuery = periodQuery.extend({
  compare: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.string().trim().regex(/^\d{4}(-H[12])?$/, 'Kỳ so sánh: 2025-H1, 2025-H2 hoặc 2025 / Compared period: 2025-H1, 2025-H2 or 2025').optional(),
  ),
});

interface Loaded {
  period: Period;
  report: PeriodReport;
  compare: { period: Period; report: PeriodReport } | null;
  doc: ReportDocument;
  /** The query string that gives this report again (for the download links). */
  qs: string;
}

async function load(c: AdminContext): Promise<Loaded> {
  const today = todayOf(c);
  const q = await validQuery(c, reportQuery);
  const period = parsePeriod(q.period, q.from, q.to, today);
  const report = await periodReport(c.var.db, period.from, period.to, today);
  let compare: Loaded['compare'] = null;
  if (q.compare) {
    const cp = parsePeriod(q.compare, undefined, undefined, today);
    compare = { period: cp, report: await periodReport(c.var.db, cp.from, cp.to, today) };
  }
  const params: Record<string, string> = period.key === 'custom' ? { period: 'custom', from: period.from, to: period.to } : { period: period.key };
  if (compare) params.compare = compare.period.key;
  return { period, report, compare, doc: reportDocument({ report, period }, compare, today), qs: new URLSearchParams(params).toString() };
}

function fileBase(l: Loaded): string {
  return `ocop-bao-cao-${l.period.from}-${l.period.to}${l.compare ? `-so-sanh-${l.compare.period.from}-${l.compare.period.to}` : ''}`;
}

function cellText(v: string | number | null): string {
  if (v === null) return '';
  return typeof v === 'number' ? (Number.isInteger(v) ? fmtInt(v) : new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 }).format(v)) : v;
}

function SectionTable(props: { section: ReportSection; bilingual: boolean }) {
  const s = props.section;
  return (
    <section class="report-section">
      <h2>{props.bilingual ? <Bi vi={s.titleVi} en={s.titleEn} /> : s.titleVi}</h2>
      <Table head={s.columns.map((c) => (props.bilingual ? `${c.vi} / ${c.en}` : c.vi))}>
        {s.rows.map((row) => (
          <tr>
            {row.map((v) => (
              <td class={typeof v === 'number' ? 'num' : undefined}>{cellText(v)}</td>
            ))}
          </tr>
        ))}
      </Table>
    </section>
  );
}

export function registerReportPages(r: RouteTable): void {
  r.get('/reports', 'reports.view', async (c) => {
    const l = await load(c);
    const today = todayOf(c);
    const [general, summary, targets, ...rest] = l.doc.sections;
    return c.html(
      <Layout title="Báo cáo / Reports" principal={principalOf(c)} current="/admin/reports">
        <PageTitle vi={`Báo cáo định kỳ: ${l.period.labelVi}`} en={`Periodic report: ${l.period.labelEn}`} />
        <form method="get" action="/admin/reports" class="inline card noprint">
          <Select name="period" label={{ vi: 'Kỳ báo cáo', en: 'Period' }} values={{ period: l.period.key }} options={periodOptions(today)} />
          <Input name="from" type="date" label={{ vi: 'Từ ngày', en: 'From' }} values={{ from: l.period.key === 'custom' ? l.period.from : '' }} />
          <Input name="to" type="date" label={{ vi: 'Đến ngày', en: 'To' }} values={{ to: l.period.key === 'custom' ? l.period.to : '' }} />
          <Select name="compare" label={{ vi: 'So sánh với kỳ', en: 'Compare with' }} values={{ compare: l.compare?.period.key ?? '' }} blank="Không so sánh / None" options={periodOptions(today).filter((o) => o.value !== 'custom')} />
          <button type="submit">Xem / Show</button>
        </form>
        <div class="actions noprint">
          <a class="button secondary" href={`/admin/reports.xlsx?${l.qs}`}>
            Tải Excel (XLSX) / Download XLSX
          </a>
          <a class="button secondary" href={`/admin/reports.csv?${l.qs}`}>
            Tải CSV / Download CSV
          </a>
          <a class="button secondary" href={`/admin/reports/print?${l.qs}`}>
            Bản in (A4) / Print view
          </a>
        </div>
        <PlanHeader status={l.report.plan} day={l.report.endOfPeriod.day} canManage={can(principalOf(c), 'plan.manage')} />
        {general ? <SectionTable section={general} bilingual /> : null}
        {summary ? <SectionTable section={summary} bilingual /> : null}
        <h2>
          <Bi vi={`Chỉ tiêu kế hoạch tại ngày ${fmtDate(l.report.endOfPeriod.day)}`} en={`Plan targets as of ${l.report.endOfPeriod.day}`} />
        </h2>
        <TargetCards status={l.report.plan} />
        {targets ? <SectionTable section={targets} bilingual /> : null}
        <ProgressCharts progress={l.report.endOfPeriod} />
        {rest.map((s) => (
          <SectionTable section={s} bilingual />
        ))}
      </Layout>,
    );
  });

  // The print view: the same document, A4 (print rules in admin/ui/stylesheet.ts), no forms.
  r.get('/reports/print', 'reports.view', async (c) => {
    const l = await load(c);
    return c.html(
      <Layout title={`${l.doc.titleVi} – ${l.period.labelVi}`} principal={principalOf(c)} current="/admin/reports">
        <article class="report-print">
          <p class="noprint">
            <a href={`/admin/reports?${l.qs}`}>← Về trang báo cáo / Back to the report</a> ·{' '}
            <Bi vi="Dùng lệnh In của trình duyệt (Ctrl+P), khổ A4." en="Use the browser's Print (Ctrl+P), A4." />
          </p>
          <h1>{l.doc.titleVi.toUpperCase()}</h1>
          <p class="report-subtitle">{l.doc.subtitleVi}</p>
          {l.doc.sections.map((s) => (
            <SectionTable section={s} bilingual={false} />
          ))}
        </article>
      </Layout>,
    );
  });

  r.get('/reports.csv', 'reports.view', async (c) => {
    const l = await load(c);
    return csvDownload(`${fileBase(l)}.csv`, [l.doc.titleVi.toUpperCase()], reportCsvRows(l.doc));
  });

  r.get('/reports.xlsx', 'reports.view', async (c) => {
    const l = await load(c);
    const bytes = writeXlsx(
      l.doc.sections.map((s) => ({
        name: s.titleVi,
        boldRows: [0, 2],
        rows: [[`${l.doc.titleVi.toUpperCase()} – ${l.doc.subtitleVi}`], [], s.columns.map((col) => col.vi), ...s.rows],
      })),
      { title: `${l.doc.titleVi} – ${l.doc.subtitleVi}` },
    );
    return new Response(bytes as Uint8Array<ArrayBuffer>, {
      headers: {
        'content-type': XLSX_CONTENT_TYPE,
        'content-disposition': `attachment; filename="${fileBase(l)}.xlsx"`,
        'cache-control': 'no-store',
      },
    });
  });
}
