import { labelDownload } from '../../worker/batch-export';
import { packageUrl } from '../../worker/codes/format';
import { requireSigningKey } from '../../worker/codes/keyring';
import { signPackageCodeWith } from '../../worker/codes/sign';
import { type BatchRow, getBatchRow, issueBatch, listBatches } from '../../worker/db/batches';
import { batchableCertificates } from '../../worker/db/certificates';
import { packageScanStats, scanTotals } from '../../worker/db/scans';
import { certificateState } from '../../worker/domain/certificate-state';
import { actorOf, principalOf, scopeOf, todayOf, type AdminContext } from '../context';
import { formAction, validQuery } from '../actions';
import { labelQuery, prefillQuery } from '../queries';
import { batchForm, type FieldErrors } from '../forms';
import { can } from '../permissions';
import { scopedRecord } from '../request';
import type { RouteTable } from '../route-table';
import { Bi, Flash, FormErrors, Input, Select, StateBadge, Table, type FormValues, NewButton, CardSection } from '../ui/components';
import { fmtDate, fmtDateTime, fmtInt, starText } from '../ui/format';
import { Layout, PageTitle } from '../ui/layout';
import { PackageScanTable } from '../ui/scan-table';
import { LabelPrintForm, PRINT_FIELDS } from './label-print-form';
import { fieldErrors, invalidInput } from '../../worker/errors';

const FIELDS = ['certificateId', 'lotCode', 'productionDate', 'bestBefore', 'quantity'];

type Batchable = Awaited<ReturnType<typeof batchableCertificates>>;

function BatchFormPage(props: { c: AdminContext; certificates: Batchable; values: FormValues; errors?: FieldErrors }) {
  const p = principalOf(props.c);
  return (
    <Layout title="Tạo lô mã / Issue a batch" principal={p} current="/admin/batches">
      <PageTitle vi="Tạo lô mã và in nhãn" en="Issue a batch and print labels" />
      <p class="muted">
        <Bi
          vi="Mỗi gói có một mã QR riêng, được ký số. Chỉ tạo được lô cho giấy chứng nhận còn hiệu lực hôm nay. Tải lại lô sẽ cho đúng các mã cũ."
          en="Each package gets its own signed QR code. Batches only for certificates valid today. Downloading again gives the same codes."
        />
      </p>
      <FormErrors errors={props.errors} fields={FIELDS} />
      {props.certificates.length === 0 ? (
        <div class="flash warn">
          <Bi vi="Không có giấy chứng nhận nào còn hiệu lực để tạo lô." en="No certificate in force to issue a batch under." />
        </div>
      ) : null}
      <form method="post" action="/admin/batches" class="stack card">
        <Select
          name="certificateId"
          label={{ vi: 'Giấy chứng nhận (sản phẩm)', en: 'Certificate (product)' }}
          values={props.values}
          errors={props.errors}
          blank="— Chọn / Choose —"
          options={props.certificates.map((x) => ({ value: String(x.id), label: `${x.product_name} — ${x.number} (${x.stars}★, đến ${fmtDate(x.valid_until)})${p.role === 'producer' ? '' : ` · ${x.producer_name}`}` }))}
          required
        />
        <Input name="lotCode" label={{ vi: 'Số lô', en: 'Lot code' }} values={props.values} errors={props.errors} hint="A-Z, 0-9, . _ / - (tối đa 32 / max 32)" required maxlength={32} />
        <Input name="productionDate" type="date" label={{ vi: 'Ngày sản xuất', en: 'Production date' }} values={props.values} errors={props.errors} required />
        <Input name="bestBefore" type="date" label={{ vi: 'Hạn sử dụng', en: 'Best before' }} values={props.values} errors={props.errors} />
        <Input name="quantity" type="number" min="1" max="1000000" label={{ vi: 'Số lượng gói (1 – 1.000.000)', en: 'Number of packages (1 – 1,000,000)' }} values={props.values} errors={props.errors} required />
        <div>
          <button type="submit">Tạo lô / Issue batch</button>
        </div>
      </form>
    </Layout>
  );
}

function ListPage(props: { c: AdminContext; rows: BatchRow[] }) {
  const p = principalOf(props.c);
  return (
    <Layout title="Lô mã / Batches" principal={p} current="/admin/batches">
      <PageTitle vi="Lô mã và nhãn" en="Batches and labels" />
      <Flash done={props.c.req.query('done')} />
      <NewButton when={can(p, 'batches.write')} href="/admin/batches/new" label="Tạo lô mã / Issue a batch" />
      <Table head={['Lô / Lot', 'Sản phẩm / Product', 'Chủ thể / Producer', 'GCN / Certificate', 'Số lượng / Quantity', 'Lượt quét / Scans', 'Tạo lúc / Created']}>
        {props.rows.map((b) => (
          <tr>
            <td>
              <a href={`/admin/batches/${b.id}`}>{b.lot_code}</a>
            </td>
            <td>{b.product_name}</td>
            <td>{b.producer_name}</td>
            <td>{b.certificate_number}</td>
            <td class="num">{fmtInt(b.quantity)}</td>
            <td class="num">{fmtInt(b.scans)}</td>
            <td>{fmtDateTime(b.created_at)}</td>
          </tr>
        ))}
      </Table>
    </Layout>
  );
}

async function detailPage(c: AdminContext, b: BatchRow, print?: { values: FormValues; errors: FieldErrors }) {
  const p = principalOf(c);
  const now = c.var.clock();
  const st = certificateState({ status: b.certificate_status, validFrom: '2000-01-01', validUntil: b.certificate_valid_until }, now);
  const [totals, top] = can(p, 'scans.view') ? await Promise.all([scanTotals(c.var.db, [b.id]), packageScanStats(c.var.db, [b.id], 20)]) : [null, []];
  const key = c.var.keys.get(b.key_number);
  const sample = key ? packageUrl(c.var.config.publicBaseUrl, await signPackageCodeWith(key, b.id, 1)) : null;
  const samplePath = sample ? `/v/${sample.split('/V/')[1] ?? ''}` : null;
  const downloads = can(p, 'labels.download');
  return (
    <Layout title={`Lô ${b.lot_code}`} principal={p} current="/admin/batches">
      <PageTitle vi={`Lô ${b.lot_code}: ${b.product_name}`} en={`Batch ${b.lot_code}`} />
      <Flash done={c.req.query('done')} />
      <div class="card">
        <dl class="facts">
          <dt>Sản phẩm / Product</dt>
          <dd>
            <a href={`/admin/products/${b.product_id}`}>{b.product_name}</a> — {b.producer_name}
          </dd>
          <dt>Giấy chứng nhận / Certificate</dt>
          <dd>
            {can(p, 'certificates.view') ? <a href={`/admin/certificates/${b.certificate_id}`}>{b.certificate_number}</a> : b.certificate_number} {starText(b.stars)}{' '}
            <StateBadge state={st.state} />
          </dd>
          <dt>Ngày sản xuất / Produced</dt>
          <dd>{fmtDate(b.production_date)}</dd>
          <dt>Hạn sử dụng / Best before</dt>
          <dd>{fmtDate(b.best_before)}</dd>
          <dt>Số lượng / Quantity</dt>
          <dd>
            {fmtInt(b.quantity)} (số thứ tự / serials 1–{fmtInt(b.quantity)})
          </dd>
          <dt>Khóa ký / Signing key</dt>
          <dd>
            ocop-{b.key_number}
            {key?.status === 'withdrawn' ? ' (đã thu hồi / withdrawn)' : ''}
          </dd>
          <dt>Tạo lúc / Created</dt>
          <dd>{fmtDateTime(b.created_at)}</dd>
          {sample && samplePath ? (
            <>
              <dt>Mã gói số 1 / Package 1</dt>
              <dd>
                <a href={samplePath} id="sample-scan" class="code">
                  {sample}
                </a>
              </dd>
            </>
          ) : null}
        </dl>
      </div>
      {downloads ? (
        <CardSection id="downloads" title={{ vi: 'Tải nhãn', en: 'Download labels' }} note={{ vi: 'Tải xuống bắt đầu ngay; lô lớn được tạo dần trong khi tải.', en: 'Downloads start at once; large batches are generated while they download.' }}>
          <div class="actions">
            <a class="button" href={`/admin/batches/${b.id}/labels?format=pdf`} download>
              PDF khổ A4 / A4 PDF
            </a>
            <a class="button secondary" href={`/admin/batches/${b.id}/labels?format=csv`} download>
              CSV (in biến đổi / variable-data printing)
            </a>
            <a class="button secondary" href={`/admin/batches/${b.id}/labels?format=png-zip`} download>
              ZIP ảnh PNG
            </a>
            <a class="button secondary" href={`/admin/batches/${b.id}/labels?format=svg-zip`} download>
              ZIP SVG
            </a>
          </div>
          <LabelPrintForm batchId={b.id} values={print?.values} errors={print?.errors} />
        </CardSection>
      ) : null}
      {totals ? (
        <>
          <h2>
            <Bi vi="Thống kê lượt quét" en="Scan statistics" />
          </h2>
          <p>
            {fmtInt(totals.total)} lượt / scans · {fmtInt(totals.packages)} gói / packages · {totals.byVerdict.map((v) => `${v.verdict}: ${v.scans}`).join(' · ')}
          </p>
          <PackageScanTable rows={top} withBatch={false} caption="Nhiều người, nhiều nơi quét cùng một gói có thể là nhãn bị sao chép / Many people or places scanning one package suggest a copied label" />
        </>
      ) : null}
    </Layout>
  );
}

export function registerBatchPages(r: RouteTable): void {
  r.get('/batches', 'batches.view', async (c) => c.html(<ListPage c={c} rows={await listBatches(c.var.db, scopeOf(c))} />));

  r.get('/batches/new', 'batches.write', async (c) => {
    const certificates = await batchableCertificates(c.var.db, scopeOf(c), c.var.clock());
    const { certificate: wanted } = await validQuery(c, prefillQuery('certificate'));
    const values: FormValues = { certificateId: wanted?.toString() ?? (certificates.length === 1 ? String(certificates[0]!.id) : ''), productionDate: todayOf(c) };
    return c.html(<BatchFormPage c={c} certificates={certificates} values={values} />);
  });

  r.post('/batches', 'batches.write', formAction({
    schema: batchForm,
    fields: FIELDS,
    dateField: 'productionDate',
    page: async (c, form) => <BatchFormPage c={c} certificates={await batchableCertificates(c.var.db, scopeOf(c), c.var.clock())} {...form} />,
    act: async (c, input) => {
      const p = principalOf(c);
      requireSigningKey(c.var.keys);
      const batch = await issueBatch(c.var.db, actorOf(p), input, c.var.keys, c.var.clock(), p.role === 'producer' ? p.producerId : null);
      return `/admin/batches/${batch.id}?done=batch`;
    },
  }));

  r.get('/batches/:id{[0-9]+}', 'batches.view', async (c) => c.html(await detailPage(c, await scopedRecord(c, getBatchRow))));

  r.get('/batches/:id{[0-9]+}/labels', 'labels.download', async (c) => {
    const b = await scopedRecord(c, getBatchRow);
    // A refused layout shows the batch page again with the message on the field to change.
    c.set('form', { fields: PRINT_FIELDS, show: async (errors, status) => c.html(await detailPage(c, b, { values: c.req.query(), errors }), status) });
    const parsed = labelQuery('pdf').safeParse(c.req.queries());
    if (!parsed.success) throw invalidInput(fieldErrors(parsed.error));
    const { format, layout } = parsed.data;
    return labelDownload(c.var.keys, c.var.config.publicBaseUrl, b, format, layout);
  });
}
