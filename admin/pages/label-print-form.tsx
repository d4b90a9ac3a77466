import { DEFAULT_PRESET, LABEL_PRESET_IDS, LABEL_PRESETS, MIN_LABEL_MM, MIN_MODULE_MM } from '../../worker/qr/label-layouts';
import type { FieldErrors } from '../forms';
import { Bi, FormErrors, Input, Select, type FormValues } from '../ui/components';

/** The fields of the print form, where the error handler puts a refused layout's message. */
export const PRINT_FIELDS = ['preset', 'page', 'labelWidth', 'labelHeight', 'columns', 'rows', 'marginLeft', 'marginTop', 'gapX', 'gapY'];

const mm = (name: string, vi: string, en: string, props: { values: FormValues; errors?: FieldErrors | undefined }) => (
  <Input name={name} type="number" step="0.01" min="0" max="300" label={{ vi: `${vi} (mm)`, en: `${en} (mm)` }} values={props.values} errors={props.errors} />
);

/**
 * The PDF print form of a batch: a preset for the label stock in hand, or custom sizes. A GET
 * form: the download is the answer, or (400) this form again with the message on its field.
 */
export function LabelPrintForm(props: { batchId: number; values?: FormValues | undefined; errors?: FieldErrors | undefined }) {
  const values: FormValues = { preset: DEFAULT_PRESET, ...props.values };
  const f = { values, errors: props.errors };
  return (
    <form method="get" action={`/admin/batches/${props.batchId}/labels`} class="stack" id="print-labels">
      <input type="hidden" name="format" value="pdf" />
      <FormErrors errors={props.errors} fields={PRINT_FIELDS} />
      <Select
        name="preset"
        label={{ vi: 'Mẫu giấy nhãn', en: 'Label stock' }}
        {...f}
        options={[...LABEL_PRESET_IDS.map((id) => ({ value: id, label: `${LABEL_PRESETS[id].vi} / ${LABEL_PRESETS[id].en}` })), { value: 'custom', label: 'Tùy chỉnh (nhập kích thước bên dưới) / Custom (sizes below)' }]}
      />
      <details open={values.preset === 'custom' || !!props.errors}>
        <summary>
          <Bi vi="Kích thước tùy chỉnh" en="Custom sizes" />
        </summary>
        <p class="muted">
          <Bi
            vi={`Chỉ dùng khi chọn «Tùy chỉnh». Nhãn phải ít nhất ${String(MIN_LABEL_MM.widthMm).replace('.', ',')} × ${String(MIN_LABEL_MM.heightMm).replace('.', ',')} mm để mỗi ô mã QR rộng ${String(MIN_MODULE_MM).replace('.', ',')} mm trở lên. Bỏ trống số cột, hàng và lề: in nhiều nhãn nhất có thể, căn giữa trang. Chỉ nhập số cột và hàng: chia đều tờ A4 thường, có đường cắt.`}
            en={`Used only with "Custom". Labels must be at least ${MIN_LABEL_MM.widthMm} × ${MIN_LABEL_MM.heightMm} mm for QR modules of ${MIN_MODULE_MM} mm or more. Blank columns, rows and margins: as many labels as fit, centred. Only columns and rows: plain A4 divided evenly, with cutting lines.`}
          />
        </p>
        <div class="grid">
          <Select
            name="page"
            label={{ vi: 'Khổ giấy', en: 'Paper' }}
            {...f}
            options={[
              { value: 'a4', label: 'Tờ A4 / A4 sheet' },
              { value: 'roll', label: 'Cuộn, máy in nhiệt (mỗi trang một nhãn) / Roll, thermal printer (one label per page)' },
            ]}
          />
          {mm('labelWidth', 'Chiều rộng nhãn', 'Label width', f)}
          {mm('labelHeight', 'Chiều cao nhãn', 'Label height', f)}
          <Input name="columns" type="number" min="1" max="20" label={{ vi: 'Số cột', en: 'Columns' }} {...f} />
          <Input name="rows" type="number" min="1" max="30" label={{ vi: 'Số hàng', en: 'Rows' }} {...f} />
          {mm('marginLeft', 'Lề trái', 'Left margin', f)}
          {mm('marginTop', 'Lề trên', 'Top margin', f)}
          {mm('gapX', 'Khoảng cách ngang', 'Horizontal gap', f)}
          {mm('gapY', 'Khoảng cách dọc', 'Vertical gap', f)}
        </div>
      </details>
      <div>
        <button type="submit" class="secondary">
          Tải PDF nhãn / Download label PDF
        </button>
      </div>
    </form>
  );
}
