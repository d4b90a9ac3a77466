import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { base64urlEncode } from './codes/base64url';
import type { AppConfig } from './config';
import { CSS, ERROR_PAGE_CSS } from './public/html';
import { NEAR_ME_PATH, NEAR_ME_SCRIPT_HASH } from './public/where-to-buy';

// The headers of every response outside the admin UI (which sets its own, admin/routes.tsx):
// the public pages, the retailer API, the admin API, the error pages. The same hono
// secureHeaders the admin uses, with:
//
// - a CSP that allows no script but the near-me page's own, by its hash and on that page
//   only (/gan-toi asks the browser for a position; where-to-buy.tsx); otherwise no public
//   page runs one (the scan page, the
//   catalogue, the certificate and product pages, /tra-cuu and /api/docs are plain HTML and
//   forms) and only the one inline stylesheet each page shell carries, by its hash;
// - no framing by anyone (frame-ancestors 'none' and X-Frame-Options DENY), so the report
//   form and the shop upload cannot be overlaid by a foreign page;
// - HSTS only when PUBLIC_BASE_URL is https (on plain-http localhost it would mean nothing);
// - CORP cross-origin on the open API, so a retailer's page may read it as CORS allows.

async function sha256Source(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  // CSP wants standard base64 with padding: 32 bytes are 43 characters and one '='.
  const b64 = base64urlEncode(new Uint8Array(digest)).replace(/-/g, '+').replace(/_/g, '/');
  return `'sha256-${b64}='`;
}

let styleHashes: string | null = null;
let styleHashing: Promise<string> | null = null;

/** The hashes of the inline stylesheets (public pages, error page), computed once per process. */
async function inlineStyleSources(): Promise<string> {
  if (styleHashes) return styleHashes;
  styleHashing ??= Promise.all([CSS, ERROR_PAGE_CSS].map(sha256Source)).then((h) => (styleHashes = h.join(' ')));
  return styleHashing;
}

/** The public pages' policy; `styleSrc` is filled with the stylesheet hashes at request time. */
export const PUBLIC_CSP = {
  defaultSrc: ["'none'"],
  styleSrc: [() => styleHashes ?? "'none'"],
  imgSrc: ["'self'", 'data:'],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
};

/**
 * The offline scanner (/kiem-tra-nhanh), the one page with a script: its own bundle, its
 * WebAssembly QR reader ('wasm-unsafe-eval' compiles it; no eval of JavaScript), its data
 * from this origin, the camera stream; still nothing from any other origin.
 */
export const SCANNER_CSP = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  mediaSrc: ["'self'", 'blob:', 'mediastream:'],
  connectSrc: ["'self'"],
  manifestSrc: ["'self'"],
  workerSrc: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
};
const isScanner = (path: string) => path === '/kiem-tra-nhanh' || path.startsWith('/kiem-tra-nhanh/') || path === '/kiem-tra-nhanh-sw.js';

/** Answers that are data, not pages: nothing may load from them, nobody may frame them. */
const DATA_CSP = { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"] };

/**
 * Uploaded files (/media/…, the default share picture): nothing in them may run or load, and
 * `sandbox` treats even a PDF opened in the browser as a document of no origin; images may
 * be shown by other sites (a shared link's preview).
 */
const MEDIA_CSP = { defaultSrc: ["'none'"], sandbox: [], frameAncestors: ["'none'"] };
const isMedia = (path: string) => path.startsWith('/media/') || path === '/og-default.jpg';

const isAdminUi = (path: string) => path === '/admin' || path.startsWith('/admin/');
const isOpenApi = (path: string) => (path.startsWith('/api/') && !path.startsWith('/api/v1/admin') && path !== '/api/docs') || path.startsWith('/.well-known/');

export function securityHeaders(config: Pick<AppConfig, 'publicBaseUrl'>): MiddlewareHandler {
  const hsts = config.publicBaseUrl.startsWith('https://') ? 'max-age=31536000' : false;
  const common = { xFrameOptions: 'DENY', referrerPolicy: 'same-origin', strictTransportSecurity: hsts } as const;
  const pages = secureHeaders({ ...common, contentSecurityPolicy: PUBLIC_CSP });
  // The one page with a script: the near-me page's own, by its hash (worker/public/where-to-buy.tsx).
  const nearMe = secureHeaders({ ...common, contentSecurityPolicy: { ...PUBLIC_CSP, scriptSrc: [NEAR_ME_SCRIPT_HASH] } });
  const openApi = secureHeaders({ ...common, contentSecurityPolicy: DATA_CSP, crossOriginResourcePolicy: 'cross-origin' });
  const adminApi = secureHeaders({ ...common, contentSecurityPolicy: DATA_CSP });
  const media = secureHeaders({ ...common, contentSecurityPolicy: MEDIA_CSP, crossOriginResourcePolicy: 'cross-origin' });
  const scanner = secureHeaders({ ...common, contentSecurityPolicy: SCANNER_CSP });
  return async function publicSecurityHeaders(c, next) {
    const path = c.req.path;
    if (isAdminUi(path)) return next();
    if (isOpenApi(path)) return openApi(c, next);
    if (path.startsWith('/api/v1/admin')) return adminApi(c, next);
    if (isMedia(path)) return media(c, next);
    if (isScanner(path)) return scanner(c, next);
    await inlineStyleSources();
    return path === NEAR_ME_PATH ? nearMe(c, next) : pages(c, next);
  };
}
