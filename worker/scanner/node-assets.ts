// On Node, the scanner's static files (dist/scanner, built by `npm run build:scanner`) are
// read once at start and answered from memory before the app: the same files Workers serve
// from their [assets] binding. Only the files the build wrote are served (no path is ever
// joined from a request), each with its type, an ETag of its content and `no-cache`, so a
// phone revalidates and the service worker notices a new build.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { SCANNER_PATH } from './page';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.webmanifest': 'application/manifest+json',
  '.png': 'image/png',
};

interface Asset {
  body: Uint8Array<ArrayBuffer>;
  type: string;
  etag: string;
}

export const SCANNER_BUILD_HINT = 'Ứng dụng kiểm tra nhanh chưa được build / the offline scanner is not built: run `npm run build:scanner`';

/** The built files by URL path, or null when the build is missing. */
export async function loadScannerAssets(root = path.resolve('dist/scanner')): Promise<Map<string, Asset> | null> {
  const assets = new Map<string, Asset>();
  const add = async (urlPath: string, file: string) => {
    const type = TYPES[path.extname(file)];
    if (!type) return;
    const bytes = await readFile(file);
    const body = new Uint8Array(new ArrayBuffer(bytes.byteLength));
    body.set(bytes);
    assets.set(urlPath, { body, type, etag: `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 22)}"` });
  };
  try {
    for (const name of await readdir(path.join(root, 'kiem-tra-nhanh'))) await add(`${SCANNER_PATH}/${name}`, path.join(root, 'kiem-tra-nhanh', name));
    await add('/kiem-tra-nhanh-sw.js', path.join(root, 'kiem-tra-nhanh-sw.js'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return assets;
}

type Fetch = (request: Request, ...rest: never[]) => Response | Promise<Response>;

/** `fetch` with the scanner's files in front; without a build, its page says how to make one. */
export function withScannerAssets<F extends Fetch>(fetch: F, assets: Map<string, Asset> | null): F {
  const wrapped = (request: Request, ...rest: never[]) => {
    const { pathname } = new URL(request.url);
    if (!pathname.startsWith(SCANNER_PATH) || (request.method !== 'GET' && request.method !== 'HEAD')) return fetch(request, ...rest);
    if (!assets) {
      if (pathname === SCANNER_PATH || pathname.startsWith(`${SCANNER_PATH}/`) || pathname === '/kiem-tra-nhanh-sw.js') {
        return new Response(`${SCANNER_BUILD_HINT}\n`, { status: 503, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
      }
      return fetch(request, ...rest);
    }
    const asset = assets.get(pathname);
    if (!asset) return fetch(request, ...rest);
    const headers = { 'content-type': asset.type, etag: asset.etag, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff', 'cross-origin-resource-policy': 'same-origin' };
    if (request.headers.get('if-none-match') === asset.etag) return new Response(null, { status: 304, headers });
    return new Response(request.method === 'HEAD' ? null : asset.body, { status: 200, headers });
  };
  return wrapped as F;
}
