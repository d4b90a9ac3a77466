import { describe, expect, it } from 'vitest';
import { csvField, csvStream, type CsvRow } from '../../../worker/qr/csv';
import { parseCsv } from '../../helpers/csv';
import { BASE_32, fromArray, packageUrl, readAll } from './tools';


const decode = (b: Uint8Array): string => new TextDecoder('utf-8', { ignoreBOM: true }).decode(b);

describe('csvField', () => {
  it.each([['plain', 'plain'], ['a,b', '"a,b"'], ['say "hi"', '"say ""hi"""'], ['two\nlines', '"two\nlines"'], ['cr\rhere', '"cr\rhere"'], ['Lô Điều', 'Lô Điều']])(
    'quotes commas, quotes and line breaks per RFC 4180: %j',
    (cell, written) => expect(csvField(cell)).toBe(written),
  );

  it('neutralises cells a spreadsheet would run as formulas', () => {
    for (const bad of ['=1+1', '+SUM(A1)', '-2+3', '@cmd', '\t=1', '\r=1', '=HYPERLINK("http://x","y")']) {
      const out = csvField(bad);
      const [[cell]] = parseCsv(`${out}\r\n`) as [[string]];
      expect(cell).toBe(`'${bad}`);
    }
    expect(csvField('a=b')).toBe('a=b');
  });
});

describe('csvStream', () => {
  const rows = (n: number, lot = 'HD-2025-07'): CsvRow[] =>
    Array.from({ length: n }, (_, i) => ({ serial: i + 1, lot, url: packageUrl(BASE_32) }));

  it('writes a BOM, the header and one CRLF line per row', async () => {
    const input = rows(3);
    const bytes = await readAll(csvStream(fromArray(input)));
    expect(Array.from(bytes.subarray(0, 3))).toEqual([0xef, 0xbb, 0xbf]);
    const parsed = parseCsv(decode(bytes.subarray(3)));
    expect(parsed[0]).toEqual(['serial', 'lot', 'url']);
    expect(parsed.slice(1)).toEqual(input.map((r) => [String(r.serial), r.lot, r.url]));
  });

  it('leaves the BOM out on request', async () => {
    const bytes = await readAll(csvStream(fromArray(rows(1)), { bom: false }));
    expect(decode(bytes).startsWith('serial,lot,url\r\n')).toBe(true);
  });

  it('quotes and guards lot text from the producer', async () => {
    const input: CsvRow[] = [
      { serial: 1, lot: '=cmd|" /C calc"!A0', url: 'HTTPS://X.VN/V/A' },
      { serial: 2, lot: 'Lô 1, "đặc biệt"', url: 'HTTPS://X.VN/V/B' },
    ];
    const parsed = parseCsv(decode((await readAll(csvStream(fromArray(input), { bom: false })))));
    expect(parsed[1]).toEqual(['1', `'=cmd|" /C calc"!A0`, 'HTTPS://X.VN/V/A']);
    expect(parsed[2]).toEqual(['2', 'Lô 1, "đặc biệt"', 'HTTPS://X.VN/V/B']);
  });

  it('batches many rows per chunk and reports progress to the last row', async () => {
    const input = rows(5000);
    const progress: [number, number][] = [];
    const stream = csvStream(fromArray(input), { total: 5000, onProgress: (d, t) => progress.push([d, t]) });
    const reader = stream.getReader();
    const chunks: Uint8Array[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
    }
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.length).toBeLessThan(50); // ~64 KiB each, not one per row
    expect(progress.at(-1)).toEqual([5000, 5000]);
    const text = decode(Buffer.concat(chunks).subarray(3));
    expect(parseCsv(text)).toHaveLength(5001);
  });

  it('errors the stream on a serial that is not an integer', async () => {
    const bad = [{ serial: 1.5, lot: 'x', url: 'y' }];
    await expect(readAll(csvStream(fromArray(bad)))).rejects.toThrow(TypeError);
  });
});
