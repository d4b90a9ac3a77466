import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runVerify } from '../../../scripts/cli/verify';
import { base32Encode } from '../../../worker/codes/base32';
import { parseCode, trimScanSpace } from '../../../worker/codes/format';
import { isCleanText } from '../../../worker/domain/text';
import { codeOfBytes, rawPayload } from './fixtures';

// Issue 10, finding 10: what "whitespace" means around a scanned code, the same for the
// service, the CLI and the specification (worker/codes/README.md §6), and §4's last character.

const SAMPLE = codeOfBytes(rawPayload(1, 3, 123456, 42));
const SPEC = readFileSync(path.resolve(import.meta.dirname, '../../../worker/codes/README.md'), 'utf8');

// Characters String.prototype.trim or Python's str.strip() would remove, but §6 does not.
const NOT_SCAN_SPACE = ['\u00a0', '\u3000', '\u2028', '\u2029', '\u2000', '\ufeff', '\u0085', '\u001c', '\u000b', '\u000c', '\u1680', '\u205f'];

describe('§6 whitespace: exactly ASCII space, tab, CR and LF', () => {
  it('those four are removed around a code, anywhere in any number', () => {
    for (const ws of [' ', '\t', '\r', '\n', ' \t\r\n ']) {
      expect(parseCode(`${ws}${SAMPLE}${ws}`).ok, JSON.stringify(ws)).toBe(true);
      expect(trimScanSpace(`${ws}x${ws}`)).toBe('x');
    }
  });

  it('every other space-like character around a code makes it malformed', () => {
    for (const ch of NOT_SCAN_SPACE) {
      expect(parseCode(`${ch}${SAMPLE}`), JSON.stringify(ch)).toEqual({ ok: false, reason: 'malformed' });
      expect(parseCode(`${SAMPLE}${ch}`), JSON.stringify(ch)).toEqual({ ok: false, reason: 'malformed' });
      expect(trimScanSpace(`${ch}x`)).toBe(`${ch}x`);
    }
  });

  it('the CLI follows the same rule', async () => {
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
    expect(await runVerify([`\u00a0${SAMPLE}`, '--jwks', 'unused.json'], io)).toBe(1);
    expect(lines.join('\n')).toContain('malformed');
  });

  it('the specification and its Python reference say so', () => {
    expect(SPEC).toContain('space U+0020, tab U+0009, carriage return U+000D and line feed U+000A');
    expect(SPEC).toContain("text = text.strip(' \\t\\r\\n')");
    expect(SPEC).not.toMatch(/text = text\.strip\(\)/);
  });
});

describe('§4 and §5 of the specification', () => {
  it('the last character of a 74-byte code is one of A I Q Y, as §4 says', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 256; i++) {
      const bytes = new Uint8Array(74).fill(i);
      bytes[73] = i;
      seen.add(base32Encode(bytes).slice(-1));
    }
    expect([...seen].sort()).toEqual(['A', 'I', 'Q', 'Y']);
    expect(SPEC).toContain('character is always one of `A I Q Y`');
    expect(SPEC).not.toContain('A E I M Q U Y 4');
  });

  it('the example base URL is a real-looking .vn host, not ".v"', () => {
    expect(SPEC).not.toMatch(/GOV\.V\//);
    expect(SPEC).not.toMatch(/gov\.v\)/);
    expect(SPEC).toContain('HTTPS://OCOP.BINHPHUOC.GOV.VN/V/');
  });

  it('states the scan route\'s rule: the path as sent, percent-escapes and queries malformed, ?lang allowed', () => {
    expect(SPEC).toContain('**The scan route.**');
    expect(SPEC).toContain('before any percent-decoding');
    expect(SPEC).toContain('`?lang=vi|en`');
  });
});

describe('text fields (worker/domain/text.ts)', () => {
  it('refuses C0 and C1 controls, DEL and lone surrogates; keeps tab and line breaks only in multi-line fields', () => {
    for (const bad of ['\u0000', 'a\u0001', '\u001f', '\u007f', '\u0080', '\u009f', '\ud800', 'x\udc00', '\udbff\u0041']) {
      expect(isCleanText(bad), JSON.stringify(bad)).toBe(false);
      expect(isCleanText(bad, { multiline: true }), JSON.stringify(bad)).toBe(false);
    }
    for (const lines of ['a\nb', 'a\r\nb', '\tindented']) {
      expect(isCleanText(lines)).toBe(false);
      expect(isCleanText(lines, { multiline: true })).toBe(true);
    }
    for (const good of ['Hạt điều rang muối', '😀', 'Ａ', '\u00a0', '<script>', "O'Brien"]) expect(isCleanText(good), good).toBe(true);
  });
});
