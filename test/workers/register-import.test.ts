import { env, exports } from 'cloudflare:workers';
import { Zip, ZipDeflate } from 'fflate';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../worker/domain/errors';
import { readRegisterFile } from '../../worker/services/register-import';
import { simpleXlsx, templateXlsx } from '../../worker/services/register-template';

// The register import inside workerd: the readers (XLSX through fflate's streaming inflate with
// its cap, UTF-16 CSV), and the admin's upload → preview → confirm through the real Worker on
// Postgres, so "runs on Workers" is a test, not a claim.
const worker = (exports as unknown as { default: { fetch(input: string, init?: RequestInit): Promise<Response> } }).default;
const login = () => JSON.parse((env as unknown as { TEST_ADMIN_LOGIN: string }).TEST_ADMIN_LOGIN) as { email: string; password: string };
const BASE = 'https://ocop.example.vn';

async function signIn(): Promise<string> {
  const res = await worker.fetch(`${BASE}/admin/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: BASE },
    body: new URLSearchParams(login()).toString(),
  });
  expect(res.status).toBe(303);
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

/** A zip bomb built as a stream (the sheet inflates to 64 MB; only ~64 KB is ever held). */
function streamedBomb(): Uint8Array {
  const parts: Uint8Array[] = [];
  const zip = new Zip((err, chunk) => {
    if (err) throw err;
    parts.push(chunk);
  });
  const sheet = new ZipDeflate('xl/worksheets/sheet1.xml', { level: 9 });
  zip.add(sheet);
  const zeros = new Uint8Array(1024 * 1024);
  for (let i = 0; i < 64; i++) sheet.push(zeros);
  sheet.push(new Uint8Array(0), true);
  zip.end();
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

describe('register import in workerd', () => {
  it('reads the XLSX template and a UTF-16BE CSV, and refuses a zip bomb while inflating', () => {
    expect(readRegisterFile(templateXlsx(), 't.xlsx').headers.slice(0, 2)).toEqual(['Chủ thể', 'Loại hình chủ thể']);
    const text = 'Chủ thể\tTên sản phẩm\r\nHTX Điều\tHạt điều\r\n';
    const be = new Uint8Array(2 + text.length * 2);
    be.set([0xfe, 0xff]);
    for (let i = 0; i < text.length; i++) {
      be[2 + 2 * i] = text.charCodeAt(i) >> 8;
      be[3 + 2 * i] = text.charCodeAt(i) & 0xff;
    }
    expect(readRegisterFile(be, 'u16.csv').rows[1]!.cells).toEqual(['HTX Điều', 'Hạt điều']);
    const bomb = streamedBomb();
    expect(bomb.length).toBeLessThan(200_000);
    let refused: unknown;
    try {
      readRegisterFile(bomb, 'bomb.xlsx');
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).messageVi).toContain('giải nén quá lớn');
  });

  it('an official uploads, previews and confirms a register through the Worker', async () => {
    const cookie = await signIn();
    const bytes = simpleXlsx([
      ['Tên chủ thể', 'Tên SP', 'Ngày đánh giá', 'Điểm A', 'Điểm B', 'Điểm C', 'Hạng sao', 'Số GCN', 'Số QĐ', 'Ngày QĐ', 'Cơ quan cấp'],
      ['HTX Điều Workers', 'Hạt điều workerd', '12/08/2024', '31', '20', '25', '★★★★', 'WK-IMPORT-001', '501/QĐ-UBND', '01/09/2024', 'UBND tỉnh Bình Phước'],
    ]);
    const form = new FormData();
    form.append('file', new File([bytes as Uint8Array<ArrayBuffer>], 'so-workers.xlsx'));
    const up = await worker.fetch(`${BASE}/admin/import`, { method: 'POST', redirect: 'manual', body: form, headers: { origin: BASE, cookie } });
    expect(up.status).toBe(303);
    const id = up.headers.get('location')!.split('/')[3]!;
    const preview = await worker.fetch(`${BASE}/admin/import/${id}/preview`, { headers: { cookie }, redirect: 'manual' });
    const html = await preview.text();
    expect(html).toContain('<strong>1</strong> dòng: <strong>1</strong> mới');
    const sha = /SHA-256 ([0-9a-f]{64})/.exec(html)![1]!;
    const apply = await worker.fetch(`${BASE}/admin/import/${id}/apply`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ sha256: sha }), headers: { origin: BASE, cookie, 'content-type': 'application/x-www-form-urlencoded' } });
    expect(apply.status).toBe(303);
    const cert = await worker.fetch(`${BASE}/api/v1/certificates/WK-IMPORT-001`);
    expect(cert.status).toBe(200);
    expect(await cert.json()).toMatchObject({ certificate: { number: 'WK-IMPORT-001', status: 'active' } });
  });
});
