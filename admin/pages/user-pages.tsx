import type { Role } from '../../schema/database';
import { audit } from '../../worker/db/audit';
import { producerOptions } from '../../worker/db/producers';
import { ALL_SCOPE } from '../../worker/db/scope';
import { unitOptions } from '../../worker/db/units';
import { createUser, getUser, listUsers, publicUser, type PublicUser, setPassword, updateUser } from '../../worker/db/users-and-tokens';
import { ROLE_LABELS, ROLES } from '../../worker/domain/vocabulary';
import { accountLockedUntil, unlockAccount } from '../auth';
import { actorOf, principalOf, type AdminContext } from '../context';
import { formAction } from '../actions';
import { userForm, userUpdateForm, type FieldErrors } from '../forms';
import { generatePassword, hashPassword } from '../password';
import { can } from '../permissions';
import { found, idParam, notFound } from '../request';
import type { RouteTable } from '../route-table';
import { ActionButton, Bi, Check, Flash, FormErrors, Input, Select, Table, toFormValues, type FormValues, NewButton } from '../ui/components';
import { fmtDateTime } from '../ui/format';
import { Layout, PageTitle } from '../ui/layout';

const CREATE_FIELDS = ['email', 'name', 'role', 'areaUnitId', 'producerId'];
const UPDATE_FIELDS = ['name', 'role', 'areaUnitId', 'producerId', 'disabled'];

async function scopeChoices(c: AdminContext) {
  const [units, producers] = await Promise.all([unitOptions(c.var.db), producerOptions(c.var.db, ALL_SCOPE)]);
  return {
    areas: units.filter((u) => u.level === 'district').map((u) => ({ value: u.id, label: u.name })),
    producers: producers.map((x) => ({ value: String(x.id), label: x.name })),
  };
}

export function RoleFields(props: { values: FormValues; errors?: FieldErrors | undefined; choices: Awaited<ReturnType<typeof scopeChoices>> }) {
  return (
    <>
      <Select name="role" label={{ vi: 'Vai trò', en: 'Role' }} values={props.values} errors={props.errors} options={ROLES.map((r) => ({ value: r, label: `${ROLE_LABELS[r].vi} / ${ROLE_LABELS[r].en}` }))} required />
      <Select name="areaUnitId" label={{ vi: 'Địa bàn (chỉ cán bộ khu vực)', en: 'Area (area officers only)' }} values={props.values} errors={props.errors} blank="—" options={props.choices.areas} />
      <Select name="producerId" label={{ vi: 'Chủ thể (chỉ tài khoản chủ thể)', en: 'Producer (producer accounts only)' }} values={props.values} errors={props.errors} blank="—" options={props.choices.producers} />
    </>
  );
}

function NewUserPage(props: { c: AdminContext; values: FormValues; errors?: FieldErrors; choices: Awaited<ReturnType<typeof scopeChoices>> }) {
  return (
    <Layout title="Người dùng mới / New user" principal={principalOf(props.c)} current="/admin/users">
      <PageTitle vi="Tạo tài khoản" en="New user" />
      <FormErrors errors={props.errors} fields={CREATE_FIELDS} />
      <form method="post" action="/admin/users" class="stack card">
        <Input name="email" type="email" label={{ vi: 'Email', en: 'Email' }} values={props.values} errors={props.errors} required />
        <Input name="name" label={{ vi: 'Họ tên', en: 'Name' }} values={props.values} errors={props.errors} required />
        <RoleFields values={props.values} errors={props.errors} choices={props.choices} />
        <p class="muted">
          <Bi vi="Mật khẩu được tạo ngẫu nhiên và chỉ hiện một lần." en="A random password is generated and shown once." />
        </p>
        <div>
          <button type="submit">Tạo / Create</button>
        </div>
      </form>
    </Layout>
  );
}

function PasswordOnce(props: { c: AdminContext; user: PublicUser; password: string; created: boolean }) {
  return (
    <Layout title="Mật khẩu / Password" principal={principalOf(props.c)} current="/admin/users">
      <PageTitle vi={props.created ? 'Đã tạo tài khoản' : 'Đã cấp mật khẩu mới'} en={props.created ? 'Account created' : 'New password issued'} />
      <div class="card">
        <p>
          <Bi vi={`Mật khẩu của ${props.user.email} (chỉ hiện một lần, hãy trao tận tay):`} en={`Password for ${props.user.email} (shown once; hand it over in person):`} />
        </p>
        <p class="secret" id="one-time-secret">
          {props.password}
        </p>
        <p>
          <a href={`/admin/users/${props.user.id}`}>Xem tài khoản / View account</a>
        </p>
      </div>
    </Layout>
  );
}

async function editPage(c: AdminContext, user: PublicUser, values: FormValues, errors?: FieldErrors) {
  const p = principalOf(c);
  const lockedUntil = await accountLockedUntil(c.var.db, c.var.deps, user.email);
  const writable = can(p, 'users.write');
  return (
    <Layout title={user.email} principal={p} current="/admin/users">
      <PageTitle vi={`Tài khoản ${user.email}`} en="User" />
      <Flash done={c.req.query('done')} />
      {lockedUntil ? (
        <div class="flash warn">
          <Bi vi={`Đăng nhập đang bị tạm khóa đến ${fmtDateTime(lockedUntil)}.`} en={`Sign-in locked until ${lockedUntil.toISOString()}.`} />
          {writable ? <ActionButton action={`/admin/users/${user.id}/unlock`} label={{ vi: 'Mở khóa', en: 'Unlock' }} secondary /> : null}
        </div>
      ) : null}
      <FormErrors errors={errors} fields={UPDATE_FIELDS} />
      <form method="post" action={`/admin/users/${user.id}`} class="stack card">
        <Input name="name" label={{ vi: 'Họ tên', en: 'Name' }} values={values} errors={errors} required />
        <RoleFields values={values} errors={errors} choices={await scopeChoices(c)} />
        <Check name="disabled" label={{ vi: 'Khóa tài khoản', en: 'Disabled' }} values={values} errors={errors} />
        <p class="muted">
          <Bi vi="Đổi vai trò, địa bàn hoặc khóa tài khoản có hiệu lực ngay: các phiên đăng nhập hiện có kết thúc." en="Role, scope or disabled changes apply at once: existing sessions end." />
        </p>
        {writable ? (
          <div>
            <button type="submit">Lưu / Save</button>
          </div>
        ) : null}
      </form>
      {writable ? (
        <div class="actions">
          <ActionButton action={`/admin/users/${user.id}/reset-password`} label={{ vi: 'Cấp mật khẩu mới', en: 'Issue a new password' }} secondary />
        </div>
      ) : null}
    </Layout>
  );
}

function userValues(u: PublicUser): FormValues {
  return toFormValues({ name: u.name, role: u.role, areaUnitId: u.area_unit_id, producerId: u.producer_id, disabled: u.disabled });
}

export function registerUserPages(r: RouteTable): void {
  r.get('/users', 'users.view', async (c) => {
    const p = principalOf(c);
    const rows = await listUsers(c.var.db);
    return c.html(
      <Layout title="Người dùng / Users" principal={p} current="/admin/users">
        <PageTitle vi="Người dùng" en="Users" />
        <Flash done={c.req.query('done')} />
        <NewButton when={can(p, 'users.write')} href="/admin/users/new" label="Tạo tài khoản / New user" />
        <Table head={['Email', 'Họ tên / Name', 'Vai trò / Role', 'Phạm vi / Scope', 'Trạng thái / Status', 'Tạo lúc / Created']}>
          {rows.map((u) => (
            <tr>
              <td>
                <a href={`/admin/users/${u.id}`}>{u.email}</a>
              </td>
              <td>{u.name}</td>
              <td>{ROLE_LABELS[u.role as Role].vi}</td>
              <td>{u.area_name ?? u.producer_name ?? '—'}</td>
              <td>{u.disabled ? 'Đã khóa / Disabled' : 'Hoạt động / Active'}</td>
              <td>{fmtDateTime(u.created_at)}</td>
            </tr>
          ))}
        </Table>
      </Layout>,
    );
  });

  r.get('/users/new', 'users.write', async (c) => c.html(<NewUserPage c={c} values={{ role: 'producer' }} choices={await scopeChoices(c)} />));

  r.post('/users', 'users.write', formAction({
    schema: userForm,
    fields: CREATE_FIELDS,
    page: async (c, form) => <NewUserPage c={c} {...form} choices={await scopeChoices(c)} />,
    act: async (c, input) => {
      const password = generatePassword();
      const user = await createUser(c.var.db, actorOf(principalOf(c)), input, await hashPassword(password));
      c.header('cache-control', 'no-store');
      return c.html(<PasswordOnce c={c} user={user} password={password} created />, 201);
    },
  }));

  r.get('/users/:id{[0-9]+}', 'users.view', async (c) => {
    const user = await getUser(c.var.db, idParam(c.req.param('id')));
    if (!user) throw notFound();
    return c.html(await editPage(c, publicUser(user), userValues(publicUser(user))));
  });

  r.post('/users/:id{[0-9]+}', 'users.write', formAction({
    schema: userUpdateForm,
    fields: UPDATE_FIELDS,
    load: async (c) => publicUser(found(await getUser(c.var.db, idParam(c.req.param('id'))))),
    page: (c, form, user) => editPage(c, user, form.values, form.errors),
    act: async (c, input, user) => {
      await updateUser(c.var.db, actorOf(principalOf(c)), user.id, input);
      return `/admin/users/${user.id}?done=saved`;
    },
  }));

  r.post('/users/:id{[0-9]+}/reset-password', 'users.write', async (c) => {
    const user = await getUser(c.var.db, idParam(c.req.param('id')));
    if (!user) throw notFound();
    const password = generatePassword();
    const updated = await setPassword(c.var.db, actorOf(principalOf(c)), user.id, await hashPassword(password), 'reset by an admin');
    c.header('cache-control', 'no-store');
    return c.html(<PasswordOnce c={c} user={updated} password={password} created={false} />);
  });

  r.post('/users/:id{[0-9]+}/unlock', 'users.write', async (c) => {
    const user = await getUser(c.var.db, idParam(c.req.param('id')));
    if (!user) throw notFound();
    await unlockAccount(c.var.db, c.var.deps, user.email);
    await audit(c.var.db, actorOf(principalOf(c)), { action: 'user.unlock', entity: 'user', entityId: user.id });
    return c.redirect(`/admin/users/${user.id}?done=unlocked`, 303);
  });
}
