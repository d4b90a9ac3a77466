import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { KeyRing } from '../../worker/codes/keyring';
import { signPackageCode } from '../../worker/codes/sign';
import { checkOffline, loadTables, type OfflineDataset } from '../../worker/scanner/offline-check';

// The offline scanner's server half inside workerd (postgres.js over Workers sockets): its
// page with its own CSP, and a dataset on which the phone's code gives the Worker's verdicts.
// (Its static files are Workers [assets], served before the Worker: not part of this app.)
const worker = (exports as unknown as { default: { fetch(input: string, init?: RequestInit): Promise<Response> } }).default;
const bindings = env as unknown as { SIGNING_KEYS: string };

describe('offline scanner on Workers', () => {
  it('the page carries the scanner CSP (own script and WebAssembly, no other origin)', async () => {
    const res = await worker.fetch('https://ocop.example.vn/kiem-tra-nhanh');
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).not.toMatch(/https?:/);
    expect(await res.text()).toContain('<script type="module" src="/kiem-tra-nhanh/app.js">');
  });

  it('the dataset verifies codes offline with the same verdicts as the Worker', async () => {
    const res = await worker.fetch('https://ocop.example.vn/api/v1/offline-dataset');
    expect(res.status).toBe(200);
    const data = (await res.json()) as OfflineDataset;
    expect(data.batches.length).toBeGreaterThan(0);
    const tables = await loadTables(data);
    const ring = await KeyRing.fromJwkSet(JSON.parse(bindings.SIGNING_KEYS));
    for (const b of data.batches.slice(0, 6)) {
      const code = await signPackageCode(ring, b.id, 1);
      const server = ((await (await worker.fetch(`https://ocop.example.vn/api/v1/verify?code=${code}`)).json()) as { result: { verdict: string; warnings: string[] } }).result;
      const phone = await checkOffline(tables, code, new Date());
      expect({ verdict: phone.verdict, warnings: phone.warnings }, b.lot_code).toEqual({ verdict: server.verdict, warnings: server.warnings });
    }
  });
});
