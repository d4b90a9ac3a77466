// Served as /admin/static/admin.css so the Content-Security-Policy can forbid inline styles.
// Mobile first: one column at 360 px, wide tables scroll inside their own box, never the page.
export const ADMIN_CSS = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:#1b1f23;background:#f5f6f4}
a{color:#0b5c2e}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible{outline:3px solid #f0b400;outline-offset:1px}
header.top{background:#0b5c2e;color:#fff;padding:.5rem 1rem}
header.top a{color:#fff}
header.top .brand{font-weight:700;text-decoration:none;margin-right:1rem}
header.top .who{font-size:.85rem;opacity:.9}
header.top form{display:inline}
header.top button{background:transparent;color:#fff;border:1px solid #fff;border-radius:4px;padding:.15rem .5rem;font-size:.85rem;cursor:pointer}
nav.main{display:flex;flex-wrap:wrap;gap:.25rem .75rem;padding:.5rem 1rem;background:#e4ece6;border-bottom:1px solid #c9d6cc}
nav.main a{text-decoration:none;padding:.2rem 0}
nav.main a[aria-current=page]{font-weight:700;text-decoration:underline}
main{max-width:72rem;margin:0 auto;padding:1rem}
h1{font-size:1.4rem;margin:.25rem 0 1rem}
h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
.en,[lang=en]{color:#4a5560}
span.en{font-size:.88em}
.muted{color:#5a6570;font-size:.9rem}
.card{background:#fff;border:1px solid #d6ddd8;border-radius:6px;padding:1rem;margin:0 0 1rem}
.grid{display:grid;gap:1rem;grid-template-columns:repeat(auto-fit,minmax(15rem,1fr))}
.kpi{font-size:1.6rem;font-weight:700}
.kpi small{font-size:.9rem;font-weight:400;color:#5a6570}
.ok{color:#0b6b2f}.warn{color:#8a5300}.bad{color:#a31515}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;max-width:100%}
table{border-collapse:collapse;width:100%;background:#fff;font-size:.92rem}
th,td{border-bottom:1px solid #e0e5e1;padding:.4rem .5rem;text-align:left;vertical-align:top}
th{background:#eef2ef;font-weight:600;white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.badge{display:inline-block;padding:0 .4rem;border-radius:3px;font-size:.82rem;font-weight:600;white-space:nowrap;border:1px solid}
.badge.valid{background:#e3f4e8;color:#0b5c2e;border-color:#9fd1ae}
.badge.expiring{background:#fff4d6;color:#6b4200;border-color:#e8c46a}
.badge.expired{background:#eceff1;color:#37474f;border-color:#b0bec5}
.badge.renewal_pending{background:#fff4d6;color:#6b4200;border-color:#e8c46a}
.badge.revoked{background:#fde7e7;color:#8e1212;border-color:#efa3a3}
.badge.superseded{background:#e8eaf6;color:#283593;border-color:#9fa8da}
form.stack{display:grid;gap:.75rem;max-width:40rem}
form.inline{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end}
form.inline .field{min-width:9rem;flex:1 1 9rem}
.field label{display:block;font-weight:600;margin-bottom:.15rem}
.field .hint{display:block;font-size:.85rem;color:#5a6570}
.field .error{display:block;color:#a31515;font-size:.9rem;margin-top:.15rem}
input[type=text],input[type=email],input[type=password],input[type=number],input[type=date],input[type=search],select,textarea{width:100%;font:inherit;padding:.45rem .5rem;border:1px solid #9aa5ab;border-radius:4px;background:#fff;color:#1b1f23}
input[aria-invalid=true],select[aria-invalid=true],textarea[aria-invalid=true]{border-color:#a31515;border-width:2px}
textarea{min-height:5rem}
.check{display:flex;gap:.5rem;align-items:center}
.check input{width:1.2rem;height:1.2rem}
button,.button{display:inline-block;font:inherit;font-weight:600;padding:.5rem 1rem;border-radius:4px;border:1px solid #0b5c2e;background:#0b5c2e;color:#fff;cursor:pointer;text-decoration:none;min-height:2.5rem}
button.secondary,.button.secondary{background:#fff;color:#0b5c2e}
button.danger,.button.danger{background:#a31515;border-color:#a31515;color:#fff}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;margin:.5rem 0 1rem}
.flash{padding:.6rem .8rem;border-radius:4px;margin:0 0 1rem;border:1px solid}
.flash.ok{background:#e3f4e8;border-color:#9fd1ae;color:#0b4a25}
.flash.error{background:#fde7e7;border-color:#efa3a3;color:#7a1010}
.flash.warn{background:#fff4d6;border-color:#e8c46a;color:#5a3700}
.secret{font-family:ui-monospace,Menlo,Consolas,monospace;word-break:break-all;background:#fff;border:2px dashed #0b5c2e;padding:.75rem;font-size:1rem}
dl.facts{display:grid;grid-template-columns:minmax(10rem,16rem) minmax(0,1fr);gap:.25rem 1rem;margin:0}
dl.facts dd{min-width:0;overflow-wrap:anywhere}
.code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85rem;word-break:break-all}
dl.facts dt{font-weight:600}
dl.facts dd{margin:0}
@media (max-width:40rem){dl.facts{grid-template-columns:1fr}dl.facts dd{margin-bottom:.4rem}}
svg.chart{width:100%;height:auto;max-width:44rem;display:block}
svg.chart text{font:12px system-ui,sans-serif;fill:#1b1f23}
pre.json{white-space:pre-wrap;word-break:break-word;font-size:.8rem;background:#f7f8f7;margin:0;padding:.3rem;max-height:12rem;overflow:auto}
details summary{cursor:pointer}
.login{max-width:26rem;margin:2rem auto}
.pager{display:flex;gap:1rem;margin:.5rem 0}
.report-print h1{text-align:center;font-size:1.25rem}.report-print .report-subtitle{text-align:center;margin-top:0}.report-print table{font-size:.9rem}
@page{size:A4;margin:15mm 12mm}
@media print{.report-print{font:11pt/1.35 'Times New Roman',serif}.report-print section{break-inside:avoid-page}.report-print table{width:100%;border-collapse:collapse}.report-print th,.report-print td{border:1px solid #000;padding:2px 4px}}
@media print{header.top,nav.main,.noprint,form.inline{display:none}body{background:#fff}main{max-width:none;padding:0}.card{border:none;padding:0}a{color:inherit;text-decoration:none}}
`;
