import { auditActions, type AuditFilter, type AuditRow, iterateAudit, listAudit } from '../../worker/db/audit';
import { actionLabel, actorText, changeLines, entityLabel, entityNames, ENTITY_LABELS, reasonText, subjectText } from '../audit-labels';
import { principalOf, type AdminContext } from '../context';
import { csvDownload } from '../csv';
import { validQuery } from '../actions';
import { auditQuery } from '../queries';
import type { RouteTable } from '../route-table';
import { Bi, Input, Select, Table, type FormValues } from '../ui/components';
import { fmtDateTime } from '../ui/format';
import { Layout, PageTitle } from '../ui/layout';

/**
 * Audit entries in words (admin/audit-labels.ts). `names` says which record each is about;
 * without it (a record's own page, where the subject is the page) only the kind is shown.
 */
export function AuditTable(props: { rows: AuditRow[]; names?: ReadonlyMap<string, string> }) {
  if (props.rows.length === 0) return <p class="muted">Không có mục nào / No entries</p>;
  return (
    <Table head={['Lúc / When', 'Ai / Who', 'Hành động / Action', 'Đối tượng / Record', 'Lý do / Reason', 'Thay đổi / Changes']}>
      {props.rows.map((a) => {
        const lines = changeLines(a);
        return (
          <tr>
            <td>{fmtDateTime(a.at)}</td>
            <td>{actorText(a.actor_label)}</td>
            <td>{actionLabel(a.action).vi}</td>
            <td>{props.names ? subjectText(a, props.names) : entityLabel(a.entity).vi}</td>
            <td>{reasonText(a.reason)}</td>
            <td>
              {lines.length > 0 ? (
                <details>
                  <summary>Chi tiết / Details ({lines.length})</summary>
                  <ul class="changes">
                    {lines.map((l) => (
                      <li>
                        {l.field}: {l.before !== null && l.after !== null ? `${l.before} → ${l.after}` : (l.after ?? l.before)}
                      </li>
                    ))}
                  </ul>
                </details>
              ) : null}
            </td>
          </tr>
        );
      })}
    </Table>
  );
}

const ENTITIES = Object.keys(ENTITY_LABELS);

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
  const names = await entityNames(c.var.db, rows);
  const values: FormValues = { action: filter.action, entity: filter.entity, entity_id: filter.entityId, actor: filter.actor, from: filter.from, to: filter.to };
  const qs = filterQuery(filter);
  return (
    <Layout title="Nhật ký / Audit log" principal={principalOf(c)} current="/admin/audit">
      <PageTitle vi="Nhật ký thay đổi" en="Audit log" />
      <p class="muted">
        <Bi vi="Nhật ký chỉ được ghi thêm, không sửa, không xóa (cơ sở dữ liệu chặn)." en="Append-only: the database refuses updates and deletes." />
      </p>
      <form method="get" action="/admin/audit" class="inline card">
        <Select name="action" label={{ vi: 'Hành động', en: 'Action' }} values={values} blank="Tất cả / All" options={actions.map((a) => ({ value: a, label: actionLabel(a).vi }))} />
        <Select name="entity" label={{ vi: 'Đối tượng', en: 'Entity' }} values={values} blank="Tất cả / All" options={ENTITIES.map((e) => ({ value: e, label: entityLabel(e).vi }))} />
        <Input name="entity_id" label={{ vi: 'Mã số bản ghi (nếu biết)', en: 'Record id (if known)' }} values={values} />
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
      <AuditTable rows={rows} names={names} />
      {rows.length === pageSize ? (
        <div class="pager">
          <a href={`/admin/audit?${qs ? `${qs}&` : ''}before=${rows[rows.length - 1]!.id}`}>Cũ hơn / Older →</a>
        </div>
      ) : null}
    </Layout>
  );
}

/**
 * The filtered audit log as an official reads it, for the UI's download: Vietnamese headers
 * and values, records by name or number. Names are loaded a page of rows at a time.
 */
async function auditCsvForPeople(c: AdminContext): Promise<Response> {
  const { filter } = await validQuery(c, auditQuery);
  const db = c.var.db;
  async function* rows() {
    let page: AuditRow[] = [];
    const flush = async function* () {
      const names = await entityNames(db, page);
      for (const a of page) {
        const changes = changeLines(a).map((l) => `${l.field}: ${l.before !== null && l.after !== null ? `${l.before} → ${l.after}` : (l.after ?? l.before)}`).join('; ');
        yield [fmtDateTime(a.at), actorText(a.actor_label), actionLabel(a.action).vi, subjectText(a, names), reasonText(a.reason), changes];
      }
      page = [];
    };
    for await (const a of iterateAudit(db, filter)) {
      page.push(a);
      if (page.length >= 500) yield* flush();
    }
    yield* flush();
  }
  return csvDownload('ocop-nhat-ky.csv', ['Thời điểm', 'Người thực hiện', 'Hành động', 'Đối tượng', 'Lý do', 'Thay đổi'], rows(), (finished) => c.var.defer(() => finished));
}

/** The filtered audit log as CSV with its machine keys, streamed: for the admin API (documented columns). */
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

  r.get('/audit.csv', 'audit.view', auditCsvForPeople);
}
