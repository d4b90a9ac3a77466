import type { Producer } from '../../schema/database';
import { createProducer, getProducer, listProducers, type ProducerListRow, updateProducer } from '../../worker/db/producers';
import { listProducts } from '../../worker/db/products';
import { unitOptions } from '../../worker/db/units';
import { LEGAL_FORM_LABELS, LEGAL_FORMS } from '../../worker/domain/vocabulary';
import { actorOf, principalOf, scopeOf, type AdminContext } from '../context';
import { formAction, validQuery } from '../actions';
import { producerQuery } from '../queries';
import { producerForm, type FieldErrors } from '../forms';
import { can } from '../permissions';
import { scopedRecord } from '../request';
import type { RouteTable } from '../route-table';
import { Bi, Check, Flash, FormErrors, Input, Select, Table, toFormValues, type FormValues, type Option, NewButton } from '../ui/components';
import { fmtDateTime } from '../ui/format';
import { Layout, PageTitle } from '../ui/layout';
import { ContactInputs, registerProducerContactPages } from './producer-contact-pages';

const FIELDS = ['name', 'legalForm', 'taxCode', 'representative', 'femaleLed', 'ethnicMinorityLed', 'addressLine', 'addressUnitId', 'phone', 'website', 'zalo', 'email'];

type Unit = Awaited<ReturnType<typeof unitOptions>>[number];

/** Address choices: for an area officer only their district and its communes. */
export function addressOptions(units: Unit[], area: string | null): Option[] {
  const byId = new Map(units.map((u) => [u.id, u]));
  return units
    .filter((u) => u.level !== 'province')
    .filter((u) => !area || u.id === area || u.parent_id === area)
    .map((u) => {
      const parent = u.parent_id ? byId.get(u.parent_id) : undefined;
      const old = u.valid_to ? ' (cũ / former)' : '';
      return { value: u.id, label: `${u.name}${parent ? `, ${parent.name}` : ''}${old}` };
    })
    .sort((a, b) => a.label.localeCompare(b.label, 'vi'));
}

function ProducerFormPage(props: { c: AdminContext; producer?: Producer; values: FormValues; errors?: FieldErrors; units: Unit[] }) {
  const p = principalOf(props.c);
  const editing = props.producer;
  return (
    <Layout title={editing ? editing.name : 'Chủ thể mới / New producer'} principal={p} current="/admin/producers">
      {editing ? <PageTitle vi={`Sửa chủ thể: ${editing.name}`} en="Edit producer" /> : <PageTitle vi="Thêm chủ thể sản xuất" en="New producer" />}
      <FormErrors errors={props.errors} fields={FIELDS} />
      <form method="post" action={editing ? `/admin/producers/${editing.id}` : '/admin/producers'} class="stack card">
        <Input name="name" label={{ vi: 'Tên chủ thể', en: 'Name' }} values={props.values} errors={props.errors} required maxlength={200} />
        <Select name="legalForm" label={{ vi: 'Loại hình', en: 'Legal form' }} values={props.values} errors={props.errors} blank="— Chọn / Choose —" options={LEGAL_FORMS.map((f) => ({ value: f, label: `${LEGAL_FORM_LABELS[f].vi} / ${LEGAL_FORM_LABELS[f].en}` }))} required />
        <Input name="taxCode" label={{ vi: 'Mã số thuế', en: 'Tax code' }} values={props.values} errors={props.errors} hint="10 số, hoặc 10 số-3 số / 10 digits, or 10-3" />
        <Input name="representative" label={{ vi: 'Người đại diện', en: 'Representative' }} values={props.values} errors={props.errors} />
        <Check name="femaleLed" label={{ vi: 'Do phụ nữ làm chủ', en: 'Woman-led' }} values={props.values} errors={props.errors} />
        <Check name="ethnicMinorityLed" label={{ vi: 'Do người dân tộc thiểu số làm chủ', en: 'Ethnic-minority-led' }} values={props.values} errors={props.errors} />
        <Input name="addressLine" label={{ vi: 'Địa chỉ (số nhà, ấp, thôn)', en: 'Address line' }} values={props.values} errors={props.errors} />
        <Select name="addressUnitId" label={{ vi: 'Xã / huyện (theo địa chỉ khi cấp)', en: 'Commune / district (as issued)' }} values={props.values} errors={props.errors} blank="— Chọn / Choose —" options={addressOptions(props.units, p.role === 'area_officer' ? p.areaUnitId : null)} />
        <ContactInputs values={props.values} errors={props.errors} />
        <Input name="email" type="email" label={{ vi: 'Email', en: 'Email' }} values={props.values} errors={props.errors} />
        <div>
          <button type="submit">Lưu / Save</button>
        </div>
      </form>
    </Layout>
  );
}

function ListPage(props: { c: AdminContext; rows: ProducerListRow[]; values: FormValues; units: Unit[] }) {
  const p = principalOf(props.c);
  return (
    <Layout title="Chủ thể / Producers" principal={p} current="/admin/producers">
      <PageTitle vi="Chủ thể sản xuất" en="Producers" />
      <Flash done={props.c.req.query('done')} />
      <NewButton when={can(p, 'producers.write')} href="/admin/producers/new" label="Thêm chủ thể / New producer" />
      <form method="get" action="/admin/producers" class="inline card">
        <Input name="q" type="search" label={{ vi: 'Tìm (không cần dấu)', en: 'Search' }} values={props.values} />
        <Select name="area" label={{ vi: 'Địa bàn', en: 'Area' }} values={props.values} blank="Tất cả / All" options={props.units.filter((u) => u.level === 'district').map((u) => ({ value: u.id, label: u.name }))} />
        <Select name="legalForm" label={{ vi: 'Loại hình', en: 'Legal form' }} values={props.values} blank="Tất cả / All" options={LEGAL_FORMS.map((f) => ({ value: f, label: LEGAL_FORM_LABELS[f].vi }))} />
        <button type="submit">Lọc / Filter</button>
      </form>
      <Table head={['Tên / Name', 'Loại hình / Form', 'Địa bàn / Area', 'Phụ nữ / Women-led', 'DTTS / Ethnic minority', 'Sản phẩm / Products']}>
        {props.rows.map((r) => (
          <tr>
            <td>
              <a href={`/admin/producers/${r.id}`}>{r.name}</a>
            </td>
            <td>{LEGAL_FORM_LABELS[r.legal_form].vi}</td>
            <td>{r.district_name ?? '—'}</td>
            <td>{r.female_led ? '✓' : ''}</td>
            <td>{r.ethnic_minority_led ? '✓' : ''}</td>
            <td class="num">{r.products}</td>
          </tr>
        ))}
      </Table>
    </Layout>
  );
}

async function detailPage(c: AdminContext, producer: ProducerListRow) {
  const p = principalOf(c);
  const products = await listProducts(c.var.db, scopeOf(c), { producerId: producer.id });
  return (
    <Layout title={producer.name} principal={p} current="/admin/producers">
      <PageTitle vi={producer.name} en="Producer" />
      <Flash done={c.req.query('done')} />
      <div class="card">
        <dl class="facts">
          <dt>Loại hình / Legal form</dt>
          <dd>
            <Bi {...LEGAL_FORM_LABELS[producer.legal_form]} />
          </dd>
          <dt>Mã số thuế / Tax code</dt>
          <dd>{producer.tax_code ?? '—'}</dd>
          <dt>Người đại diện / Representative</dt>
          <dd>{producer.representative ?? '—'}</dd>
          <dt>Phụ nữ làm chủ / Woman-led</dt>
          <dd>{producer.female_led ? 'Có / Yes' : 'Không / No'}</dd>
          <dt>DTTS làm chủ / Ethnic-minority-led</dt>
          <dd>{producer.ethnic_minority_led ? 'Có / Yes' : 'Không / No'}</dd>
          <dt>Địa chỉ / Address</dt>
          <dd>
            {[producer.address_line, producer.district_name].filter(Boolean).join(', ') || '—'}
          </dd>
          <dt>Liên hệ / Contact</dt>
          <dd>{[producer.phone, producer.zalo ? `Zalo ${producer.zalo}` : null, producer.website, producer.email].filter(Boolean).join(' · ') || '—'}</dd>
          <dt>Cập nhật / Updated</dt>
          <dd>{fmtDateTime(producer.updated_at)}</dd>
        </dl>
        {can(p, 'producers.write') ? (
          <div class="actions">
            <a class="button secondary" href={`/admin/producers/${producer.id}/edit`}>
              Sửa / Edit
            </a>
            {can(p, 'products.write') ? (
              <a class="button secondary" href={`/admin/products/new?producer=${producer.id}`}>
                Thêm sản phẩm / New product
              </a>
            ) : null}
          </div>
        ) : null}
      </div>
      <h2>
        <Bi vi="Sản phẩm" en="Products" />
      </h2>
      <Table head={['Sản phẩm / Product', 'Nhóm / Group', 'GCN hiện hành / Current certificate']}>
        {products.map((x) => (
          <tr>
            <td>
              <a href={`/admin/products/${x.id}`}>{x.name}</a>
            </td>
            <td>{x.group_vi ?? '—'}</td>
            <td>{x.certificate_number ? `${x.certificate_number} (${x.certificate_stars}★)` : '—'}</td>
          </tr>
        ))}
      </Table>
    </Layout>
  );
}

function producerValues(x: Producer): FormValues {
  return toFormValues({
    name: x.name, legalForm: x.legal_form, taxCode: x.tax_code, representative: x.representative, femaleLed: x.female_led,
    ethnicMinorityLed: x.ethnic_minority_led, addressLine: x.address_line, addressUnitId: x.address_unit_id, phone: x.phone, email: x.email,
    website: x.website, zalo: x.zalo,
  });
}

export function registerProducerPages(r: RouteTable): void {
  registerProducerContactPages(r);
  r.get('/producers', 'producers.view', async (c) => {
    const filter = await validQuery(c, producerQuery);
    const [rows, units] = await Promise.all([listProducers(c.var.db, scopeOf(c), filter), unitOptions(c.var.db)]);
    return c.html(<ListPage c={c} rows={rows} values={filter} units={units} />);
  });

  r.get('/producers/new', 'producers.write', async (c) => {
    const p = principalOf(c);
    return c.html(<ProducerFormPage c={c} values={{ addressUnitId: p.areaUnitId ?? '' }} units={await unitOptions(c.var.db)} />);
  });

  r.post('/producers', 'producers.write', formAction({
    schema: producerForm,
    fields: FIELDS,
    page: async (c, form) => <ProducerFormPage c={c} {...form} units={await unitOptions(c.var.db)} />,
    act: async (c, input) => {
      const row = await createProducer(c.var.db, actorOf(principalOf(c)), scopeOf(c), input);
      return `/admin/producers/${row.id}?done=created`;
    },
  }));

  r.get('/producers/:id{[0-9]+}', 'producers.view', async (c) => c.html(await detailPage(c, await scopedRecord(c, getProducer))));

  r.get('/producers/:id{[0-9]+}/edit', 'producers.write', async (c) => {
    const producer = await scopedRecord(c, getProducer);
    return c.html(<ProducerFormPage c={c} producer={producer} values={producerValues(producer)} units={await unitOptions(c.var.db)} />);
  });

  r.post('/producers/:id{[0-9]+}', 'producers.write', formAction({
    schema: producerForm,
    fields: FIELDS,
    load: async (c) => scopedRecord(c, getProducer),
    page: async (c, form, producer) => <ProducerFormPage c={c} producer={producer} {...form} units={await unitOptions(c.var.db)} />,
    act: async (c, input, producer) => {
      await updateProducer(c.var.db, actorOf(principalOf(c)), scopeOf(c), producer.id, input, c.var.clock());
      return `/admin/producers/${producer.id}?done=saved`;
    },
  }));
}
