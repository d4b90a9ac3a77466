import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import fc from 'fast-check';
import { CompactSign, compactVerify, createLocalJWKSet, importJWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { base32Decode, base32Encode } from '../../../worker/codes/base32';
import { encodePayload, MAX_SERIAL, packageUrl, parseCode, signingInput, toCompactJws } from '../../../worker/codes/format';
import { generateSigningKey, KeyRing, type PrivateKeyJwk } from '../../../worker/codes/keyring';
import { signPackageCode, signPackageCodes, signPackageCodeWith, signPackageCodesWith } from '../../../worker/codes/sign';
import { verifyPackageCode } from '../../../worker/codes/verify';
import { BASE_URL, codeOfBytes, rawPayload, rfc8032Key } from './fixtures';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

let key1: PrivateKeyJwk;
let key2: PrivateKeyJwk;
let ring: KeyRing;
let code: string;

beforeAll(async () => {
  key1 = await generateSigningKey(1);
  key2 = await generateSigningKey(2);
  ring = await KeyRing.fromJwkSet({ keys: [key1] });
  code = await signPackageCode(ring, 4_000_000_001, 777);
});

describe('sign → verify', () => {
  it('round-trips any batch id and serial, as bare code, lowercase and full URL', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 32 - 1 }), fc.integer({ min: 1, max: MAX_SERIAL }), async (batchId, serial) => {
        const c = await signPackageCode(ring, batchId, serial);
        expect(c).toMatch(/^[A-Z2-7]{119}$/);
        const expected = { ok: true, ref: { version: 1, keyNumber: 1, batchId, serial }, kid: 'ocop-1', code: c };
        expect(await verifyPackageCode(ring, c)).toEqual(expected);
        expect(await verifyPackageCode(ring, c.toLowerCase())).toEqual(expected);
        expect(await verifyPackageCode(ring, packageUrl(BASE_URL, c))).toEqual(expected);
        expect(await verifyPackageCode(ring, packageUrl(BASE_URL, c).toLowerCase())).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('signs deterministically (Ed25519): one package, one code', async () => {
    expect(await signPackageCode(ring, 4_000_000_001, 777)).toBe(code);
  });

  it('refuses to sign out-of-range fields', async () => {
    for (const [b, s] of [[0, 1], [1, 0], [1, MAX_SERIAL + 1], [2 ** 32, 1], [1.5, 1]] as const) {
      await expect(signPackageCode(ring, b, s), `${b}/${s}`).rejects.toThrow(RangeError);
    }
  });

  it('signPackageCodes yields the same codes, in order, as one-by-one signing', async () => {
    const got: { serial: number; code: string }[] = [];
    for await (const c of signPackageCodes(ring, 12, 999_900, 100, 16)) got.push(c);
    expect(got.map((g) => g.serial)).toEqual(Array.from({ length: 100 }, (_, i) => 999_900 + i));
    for (const g of got.filter((_, i) => i % 17 === 0)) expect(g.code).toBe(await signPackageCode(ring, 12, g.serial));
  });

  it('signPackageCodes validates the whole range before yielding anything', async () => {
    const gen = signPackageCodes(ring, 12, MAX_SERIAL - 5, 10);
    await expect(gen.next()).rejects.toThrow(RangeError);
  });
});

describe('tampering is always rejected', () => {
  it('every single-character change of the code (each position, each other character)', async () => {
    let checked = 0;
    for (let i = 0; i < code.length; i++) {
      for (const ch of ALPHABET) {
        if (ch === code[i]) continue;
        const altered = code.slice(0, i) + ch + code.slice(i + 1);
        const verdict = await verifyPackageCode(ring, altered);
        if (verdict.ok) throw new Error(`accepted a code altered at ${i} to ${ch}`);
        checked++;
      }
    }
    expect(checked).toBe(119 * 31);
  });

  it('every single-byte change of the 74 code bytes', async () => {
    const bytes = base32Decode(code)!;
    const reasons = new Set<string>();
    for (let i = 0; i < bytes.length; i++) {
      for (let v = 0; v < 256; v++) {
        if (v === bytes[i]) continue;
        const altered = bytes.slice();
        altered[i] = v;
        const verdict = await verifyPackageCode(ring, base32Encode(altered));
        if (verdict.ok) throw new Error(`accepted byte ${i} changed to ${v}`);
        reasons.add(verdict.reason);
      }
    }
    expect([...reasons].sort()).toEqual(['bad_signature', 'malformed', 'unknown_key', 'unknown_version']);
  });

  it('a payload moved under a good signature (another serial) is a bad signature', async () => {
    const other = await signPackageCode(ring, 4_000_000_001, 778);
    const spliced = base32Encode(new Uint8Array([...base32Decode(other)!.subarray(0, 10), ...base32Decode(code)!.subarray(10)]));
    expect(await verifyPackageCode(ring, spliced)).toMatchObject({ ok: false, reason: 'bad_signature', ref: { serial: 778 } });
  });

  it('a correctly signed payload with out-of-range fields is still rejected before the signature', async () => {
    const entry = ring.signer();
    const forge = async (payload: Uint8Array, keyNumber: number) => {
      const header = Buffer.from(`{"alg":"EdDSA","kid":"ocop-${keyNumber}"}`).toString('base64url');
      const input = new TextEncoder().encode(`${header}.${Buffer.from(payload).toString('base64url')}`);
      return codeOfBytes(payload, new Uint8Array(await crypto.subtle.sign('Ed25519', entry.privateKey!, input)));
    };
    expect(await verifyPackageCode(ring, await forge(rawPayload(1, 1, 5, 0), 1))).toEqual({ ok: false, reason: 'malformed' });
    expect(await verifyPackageCode(ring, await forge(rawPayload(1, 1, 5, MAX_SERIAL + 1), 1))).toEqual({ ok: false, reason: 'malformed' });
    expect(await verifyPackageCode(ring, await forge(rawPayload(1, 1, 0, 5), 1))).toEqual({ ok: false, reason: 'malformed' });
    expect(await verifyPackageCode(ring, await forge(rawPayload(2, 1, 5, 5), 1))).toEqual({ ok: false, reason: 'unknown_version' });
  });

  it('junk input is malformed, never an exception', async () => {
    for (const junk of ['', ' ', 'hello', '%%%', `${BASE_URL}/V/`, 'A'.repeat(119), '\u0000'.repeat(119)]) {
      const verdict = await verifyPackageCode(ring, junk);
      expect(verdict.ok, junk).toBe(false);
    }
    expect(await verifyPackageCode(ring, 'A'.repeat(119))).toEqual({ ok: false, reason: 'unknown_version' }); // version byte 0
  });
});

describe('keys: unknown, withdrawn, rotated', () => {
  it('a key number the ring does not hold is unknown_key, with the decoded fields', async () => {
    const other = await KeyRing.fromJwkSet({ keys: [key2] });
    const c = await signPackageCode(other, 9, 9);
    expect(await verifyPackageCode(ring, c)).toEqual({
      ok: false,
      reason: 'unknown_key',
      ref: { version: 1, keyNumber: 2, batchId: 9, serial: 9 },
      kid: 'ocop-2',
      code: c,
    });
  });

  it('a code claiming key 2 but signed by key 1 is a bad signature', async () => {
    const both = await KeyRing.fromJwkSet({ keys: [key1, key2] });
    const bytes = base32Decode(code)!;
    bytes[1] = 2;
    expect(await verifyPackageCode(both, base32Encode(bytes))).toMatchObject({ ok: false, reason: 'bad_signature', kid: 'ocop-2' });
  });

  it("a withdrawn key's codes are never ok: genuine ones say key_withdrawn, forged ones bad_signature", async () => {
    const r = await KeyRing.fromJwkSet({ keys: [key1] }, { 'ocop-1': 'withdrawn' });
    expect(await verifyPackageCode(r, code)).toMatchObject({ ok: false, reason: 'key_withdrawn', kid: 'ocop-1', ref: { serial: 777 } });
    const altered = code.slice(0, 60) + (code[60] === 'A' ? 'B' : 'A') + code.slice(61);
    expect(await verifyPackageCode(r, altered)).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(r.publicJwks().keys).toEqual([]);
    expect(() => r.signer()).toThrow(/no active signing key/);
  });

  it('withdrawal applied later with setStatus takes effect at once', async () => {
    const r = await KeyRing.fromJwkSet({ keys: [key1] });
    expect((await verifyPackageCode(r, code)).ok).toBe(true);
    r.setStatus('ocop-1', 'withdrawn');
    expect(await verifyPackageCode(r, code)).toMatchObject({ ok: false, reason: 'key_withdrawn' });
  });

  it('a rotated ring signs with the new key and still verifies codes of the old one', async () => {
    const rotated = await KeyRing.fromJwkSet({ keys: [key1, key2] });
    const fresh = await signPackageCode(rotated, 5, 5);
    expect(parseCode(fresh)).toMatchObject({ ok: true, ref: { keyNumber: 2 } });
    expect(await verifyPackageCode(rotated, fresh)).toMatchObject({ ok: true, kid: 'ocop-2' });
    expect(await verifyPackageCode(rotated, code)).toMatchObject({ ok: true, kid: 'ocop-1' });
    rotated.setStatus('ocop-1', 'retired');
    expect(await verifyPackageCode(rotated, code)).toMatchObject({ ok: true, kid: 'ocop-1' });
    expect(rotated.publicJwks().keys.map((k) => k.kid)).toEqual(['ocop-1', 'ocop-2']);
  });

  it('an existing batch can be re-signed with the key it was issued under, after rotation', async () => {
    const rotated = await KeyRing.fromJwkSet({ keys: [key1, key2] }, { 'ocop-1': 'retired' });
    expect(await signPackageCodeWith(rotated.get(1)!, 4_000_000_001, 777)).toBe(code);
    const got: string[] = [];
    for await (const c of signPackageCodesWith(rotated.get(1)!, 4_000_000_001, 776, 3)) got.push(c.code);
    expect(got[1]).toBe(code);
    const verifyOnly = await KeyRing.fromJwkSet({ keys: [{ ...key1, d: undefined }] });
    await expect(signPackageCodeWith(verifyOnly.get(1)!, 1, 1)).rejects.toThrow(/private half of ocop-1/);
  });
});

describe('interoperability: a code is a standard JWS', () => {
  it('the rebuilt compact JWS verifies with jose compactVerify + createLocalJWKSet(ring.publicJwks())', async () => {
    const { payload, protectedHeader } = await compactVerify(toCompactJws(code), createLocalJWKSet(ring.publicJwks()));
    expect(protectedHeader).toEqual({ alg: 'EdDSA', kid: 'ocop-1' });
    expect(payload).toEqual(encodePayload({ version: 1, keyNumber: 1, batchId: 4_000_000_001, serial: 777 }));
  });

  it('jose rejects an altered code too, and a withdrawn key is absent from the JWKS', async () => {
    const altered = code.slice(0, 100) + (code[100] === 'A' ? 'B' : 'A') + code.slice(101);
    await expect(compactVerify(toCompactJws(altered), createLocalJWKSet(ring.publicJwks()))).rejects.toMatchObject({
      code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    });
    const withdrawn = await KeyRing.fromJwkSet({ keys: [key1] }, { 'ocop-1': 'withdrawn' });
    await expect(compactVerify(toCompactJws(code), createLocalJWKSet(withdrawn.publicJwks()))).rejects.toMatchObject({
      code: 'ERR_JWKS_NO_MATCHING_KEY',
    });
  });

  it('jose CompactSign over the same header and payload produces the same signature (and so the same code)', async () => {
    const ref = { version: 1 as const, keyNumber: 1, batchId: 31, serial: 41 };
    const jws = await new CompactSign(encodePayload(ref))
      .setProtectedHeader({ alg: 'EdDSA', kid: 'ocop-1' })
      .sign(await importJWK({ ...key1 }, 'EdDSA'));
    const [h, p, s] = jws.split('.');
    expect(`${h}.${p}`).toBe(new TextDecoder().decode(signingInput(ref)));
    const ours = await signPackageCode(ring, 31, 41);
    expect(codeOfBytes(encodePayload(ref), new Uint8Array(Buffer.from(s!, 'base64url')))).toBe(ours);
  });

  it('node:crypto (OpenSSL) verifies the signature over the signing input', async () => {
    const parsed = parseCode(code);
    if (!parsed.ok) throw new Error('parse failed');
    const pub = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: key1.x }, format: 'jwk' });
    expect(nodeVerify(null, parsed.signingInput, pub, parsed.signature)).toBe(true);
  });
});

describe('the README test vector', () => {
  it('RFC 8032 test key 1, batch 123456, serial 42', async () => {
    const r = await KeyRing.fromJwkSet({ keys: [rfc8032Key(1)] });
    const c = await signPackageCode(r, 123456, 42);
    expect(c).toBe(
      'AEAQAAPCIAAAAABKBXPC5FI6AXAXM5SXBRWMXG6MJQAIY2NLIWCLDCYT2B6WSZJTUGTEEX6A3TT545MKRQ22RNTHFX3A6UUBJEEGUSHIXRZQAUGPSUQ6CDI',
    );
    expect(toCompactJws(c)).toBe(README_JWS);
  });
});

const README_JWS =
  'eyJhbGciOiJFZERTQSIsImtpZCI6Im9jb3AtMSJ9.AQEAAeJAAAAAKg.Dd4ulR4FwXZ2Vwxsy5vMTACMaatFhLGLE9B9aWUzoaZCX8Dc5951iow1qLZnLfYPUoFJCGpI6LxzAFDPlSHhDQ';
