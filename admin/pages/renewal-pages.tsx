import type { RenewalApplication } from '../../schema/database';
import type { CertificateListRow } from '../../worker/db/certificates';
import { getCertificate } from '../../worker/db/certificates';
import { recordRenewalApplication, refuseRenewal } from '../../worker/db/renewals';
import { certificateState } from '../../worker/domain/certificate-state';
import { actorOf, principalOf, todayOf, type AdminContext } from '../context';
import { formAction } from '../actions';
import { renewalApplicationForm, renewalRefusalForm, type FieldErrors } from '../forms';
import { can } from '../permissions';
import { scopedRecord } from '../request';
import type { RouteTable } from '../route-table';
import { Bi, FormErrors, Input, Table, TextArea, type FormValues } from '../ui/components';
import { fmtDate } from '../ui/format';
import { Layout, PageTitle } from '../ui/layout';

// Renewal applications on the admin certificate page (issue 11): record that a re-evaluation
// file was received (from then until the renewal or a refusal an expired certificate shows
// "renewal under review" on every public page and in the API), record a refusal, and the
// history of both. Same permission as renew and revoke: certificates.write (province admin).

const APPLICATION_FIELDS = ['receivedOn', 'note'];
const REFUSAL_FIELDS = ['refusedOn', 'note'];

function ApplicationForm(props: { cert: CertificateListRow; values: FormValues; errors?: FieldErrors | undefined }) {
  return (
    <form method="post" action={`/admin/certificates/${props.cert.id}/renewal-application`} class="stack">
      <Input name="receivedOn" type="date" label={{ vi: 'Ngày nhận hồ sơ đánh giá lại', en: 'Day the re-evaluation file was received' }} values={props.values} errors={props.errors} required />
      <TextArea name="note" label={{ vi: 'Ghi chú (không bắt buộc)', en: 'Note (optional)' }} values={props.values} errors={props.errors} />
      <div>
        <button type="submit" class="secondary">
          Ghi nhận đã nhận hồ sơ / Record the file
        </button>
      </div>
    </form>
  );
}

function RefusalForm(props: { cert: CertificateListRow; values: FormValues; errors?: FieldErrors | undefined }) {
  return (
    <form method="post" action={`/admin/certificates/${props.cert.id}/renewal-refusal`} class="stack">
      <Input name="refusedOn" type="date" label={{ vi: 'Ngày từ chối gia hạn', en: 'Day the renewal was refused' }} values={props.values} errors={props.errors} required />
      <TextArea name="note" label={{ vi: 'Lý do / ghi chú', en: 'Reason / note' }} values={props.values} errors={props.errors} />
      <div>
        <button type="submit" class="danger">
          Ghi nhận từ chối gia hạn / Record the refusal
        </button>
      </div>
    </form>
  );
}

/** The "renewal file" card of the certificate page. */
export function RenewalFileSection(props: { c: AdminContext; cert: CertificateListRow; applications: RenewalApplication[] }) {
  const { c, cert, applications } = props;
  const p = principalOf(c);
  const open = applications.find((a) => a.refused_on === null);
  const writable = can(p, 'certificates.write') && cert.status === 'active';
  if (cert.status !== 'active' && applications.length === 0) return null;
  const expired = certificateState({ status: cert.status, validFrom: cert.valid_from, validUntil: cert.valid_until }, c.var.clock()).expired;
  return (
    <section class="card" id="renewal-file">
      <h2>
        <Bi vi="Hồ sơ gia hạn" en="Renewal file" />
      </h2>
      {open && cert.status === 'active' ? (
        <p>
          <strong>
            <Bi vi={`Đã nhận hồ sơ đánh giá lại ngày ${fmtDate(open.received_on)}, đang xét.`} en={`Re-evaluation file received on ${open.received_on}, under review.`} />
          </strong>{' '}
          {expired ? (
            <Bi vi='Trang công khai và API hiện "Hết hạn — đang xét gia hạn".' en='Public pages and the API show "expired — renewal under review".' />
          ) : (
            <Bi vi="Giấy còn hiệu lực: trang công khai vẫn hiện còn hiệu lực; chỉ khi hết hạn mới hiện đang xét gia hạn." en="Still valid: public pages show it as valid; only once it expires do they show the review." />
          )}
        </p>
      ) : (
        <p class="muted">
          <Bi vi="Chưa có hồ sơ gia hạn đang xét." en="No renewal file under review." />
        </p>
      )}
      {writable && open ? (
        <>
          <div class="actions">
            <a class="button" href={`/admin/certificates/${cert.id}/renew`}>
              Gia hạn (cấp giấy mới) / Renew
            </a>
          </div>
          <details>
            <summary>Từ chối gia hạn / Refuse the renewal</summary>
            <RefusalForm cert={cert} values={{ refusedOn: todayOf(c) }} />
          </details>
        </>
      ) : null}
      {writable && !open ? <ApplicationForm cert={cert} values={{ receivedOn: todayOf(c) }} /> : null}
      {applications.length > 0 ? (
        <Table head={['Nhận hồ sơ / Received', 'Ghi chú / Note', 'Kết quả / Outcome']}>
          {applications.map((a) => (
            <tr>
              <td>{fmtDate(a.received_on)}</td>
              <td>{a.note ?? '—'}</td>
              <td>
                {a.refused_on
                  ? `Từ chối ${fmtDate(a.refused_on)}${a.refusal_note ? `: ${a.refusal_note}` : ''} / Refused`
                  : cert.status === 'superseded'
                    ? 'Đã gia hạn / Renewed'
                    : cert.status === 'revoked'
                      ? 'Giấy đã bị thu hồi / Certificate revoked'
                      : 'Đang xét / Under review'}
              </td>
            </tr>
          ))}
        </Table>
      ) : null}
    </section>
  );
}

function FormPage(props: { c: AdminContext; cert: CertificateListRow; kind: 'application' | 'refusal'; values: FormValues; errors?: FieldErrors }) {
  const { c, cert } = props;
  const application = props.kind === 'application';
  return (
    <Layout title={application ? 'Hồ sơ gia hạn / Renewal file' : 'Từ chối gia hạn / Refusal'} principal={principalOf(c)} current="/admin/certificates">
      {application ? (
        <PageTitle vi={`Ghi nhận hồ sơ gia hạn: ${cert.number}`} en={`Record a renewal file: ${cert.number}`} />
      ) : (
        <PageTitle vi={`Từ chối gia hạn: ${cert.number}`} en={`Refuse the renewal: ${cert.number}`} />
      )}
      <FormErrors errors={props.errors} fields={application ? APPLICATION_FIELDS : REFUSAL_FIELDS} />
      <div class="card">
        {application ? <ApplicationForm cert={cert} values={props.values} errors={props.errors} /> : <RefusalForm cert={cert} values={props.values} errors={props.errors} />}
      </div>
      <p>
        <a href={`/admin/certificates/${cert.id}`}>← {cert.number}</a>
      </p>
    </Layout>
  );
}

export function registerRenewalPages(r: RouteTable): void {
  r.get('/certificates/:id{[0-9]+}/renewal-application', 'certificates.write', async (c) => {
    const cert = await scopedRecord(c, getCertificate);
    return c.html(<FormPage c={c} cert={cert} kind="application" values={{ receivedOn: todayOf(c) }} />);
  });

  r.post('/certificates/:id{[0-9]+}/renewal-application', 'certificates.write', formAction({
    schema: renewalApplicationForm,
    fields: APPLICATION_FIELDS,
    dateField: 'receivedOn',
    load: (c) => scopedRecord(c, getCertificate),
    page: (c, form, cert) => <FormPage c={c} cert={cert} kind="application" {...form} />,
    act: async (c, input, cert) => {
      await recordRenewalApplication(c.var.db, actorOf(principalOf(c)), cert.id, input, c.var.clock());
      return `/admin/certificates/${cert.id}?done=renewal_received`;
    },
  }));

  r.get('/certificates/:id{[0-9]+}/renewal-refusal', 'certificates.write', async (c) => {
    const cert = await scopedRecord(c, getCertificate);
    return c.html(<FormPage c={c} cert={cert} kind="refusal" values={{ refusedOn: todayOf(c) }} />);
  });

  r.post('/certificates/:id{[0-9]+}/renewal-refusal', 'certificates.write', formAction({
    schema: renewalRefusalForm,
    fields: REFUSAL_FIELDS,
    dateField: 'refusedOn',
    load: (c) => scopedRecord(c, getCertificate),
    page: (c, form, cert) => <FormPage c={c} cert={cert} kind="refusal" {...form} />,
    act: async (c, input, cert) => {
      await refuseRenewal(c.var.db, actorOf(principalOf(c)), cert.id, input, c.var.clock());
      return `/admin/certificates/${cert.id}?done=renewal_refused`;
    },
  }));
}
