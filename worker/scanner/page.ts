// The offline scanner's page (/kiem-tra-nhanh): the app shell the service worker keeps.
// Static text only; the app script fills in the data age, the results and the list.
// The only page of the service with a script (its own CSP, security-headers.ts).

export const SCANNER_PATH = '/kiem-tra-nhanh';
/** Files built by `npm run build:scanner` into dist/scanner (served as static assets). */
export const SCANNER_ASSETS = `${SCANNER_PATH}/`;
export const SCANNER_SW = '/kiem-tra-nhanh-sw.js';

export function scannerPageHtml(): string {
  const a = SCANNER_ASSETS;
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Kiểm tra nhanh hàng OCOP · OCOP Verify</title>
<meta name="description" content="Quét mã QR trên bao bì OCOP, kiểm tra cả khi không có mạng. Scan OCOP package codes, also offline.">
<meta name="theme-color" content="#14532d">
<link rel="manifest" href="${a}manifest.webmanifest">
<link rel="icon" href="${a}icon-192.png" sizes="192x192">
<link rel="apple-touch-icon" href="${a}icon-192.png">
<link rel="stylesheet" href="${a}app.css">
<script type="module" src="${a}app.js"></script>
</head>
<body>
<header>
<h1>Kiểm tra nhanh hàng OCOP <span class="en" lang="en">Quick OCOP check</span></h1>
<p id="data-age" class="age">Đang tải dữ liệu… <span class="en" lang="en">Loading data…</span></p>
<p id="stale" class="stale" role="alert" hidden></p>
</header>
<main>
<section id="result" class="result idle" aria-live="polite" aria-atomic="true">
<h2 id="verdict">Hướng camera vào mã QR trên bao bì <span class="en" lang="en">Point the camera at the package QR code</span></h2>
<div id="detail"></div>
</section>
<div class="controls">
<button id="camera" type="button">Bật camera <span class="en" lang="en">Start camera</span></button>
<button id="refresh" type="button">Cập nhật dữ liệu <span class="en" lang="en">Update data</span></button>
</div>
<p id="reader" class="small"></p>
<video id="video" muted playsinline hidden></video>
<form id="manual">
<label for="code">Hoặc dán mã / đường dẫn trên bao bì <span class="en" lang="en">Or paste the code or link</span></label>
<input id="code" name="code" autocomplete="off" autocapitalize="characters" spellcheck="false">
<button type="submit">Kiểm tra <span class="en" lang="en">Check</span></button>
</form>
<section id="intake" aria-labelledby="intake-title">
<h2 id="intake-title">Danh sách nhận hàng <span class="en" lang="en">Intake list</span></h2>
<p id="counts">Chưa quét gói nào. <span class="en" lang="en">Nothing scanned yet.</span></p>
<ol id="rows" class="rows"></ol>
<div class="controls">
<button id="csv" type="button">Tải danh sách CSV <span class="en" lang="en">Download CSV</span></button>
<button id="clear" type="button">Xóa danh sách <span class="en" lang="en">Clear list</span></button>
</div>
</section>
<noscript><p class="stale">Trang này cần JavaScript. Hãy dùng trang <a href="/tra-cuu">tra cứu nhiều mã</a>. <span class="en" lang="en">This page needs JavaScript; use the bulk check page instead.</span></p></noscript>
</main>
<footer>
<p><a href="/tra-cuu">Kiểm tra nhiều mã bằng tệp CSV</a> · <a href="/api/docs">API cho hệ thống bán hàng</a> · <a href="/">Trang chủ</a></p>
<p class="small">Cài lên màn hình chính: mở menu trình duyệt, chọn “Thêm vào màn hình chính”. Sau một lần mở khi có mạng, ứng dụng dùng được cả khi không có mạng. <span class="en" lang="en">Install: browser menu, “Add to Home screen”. After one visit online it works offline.</span></p>
</footer>
</body>
</html>`;
}
