import type { Producer } from '../../schema/database';
import { getProducer, updateProducerContact } from '../../worker/db/producers';
import { formatPhone, parseVietnamesePhone } from '../../worker/domain/contact';
import { formAction } from '../actions';
import { actorOf, principalOf, scopeOf, type AdminContext } from '../context';
import { producerContactForm, type FieldErrors } from '../forms';
import { can } from '../permissions';
import { notFound, scopedRecord } from '../request';
import type { RouteTable } from '../route-table';
import { Flash, FormErrors, Input, toFormValues, type FormValues } from '../ui/components';
import { Layout, PageTitle } from '../ui/layout';

// How shoppers reach a producer from the scan and product pages (issue 11): phone, website and
// Zalo. Officials edit them with the rest of the producer; a producer, who cannot edit their
// record otherwise, edits these three on this page (permission producers.contact, scoped to
// their own record by the query). Every change is audited (producer.contact_update).

const FIELDS = ['phone', 'website', 'zalo'];

/** The three contact inputs, shared by this page and the officials' producer form. */
export function ContactInputs(props: { values: FormValues; errors?: FieldErrors | undefined }) {
  return (
    <>
      <Input name="phone" label={{ vi: 'Điện thoại (hiện trên trang quét)', en: 'Phone (shown on the scan page)' }} values={props.values} errors={props.errors} autocomplete="tel" maxlength={24} hint="Di động 0912 345 678, cố định 0271 3879 123, hoặc 1800 1234 / Mobile, landline or 1800 number" />
      <Input name="zalo" label={{ vi: 'Số Zalo', en: 'Zalo number' }} values={props.values} errors={props.errors} maxlength={24} hint="Số di động dùng cho Zalo / The mobile number of the Zalo account" />
      <Input name="website" label={{ vi: 'Trang web', en: 'Website' }} values={props.values} errors={props.errors} maxlength={200} hint="Bắt đầu bằng https:// / Starts with https://" />
    </>
  );
}

function contactValues(x: Producer): FormValues {
  const shown = (digits: string | null) => {
    const phone = digits ? parseVietnamesePhone(digits) : null;
    return phone ? formatPhone(phone) : digits;
  };
  return toFormValues({ phone: shown(x.phone), zalo: shown(x.zalo), website: x.website });
}

function ContactPage(props: { c: AdminContext; producer: Producer; values: FormValues; errors?: FieldErrors | undefined }) {
  const p = principalOf(props.c);
  const own = p.role === 'producer';
  return (
    <Layout title={`Liên hệ / Contact · ${props.producer.name}`} principal={p} current={own ? '/admin/my-contact' : '/admin/producers'}>
      <PageTitle vi={`Liên hệ: ${props.producer.name}`} en="Contact for shoppers" />
      <Flash done={props.c.req.query('done')} />
      <p>
        Người mua thấy các liên hệ này trên trang quét mã và trang sản phẩm, dưới kết quả kiểm tra: bấm để gọi, nhắn Zalo hoặc mở trang web. Để trống nếu không muốn hiển thị.
        <br />
        <span class="hint">Shoppers see these on the scan and product pages, below the verdict: tap to call, chat on Zalo or open the website. Leave blank to show none.</span>
      </p>
      <FormErrors errors={props.errors} fields={FIELDS} />
      <form method="post" action={`/admin/producers/${props.producer.id}/contact`} class="stack card">
        <ContactInputs values={props.values} errors={props.errors} />
        <div>
          <button type="submit">Lưu / Save</button>
        </div>
      </form>
    </Layout>
  );
}

export function registerProducerContactPages(r: RouteTable): void {
  // The producer's menu entry: their own record's contact page.
  r.get('/my-contact', 'producers.own_contact', async (c) => {
    const id = principalOf(c).producerId;
    if (id === null) throw notFound();
    return c.redirect(`/admin/producers/${id}/contact`, 303);
  });

  r.get('/producers/:id{[0-9]+}/contact', 'producers.contact', async (c) => {
    const producer = await scopedRecord(c, getProducer);
    return c.html(<ContactPage c={c} producer={producer} values={contactValues(producer)} />);
  });

  r.post('/producers/:id{[0-9]+}/contact', 'producers.contact', formAction({
    schema: producerContactForm,
    fields: FIELDS,
    load: async (c) => scopedRecord(c, getProducer),
    page: (c, form, producer) => <ContactPage c={c} producer={producer} {...form} />,
    act: async (c, input, producer) => {
      await updateProducerContact(c.var.db, actorOf(principalOf(c)), scopeOf(c), producer.id, input, c.var.clock());
      return can(principalOf(c), 'producers.view') ? `/admin/producers/${producer.id}?done=saved` : `/admin/producers/${producer.id}/contact?done=saved`;
    },
  }));
}
