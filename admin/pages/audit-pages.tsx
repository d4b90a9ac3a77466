import { auditActions, type AuditFilter, type AuditRow, iterateAudit, listAudit } from '../../worker/db/audit';
import { principalOf, type AdminContext } from '../context';
import { csvDownload } from '../csv';
import { validQuery } from '../actions';
import { auditQuery } from '../queries';
import type { RouteTable } from '../route-table';
import { Bi, Input, Select, Table, type FormValues } from '../ui/components';
import { fmtDateTime } from '../ui/format';
import { Layout, PageTitle } from '../ui/layout';

function json(v: unknown): string {
  if (v === null || v === undefined) return '';
  return JSON.stringify(v, null, 1);
}

export function AuditTable(props: { rows: AuditRow[] }) {
  if (props.rows.length === 0) return <p class="muted">Không có mục nào / No entries</p>;
  return (
    <Table head={['Lúc / When', 'Ai / Who', 'Hành động / Action', 'Đối tượng / Entity', 'Lý do / Reason', 'Trước → sau / Before → after']}>
      {props.rows.map((a) => (
        <tr id={`audit-${a.id}`}>
          <td>{fmtDateTime(a.at)}</td>
          <td>{a.actor_label}</td>
          <td>
            <code>{a.action}</code>
          </td>
          <td>
            {a.entity}
            {a.entity_id ? ` #${a.entity_id}` : ''}
          </td>
          <td>{a.reason ?? ''}</td>
          <td>
            {a.before !== null || a.after !== null ? (
              <details>
                <summary>Chi tiết / Details</summary>
                {a.before !== null ? <pre class="json">{`trước / before: ${json(a.before)}`}</pre> : null}
                {a.after !== null ? <pre class="json">{`sau / after: ${json(a.after)}`}</pre> : null}
              </details>
            ) : null}
          </td>
        </tr>
      ))}
    </Table>
  );
}

const ENTITIES = ['certificate', 'evaluation', 'package_batch', 'producer', 'product', 'user', 'api_token', 'signing_key', 'counterfeit_report', 'job', 'reference'];

function filterQuery(f: AuditFilter): string {
  const params = new URLSearchParams();
  if (f.action) params.set('action', f.action);
  if (f.entity) params.set('entity', f.entity);
  if (f.entityId) params.set('entity_id', f.entityId);
  if (f.actor) params.set('actor', f.actor);
  if (f.from) params.set('from', f.from);
  if (f.to) params.set('to', f.to);
  return params.toString();
}

async function auditPage(c: AdminContext) {
  const { filter, before } = await validQuery(c, auditQuery);
  const pageSize = 100;
  const [rows, actions] = await Promise.all([listAudit(c.var.db, filter, { limit: pageSize, before }), auditActions(c.var.db)]);
  const values: FormValues = { action: filter.action, entity: filter.entity, entity_id: filter.entityId, actor: filter.actor, from: filter.from, to: filter.to };
  const qs = filterQuery(filter);
  return (
    <Layout title="Nhật ký / Audit log" principal={principalOf(c)} current="/admin/audit">
      <PageTitle vi="Nhật ký thay đổi" en="Audit log" />
      <p class="muted">
        <Bi vi="Nhật ký chỉ được ghi thêm, không sửa, không xóa (cơ sở dữ liệu chặn)." en="Append-only: the database refuses updates and deletes." />
      </p>
      <form method="get" action="/admin/audit" class="inline card">
        <Select name="action" label={{ vi: 'Hành động', en: 'Action' }} values={values} blank="Tất cả / All" options={actions.map((a) => ({ value: a, label: a }))} />
        <Select name="entity" label={{ vi: 'Đối tượng', en: 'Entity' }} values={values} blank="Tất cả / All" options={ENTITIES.map((e) => ({ value: e, label: e }))} />
        <Input name="entity_id" label={{ vi: 'Mã đối tượng', en: 'Entity id' }} values={values} />
        <Input name="actor" label={{ vi: 'Người thực hiện', en: 'Actor' }} values={values} />
        <Input name="from" type="date" label={{ vi: 'Từ ngày', en: 'From' }} values={values} />
        <Input name="to" type="date" label={{ vi: 'Đến ngày', en: 'To' }} values={values} />
        <button type="submit">Lọc / Filter</button>
      </form>
      <div class="actions">
        <a class="button secondary" href={`/admin/audit.csv${qs ? `?${qs}` : ''}`}>
          Tải CSV / Download CSV
        </a>
      </div>
      <AuditTable rows={rows} />
      {rows.length === pageSize ? (
        <div class="pager">
          <a href={`/admin/audit?${qs ? `${qs}&` : ''}before=${rows[rows.length - 1]!.id}`}>Cũ hơn / Older →</a>
        </div>
      ) : null}
    </Layout>
  );
}

/** The filtered audit log as CSV, streamed: served to the UI and to the admin API alike. */
export async function auditCsv(c: AdminContext): Promise<Response> {
  const { filter } = await validQuery(c, auditQuery);
  const db = c.var.db;
  async function* rows() {
    for await (const a of iterateAudit(db, filter)) {
      yield [a.id, a.at, a.actor_user_id, a.actor_label, a.action, a.entity, a.entity_id, a.reason, a.before === null ? '' : JSON.stringify(a.before), a.after === null ? '' : JSON.stringify(a.after)];
    }
  }
  return csvDownload('ocop-nhat-ky.csv', ['id', 'at', 'actor_user_id', 'actor', 'action', 'entity', 'entity_id', 'reason', 'before', 'after'], rows(), (finished) => c.var.defer(() => finished));
}

export function registerAuditPages(r: RouteTable): void {
  r.get('/audit', 'audit.view', async (c) => c.html(await auditPage(c)));

  r.get('/audit.csv', 'audit.view', auditCsv);
}
