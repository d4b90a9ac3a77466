import { type CounterfeitRow, listCounterfeitReports, setCounterfeitStatus } from '../../worker/db/counterfeit-reports';
import { actorOf, principalOf, scopeOf } from '../context';
import { validForm, validQuery } from '../actions';
import { counterfeitQuery } from '../queries';
import { counterfeitStatusForm } from '../forms';
import { can } from '../permissions';
import { idParam } from '../request';
import type { RouteTable } from '../route-table';
import { REPORT_STATUS_LABELS } from '../../worker/domain/vocabulary';
import { Bi, Flash, Select, Table } from '../ui/components';
import { bilingualText, fmtDateTime } from '../ui/format';
import { Layout, PageTitle } from '../ui/layout';

const STATUS_LABELS = bilingualText(REPORT_STATUS_LABELS);

/** `showContact`: the shopper's contact column, for officials only (permission counterfeit.contact). */
export function CounterfeitTable(props: { rows: CounterfeitRow[]; editable: boolean; showContact: boolean }) {
  if (props.rows.length === 0) return <p class="muted">Chưa có phản ánh nào / No reports</p>;
  const head = ['Lúc / When', 'Sản phẩm / Product', 'Mã / Code', 'Nội dung / Message', 'Nơi / Place', ...(props.showContact ? ['Liên hệ / Contact'] : []), 'Trạng thái / Status'];
  return (
    <Table head={head}>
      {props.rows.map((r) => (
        <tr>
          <td>{fmtDateTime(r.created_at)}</td>
          <td>
            {r.product_name ?? '—'}
            {r.producer_name ? <span class="muted"> — {r.producer_name}</span> : null}
          </td>
          <td>{r.batch_id ? `lô #${r.batch_id}${r.serial ? ` / gói ${r.serial}` : ''}` : (r.code_text?.slice(0, 24) ?? '—')}</td>
          <td>{r.message}</td>
          <td>{r.place ?? '—'}</td>
          {props.showContact ? <td>{r.contact ?? '—'}</td> : null}
          <td>
            {props.editable ? (
              <form method="post" action={`/admin/counterfeit/${r.id}`} class="inline">
                <Select name="status" label={{ vi: 'Trạng thái', en: 'Status' }} values={{ status: r.status }} options={Object.entries(STATUS_LABELS).map(([value, label]) => ({ value, label }))} />
                <button type="submit" class="secondary">
                  Lưu / Save
                </button>
              </form>
            ) : (
              STATUS_LABELS[r.status]
            )}
          </td>
        </tr>
      ))}
    </Table>
  );
}

export function registerCounterfeitPages(r: RouteTable): void {
  r.get('/counterfeit', 'counterfeit.view', async (c) => {
    const p = principalOf(c);
    const filter = await validQuery(c, counterfeitQuery);
    const status = filter.status;
    const showContact = can(p, 'counterfeit.contact');
    const rows = await listCounterfeitReports(c.var.db, scopeOf(c), filter, { withContact: showContact });
    return c.html(
      <Layout title="Phản ánh hàng giả / Counterfeit reports" principal={p} current="/admin/counterfeit">
        <PageTitle vi="Phản ánh hàng giả, hàng nhái" en="Counterfeit reports" />
        <Flash done={c.req.query('done')} />
        <p class="muted">
          <Bi vi="Người mua gửi phản ánh từ trang quét mã." en="Shoppers send these from the scan page." />
        </p>
        <form method="get" action="/admin/counterfeit" class="inline card">
          <Select name="status" label={{ vi: 'Trạng thái', en: 'Status' }} values={{ status }} blank="Tất cả / All" options={Object.entries(STATUS_LABELS).map(([value, label]) => ({ value, label }))} />
          <button type="submit">Lọc / Filter</button>
        </form>
        <CounterfeitTable rows={rows} editable={can(p, 'counterfeit.write')} showContact={showContact} />
      </Layout>,
    );
  });

  r.post('/counterfeit/:id{[0-9]+}', 'counterfeit.write', async (c) => {
    // The status form sits in a table row: a bad value is the error page, not a form again.
    const input = await validForm(c, counterfeitStatusForm);
    await setCounterfeitStatus(c.var.db, actorOf(principalOf(c)), idParam(c.req.param('id')), input.status, input.note);
    return c.redirect('/admin/counterfeit?done=status', 303);
  });
}
