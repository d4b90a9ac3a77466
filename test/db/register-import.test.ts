import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { strToU8 } from 'fflate';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRegister, effectiveMapping, previewRegister, readRegisterFile } from '../../worker/services/register-import';
import { sha256Hex } from '../../worker/db/register-uploads';
import { REGISTER_COLUMNS, REGISTER_FIELDS, type RegisterField } from '../../worker/domain/register-columns';
import { createTestContext, type TestContext } from '../helpers/app';
import { openTestDatabase, type TestDatabase } from '../helpers/db';
import { xlsxFile, xlsxOf, type Cell } from '../helpers/xlsx';
import { DEMO_EMAILS, get, ORIGIN, postForm, sessionFor } from './admin-support';

// Importing the existing register: a realistic province register (hundreds of rows, mixed
// new / update / error, historical expired, renewed and revoked certificates) previews row by
// row and applies in one transaction; importing it again changes nothing; hostile files are
// refused in Vietnamese and leave every table as it was; the admin's upload → mapping →
// preview → confirm round trip and the CLI do the same.

const NOW = new Date('2026-12-01T03:00:00Z');
let ctx: TestContext;
let admin: string;

beforeAll(async () => {
  ctx = await createTestContext({ seed: true, now: NOW });
  admin = await sessionFor(ctx, DEMO_EMAILS.province_admin);
}, 180_000);
afterAll(async () => {
  await ctx?.close();
});

// ---------------------------------------------------------------------------------------
// The realistic register, generated

type Row = Partial<Record<RegisterField, Cell>>;
interface Expected {
  line: number;
  status: 'new' | 'update' | 'unchanged' | 'error';
  field?: RegisterField;
}

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Điểu', 'Thị', 'Hoàng', 'Võ', 'Đặng', 'Bùi'];
const GIVEN = ['Thị Hoa', 'Văn Nam', 'Thị Lan', 'Minh Đức', 'Thanh Hương', 'Văn Khởi', 'Thị Mỹ', 'Quốc Bảo'];
const PLACES = ['Bù Đăng', 'Lộc Ninh', 'Đồng Xoài', 'Chơn Thành', 'Bù Gia Mập', 'Phú Riềng', 'Hớn Quản', 'Bình Long', 'Đồng Phú', 'Bù Đốp'];
const GOODS = ['Hạt điều rang muối', 'Tiêu đen', 'Cà phê rang xay', 'Mật ong rừng', 'Hạt điều sấy mật ong', 'Bưởi da xanh', 'Măng rừng sấy', 'Rượu cần'];
const FORMS = [
  { prefix: 'HTX', word: 'Hợp tác xã' },
  { prefix: 'Công ty TNHH', word: 'Doanh nghiệp' },
  { prefix: 'Hộ kinh doanh', word: 'Hộ kinh doanh' },
  { prefix: 'Tổ hợp tác', word: 'Tổ hợp tác' },
];
const UBND = 'UBND tỉnh Bình Phước';

/** A date cell in one of the forms offices use (the XLSX gets Excel serials as numbers). */
function dateCell(iso: string, k: number): Cell {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  switch (k % 4) {
    case 0:
      return `${String(d).padStart(2, '0')}/${String(m).padStart(2, '0')}/${y}`;
    case 1:
      return Math.round((Date.UTC(y, m - 1, d) - Date.UTC(1899, 11, 30)) / 86_400_000);
    case 2:
      return iso;
    default:
      return `${d}/${m}/${String(y).slice(2)}`;
  }
}

function starsCell(stars: number, k: number): Cell {
  return [String(stars), `${stars} sao`, '★'.repeat(stars)][k % 3]!;
}

interface Register {
  rows: Row[];
  expected: Expected[];
  /** Rows of the first import (all new), for the second file to repeat. */
}

/**
 * The province's register: `producers` producers with 1-3 products each; every fifth
 * producer's first product has a 2020 certificate (expired) renewed in 2023; every seventh's
 * second product was revoked; one product in nine is 5★ (national); regions on first products.
 */
function baseRegister(producers: number): Row[] {
  const rows: Row[] = [];
  let seq = 0;
  for (let i = 0; i < producers; i++) {
    const form = FORMS[i % 4]!;
    const person = `${FAMILY[i % FAMILY.length]} ${GIVEN[i % GIVEN.length]}`;
    const place = PLACES[i % PLACES.length]!;
    const name = form.prefix === 'Hộ kinh doanh' ? `${form.prefix} ${person} ${i}` : `${form.prefix} ${place} số ${i}`;
    const producer: Row = {
      producer_name: name,
      legal_form: i % 2 === 0 ? form.word : null,
      tax_code: i % 3 === 2 ? null : `38${String(10_000_000 + i).padStart(8, '0')}`,
      representative: person,
      address: `Ấp ${(i % 7) + 1}, xã ${place}`,
      phone: `0271 38${String(1000 + i).padStart(4, '0')}`,
    };
    const products = 1 + (i % 3);
    for (let j = 0; j < products; j++) {
      const k = i + j;
      const product = `${GOODS[(i + j) % GOODS.length]} ${place}${j > 0 ? ` loại ${j + 1}` : ''}`;
      const fiveStar = i % 9 === 4 && j === 0;
      const scores = fiveStar ? [38, 24, 30] : k % 2 === 0 ? [30, 20, 25] : [25, 15, 20];
      const stars = fiveStar ? 5 : k % 2 === 0 ? 4 : 3;
      const cert = (year: number, evaluated: string, decided: string, extra: Row = {}): Row => ({
        ...producer,
        product_name: product,
        evaluated_on: dateCell(evaluated, k),
        council_level: fiveStar ? 'Trung ương' : k % 5 === 0 ? null : 'Cấp tỉnh',
        score_a: scores[0]!,
        score_b: scores[1]!,
        score_c: scores[2]!,
        stars: starsCell(stars, k),
        certificate_number: `DN-OCOP-${year}-${String(++seq).padStart(4, '0')}`,
        decision_number: `${100 + seq}/QĐ-${fiveStar ? 'BNN' : 'UBND'}`,
        decision_date: dateCell(decided, k + 1),
        issuing_body: fiveStar ? 'Bộ Nông nghiệp và Phát triển nông thôn' : UBND,
        ...extra,
      });
      const region: Row = j === 0 ? { region: `Vùng nguyên liệu xã ${place} số ${i}`, region_area: `${10 + (i % 40)},5` } : {};
      if (i % 5 === 0 && j === 0 && !fiveStar) {
        rows.push(cert(2020, '2020-09-10', '2020-10-15', { status: 'Hết hạn', ...region }));
        rows.push(cert(2023, '2023-09-05', '2023-10-20', { status: i % 10 === 0 ? 'Còn hiệu lực' : null }));
      } else if (i % 7 === 3 && j === 1) {
        rows.push(cert(2022, '2022-03-01', '2022-04-15', { status: 'Đã thu hồi', revocation_number: `${i}/QĐ-UBND`, revocation_date: dateCell('2024-02-01', k), revocation_ground: i % 2 ? 'Vi phạm an toàn thực phẩm' : 'Ngừng sản xuất' }));
      } else {
        const year = 2021 + (k % 5);
        const evaluated = `${year}-0${1 + (k % 8)}-1${k % 9}`;
        const decided = `${year}-0${2 + (k % 8)}-2${k % 8}`;
        rows.push(cert(year, evaluated, decided, region));
      }
    }
  }
  return rows;
}

/** Rows with one mistake each, and the field the preview must name. */
function errorRows(base: Row[]): [Row, RegisterField][] {
  const sample = base[3]!;
  const other = (n: number): Row => ({ ...sample, product_name: `Sản phẩm lỗi ${n}`, certificate_number: `DN-OCOP-LOI-${n}` });
  return [
    [{ ...other(1), decision_date: '31/02/2023' }, 'decision_date'],
    [{ ...other(2), stars: '5 sao' }, 'stars'],
    [{ ...other(3), evaluated_on: '10/01/2027', decision_date: '15/03/2027' }, 'score_a'],
    [{ ...other(4), producer_name: null }, 'producer_name'],
    [{ ...other(5), producer_name: 'Cơ sở lỗi 5', tax_code: '12345' }, 'tax_code'],
    [{ ...other(6), council_level: 'Cấp tỉnh', score_a: 38, score_b: 24, score_c: 30, stars: '5' }, 'decision_date'],
    [{ ...other(7), certificate_number: base[0]!.certificate_number as string }, 'certificate_number'],
    [{ ...other(8), status: 'Đã thu hồi' }, 'revocation_number'],
    [{ ...other(9), producer_name: 'Nguyễn Văn Tèo', tax_code: null, legal_form: null, address: 'Ấp 9' }, 'legal_form'],
    [{ ...other(10), score_a: 'ba mươi' }, 'score_a'],
    [{ ...other(11), status: 'Hết hạn', decision_date: '20/11/2025', evaluated_on: '01/11/2025' }, 'status'],
    [{ ...other(12), issuing_body: 'Sở Nông nghiệp', stars: '3', score_a: 25, score_b: 15, score_c: 20, decision_date: '01/03/2025', council_level: null }, 'issuing_level'],
  ];
}

function toSheet(rows: Row[]): Cell[][] {
  return [REGISTER_FIELDS.map((f) => REGISTER_COLUMNS[f].header), ...rows.map((r) => REGISTER_FIELDS.map((f) => r[f] ?? null))];
}

/** Table contents as one fingerprint per table (row count and an md5 of the rows in id order). */
async function fingerprint(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of ['producers', 'products', 'evaluations', 'certificates', 'raw_material_regions', 'audit_log', 'register_uploads']) {
    const r = await sql<{ n: string; h: string | null }>`select count(*)::text as n, md5(coalesce(string_agg(t::text, '|' order by t.id), '')) as h from ${sql.table(table)} t`.execute(ctx.db);
    out[table] = `${r.rows[0]!.n}:${r.rows[0]!.h}`;
  }
  return out;
}

const CLI_ACTOR = { userId: null, label: 'test' };

describe('a realistic register', () => {
  const base = baseRegister(240);
  const errors = errorRows(base);
  // The first file: the base register with error rows spread through it (line = index + 2).
  const first: Row[] = [];
  const firstErrors = new Map<number, RegisterField>();
  let next = 0;
  const pushError = () => {
    const [row, field] = errors[next++]!;
    first.push(row);
    firstErrors.set(first.length + 1, field);
  };
  base.forEach((r, i) => {
    first.push(r);
    if (i % 40 === 20 && next < errors.length) pushError();
  });
  while (next < errors.length) pushError();
  const firstBytes = xlsxOf(toSheet(first));

  it('has at least 500 rows with Vietnamese text, historical expired, renewed and revoked certificates', () => {
    expect(first.length).toBeGreaterThanOrEqual(500);
    expect(firstErrors.size).toBe(errors.length);
    expect(first.filter((r) => r.status === 'Đã thu hồi' && r.revocation_number).length).toBeGreaterThan(10);
    expect(first.filter((r) => r.status === 'Hết hạn').length).toBeGreaterThan(10);
  });

  it('previews every row as new or error, with the field and a Vietnamese message, and writes nothing', async () => {
    const before = await fingerprint();
    const sheet = readRegisterFile(firstBytes, 'so-dang-ky-2025.xlsx');
    const plan = await previewRegister(ctx.db, sheet, effectiveMapping(sheet.headers, null), NOW);
    expect(plan.rows).toHaveLength(first.length);
    const errorLines = plan.rows.filter((r) => r.status === 'error');
    expect(Object.fromEntries(errorLines.map((r) => [r.line, r.errors[0]!.field]))).toEqual(Object.fromEntries(firstErrors));
    for (const r of errorLines) expect(r.errors[0]!.messageVi).toMatch(/[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]/i);
    expect(plan.counts).toEqual({ rows: first.length, new: first.length - errors.length, update: 0, unchanged: 0, error: errors.length });
    expect(await fingerprint()).toEqual(before);
  }, 120_000);

  it('applies in one transaction: records, chains of renewed certificates, revocations, audit with file name, hash and counts', async () => {
    const sheet = readRegisterFile(firstBytes, 'so-dang-ky-2025.xlsx');
    const sha = await sha256Hex(firstBytes);
    const t0 = performance.now();
    const applied = await applyRegister(ctx.db, CLI_ACTOR, { fileName: 'so-dang-ky-2025.xlsx', sha256: sha }, sheet, effectiveMapping(sheet.headers, null), NOW);
    const ms = performance.now() - t0;
    console.log(`register import: ${first.length} rows applied in ${Math.round(ms)} ms (${ctx.kind})`);
    expect(applied.written.certificates).toBe(base.length);
    expect(applied.written.producers).toBe(240);

    const renewed = await ctx.db
      .selectFrom('certificates as c')
      .innerJoin('certificates as old', 'old.id', 'c.supersedes_id')
      .select(['c.number', 'c.status', 'old.number as old_number', 'old.status as old_status', 'old.superseded_at', 'old.valid_until'])
      .where('c.number', 'like', 'DN-OCOP-2023-%')
      .execute();
    expect(renewed.length).toBe(base.filter((r) => r.status === 'Hết hạn').length);
    for (const r of renewed) {
      expect(r).toMatchObject({ status: 'active', old_status: 'superseded' });
      expect(r.old_number).toMatch(/^DN-OCOP-2020-/);
      expect(r.superseded_at!.toISOString()).toBe('2023-10-19T17:00:00.000Z');
    }
    const revoked = await ctx.db.selectFrom('certificates').selectAll().where('number', 'like', 'DN-OCOP-2022-%').where('status', '=', 'revoked').execute();
    expect(revoked.length).toBe(base.filter((r) => r.status === 'Đã thu hồi').length);
    expect(revoked.map((r) => r.revocation_ground).sort()).toContain('food_safety_violation');
    expect(revoked[0]).toMatchObject({ revocation_date: '2024-02-01' });
    const five = await ctx.db.selectFrom('certificates').selectAll().where('stars', '=', 5).where('number', 'like', 'DN-OCOP-%').execute();
    expect(five.length).toBeGreaterThan(10);
    expect(five.every((c) => c.issuing_level === 'national')).toBe(true);
    const honey = await ctx.db.selectFrom('producers').selectAll().where('tax_code', '=', '3810000000').executeTakeFirstOrThrow();
    expect(honey).toMatchObject({ legal_form: 'hop_tac_xa', address_line: 'Ấp 1, xã Bù Đăng' });
    const audit = await ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'register.import').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.after).toMatchObject({ fileName: 'so-dang-ky-2025.xlsx', sha256: sha, counts: { error: errors.length }, written: { certificates: base.length } });
    const perRecord = await ctx.db.selectFrom('audit_log').select(({ fn }) => fn.countAll<number>().as('n')).where('action', '=', 'certificate.import').executeTakeFirstOrThrow();
    expect(Number(perRecord.n)).toBe(base.length);
  }, 300_000);

  it('importing the same file again changes nothing: every valid row is unchanged', async () => {
    const sheet = readRegisterFile(firstBytes, 'so-dang-ky-2025.xlsx');
    const mapping = effectiveMapping(sheet.headers, null);
    const plan = await previewRegister(ctx.db, sheet, mapping, NOW);
    expect(plan.counts).toEqual({ rows: first.length, new: 0, update: 0, unchanged: first.length - errors.length, error: errors.length });
    const before = await fingerprint();
    const applied = await applyRegister(ctx.db, CLI_ACTOR, { fileName: 'again.xlsx', sha256: await sha256Hex(firstBytes) }, sheet, mapping, NOW);
    expect(applied.written).toEqual({ producers: 0, products: 0, evaluations: 0, certificates: 0, regions: 0 });
    const after = await fingerprint();
    // Only the import itself is recorded.
    expect({ ...after, audit_log: '' }).toEqual({ ...before, audit_log: '' });
  }, 300_000);

  it('a later register (CSV, another layout) mixes unchanged, updated, new and error rows, and applies exactly those', async () => {
    // The office's own layout: other headers, another column order, a column to ignore.
    const header = ['STT', 'Tên SP', 'Tên chủ thể', 'MST', 'Địa chỉ', 'SĐT', 'Ngày đánh giá', 'Điểm A', 'Điểm B', 'Điểm C', 'Số sao', 'Số GCN', 'Số QĐ', 'Ngày QĐ', 'Cơ quan cấp', 'Tình trạng', 'QĐ thu hồi', 'Ngày thu hồi', 'Lý do thu hồi', 'Vùng nguyên liệu', 'Diện tích (ha)'];
    const fields: (RegisterField | null)[] = [null, 'product_name', 'producer_name', 'tax_code', 'address', 'phone', 'evaluated_on', 'score_a', 'score_b', 'score_c', 'stars', 'certificate_number', 'decision_number', 'decision_date', 'issuing_body', 'status', 'revocation_number', 'revocation_date', 'revocation_ground', 'region', 'region_area'];
    const rows: string[][] = [];
    const expected: Expected['status'][] = [];
    const simple = base.filter((r) => !r.status && r.issuing_body === UBND).slice(0, 120);
    // Every tenth row's producer has a new phone number (on all its rows, as a register would).
    const newPhone = new Map(simple.filter((_, i) => i % 10 === 1).map((r, n) => [r.producer_name, `0909 000 ${String(n).padStart(3, '0')}`]));
    const pick = (r: Row) => fields.map((f, i) => (f === null ? String(i) : f === 'phone' ? (newPhone.get(r.producer_name) ?? String(r.phone ?? '')) : String(r[f] ?? '')));
    const seen = new Set<Cell | undefined>();
    simple.forEach((r, i) => {
      const firstOfChanged = newPhone.has(r.producer_name) && !seen.has(r.producer_name);
      seen.add(r.producer_name);
      if (i % 10 === 2) {
        // The certificate is revoked after the first register was made.
        rows.push(pick({ ...r, status: 'Đã thu hồi', revocation_number: `R-${i}/QĐ-UBND`, revocation_date: '05/05/2026', revocation_ground: 'Không đạt khi đánh giá lại' }));
        expected.push('update');
      } else {
        rows.push(pick(r));
        expected.push(firstOfChanged ? 'update' : 'unchanged');
      }
    });
    // New: a product of a known producer, and a renewal of a known certificate.
    const known = simple[0]!;
    rows.push(pick({ ...known, product_name: 'Sản phẩm mới năm 2026', certificate_number: 'DN-OCOP-2026-9001', evaluated_on: '01/06/2026', decision_date: '01/07/2026' }));
    expected.push('new');
    const renewal = simple[3]!;
    rows.push(pick({ ...renewal, certificate_number: 'DN-OCOP-2026-9002', evaluated_on: '02/06/2026', decision_date: '02/07/2026', decision_number: '900/QĐ-UBND', region: null, region_area: null }));
    expected.push('new');
    // Errors: an old certificate number on another product, and a changed decision date.
    rows.push(pick({ ...known, product_name: 'Sản phẩm khác', certificate_number: base.find((r) => r.status === 'Hết hạn')!.certificate_number }));
    expected.push('error');
    rows.push(pick({ ...base.find((r) => r.status === 'Còn hiệu lực')!, decision_date: '25/10/2023' }));
    expected.push('error');
    const csv = `\uFEFF${[header, ...rows].map((r) => r.map((c) => (/[;"\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(';')).join('\r\n')}\r\n`;
    const bytes = strToU8(csv);

    const sheet = readRegisterFile(bytes, 'so-2026.csv');
    const mapping = effectiveMapping(sheet.headers, null);
    expect(mapping).toEqual(fields);
    const before = await fingerprint();
    const plan = await previewRegister(ctx.db, sheet, mapping, NOW);
    expect(plan.rows.map((r) => r.status)).toEqual(expected);
    expect(plan.rows.at(-2)!.errors.map((e) => e.messageVi).join(' ')).toContain('đã dùng cho một sản phẩm khác');
    expect(plan.rows.at(-1)!.errors.map((e) => e.messageVi).join(' ')).toContain('nhập tệp không sửa giấy đã cấp');
    expect(plan.rows.find((r) => r.status === 'update' && r.changes.length === 1)!.changes).toEqual(['Cập nhật: Chủ thể: Điện thoại']);
    expect(await fingerprint()).toEqual(before);

    const applied = await applyRegister(ctx.db, CLI_ACTOR, { fileName: 'so-2026.csv', sha256: await sha256Hex(bytes) }, sheet, mapping, NOW);
    expect(applied.counts).toEqual(plan.counts);
    const renewed = await ctx.db.selectFrom('certificates').selectAll().where('number', 'in', [String(renewal.certificate_number), 'DN-OCOP-2026-9002']).orderBy('decision_date').execute();
    expect(renewed.map((c) => c.status)).toEqual(['superseded', 'active']);
    expect(renewed[1]!.supersedes_id).toBe(renewed[0]!.id);
    const revokedNow = await ctx.db.selectFrom('certificates').selectAll().where('number', '=', String(simple[2]!.certificate_number)).executeTakeFirstOrThrow();
    expect(revokedNow).toMatchObject({ status: 'revoked', revocation_ground: 'failed_reevaluation', revocation_date: '2026-05-05' });
    const again = await previewRegister(ctx.db, sheet, mapping, NOW);
    expect(again.counts).toMatchObject({ new: 0, update: 0, error: 2 });
  }, 300_000);
});

// ---------------------------------------------------------------------------------------
// Hostile files and the admin round trip

function multipart(bytes: Uint8Array, name: string, type = 'application/octet-stream'): FormData {
  const form = new FormData();
  form.append('file', new File([bytes as Uint8Array<ArrayBuffer>], name, { type }));
  return form;
}

function upload(form: FormData, cookie = admin): Promise<Response> {
  return Promise.resolve(ctx.app.request('/admin/import', { method: 'POST', body: form, headers: { origin: ORIGIN, cookie } }));
}

describe('hostile files leave the database as it was', () => {
  const header = REGISTER_FIELDS.map((f) => REGISTER_COLUMNS[f].header);
  const data = [['HTX Mới Tinh', 'Hợp tác xã', '3899999999', '', 'Ấp 1', '', 'Hạt điều mới', '10/05/2023', 'Cấp tỉnh', '30', '20', '25', '', '4', 'DN-HOSTILE-1', '1/QĐ', '30/06/2023', UBND]];
  const cases: { name: string; file: () => Uint8Array; message: RegExp }[] = [
    { name: 'zip bomb.xlsx', file: () => xlsxFile({ sheet: new Uint8Array(64 * 1024 * 1024) }), message: /giải nén quá lớn/ },
    { name: 'broken.xlsx', file: () => xlsxFile({ sheet: '<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Chủ thể</t></is></c></row></worksheet>' }), message: /Tệp XLSX bị hỏng/ },
    { name: 'entities.xlsx', file: () => xlsxFile({ sheet: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><worksheet><sheetData/></worksheet>' }), message: /Tệp XLSX bị hỏng/ },
    { name: 'cp1258.csv', file: () => new Uint8Array([...strToU8('Chu the,Ten san pham\r\nHTX '), 0xd0, 0xea, 0xd2, 0x75, ...strToU8(',Hat dieu\r\n')]), message: /không phải mã UTF-8/ },
    { name: 'utf16-no-bom.csv', file: () => new Uint8Array([...strToU8('Chủ thể,Tên sản phẩm\r\n')].flatMap((b) => [b, 0])), message: /UTF-16/ },
    { name: 'too-many.csv', file: () => strToU8(`${header.join(',')}\r\n${`${data[0]!.join(',')}\r\n`.repeat(20_001)}`), message: /quá 20000 dòng/ },
    { name: 'header-only.xlsx', file: () => xlsxOf([header]), message: /chỉ có dòng tiêu đề/ },
    { name: 'old.xls', file: () => new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), message: /không phải XLSX/ },
  ];

  for (const c of cases) {
    it(`${c.name}: refused in Vietnamese on the upload form, nothing kept or written`, async () => {
      const before = await fingerprint();
      const res = await upload(multipart(c.file(), c.name));
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toMatch(c.message);
      expect(html).toContain('enctype="multipart/form-data"');
      expect(html).not.toMatch(/at (async )?\w+ \(|node_modules/);
      expect(await fingerprint()).toEqual(before);
    }, 120_000);
  }

  it('a sheet with a million empty rows is read as its real rows', async () => {
    const rows = [header, ...data].map((r, ri) => `<row r="${ri + 1}">${r.map((v, ci) => (v ? `<c r="${String.fromCharCode(65 + ci)}${ri + 1}" t="inlineStr"><is><t>${v}</t></is></c>` : '')).join('')}</row>`).join('');
    const empty = Array.from({ length: 1_000_000 }, (_, i) => `<row r="${i + 3}"/>`).join('');
    const bytes = xlsxFile({ sheet: `<worksheet><sheetData>${rows}${empty}</sheetData></worksheet>` });
    const sheet = readRegisterFile(bytes, 'empty-rows.xlsx');
    expect(sheet.rows).toHaveLength(2);
    const plan = await previewRegister(ctx.db, sheet, effectiveMapping(sheet.headers, null), NOW);
    expect(plan.counts).toEqual({ rows: 1, new: 1, update: 0, unchanged: 0, error: 0 });
  }, 120_000);

  it('a body over 10 MB is refused with 413 before it is read', async () => {
    const before = await fingerprint();
    const res = await upload(multipart(new Uint8Array(10 * 1024 * 1024 + 100 * 1024), 'big.csv'));
    expect(res.status).toBe(413);
    expect(await res.text()).toContain('quá lớn');
    expect(await fingerprint()).toEqual(before);
  });

  it('only a province admin may import; others get 403 and an anonymous visitor the sign-in page', async () => {
    for (const role of ['auditor', 'area_officer', 'producer'] as const) {
      const cookie = await sessionFor(ctx, DEMO_EMAILS[role]);
      expect((await get(ctx, '/admin/import', cookie)).status, role).toBe(403);
      expect((await upload(multipart(xlsxOf([header, ...data]), 'x.xlsx'), cookie)).status, role).toBe(403);
    }
    const anonymous = await ctx.app.request('/admin/import', { method: 'POST', body: multipart(xlsxOf([header]), 'x.xlsx'), headers: { origin: ORIGIN } });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toContain('/admin/login');
  });
});

describe('the admin round trip', () => {
  it('templates download as XLSX and CSV with Vietnamese headers', async () => {
    const x = await get(ctx, '/admin/import/template.xlsx', admin);
    expect(x.status).toBe(200);
    expect(x.headers.get('content-disposition')).toContain('mau-so-dang-ky.xlsx');
    const xs = readRegisterFile(new Uint8Array(await x.arrayBuffer()), 't.xlsx');
    expect(xs.headers.slice(0, 3)).toEqual(['Chủ thể', 'Loại hình chủ thể', 'Mã số thuế']);
    const c = await get(ctx, '/admin/import/template.csv', admin);
    expect(c.headers.get('content-type')).toContain('text/csv');
    const bytes = new Uint8Array(await c.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM Excel needs to read UTF-8
    expect(new TextDecoder().decode(bytes).startsWith('Chủ thể,Loại hình chủ thể')).toBe(true);
  });

  it('upload → mapping (corrected by the official) → preview → confirm: written once, audited, the confirmation names the file', async () => {
    const header = ['STT', 'Cơ sở', 'Tên hàng', 'Ngày đánh giá', 'Điểm A', 'Điểm B', 'Điểm C', 'Hạng sao', 'Số GCN', 'Số QĐ', 'Ngày QĐ', 'Cơ quan cấp'];
    const rows: Cell[][] = [header, ['1', 'HTX Tiêu Lộc Hưng', 'Tiêu sọ trắng', '12/08/2024', 31, 20, 25, '★★★★', 'DN-UI-2024-001', '77/QĐ-UBND', 45536, UBND], ['2', 'HTX Tiêu Lộc Hưng', 'Tiêu đỏ', '12/08/2024', 25, 15, 20, '3 sao', 'DN-UI-2024-002', '78/QĐ-UBND', '01/09/2024', UBND]];
    const bytes = xlsxOf(rows);
    const before = await fingerprint();
    const up = await upload(multipart(bytes, 'so-huyen.xlsx'));
    expect(up.status).toBe(303);
    const mappingUrl = up.headers.get('location')!;
    expect(mappingUrl).toMatch(/^\/admin\/import\/\d+\/mapping$/);
    const id = mappingUrl.split('/')[3]!;

    // "Cơ sở" and "Tên hàng" are not known headers: the mapping page says what is missing.
    const page = await (await get(ctx, mappingUrl, admin)).text();
    expect(page).toContain('Chưa có cột nào cho &quot;Chủ thể&quot; (bắt buộc)');
    expect(page).toMatch(/<option value="stars" selected="">Hạng sao<\/option>/);
    // Nothing is previewed until the mapping is complete.
    expect((await get(ctx, `/admin/import/${id}/preview`, admin)).headers.get('location')).toBe(mappingUrl);
    const guessed = Object.fromEntries(header.map((_, i) => [`col${i}`, ['', '', '', 'evaluated_on', 'score_a', 'score_b', 'score_c', 'stars', 'certificate_number', 'decision_number', 'decision_date', 'issuing_body'][i]!]));
    const bad = await postForm(ctx, mappingUrl, admin, { ...guessed, col1: 'product_name', col2: 'product_name' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Cột 2 và cột 3 cùng được gán cho');
    const saved = await postForm(ctx, mappingUrl, admin, { ...guessed, col1: 'producer_name', col2: 'product_name' });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`/admin/import/${id}/preview`);

    const preview = await (await get(ctx, `/admin/import/${id}/preview`, admin)).text();
    expect(preview).toContain('<strong>2</strong> dòng: <strong>2</strong> mới');
    expect(preview).toContain(await sha256Hex(bytes));
    expect(preview).toContain('Giấy chứng nhận DN-UI-2024-001');
    // Still nothing written but the kept upload.
    const mid = await fingerprint();
    expect({ ...mid, register_uploads: '' }).toEqual({ ...before, register_uploads: '' });

    const wrong = await postForm(ctx, `/admin/import/${id}/apply`, admin, { sha256: '0'.repeat(64) });
    expect(wrong.status).toBe(409);
    expect(await wrong.text()).toContain('Xác nhận không khớp');
    const ok = await postForm(ctx, `/admin/import/${id}/apply`, admin, { sha256: await sha256Hex(bytes) });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe(`/admin/import/${id}`);
    const result = await (await get(ctx, `/admin/import/${id}`, admin)).text();
    expect(result).toContain('đã ghi 1 chủ thể, 2 sản phẩm, 2 kết quả đánh giá, 2 giấy chứng nhận');
    const certs = await ctx.db.selectFrom('certificates').select(['number', 'stars', 'decision_date']).where('number', 'like', 'DN-UI-2024-%').orderBy('number').execute();
    expect(certs).toEqual([{ number: 'DN-UI-2024-001', stars: 4, decision_date: '2024-09-01' }, { number: 'DN-UI-2024-002', stars: 3, decision_date: '2024-09-01' }]);
    const audit = await ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'register.import').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor_label: DEMO_EMAILS.province_admin, after: { fileName: 'so-huyen.xlsx', sha256: await sha256Hex(bytes) } });
    const kept = await ctx.db.selectFrom('register_uploads').select(['applied_at', 'size_bytes', sql<number>`length(content)`.as('kept')]).where('id', '=', Number(id)).executeTakeFirstOrThrow();
    expect(kept.applied_at).not.toBeNull();
    expect(Number(kept.kept)).toBe(0);

    // A second confirmation (a double click, a replay) is refused and writes nothing.
    const afterFirst = await fingerprint();
    const twice = await postForm(ctx, `/admin/import/${id}/apply`, admin, { sha256: await sha256Hex(bytes) });
    expect(twice.status).toBe(409);
    expect(await fingerprint()).toEqual(afterFirst);
  }, 120_000);
});

describe('uploads and their steps', () => {
  it("an upload is its uploader's alone, and broken bodies on every step are a 400, never a 500", async () => {
    const bytes = xlsxOf([['Chủ thể', 'Tên sản phẩm'], ['HTX Riêng Tư', 'Hạt điều']]);
    const up = await upload(multipart(bytes, 'rieng.xlsx'));
    const id = up.headers.get('location')!.split('/')[3]!;
    await ctx.db.insertInto('users').values({ email: 'admin2@ocop.demo', name: 'Quản trị 2', role: 'province_admin', password_hash: 'pbkdf2-sha256$1$AA$AA' }).execute();
    const other = await sessionFor(ctx, 'admin2@ocop.demo');
    for (const p of [`/admin/import/${id}`, `/admin/import/${id}/mapping`, `/admin/import/${id}/preview`]) expect((await get(ctx, p, other)).status, p).toBe(404);
    const before = await fingerprint();
    expect((await postForm(ctx, `/admin/import/${id}/apply`, other, { sha256: await sha256Hex(bytes) })).status).toBe(404);
    for (const p of ['/admin/import', `/admin/import/${id}/mapping`, `/admin/import/${id}/apply`]) {
      const res = await ctx.app.request(p, { method: 'POST', body: '--zzz\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nabc', headers: { origin: ORIGIN, cookie: admin, 'content-type': 'multipart/form-data; boundary=zzz' } });
      expect(res.status, p).toBe(400);
      expect(await res.text()).not.toMatch(/at (async )?\w+ \(|node_modules/);
    }
    expect(await fingerprint()).toEqual(before);
  });
});

// ---------------------------------------------------------------------------------------
// The command line

describe('npm run ocop -- import', () => {
  let dir: string;
  let database: TestDatabase | null = null;
  let env: Record<string, string>;
  const ocop = (...args: string[]) => {
    const res = spawnSync(path.resolve('node_modules/.bin/tsx'), ['scripts/ocop.ts', ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
    return { status: res.status, stdout: res.stdout, stderr: res.stderr };
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ocop-import-'));
    let databaseUrl = '';
    if (process.env.TEST_DATABASE_URL) {
      database = await openTestDatabase();
      databaseUrl = database.url!;
    }
    env = { DATA_DIR: dir, DATABASE_URL: databaseUrl };
    expect(ocop('migrate').status).toBe(0);
    expect(ocop('seed', '--reference-only').status).toBe(0);
  }, 180_000);
  afterAll(async () => {
    await database?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a dry run prints the preview and errors and writes nothing; --apply writes; then every row is unchanged', () => {
    const rows = baseRegister(12);
    const file = path.join(dir, 'so.xlsx');
    writeFileSync(file, xlsxOf(toSheet([...rows, { ...rows[0]!, product_name: 'Lỗi', certificate_number: 'DN-CLI-X', decision_date: '31/02/2023' }])));
    const summary = (n: number, e: number) => `${n + e} dòng: ${n} mới, 0 cập nhật, 0 không đổi, ${e} lỗi`;

    const dry = ocop('import', file);
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(summary(rows.length, 1));
    expect(dry.stdout).toMatch(/Dòng \d+ · Ngày quyết định: Ngày "31\/02\/2023" không đọc được/);
    expect(dry.stdout).toContain('Chạy thử: chưa ghi gì');
    // Nothing was written: the same dry run says the same.
    expect(ocop('import', file).stdout).toContain(summary(rows.length, 1));

    const applied = ocop('import', file, '--apply');
    expect(applied.status, applied.stderr).toBe(0);
    expect(applied.stdout).toContain(`${rows.length} giấy chứng nhận`);
    const again = ocop('import', file);
    expect(again.stdout).toContain(`${rows.length + 1} dòng: 0 mới, 0 cập nhật, ${rows.length} không đổi, 1 lỗi`);
  }, 300_000);

  it('refuses a hostile file and a wrong command line with a message and a non-zero exit', () => {
    const bomb = path.join(dir, 'bomb.xlsx');
    writeFileSync(bomb, xlsxFile({ sheet: new Uint8Array(64 * 1024 * 1024) }));
    const r = ocop('import', bomb, '--apply');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('giải nén quá lớn');
    expect(ocop('import').status).toBe(2);
    expect(ocop('import', path.join(dir, 'missing.csv')).status).toBe(1);
  }, 120_000);
});
