import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { guessMapping, mappingProblems, REGISTER_FIELDS, type ColumnMapping } from '../../worker/domain/register-columns';
import { parseRegisterRow } from '../../worker/domain/register-rows';
import {
  issuingLevelFromBody, parseCertificateNumber, parseCouncilLevel, parseLegalForm, parseRegisterDate, parseRegisterStars, parseRegisterStatus, parseRevocationGround, parseTaxCode,
} from '../../worker/domain/register-values';
import { readRegisterFile } from '../../worker/services/register-import';
import { templateCsv, templateXlsx } from '../../worker/services/register-template';
import { readCsv } from '../../worker/spreadsheet/csv-read';
import { SpreadsheetError } from '../../worker/spreadsheet/read-error';
import { readXlsx } from '../../worker/spreadsheet/xlsx-read';
import { zipEntries } from '../../worker/spreadsheet/zip-read';
import { sheetParts, xlsxFile, xlsxOf } from '../helpers/xlsx';

// Reading a register file: the cell readers (dates, stars, kinds), the header mapping, the CSV
// and XLSX readers, and every hostile file the issue names (zip bomb, a million empty rows,
// broken XML, wrong encodings), each read correctly or refused in Vietnamese.

const LIMITS = { maxRows: 20_001, maxColumns: 100 };
const value = <T>(r: { ok: true; value: T } | { ok: false; messageVi: string }) => (r.ok ? r.value : `ERR ${r.messageVi}`);

function refusal(run: () => unknown): SpreadsheetError {
  try {
    run();
  } catch (error) {
    if (error instanceof SpreadsheetError) return error;
    throw error;
  }
  throw new Error('not refused');
}

describe('cell values', () => {
  it('reads the date forms offices type, day first, and refuses impossible ones in Vietnamese', () => {
    expect(value(parseRegisterDate('15/05/2023'))).toBe('2023-05-15');
    expect(value(parseRegisterDate('5/6/23'))).toBe('2023-06-05');
    expect(value(parseRegisterDate('03.04.2024'))).toBe('2024-04-03');
    expect(value(parseRegisterDate('2023-05-15'))).toBe('2023-05-15');
    expect(value(parseRegisterDate('2023-05-15T00:00:00'))).toBe('2023-05-15');
    expect(value(parseRegisterDate('44927'))).toBe('2023-01-01'); // Excel serial
    expect(value(parseRegisterDate('45061'))).toBe('2023-05-15');
    expect(value(parseRegisterDate('45061.75'))).toBe('2023-05-15'); // a date-time cell
    expect(value(parseRegisterDate('ngày 15 tháng 5 năm 2023'))).toBe('2023-05-15');
    expect(value(parseRegisterDate('15 tháng 05, 2023'))).toBe('2023-05-15');
    expect(value(parseRegisterDate('15-May-2023'))).toBe('2023-05-15');
    for (const bad of ['31/02/2023', '2023/15/05', '13/13/2023', 'hôm qua', '123', '99999', '15/05/1850']) {
      expect(value(parseRegisterDate(bad)), bad).toMatch(/^ERR .*(không đọc được|không phải ngày)/);
    }
  });

  it('reads stars as 4, "4 sao", ★★★★, "4*", "bốn sao" and refuses anything outside 1-5', () => {
    for (const s of ['4', '4 sao', '4 Sao', '★★★★', '★ ★ ★ ★', '4*', 'Bốn sao', '4.0', '4 stars']) expect(value(parseRegisterStars(s)), s).toBe(4);
    expect(value(parseRegisterStars('⭐⭐⭐'))).toBe(3);
    for (const s of ['6', '0', '★★★★★★', 'bốn mươi', 'x']) expect(String(value(parseRegisterStars(s))), s).toMatch(/^ERR/);
  });

  it('reads the Vietnamese words for kinds, levels, statuses and grounds', () => {
    expect(value(parseLegalForm('HTX'))).toBe('hop_tac_xa');
    expect(value(parseLegalForm('Hợp tác xã'))).toBe('hop_tac_xa');
    expect(value(parseLegalForm('Công ty TNHH'))).toBe('doanh_nghiep');
    expect(value(parseLegalForm('Hộ kinh doanh'))).toBe('ho_kinh_doanh');
    expect(value(parseLegalForm('Tổ hợp tác'))).toBe('to_hop_tac');
    expect(String(value(parseLegalForm('Khác')))).toMatch(/^ERR Loại hình/);
    expect(value(parseCouncilLevel('Cấp tỉnh'))).toBe('province');
    expect(value(parseCouncilLevel('Trung ương'))).toBe('national');
    expect(value(parseCouncilLevel('cap huyen'))).toBe('district');
    expect(issuingLevelFromBody('UBND tỉnh Bình Phước')).toBe('province');
    expect(issuingLevelFromBody('Bộ Nông nghiệp và Môi trường')).toBe('national');
    expect(issuingLevelFromBody('UBND huyện Bù Đăng')).toBe('district');
    expect(issuingLevelFromBody('Sở Nông nghiệp')).toBeNull();
    expect(value(parseRegisterStatus('Còn hiệu lực'))).toBe('active');
    expect(value(parseRegisterStatus('HẾT HẠN'))).toBe('expired');
    expect(value(parseRegisterStatus('Đã thu hồi'))).toBe('revoked');
    expect(value(parseRegisterStatus('Đã thay thế (gia hạn)'))).toBe('superseded');
    expect(parseRevocationGround('Vi phạm an toàn thực phẩm')).toEqual({ ground: 'food_safety_violation', note: null });
    expect(parseRevocationGround('Cơ sở ngừng sản xuất từ 2024').ground).toBe('production_stopped');
    expect(parseRevocationGround('Theo đề nghị của chủ thể')).toEqual({ ground: 'other', note: 'Theo đề nghị của chủ thể' });
    expect(value(parseTaxCode('3800 123 456'))).toBe('3800123456');
    expect(value(parseTaxCode('3800123456-001'))).toBe('3800123456-001');
    expect(String(value(parseTaxCode('12345')))).toMatch(/^ERR Mã số thuế/);
    expect(value(parseCertificateNumber(' bp-ocop-2023-010 '))).toBe('BP-OCOP-2023-010');
    expect(String(value(parseCertificateNumber('Số 12/QĐ')))).toMatch(/^ERR/);
  });
});

describe('header mapping', () => {
  it('matches an office layout by headers, ignoring case, diacritics and punctuation', () => {
    const headers = ['STT', 'Tên SP', 'CHỦ THỂ', 'Số QĐ:', 'ngay qd', 'Hạng sao', 'Mã số thuế', 'Địa chỉ', 'Số QĐ thu hồi', 'Ghi chú', 'Chủ thể'];
    expect(guessMapping(headers)).toEqual([null, 'product_name', 'producer_name', 'decision_number', 'decision_date', 'stars', 'tax_code', 'address', 'revocation_number', null, null]);
  });

  it('names what is wrong with a mapping: a field twice, a required field missing', () => {
    const m: ColumnMapping = ['product_name', 'product_name', null];
    expect(mappingProblems(m)).toEqual(['Cột 1 và cột 2 cùng được gán cho "Tên sản phẩm"', 'Chưa có cột nào cho "Chủ thể" (bắt buộc)']);
  });

  it('the templates carry every column under its Vietnamese header and read back to the same mapping', () => {
    for (const [bytes, name] of [[templateXlsx(), 't.xlsx'], [strToU8(templateCsv()), 't.csv']] as const) {
      const sheet = readRegisterFile(bytes, name);
      expect(sheet.headers[0]).toBe('Chủ thể');
      expect(guessMapping(sheet.headers)).toEqual([...REGISTER_FIELDS]);
      expect(sheet.rows[1]!.cells[6]).toBe('Hạt điều rang muối');
    }
  });
});

describe('CSV reader', () => {
  it('reads UTF-8 with a BOM, ";" separators and quoted fields holding separators and line breaks', () => {
    const text = '\uFEFFChủ thể;Tên sản phẩm;Ghi chú\r\n"HTX Điều; Bù Đăng";Hạt điều;"dòng 1\ndòng 2"\r\n\r\n;;\r\nCơ sở Mật ong;Mật ong rừng;\r\n';
    const { rows } = readCsv(strToU8(text), LIMITS);
    expect(rows).toEqual([
      { line: 1, cells: ['Chủ thể', 'Tên sản phẩm', 'Ghi chú'] },
      { line: 2, cells: ['HTX Điều; Bù Đăng', 'Hạt điều', 'dòng 1\ndòng 2'] },
      { line: 6, cells: ['Cơ sở Mật ong', 'Mật ong rừng'] },
    ]);
  });

  it('reads UTF-16 (LE and BE with their BOM) as Excel saves "Unicode text"', () => {
    const text = 'Chủ thể\tTên sản phẩm\r\nHTX Điều\tHạt điều rang muối\r\n';
    const le = new Uint8Array(2 + text.length * 2);
    le.set([0xff, 0xfe]);
    const be = new Uint8Array(2 + text.length * 2);
    be.set([0xfe, 0xff]);
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      le[2 + 2 * i] = c & 0xff;
      le[3 + 2 * i] = c >> 8;
      be[2 + 2 * i] = c >> 8;
      be[3 + 2 * i] = c & 0xff;
    }
    for (const bytes of [le, be]) expect(readCsv(bytes, LIMITS).rows[1]!.cells).toEqual(['HTX Điều', 'Hạt điều rang muối']);
  });

  it('refuses Windows-1258 (and other non-UTF-8) text and BOM-less UTF-16 with a way out, never a wrong guess', () => {
    // "Chủ thể,Tên" in Windows-1258: ủ = u + combining hook (0xD2), ể = 0xEA + 0xD2, ê = 0xEA.
    const cp1258 = new Uint8Array([0x43, 0x68, 0x75, 0xd2, 0x20, 0x74, 0x68, 0xea, 0xd2, 0x2c, 0x54, 0xea, 0x6e, 0x0d, 0x0a]);
    const e = refusal(() => readCsv(cp1258, LIMITS));
    expect(e.kind).toBe('encoding');
    expect(e.messageVi).toContain('không phải mã UTF-8');
    expect(e.messageVi).toContain('Windows-1258');
    const noBom = new Uint8Array([...strToU8('Chu the,Ten\r\n')].flatMap((b) => [b, 0]));
    expect(refusal(() => readCsv(noBom, LIMITS)).kind).toBe('encoding');
  });

  it('refuses an unclosed quote and more rows or columns than allowed', () => {
    expect(refusal(() => readCsv(strToU8('a,b\r\n"x,y\r\n'), LIMITS)).messageVi).toContain('không được đóng');
    const many = `h\r\n${'x\r\n'.repeat(20_001)}`;
    expect(refusal(() => readCsv(strToU8(many), LIMITS)).messageVi).toContain('Tệp có quá 20000 dòng dữ liệu');
    expect(refusal(() => readCsv(strToU8(`${'a,'.repeat(150)}a\r\n`), LIMITS)).kind).toBe('too_many_columns');
  });
});

describe('XLSX reader', () => {
  it('reads shared strings, numbers, inline strings, and the cached values of formulas (never the formula)', () => {
    const bytes = xlsxOf([
      ['Chủ thể', 'Tên sản phẩm', 'Hạng sao', 'Ngày QĐ'],
      ['HTX Điều & Tiêu <Bù Đăng>', 'Hạt điều', { formula: 'LEN("★★★★")', cached: 4 }, 45061],
      ['Cơ sở Mật ong', { formula: 'CONCATENATE("Mật ", "ong")', cached: 'Mật ong rừng' }, '3 sao', { formula: 'DATE(2023,5,15)+WEBSERVICE("http://x")', cached: 45061 }],
    ]);
    const { rows } = readXlsx(bytes, LIMITS);
    expect(rows.map((r) => r.cells)).toEqual([
      ['Chủ thể', 'Tên sản phẩm', 'Hạng sao', 'Ngày QĐ'],
      ['HTX Điều & Tiêu <Bù Đăng>', 'Hạt điều', '4', '45061'],
      ['Cơ sở Mật ong', 'Mật ong rừng', '3 sao', '45061'],
    ]);
    expect(JSON.stringify(rows)).not.toContain('WEBSERVICE');
  });

  it('a zip bomb (a sheet that inflates to 60 MB from ~60 KB) is refused while inflating, past the 48 MB cap', () => {
    const bomb = xlsxFile({ sheet: new Uint8Array(60 * 1024 * 1024) });
    expect(bomb.length).toBeLessThan(200_000);
    const e = refusal(() => readXlsx(bomb, LIMITS));
    expect(e.kind).toBe('inflated_too_large');
    expect(e.messageVi).toContain('giải nén quá lớn');
  });

  it('a sheet with a million empty rows reads as its few real rows, with their row numbers', () => {
    const { sheet, strings } = sheetParts([['Chủ thể', 'Tên sản phẩm'], ['HTX A', 'Hạt điều']]);
    const empty = Array.from({ length: 1_000_000 }, (_, i) => `<row r="${i + 3}"/>`).join('');
    const last = '<row r="1000003"><c r="A1000003" t="inlineStr"><is><t>HTX B</t></is></c><c r="B1000003" t="inlineStr"><is><t>Mật ong</t></is></c></row>';
    const big = sheet.replace('</sheetData>', `${empty}${last}</sheetData>`);
    const { rows } = readXlsx(xlsxFile({ sheet: big, strings }), LIMITS);
    expect(rows.map((r) => [r.line, ...r.cells])).toEqual([[1, 'Chủ thể', 'Tên sản phẩm'], [2, 'HTX A', 'Hạt điều'], [1_000_003, 'HTX B', 'Mật ong']]);
  });

  it('more than 20,000 data rows is refused, not truncated', () => {
    const rows = [['Chủ thể', 'Tên sản phẩm'], ...Array.from({ length: 20_001 }, (_, i) => [`HTX ${i}`, 'Hạt điều'])];
    expect(refusal(() => readXlsx(xlsxOf(rows), LIMITS)).kind).toBe('too_many_rows');
  });

  it('broken XML, a DOCTYPE (entity expansion) and unknown entities are refused as a damaged file', () => {
    const { strings } = sheetParts([['a']]);
    const broken = [
      '<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></row></sheetData></worksheet>',
      '<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>',
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>',
      '<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&nbsp;</t></is></c></row></sheetData></worksheet>',
      '<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet><worksheet/>',
      '<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet',
    ];
    for (const sheet of broken) {
      const e = refusal(() => readXlsx(xlsxFile({ sheet, strings }), LIMITS));
      expect(e.kind, sheet).toBe('broken_xml');
      expect(e.messageVi).toContain('Tệp XLSX bị hỏng');
    }
    expect(refusal(() => readXlsx(xlsxFile({ sheet: '<worksheet/>', strings: '<sst><si><t>a</si></sst>' }), LIMITS)).kind).toBe('broken_xml');
  });

  it('a cut-off or fake ZIP, a missing sheet and an old .xls are refused in Vietnamese', () => {
    const good = xlsxOf([['Chủ thể', 'Tên sản phẩm'], ['HTX A', 'Hạt điều']]);
    expect(refusal(() => readXlsx(good.subarray(0, good.length - 30), LIMITS)).kind).toBe('broken_zip');
    expect(refusal(() => readXlsx(new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...new Uint8Array(200)]), LIMITS)).kind).toBe('broken_zip');
    const corrupt = good.slice();
    const sheetAt = zipEntries(good).get('xl/worksheets/sheet1.xml')!.localOffset;
    corrupt.fill(0xff, sheetAt + 60, sheetAt + 90); // damage the sheet's deflate data
    expect(['broken_zip', 'broken_xml']).toContain(refusal(() => readXlsx(corrupt, LIMITS)).kind);
    const noSheet = zipSync({ 'xl/workbook.xml': strToU8('<workbook/>') });
    expect(refusal(() => readXlsx(noSheet, LIMITS)).messageVi).toContain('Không tìm thấy trang tính');
    expect(() => readRegisterFile(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 1, 2, 3]), 'so-cu.xls')).toThrow(expect.objectContaining({ code: 'import_unreadable', messageVi: expect.stringContaining('không phải XLSX') }));
  });
});

describe('a row', () => {
  const mapping = [...REGISTER_FIELDS];
  const now = new Date('2026-12-01T03:00:00Z');
  const cells = (over: Partial<Record<(typeof REGISTER_FIELDS)[number], string>>) => REGISTER_FIELDS.map((f) => over[f] ?? '');
  const base = {
    producer_name: 'HTX Điều Tân Lợi', product_name: 'Hạt điều sấy', evaluated_on: '10/05/2023', score_a: '30', score_b: '20', score_c: '25', stars: '4 sao',
    certificate_number: 'bp-imp-001', decision_number: '12/QĐ-UBND', decision_date: '30/06/2023', issuing_body: 'UBND tỉnh Bình Phước',
  };

  it('reads a certificate row: stars from the scores, level from the body, validity 36 months, legal form from the name', () => {
    const row = parseRegisterRow(2, cells(base), mapping, now);
    expect(row.errors).toEqual([]);
    expect(row.producer.legalForm).toBe('hop_tac_xa');
    expect(row.evaluation).toMatchObject({ total: 75, stars: 4, councilLevel: 'province', mandatoryLevel: 4 });
    expect(row.certificate).toMatchObject({ number: 'BP-IMP-001', issuingLevel: 'province', decisionDate: '2023-06-30', validUntil: '2026-06-30', status: null });
  });

  it('applies the issuance rules to historical decisions and names the field of each problem', () => {
    const errs = (over: Record<string, string>) => parseRegisterRow(2, cells({ ...base, ...over }), mapping, now).errors.map((e) => `${e.field}: ${e.messageVi}`);
    expect(errs({ score_a: '38', score_b: '24', score_c: '30', stars: '5' })).toEqual(['decision_date: Sản phẩm 5 sao chỉ do Hội đồng cấp trung ương đánh giá']);
    expect(errs({ stars: '5 sao' })).toEqual(['stars: Hạng sao ghi 5 nhưng điểm (tổng 75) và tiêu chí bắt buộc cho 4 sao']);
    expect(errs({ decision_date: '01/05/2023' })).toEqual(['decision_date: Ngày quyết định trước ngày đánh giá']);
    expect(errs({ evaluated_on: '10/05/2027', decision_date: '01/06/2027' })[0]).toContain('Ngày đánh giá không được ở tương lai');
    expect(errs({ status: 'Đã thu hồi' })).toEqual(['revocation_number: Giấy đã thu hồi cần số quyết định thu hồi', 'revocation_date: Giấy đã thu hồi cần ngày thu hồi', 'revocation_ground: Giấy đã thu hồi cần lý do thu hồi']);
    expect(errs({ revocation_number: '9/QĐ-UBND', revocation_date: '01/01/2023', revocation_ground: 'Vi phạm an toàn thực phẩm' })).toEqual(['revocation_date: Ngày thu hồi trước ngày cấp giấy chứng nhận BP-IMP-001']);
    expect(errs({ status: 'Hết hạn', decision_date: '30/06/2024' })[0]).toContain('Tình trạng ghi "Hết hạn" nhưng giấy còn hạn đến 30/06/2027');
    expect(errs({ score_a: '', score_b: '', score_c: '' })).toHaveLength(3);
    expect(errs({ producer_name: '' })).toEqual(['producer_name: Thiếu tên chủ thể']);
    expect(errs({ certificate_number: '' })).toEqual(['certificate_number: Có thông tin quyết định nhưng thiếu số giấy chứng nhận']);
    expect(errs({ decision_date: '31/06/2023' })[0]).toContain('không đọc được');
  });
});
