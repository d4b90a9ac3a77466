import type { Product } from '../../schema/database';
import { listBatches } from '../../worker/db/batches';
import { certificateChain } from '../../worker/db/certificates';
import { listCounterfeitReports } from '../../worker/db/counterfeit-reports';
import { listEvaluations } from '../../worker/db/evaluations';
import { producerOptions } from '../../worker/db/producers';
import { addRegion, createProduct, getProduct, groupOptions, listProducts, listRegions, type ProductListRow, removeRegion, updateProduct } from '../../worker/db/products';
import { packageScanStats, scanTotals } from '../../worker/db/scans';
import { unitOptions } from '../../worker/db/units';
import { certificateState } from '../../worker/domain/certificate-state';
import { actorOf, principalOf, scopeOf, type AdminContext } from '../context';
import { formAction, validQuery } from '../actions';
import { prefillQuery, productQuery } from '../queries';
import { productForm, regionForm, type FieldErrors } from '../forms';
import { can, type Principal } from '../permissions';
import { idParam, scopedRecord } from '../request';
import type { RouteTable } from '../route-table';
import { addressOptions } from './producer-pages';
import { CounterfeitTable } from './counterfeit-pages';
import { ActionButton, Bi, Flash, FormErrors, Input, Select, StateBadge, Table, TextArea, toFormValues, type FormValues } from '../ui/components';
import { fmtDate, fmtInt, fmtScore, starText } from '../ui/format';
import { Layout, PageTitle } from '../ui/layout';
import { PackageScanTable } from '../ui/scan-table';

const FIELDS = ['producerId', 'name', 'slug', 'planGroupId', 'nationalGroupId', 'gtin', 'description'];
const REGION_FIELDS = ['description', 'unitId', 'areaHa', 'latitude', 'longitude'];

async function formOptions(c: AdminContext) {
  const [producers, groups] = await Promise.all([producerOptions(c.var.db, scopeOf(c)), groupOptions(c.var.db)]);
  return { producers, groups };
}

function ProductFormPage(props: { c: AdminContext; product?: Product; values: FormValues; errors?: FieldErrors; options: Awaited<ReturnType<typeof formOptions>> }) {
  const p = principalOf(props.c);
  const editing = props.product;
  const { producers, groups } = props.options;
  return (
    <Layout title={editing ? editing.name : 'Sản phẩm mới / New product'} principal={p} current="/admin/products">
      {editing ? <PageTitle vi={`Sửa sản phẩm: ${editing.name}`} en="Edit product" /> : <PageTitle vi="Thêm sản phẩm" en="New product" />}
      <FormErrors errors={props.errors} fields={FIELDS} />
      <form method="post" action={editing ? `/admin/products/${editing.id}` : '/admin/products'} class="stack card">
        <Select name="producerId" label={{ vi: 'Chủ thể', en: 'Producer' }} values={props.values} errors={props.errors} blank="— Chọn / Choose —" options={producers.map((x) => ({ value: String(x.id), label: x.name }))} required />
        <Input name="name" label={{ vi: 'Tên sản phẩm', en: 'Product name' }} values={props.values} errors={props.errors} required maxlength={200} />
        <Input name="slug" label={{ vi: 'Đường dẫn (tự tạo nếu để trống)', en: 'Slug (generated when blank)' }} values={props.values} errors={props.errors} hint="vd / e.g. hat-dieu-rang-muoi" />
        <Select name="planGroupId" label={{ vi: 'Nhóm sản phẩm (kế hoạch tỉnh)', en: 'Product group (provincial plan)' }} values={props.values} errors={props.errors} blank="—" options={groups.filter((g) => g.kind === 'plan_group').map((g) => ({ value: String(g.id), label: `${g.name_vi} / ${g.name_en}` }))} />
        <Select name="nationalGroupId" label={{ vi: 'Ngành (bộ tiêu chí quốc gia)', en: 'National sector' }} values={props.values} errors={props.errors} blank="—" options={groups.filter((g) => g.kind !== 'plan_group').map((g) => ({ value: String(g.id), label: `${g.code}. ${g.name_vi} (${g.legal_basis_id})` }))} />
        <Input name="gtin" label={{ vi: 'Mã vạch GTIN', en: 'GTIN barcode' }} values={props.values} errors={props.errors} />
        <TextArea name="description" label={{ vi: 'Mô tả', en: 'Description' }} values={props.values} errors={props.errors} />
        <div>
          <button type="submit">Lưu / Save</button>
        </div>
      </form>
    </Layout>
  );
}

function ListPage(props: { c: AdminContext; rows: ProductListRow[]; values: FormValues; groups: Awaited<ReturnType<typeof groupOptions>>; units: Awaited<ReturnType<typeof unitOptions>> }) {
  const p = principalOf(props.c);
  const now = props.c.var.clock();
  return (
    <Layout title="Sản phẩm / Products" principal={p} current="/admin/products">
      <PageTitle vi={p.role === 'producer' ? 'Sản phẩm của tôi' : 'Sản phẩm'} en={p.role === 'producer' ? 'My products' : 'Products'} />
      <Flash done={props.c.req.query('done')} />
      <div class="actions">
        {can(p, 'products.write') ? (
          <a class="button" href="/admin/products/new">
            Thêm sản phẩm / New product
          </a>
        ) : null}
        {can(p, 'batches.write') ? (
          <a class="button" href="/admin/batches/new">
            Tạo lô mã, in nhãn / Issue a batch, print labels
          </a>
        ) : null}
      </div>
      <form method="get" action="/admin/products" class="inline card">
        <Input name="q" type="search" label={{ vi: 'Tìm (không cần dấu)', en: 'Search' }} values={props.values} />
        <Select name="group" label={{ vi: 'Nhóm', en: 'Group' }} values={props.values} blank="Tất cả / All" options={props.groups.filter((g) => g.kind === 'plan_group').map((g) => ({ value: String(g.id), label: g.name_vi }))} />
        {p.role === 'producer' ? null : (
          <Select name="area" label={{ vi: 'Địa bàn', en: 'Area' }} values={props.values} blank="Tất cả / All" options={props.units.filter((u) => u.level === 'district').map((u) => ({ value: u.id, label: u.name }))} />
        )}
        <button type="submit">Lọc / Filter</button>
      </form>
      <Table head={['Sản phẩm / Product', 'Chủ thể / Producer', 'Nhóm / Group', 'Địa bàn / Area', 'Giấy chứng nhận / Certificate']}>
        {props.rows.map((r) => (
          <tr>
            <td>
              <a href={`/admin/products/${r.id}`}>{r.name}</a>
            </td>
            <td>{r.producer_name}</td>
            <td>{r.group_vi ?? '—'}</td>
            <td>{r.district_name ?? '—'}</td>
            <td>
              {r.certificate_number && r.certificate_valid_until ? (
                <>
                  {r.certificate_number} {starText(r.certificate_stars ?? 0)}{' '}
                  <StateBadge state={certificateState({ status: 'active', validFrom: '2000-01-01', validUntil: r.certificate_valid_until }, now).state} />
                </>
              ) : (
                '—'
              )}
            </td>
          </tr>
        ))}
      </Table>
    </Layout>
  );
}

async function detailPage(c: AdminContext, product: ProductListRow, errors?: FieldErrors, regionValues: FormValues = {}) {
  const p = principalOf(c);
  const db = c.var.db;
  const scope = scopeOf(c);
  const now = c.var.clock();
  const [regions, certificates, units] = await Promise.all([listRegions(db, product.id), certificateChain(db, product.id), unitOptions(db)]);
  const evaluations = can(p, 'evaluations.view') ? await listEvaluations(db, scope, { productId: product.id }) : [];
  const batches = can(p, 'batches.view') ? await listBatches(db, scope, { productId: product.id }) : [];
  const batchIds = batches.map((b) => b.id);
  const scans = can(p, 'scans.view') ? await scanTotals(db, batchIds) : null;
  const topPackages = can(p, 'scans.view') ? await packageScanStats(db, batchIds, 10) : [];
  const reports = can(p, 'counterfeit.view') ? await listCounterfeitReports(db, scope, { productId: product.id }, { withContact: can(p, 'counterfeit.contact') }) : [];
  const writable = can(p, 'products.write');
  return (
    <Layout title={product.name} principal={p} current="/admin/products">
      <PageTitle vi={product.name} en="Product" />
      <Flash done={c.req.query('done')} />
      <div class="card">
        <dl class="facts">
          <ProducerFacts p={p} row={product} />
          <dt>Đường dẫn / Slug</dt>
          <dd>
            <a href={`/p/${product.slug}`}>/p/{product.slug}</a>
          </dd>
          <dt>GTIN</dt>
          <dd>{product.gtin ?? '—'}</dd>
          <dt>Mô tả / Description</dt>
          <dd>{product.description ?? '—'}</dd>
        </dl>
        <div class="actions">
          {writable ? (
            <a class="button secondary" href={`/admin/products/${product.id}/edit`}>
              Sửa / Edit
            </a>
          ) : null}
          <a class="button secondary" href={`/admin/products/${product.id}/photos`}>
            Ảnh sản phẩm / Photos
          </a>
          {can(p, 'evaluations.write') ? (
            <a class="button secondary" href={`/admin/evaluations/new?product=${product.id}`}>
              Nhập kết quả đánh giá / Record an evaluation
            </a>
          ) : null}
          {can(p, 'batches.write') && product.certificate_id ? (
            <a class="button" href={`/admin/batches/new?certificate=${product.certificate_id}`}>
              Tạo lô mã, in nhãn / Issue a batch
            </a>
          ) : null}
        </div>
      </div>

      <h2>
        <Bi vi="Giấy chứng nhận" en="Certificates" />
      </h2>
      <Table head={['Số GCN / Number', 'Sao', 'Trạng thái / State', 'Hiệu lực / Valid']}>
        {certificates.map((x) => (
          <tr>
            <td>{can(p, 'certificates.view') ? <a href={`/admin/certificates/${x.id}`}>{x.number}</a> : x.number}</td>
            <td>{starText(x.stars)}</td>
            <td>
              <StateBadge state={certificateState({ status: x.status, validFrom: x.valid_from, validUntil: x.valid_until }, now).state} />
            </td>
            <td>
              {fmtDate(x.valid_from)} – {fmtDate(x.valid_until)}
            </td>
          </tr>
        ))}
      </Table>

      <h2>
        <Bi vi="Vùng nguyên liệu" en="Raw-material regions" />
      </h2>
      <Table head={['Mô tả / Description', 'Đơn vị / Unit', 'Diện tích (ha) / Area', 'Tọa độ / Coordinates', '']}>
        {regions.map((g) => (
          <tr>
            <td>{g.description}</td>
            <td>{g.unit_name ?? '—'}</td>
            <td class="num">{g.area_ha !== null ? fmtScore(g.area_ha) : '—'}</td>
            <td>{g.latitude !== null && g.longitude !== null ? `${g.latitude}, ${g.longitude}` : '—'}</td>
            <td>{writable ? <ActionButton action={`/admin/products/${product.id}/regions/${g.id}/delete`} label={{ vi: 'Xóa', en: 'Remove' }} secondary /> : null}</td>
          </tr>
        ))}
      </Table>
      {writable ? (
        <>
          <FormErrors errors={errors} fields={REGION_FIELDS} />
          <form method="post" action={`/admin/products/${product.id}/regions`} class="stack card">
            <Input name="description" label={{ vi: 'Thêm vùng nguyên liệu: mô tả', en: 'Add a region: description' }} values={regionValues} errors={errors} required />
            <Select name="unitId" label={{ vi: 'Đơn vị hành chính', en: 'Administrative unit' }} values={regionValues} errors={errors} blank="—" options={addressOptions(units, null)} />
            <Input name="areaHa" type="number" step="0.01" label={{ vi: 'Diện tích (ha)', en: 'Area (ha)' }} values={regionValues} errors={errors} />
            <Input name="latitude" type="number" step="0.000001" label={{ vi: 'Vĩ độ', en: 'Latitude' }} values={regionValues} errors={errors} />
            <Input name="longitude" type="number" step="0.000001" label={{ vi: 'Kinh độ', en: 'Longitude' }} values={regionValues} errors={errors} />
            <div>
              <button type="submit">Thêm / Add</button>
            </div>
          </form>
        </>
      ) : null}

      {can(p, 'evaluations.view') ? (
        <>
          <h2>
            <Bi vi="Kết quả đánh giá" en="Evaluations" />
          </h2>
          <Table head={['#', 'Ngày / Date', 'Tổng điểm / Total', 'Sao', 'Hội đồng / Council', 'GCN / Certificate']}>
            {evaluations.map((e) => (
              <tr>
                <td>
                  <a href={`/admin/evaluations/${e.id}`}>#{e.id}</a>
                </td>
                <td>{fmtDate(e.evaluated_on)}</td>
                <td class="num">{fmtScore(e.total)}</td>
                <td>{starText(e.stars)}</td>
                <td>{e.council_level}</td>
                <td>{e.certificate_number ?? '—'}</td>
              </tr>
            ))}
          </Table>
        </>
      ) : null}

      {can(p, 'batches.view') ? (
        <>
          <h2>
            <Bi vi="Lô mã" en="Batches" />
          </h2>
          <Table head={['Lô / Lot', 'GCN / Certificate', 'Ngày SX / Produced', 'Số lượng / Quantity', 'Lượt quét / Scans']}>
            {batches.map((b) => (
              <tr>
                <td>
                  <a href={`/admin/batches/${b.id}`}>{b.lot_code}</a>
                </td>
                <td>{b.certificate_number}</td>
                <td>{fmtDate(b.production_date)}</td>
                <td class="num">{fmtInt(b.quantity)}</td>
                <td class="num">{fmtInt(b.scans)}</td>
              </tr>
            ))}
          </Table>
        </>
      ) : null}

      {scans ? (
        <>
          <h2>
            <Bi vi="Thống kê lượt quét" en="Scan statistics" />
          </h2>
          <p>
            {fmtInt(scans.total)} lượt quét / scans · {fmtInt(scans.packages)} gói khác nhau / distinct packages ·{' '}
            {scans.places.map((x) => `${x.place}: ${x.scans}`).join(' · ')}
          </p>
          <PackageScanTable rows={topPackages} withBatch caption="Gói được quét nhiều nhất (nhiều người, nhiều nơi có thể là nhãn bị sao chép) / Most-scanned packages (many people or places suggest a copied label)" />
        </>
      ) : null}

      {can(p, 'counterfeit.view') ? (
        <>
          <h2>
            <Bi vi="Phản ánh hàng giả" en="Counterfeit reports" />
          </h2>
          <CounterfeitTable rows={reports} editable={false} showContact={can(p, 'counterfeit.contact')} />
        </>
      ) : null}
    </Layout>
  );
}

/** Whose a product is, in which group and district: on the product's page and its certificates'. */
export function ProducerFacts(props: { p: Principal; row: { producer_id: number; producer_name: string; group_vi: string | null; district_name: string | null } }) {
  const r = props.row;
  return (
    <>
      <dt>Chủ thể / Producer</dt>
      <dd>{can(props.p, 'producers.view') ? <a href={`/admin/producers/${r.producer_id}`}>{r.producer_name}</a> : r.producer_name}</dd>
      <dt>Nhóm / Group</dt>
      <dd>{r.group_vi ?? '—'}</dd>
      <dt>Địa bàn / Area</dt>
      <dd>{r.district_name ?? '—'}</dd>
    </>
  );
}

function productValues(x: Product): FormValues {
  return toFormValues({ producerId: x.producer_id, name: x.name, slug: x.slug, planGroupId: x.plan_group_id, nationalGroupId: x.national_group_id, gtin: x.gtin, description: x.description });
}

export function registerProductPages(r: RouteTable): void {
  r.get('/products', 'products.view', async (c) => {
    const filter = await validQuery(c, productQuery);
    const [rows, groups, units] = await Promise.all([listProducts(c.var.db, scopeOf(c), filter), groupOptions(c.var.db), unitOptions(c.var.db)]);
    return c.html(<ListPage c={c} rows={rows} values={{ q: filter.q, area: filter.area, group: filter.groupId?.toString() }} groups={groups} units={units} />);
  });

  r.get('/products/new', 'products.write', async (c) => {
    const { producer } = await validQuery(c, prefillQuery('producer'));
    return c.html(<ProductFormPage c={c} values={{ producerId: producer?.toString() }} options={await formOptions(c)} />);
  });

  r.post('/products', 'products.write', formAction({
    schema: productForm,
    fields: FIELDS,
    page: async (c, form) => <ProductFormPage c={c} {...form} options={await formOptions(c)} />,
    act: async (c, input) => {
      const row = await createProduct(c.var.db, actorOf(principalOf(c)), scopeOf(c), input);
      return `/admin/products/${row.id}?done=created`;
    },
  }));

  r.get('/products/:id{[0-9]+}', 'products.view', async (c) => c.html(await detailPage(c, await scopedRecord(c, getProduct))));

  r.get('/products/:id{[0-9]+}/edit', 'products.write', async (c) => {
    const product = await scopedRecord(c, getProduct);
    return c.html(<ProductFormPage c={c} product={product} values={productValues(product)} options={await formOptions(c)} />);
  });

  const loadProduct = async (c: AdminContext) => scopedRecord(c, getProduct);

  r.post('/products/:id{[0-9]+}', 'products.write', formAction({
    schema: productForm,
    fields: FIELDS,
    load: loadProduct,
    page: async (c, form, product) => <ProductFormPage c={c} product={product} {...form} options={await formOptions(c)} />,
    act: async (c, input, product) => {
      await updateProduct(c.var.db, actorOf(principalOf(c)), scopeOf(c), product.id, input, c.var.clock());
      return `/admin/products/${product.id}?done=saved`;
    },
  }));

  r.post('/products/:id{[0-9]+}/regions', 'products.write', formAction({
    schema: regionForm,
    fields: REGION_FIELDS,
    load: loadProduct,
    page: (c, form, product) => detailPage(c, product, form.errors, form.values),
    act: async (c, input, product) => {
      await addRegion(c.var.db, actorOf(principalOf(c)), scopeOf(c), product.id, input);
      return `/admin/products/${product.id}?done=region_added`;
    },
  }));

  r.post('/products/:id{[0-9]+}/regions/:region{[0-9]+}/delete', 'products.write', async (c) => {
    const productId = idParam(c.req.param('id'));
    await removeRegion(c.var.db, actorOf(principalOf(c)), scopeOf(c), productId, idParam(c.req.param('region')));
    return c.redirect(`/admin/products/${productId}?done=region_removed`, 303);
  });
}
