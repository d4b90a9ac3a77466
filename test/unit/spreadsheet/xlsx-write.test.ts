import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { columnName, writeXlsx } from '../../../worker/spreadsheet/xlsx-write';

// The XLSX writer of the reports: a package Excel and LibreOffice open (the parts and
// relationships they require), Vietnamese text kept exactly, and hostile text that can
// neither break the XML nor become a formula.

function parts(bytes: Uint8Array): Record<string, string> {
  const files = unzipSync(bytes);
  return Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strFromU8(v)]));
}

describe('writeXlsx', () => {
  it('writes the parts a spreadsheet program needs, one sheet per section, in order', () => {
    const p = parts(writeXlsx([{ name: 'Tóm tắt', rows: [['Nội dung', 'Số lượng'], ['Giấy chứng nhận cấp mới', 6]], boldRows: [0] }, { name: 'Sự kiện', rows: [['Ngày']] }]));
    expect(Object.keys(p).sort()).toEqual(['[Content_Types].xml', '_rels/.rels', 'docProps/core.xml', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml', 'xl/workbook.xml', 'xl/worksheets/sheet1.xml', 'xl/worksheets/sheet2.xml']);
    expect(p['xl/workbook.xml']).toContain('<sheet name="Tóm tắt" sheetId="1" r:id="rId1"/><sheet name="Sự kiện" sheetId="2" r:id="rId2"/>');
    expect(p['[Content_Types].xml']).toContain('/xl/worksheets/sheet2.xml');
    const sheet = p['xl/worksheets/sheet1.xml']!;
    expect(sheet).toContain('<c r="A1" s="1" t="inlineStr"><is><t xml:space="preserve">Nội dung</t></is></c>');
    expect(sheet).toContain('<c r="B2"><v>6</v></c>');
    expect(sheet).toContain('<pageSetup paperSize="9" orientation="portrait"/>');
  });

  it('keeps hostile text as text: escaped, control characters dropped, formulas never written as formulas', () => {
    const p = parts(writeXlsx([{ name: 'x', rows: [['=HYPERLINK("http://evil","bấm")', 'a<b>&"c"', 'tab\there\u0000\u0007nul', '\ud800lone'], [Number.NaN, Number.POSITIVE_INFINITY, null, '']] }]));
    const sheet = p['xl/worksheets/sheet1.xml']!;
    expect(sheet).not.toContain('<f>');
    expect(sheet).toContain('<t xml:space="preserve">=HYPERLINK(&quot;http://evil&quot;,&quot;bấm&quot;)</t>');
    expect(sheet).toContain('a&lt;b&gt;&amp;&quot;c&quot;');
    expect(sheet).toContain('tab\there' + 'nul');
    expect(sheet).not.toMatch(/[\u0000\u0007]/);
    expect(sheet).not.toContain('\ud800');
    // Not-a-number and empty cells are left empty rather than written as invalid values.
    expect(sheet).toContain('<row r="2"></row>');
  });

  it('makes sheet names valid: forbidden characters replaced, at most 31 characters, unique', () => {
    const p = parts(writeXlsx([{ name: 'Báo cáo [6/2026]: *?', rows: [] }, { name: 'Một tên rất dài hơn ba mươi mốt ký tự của Excel', rows: [] }, { name: 'Một tên rất dài hơn ba mươi mốt ký tự của Excel', rows: [] }, { name: '', rows: [] }]));
    const names = [...p['xl/workbook.xml']!.matchAll(/<sheet name="([^"]*)"/g)].map((m) => m[1]!);
    expect(names[0]).toBe('Báo cáo -6-2026-- --');
    expect(names.every((n) => n.length <= 31 && n.length > 0)).toBe(true);
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(4);
    expect(() => writeXlsx([])).toThrow();
  });

  it('names columns like a spreadsheet and gives the same bytes for the same report', () => {
    expect([0, 25, 26, 27, 701, 702].map(columnName)).toEqual(['A', 'Z', 'AA', 'AB', 'ZZ', 'AAA']);
    const sheets = [{ name: 'A', rows: [['x', 1]] }];
    expect(writeXlsx(sheets)).toEqual(writeXlsx(sheets));
  });
});
