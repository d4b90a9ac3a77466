// Nhập sổ đăng ký / importing the register: upload a CSV or XLSX file, check how its columns
// are read, preview every row, confirm. The file is kept in the database between the steps
// (worker/db/register-uploads.ts), so nothing is asked twice and nothing is written before
// the confirmation; the confirmation names the file's SHA-256, so it applies exactly the file
// that was previewed.
import type { Child } from 'hono/jsx';
import { getUpload, markApplied, saveMapping, saveUpload, sha256Hex, type RegisterUpload } from '../../worker/db/register-uploads';
import type { ImportPlan, PreviewRow, RowStatus } from '../../worker/db/register-import';
import { DomainError } from '../../worker/domain/errors';
import { isRegisterField, mappingProblems, REGISTER_COLUMNS, REGISTER_FIELDS, REQUIRED_FIELDS, type ColumnMapping } from '../../worker/domain/register-columns';
import { applyRegister, effectiveMapping, importFileTooLarge, MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, previewRegister, readRegisterFile } from '../../worker/services/register-import';
import { templateCsv, templateXlsx } from '../../worker/services/register-template';
import type { FieldErrors } from '../../worker/errors';
import { actorOf, principalOf, type AdminContext } from '../context';
import { idParam, notFound, readForm } from '../request';
import type { RouteTable } from '../route-table';
import { Bi, FormErrors, Table } from '../ui/components';
import { Layout, PageTitle } from '../ui/layout';

const STATUS_LABELS: Record<RowStatus, { vi: string; en: string }> = {
  new: { vi: 'Mới', en: 'New' },
  update: { vi: 'Cập nhật', en: 'Update' },
  unchanged: { vi: 'Không đổi', en: 'Unchanged' },
  error: { vi: 'Lỗi', en: 'Error' },
};

function Steps(props: { at: 1 | 2 | 3 | 4 }) {
  const steps = ['Tải tệp lên', 'Ghép cột', 'Xem trước', 'Đã nhập'];
  return (
    <ol class="steps muted">
      {steps.map((s, i) => (
        <li aria-current={i + 1 === props.at ? 'step' : undefined}>{i + 1 === props.at ? <strong>{s}</strong> : s}</li>
      ))}
    </ol>
  );
}

function uploadPage(c: AdminContext, errors?: FieldErrors): Child {
  return (
    <Layout title="Nhập sổ đăng ký / Import the register" principal={principalOf(c)} current="/admin/import">
      <PageTitle vi="Nhập sổ đăng ký OCOP" en="Import the OCOP register" />
      <Steps at={1} />
      <p>
        <Bi
          vi={`Tệp CSV hoặc XLSX (Excel), tối đa 10 MB và ${MAX_IMPORT_ROWS.toLocaleString('vi-VN')} dòng: mỗi dòng một sản phẩm với chủ thể, kết quả đánh giá, giấy chứng nhận (cả giấy đã hết hạn, đã thu hồi) và vùng nguyên liệu. Chưa có gì được ghi cho tới khi bạn xác nhận ở bước xem trước.`}
          en="A CSV or XLSX file, at most 10 MB and 20,000 rows: one product per row with its producer, evaluation, certificate (also expired and revoked ones) and raw-material region. Nothing is written until you confirm the preview."
        />
      </p>
      <p>
        <Bi vi="Tệp mẫu (tiêu đề tiếng Việt):" en="Templates (Vietnamese headers):" /> <a href="/admin/import/template.xlsx">mau-so-dang-ky.xlsx</a> · <a href="/admin/import/template.csv">mau-so-dang-ky.csv</a>
      </p>
      <FormErrors errors={errors} fields={['file']} />
      <form method="post" action="/admin/import" enctype="multipart/form-data" class="stack card">
        <div class="field">
          <label for="f-file">
            <Bi vi="Tệp sổ đăng ký (.xlsx, .csv)" en="Register file (.xlsx, .csv)" /> *
          </label>
          <input id="f-file" type="file" name="file" accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required aria-invalid={errors?.file ? 'true' : undefined} aria-describedby={errors?.file ? 'err-file' : undefined} />
          {errors?.file ? (
            <span class="error" id="err-file" role="alert">
              {errors.file}
            </span>
          ) : null}
        </div>
        <div>
          <button type="submit">Tải lên và ghép cột / Upload</button>
        </div>
      </form>
    </Layout>
  );
}

async function ownUpload(c: AdminContext): Promise<RegisterUpload> {
  const upload = await getUpload(c.var.db, idParam(c.req.param('id')), principalOf(c).label);
  if (!upload) throw notFound();
  return upload;
}

function mappingPage(c: AdminContext, upload: RegisterUpload, headers: string[], sample: string[], mapping: ColumnMapping, errors?: FieldErrors): Child {
  const problems = errors ? [] : mappingProblems(mapping);
  return (
    <Layout title="Ghép cột / Column mapping" principal={principalOf(c)} current="/admin/import">
      <PageTitle vi="Ghép cột của tệp" en="Match the file's columns" />
      <Steps at={2} />
      <p>
        <Bi vi={`Tệp ${upload.fileName}: mỗi cột được ghép theo tiêu đề. Sửa nếu cần, rồi xem trước.`} en={`File ${upload.fileName}: each column was matched by its header. Correct it if needed, then preview.`} />
      </p>
      <FormErrors errors={errors} fields={[]} />
      {problems.length > 0 ? (
        <div class="flash error" role="alert">
          <ul>
            {problems.map((p) => (
              <li>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <form method="post" action={`/admin/import/${upload.id}/mapping`} class="stack">
        <Table head={['Cột / Column', 'Tiêu đề trong tệp / Header', 'Ví dụ dòng đầu / First row', 'Đọc là / Read as']}>
          {headers.map((h, i) => (
            <tr>
              <td>{i + 1}</td>
              <td>
                <label for={`f-col${i}`}>{h || '(trống)'}</label>
              </td>
              <td>{sample[i] ?? ''}</td>
              <td>
                <select id={`f-col${i}`} name={`col${i}`}>
                  <option value="" selected={mapping[i] === null}>
                    — Bỏ qua / Ignore —
                  </option>
                  {REGISTER_FIELDS.map((f) => (
                    <option value={f} selected={mapping[i] === f}>
                      {REGISTER_COLUMNS[f].header}
                      {REQUIRED_FIELDS.includes(f) ? ' *' : ''}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          ))}
        </Table>
        <div>
          <button type="submit">Lưu và xem trước / Save and preview</button>
        </div>
      </form>
    </Layout>
  );
}

function RowDetails(props: { row: PreviewRow }) {
  const r = props.row;
  if (r.errors.length > 0) {
    return (
      <ul class="error">
        {r.errors.map((e) => (
          <li>
            {e.field ? <strong>{REGISTER_COLUMNS[e.field].header}: </strong> : null}
            {e.messageVi}
          </li>
        ))}
      </ul>
    );
  }
  return <>{r.changes.join('; ')}</>;
}

function previewPage(c: AdminContext, upload: RegisterUpload, plan: ImportPlan): Child {
  const { counts } = plan;
  const writable = counts.new + counts.update;
  return (
    <Layout title="Xem trước / Preview" principal={principalOf(c)} current="/admin/import">
      <PageTitle vi="Xem trước khi nhập" en="Preview" />
      <Steps at={3} />
      <p>
        <Bi vi={`Tệp ${upload.fileName} · SHA-256 ${upload.sha256}`} en="File and its SHA-256" />
      </p>
      <p id="import-counts">
        <strong>{counts.rows}</strong> dòng: <strong>{counts.new}</strong> mới · <strong>{counts.update}</strong> cập nhật · <strong>{counts.unchanged}</strong> không đổi · <strong>{counts.error}</strong> lỗi
        <span class="en" lang="en">
          {' '}
          ({counts.rows} rows: {counts.new} new, {counts.update} update, {counts.unchanged} unchanged, {counts.error} errors)
        </span>
      </p>
      {counts.error > 0 ? (
        <p class="flash error">
          <Bi vi={`${counts.error} dòng lỗi sẽ không được nhập. Sửa tệp rồi tải lên lại, hoặc nhập các dòng hợp lệ trước.`} en="Rows with errors are not imported. Fix the file and upload it again, or import the valid rows now." />
        </p>
      ) : null}
      {writable > 0 ? (
        <form method="post" action={`/admin/import/${upload.id}/apply`} class="card stack">
          <input type="hidden" name="sha256" value={upload.sha256} />
          <p>
            <Bi vi={`Ghi ${writable} dòng mới và cập nhật trong một lần (tất cả hoặc không gì cả); được ghi vào nhật ký.`} en={`Write the ${writable} new and updated rows at once (all or nothing); audited.`} />
          </p>
          <div>
            <button type="submit">Xác nhận nhập / Confirm the import</button>{' '}
            <a href={`/admin/import/${upload.id}/mapping`}>Sửa ghép cột / Change the mapping</a>
          </div>
        </form>
      ) : (
        <p class="muted">
          <Bi vi="Không có gì để ghi: mọi dòng đều không đổi hoặc có lỗi." en="Nothing to write: every row is unchanged or has an error." />{' '}
          <a href={`/admin/import/${upload.id}/mapping`}>Sửa ghép cột / Change the mapping</a>
        </p>
      )}
      <Table head={['Dòng / Row', 'Kết quả / Result', 'Chủ thể / Producer', 'Sản phẩm / Product', 'Số GCN / Certificate', 'Chi tiết / Details']}>
        {plan.rows.map((r) => (
          <tr class={`import-${r.status}`}>
            <td>{r.line}</td>
            <td>
              <span class={`badge import-${r.status}`} title={STATUS_LABELS[r.status].en}>
                {STATUS_LABELS[r.status].vi}
              </span>
            </td>
            <td>{r.producer}</td>
            <td>{r.product}</td>
            <td>{r.certificate ?? ''}</td>
            <td>
              <RowDetails row={r} />
            </td>
          </tr>
        ))}
      </Table>
    </Layout>
  );
}

function resultPage(c: AdminContext, upload: RegisterUpload): Child {
  const result = upload.result as { counts?: ImportPlan['counts']; written?: Record<string, number> } | null;
  const w = result?.written ?? {};
  return (
    <Layout title="Đã nhập / Imported" principal={principalOf(c)} current="/admin/import">
      <PageTitle vi="Đã nhập sổ đăng ký" en="Register imported" />
      <Steps at={4} />
      <p id="import-result">
        Tệp {upload.fileName} (SHA-256 {upload.sha256}): đã ghi {w.producers ?? 0} chủ thể, {w.products ?? 0} sản phẩm, {w.evaluations ?? 0} kết quả đánh giá, {w.certificates ?? 0} giấy chứng nhận, {w.regions ?? 0} vùng nguyên liệu; {result?.counts?.error ?? 0} dòng lỗi bỏ qua.
      </p>
      <p>
        <a href="/admin/certificates">Giấy chứng nhận / Certificates</a> · <a href="/admin/audit?action=register.import">Nhật ký / Audit log</a> · <a href="/admin/import">Nhập tệp khác / Import another file</a>
      </p>
    </Layout>
  );
}

/** Shows the upload form again with the file's problem when a step fails (the one error handler finds it). */
function onUploadError(c: AdminContext): void {
  c.set('form', { fields: ['file'], show: async (errors, status) => c.html(uploadPage(c, errors) as string, status) });
}

export function registerImportPages(r: RouteTable): void {
  r.get('/import', 'register.import', (c) => c.html(uploadPage(c) as string));

  r.get('/import/template.csv', 'register.import', (c) =>
    c.body(templateCsv(), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="mau-so-dang-ky.csv"' }),
  );
  r.get('/import/template.xlsx', 'register.import', (c) =>
    c.body(templateXlsx() as Uint8Array<ArrayBuffer>, 200, {
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'content-disposition': 'attachment; filename="mau-so-dang-ky.xlsx"',
    }),
  );

  r.post('/import', 'register.import', async (c) => {
    onUploadError(c);
    let body: Record<string, string | File>;
    try {
      body = await c.req.parseBody();
    } catch (error) {
      // The body limit's 413 passes through; anything else is a form that does not parse.
      if (error instanceof Error && 'status' in error) throw error;
      throw new DomainError('import_unreadable', 'The upload could not be read', 'Không đọc được tệp gửi lên');
    }
    const file = body.file;
    if (!(file instanceof File) || file.size === 0) throw new DomainError('import_unreadable', 'Choose a file', 'Hãy chọn một tệp CSV hoặc XLSX');
    if (file.size > MAX_IMPORT_BYTES) throw importFileTooLarge();
    const bytes = new Uint8Array(await file.arrayBuffer());
    // Read now, so a file that cannot be read is refused before it is kept.
    readRegisterFile(bytes, file.name);
    const p = principalOf(c);
    const fileName = file.name.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 255) || 'so-dang-ky';
    const id = await saveUpload(c.var.db, { fileName, sha256: await sha256Hex(bytes), content: bytes, uploadedByLabel: p.label, uploadedBy: p.userId }, c.var.clock());
    return c.redirect(`/admin/import/${id}/mapping`, 303);
  });

  r.get('/import/:id{[0-9]+}', 'register.import', async (c) => {
    const upload = await ownUpload(c);
    if (!upload.appliedAt) return c.redirect(`/admin/import/${upload.id}/preview`, 303);
    return c.html(resultPage(c, upload) as string);
  });

  r.get('/import/:id{[0-9]+}/mapping', 'register.import', async (c) => {
    const upload = await ownUpload(c);
    if (upload.appliedAt) return c.redirect(`/admin/import/${upload.id}`, 303);
    const sheet = readRegisterFile(upload.content, upload.fileName);
    return c.html(mappingPage(c, upload, sheet.headers, sheet.rows[1]?.cells ?? [], effectiveMapping(sheet.headers, upload.mapping)) as string);
  });

  r.post('/import/:id{[0-9]+}/mapping', 'register.import', async (c) => {
    const upload = await ownUpload(c);
    if (upload.appliedAt) throw new DomainError('import_applied', 'This file was already imported', 'Tệp này đã được nhập');
    const sheet = readRegisterFile(upload.content, upload.fileName);
    const { values: form } = await readForm(c);
    const mapping: ColumnMapping = sheet.headers.map((_, i) => {
      const v = form[`col${i}`];
      return isRegisterField(v) ? v : null;
    });
    c.set('form', {
      fields: [],
      show: async (errors, status) => c.html(mappingPage(c, upload, sheet.headers, sheet.rows[1]?.cells ?? [], mapping, errors) as string, status),
    });
    const problems = mappingProblems(mapping);
    if (problems.length > 0) throw new DomainError('import_mapping', 'The column mapping is incomplete', problems.join('; '));
    await saveMapping(c.var.db, upload.id, mapping);
    return c.redirect(`/admin/import/${upload.id}/preview`, 303);
  });

  r.get('/import/:id{[0-9]+}/preview', 'register.import', async (c) => {
    const upload = await ownUpload(c);
    if (upload.appliedAt) return c.redirect(`/admin/import/${upload.id}`, 303);
    const sheet = readRegisterFile(upload.content, upload.fileName);
    const mapping = effectiveMapping(sheet.headers, upload.mapping);
    if (mappingProblems(mapping).length > 0) return c.redirect(`/admin/import/${upload.id}/mapping`, 303);
    const plan = await previewRegister(c.var.db, sheet, mapping, c.var.clock());
    return c.html(previewPage(c, upload, plan) as string);
  });

  r.post('/import/:id{[0-9]+}/apply', 'register.import', async (c) => {
    const upload = await ownUpload(c);
    if (upload.appliedAt) throw new DomainError('import_applied', 'This file was already imported', 'Tệp này đã được nhập');
    const { values: form } = await readForm(c);
    if (form.sha256 !== upload.sha256) throw new DomainError('import_changed', 'The confirmation names another file', 'Xác nhận không khớp với tệp đã xem trước: hãy xem trước lại');
    const sheet = readRegisterFile(upload.content, upload.fileName);
    const mapping = effectiveMapping(sheet.headers, upload.mapping);
    const now = c.var.clock();
    await applyRegister(c.var.db, actorOf(principalOf(c)), { fileName: upload.fileName, sha256: upload.sha256 }, sheet, mapping, now, async (trx, result) => {
      // A second confirmation (a double click) finds the upload imported and rolls back.
      if (!(await markApplied(trx, upload.id, result, now))) throw new DomainError('import_applied', 'This file was already imported', 'Tệp này đã được nhập');
    });
    return c.redirect(`/admin/import/${upload.id}`, 303);
  });
}
