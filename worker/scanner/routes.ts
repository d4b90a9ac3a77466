// The offline scanner's page. Its script, styles, WebAssembly, manifest and icons are static
// files (dist/scanner, `npm run build:scanner`): Workers serve them from the [assets] binding
// before this app runs, Node from memory (node-assets.ts).
import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { SCANNER_PATH, scannerPageHtml } from './page';

export function scannerRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const html = scannerPageHtml();
  // The shell changes only with a deploy; the service worker fetches it network-first.
  app.get(SCANNER_PATH, (c) => c.html(html, 200, { 'cache-control': 'no-cache' }));
  return app;
}
