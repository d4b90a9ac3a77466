import { audit } from '../../worker/db/audit';
import { planProgress, type PlanProgress } from '../../worker/db/reports';
import { daysBetween } from '../../worker/domain/dates';
import { PLAN_TARGETS_2025, STATUS_FEB_2025 } from '../../worker/domain/plan';
import { LEGAL_FORM_LABELS } from '../../worker/domain/vocabulary';
import { listExpiring, runDailyJob, type ExpiringCertificate } from '../../worker/jobs/daily';
import { actorOf, principalOf, todayOf, type AdminContext } from '../context';
import { csvDownload } from '../csv';
import { can } from '../permissions';
import type { RouteTable } from '../route-table';
import { BarChart, StackedBarChart, TargetBar } from '../ui/charts';
import { ActionButton, Bi, Flash, Table, CardSection } from '../ui/components';
import { fmtDate, fmtInt, fmtPercent, share } from '../ui/format';
import { Layout, PageTitle } from '../ui/layout';

interface Target {
  key: string;
  vi: string;
  en: string;
  value: number;
  target: number;
  percent: boolean;
  detail: string;
}

export function planTargets(p: PlanProgress): Target[] {
  const t = PLAN_TARGETS_2025;
  const coopOrEnterprise = p.producersByForm.doanh_nghiep + p.producersByForm.hop_tac_xa;
  return [
    { key: 'certified', vi: 'Sản phẩm OCOP 3 sao trở lên còn hiệu lực', en: 'Certified 3★+ products in force', value: p.certifiedProducts, target: t.products_3_star_or_more_cumulative, percent: false, detail: `${p.certifiedProducts} / ${t.products_3_star_or_more_cumulative}` },
    { key: 'coop_enterprise', vi: 'Tỷ lệ chủ thể là HTX, doanh nghiệp', en: 'Share of cooperatives and enterprises', value: share(coopOrEnterprise, p.producers), target: t.producers_cooperative_or_enterprise_share_min, percent: true, detail: `${coopOrEnterprise} / ${p.producers}` },
    { key: 'female', vi: 'Tỷ lệ chủ thể do phụ nữ làm chủ', en: 'Share of women-led producers', value: share(p.femaleLed, p.producers), target: t.producers_female_led_share_min, percent: true, detail: `${p.femaleLed} / ${p.producers}` },
    { key: 'ethnic', vi: 'Tỷ lệ chủ thể do người dân tộc thiểu số làm chủ', en: 'Share of ethnic-minority-led producers', value: share(p.ethnicMinorityLed, p.producers), target: t.producers_ethnic_minority_led_share_min, percent: true, detail: `${p.ethnicMinorityLed} / ${p.producers}` },
    { key: 'tourism', vi: 'Sản phẩm dịch vụ du lịch cộng đồng', en: 'Community tourism products', value: p.tourismProducts, target: t.community_tourism_products, percent: false, detail: `${p.tourismProducts} / ${t.community_tourism_products}` },
    { key: 'recertified', vi: 'Tỷ lệ sản phẩm hết hạn được đánh giá lại', en: 'Share of expired products recertified', value: share(p.recertifiedProducts, p.expiredProducts), target: t.expired_products_recertified_share_min, percent: true, detail: `${p.recertifiedProducts} / ${p.expiredProducts}` },
  ];
}

export function TargetCards(props: { progress: PlanProgress }) {
  return (
    <div class="grid">
      {planTargets(props.progress).map((t) => {
        const met = t.value >= t.target;
        return (
          <div class="card" id={`kpi-${t.key}`}>
            <div>
              <Bi vi={t.vi} en={t.en} />
            </div>
            <div class="kpi">
              <span class={met ? 'ok' : 'warn'}>{t.percent ? fmtPercent(t.value) : fmtInt(t.value)}</span>{' '}
              <small>
                / {t.percent ? `≥ ${fmtPercent(t.target)} (${t.detail})` : fmtInt(t.target)}
              </small>
            </div>
            <TargetBar title={t.vi} value={t.value} target={t.target} percent={t.percent} />
            <div class="muted">{met ? 'Đạt chỉ tiêu / Target met' : 'Chưa đạt chỉ tiêu / Below target'}</div>
          </div>
        );
      })}
    </div>
  );
}

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
  const progress = await planProgress(c.var.db, today);
  const showNotices = can(p, 'notices.view');
  const notices = showNotices ? await listExpiring(c.var.db, today) : [];
  const done = c.req.query('done');
  return (
    <Layout title="Tổng quan / Dashboard" principal={p} current="/admin">
      <PageTitle vi="Chương trình OCOP so với kế hoạch" en="The OCOP programme against its plan" />
      <Flash done={done} extra={done === 'daily' ? `${c.req.query('expired') ?? 0} hết hạn được ghi nhận / expiries recorded` : undefined} />
      <p class="muted">
        <Bi vi={`Số liệu ngày ${fmtDate(today)}; chỉ tiêu theo Kế hoạch OCOP tỉnh Bình Phước 2022-2025.`} en={`Figures for ${today}; targets from the Bình Phước OCOP plan 2022-2025.`} />{' '}
        <Bi vi={`Báo cáo tháng 2/2025: ${STATUS_FEB_2025.certified_products} sản phẩm, ${STATUS_FEB_2025.five_star} sản phẩm 5 sao.`} en={`Reported Feb 2025: ${STATUS_FEB_2025.certified_products} products, ${STATUS_FEB_2025.five_star} five-star.`} />
      </p>
      <TargetCards progress={progress} />
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
      ['number', 'product', 'producer', 'producer_email', 'valid_until', 'days_left'],
      rows.map((x) => [x.number, x.productName, x.producerName, x.producerEmail, x.validUntil, daysBetween(today, x.validUntil)]),
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
