import type { Lang } from './i18n';

// Plain-string HTML for the scan page, the one hot path: building JSX nodes and
// serialising them cost about a third of the server's CPU per scan. The shell (head,
// header, footer) is shared with the JSX pages (layout.tsx) so the two cannot drift.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const NEEDS_ESCAPE = /[&<>"']/;
const ESCAPE_ALL = /[&<>"']/g;

/** Text or attribute value, escaped for HTML. */
export function esc(value: string | number): string {
  const s = String(value);
  return NEEDS_ESCAPE.test(s) ? s.replace(ESCAPE_ALL, (ch) => ESCAPES[ch]!) : s;
}

// One small stylesheet inlined in every page: a phone on a slow network gets the whole
// page in one response (the scan page stays well under 30 KB with it). No JavaScript.
export const CSS = `*{box-sizing:border-box}html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:#1b1b1b;background:#f6f6f3;overflow-wrap:anywhere}
main,header.top,footer{max-width:42rem;margin:0 auto;padding:0 1rem}
header.top{display:flex;justify-content:space-between;align-items:center;gap:.5rem;padding-top:.75rem;padding-bottom:.25rem;font-size:.95rem}
header.top a{color:#1b1b1b;text-decoration:none;font-weight:600}header.top nav a{font-weight:400;text-decoration:underline;margin-left:.75rem}
a{color:#0b57a4}h1{font-size:1.45rem;line-height:1.25;margin:.4rem 0}h2{font-size:1.1rem;margin:1.4rem 0 .4rem}
.verdict{border-radius:.6rem;padding:1rem;margin:.75rem 0;border:2px solid}
.verdict h1{margin:0 0 .3rem}.verdict p{margin:.3rem 0}
.ok{background:#e7f5ea;border-color:#1d7a35;color:#0c3d19}.warn{background:#fff3dc;border-color:#a55e00;color:#4a2a00}
.bad{background:#fde9e8;border-color:#b3261e;color:#5c0f0a}.note{background:#fff3dc;border:1px solid #a55e00;border-radius:.5rem;padding:.6rem .8rem;margin:.6rem 0}
.card{background:#fff;border:1px solid #dcdcd6;border-radius:.6rem;padding:.8rem 1rem;margin:.75rem 0}.card>h2:first-child{margin-top:.2rem}
dl{margin:0;display:grid;grid-template-columns:minmax(7rem,38%) 1fr;gap:.25rem .75rem}dt{color:#555}dd{margin:0}
.stars{color:#8a6100;font-size:1.25rem;letter-spacing:.1rem;white-space:nowrap}.muted{color:#555}.small{font-size:.9rem}
ul.plain{list-style:none;padding:0;margin:0}ul.plain li{padding:.45rem 0;border-top:1px solid #e6e6e0}ul.plain li:first-child{border-top:0}
a.act{display:inline-block;padding:.4rem .75rem;margin:.2rem 0;border:1px solid #0b57a4;border-radius:.4rem;text-decoration:none;font-weight:600}
form.stack label{display:block;margin:.5rem 0 .2rem;font-weight:600}
input,select,textarea,button{font:inherit;max-width:100%}input[type=text],input[type=search],textarea,select{width:100%;padding:.5rem;border:1px solid #8a8a84;border-radius:.4rem;background:#fff}
button{padding:.55rem 1rem;border:0;border-radius:.4rem;background:#0b57a4;color:#fff;cursor:pointer;margin-top:.6rem}
.filters{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:.5rem}
.pill{display:inline-block;padding:.05rem .5rem;border-radius:1rem;font-size:.85rem;border:1px solid}
.scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:.9rem}td,th{border-bottom:1px solid #ddd;padding:.35rem;text-align:left;vertical-align:top}
code,.code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85rem;overflow-wrap:anywhere}
ol.results{list-style:none;padding:0;margin:0}li.result{border:1px solid;border-left-width:.4rem;border-radius:.5rem;padding:.5rem .75rem;margin:.6rem 0;overflow-wrap:normal;word-break:normal}
li.result p{margin:.2rem 0}li.result .code{overflow-wrap:anywhere}button.secondary{background:#fff;color:#0b57a4;border:1px solid #0b57a4}
footer{color:#555;font-size:.85rem;padding-top:1rem;padding-bottom:2rem}
img{max-width:100%;height:auto}figure.photo{margin:.75rem 0}figure.photo img{display:block;border-radius:.6rem;background:#e6e6e0}
ul.gallery{list-style:none;padding:0;margin:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(9rem,1fr));gap:.5rem}ul.gallery img{display:block;border-radius:.4rem}`;

/** The plain error page's stylesheet (worker/app.ts), here so the CSP can allow it by hash. */
export const ERROR_PAGE_CSS = 'body{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:36rem;padding:0 1rem;color:#1a1a1a}h1{font-size:1.3rem}p.en{color:#555}';

export interface OpenGraph {
  title: string;
  description: string;
  url: string;
  /** The product's main photo, else the project's default picture (worker/public/photos.ts ogImage). */
  image?: { url: string; width: number; height: number } | undefined;
}

export interface ShellProps {
  lang: Lang;
  title: string;
  /** Link to the same page in the other language. */
  switchHref: string;
  og?: OpenGraph | undefined;
  description?: string | undefined;
}

/**
 * Open Graph tags for a page rendered without its own (home, catalogue, lists, the shop and
 * docs pages): its title and description, its address and the project's default picture, so
 * every public page shared on Zalo or Facebook shows a card. Pages with their own og:image
 * (scan, product, certificate) are left as they are. `<title>` and the description are
 * already escaped in the page, so they are copied, not escaped again.
 */
export function withDefaultOpenGraph(html: string, pageUrl: string, image: { url: string; width: number; height: number }): string {
  if (html.includes('property="og:image"')) return html;
  const at = html.indexOf('<style>');
  if (at < 0) return html;
  const title = /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? 'OCOP Verify';
  const description = /<meta name="description" content="([^"]*)"\/>/.exec(html)?.[1] ?? title;
  const vi = !html.startsWith('<!doctype html><html lang="en"');
  const tags =
    `<meta property="og:type" content="website"/><meta property="og:site_name" content="OCOP Verify"/><meta property="og:title" content="${title}"/>` +
    `<meta property="og:description" content="${description}"/><meta property="og:url" content="${esc(pageUrl)}"/><meta property="og:locale" content="${vi ? 'vi_VN' : 'en_US'}"/>` +
    `<meta property="og:image" content="${esc(image.url)}"/><meta property="og:image:width" content="${image.width}"/><meta property="og:image:height" content="${image.height}"/>`;
  return html.slice(0, at) + tags + html.slice(at);
}

/** `<!doctype html>` up to and including `<main>`. */
export function pageStart(p: ShellProps): string {
  const vi = p.lang === 'vi';
  const og = p.og
    ? `<meta property="og:type" content="website"/><meta property="og:site_name" content="OCOP Verify"/><meta property="og:title" content="${esc(p.og.title)}"/><meta property="og:description" content="${esc(p.og.description)}"/><meta property="og:url" content="${esc(p.og.url)}"/><meta property="og:locale" content="${vi ? 'vi_VN' : 'en_US'}"/>${
        p.og.image ? `<meta property="og:image" content="${esc(p.og.image.url)}"/><meta property="og:image:width" content="${p.og.image.width}"/><meta property="og:image:height" content="${p.og.image.height}"/>` : ''
      }`
    : '';
  return (
    `<!doctype html><html lang="${p.lang}"><head><meta charset="utf-8"/><meta name="viewport" content="width=device-width,initial-scale=1"/>` +
    `<title>${esc(p.title)}</title>${p.description ? `<meta name="description" content="${esc(p.description)}"/>` : ''}${og}<style>${CSS}</style></head>` +
    `<body><header class="top"><a href="${vi ? '/' : '/?lang=en'}">OCOP Verify</a><nav><a href="${vi ? '/products' : '/products?lang=en'}">${vi ? 'Sản phẩm' : 'Products'}</a>` +
    `<a href="${esc(p.switchHref)}" hreflang="${vi ? 'en' : 'vi'}" lang="${vi ? 'en' : 'vi'}">${vi ? 'English' : 'Tiếng Việt'}</a></nav></header><main>`
  );
}

/** `</main>`, the footer, and the end of the document. */
export function pageEnd(lang: Lang): string {
  return `</main><footer>${
    lang === 'vi'
      ? 'Chương trình Mỗi xã một sản phẩm (OCOP) · Bình Phước (cũ), nay tỉnh Đồng Nai'
      : 'One Commune One Product (OCOP) programme · Bình Phước (former), now Đồng Nai province'
  }</footer></body></html>`;
}

/** Stars drawn as ★ (earned) and ☆ (not), with the number for screen readers. */
export function starsHtml(stars: number, lang: Lang): string {
  const n = Math.max(0, Math.min(5, Math.round(stars)));
  return `<span class="stars" role="img" aria-label="${lang === 'vi' ? `${n} sao` : `${n} stars`}">${'★'.repeat(n)}${'☆'.repeat(5 - n)}</span>`;
}
