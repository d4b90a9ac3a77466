import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKeys } from '../../../scripts/cli/keys';
import { runVerify } from '../../../scripts/cli/verify';
import { packageUrl } from '../../../worker/codes/format';
import { generateSigningKey, KeyRing, type PrivateKeyJwk } from '../../../worker/codes/keyring';
import { signPackageCode } from '../../../worker/codes/sign';
import { BASE_URL } from './fixtures';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

let dir: string;
let jwksFile: string;
let code: string;
let key: PrivateKeyJwk;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ocop-cli-'));
  key = await generateSigningKey(1);
  const ring = await KeyRing.fromJwkSet({ keys: [key] });
  code = await signPackageCode(ring, 2024, 17);
  jwksFile = path.join(dir, 'jwks.json');
  await writeFile(jwksFile, JSON.stringify(ring.publicJwks()));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('runVerify (offline, JWKS only)', () => {
  it('a good code: exit 0, decoded fields and the GENUINE verdict', async () => {
    const c = capture();
    expect(await runVerify([packageUrl(BASE_URL, code), '--jwks', jwksFile], c.io)).toBe(0);
    const text = c.out.join('\n');
    expect(text).toMatch(/version:\s+1/);
    expect(text).toMatch(/key:\s+1 \(ocop-1\)/);
    expect(text).toMatch(/batch id:\s+2024/);
    expect(text).toMatch(/serial:\s+17/);
    expect(c.out.at(-1)).toBe('GENUINE — chữ ký hợp lệ');
  });

  it('a bare lowercase code with --jwks=file works too', async () => {
    const c = capture();
    expect(await runVerify([code.toLowerCase(), `--jwks=${jwksFile}`], c.io)).toBe(0);
  });

  it('an altered code: exit 1, NOT GENUINE with the reason', async () => {
    const altered = code.slice(0, 30) + (code[30] === 'Q' ? 'R' : 'Q') + code.slice(31);
    const c = capture();
    expect(await runVerify([altered, '--jwks', jwksFile], c.io)).toBe(1);
    expect(c.out.at(-1)).toMatch(/^NOT GENUINE — .*bad signature/);
  });

  it('a key missing from the JWKS (unknown or withdrawn): exit 1', async () => {
    const other = await KeyRing.fromJwkSet({ keys: [await generateSigningKey(2)] });
    const c = capture();
    expect(await runVerify([await signPackageCode(other, 1, 1), '--jwks', jwksFile], c.io)).toBe(1);
    expect(c.out.at(-1)).toMatch(/^NOT GENUINE — .*ocop-2.*not in the JWKS/);
  });

  it('a malformed code: exit 1 without needing a JWKS', async () => {
    const c = capture();
    expect(await runVerify([`${code}?x=1`], c.io)).toBe(1);
    expect(c.out.at(-1)).toMatch(/^NOT GENUINE — .*malformed/);
  });

  it('usage errors exit 2: no argument, two arguments, unknown option, bare code without --jwks, unreadable JWKS', async () => {
    for (const args of [[], [code, code], [code, '--jwk', jwksFile], [code], [code, '--jwks'], [code, '--jwks', path.join(dir, 'missing.json')]]) {
      const c = capture();
      expect(await runVerify(args, c.io), args.join(' ')).toBe(2);
      expect(c.out.some((l) => l.startsWith('GENUINE'))).toBe(false);
    }
  });
});

describe('runKeys', () => {
  it('generate prints a usable private JWK Set on stdout and the wrangler instruction on stderr', async () => {
    const c = capture();
    expect(await runKeys(['generate', '--number', '4'], c.io)).toBe(0);
    const set = JSON.parse(c.out.join('\n')) as { keys: PrivateKeyJwk[] };
    expect(set.keys.map((k) => k.kid)).toEqual(['ocop-4']);
    expect((await KeyRing.fromJwkSet(set)).signer().kid).toBe('ocop-4');
    expect(c.err.join('\n')).toContain('wrangler secret put SIGNING_KEYS < keys.json');
  });

  it('generate --from keeps the old keys and adds the next number', async () => {
    const old = path.join(dir, 'keys.json');
    await writeFile(old, JSON.stringify({ keys: [key] }));
    const c = capture();
    expect(await runKeys(['generate', '--from', old], c.io)).toBe(0);
    const set = JSON.parse(c.out.join('\n')) as { keys: PrivateKeyJwk[] };
    expect(set.keys.map((k) => k.kid)).toEqual(['ocop-1', 'ocop-2']);
    expect(set.keys[0]).toEqual(key);
    const dup = capture();
    expect(await runKeys(['generate', '--from', old, '--number', '1'], dup.io)).toBe(2);
  });

  it('generate refuses a bad --number', async () => {
    for (const n of ['0', '256', 'x', '1.5']) expect(await runKeys(['generate', '--number', n], capture().io), n).toBe(2);
  });

  it('rotate adds a key to the Node key file; list shows kids but no private key material', async () => {
    const dataDir = path.join(dir, 'data');
    const r = capture();
    expect(await runKeys(['rotate', '--data-dir', dataDir], r.io)).toBe(0);
    expect(r.out).toEqual(['ocop-2']); // key 1 was created on first use, then rotated to 2
    const l = capture();
    expect(await runKeys(['list', '--data-dir', dataDir], l.io)).toBe(0);
    expect(l.out.map((line) => line.split('\t')[0])).toEqual(['ocop-1', 'ocop-2']);
    const file = JSON.parse(await import('node:fs/promises').then((fs) => fs.readFile(path.join(dataDir, 'signing-keys.json'), 'utf8'))) as {
      keys: PrivateKeyJwk[];
    };
    for (const k of file.keys) {
      expect([...l.out, ...l.err, ...r.out, ...r.err].join('\n')).not.toContain(k.d!);
    }
  });

  it('unknown subcommand is a usage error', async () => {
    expect(await runKeys(['frobnicate'], capture().io)).toBe(2);
    expect(await runKeys([], capture().io)).toBe(2);
  });

  it('a misspelt or valueless flag is a usage error that names it, not a silent default', async () => {
    const typo = capture();
    expect(await runKeys(['rotate', '--dta-dir', dir], typo.io)).toBe(2);
    expect(typo.err.join('\n')).toContain("unknown option: Unknown option '--dta-dir'");
    expect(typo.err.join('\n')).toContain('keys rotate');
    const valueless = capture();
    expect(await runKeys(['generate', '--number'], valueless.io)).toBe(2);
    expect(valueless.err.join('\n')).toContain("'--number <value>' argument missing");
    expect(valueless.out).toEqual([]);
  });
});
