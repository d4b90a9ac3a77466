// Photos of a product and its package (producers for their own products, officials for any
// in their scope) and the scanned decision of a certificate (province officials). Uploads
// are multipart forms; worker/media/uploads.ts checks, re-encodes, stores and audits them.
import type { Kysely } from 'kysely';
import type { Database } from '../../schema/database';
import { getCertificate, type CertificateListRow } from '../../worker/db/certificates';
import { certificateDocument, productPhotos, removePhoto, setMainPhoto, type DocumentView, type PhotoView } from '../../worker/db/media';
import { getProduct, type ProductListRow } from '../../worker/db/products';
import { ALL_SCOPE } from '../../worker/db/scope';
import { DomainError } from '../../worker/domain/errors';
import { AppError, type FieldErrors } from '../../worker/errors';
import { uploadDecision, uploadPhoto, MAX_IMAGE_BYTES, MAX_PDF_BYTES } from '../../worker/media/uploads';
import { actorOf, principalOf, scopeOf, type AdminContext } from '../context';
import { can } from '../permissions';
import { found, idParam, notFound } from '../request';
import type { RouteTable } from '../route-table';
import { ActionButton, Bi, FormErrors } from '../ui/components';
import { fmtDateTime } from '../ui/format';
import { Layout, PageTitle } from '../ui/layout';
import { mediaPath } from '../../worker/public/photos';

const PHOTO_FIELDS = ['file', 'kind', 'main'] as const;
const DECISION_FIELDS = ['file'] as const;

const DONE: Record<string, { vi: string; en: string }> = {
  photo_added: { vi: 'Đã thêm ảnh.', en: 'Photo added.' },
  photo_main: { vi: 'Đã đặt làm ảnh chính.', en: 'Set as the main photo.' },
  photo_removed: { vi: 'Đã xóa ảnh.', en: 'Photo removed.' },
  decision: { vi: 'Đã tải lên quyết định.', en: 'Decision uploaded.' },
};

function Done(props: { c: AdminContext }) {
  const m = DONE[props.c.req.query('done') ?? ''];
  return m ? (
    <div class="flash ok" role="status">
      <Bi {...m} />
    </div>
  ) : null;
}

/**
 * The product the path names, within the caller's scope. Someone who may write photos but
 * names another producer's product is told so (403), not shown the page.
 */
async function scopedProduct(c: AdminContext): Promise<ProductListRow> {
  const id = idParam(c.req.param('id'));
  const product = await getProduct(c.var.db, scopeOf(c), id);
  if (product) return product;
  if (await getProduct(c.var.db, ALL_SCOPE, id)) throw new DomainError('forbidden', 'This product is outside your scope', 'Sản phẩm này không thuộc phạm vi của bạn');
  throw notFound();
}

function FileError(props: { errors?: FieldErrors | undefined }) {
  const m = props.errors?.['file'];
  return m ? (
    <p class="error" id="file-error" role="alert">
      {m}
    </p>
  ) : null;
}

function PhotosPage(props: { c: AdminContext; product: ProductListRow; photos: PhotoView[]; errors?: FieldErrors | undefined }) {
  const { c, product, photos } = props;
  const p = principalOf(c);
  const writable = can(p, 'photos.write');
  return (
    <Layout title={`Ảnh / Photos · ${product.name}`} principal={p} current="/admin/products">
      <PageTitle vi={`Ảnh sản phẩm: ${product.name}`} en="Product and package photos" />
      <p>
        <a href={`/admin/products/${product.id}`}>← {product.name}</a> · <a href={`/p/${product.slug}`}>Trang công khai / Public page</a>
      </p>
      <Done c={c} />
      <FormErrors errors={props.errors} fields={PHOTO_FIELDS} />
      {photos.length === 0 ? (
        <p class="muted">
          <Bi vi="Chưa có ảnh. Ảnh chính hiện trên trang quét mã để người mua so với gói hàng trong tay." en="No photos yet. The main photo shows on the scan page, so shoppers can compare it with the pack in hand." />
        </p>
      ) : (
        <ul class="photos">
          {photos.map((photo) => {
            const small = photo.renditions[0];
            return (
              <li class="card">
                {small ? <img src={mediaPath(small.sha256, 'jpg')} width={small.width} height={small.height} alt={`${product.name} (${photo.kind === 'package' ? 'bao bì' : 'sản phẩm'})`} /> : null}
                <p>
                  {photo.kind === 'package' ? <Bi vi="Bao bì" en="Package" /> : <Bi vi="Sản phẩm" en="Product" />} · {photo.width} × {photo.height}
                  {photo.isMain ? (
                    <>
                      {' · '}
                      <strong>
                        <Bi vi="Ảnh chính" en="Main photo" />
                      </strong>
                    </>
                  ) : null}
                </p>
                {writable ? (
                  <div class="actions">
                    {photo.isMain ? null : <ActionButton action={`/admin/products/${product.id}/photos/${photo.id}/main`} label={{ vi: 'Đặt làm ảnh chính', en: 'Make main' }} secondary />}
                    <ActionButton action={`/admin/products/${product.id}/photos/${photo.id}/remove`} label={{ vi: 'Xóa ảnh', en: 'Remove' }} danger />
                  </div>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
      {writable ? (
        <form method="post" action={`/admin/products/${product.id}/photos`} enctype="multipart/form-data" class="stack card">
          <h2>
            <Bi vi="Tải ảnh lên" en="Upload a photo" />
          </h2>
          <label for="file">
            <Bi vi={`Ảnh JPEG, PNG hoặc WebP, tối đa ${MAX_IMAGE_BYTES / 1024 / 1024} MB`} en={`JPEG, PNG or WebP, at most ${MAX_IMAGE_BYTES / 1024 / 1024} MB`} />
          </label>
          <input type="file" id="file" name="file" accept="image/jpeg,image/png,image/webp" required aria-describedby={props.errors?.['file'] ? 'file-error' : undefined} />
          <FileError errors={props.errors} />
          <label for="kind">
            <Bi vi="Ảnh của" en="Photo of" />
          </label>
          <select id="kind" name="kind">
            <option value="product">Sản phẩm / Product</option>
            <option value="package">Bao bì / Package</option>
          </select>
          <label>
            <input type="checkbox" name="main" value="1" /> <Bi vi="Đặt làm ảnh chính" en="Make it the main photo" />
          </label>
          <p class="muted">
            <Bi vi="Thông tin ẩn trong ảnh (vị trí GPS, máy chụp) được xóa khi lưu." en="Hidden data in the photo (GPS location, camera) is removed when it is saved." />
          </p>
          <div>
            <button type="submit">Tải lên / Upload</button>
          </div>
        </form>
      ) : null}
    </Layout>
  );
}

function DecisionPage(props: { c: AdminContext; cert: CertificateListRow; doc: DocumentView | null; errors?: FieldErrors | undefined }) {
  const { c, cert, doc } = props;
  const p = principalOf(c);
  return (
    <Layout title={`Quyết định / Decision · ${cert.number}`} principal={p} current="/admin/certificates">
      <PageTitle vi={`Quyết định công nhận: ${cert.number}`} en="Recognising decision (scan)" />
      <p>
        <a href={`/admin/certificates/${cert.id}`}>← {cert.number}</a>
      </p>
      <Done c={c} />
      <FormErrors errors={props.errors} fields={DECISION_FIELDS} />
      {doc ? (
        <p>
          <a href={mediaPath(doc.sha256, 'pdf')}>
            <Bi vi={`Bản quét quyết định ${cert.decision_number} (PDF, ${Math.ceil(doc.bytes / 1024)} KB)`} en={`Decision scan (PDF, ${Math.ceil(doc.bytes / 1024)} KB)`} />
          </a>{' '}
          <span class="muted">· {fmtDateTime(doc.uploadedAt)}</span>
        </p>
      ) : (
        <p class="muted">
          <Bi vi="Chưa có bản quét quyết định." en="No decision scan yet." />
        </p>
      )}
      {can(p, 'certificates.write') ? (
        <form method="post" action={`/admin/certificates/${cert.id}/decision`} enctype="multipart/form-data" class="stack card">
          <label for="file">
            <Bi vi={`Tệp PDF, tối đa ${MAX_PDF_BYTES / 1024 / 1024} MB${doc ? ' (thay bản hiện có)' : ''}`} en={`PDF file, at most ${MAX_PDF_BYTES / 1024 / 1024} MB${doc ? ' (replaces the current one)' : ''}`} />
          </label>
          <input type="file" id="file" name="file" accept="application/pdf" required aria-describedby={props.errors?.['file'] ? 'file-error' : undefined} />
          <FileError errors={props.errors} />
          <div>
            <button type="submit">Tải lên / Upload</button>
          </div>
        </form>
      ) : null}
    </Layout>
  );
}

/** The uploaded file of a multipart form, as bytes (empty when none was chosen). */
async function uploadedFile(c: AdminContext): Promise<{ bytes: Uint8Array; fields: Record<string, string> }> {
  let body: Record<string, string | File>;
  try {
    body = await c.req.parseBody();
  } catch (error) {
    if (error instanceof AppError) throw error; // the 413 of the body limit
    throw new AppError(400, 'invalid_form', 'Không đọc được biểu mẫu gửi lên', 'The submitted form could not be read');
  }
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === 'string') fields[k] = v;
  const file = body['file'];
  return { bytes: file instanceof File ? new Uint8Array(await file.arrayBuffer()) : new Uint8Array(0), fields };
}

async function scopedCertificate(db: Kysely<Database>, c: AdminContext): Promise<CertificateListRow> {
  return found(await getCertificate(db, scopeOf(c), idParam(c.req.param('id'))));
}

export function registerMediaPages(r: RouteTable): void {
  r.get('/products/:id{[0-9]+}/photos', 'products.view', async (c) => {
    const product = await scopedProduct(c);
    return c.html(<PhotosPage c={c} product={product} photos={await productPhotos(c.var.db, product.id)} />);
  });

  r.post('/products/:id{[0-9]+}/photos', 'photos.write', async (c) => {
    const product = await scopedProduct(c);
    c.set('form', {
      fields: PHOTO_FIELDS,
      show: async (errors, status) => c.html(<PhotosPage c={c} product={product} photos={await productPhotos(c.var.db, product.id)} errors={errors} />, status),
    });
    const { bytes, fields } = await uploadedFile(c);
    const kind = fields['kind'] ?? 'product';
    if (kind !== 'product' && kind !== 'package') throw new AppError(400, 'invalid_input', 'Loại ảnh không hợp lệ', 'Invalid photo kind');
    await uploadPhoto(c.var.db, c.var.media.store, actorOf(principalOf(c)), { productId: product.id, kind, makeMain: fields['main'] === '1', bytes }, c.var.media.limits);
    c.var.media.invalidate();
    return c.redirect(`/admin/products/${product.id}/photos?done=photo_added`, 303);
  });

  r.post('/products/:id{[0-9]+}/photos/:photo{[0-9]+}/main', 'photos.write', async (c) => {
    const product = await scopedProduct(c);
    await setMainPhoto(c.var.db, actorOf(principalOf(c)), product.id, idParam(c.req.param('photo')));
    c.var.media.invalidate();
    return c.redirect(`/admin/products/${product.id}/photos?done=photo_main`, 303);
  });

  r.post('/products/:id{[0-9]+}/photos/:photo{[0-9]+}/remove', 'photos.write', async (c) => {
    const product = await scopedProduct(c);
    await removePhoto(c.var.db, actorOf(principalOf(c)), product.id, idParam(c.req.param('photo')));
    c.var.media.invalidate();
    return c.redirect(`/admin/products/${product.id}/photos?done=photo_removed`, 303);
  });

  r.get('/certificates/:id{[0-9]+}/decision', 'certificates.view', async (c) => {
    const cert = await scopedCertificate(c.var.db, c);
    return c.html(<DecisionPage c={c} cert={cert} doc={await certificateDocument(c.var.db, cert.id)} />);
  });

  r.post('/certificates/:id{[0-9]+}/decision', 'certificates.write', async (c) => {
    const cert = await scopedCertificate(c.var.db, c);
    c.set('form', {
      fields: DECISION_FIELDS,
      show: async (errors, status) => c.html(<DecisionPage c={c} cert={cert} doc={await certificateDocument(c.var.db, cert.id)} errors={errors} />, status),
    });
    const { bytes } = await uploadedFile(c);
    await uploadDecision(c.var.db, c.var.media.store, actorOf(principalOf(c)), cert.id, bytes);
    return c.redirect(`/admin/certificates/${cert.id}/decision?done=decision`, 303);
  });
}
