// `npm run build:scanner`: the offline scanner's static files, into dist/scanner/ (served
// as the Worker's static assets on Workers, wrangler.toml [assets], and by worker/node.ts on
// Node). The app bundles the server's own modules (codes/verify.ts, public/verdict.ts, …);
// the ZXing WebAssembly is copied next to it so nothing is loaded from another origin.
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { build } from 'esbuild';

const OUT = path.resolve(process.env.SCANNER_OUT_DIR ?? 'dist/scanner');
const APP = path.join(OUT, 'kiem-tra-nhanh');
const require = createRequire(import.meta.url);

/** A square PNG drawn pixel by pixel: the service's green, a white rounded frame and a check mark. */
function icon(size: number): Buffer {
  const raw = Buffer.alloc((size * 3 + 1) * size);
  const s = (v: number) => v * size;
  const seg = (px: number, py: number, ax: number, ay: number, bx: number, by: number) => {
    const dx = bx - ax, dy = by - ay;
    const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
    return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
  };
  for (let y = 0; y < size; y++) {
    raw[y * (size * 3 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      // Maskable: everything that matters sits inside the central 80 % circle.
      const inFrame = Math.max(Math.abs(x - s(0.5)), Math.abs(y - s(0.5))) < s(0.3) && Math.max(Math.abs(x - s(0.5)), Math.abs(y - s(0.5))) > s(0.25);
      const check = Math.min(seg(x, y, s(0.36), s(0.5), s(0.46), s(0.61)), seg(x, y, s(0.46), s(0.61), s(0.66), s(0.38))) < s(0.04);
      const white = inFrame || check;
      const o = y * (size * 3 + 1) + 1 + x * 3;
      raw[o] = white ? 255 : 0x14;
      raw[o + 1] = white ? 255 : 0x53;
      raw[o + 2] = white ? 255 : 0x2d;
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

const manifest = {
  name: 'Kiểm tra nhanh hàng OCOP',
  short_name: 'Kiểm tra OCOP',
  description: 'Quét mã QR trên bao bì OCOP, kiểm tra cả khi không có mạng.',
  lang: 'vi',
  start_url: '/kiem-tra-nhanh',
  scope: '/kiem-tra-nhanh',
  display: 'standalone',
  background_color: '#f6f6f3',
  theme_color: '#14532d',
  icons: [
    { src: '/kiem-tra-nhanh/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
    { src: '/kiem-tra-nhanh/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
    { src: '/kiem-tra-nhanh/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
  ],
};

const started = Date.now();
await rm(OUT, { recursive: true, force: true });
await mkdir(APP, { recursive: true });
await build({
  entryPoints: ['worker/scanner/client/app.ts'],
  outfile: path.join(APP, 'app.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022', 'chrome100', 'safari16', 'firefox110'],
  minify: true,
  sourcemap: false,
  legalComments: 'eof',
  logLevel: 'warning',
});
await copyFile(require.resolve('zxing-wasm/reader/zxing_reader.wasm'), path.join(APP, 'zxing_reader.wasm'));
await copyFile('worker/scanner/client/app.css', path.join(APP, 'app.css'));
await writeFile(path.join(APP, 'manifest.webmanifest'), `${JSON.stringify(manifest, null, 2)}\n`);
await writeFile(path.join(APP, 'icon-192.png'), icon(192));
await writeFile(path.join(APP, 'icon-512.png'), icon(512));

// The service worker's cache name: a hash of every file it keeps (the page is rendered by
// the server and fetched network-first, so it needs no hash).
const hash = createHash('sha256');
for (const f of ['app.js', 'app.css', 'zxing_reader.wasm', 'manifest.webmanifest', 'icon-192.png', 'icon-512.png']) hash.update(await readFile(path.join(APP, f)));
hash.update(await readFile('worker/scanner/client/sw.ts'));
const buildId = hash.digest('hex').slice(0, 16);
await build({
  entryPoints: ['worker/scanner/client/sw.ts'],
  outfile: path.join(OUT, 'kiem-tra-nhanh-sw.js'),
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['es2022'],
  minify: true,
  define: { BUILD: JSON.stringify(buildId) },
  logLevel: 'warning',
});

const kb = async (f: string) => `${f} ${((await stat(path.join(OUT, f))).size / 1024).toFixed(0)} KiB`;
console.log(`scanner built in ${Date.now() - started} ms into ${path.relative(process.cwd(), OUT)}/ (build ${buildId}): ${(await Promise.all(['kiem-tra-nhanh/app.js', 'kiem-tra-nhanh/zxing_reader.wasm', 'kiem-tra-nhanh-sw.js'].map(kb))).join(', ')}`);
