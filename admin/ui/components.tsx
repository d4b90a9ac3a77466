import type { Child } from 'hono/jsx';
import { STATE_LABELS, type CertificateState } from '../../worker/domain/certificate-state';
import type { FieldErrors } from '../forms';

export interface Label {
  vi: string;
  en: string;
}

/** Vietnamese first, English after it in a lighter tone. */
export function Bi(props: { vi: string; en: string }) {
  return (
    <>
      {props.vi} <span class="en" lang="en">/ {props.en}</span>
    </>
  );
}

export type FormValues = Record<string, string | undefined>;

interface FieldProps {
  name: string;
  label: Label;
  values: FormValues;
  errors?: FieldErrors | undefined;
  hint?: string;
  required?: boolean;
}

function errorId(name: string): string {
  return `err-${name}`;
}

function FieldError(props: { name: string; errors?: FieldErrors | undefined }) {
  const message = props.errors?.[props.name];
  return message ? (
    <span class="error" id={errorId(props.name)} role="alert">
      {message}
    </span>
  ) : null;
}

/** The label (with * when required) and hint above an input, select or text area. */
function FieldLabel(props: FieldProps) {
  return (
    <>
      <label for={`f-${props.name}`}>
        <Bi {...props.label} />
        {props.required ? ' *' : ''}
      </label>
      {props.hint ? <span class="hint">{props.hint}</span> : null}
    </>
  );
}

export function Input(props: FieldProps & { type?: 'text' | 'email' | 'password' | 'number' | 'date' | 'search'; step?: string; min?: string; max?: string; autocomplete?: string; maxlength?: number }) {
  const invalid = !!props.errors?.[props.name];
  return (
    <div class="field">
      <FieldLabel {...props} />
      <input
        id={`f-${props.name}`}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.type === 'password' ? '' : (props.values[props.name] ?? '')}
        step={props.step}
        min={props.min}
        max={props.max}
        maxlength={props.maxlength}
        autocomplete={props.autocomplete}
        required={props.required}
        aria-invalid={invalid ? 'true' : undefined}
        aria-describedby={invalid ? errorId(props.name) : undefined}
      />
      <FieldError name={props.name} errors={props.errors} />
    </div>
  );
}

export function TextArea(props: FieldProps & { rows?: number }) {
  const invalid = !!props.errors?.[props.name];
  return (
    <div class="field">
      <FieldLabel {...props} />
      <textarea id={`f-${props.name}`} name={props.name} rows={props.rows ?? 3} aria-invalid={invalid ? 'true' : undefined} aria-describedby={invalid ? errorId(props.name) : undefined}>
        {props.values[props.name] ?? ''}
      </textarea>
      <FieldError name={props.name} errors={props.errors} />
    </div>
  );
}

export interface Option {
  value: string;
  label: string;
}

export function Select(props: FieldProps & { options: Option[]; blank?: string }) {
  const invalid = !!props.errors?.[props.name];
  const current = props.values[props.name] ?? '';
  return (
    <div class="field">
      <FieldLabel {...props} />
      <select id={`f-${props.name}`} name={props.name} aria-invalid={invalid ? 'true' : undefined} aria-describedby={invalid ? errorId(props.name) : undefined}>
        {props.blank !== undefined ? <option value="">{props.blank}</option> : null}
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === current}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldError name={props.name} errors={props.errors} />
    </div>
  );
}

export function Check(props: FieldProps) {
  const v = props.values[props.name];
  return (
    <div class="field">
      <label class="check" for={`f-${props.name}`}>
        <input id={`f-${props.name}`} type="checkbox" name={props.name} checked={v === 'on' || v === 'true' || v === '1'} />
        <span>
          <Bi {...props.label} />
        </span>
      </label>
      <FieldError name={props.name} errors={props.errors} />
    </div>
  );
}

/** Errors that belong to no field of the form (or to a field the form does not show). */
export function FormErrors(props: { errors?: FieldErrors | undefined; fields?: readonly string[] }) {
  if (!props.errors) return null;
  const general = Object.entries(props.errors).filter(([k]) => k === '_form' || (props.fields !== undefined && !props.fields.includes(k)));
  const count = Object.keys(props.errors).length;
  return (
    <div class="flash error" role="alert">
      <strong>
        <Bi vi="Chưa lưu được: vui lòng sửa các mục được đánh dấu." en="Not saved: please correct the marked fields." />
      </strong>
      {general.length > 0 ? (
        <ul>
          {general.map(([, m]) => (
            <li>{m}</li>
          ))}
        </ul>
      ) : count === 0 ? null : null}
    </div>
  );
}

export function StateBadge(props: { state: CertificateState }) {
  const l = STATE_LABELS[props.state];
  return (
    <span class={`badge ${props.state}`} title={l.en}>
      {l.vi}
    </span>
  );
}

export function Table(props: { head: Child[]; children?: Child; caption?: string }) {
  return (
    <div class="scroll">
      <table>
        {props.caption ? <caption class="muted">{props.caption}</caption> : null}
        <thead>
          <tr>
            {props.head.map((h) => (
              <th scope="col">{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}

/** A POST form with one button: every state change in the UI is a POST, never a link. */
export function ActionButton(props: { action: string; label: Label; danger?: boolean; secondary?: boolean; fields?: Record<string, string> }) {
  return (
    <form method="post" action={props.action} class="noprint">
      {Object.entries(props.fields ?? {}).map(([k, v]) => (
        <input type="hidden" name={k} value={v} />
      ))}
      <button type="submit" class={props.danger ? 'danger' : props.secondary ? 'secondary' : undefined}>
        <Bi {...props.label} />
      </button>
    </form>
  );
}

const DONE_MESSAGES: Record<string, Label> = {
  saved: { vi: 'Đã lưu.', en: 'Saved.' },
  created: { vi: 'Đã tạo.', en: 'Created.' },
  issued: { vi: 'Đã cấp giấy chứng nhận.', en: 'Certificate issued.' },
  renewed: { vi: 'Đã gia hạn: giấy chứng nhận mới thay thế giấy cũ.', en: 'Renewed: the new certificate supersedes the old one.' },
  revoked: { vi: 'Đã thu hồi. Trang quét và API cho thấy ngay trạng thái mới.', en: 'Revoked. Scan pages and the API show it at once.' },
  batch: { vi: 'Đã tạo lô mã. Tải nhãn bên dưới.', en: 'Batch issued. Download the labels below.' },
  region_added: { vi: 'Đã thêm vùng nguyên liệu.', en: 'Raw-material region added.' },
  region_removed: { vi: 'Đã xóa vùng nguyên liệu.', en: 'Raw-material region removed.' },
  token_revoked: { vi: 'Đã thu hồi khóa truy cập.', en: 'API token revoked.' },
  key_withdrawn: { vi: 'Đã thu hồi khóa ký. Mã do khóa này ký sẽ không còn được xác nhận là thật.', en: 'Signing key withdrawn. Codes it signed no longer verify as genuine.' },
  daily: { vi: 'Đã chạy tác vụ hằng ngày.', en: 'Daily job run.' },
  unlocked: { vi: 'Đã mở khóa đăng nhập.', en: 'Sign-in unlocked.' },
  password: { vi: 'Đã đổi mật khẩu.', en: 'Password changed.' },
  status: { vi: 'Đã cập nhật trạng thái.', en: 'Status updated.' },
  renewal_received: { vi: 'Đã ghi nhận hồ sơ gia hạn. Khi giấy đã hết hạn, trang công khai hiện "đang xét gia hạn".', en: 'Renewal file recorded. Once expired, public pages show "renewal under review".' },
  renewal_refused: { vi: 'Đã ghi nhận từ chối gia hạn. Trang công khai hiện "hết hạn".', en: 'Renewal refusal recorded. Public pages show "expired".' },
};

export function Flash(props: { done?: string | undefined; extra?: string | undefined }) {
  const m = props.done ? DONE_MESSAGES[props.done] : undefined;
  if (!m) return null;
  return (
    <div class="flash ok" role="status">
      <Bi {...m} />
      {props.extra ? <> ({props.extra})</> : null}
    </div>
  );
}

/** A titled card section of a page, with a line saying what it is for. */
export function CardSection(props: { id: string; title: Label; note: Label; children?: Child }) {
  return (
    <section class="card" id={props.id}>
      <h2>
        <Bi {...props.title} />
      </h2>
      <p class="muted">
        <Bi {...props.note} />
      </p>
      {props.children}
    </section>
  );
}

/** A list page's "new …" link, for those allowed to create one. */
export function NewButton(props: { when: boolean; href: string; label: string }) {
  if (!props.when) return null;
  return (
    <div class="actions">
      <a class="button" href={props.href}>
        {props.label}
      </a>
    </div>
  );
}

/** Turns any record into the string values a form shows. */
export function toFormValues(record: Record<string, unknown>): FormValues {
  const out: FormValues = {};
  for (const [k, v] of Object.entries(record)) {
    if (v === null || v === undefined) out[k] = '';
    else if (typeof v === 'boolean') out[k] = v ? 'on' : '';
    else if (Array.isArray(v)) out[k] = v.join(',');
    else out[k] = String(v);
  }
  return out;
}
