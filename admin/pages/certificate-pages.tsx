import type { Evaluation, RenewalApplication } from '../../schema/database';
import { activeCertificatesOf, renewalApplications } from '../../worker/db/renewals';
import { evaluationIneligibility, recognisingBody } from '../../worker/domain/renewal';
import { certificateDetail, type CertificateDetail, getCertificate, type CertificateListRow, certificatesByIds, issueCertificate, listCertificates, renewCertificate, revokeCertificates, type StateFilter } from '../../worker/db/certificates';
import { type EvaluationListRow, listEvaluations, renewalEvaluations } from '../../worker/db/evaluations';
import { producerOptions } from '../../worker/db/producers';
import { groupOptions } from '../../worker/db/products';
import { unitOptions } from '../../worker/db/units';
import { certificateState } from '../../worker/domain/certificate-state';
import { COUNCIL_LEVEL_LABELS, REVOCATION_GROUND_LABELS, REVOCATION_GROUNDS } from '../../worker/domain/vocabulary';
import { AppError } from '../../worker/errors';
import { actorOf, principalOf, scopeOf, todayOf, type AdminContext } from '../context';
import { formAction, validQuery } from '../actions';
import { certificateQuery, prefillQuery, selectionQuery } from '../queries';
import { issueForm, revokeForm, type FieldErrors } from '../forms';
import { can } from '../permissions';
import { notFound, readForm, scopedRecord } from '../request';
import type { RouteTable } from '../route-table';
import { AuditTable } from './audit-pages';
import { RenewalFileSection } from './renewal-pages';
import { ProducerFacts } from './product-pages';
import { Bi, Flash, FormErrors, Input, Select, StateBadge, Table, TextArea, type FormValues, NewButton } from '../ui/components';
import { fmtDate, fmtDateTime, fmtInt, fmtScore, starText } from '../ui/format';
import { Layout, PageTitle } from '../ui/layout';

const ISSUE_FIELDS = ['evaluationId', 'number', 'decisionNumber', 'decisionDate', 'issuingBody', 'issuingLevel'];
const REVOKE_FIELDS = ['ids', 'decisionNumber', 'date', 'ground', 'note', 'confirm'];

const STATE_FILTERS: { value: StateFilter; label: string }[] = [
  { value: 'active', label: 'Còn hiệu lực (kể cả sắp hết hạn) / In force' },
  { value: 'valid', label: 'Còn hiệu lực > 30 ngày / Valid' },
  { value: 'expiring', label: 'Sắp hết hạn (< 30 ngày) / Expiring' },
  { value: 'expired', label: 'Hết hạn / Expired' },
  { value: 'renewal_pending', label: 'Hết hạn — đang xét gia hạn / Renewal under review' },
  { value: 'revoked', label: 'Đã thu hồi / Revoked' },
  { value: 'superseded', label: 'Đã được thay thế / Superseded' },
];

function stateOf(row: Pick<CertificateListRow, 'status' | 'valid_from' | 'valid_until'> & { renewal_received_on?: string | null }, now: Date) {
  return certificateState({ status: row.status, validFrom: row.valid_from, validUntil: row.valid_until, renewalPendingSince: row.renewal_received_on ?? null }, now);
}

function evaluationLabel(e: Pick<EvaluationListRow, 'id' | 'product_name' | 'producer_name' | 'stars' | 'total' | 'evaluated_on' | 'council_level'>): string {
  return `#${e.id} · ${e.product_name} — ${e.producer_name} · ${e.stars}★ (${fmtScore(e.total)} điểm) · ${fmtDate(e.evaluated_on)} · ${COUNCIL_LEVEL_LABELS[e.council_level].vi}`;
}

async function listPage(c: AdminContext) {
  const p = principalOf(c);
  const filter = await validQuery(c, certificateQuery);
  const now = c.var.clock();
  const [rows, units, groups, producers] = await Promise.all([
    listCertificates(c.var.db, scopeOf(c), filter, now),
    unitOptions(c.var.db),
    groupOptions(c.var.db),
    producerOptions(c.var.db, scopeOf(c)),
  ]);
  const values: FormValues = {
    q: filter.q, state: filter.state, expiring: filter.expiringWithin?.toString(), area: filter.area,
    group: filter.groupId?.toString(), stars: filter.stars?.toString(), producer: filter.producerId?.toString(),
  };
  const writable = can(p, 'certificates.write');
  return (
    <Layout title="Giấy chứng nhận / Certificates" principal={p} current="/admin/certificates">
      <PageTitle vi="Giấy chứng nhận OCOP" en="OCOP certificates" />
      <Flash done={c.req.query('done')} />
      <NewButton when={writable} href="/admin/certificates/new" label="Cấp giấy chứng nhận / Issue a certificate" />
      <form method="get" action="/admin/certificates" class="inline card">
        <Input name="q" type="search" label={{ vi: 'Tìm (không cần dấu)', en: 'Search' }} values={values} />
        <Select name="state" label={{ vi: 'Trạng thái', en: 'State' }} values={values} blank="Tất cả / All" options={STATE_FILTERS} />
        <Select name="expiring" label={{ vi: 'Hết hạn trong', en: 'Expiring within' }} values={values} blank="—" options={[{ value: '30', label: '30 ngày / days' }, { value: '90', label: '90 ngày / days' }]} />
        <Select name="area" label={{ vi: 'Địa bàn', en: 'Area' }} values={values} blank="Tất cả / All" options={units.filter((u) => u.level === 'district').map((u) => ({ value: u.id, label: u.name }))} />
        <Select name="group" label={{ vi: 'Nhóm', en: 'Group' }} values={values} blank="Tất cả / All" options={groups.filter((g) => g.kind === 'plan_group').map((g) => ({ value: String(g.id), label: g.name_vi }))} />
        <Select name="stars" label={{ vi: 'Hạng sao', en: 'Stars' }} values={values} blank="—" options={[3, 4, 5].map((s) => ({ value: String(s), label: `${s}★` }))} />
        <Select name="producer" label={{ vi: 'Chủ thể', en: 'Producer' }} values={values} blank="Tất cả / All" options={producers.map((x) => ({ value: String(x.id), label: x.name }))} />
        <button type="submit">Lọc / Filter</button>
      </form>
      <p class="muted">
        {rows.length} <Bi vi="giấy chứng nhận" en="certificates" />
      </p>
      <form method="get" action="/admin/certificates/revoke">
        <Table head={[writable ? 'Chọn / Select' : '', 'Số GCN / Number', 'Trạng thái / State', 'Sao', 'Sản phẩm / Product', 'Chủ thể / Producer', 'Địa bàn / Area', 'Hiệu lực đến / Valid until']}>
          {rows.map((row) => {
            const st = stateOf(row, now);
            return (
              <tr>
                <td>{writable && row.status === 'active' ? <input type="checkbox" name="ids" value={String(row.id)} aria-label={`Chọn ${row.number}`} /> : null}</td>
                <td>
                  <a href={`/admin/certificates/${row.id}`}>{row.number}</a>
                </td>
                <td>
                  <StateBadge state={st.state} />
                </td>
                <td>{starText(row.stars)}</td>
                <td>{row.product_name}</td>
                <td>{row.producer_name}</td>
                <td>{row.district_name ?? '—'}</td>
                <td>{fmtDate(row.valid_until)}</td>
              </tr>
            );
          })}
        </Table>
        {writable && rows.some((r) => r.status === 'active') ? (
          <div class="actions">
            <button type="submit" class="danger">
              Thu hồi các GCN đã chọn / Revoke the selected
            </button>
          </div>
        ) : null}
      </form>
    </Layout>
  );
}

interface Ineligible {
  evaluation: Evaluation;
  why: { vi: string; en: string };
}

/** Evaluations of a product that already has an active certificate: issuing from them is a renewal. */
interface RenewalChoice {
  evaluation: EvaluationListRow;
  certificate: { id: number; number: string };
}

function IssueFormPage(props: {
  c: AdminContext;
  evaluations: EvaluationListRow[];
  values: FormValues;
  errors?: FieldErrors;
  renew?: CertificateListRow;
  renewEvaluations?: Evaluation[];
  ineligible?: Ineligible[];
  renewals?: RenewalChoice[];
}) {
  const p = principalOf(props.c);
  const renew = props.renew;
  const options = renew
    ? (props.renewEvaluations ?? []).map((e) => ({ value: String(e.id), label: `#${e.id} · ${e.stars}★ (${fmtScore(e.total)} điểm) · ${fmtDate(e.evaluated_on)} · ${COUNCIL_LEVEL_LABELS[e.council_level].vi}` }))
    : props.evaluations.map((e) => ({ value: String(e.id), label: evaluationLabel(e) }));
  // Eligibility first (issue 12): what cannot be done is said before any field is filled.
  const blocked = renew && renew.status !== 'active';
  const newEvaluationHref = renew ? `/admin/evaluations/new?product=${renew.product_id}&renew=${renew.id}` : '/admin/evaluations/new';
  return (
    <Layout title={renew ? 'Gia hạn / Renew' : 'Cấp giấy chứng nhận / Issue'} principal={p} current="/admin/certificates">
      {renew ? <PageTitle vi={`Gia hạn giấy chứng nhận ${renew.number}`} en={`Renew certificate ${renew.number}`} /> : <PageTitle vi="Cấp giấy chứng nhận từ kết quả đánh giá" en="Issue a certificate from an evaluation" />}
      <p class="muted">
        {renew ? (
          <Bi vi="Gia hạn là đánh giá lại: giấy mới thay thế giấy cũ, hạng sao theo kết quả đánh giá lại (có thể tăng hoặc giảm)." en="Renewal is a re-evaluation: the new certificate supersedes the old one; stars follow the re-evaluation (up or down)." />
        ) : (
          <Bi vi="Hạng sao lấy từ kết quả đánh giá (điểm và tiêu chí bắt buộc), không nhập tay. Hiệu lực 36 tháng kể từ ngày quyết định." en="Stars come from the evaluation (scores and mandatory criteria), never typed in. Valid 36 months from the decision date." />
        )}
      </p>
      {renew ? (
        <p>
          <a href={`/admin/certificates/${renew.id}`}>← {renew.number}</a>
        </p>
      ) : null}
      <FormErrors errors={props.errors} fields={ISSUE_FIELDS} />
      {blocked ? (
        <div class="flash warn" role="alert">
          <Bi
            vi={`Giấy chứng nhận ${renew.number} ${renew.status === 'revoked' ? 'đã bị thu hồi' : 'đã được thay thế'}: không thể gia hạn.`}
            en={`Certificate ${renew.number} is ${renew.status}: it cannot be renewed.`}
          />
        </div>
      ) : null}
      {props.renewals && props.renewals.length > 0 ? (
        <div class="flash warn">
          <p>
            <Bi vi="Các kết quả đánh giá sau thuộc sản phẩm đã có giấy chứng nhận: cấp từ chúng là gia hạn." en="These evaluations are of products that already have a certificate: issuing from them is a renewal." />
          </p>
          <ul>
            {props.renewals.map((r) => (
              <li>
                {evaluationLabel(r.evaluation)} —{' '}
                <a href={`/admin/certificates/${r.certificate.id}/renew?evaluation=${r.evaluation.id}`}>
                  Gia hạn {r.certificate.number} / Renew
                </a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {props.ineligible && props.ineligible.length > 0 ? (
        <div class="flash warn">
          <p>
            <Bi vi="Kết quả đánh giá không dùng được để gia hạn:" en="Evaluations that cannot renew:" />
          </p>
          <ul>
            {props.ineligible.map((x) => (
              <li>
                #{x.evaluation.id} · {fmtDate(x.evaluation.evaluated_on)} — <Bi {...x.why} />
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {!blocked && options.length === 0 ? (
        <div class="flash warn">
          <Bi
            vi={renew ? 'Chưa có kết quả đánh giá lại nào đủ điều kiện (3 sao trở lên, chưa được dùng). Hãy nhập kết quả đánh giá lại trước; sau khi lưu, bạn sẽ quay lại trang này.' : 'Chưa có kết quả đánh giá nào đủ điều kiện (3 sao trở lên, chưa được dùng).'}
            en={renew ? 'No eligible re-evaluation yet (3 stars or more, not yet used). Record it first; saving brings you back here.' : 'No eligible evaluation (3 stars or more, not yet used).'}
          />{' '}
          <a class="button" href={newEvaluationHref}>
            {renew ? 'Nhập kết quả đánh giá lại / Record the re-evaluation' : 'Nhập kết quả đánh giá / Record an evaluation'}
          </a>
        </div>
      ) : null}
      {!blocked && options.length > 0 ? (
        <form method="post" action={renew ? `/admin/certificates/${renew.id}/renew` : '/admin/certificates'} class="stack card">
          <Select name="evaluationId" label={{ vi: 'Kết quả đánh giá', en: 'Evaluation' }} values={props.values} errors={props.errors} options={options} blank="— Chọn / Choose —" required />
          {renew ? (
            <p class="small">
              <a href={newEvaluationHref}>Nhập kết quả đánh giá lại khác / Record another re-evaluation</a>
            </p>
          ) : null}
          <Input name="number" label={{ vi: 'Số giấy chứng nhận', en: 'Certificate number' }} values={props.values} errors={props.errors} hint="VD / e.g. DN-OCOP-2026-101" required maxlength={40} />
          <Input name="decisionNumber" label={{ vi: 'Số quyết định công nhận', en: 'Recognising decision number' }} values={props.values} errors={props.errors} hint="VD / e.g. 1234/QĐ-UBND" required />
          <Input name="decisionDate" type="date" label={{ vi: 'Ngày quyết định', en: 'Decision date' }} values={props.values} errors={props.errors} required />
          <Input name="issuingBody" label={{ vi: 'Cơ quan công nhận', en: 'Recognising body' }} values={props.values} errors={props.errors} hint="UBND tỉnh Đồng Nai (3-4★) · Bộ Nông nghiệp và Môi trường (5★)" required />
          <Select
            name="issuingLevel"
            label={{ vi: 'Cấp công nhận', en: 'Level' }}
            values={props.values}
            errors={props.errors}
            options={[
              { value: 'province', label: 'Cấp tỉnh (3-4 sao) / Province (3-4★)' },
              { value: 'national', label: 'Trung ương (5 sao) / National (5★)' },
              { value: 'district', label: 'Cấp huyện (3 sao, trước 06/7/2025) / District (3★, before 6 Jul 2025)' },
            ]}
            required
          />
          <div>
            <button type="submit">{renew ? 'Gia hạn / Renew' : 'Cấp giấy chứng nhận / Issue'}</button>
          </div>
        </form>
      ) : null}
    </Layout>
  );
}

function RevokePage(props: { c: AdminContext; certs: CertificateListRow[]; values: FormValues; errors?: FieldErrors; confirming: boolean }) {
  const p = principalOf(props.c);
  const now = props.c.var.clock();
  const v = props.values;
  const ground = REVOCATION_GROUNDS.find((g) => g === v.ground);
  return (
    <Layout title="Thu hồi / Revoke" principal={p} current="/admin/certificates">
      <PageTitle vi={props.confirming ? 'Xác nhận thu hồi' : 'Thu hồi giấy chứng nhận'} en={props.confirming ? 'Confirm revocation' : 'Revoke certificates'} />
      <FormErrors errors={props.errors} fields={REVOKE_FIELDS} />
      <Table head={['Số GCN / Number', 'Trạng thái / State', 'Sao', 'Sản phẩm / Product', 'Chủ thể / Producer']}>
        {props.certs.map((cert) => (
          <tr>
            <td>{cert.number}</td>
            <td>
              <StateBadge state={stateOf(cert, now).state} />
            </td>
            <td>{starText(cert.stars)}</td>
            <td>{cert.product_name}</td>
            <td>{cert.producer_name}</td>
          </tr>
        ))}
      </Table>
      {props.confirming ? (
        <form method="post" action="/admin/certificates/revoke" class="stack card">
          <div class="flash warn" role="alert">
            <strong>
              <Bi vi={`Thu hồi ${props.certs.length} giấy chứng nhận theo quyết định ${v.decisionNumber ?? ''} ngày ${fmtDate(v.date)}.`} en={`Revoke ${props.certs.length} certificate(s) under decision ${v.decisionNumber ?? ''} of ${v.date ?? ''}.`} />
            </strong>{' '}
            <Bi vi={`Lý do: ${ground ? REVOCATION_GROUND_LABELS[ground].vi : ''}${v.note ? ` — ${v.note}` : ''}.`} en={`Ground: ${ground ? REVOCATION_GROUND_LABELS[ground].en : ''}.`} />{' '}
            <Bi vi="Việc thu hồi là cuối cùng, có hiệu lực ngay trên trang quét, API và danh sách trạng thái." en="Revocation is final and shows at once on scan pages, the API and the status list." />
          </div>
          {props.certs.map((cert) => (
            <input type="hidden" name="ids" value={String(cert.id)} />
          ))}
          <input type="hidden" name="decisionNumber" value={v.decisionNumber ?? ''} />
          <input type="hidden" name="date" value={v.date ?? ''} />
          <input type="hidden" name="ground" value={v.ground ?? ''} />
          <input type="hidden" name="note" value={v.note ?? ''} />
          <input type="hidden" name="confirm" value="on" />
          <div class="actions">
            <button type="submit" class="danger">
              Xác nhận thu hồi / Confirm revocation
            </button>
            <a class="button secondary" href={props.certs.length === 1 ? `/admin/certificates/${props.certs[0]!.id}` : '/admin/certificates'}>
              Hủy / Cancel
            </a>
          </div>
        </form>
      ) : (
        <form method="post" action="/admin/certificates/revoke" class="stack card">
          {props.certs.map((cert) => (
            <input type="hidden" name="ids" value={String(cert.id)} />
          ))}
          <Input name="decisionNumber" label={{ vi: 'Số quyết định thu hồi', en: 'Revocation decision number' }} values={v} errors={props.errors} required />
          <Input name="date" type="date" label={{ vi: 'Ngày quyết định thu hồi', en: 'Revocation date' }} values={v} errors={props.errors} required />
          <Select name="ground" label={{ vi: 'Lý do thu hồi', en: 'Ground' }} values={v} errors={props.errors} blank="— Chọn / Choose —" options={REVOCATION_GROUNDS.map((g) => ({ value: g, label: `${REVOCATION_GROUND_LABELS[g].vi} / ${REVOCATION_GROUND_LABELS[g].en}` }))} required />
          <TextArea name="note" label={{ vi: 'Ghi chú (bắt buộc với "Lý do khác")', en: 'Note (required for "Other")' }} values={v} errors={props.errors} />
          <div>
            <button type="submit" class="danger">
              Tiếp tục / Continue
            </button>
          </div>
        </form>
      )}
    </Layout>
  );
}

function DetailPage(props: { c: AdminContext; d: CertificateDetail; applications: RenewalApplication[] }) {
  const { c, d } = props;
  const p = principalOf(c);
  const cert = d.certificate;
  const now = c.var.clock();
  const st = stateOf(cert, now);
  const e = d.evaluation;
  const next = d.chain.find((x) => x.supersedes_id === cert.id);
  const prev = cert.supersedes_id ? d.chain.find((x) => x.id === cert.supersedes_id) : undefined;
  return (
    <Layout title={cert.number} principal={p} current="/admin/certificates">
      <PageTitle vi={`Giấy chứng nhận ${cert.number}`} en={`Certificate ${cert.number}`} />
      <Flash done={c.req.query('done')} />
      <div class="card">
        <p>
          <StateBadge state={st.state} /> <strong>{starText(cert.stars)}</strong>{' '}
          {st.state === 'valid' || st.state === 'expiring' ? <span class="muted">(còn {st.daysLeft} ngày / {st.daysLeft} days left)</span> : null}
        </p>
        <dl class="facts">
          <dt>Sản phẩm / Product</dt>
          <dd>{can(p, 'products.view') ? <a href={`/admin/products/${cert.product_id}`}>{cert.product_name}</a> : cert.product_name}</dd>
          <ProducerFacts p={p} row={cert} />
          <dt>Quyết định / Decision</dt>
          <dd>
            {cert.decision_number}, {fmtDate(cert.decision_date)} · <a href={`/admin/certificates/${cert.id}/decision`}>Bản quét / Scan (PDF)</a>
          </dd>
          <dt>Cơ quan công nhận / Body</dt>
          <dd>
            {cert.issuing_body} ({cert.issuing_level})
          </dd>
          <dt>Căn cứ / Legal basis</dt>
          <dd>{cert.legal_basis_id}</dd>
          <dt>Hiệu lực / Valid</dt>
          <dd>
            {fmtDate(cert.valid_from)} – {fmtDate(cert.valid_until)}
          </dd>
          {cert.status === 'revoked' ? (
            <>
              <dt>Thu hồi / Revoked</dt>
              <dd>
                QĐ {cert.revocation_decision_number}, {fmtDate(cert.revocation_date)} —{' '}
                {cert.revocation_ground ? REVOCATION_GROUND_LABELS[cert.revocation_ground].vi : ''}
                {cert.revocation_note ? `: ${cert.revocation_note}` : ''}
              </dd>
            </>
          ) : null}
          {prev ? (
            <>
              <dt>Thay thế cho / Supersedes</dt>
              <dd>
                <a href={`/admin/certificates/${prev.id}`}>{prev.number}</a> ({prev.stars}★)
              </dd>
            </>
          ) : null}
          {next ? (
            <>
              <dt>Được thay bằng / Superseded by</dt>
              <dd>
                <a href={`/admin/certificates/${next.id}`}>{next.number}</a> ({next.stars}★)
              </dd>
            </>
          ) : null}
          <dt>Trang công khai / Public page</dt>
          <dd>
            <a href={`/c/${encodeURIComponent(cert.number)}`}>/c/{cert.number}</a>
          </dd>
        </dl>
        {can(p, 'certificates.write') && cert.status === 'active' ? (
          <div class="actions">
            <a class="button secondary" href={`/admin/certificates/${cert.id}/renew`}>
              Gia hạn / Renew
            </a>
            <a class="button danger" href={`/admin/certificates/revoke?ids=${cert.id}`}>
              Thu hồi / Revoke
            </a>
            {can(p, 'batches.write') && !st.expired ? (
              <a class="button secondary" href={`/admin/batches/new?certificate=${cert.id}`}>
                Tạo lô mã / Issue a batch
              </a>
            ) : null}
          </div>
        ) : null}
      </div>
      <RenewalFileSection c={c} cert={cert} applications={props.applications} />

      <h2>
        <Bi vi="Chuỗi gia hạn" en="Renewal chain" />
      </h2>
      <Table head={['Số GCN / Number', 'Sao', 'Trạng thái / Status', 'Hiệu lực / Valid', 'Thay thế cho / Supersedes']}>
        {d.chain.map((x) => (
          <tr>
            <td>{x.id === cert.id ? <strong>{x.number}</strong> : <a href={`/admin/certificates/${x.id}`}>{x.number}</a>}</td>
            <td>{x.stars}★</td>
            <td>
              <StateBadge state={stateOf(x, now).state} />
            </td>
            <td>
              {fmtDate(x.valid_from)} – {fmtDate(x.valid_until)}
            </td>
            <td>{x.supersedes_id ? (d.chain.find((y) => y.id === x.supersedes_id)?.number ?? `#${x.supersedes_id}`) : '—'}</td>
          </tr>
        ))}
      </Table>

      <h2>
        <Bi vi="Kết quả đánh giá" en="Evaluation" />
      </h2>
      {e ? (
        <div class="card">
          <dl class="facts">
            <dt>Điểm / Scores</dt>
            <dd>
              A {fmtScore(e.score_a)}/40 · B {fmtScore(e.score_b)}/25 · C {fmtScore(e.score_c)}/35 · Tổng / Total <strong>{fmtScore(e.total)}</strong>/100
            </dd>
            <dt>Tiêu chí bắt buộc / Mandatory</dt>
            <dd>Đạt mức {e.mandatory_level} sao / met up to {e.mandatory_level}★</dd>
            <dt>Hạng sao / Stars</dt>
            <dd>{starText(e.stars)}</dd>
            <dt>Hội đồng / Council</dt>
            <dd>
              {COUNCIL_LEVEL_LABELS[e.council_level].vi}, {fmtDate(e.evaluated_on)}
            </dd>
            <dt>Căn cứ / Legal basis</dt>
            <dd>{e.legal_basis_id}</dd>
            {e.note ? (
              <>
                <dt>Ghi chú / Note</dt>
                <dd>{e.note}</dd>
              </>
            ) : null}
          </dl>
          {can(p, 'evaluations.view') ? (
            <p>
              <a href={`/admin/evaluations/${e.id}`}>Xem đánh giá #{e.id} / View evaluation</a>
            </p>
          ) : null}
        </div>
      ) : null}

      <h2>
        <Bi vi="Lô mã và lượt quét" en="Batches and scans" />
      </h2>
      <p>
        {fmtInt(d.scans.total)} lượt quét / scans · {fmtInt(d.scans.packages)} gói / packages · {d.scans.places} nơi / places · lần cuối / last: {fmtDateTime(d.scans.last)}
      </p>
      <Table head={['Lô / Lot', 'Ngày SX / Produced', 'HSD / Best before', 'Số lượng / Quantity', 'Lượt quét / Scans', 'Tạo lúc / Created']}>
        {d.batches.map((b) => (
          <tr>
            <td>{can(p, 'batches.view') ? <a href={`/admin/batches/${b.id}`}>{b.lot_code}</a> : b.lot_code}</td>
            <td>{fmtDate(b.production_date)}</td>
            <td>{fmtDate(b.best_before)}</td>
            <td class="num">{fmtInt(b.quantity)}</td>
            <td class="num">{fmtInt(b.scans)}</td>
            <td>{fmtDateTime(b.created_at)}</td>
          </tr>
        ))}
      </Table>

      <h2>
        <Bi vi="Nhật ký thay đổi" en="Audit trail" />
      </h2>
      <AuditTable rows={d.audit} />
    </Layout>
  );
}

function defaultsFor(e: Pick<Evaluation, 'id' | 'stars'> | undefined, today: string): FormValues {
  // Decisions are dated today, after the 2025 merger: the body follows the stars.
  const body = recognisingBody(e?.stars ?? 4);
  return { evaluationId: e ? String(e.id) : '', decisionDate: today, ...body };
}

/** Evaluations waiting for a certificate: those a first issue may use, and those of products already certified (renewals). */
async function issueChoices(c: AdminContext): Promise<{ evaluations: EvaluationListRow[]; renewals: RenewalChoice[] }> {
  const pending = await listEvaluations(c.var.db, scopeOf(c), { pending: true });
  const active = await activeCertificatesOf(c.var.db, pending.map((e) => e.product_id));
  const evaluations: EvaluationListRow[] = [];
  const renewals: RenewalChoice[] = [];
  for (const e of pending) {
    const certificate = active.get(e.product_id);
    if (certificate) renewals.push({ evaluation: e, certificate });
    else evaluations.push(e);
  }
  return { evaluations, renewals };
}

/** The renewal page's evaluations: eligible ones for the form, the others with the reason, shown first. */
async function renewalChoices(c: AdminContext, productId: number): Promise<{ eligible: Evaluation[]; ineligible: Ineligible[] }> {
  const today = todayOf(c);
  const eligible: Evaluation[] = [];
  const ineligible: Ineligible[] = [];
  for (const evaluation of await renewalEvaluations(c.var.db, productId)) {
    const why = evaluationIneligibility(evaluation, today);
    if (why) ineligible.push({ evaluation, why });
    else eligible.push(evaluation);
  }
  return { eligible, ineligible };
}

export function registerCertificatePages(r: RouteTable): void {
  r.get('/certificates', 'certificates.view', async (c) => c.html(await listPage(c)));

  r.get('/certificates/new', 'certificates.write', async (c) => {
    const { evaluations, renewals } = await issueChoices(c);
    const { evaluation: wanted } = await validQuery(c, prefillQuery('evaluation'));
    // An evaluation of a product that has a certificate leads to its renewal from the first step.
    const renewal = renewals.find((r) => r.evaluation.id === wanted);
    if (renewal) return c.redirect(`/admin/certificates/${renewal.certificate.id}/renew?evaluation=${renewal.evaluation.id}`, 303);
    const chosen = evaluations.find((e) => e.id === wanted);
    return c.html(<IssueFormPage c={c} evaluations={evaluations} renewals={renewals} values={defaultsFor(chosen, todayOf(c))} />);
  });

  r.post('/certificates', 'certificates.write', formAction({
    schema: issueForm,
    fields: ISSUE_FIELDS,
    dateField: 'decisionDate',
    page: async (c, form) => <IssueFormPage c={c} {...(await issueChoices(c))} {...form} />,
    act: async (c, input) => {
      const evaluation = await c.var.db.selectFrom('evaluations').select('product_id').where('id', '=', input.evaluationId).executeTakeFirst();
      const active = evaluation ? (await activeCertificatesOf(c.var.db, [evaluation.product_id])).get(evaluation.product_id) : undefined;
      // Never a dead end: a product that has a certificate is renewed, with the same evaluation chosen.
      if (active) return `/admin/certificates/${active.id}/renew?evaluation=${input.evaluationId}`;
      const cert = await issueCertificate(c.var.db, actorOf(principalOf(c)), input, c.var.clock());
      return `/admin/certificates/${cert.id}?done=issued`;
    },
  }));

  r.get('/certificates/revoke', 'certificates.write', async (c) => {
    const { ids } = await validQuery(c, selectionQuery);
    const certs = await certificatesByIds(c.var.db, scopeOf(c), ids);
    if (certs.length === 0) {
      throw new AppError(400, 'nothing_selected', 'Chưa chọn giấy chứng nhận nào để thu hồi.', 'No certificate selected to revoke.');
    }
    return c.html(<RevokePage c={c} certs={certs} values={{ date: todayOf(c) }} confirming={false} />);
  });

  r.post('/certificates/revoke', 'certificates.write', formAction({
    schema: revokeForm,
    fields: REVOKE_FIELDS,
    dateField: 'date',
    // The list shown with the form comes from the ids as sent, valid or not.
    load: async (c) => {
      const { data } = await readForm(c);
      const rawIds = (Array.isArray(data.ids) ? data.ids : [data.ids]).map((x) => Number(x)).filter((x) => Number.isSafeInteger(x) && x > 0 && x < 2_147_483_648);
      return certificatesByIds(c.var.db, scopeOf(c), rawIds);
    },
    page: (c, form, certs) => <RevokePage c={c} certs={certs} {...form} confirming={false} />,
    act: async (c, input, certs) => {
      if (certs.length !== new Set(input.ids).size) throw notFound();
      if (!input.confirm) return c.html(<RevokePage c={c} certs={certs} values={(await readForm(c)).values} confirming />);
      await revokeCertificates(c.var.db, actorOf(principalOf(c)), input.ids, input, c.var.clock());
      return certs.length === 1 ? `/admin/certificates/${certs[0]!.id}?done=revoked` : '/admin/certificates?done=revoked';
    },
  }));

  r.get('/certificates/:id{[0-9]+}', 'certificates.view', async (c) => {
    const d = await scopedRecord(c, certificateDetail);
    return c.html(<DetailPage c={c} d={d} applications={await renewalApplications(c.var.db, d.certificate.id)} />);
  });

  r.get('/certificates/:id{[0-9]+}/renew', 'certificates.write', async (c) => {
    const cert = await scopedRecord(c, getCertificate);
    const { eligible, ineligible } = await renewalChoices(c, cert.product_id);
    // Back from recording the re-evaluation (?evaluation=…), or the newest eligible one.
    const { evaluation: wanted } = await validQuery(c, prefillQuery('evaluation'));
    const chosen = eligible.find((e) => e.id === wanted) ?? eligible[0];
    return c.html(<IssueFormPage c={c} evaluations={[]} renew={cert} renewEvaluations={eligible} ineligible={ineligible} values={defaultsFor(chosen, todayOf(c))} />);
  });

  r.post('/certificates/:id{[0-9]+}/renew', 'certificates.write', formAction({
    schema: issueForm,
    fields: ISSUE_FIELDS,
    dateField: 'decisionDate',
    load: (c) => scopedRecord(c, getCertificate),
    page: async (c, form, cert) => {
      const { eligible, ineligible } = await renewalChoices(c, cert.product_id);
      return <IssueFormPage c={c} evaluations={[]} renew={cert} renewEvaluations={eligible} ineligible={ineligible} {...form} />;
    },
    act: async (c, input, cert) => {
      const renewed = await renewCertificate(c.var.db, actorOf(principalOf(c)), cert.id, input, c.var.clock());
      return `/admin/certificates/${renewed.id}?done=renewed`;
    },
  }));
}

