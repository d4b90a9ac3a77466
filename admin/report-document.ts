// The 6-month / annual report as an office files it: sections of rows with Vietnamese
// headings and values (no machine keys), built once and written as the report page, the
// print view, CSV and XLSX alike, so the four never disagree. A second period can be set
// beside the first (H1 2026 against H2 2025): the summary and the targets gain its column.
import type { PeriodReport } from '../worker/db/reports';
import type { MeasuredTarget } from '../worker/domain/plan';
import { REVOCATION_GROUNDS, REVOCATION_GROUND_LABELS } from '../worker/domain/vocabulary';
import { VERDICTS, type Verdict } from '../worker/public/verdict';
import { VERDICT_LABELS } from '../worker/public/labels';
import { isPercent, NO_DATA, NO_PLAN, verdictText } from './pages/plan-view';
import { fmtDate } from './ui/format';

export type ReportCell = string | number | null;

export interface ReportColumn {
  vi: string;
  en: string;
}

export interface ReportSection {
  /** Short: also the XLSX sheet's name (at most 31 characters). */
  titleVi: string;
  titleEn: string;
  columns: ReportColumn[];
  rows: ReportCell[][];
}

export interface ReportDocument {
  titleVi: string;
  subtitleVi: string;
  sections: ReportSection[];
}

export interface ReportPeriod {
  labelVi: string;
  from: string;
  to: string;
}

export const EVENT_LABELS = {
  issued: 'Cấp mới',
  renewed: 'Gia hạn',
  revoked: 'Thu hồi',
  expired: 'Hết hạn',
} as const;

function isVerdict(s: string): s is Verdict {
  return (VERDICTS as readonly string[]).includes(s);
}

/** A scan verdict in words; an unknown key (never expected) is "Khác", never shown raw. */
export function verdictLabel(v: string): string {
  return isVerdict(v) ? VERDICT_LABELS[v].vi : 'Kết quả khác';
}

interface Figure {
  label: string;
  value: (r: PeriodReport) => number;
}

function figures(reports: PeriodReport[]): Figure[] {
  const stars = [3, 4, 5];
  const sum = (xs: { count: number }[]) => xs.reduce((a, b) => a + b.count, 0);
  const out: Figure[] = [
    { label: 'Giấy chứng nhận cấp mới', value: (r) => sum(r.issued.filter((i) => !i.renewal)) },
    ...stars.map((s) => ({ label: `– trong đó hạng ${s} sao`, value: (r: PeriodReport) => sum(r.issued.filter((i) => !i.renewal && i.stars === s)) })),
    { label: 'Giấy chứng nhận gia hạn', value: (r) => sum(r.issued.filter((i) => i.renewal)) },
    { label: 'Giấy chứng nhận bị thu hồi', value: (r) => sum(r.revoked) },
  ];
  // Only the grounds that occur in one of the periods: a list of zeros says nothing.
  for (const g of REVOCATION_GROUNDS) {
    if (reports.some((r) => r.revoked.some((x) => x.ground === g))) {
      out.push({ label: `– lý do: ${REVOCATION_GROUND_LABELS[g].vi}`, value: (r) => r.revoked.find((x) => x.ground === g)?.count ?? 0 });
    }
  }
  out.push(
    { label: 'Giấy chứng nhận hết hạn', value: (r) => r.expired },
    { label: 'Lô mã đã cấp', value: (r) => r.batches.count },
    { label: 'Số mã (tem) đã cấp', value: (r) => r.batches.codes },
    { label: 'Lượt quét mã', value: (r) => sum(r.scans) },
  );
  const verdicts = new Set(reports.flatMap((r) => r.scans.map((s) => s.verdict)));
  for (const v of [...VERDICTS, ...[...verdicts].filter((x) => !isVerdict(x))]) {
    if (verdicts.has(v)) out.push({ label: `– kết quả: ${verdictLabel(v)}`, value: (r) => r.scans.find((s) => s.verdict === v)?.count ?? 0 });
  }
  out.push({ label: 'Phản ánh nghi hàng giả', value: (r) => r.counterfeitReports });
  return out;
}

/** A measured value as the files carry it: a number, or "chưa có số liệu". */
function actualCell(t: MeasuredTarget | undefined): ReportCell {
  if (!t) return 'Không có chỉ tiêu này';
  return t.actual ? t.actual.value : NO_DATA.vi;
}

function unitCell(t: MeasuredTarget): string {
  return isPercent(t) ? '%' : t.unitVi;
}

function targetKey(t: MeasuredTarget, i: number): string {
  return t.indicator === 'custom' ? `custom:${t.nameVi}:${i}` : t.indicator;
}

function targetRows(main: PeriodReport, other: PeriodReport | null): ReportCell[][] {
  const otherByKey = new Map((other?.plan.targets ?? []).map((t, i) => [targetKey(t, i), t]));
  return main.plan.targets.map((t, i) => {
    const row: ReportCell[] = [t.nameVi, unitCell(t), t.target, actualCell(t), verdictText(t), t.actual?.detail ?? ''];
    if (other) row.push(other.plan.plan ? actualCell(otherByKey.get(targetKey(t, i))) : NO_PLAN.vi);
    return row;
  });
}

function planLine(r: PeriodReport): string {
  const p = r.plan.plan;
  return p ? `${p.name} (${p.area_name}, ${fmtDate(p.period_start)} – ${fmtDate(p.period_end)})` : NO_PLAN.vi;
}

export function reportDocument(main: { report: PeriodReport; period: ReportPeriod }, compare: { report: PeriodReport; period: ReportPeriod } | null, today: string): ReportDocument {
  const r = main.report;
  const o = compare?.report ?? null;
  const periodText = (p: ReportPeriod) => `${p.labelVi} (${fmtDate(p.from)} – ${fmtDate(p.to)})`;
  const general: ReportCell[][] = [
    ['Kỳ báo cáo', periodText(main.period)],
    ['Kế hoạch áp dụng', planLine(r)],
    ['Căn cứ', r.plan.plan?.legal_basis ?? '—'],
    ['Số liệu chỉ tiêu tính đến ngày', fmtDate(r.endOfPeriod.day)],
    ['Ngày lập báo cáo', fmtDate(today)],
  ];
  if (compare) general.push(['Kỳ so sánh', periodText(compare.period)], ['Kế hoạch áp dụng kỳ so sánh', planLine(compare.report)]);

  const summaryColumns: ReportColumn[] = [{ vi: 'Nội dung', en: 'Item' }, { vi: main.period.labelVi, en: 'This period' }];
  if (compare) summaryColumns.push({ vi: compare.period.labelVi, en: 'Compared period' }, { vi: 'Tăng (+) / giảm (−)', en: 'Change' });
  const summary = figures(o ? [r, o] : [r]).map((f) => {
    const row: ReportCell[] = [f.label, f.value(r)];
    if (o) row.push(f.value(o), f.value(r) - f.value(o));
    return row;
  });

  const targetColumns: ReportColumn[] = [
    { vi: 'Chỉ tiêu', en: 'Indicator' },
    { vi: 'Đơn vị', en: 'Unit' },
    { vi: 'Kế hoạch (tối thiểu)', en: 'Target (at least)' },
    { vi: 'Thực hiện', en: 'Actual' },
    { vi: 'Đánh giá', en: 'Assessment' },
    { vi: 'Cơ sở số liệu', en: 'Basis' },
  ];
  if (compare) targetColumns.push({ vi: `Thực hiện ${compare.period.labelVi}`, en: 'Actual, compared period' });
  const targets = r.plan.plan ? targetRows(r, o) : [[NO_PLAN.vi, '', null, null, '', '']];

  const p = r.endOfPeriod;
  return {
    titleVi: 'Báo cáo kết quả thực hiện Chương trình OCOP',
    subtitleVi: periodText(main.period),
    sections: [
      { titleVi: 'Thông tin chung', titleEn: 'About this report', columns: [{ vi: 'Mục', en: 'Item' }, { vi: 'Nội dung', en: 'Value' }], rows: general },
      { titleVi: 'Tóm tắt kỳ báo cáo', titleEn: 'Summary of the period', columns: summaryColumns, rows: summary },
      { titleVi: 'Chỉ tiêu kế hoạch', titleEn: 'Plan targets', columns: targetColumns, rows: targets },
      {
        titleVi: 'Sản phẩm theo địa bàn',
        titleEn: 'Products per area',
        columns: [{ vi: 'Địa bàn (huyện cũ)', en: 'Area (former district)' }, { vi: 'Sản phẩm OCOP còn hiệu lực', en: 'Certified products in force' }],
        rows: p.coverage.map((c) => [c.districtName, c.products]),
      },
      {
        titleVi: 'Hạng sao theo nhóm',
        titleEn: 'Stars per product group',
        columns: [{ vi: 'Nhóm sản phẩm', en: 'Product group' }, { vi: '3 sao', en: '3★' }, { vi: '4 sao', en: '4★' }, { vi: '5 sao', en: '5★' }],
        rows: p.starsByGroup.map((g) => [g.groupVi, g.stars3, g.stars4, g.stars5]),
      },
      {
        titleVi: 'Biến động giấy chứng nhận',
        titleEn: 'Certificate events',
        columns: [{ vi: 'Ngày', en: 'Date' }, { vi: 'Sự kiện', en: 'Event' }, { vi: 'Số giấy chứng nhận', en: 'Number' }, { vi: 'Sản phẩm', en: 'Product' }, { vi: 'Chủ thể', en: 'Producer' }, { vi: 'Hạng sao', en: 'Stars' }],
        rows: r.certificates.map((e) => [fmtDate(e.date), EVENT_LABELS[e.event], e.number, e.product, e.producer, `${e.stars} sao`]),
      },
    ],
  };
}

/** The document as CSV rows: each section's title, its column heads, its rows, a blank line. */
export function reportCsvRows(doc: ReportDocument): ReportCell[][] {
  const out: ReportCell[][] = [[doc.subtitleVi], []];
  for (const s of doc.sections) out.push([s.titleVi.toUpperCase()], s.columns.map((c) => c.vi), ...s.rows, []);
  return out;
}
