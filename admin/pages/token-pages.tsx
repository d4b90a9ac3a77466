import { producerOptions } from '../../worker/db/producers';
import { ALL_SCOPE } from '../../worker/db/scope';
import { unitOptions } from '../../worker/db/units';
import { type ApiTokenRow, createToken, listTokens, revokeToken } from '../../worker/db/users-and-tokens';
import { ROLE_LABELS, ROLES } from '../../worker/domain/vocabulary';
import { actorOf, principalOf, type AdminContext } from '../context';
import { formAction } from '../actions';
import { tokenForm, type FieldErrors } from '../forms';
import { can } from '../permissions';
import { idParam } from '../request';
import type { RouteTable } from '../route-table';
import { generateApiToken, hashApiToken } from '../secrets';
import { ActionButton, Bi, Flash, FormErrors, Input, Select, Table, type FormValues } from '../ui/components';
import { fmtDateTime } from '../ui/format';
import { Layout, PageTitle } from '../ui/layout';

const FIELDS = ['name', 'role', 'areaUnitId', 'producerId'];

async function tokensPage(c: AdminContext, opts: { values?: FormValues; errors?: FieldErrors; secret?: { token: string; row: ApiTokenRow } } = {}) {
  const p = principalOf(c);
  const [rows, units, producers] = await Promise.all([listTokens(c.var.db), unitOptions(c.var.db), producerOptions(c.var.db, ALL_SCOPE)]);
  const values = opts.values ?? { role: 'auditor' };
  const writable = can(p, 'tokens.write');
  return (
    <Layout title="Khóa API / API tokens" principal={p} current="/admin/tokens">
      <PageTitle vi="Khóa truy cập API" en="API tokens" />
      <Flash done={c.req.query('done')} />
      <p class="muted">
        <Bi
          vi="Dành cho hệ thống khác của tỉnh: gửi kèm tiêu đề Authorization: Bearer <khóa> tới /api/v1/admin/. Khóa chỉ hiện một lần, máy chủ chỉ lưu bản băm."
          en="For other provincial systems: send Authorization: Bearer <token> to /api/v1/admin/. Shown once; the server keeps only its hash."
        />
      </p>
      {opts.secret ? (
        <div class="card">
          <p>
            <Bi vi={`Khóa "${opts.secret.row.name}" (chỉ hiện một lần):`} en={`Token "${opts.secret.row.name}" (shown once):`} />
          </p>
          <p class="secret" id="one-time-secret">
            {opts.secret.token}
          </p>
        </div>
      ) : null}
      <Table head={['#', 'Tên / Name', 'Vai trò / Role', 'Phạm vi / Scope', 'Tạo lúc / Created', 'Dùng lần cuối / Last used', 'Trạng thái / Status', '']}>
        {rows.map((t) => (
          <tr>
            <td>{t.id}</td>
            <td>{t.name}</td>
            <td>{ROLE_LABELS[t.role].vi}</td>
            <td>{t.area_unit_id ?? (t.producer_id !== null ? `producer #${t.producer_id}` : '—')}</td>
            <td>{fmtDateTime(t.created_at)}</td>
            <td>{fmtDateTime(t.last_used_at)}</td>
            <td>{t.revoked_at ? `Đã thu hồi / revoked ${fmtDateTime(t.revoked_at)}` : 'Hoạt động / Active'}</td>
            <td>{writable && !t.revoked_at ? <ActionButton action={`/admin/tokens/${t.id}/revoke`} label={{ vi: 'Thu hồi', en: 'Revoke' }} danger /> : null}</td>
          </tr>
        ))}
      </Table>
      {writable ? (
        <>
          <h2>
            <Bi vi="Tạo khóa mới" en="New token" />
          </h2>
          <FormErrors errors={opts.errors} fields={FIELDS} />
          <form method="post" action="/admin/tokens" class="stack card">
            <Input name="name" label={{ vi: 'Tên (hệ thống dùng khóa)', en: 'Name (the system using it)' }} values={values} errors={opts.errors} required />
            <Select name="role" label={{ vi: 'Vai trò', en: 'Role' }} values={values} errors={opts.errors} options={ROLES.map((r) => ({ value: r, label: `${ROLE_LABELS[r].vi} / ${ROLE_LABELS[r].en}` }))} required />
            <Select name="areaUnitId" label={{ vi: 'Địa bàn (cán bộ khu vực)', en: 'Area (area officer)' }} values={values} errors={opts.errors} blank="—" options={units.filter((u) => u.level === 'district').map((u) => ({ value: u.id, label: u.name }))} />
            <Select name="producerId" label={{ vi: 'Chủ thể (tài khoản chủ thể)', en: 'Producer (producer role)' }} values={values} errors={opts.errors} blank="—" options={producers.map((x) => ({ value: String(x.id), label: x.name }))} />
            <div>
              <button type="submit">Tạo khóa / Create token</button>
            </div>
          </form>
        </>
      ) : null}
    </Layout>
  );
}

export function registerTokenPages(r: RouteTable): void {
  r.get('/tokens', 'tokens.view', async (c) => c.html(await tokensPage(c)));

  r.post('/tokens', 'tokens.write', formAction({
    schema: tokenForm,
    fields: FIELDS,
    page: (c, form) => tokensPage(c, form),
    act: async (c, input) => {
      const token = generateApiToken();
      const row = await createToken(c.var.db, actorOf(principalOf(c)), input, await hashApiToken(token));
      c.header('cache-control', 'no-store');
      return c.html(await tokensPage(c, { secret: { token, row } }), 201);
    },
  }));

  r.post('/tokens/:id{[0-9]+}/revoke', 'tokens.write', async (c) => {
    await revokeToken(c.var.db, actorOf(principalOf(c)), idParam(c.req.param('id')), c.var.clock());
    return c.redirect('/admin/tokens?done=token_revoked', 303);
  });
}
