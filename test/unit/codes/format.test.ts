import { describe, expect, it } from 'vitest';
import {
  baseUrlProblem,
  CODE_LENGTH,
  encodePayload,
  kidFor,
  keyNumberOfKid,
  MAX_SERIAL,
  packageUrl,
  parseCode,
  protectedHeader,
  signingInput,
  toCompactJws,
} from '../../../worker/codes/format';
import { BASE_URL, codeOfBytes, rawPayload } from './fixtures';

const ascii = (b: Uint8Array) => new TextDecoder().decode(b);
const b64u = (s: string | Uint8Array) => Buffer.from(s).toString('base64url');
// A structurally valid code (signature bytes arbitrary): parseCode checks everything but the signature.
const SAMPLE = codeOfBytes(rawPayload(1, 3, 123456, 42));

describe('payload and JWS pieces', () => {
  it('lays out version, key number, batch id and serial big-endian in 10 bytes', () => {
    expect([...encodePayload({ version: 1, keyNumber: 3, batchId: 0x01020304, serial: 1_000_000 })]).toEqual([
      1, 3, 1, 2, 3, 4, 0x00, 0x0f, 0x42, 0x40,
    ]);
  });

  it('refuses to encode out-of-range fields', () => {
    const ok = { version: 1 as const, keyNumber: 1, batchId: 1, serial: 1 };
    for (const bad of [
      { ...ok, keyNumber: 0 },
      { ...ok, keyNumber: 256 },
      { ...ok, batchId: 0 },
      { ...ok, batchId: 2 ** 32 },
      { ...ok, batchId: 1.5 },
      { ...ok, serial: 0 },
      { ...ok, serial: MAX_SERIAL + 1 },
      { ...ok, version: 2 as unknown as 1 },
    ]) {
      expect(() => encodePayload(bad), JSON.stringify(bad)).toThrow(RangeError);
    }
    expect(() => encodePayload({ ...ok, batchId: 2 ** 32 - 1, serial: MAX_SERIAL })).not.toThrow();
  });

  it('kid is ocop-<n>, and only that exact spelling maps back', () => {
    expect(kidFor(1)).toBe('ocop-1');
    expect(kidFor(255)).toBe('ocop-255');
    expect(() => kidFor(0)).toThrow();
    expect(() => kidFor(256)).toThrow();
    expect(keyNumberOfKid('ocop-17')).toBe(17);
    for (const bad of ['ocop-0', 'ocop-017', 'ocop-256', 'OCOP-1', 'ocop-1 ', 'key-1', 'ocop-']) expect(keyNumberOfKid(bad), bad).toBeNull();
  });

  it('the protected header is the exact JSON text, and the signing input is standard JWS', () => {
    expect(protectedHeader(7)).toBe('{"alg":"EdDSA","kid":"ocop-7"}');
    const ref = { version: 1 as const, keyNumber: 7, batchId: 99, serial: 5 };
    expect(ascii(signingInput(ref))).toBe(`${b64u(protectedHeader(7))}.${b64u(encodePayload(ref))}`);
  });
});

describe('parseCode: what is accepted', () => {
  it('reads the fields back from a bare code', () => {
    const parsed = parseCode(SAMPLE);
    expect(parsed).toMatchObject({ ok: true, ref: { version: 1, keyNumber: 3, batchId: 123456, serial: 42 }, code: SAMPLE });
  });

  it('upper, lower, mixed case, the full URL in any case and surrounding whitespace all resolve to the same code', () => {
    const url = packageUrl(BASE_URL, SAMPLE);
    const mixed = [...SAMPLE].map((c, i) => (i % 2 ? c.toLowerCase() : c)).join('');
    const inputs = [
      SAMPLE,
      SAMPLE.toLowerCase(),
      mixed,
      url,
      url.toLowerCase(),
      `${BASE_URL}/v/${SAMPLE.toLowerCase()}`,
      `${BASE_URL}/V/${mixed}`,
      `  ${SAMPLE}\n`,
      `\t${url}\r\n`,
      'http://127.0.0.1:8787/v/' + SAMPLE,
      'https://example.org/ocop/v/' + SAMPLE,
    ];
    for (const input of inputs) {
      const parsed = parseCode(input);
      expect(parsed.ok, input).toBe(true);
      if (parsed.ok) expect(parsed.code).toBe(SAMPLE);
    }
  });

  it('accepts the range limits: serial 1 and 1,000,000, batch id 1 and 2^32-1, key 1 and 255', () => {
    for (const [k, b, s] of [[1, 1, 1], [255, 2 ** 32 - 1, MAX_SERIAL]] as const) {
      expect(parseCode(codeOfBytes(rawPayload(1, k, b, s)))).toMatchObject({ ok: true, ref: { keyNumber: k, batchId: b, serial: s } });
    }
  });
});

describe('parseCode: what is rejected', () => {
  const malformed = (input: string) => expect(parseCode(input), JSON.stringify(input)).toEqual({ ok: false, reason: 'malformed' });

  it('wrong lengths', () => {
    for (const input of ['', SAMPLE.slice(0, -1), `${SAMPLE}A`, SAMPLE.slice(0, 118) + 'AA', SAMPLE + SAMPLE, 'AEAQ']) malformed(input);
  });

  it("'=' padding and characters outside A-Z2-7 ('0','1','8','9', punctuation)", () => {
    malformed(`${SAMPLE}=====`);
    malformed(`${SAMPLE.slice(0, 118)}=`);
    for (const ch of ['0', '1', '8', '9', '=', '-', '_', '+', '/', '.']) malformed(SAMPLE.slice(0, 60) + ch + SAMPLE.slice(61));
  });

  it('unicode lookalikes, including letters whose uppercase is ASCII', () => {
    // Cyrillic А, Greek Α, fullwidth Ａ, dotless ı ('ı'.toUpperCase() === 'I'), long s ('ſ' → 'S'), Kelvin sign.
    for (const ch of ['\u0410', '\u0391', '\uFF21', '\u0131', '\u017F', '\u212A', '\u0399']) {
      malformed(SAMPLE.slice(0, 50) + ch + SAMPLE.slice(51));
      malformed(`${BASE_URL}/V/${SAMPLE.slice(0, 50)}${ch}${SAMPLE.slice(51)}`);
    }
    malformed(`\u200B${SAMPLE}`); // zero-width space is not whitespace
  });

  it('whitespace inside the code or the URL', () => {
    for (const ws of [' ', '\t', '\n', '\u00A0']) {
      malformed(SAMPLE.slice(0, 40) + ws + SAMPLE.slice(40));
      malformed(`${BASE_URL}/V/ ${SAMPLE}`);
      malformed(`${BASE_URL} /V/${SAMPLE}`);
    }
  });

  it('percent-encoding, query strings, fragments, extra or missing path segments, other schemes', () => {
    const tail = SAMPLE.slice(1);
    for (const input of [
      `${BASE_URL}/V/%41${tail}`,
      `${BASE_URL}/V/${SAMPLE}%20`,
      `${BASE_URL}/%56/${SAMPLE}`,
      `${BASE_URL}/V/${SAMPLE}?utm=1`,
      `${BASE_URL}/V/${SAMPLE}#x`,
      `${BASE_URL}/V/${SAMPLE}/`,
      `${BASE_URL}/V/${SAMPLE}/extra`,
      `${BASE_URL}/V//${SAMPLE}`,
      `${BASE_URL}/X/${SAMPLE}`,
      `${BASE_URL}/${SAMPLE}`,
      `${BASE_URL}V/${SAMPLE}`,
      `ocop.binhphuoc.gov.vn/V/${SAMPLE}`,
      `ftp://ocop.binhphuoc.gov.vn/V/${SAMPLE}`,
      `https://user@ocop.binhphuoc.gov.vn/V/${SAMPLE}`,
      `https:///V/${SAMPLE}`,
      `/V/${SAMPLE}`,
      `${BASE_URL}/V/${SAMPLE}`.repeat(5),
    ]) {
      malformed(input);
    }
  });

  it('non-canonical pad bits: the last character must leave its 3 low bits zero', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
    const last = alphabet.indexOf(SAMPLE[CODE_LENGTH - 1]!);
    expect(last & 7).toBe(0);
    for (let low = 1; low < 8; low++) malformed(SAMPLE.slice(0, -1) + alphabet[last | low]);
  });

  it('version other than 1 is unknown_version', () => {
    for (const v of [0, 2, 255]) {
      expect(parseCode(codeOfBytes(rawPayload(v, 1, 1, 1)))).toEqual({ ok: false, reason: 'unknown_version' });
    }
  });

  it('key number 0, batch id 0, serial 0 and serial > 1,000,000 are malformed', () => {
    malformed(codeOfBytes(rawPayload(1, 0, 1, 1)));
    malformed(codeOfBytes(rawPayload(1, 1, 0, 1)));
    malformed(codeOfBytes(rawPayload(1, 1, 1, 0)));
    malformed(codeOfBytes(rawPayload(1, 1, 1, MAX_SERIAL + 1)));
    malformed(codeOfBytes(rawPayload(1, 1, 1, 0xffffffff)));
  });

  it('does not choke on very long input', () => {
    malformed('A'.repeat(1_000_000));
    malformed(`${BASE_URL}/${'a/'.repeat(100_000)}V/${SAMPLE}`);
  });
});

describe('packageUrl and toCompactJws', () => {
  it('uppercases the whole URL so the QR stays alphanumeric', () => {
    expect(packageUrl(BASE_URL, SAMPLE)).toBe(`HTTPS://OCOP.BINHPHUOC.GOV.VN/V/${SAMPLE}`);
    expect(packageUrl(`${BASE_URL}/`, SAMPLE)).toBe(`HTTPS://OCOP.BINHPHUOC.GOV.VN/V/${SAMPLE}`);
    expect(packageUrl(BASE_URL, SAMPLE.toLowerCase())).toBe(`HTTPS://OCOP.BINHPHUOC.GOV.VN/V/${SAMPLE}`);
    expect(packageUrl(BASE_URL, SAMPLE)).toMatch(/^[0-9A-Z $%*+\-./:]+$/); // QR alphanumeric set
  });

  it('a 32-character base URL gives 154 characters, exactly QR version 6-M alphanumeric capacity', () => {
    // ISO/IEC 18004 table 7: version 6-M holds 154 alphanumeric characters (178 is version 7-M).
    const base32 = 'https://ocop-binhphuoc.example.v';
    expect(base32).toHaveLength(32);
    expect(baseUrlProblem(base32)).toBeNull();
    expect(packageUrl(base32, SAMPLE)).toHaveLength(32 + 3 + 119);
    expect(packageUrl(base32, SAMPLE).length).toBeLessThanOrEqual(154);
  });

  it('baseUrlProblem names what is wrong with a base URL', () => {
    expect(baseUrlProblem('https://ocop.binhphuoc.gov.v')).toBeNull();
    expect(baseUrlProblem('http://localhost:8787')).toMatch(/https/);
    expect(baseUrlProblem(BASE_URL)).toBeNull(); // 29 characters
    expect(baseUrlProblem('https://ocop.binhphuoc.gov.vn.example')).toMatch(/32/);
    for (const bad of ['http://ocop.gov.vn', 'https://ocop.gov.vn/', 'https://a.vn/x', 'ocop.gov.vn']) expect(baseUrlProblem(bad), bad).toMatch(/https/);
  });

  it('packageUrl refuses text that is not a code', () => {
    expect(() => packageUrl(BASE_URL, 'NOTACODE')).toThrow();
  });

  it('toCompactJws rebuilds header.payload.signature from the code alone', () => {
    const jws = toCompactJws(`${BASE_URL}/v/${SAMPLE.toLowerCase()}`);
    const [h, p, s] = jws.split('.');
    expect(Buffer.from(h!, 'base64url').toString()).toBe('{"alg":"EdDSA","kid":"ocop-3"}');
    expect([...Buffer.from(p!, 'base64url')]).toEqual([...rawPayload(1, 3, 123456, 42)]);
    expect([...Buffer.from(s!, 'base64url')]).toEqual(new Array(64).fill(7));
    expect(() => toCompactJws('junk')).toThrow(/malformed/);
  });
});
