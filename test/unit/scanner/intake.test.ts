import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { countByVerdict, INTAKE_CSV_HEADER, intakeCsv, vietnamTime, type IntakeRow } from '../../../worker/scanner/intake';
import { loadScannerAssets, SCANNER_BUILD_HINT, withScannerAssets } from '../../../worker/scanner/node-assets';
import type { OfflineResult } from '../../../worker/scanner/offline-check';

const age = { trusted: true as const, ageMs: 2 * 3_600_000 };
const genuine: OfflineResult = {
  input: 'https://ocop.example.vn/v/AAAA',
  verdict: 'genuine',
  reason: null,
  warnings: ['past_best_before'],
  words: { vi: { verdict: 'Chính hãng', reason: null, validity: 'Còn hiệu lực', renewal: null }, en: { verdict: 'Genuine', reason: null, validity: 'Valid', renewal: null } },
  certificate: { number: 'BP-OCOP-2023-022', stars: 5, product: 'Hạt điều, rang muối', producer: 'Công ty "Hà Mỵ"', validUntil: '2027-12-31' },
  lot: { lotCode: 'HM-RM-01', serial: 7, bestBefore: '2026-11-30' },
  age,
};
const forged: OfflineResult = {
  ...genuine,
  input: '=HYPERLINK("http://evil")',
  verdict: 'not_genuine',
  reason: 'malformed',
  warnings: [],
  words: { vi: { verdict: 'Không xác thực được', reason: 'Mã không đúng định dạng OCOP.', validity: null, renewal: null }, en: { verdict: 'Not genuine', reason: 'x', validity: null, renewal: null } },
  certificate: null,
  lot: null,
};

describe('intake list', () => {
  const rows: IntakeRow[] = [
    { at: new Date('2026-12-01T07:05:00Z'), result: genuine, times: 2 },
    { at: new Date('2026-12-01T17:30:00Z'), result: forged, times: 1 },
  ];

  it('counts per verdict, every verdict present', () => {
    expect(countByVerdict(rows)).toEqual({ not_genuine: 1, key_withdrawn: 0, revoked: 0, expired: 0, unconfirmed: 0, genuine: 1 });
    expect(countByVerdict([])).toMatchObject({ genuine: 0, unconfirmed: 0 });
  });

  it('times are Vietnam time, whatever the machine’s zone', () => {
    expect(vietnamTime(new Date('2026-12-01T17:30:00Z'))).toBe('00:30 02/12/2026');
  });

  it('CSV: BOM, Vietnamese headers and values, dd/mm/yyyy, quoting, formulas neutralised', () => {
    const csv = intakeCsv(rows);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe(INTAKE_CSV_HEADER.join(','));
    expect(lines[0]).not.toMatch(/verdict|genuine/);
    expect(lines[1]).toBe(
      '14:05 01/12/2026,https://ocop.example.vn/v/AAAA,Chính hãng,,Lô hàng đã quá hạn sử dụng,2,BP-OCOP-2023-022,5,"Hạt điều, rang muối","Công ty ""Hà Mỵ""",HM-RM-01,7,30/11/2026,31/12/2027,cập nhật 2 giờ trước',
    );
    // A spreadsheet must show the scanned text, never run it.
    expect(lines[2]).toMatch(/^00:30 02\/12\/2026,"'=HYPERLINK\(""http:\/\/evil""\)",Không xác thực được,Mã không đúng định dạng OCOP\.,,1,/);
  });
});

describe('the scanner’s files on Node', () => {
  const app = async (req: Request) => new Response(`app ${new URL(req.url).pathname}`, { status: 404 });

  it('without a build: its paths say how to build, other paths reach the app', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'ocop-scanner-assets-'));
    try {
      expect(await loadScannerAssets(root)).toBeNull();
      const fetch = withScannerAssets(app, null);
      for (const p of ['/kiem-tra-nhanh', '/kiem-tra-nhanh/app.js', '/kiem-tra-nhanh-sw.js']) {
        const res = await fetch(new Request(`http://x${p}`));
        expect(res.status, p).toBe(503);
        expect(await res.text()).toContain('npm run build:scanner');
      }
      expect(SCANNER_BUILD_HINT).toContain('npm run build:scanner');
      expect(await (await fetch(new Request('http://x/tra-cuu'))).text()).toBe('app /tra-cuu');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('with a build: only the built files, with their types and ETags; the page and anything else go to the app', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'ocop-scanner-assets-'));
    try {
      await mkdir(path.join(root, 'kiem-tra-nhanh'));
      await writeFile(path.join(root, 'kiem-tra-nhanh', 'app.js'), 'console.log(1)');
      await writeFile(path.join(root, 'kiem-tra-nhanh', 'zxing_reader.wasm'), new Uint8Array([0, 97, 115, 109]));
      await writeFile(path.join(root, 'kiem-tra-nhanh', 'notes.txt'), 'not served');
      await writeFile(path.join(root, 'kiem-tra-nhanh-sw.js'), 'self');
      const fetch = withScannerAssets(app, await loadScannerAssets(root));
      const js = await fetch(new Request('http://x/kiem-tra-nhanh/app.js'));
      expect(js.status).toBe(200);
      expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(js.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await js.text()).toBe('console.log(1)');
      expect((await fetch(new Request('http://x/kiem-tra-nhanh/zxing_reader.wasm'))).headers.get('content-type')).toBe('application/wasm');
      expect((await fetch(new Request('http://x/kiem-tra-nhanh-sw.js'))).status).toBe(200);
      const again = await fetch(new Request('http://x/kiem-tra-nhanh/app.js', { headers: { 'if-none-match': js.headers.get('etag')! } }));
      expect(again.status).toBe(304);
      for (const p of ['/kiem-tra-nhanh', '/kiem-tra-nhanh/notes.txt', '/kiem-tra-nhanh/../package.json', '/kiem-tra-nhanh/%2e%2e/package.json']) {
        expect(await (await fetch(new Request(`http://x${p}`))).text(), p).toMatch(/^app /);
      }
      expect((await fetch(new Request('http://x/kiem-tra-nhanh/app.js', { method: 'POST' }))).status).toBe(404);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
