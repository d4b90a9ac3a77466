import { listSigningKeys, type SigningKeyRow, withdrawSigningKey } from '../../worker/db/keys';
import { KEY_STATUS_LABELS } from '../../worker/domain/vocabulary';
import { actorOf, principalOf, type AdminContext } from '../context';
import { formAction } from '../actions';
import { withdrawKeyForm, type FieldErrors } from '../forms';
import { can } from '../permissions';
import { notFound, readForm } from '../request';
import type { RouteTable } from '../route-table';
import { Bi, Flash, FormErrors, Table, TextArea, type FormValues } from '../ui/components';
import { bilingualText, fmtDateTime, fmtInt } from '../ui/format';
import { Layout, PageTitle } from '../ui/layout';

const STATUS = bilingualText(KEY_STATUS_LABELS);

function signingKid(c: AdminContext): string | null {
  try {
    return c.var.keys.signer().kid;
  } catch {
    return null;
  }
}

async function keysPage(c: AdminContext) {
  const p = principalOf(c);
  const rows = await listSigningKeys(c.var.db);
  const signing = signingKid(c);
  return (
    <Layout title="Khóa ký / Signing keys" principal={p} current="/admin/keys">
      <PageTitle vi="Khóa ký mã gói" en="Package signing keys" />
      <Flash done={c.req.query('done')} />
      <p class="muted">
        <Bi
          vi="Khóa bí mật không bao giờ nằm trong cơ sở dữ liệu. Xoay vòng khóa: chạy `npm run ocop -- keys rotate` (Node) hoặc cập nhật bí mật SIGNING_KEYS (Workers); khóa cũ vẫn xác minh mã đã ký. Thu hồi khóa khi bị lộ: mọi mã do khóa đó ký sẽ không còn được xác nhận là thật."
          en="Private keys never enter the database. Rotate with `npm run ocop -- keys rotate` (Node) or the SIGNING_KEYS secret (Workers); older keys keep verifying. Withdraw a compromised key: every code it signed stops verifying as genuine."
        />
      </p>
      <p>
        <Bi vi="Khóa đang ký:" en="Signing now:" /> <strong>{signing ?? '— (không có / none)'}</strong> · <a href="/.well-known/jwks.json">JWKS</a>
      </p>
      <Table head={['Khóa / Key', 'Trạng thái / Status', 'Tạo lúc / Created', 'Lô / Batches', 'Mã / Codes', 'Thu hồi / Withdrawn', '']}>
        {rows.map((k) => (
          <tr>
            <td>
              {k.kid}
              {k.kid === signing ? ' ✎' : ''}
            </td>
            <td>{STATUS[k.status]}</td>
            <td>{fmtDateTime(k.created_at)}</td>
            <td class="num">{fmtInt(k.batches)}</td>
            <td class="num">{fmtInt(k.codes)}</td>
            <td>{k.withdrawn_at ? `${fmtDateTime(k.withdrawn_at)}: ${k.withdrawn_reason ?? ''}` : '—'}</td>
            <td>
              {can(p, 'keys.write') && k.status !== 'withdrawn' ? (
                <a class="button danger" href={`/admin/keys/${k.kid}/withdraw`}>
                  Thu hồi / Withdraw
                </a>
              ) : null}
            </td>
          </tr>
        ))}
      </Table>
    </Layout>
  );
}

function WithdrawPage(props: { c: AdminContext; signingKey: SigningKeyRow; values: FormValues; errors?: FieldErrors; confirming: boolean; signing: boolean }) {
  const k = props.signingKey;
  return (
    <Layout title={`Thu hồi ${k.kid}`} principal={principalOf(props.c)} current="/admin/keys">
      <PageTitle vi={`Thu hồi khóa ký ${k.kid}`} en={`Withdraw signing key ${k.kid}`} />
      <div class="flash warn" role="alert">
        <Bi
          vi={`${fmtInt(k.codes)} mã trong ${fmtInt(k.batches)} lô do khóa này ký sẽ bị báo "khóa đã thu hồi" khi quét, không bao giờ là "thật". Không thể hoàn tác.`}
          en={`${k.codes} codes in ${k.batches} batches signed by this key will scan as "key withdrawn", never genuine. This cannot be undone.`}
        />
        {props.signing ? (
          <>
            {' '}
            <Bi vi="Đây là khóa đang ký: cần thêm khóa mới trước khi tạo lô tiếp." en="This is the signing key: add a new key before issuing more batches." />
          </>
        ) : null}
      </div>
      <FormErrors errors={props.errors} fields={['reason', 'confirm']} />
      <form method="post" action={`/admin/keys/${k.kid}/withdraw`} class="stack card">
        {props.confirming ? (
          <>
            <p>
              <Bi vi={`Lý do: ${props.values.reason ?? ''}`} en="Reason as above." />
            </p>
            <input type="hidden" name="reason" value={props.values.reason ?? ''} />
            <input type="hidden" name="confirm" value="on" />
            <div class="actions">
              <button type="submit" class="danger">
                Xác nhận thu hồi / Confirm withdrawal
              </button>
              <a class="button secondary" href="/admin/keys">
                Hủy / Cancel
              </a>
            </div>
          </>
        ) : (
          <>
            <TextArea name="reason" label={{ vi: 'Lý do (vd: lộ khóa bí mật)', en: 'Reason (e.g. private key leaked)' }} values={props.values} errors={props.errors} required />
            <div>
              <button type="submit" class="danger">
                Tiếp tục / Continue
              </button>
            </div>
          </>
        )}
      </form>
    </Layout>
  );
}

async function findKey(c: AdminContext, kid: string): Promise<SigningKeyRow> {
  const key = (await listSigningKeys(c.var.db)).find((k) => k.kid === kid);
  if (!key) throw notFound();
  return key;
}

export function registerKeyPages(r: RouteTable): void {
  r.get('/keys', 'keys.view', async (c) => c.html(await keysPage(c)));

  r.get('/keys/:kid{ocop-[0-9]+}/withdraw', 'keys.write', async (c) => {
    const key = await findKey(c, c.req.param('kid'));
    return c.html(<WithdrawPage c={c} signingKey={key} values={{}} confirming={false} signing={signingKid(c) === key.kid} />);
  });

  r.post('/keys/:kid{ocop-[0-9]+}/withdraw', 'keys.write', formAction({
    schema: withdrawKeyForm,
    // Every rule of a withdrawal is about the key itself: shown at the top.
    fields: [],
    load: (c) => findKey(c, c.req.param('kid') ?? ''),
    page: (c, form, key) => <WithdrawPage c={c} signingKey={key} {...form} confirming={false} signing={signingKid(c) === key.kid} />,
    act: async (c, input, key) => {
      if (!input.confirm) return c.html(<WithdrawPage c={c} signingKey={key} values={(await readForm(c)).values} confirming signing={signingKid(c) === key.kid} />);
      await withdrawSigningKey(c.var.db, actorOf(principalOf(c)), key.kid, input.reason, c.var.clock());
      // This process answers the withdrawal at once; others pick it up from the table.
      c.var.keys.setStatus(key.kid, 'withdrawn');
      return '/admin/keys?done=key_withdrawn';
    },
  }));
}
