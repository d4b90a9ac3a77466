import { mkdtemp, readFile, rm, stat, chmod, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { addKeyToFile, keyFilePath, loadOrCreateKeyFile } from '../../../worker/codes/keyfile-node';
import { generateSigningKey, KeyRing, type PrivateKeyJwk } from '../../../worker/codes/keyring';
import { signPackageCode } from '../../../worker/codes/sign';
import { verifyPackageCode } from '../../../worker/codes/verify';

let k1: PrivateKeyJwk;
let k2: PrivateKeyJwk;
let k3: PrivateKeyJwk;

beforeAll(async () => {
  [k1, k2, k3] = await Promise.all([generateSigningKey(1), generateSigningKey(2), generateSigningKey(3)]);
});

const publicOnly = ({ d: _d, ...pub }: PrivateKeyJwk): PrivateKeyJwk => pub;

describe('generateSigningKey', () => {
  it('makes a complete Ed25519 private JWK with kid ocop-<n>', async () => {
    const k = await generateSigningKey(42);
    expect(k).toMatchObject({ kty: 'OKP', crv: 'Ed25519', kid: 'ocop-42', alg: 'EdDSA', use: 'sig' });
    expect(k.x).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(k.d).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Number.isNaN(Date.parse(k.created!))).toBe(false);
    await expect(generateSigningKey(0)).rejects.toThrow();
    await expect(generateSigningKey(256)).rejects.toThrow();
  });
});

describe('KeyRing.fromJwkSet', () => {
  it('rejects bad JWKs with a message naming the key and the problem, never the secret', async () => {
    const cases: [unknown, RegExp][] = [
      [null, /JWK Set/],
      [{ keys: 'x' }, /JWK Set/],
      [[k1], /JWK Set/],
      [{ keys: [] }, /no keys/],
      [{ keys: [{ ...k1, kty: 'EC' }] }, /khóa thứ 1 \(kid "ocop-1"\): kty: .*kty must be "OKP"/],
      [{ keys: [{ ...k1, crv: 'X25519' }] }, /crv must be "Ed25519"/],
      [{ keys: [{ ...k1, x: k1.x.slice(1) }] }, /x: .*32 bytes/],
      [{ keys: [{ ...k1, x: `${k1.x.slice(0, 42)}=` }] }, /x: .*32 bytes/],
      [{ keys: [{ ...k1, d: 'short' }] }, /d: .*32 bytes/],
      [{ keys: [{ ...k1, kid: 'main' }] }, /kid "main".*ocop-<1\.\.255>/],
      [{ keys: [{ ...k1, kid: 'ocop-0' }] }, /ocop-<1\.\.255>/],
      [{ keys: [{ ...k1, kid: 'ocop-256' }] }, /ocop-<1\.\.255>/],
      [{ keys: [{ ...k1, alg: 'ES256' }] }, /alg must be "EdDSA"/],
      [{ keys: [{ ...k1, use: 'enc' }] }, /use must be "sig"/],
      [{ keys: [{ ...k1, created: 'yesterday' }] }, /created must be an ISO 8601 date/],
      [{ keys: [k1, { ...k2, kid: 'ocop-1' }] }, /khóa thứ 2 \(kid "ocop-1"\).*duplicate kid/],
      [{ keys: [k1, 'nope'] }, /khóa thứ 2/],
      // d of one key with x of another: would sign codes nobody can verify.
      [{ keys: [{ ...k1, d: k2.d }] }, /khóa thứ 1 .*(cannot import private key|d does not belong to x)/],
    ];
    for (const [set, message] of cases) {
      const error = await KeyRing.fromJwkSet(set).then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(error, JSON.stringify(set)?.slice(0, 80)).toBeInstanceOf(Error);
      expect(error!.message).toMatch(message);
      for (const secret of [k1.d!, k2.d!]) expect(error!.message).not.toContain(secret);
    }
  });

  it('rejects an unknown status', async () => {
    await expect(KeyRing.fromJwkSet({ keys: [k1] }, { 'ocop-1': 'gone' as 'withdrawn' })).rejects.toThrow(/invalid status/);
  });

  it('tolerates extra JWK members (key_ops, x5c …) but publishes only the standard public ones', async () => {
    const ring = await KeyRing.fromJwkSet({ keys: [{ ...k1, key_ops: ['sign'] } as PrivateKeyJwk] });
    expect(ring.publicJwks()).toEqual({ keys: [{ kty: 'OKP', crv: 'Ed25519', x: k1.x, kid: 'ocop-1', alg: 'EdDSA', use: 'sig' }] });
  });
});

describe('KeyRing behaviour', () => {
  it('signer is the highest-numbered active key that has a private part', async () => {
    const ring = await KeyRing.fromJwkSet({ keys: [k2, k1, publicOnly(k3)] });
    expect(ring.signer().kid).toBe('ocop-2');
    ring.setStatus('ocop-2', 'retired');
    expect(ring.signer().kid).toBe('ocop-1');
    ring.setStatus('ocop-1', 'withdrawn');
    expect(() => ring.signer()).toThrow(/no active signing key/);
  });

  it('a public-only ring verifies but cannot sign', async () => {
    const signing = await KeyRing.fromJwkSet({ keys: [k1] });
    const verifying = await KeyRing.fromJwkSet({ keys: [publicOnly(k1)] });
    const code = await signPackageCode(signing, 1, 1);
    expect((await verifyPackageCode(verifying, code)).ok).toBe(true);
    await expect(signPackageCode(verifying, 1, 2)).rejects.toThrow(/no active signing key/);
  });

  it('entries are ordered by key number; get finds by number; setStatus refuses unknown kids', async () => {
    const ring = await KeyRing.fromJwkSet({ keys: [k3, k1] }, { 'ocop-3': 'retired', 'ocop-9': 'withdrawn' });
    expect(ring.entries().map((e) => [e.kid, e.keyNumber, e.status])).toEqual([
      ['ocop-1', 1, 'active'],
      ['ocop-3', 3, 'retired'],
    ]);
    expect(ring.get(3)?.kid).toBe('ocop-3');
    expect(ring.get(2)).toBeUndefined();
    expect(() => ring.setStatus('ocop-2', 'withdrawn')).toThrow(/ocop-2/);
  });

  it('publicJwks lists active and retired keys, never withdrawn ones, never private parts', async () => {
    const ring = await KeyRing.fromJwkSet({ keys: [k1, k2, k3] }, { 'ocop-1': 'retired', 'ocop-2': 'withdrawn' });
    const jwks = ring.publicJwks();
    expect(jwks.keys.map((k) => k.kid)).toEqual(['ocop-1', 'ocop-3']);
    expect(JSON.stringify(jwks)).not.toMatch(/"d"/);
  });
});

describe('Node key file', () => {
  let dir: string;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('is created on first use with key 1, mode 600, and read back unchanged', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ocop-keys-'));
    const dataDir = path.join(dir, 'nested', 'data');
    const first = await loadOrCreateKeyFile(dataDir);
    expect(first.keys.map((k) => k.kid)).toEqual(['ocop-1']);
    expect(first.keys[0]!.d).toBeDefined();
    if (process.platform !== 'win32') expect((await stat(keyFilePath(dataDir))).mode & 0o777).toBe(0o600);
    expect(await loadOrCreateKeyFile(dataDir)).toEqual(first);
    expect((await KeyRing.fromJwkSet(first)).signer().kid).toBe('ocop-1');
  });

  it('rotation adds key max+1, which then signs; old codes still verify', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ocop-keys-'));
    const before = await KeyRing.fromJwkSet(await loadOrCreateKeyFile(dir));
    const oldCode = await signPackageCode(before, 7, 7);
    expect((await addKeyToFile(dir)).kid).toBe('ocop-2');
    expect((await addKeyToFile(dir)).kid).toBe('ocop-3');
    const after = await KeyRing.fromJwkSet(await loadOrCreateKeyFile(dir));
    expect(after.entries().map((e) => e.kid)).toEqual(['ocop-1', 'ocop-2', 'ocop-3']);
    expect(after.signer().kid).toBe('ocop-3');
    expect((await verifyPackageCode(after, oldCode)).ok).toBe(true);
    if (process.platform !== 'win32') expect((await stat(keyFilePath(dir))).mode & 0o777).toBe(0o600);
  });

  it('tightens a group/other-readable key file to 600 and warns', async () => {
    if (process.platform === 'win32') return;
    dir = await mkdtemp(path.join(tmpdir(), 'ocop-keys-'));
    await loadOrCreateKeyFile(dir);
    await chmod(keyFilePath(dir), 0o644);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      await loadOrCreateKeyFile(dir);
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/644.*600/));
    } finally {
      warn.mockRestore();
    }
    expect((await stat(keyFilePath(dir))).mode & 0o777).toBe(0o600);
  });

  it('refuses a corrupt key file instead of replacing it (that would orphan every printed code)', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ocop-keys-'));
    await writeFile(keyFilePath(dir), '{"keys": [', { mode: 0o600 });
    await expect(loadOrCreateKeyFile(dir)).rejects.toThrow(/not valid JSON/);
    await writeFile(keyFilePath(dir), JSON.stringify({ keys: [{ ...k1, kid: 'x' }] }), { mode: 0o600 });
    await expect(loadOrCreateKeyFile(dir)).rejects.toThrow(/signing-keys\.json.*ocop-<1\.\.255>/);
    expect(await readFile(keyFilePath(dir), 'utf8')).toContain('"kid":"x"');
  });
});
