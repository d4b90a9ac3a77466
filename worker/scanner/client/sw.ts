// The scanner's service worker: keeps the app shell (page, script, styles, WebAssembly,
// manifest, icons) so the app opens in airplane mode. The data is not here but in
// IndexedDB, refreshed by the app itself. BUILD is replaced by a hash of the built files,
// so a new build is a new worker with a new cache, and the old cache is deleted.
declare const BUILD: string;

interface FetchEventLike extends Event {
  request: Request;
  respondWith(response: Promise<Response>): void;
}
interface ExtendableEventLike extends Event {
  waitUntil(work: Promise<unknown>): void;
}
interface WorkerScope {
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEventLike) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEventLike) => void): void;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  location: Location;
}

const scope = self as unknown as WorkerScope;
const CACHE = `kiem-tra-nhanh-${BUILD}`;
const PAGE = '/kiem-tra-nhanh';
const ASSETS = ['app.js', 'app.css', 'zxing_reader.wasm', 'manifest.webmanifest', 'icon-192.png', 'icon-512.png'].map((f) => `${PAGE}/${f}`);
const SHELL = new Set([PAGE, ...ASSETS]);
/** On a poor connection the page comes from the cache after this long. */
const PAGE_TIMEOUT_MS = 3000;

scope.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll([PAGE, ...ASSETS])).then(() => scope.skipWaiting()));
});

scope.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('kiem-tra-nhanh-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => scope.clients.claim()),
  );
});

async function pageFirstFromNetwork(request: Request): Promise<Response> {
  const cache = await caches.open(CACHE);
  try {
    const response = await Promise.race([
      fetch(request),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), PAGE_TIMEOUT_MS)),
    ]);
    if (response.ok) await cache.put(PAGE, response.clone());
    return response;
  } catch {
    const cached = await cache.match(PAGE);
    if (cached) return cached;
    throw new Error('offline and not cached');
  }
}

async function assetFromCache(request: Request, path: string): Promise<Response> {
  const cached = await caches.match(path, { cacheName: CACHE });
  return cached ?? fetch(request);
}

scope.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== scope.location.origin || !SHELL.has(url.pathname)) return;
  event.respondWith(url.pathname === PAGE ? pageFirstFromNetwork(event.request) : assetFromCache(event.request, url.pathname));
});
