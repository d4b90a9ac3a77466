import { translator, type Lang } from '../public/i18n';
import { VERDICT_LABELS } from '../public/labels';
import { Layout } from '../public/layout';
import type { ItemResult } from './schemas';
import { explain } from './shop-results';

// The page for small shops: upload a CSV (or paste a list) of certificate numbers or
// package codes, get a table, or the same results back as a CSV file. A plain form POST.

export const SHOP_MAX_ROWS = 10_000;

function tone(r: ItemResult): string {
  if (r.verdict === 'genuine') return r.expiring_soon ? 'warn' : 'ok';
  return r.verdict === 'expired' ? 'warn' : 'bad';
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
      <p class="small">
        {t('Quét từng gói bằng camera điện thoại, cả khi không có mạng: ', 'Scan package by package with the phone camera, also offline: ')}
        <a href="/kiem-tra-nhanh">{t('Kiểm tra nhanh', 'Quick check')}</a>
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
        </button>{' '}
        <button type="submit" name="format" value="csv-machine" class="secondary">
          {t('CSV cho phần mềm (cột tiếng Anh)', 'CSV for software (English keys)')}
        </button>
      </form>
      {results ? (
        <section class="card shop-results" aria-labelledby="results-title">
          <h2 id="results-title">{t(`Kết quả: ${results.length} dòng`, `Results: ${results.length} rows`)}</h2>
          <p class="small">
            {[...counts.entries()].map(([v, n]) => `${VERDICT_LABELS[v as ItemResult['verdict']][lang]}: ${n}`).join(' · ')}
          </p>
          <ol class="results">
            {results.map((r) => {
              const e = explain(lang, r);
              return (
                <li class={`result ${tone(r)}`}>
                  <p class="verdict-line">
                    <strong>{e.verdict}</strong>
                  </p>
                  <p class="small">
                    <span class="code">{r.input.length > 60 ? `${r.input.slice(0, 57)}…` : r.input}</span>
                  </p>
                  {e.reason ? <p class="why">{e.reason}</p> : null}
                  {r.product ? (
                    <p>
                      {r.product.name}
                      {r.certificate ? (
                        <>
                          {' · '}
                          <a href={`/c/${encodeURIComponent(r.certificate.number)}${lang === 'en' ? '?lang=en' : ''}`}>
                            <span class="code">{r.certificate.number}</span>
                          </a>
                          {` · ${r.certificate.stars}★`}
                        </>
                      ) : null}
                    </p>
                  ) : null}
                  {r.package ? <p class="small muted">{t(`Lô ${r.package.lot_code} · gói số ${r.package.serial}`, `Lot ${r.package.lot_code} · package ${r.package.serial}`)}</p> : null}
                  {e.validity ? <p class="small">{e.validity}</p> : null}
                  {e.renewal ? <p class="small renewal">{e.renewal}</p> : null}
                </li>
              );
            })}
          </ol>
        </section>
      ) : null}
    </Layout>
  );
}
