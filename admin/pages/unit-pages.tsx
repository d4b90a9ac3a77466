// Đơn vị hành chính / Administrative units (issue 12): the communes, wards and special zones
// of today's province, with the former units they came from. The province admin adds them
// (audited, worker/db/unit-admin.ts); the producer form then offers them as addresses.
import type { AdminUnit } from '../../schema/database';
import { createCurrentUnit, currentProvinces, formerUnits, getCurrentUnit, listCurrentUnits, updateCurrentUnit, type CurrentUnitRow } from '../../worker/db/unit-admin';
import { CURRENT_COMMUNE_TYPE_LABELS, CURRENT_COMMUNE_TYPES, type CurrentCommuneType } from '../../worker/domain/vocabulary';
import { formAction } from '../actions';
import { actorOf, principalOf, type AdminContext } from '../context';
import type { FieldErrors } from '../forms';
import { can } from '../permissions';
import { found, readForm } from '../request';
import type { RouteTable } from '../route-table';
import { unitForm } from '../sales-point-forms';
import { Bi, Flash, FormErrors, Input, NewButton, Select, Table, toFormValues, type FormValues } from '../ui/components';
import { Layout, PageTitle } from '../ui/layout';

const FIELDS = ['name', 'unitType', 'gsoCode', 'parentId', 'validFrom', 'predecessorIds'];

function typeLabel(t: string): string {
  return (CURRENT_COMMUNE_TYPES as readonly string[]).includes(t) ? CURRENT_COMMUNE_TYPE_LABELS[t as CurrentCommuneType].vi : t;
}

interface Choices {
  provinces: { id: string; name: string }[];
  former: Awaited<ReturnType<typeof formerUnits>>;
}

async function choices(c: AdminContext): Promise<Choices> {
  const [provinces, former] = await Promise.all([currentProvinces(c.var.db), formerUnits(c.var.db)]);
  return { provinces, former };
}

function FormPage(props: { c: AdminContext; unit?: AdminUnit; values: FormValues; checked: Set<string>; errors?: FieldErrors | undefined; choices: Choices }) {
  const p = principalOf(props.c);
  const editing = props.unit;
  return (
    <Layout title={editing ? editing.name : 'Đơn vị mới / New unit'} principal={p} current="/admin/units">
      {editing ? <PageTitle vi={`Sửa đơn vị: ${typeLabel(editing.unit_type)} ${editing.name}`} en="Edit unit" /> : <PageTitle vi="Thêm xã, phường, đặc khu" en="New commune, ward or special zone" />}
      <FormErrors errors={props.errors} fields={FIELDS} />
      <form method="post" action={editing ? `/admin/units/${editing.id}` : '/admin/units'} class="stack card">
        <Input name="name" label={{ vi: 'Tên (không kèm chữ "xã", "phường")', en: 'Name (without the type)' }} values={props.values} errors={props.errors} required maxlength={100} />
        <Select name="unitType" label={{ vi: 'Loại', en: 'Type' }} values={props.values} errors={props.errors} blank="— Chọn / Choose —" required
          options={CURRENT_COMMUNE_TYPES.map((t) => ({ value: t, label: `${CURRENT_COMMUNE_TYPE_LABELS[t].vi} / ${CURRENT_COMMUNE_TYPE_LABELS[t].en}` }))} />
        <Input name="gsoCode" label={{ vi: 'Mã GSO (nếu đã biết)', en: 'GSO code (when known)' }} values={props.values} errors={props.errors} hint="5 chữ số; để trống nếu chưa biết, đừng đoán / 5 digits; leave blank rather than guess" />
        <Select name="parentId" label={{ vi: 'Tỉnh, thành phố', en: 'Province' }} values={props.values} errors={props.errors} required options={props.choices.provinces.map((x) => ({ value: x.id, label: x.name }))} />
        <Input name="validFrom" type="date" label={{ vi: 'Có hiệu lực từ', en: 'In force from' }} values={props.values} errors={props.errors} hint="Mặc định 01/07/2025 / Default 1 July 2025" />
        <fieldset>
          <legend>
            <Bi vi="Hình thành từ (đơn vị cũ)" en="Formed from (former units)" />
          </legend>
          {props.errors?.predecessorIds ? <span class="error" role="alert">{props.errors.predecessorIds}</span> : null}
          {props.choices.former.map((u) => (
            <label class="check">
              <input type="checkbox" name="predecessorIds" value={u.id} checked={props.checked.has(u.id)} />
              <span>
                {u.name} <span class="muted">· {u.parent_name ?? ''} ({u.level === 'district' ? 'huyện cũ / former district' : 'xã cũ / former commune'})</span>
              </span>
            </label>
          ))}
        </fieldset>
        <div>
          <button type="submit">Lưu / Save</button>
        </div>
      </form>
    </Layout>
  );
}

function ListPage(props: { c: AdminContext; rows: CurrentUnitRow[] }) {
  const p = principalOf(props.c);
  return (
    <Layout title="Đơn vị hành chính / Administrative units" principal={p} current="/admin/units">
      <PageTitle vi="Xã, phường, đặc khu hiện nay" en="Communes, wards and special zones today" />
      <Flash done={props.c.req.query('done')} />
      <p class="muted">
        <Bi vi="Từ 01/07/2025 không còn cấp huyện. Thêm đơn vị mới để đăng ký chủ thể ở mọi nơi của tỉnh hiện nay; địa chỉ cũ vẫn giữ nguyên và ghi “nay …”." en="Since 1 July 2025 there are no districts. Add the units of today's province so producers anywhere in it can be registered; former addresses stay as issued, shown with “now …”." />
      </p>
      <NewButton when={can(p, 'units.write')} href="/admin/units/new" label="Thêm đơn vị / New unit" />
      <Table head={['Đơn vị / Unit', 'Mã GSO / GSO code', 'Tỉnh / Province', 'Hình thành từ / Formed from', 'Chủ thể / Producers']}>
        {props.rows.map((u) => (
          <tr>
            <td>{can(p, 'units.write') ? <a href={`/admin/units/${u.id}/edit`}>{`${typeLabel(u.unit_type)} ${u.name}`}</a> : `${typeLabel(u.unit_type)} ${u.name}`}</td>
            <td>{u.gso_code ?? '—'}</td>
            <td>{u.parent_name ?? '—'}</td>
            <td>{u.predecessors.map((x) => `${x.name}${x.parent_name ? ` (${x.parent_name})` : ''}`).join(', ') || '—'}</td>
            <td class="num">{u.producers}</td>
          </tr>
        ))}
      </Table>
    </Layout>
  );
}

async function checkedOf(c: AdminContext): Promise<Set<string>> {
  const v = (await readForm(c)).data.predecessorIds;
  return new Set((Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string'));
}

async function loadUnit(c: AdminContext): Promise<CurrentUnitRow> {
  const id = c.req.param('unit') ?? '';
  return found(/^[a-z0-9-]{1,60}$/.test(id) ? await getCurrentUnit(c.var.db, id) : undefined);
}

export function registerUnitPages(r: RouteTable): void {
  r.get('/units', 'units.view', async (c) => c.html(<ListPage c={c} rows={await listCurrentUnits(c.var.db)} />));

  r.get('/units/new', 'units.write', async (c) => {
    const ch = await choices(c);
    return c.html(<FormPage c={c} values={{ parentId: ch.provinces[0]?.id ?? '', validFrom: '2025-07-01' }} checked={new Set()} choices={ch} />);
  });

  r.post('/units', 'units.write', formAction({
    schema: unitForm,
    fields: FIELDS,
    dateField: 'validFrom',
    page: async (c, form) => <FormPage c={c} {...form} checked={await checkedOf(c)} choices={await choices(c)} />,
    act: async (c, input) => {
      await createCurrentUnit(c.var.db, actorOf(principalOf(c)), input);
      return '/admin/units?done=created';
    },
  }));

  r.get('/units/:unit{c-[a-z0-9-]+}/edit', 'units.write', async (c) => {
    const unit = await loadUnit(c);
    const values = toFormValues({ name: unit.name, unitType: unit.unit_type, gsoCode: unit.gso_code, parentId: unit.parent_id, validFrom: unit.valid_from });
    return c.html(<FormPage c={c} unit={unit} values={values} checked={new Set(unit.predecessors.map((x) => x.id))} choices={await choices(c)} />);
  });

  r.post('/units/:unit{c-[a-z0-9-]+}', 'units.write', formAction({
    schema: unitForm,
    fields: FIELDS,
    dateField: 'validFrom',
    load: loadUnit,
    page: async (c, form, unit) => <FormPage c={c} unit={unit} {...form} checked={await checkedOf(c)} choices={await choices(c)} />,
    act: async (c, input, unit) => {
      await updateCurrentUnit(c.var.db, actorOf(principalOf(c)), unit.id, input);
      return '/admin/units?done=saved';
    },
  }));
}
