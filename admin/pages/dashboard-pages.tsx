import { audit } from '../../worker/db/audit';
import { planProgress, type PlanProgress } from '../../worker/db/reports';
import { daysBetween } from '../../worker/domain/dates';
import { planStatus } from '../../worker/db/plan-actuals';
import { LEGAL_FORM_LABELS } from '../../worker/domain/vocabulary';
import { listExpiring, runDailyJob, type ExpiringCertificate } from '../../worker/jobs/daily';
import { actorOf, principalOf, todayOf, type AdminContext } from '../context';
import { csvDownload } from '../csv';
import { can } from '../permissions';
import type { RouteTable } from '../route-table';
import { BarChart, StackedBarChart } from '../ui/charts';
import { ActionButton, Bi, Flash, Input, Table, CardSection } from '../ui/components';
import { fmtDate } from '../ui/format';
import { PlanHeader, TargetCards } from './plan-view';
import { validQuery } from '../actions';
import { planDayQuery } from '../queries';
import { Layout, PageTitle } from '../ui/layout';

export function ProgressCharts(props: { progress: PlanProgress }) {
  const p = props.progress;
  return (
    <div class="grid">
      <div class="card">
        <h2>
          <Bi vi="Độ phủ theo địa bàn (huyện cũ)" en="Coverage per area (former district)" />
        </h2>
        <BarChart title="Sản phẩm OCOP còn hiệu lực theo địa bàn / Certified products per area" rows={p.coverage.map((c) => ({ label: c.districtName, value: c.products }))} />
      </div>
      <div class="card">
        <h2>
          <Bi vi="Hạng sao theo nhóm sản phẩm" en="Stars per product group" />
        </h2>
        <StackedBarChart title="Số sản phẩm theo nhóm và hạng sao / Products per group and stars" legend={['3★', '4★', '5★']} rows={p.starsByGroup.map((g) => ({ label: g.groupVi, parts: [g.stars3, g.stars4, g.stars5] }))} />
        <p class="muted">
          3★: {p.byStars[3]} · 4★: {p.byStars[4]} · 5★: {p.byStars[5]} ·{' '}
          {Object.entries(p.producersByForm)
            .map(([k, n]) => `${LEGAL_FORM_LABELS[k as keyof typeof LEGAL_FORM_LABELS].vi}: ${n}`)
            .join(' · ')}
        </p>
      </div>
    </div>
  );
}

function NoticeTable(props: { rows: ExpiringCertificate[]; today: string; links: boolean }) {
  if (props.rows.length === 0) {
    return (
      <p>
        <Bi vi="Không có giấy chứng nhận nào hết hạn trong 30 ngày tới." en="No certificate expires within the next 30 days." />
      </p>
    );
  }
  return (
    <Table head={['Số GCN / Number', 'Sản phẩm / Product', 'Chủ thể / Producer', 'Email', 'Hết hạn / Valid until', 'Còn / Days left']}>
      {props.rows.map((r) => (
        <tr>
          <td>{props.links ? <a href={`/admin/certificates/${r.id}`}>{r.number}</a> : r.number}</td>
          <td>{r.productName}</td>
          <td>{r.producerName}</td>
          <td>{r.producerEmail ?? '—'}</td>
          <td>{fmtDate(r.validUntil)}</td>
          <td class="num">{daysBetween(props.today, r.validUntil)}</td>
        </tr>
      ))}
    </Table>
  );
}

async function dashboard(c: AdminContext) {
  const p = principalOf(c);
  const today = todayOf(c);
  // `?day=` shows the programme on another day (a past month, the end of a plan) against the plan in force then.
  const day = (await validQuery(c, planDayQuery)).day ?? today;
  const progress = await planProgress(c.var.db, day);
  const status = await planStatus(c.var.db, progress);
  const showNotices = can(p, 'notices.view');
  const notices = showNotices ? await listExpiring(c.var.db, today) : [];
  const done = c.req.query('done');
  return (
    <Layout title="Tổng quan / Dashboard" principal={p} current="/admin">
      <PageTitle vi="Chương trình OCOP so với kế hoạch" en="The OCOP programme against its plan" />
      <Flash done={done} extra={done === 'daily' ? `${c.req.query('expired') ?? 0} hết hạn được ghi nhận / expiries recorded` : undefined} />
      <form method="get" action="/admin" class="inline card noprint">
        <Input name="day" type="date" label={{ vi: 'Số liệu ngày', en: 'Figures for' }} values={{ day }} />
        <button type="submit">Xem / Show</button>
      </form>
      <p class="muted">
        <Bi vi={`Số liệu ngày ${fmtDate(day)}.`} en={`Figures for ${day}.`} />
      </p>
      <PlanHeader status={status} day={day} canManage={can(p, 'plan.manage')} />
      <TargetCards status={status} />
      <ProgressCharts progress={progress} />
      {showNotices ? (
        <CardSection id="notices" title={{ vi: 'Thông báo hết hạn (30 ngày tới)', en: 'Expiry notices (next 30 days)' }} note={{ vi: 'Cơ quan cấp phải thông báo cho chủ thể ít nhất 30 ngày trước khi hết hạn.', en: 'The issuer must notify the producer at least 30 days before expiry.' }}>
          <NoticeTable rows={notices} today={today} links={can(p, 'certificates.view')} />
          <div class="actions">
            <a class="button secondary" href="/admin/notices.csv">
              Tải CSV / Download CSV
            </a>
            {can(p, 'jobs.run') ? <ActionButton action="/admin/jobs/daily" label={{ vi: 'Chạy tác vụ hằng ngày', en: 'Run the daily job' }} secondary /> : null}
          </div>
        </CardSection>
      ) : null}
    </Layout>
  );
}

export function registerDashboardPages(r: RouteTable): void {
  r.get('/', 'dashboard.view', async (c) => c.html(await dashboard(c)));

  r.get('/notices.csv', 'notices.view', async (c) => {
    const today = todayOf(c);
    const rows = await listExpiring(c.var.db, today);
    return csvDownload(
      `ocop-thong-bao-het-han-${today}.csv`,
      ['Số giấy chứng nhận', 'Sản phẩm', 'Chủ thể', 'Email chủ thể', 'Hiệu lực đến ngày', 'Còn (ngày)'],
      rows.map((x) => [x.number, x.productName, x.producerName, x.producerEmail, fmtDate(x.validUntil), daysBetween(today, x.validUntil)]),
    );
  });

  r.post('/jobs/daily', 'jobs.run', async (c) => {
    const p = principalOf(c);
    const now = c.var.clock();
    const result = await runDailyJob(c.var.db, now, { scanRetentionMonths: c.var.config.scanRetentionMonths, reportContactRetentionMonths: c.var.config.reportContactRetentionMonths });
    await audit(c.var.db, actorOf(p), { action: 'job.daily.run', entity: 'job', entityId: 'daily', after: { today: result.today, expiredRecorded: result.expiredRecorded, expiringSoon: result.expiringSoon.length } });
    return c.redirect(`/admin?done=daily&expired=${result.expiredRecorded}#notices`, 303);
  });
}
