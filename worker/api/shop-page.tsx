import { csvField } from '../qr/csv';
import { formatDate, translator, type Lang } from '../public/i18n';
import { VERDICT_LABELS } from '../public/labels';
import { Layout } from '../public/layout';
import type { ItemResult } from './schemas';

// The page for small shops: upload a CSV (or paste a list) of certificate numbers or
// package codes, get a table, or the same results back as a CSV file. A plain form POST.

export const SHOP_MAX_ROWS = 10_000;

function tone(v: ItemResult['verdict']): string {
  return v === 'genuine' ? 'ok' : v === 'expired' ? 'warn' : 'bad';
}

export function ShopPage(props: { lang: Lang; switchHref: string; results?: ItemResult[] | undefined; error?: string | undefined }) {
  const { lang, results } = props;
  const t = translator(lang);
  const counts = new Map<string, number>();
  for (const r of results ?? []) counts.set(r.verdict, (counts.get(r.verdict) ?? 0) + 1);
  return (
    <Layout lang={lang} title={t('Tra cứu nhiều mã OCOP bằng tệp CSV', 'Check many OCOP codes with a CSV file')} switchHref={props.switchHref}>
      <h1>{t('Tra cứu nhiều mã bằng tệp CSV', 'Check many codes with a CSV file')}</h1>
      <p>
        {t(
          `Mỗi dòng một số giấy chứng nhận hoặc một mã QR trên bao bì (cột đầu tiên), tối đa ${SHOP_MAX_ROWS.toLocaleString('vi-VN')} dòng. Dòng tiêu đề (không có chữ số) được bỏ qua.`,
          `One certificate number or package QR code per row (first column), at most ${SHOP_MAX_ROWS.toLocaleString('en-US')} rows. A header row (no digits) is skipped.`,
        )}
      </p>
      {props.error ? (
        <p class="verdict bad" role="alert">
          {props.error}
        </p>
      ) : null}
      <form class="card stack" method="post" action={lang === 'en' ? '/tra-cuu?lang=en' : '/tra-cuu'} enctype="multipart/form-data">
        <label for="file">{t('Tệp CSV', 'CSV file')}</label>
        <input id="file" type="file" name="file" accept=".csv,.txt,text/csv,text/plain" />
        <label for="list">{t('Hoặc dán danh sách', 'Or paste a list')}</label>
        <textarea id="list" name="list" rows={4} placeholder="BP-OCOP-2023-010"></textarea>
        <button type="submit" name="format" value="html">
          {t('Xem kết quả', 'Show results')}
        </button>{' '}
        <button type="submit" name="format" value="csv">
          {t('Tải kết quả CSV', 'Download results as CSV')}
        </button>
      </form>
      {results ? (
        <section class="card">
          <h2>{t(`Kết quả: ${results.length} dòng`, `Results: ${results.length} rows`)}</h2>
          <p class="small">
            {[...counts.entries()].map(([v, n]) => `${VERDICT_LABELS[v as ItemResult['verdict']][lang]}: ${n}`).join(' · ')}
          </p>
          <div class="scroll">
            <table>
              <thead>
                <tr>
                  <th>#</th>
                  <th>{t('Mã / số', 'Code / number')}</th>
                  <th>{t('Kết quả', 'Verdict')}</th>
                  <th>{t('Sản phẩm', 'Product')}</th>
                  <th>{t('Hiệu lực đến', 'Valid until')}</th>
                </tr>
              </thead>
              <tbody>
                {results.map((r, i) => (
                  <tr>
                    <td>{i + 1}</td>
                    <td class="code">{r.input.length > 40 ? `${r.input.slice(0, 37)}…` : r.input}</td>
                    <td>
                      <span class={`pill ${tone(r.verdict)}`}>{VERDICT_LABELS[r.verdict][lang]}</span>
                    </td>
                    <td>
                      {r.product ? r.product.name : '—'}
                      {r.certificate ? ` · ${r.certificate.number} · ${r.certificate.stars}★` : ''}
                    </td>
                    <td>{r.certificate ? formatDate(lang, r.certificate.valid_until) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </Layout>
  );
}

const CSV_HEADER = ['input', 'verdict', 'reason', 'certificate_number', 'stars', 'state', 'valid_until', 'product', 'producer', 'lot_code', 'serial'];

/** The results as CSV (UTF-8 with BOM so Excel reads Vietnamese), formula-guarded. */
export function resultsCsv(results: readonly ItemResult[]): string {
  const lines = [CSV_HEADER.join(',')];
  for (const r of results) {
    lines.push(
      [
        r.input, r.verdict, r.reason ?? '', r.certificate?.number ?? '', r.certificate ? String(r.certificate.stars) : '',
        r.certificate?.state ?? '', r.certificate?.valid_until ?? '', r.product?.name ?? '', r.producer?.name ?? '',
        r.package?.lot_code ?? '', r.package ? String(r.package.serial) : '',
      ]
        .map(csvField)
        .join(','),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
