// Nơi bán / Sales points (issue 12): officials record OCOP showrooms and any sales point in
// their scope; producers their own shops, stalls and online shops. Every write is audited
// (worker/db/sales-points.ts); the public pages show them as "Nơi mua".
import type { SalesPoint } from '../../schema/database';
import { producerOptions } from '../../worker/db/producers';
import { createSalesPoint, deleteSalesPoint, getSalesPoint, listSalesPoints, salesPointForWrite, salesPointProductOptions, updateSalesPoint, type SalesPointDetail, type SalesPointRow } from '../../worker/db/sales-points';
import { unitOptions } from '../../worker/db/units';
import { SALES_POINT_KIND_LABELS, SALES_POINT_KINDS, type SalesPointKind } from '../../worker/domain/vocabulary';
import { formAction } from '../actions';
import { actorOf, principalOf, scopeOf, type AdminContext } from '../context';
import type { FieldErrors } from '../forms';
import { can } from '../permissions';
import { idParam, readForm, scopedRecord } from '../request';
import type { RouteTable } from '../route-table';
import { salesPointForm } from '../sales-point-forms';
import { ActionButton, Bi, Flash, FormErrors, Input, NewButton, Select, Table, TextArea, toFormValues, type FormValues, type Option } from '../ui/components';
import { Layout, PageTitle } from '../ui/layout';

const FIELDS = ['kind', 'name', 'producerId', 'addressLine', 'unitId', 'formerUnitId', 'latitude', 'longitude', 'openingHours', 'phone', 'url', 'note', 'productIds'];

type Unit = Awaited<ReturnType<typeof unitOptions>>[number];

interface Choices {
  units: Unit[];
  producers: { id: number; name: string }[];
  products: { id: number; name: string; producer_name: string }[];
}

async function choices(c: AdminContext): Promise<Choices> {
  const scope = scopeOf(c);
  const [units, producers, products] = await Promise.all([unitOptions(c.var.db), producerOptions(c.var.db, scope), salesPointProductOptions(c.var.db, scope)]);
  return { units, producers, products };
}

/** Today's units (a commune of the merged province, or the province when the commune is not recorded yet). */
function currentUnitOptions(units: Unit[]): Option[] {
  const byId = new Map(units.map((u) => [u.id, u]));
  return units
    .filter((u) => u.valid_to === null)
    .map((u) => ({ value: u.id, label: u.parent_id ? `${u.name}, ${byId.get(u.parent_id)?.name ?? ''}` : `${u.name} (toàn tỉnh / whole province)` }))
    .sort((a, b) => a.label.localeCompare(b.label, 'vi'));
}

/** Former units (districts and communes before 1 July 2025): the plan counts showrooms per former district. */
function formerUnitOptions(units: Unit[]): Option[] {
  const byId = new Map(units.map((u) => [u.id, u]));
  return units
    .filter((u) => u.valid_to !== null && u.level !== 'province')
    .map((u) => ({ value: u.id, label: `${u.name}${u.parent_id ? `, ${byId.get(u.parent_id)?.name ?? ''}` : ''} (cũ / former)` }))
    .sort((a, b) => a.label.localeCompare(b.label, 'vi'));
}

function kindOptions(producer: boolean): Option[] {
  return SALES_POINT_KINDS.filter((k) => !producer || k !== 'showroom').map((k) => ({ value: k, label: `${SALES_POINT_KIND_LABELS[k].vi} / ${SALES_POINT_KIND_LABELS[k].en}` }));
}

function FormPage(props: { c: AdminContext; point?: SalesPoint; values: FormValues; checked: Set<number>; errors?: FieldErrors | undefined; choices: Choices }) {
  const p = principalOf(props.c);
  const producer = p.role === 'producer';
  const editing = props.point;
  return (
    <Layout title={editing ? editing.name : 'Nơi bán mới / New sales point'} principal={p} current="/admin/sales-points">
      {editing ? <PageTitle vi={`Sửa nơi bán: ${editing.name}`} en="Edit sales point" /> : <PageTitle vi="Thêm nơi bán" en="New sales point" />}
      <FormErrors errors={props.errors} fields={FIELDS} />
      <form method="post" action={editing ? `/admin/sales-points/${editing.id}` : '/admin/sales-points'} class="stack card">
        <Select name="kind" label={{ vi: 'Loại', en: 'Kind' }} values={props.values} errors={props.errors} blank="— Chọn / Choose —" options={kindOptions(producer)} required
          hint={producer ? 'Điểm giới thiệu sản phẩm OCOP do cơ quan quản lý cập nhật / Showrooms are recorded by officials' : undefined} />
        <Input name="name" label={{ vi: 'Tên', en: 'Name' }} values={props.values} errors={props.errors} required maxlength={200} />
        {producer ? null : (
          <Select name="producerId" label={{ vi: 'Của chủ thể (bỏ trống nếu do cơ quan quản lý hoặc nhà bán lẻ)', en: 'Producer\'s own point (blank for showrooms and retailers)' }} values={props.values} errors={props.errors}
            blank="— Không / None —" options={props.choices.producers.map((x) => ({ value: String(x.id), label: x.name }))} />
        )}
        <Input name="addressLine" label={{ vi: 'Số nhà, đường, ấp', en: 'Address line' }} values={props.values} errors={props.errors} maxlength={300} />
        <Select name="unitId" label={{ vi: 'Xã, phường hiện nay (sau 01/07/2025)', en: 'Commune or ward today' }} values={props.values} errors={props.errors} blank="— Chọn / Choose —" options={currentUnitOptions(props.choices.units)}
          hint="Không cần với cửa hàng trực tuyến / Not needed for an online shop" />
        <Select name="formerUnitId" label={{ vi: 'Thuộc huyện, xã cũ (trước 01/07/2025)', en: 'Former district or commune' }} values={props.values} errors={props.errors} blank="— Chọn / Choose —" options={formerUnitOptions(props.choices.units)}
          hint="Báo cáo đếm điểm giới thiệu theo huyện cũ / Reports count showrooms per former district" />
        <Input name="latitude" label={{ vi: 'Vĩ độ', en: 'Latitude' }} values={props.values} errors={props.errors} hint="Ví dụ 11.5349 (trong Việt Nam: 8 – 23,5) / e.g. 11.5349" />
        <Input name="longitude" label={{ vi: 'Kinh độ', en: 'Longitude' }} values={props.values} errors={props.errors} hint="Ví dụ 106.8832 (102 – 117,9) / e.g. 106.8832" />
        <Input name="openingHours" label={{ vi: 'Giờ mở cửa', en: 'Opening hours' }} values={props.values} errors={props.errors} maxlength={200} />
        <Input name="phone" label={{ vi: 'Điện thoại', en: 'Phone' }} values={props.values} errors={props.errors} />
        <Input name="url" label={{ vi: 'Đường dẫn cửa hàng trực tuyến (https://)', en: 'Online shop link (https://)' }} values={props.values} errors={props.errors} maxlength={500} />
        <TextArea name="note" label={{ vi: 'Ghi chú (không hiện công khai)', en: 'Note (not public)' }} values={props.values} errors={props.errors} />
        <fieldset>
          <legend>
            <Bi vi="Sản phẩm bán tại đây" en="Products sold here" />
          </legend>
          {props.errors?.productIds ? <span class="error" role="alert">{props.errors.productIds}</span> : null}
          {props.choices.products.map((x) => (
            <label class="check">
              <input type="checkbox" name="productIds" value={String(x.id)} checked={props.checked.has(x.id)} />
              <span>
                {x.name} <span class="muted">· {x.producer_name}</span>
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

function ListPage(props: { c: AdminContext; rows: SalesPointRow[]; kind: string }) {
  const p = principalOf(props.c);
  return (
    <Layout title="Nơi bán / Sales points" principal={p} current="/admin/sales-points">
      <PageTitle vi="Nơi bán" en="Sales points" />
      <Flash done={props.c.req.query('done')} />
      <NewButton when={can(p, 'salesPoints.write')} href="/admin/sales-points/new" label="Thêm nơi bán / New sales point" />
      <form method="get" action="/admin/sales-points" class="inline card">
        <Select name="kind" label={{ vi: 'Loại', en: 'Kind' }} values={{ kind: props.kind }} blank="Tất cả / All" options={kindOptions(false)} />
        <button type="submit">Lọc / Filter</button>
      </form>
      <p class="muted">
        <a href="/noi-mua">Danh sách công khai / Public list</a>
      </p>
      <Table head={['Tên / Name', 'Loại / Kind', 'Chủ thể / Producer', 'Hiện nay / Today', 'Trước 01/07/2025 / Former', 'Sản phẩm / Products']}>
        {props.rows.map((r) => (
          <tr>
            <td>
              <a href={`/admin/sales-points/${r.id}`}>{r.name}</a>
            </td>
            <td>{SALES_POINT_KIND_LABELS[r.kind].vi}</td>
            <td>{r.producer_name ?? '—'}</td>
            <td>{r.unit_name ?? (r.kind === 'online' ? 'Trực tuyến' : '—')}</td>
            <td>{r.former_unit_name ?? '—'}</td>
            <td class="num">{r.products}</td>
          </tr>
        ))}
      </Table>
    </Layout>
  );
}

function DetailPage(props: { c: AdminContext; point: SalesPointDetail; products: Map<number, string> }) {
  const p = principalOf(props.c);
  const x = props.point;
  return (
    <Layout title={x.name} principal={p} current="/admin/sales-points">
      <PageTitle vi={x.name} en="Sales point" />
      <Flash done={props.c.req.query('done')} />
      <div class="card">
        <dl class="facts">
          <dt>Loại / Kind</dt>
          <dd>
            <Bi {...SALES_POINT_KIND_LABELS[x.kind]} />
          </dd>
          <dt>Chủ thể / Producer</dt>
          <dd>{x.producer_name ?? '—'}</dd>
          <dt>Địa chỉ / Address</dt>
          <dd>{[x.address_line, x.unit_name].filter(Boolean).join(', ') || '—'}</dd>
          <dt>Trước 01/07/2025 / Former unit</dt>
          <dd>{x.former_unit_name ?? '—'}</dd>
          <dt>Tọa độ / Coordinates</dt>
          <dd>{x.latitude !== null ? `${x.latitude}, ${x.longitude}` : '—'}</dd>
          <dt>Giờ mở cửa / Hours</dt>
          <dd>{x.opening_hours ?? '—'}</dd>
          <dt>Điện thoại / Phone</dt>
          <dd>{x.phone ?? '—'}</dd>
          <dt>Trực tuyến / Online</dt>
          <dd>{x.url ?? '—'}</dd>
          <dt>Dữ liệu minh họa / Illustrative</dt>
          <dd>{x.illustrative ? 'Có / Yes' : 'Không / No'}</dd>
          <dt>Sản phẩm / Products</dt>
          <dd>{x.product_ids.map((id) => props.products.get(id) ?? `#${id}`).join('; ') || '—'}</dd>
        </dl>
        {can(p, 'salesPoints.write') ? (
          <div class="actions">
            <a class="button secondary" href={`/admin/sales-points/${x.id}/edit`}>
              Sửa / Edit
            </a>
            <ActionButton action={`/admin/sales-points/${x.id}/delete`} label={{ vi: 'Xóa nơi bán', en: 'Delete' }} danger />
          </div>
        ) : null}
      </div>
    </Layout>
  );
}

function pointValues(x: SalesPoint): FormValues {
  return toFormValues({
    kind: x.kind, name: x.name, producerId: x.producer_id, addressLine: x.address_line, unitId: x.unit_id, formerUnitId: x.former_unit_id,
    latitude: x.latitude, longitude: x.longitude, openingHours: x.opening_hours, phone: x.phone, url: x.url, note: x.note,
  });
}

/** The ticked products of a form as sent (FormValues keeps only the first of a repeated field). */
async function checkedOf(c: AdminContext): Promise<Set<number>> {
  const v = (await readForm(c)).data.productIds;
  return new Set((Array.isArray(v) ? v : v === undefined ? [] : [v]).map(Number).filter(Number.isInteger));
}

/** The point the path names, for a change: 404 when unknown, 403 when it is not the caller's. */
function writable(c: AdminContext): Promise<SalesPointDetail> {
  return salesPointForWrite(c.var.db, scopeOf(c), idParam(c.req.param('id')));
}

export function registerSalesPointPages(r: RouteTable): void {
  r.get('/sales-points', 'salesPoints.view', async (c) => {
    const raw = c.req.query('kind') ?? '';
    const kind = (SALES_POINT_KINDS as readonly string[]).includes(raw) ? (raw as SalesPointKind) : undefined;
    const rows = await listSalesPoints(c.var.db, scopeOf(c), { kind });
    return c.html(<ListPage c={c} rows={rows} kind={kind ?? ''} />);
  });

  r.get('/sales-points/new', 'salesPoints.write', async (c) => c.html(<FormPage c={c} values={{}} checked={new Set()} choices={await choices(c)} />));

  r.post('/sales-points', 'salesPoints.write', formAction({
    schema: salesPointForm,
    fields: FIELDS,
    page: async (c, form) => <FormPage c={c} {...form} checked={await checkedOf(c)} choices={await choices(c)} />,
    act: async (c, input) => {
      const row = await createSalesPoint(c.var.db, actorOf(principalOf(c)), scopeOf(c), input);
      return `/admin/sales-points/${row.id}?done=created`;
    },
  }));

  r.get('/sales-points/:id{[0-9]+}', 'salesPoints.view', async (c) => {
    const point = await scopedRecord(c, getSalesPoint);
    const products = await salesPointProductOptions(c.var.db, { kind: 'all' });
    return c.html(<DetailPage c={c} point={point} products={new Map(products.map((x) => [x.id, `${x.name} (${x.producer_name})`]))} />);
  });

  r.get('/sales-points/:id{[0-9]+}/edit', 'salesPoints.write', async (c) => {
    const point = await writable(c);
    return c.html(<FormPage c={c} point={point} values={pointValues(point)} checked={new Set(point.product_ids)} choices={await choices(c)} />);
  });

  r.post('/sales-points/:id{[0-9]+}', 'salesPoints.write', formAction({
    schema: salesPointForm,
    fields: FIELDS,
    load: writable,
    page: async (c, form, point) => <FormPage c={c} point={point} {...form} checked={await checkedOf(c)} choices={await choices(c)} />,
    act: async (c, input, point) => {
      await updateSalesPoint(c.var.db, actorOf(principalOf(c)), scopeOf(c), point.id, input, c.var.clock());
      return `/admin/sales-points/${point.id}?done=saved`;
    },
  }));

  r.post('/sales-points/:id{[0-9]+}/delete', 'salesPoints.write', async (c) => {
    const point = await writable(c);
    await deleteSalesPoint(c.var.db, actorOf(principalOf(c)), scopeOf(c), point.id);
    return c.redirect('/admin/sales-points?done=saved', 303);
  });
}
