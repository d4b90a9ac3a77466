// Signing keys: which key signs new codes, which still verify, what the public JWKS shows.
// Built once per process (zod and jose are fine here); the hot path only reads entries.

import { exportJWK, generateKeyPair } from 'jose';
import { z } from 'zod';
import { DomainError } from '../domain/errors';
import { KEY_STATUSES, type KeyStatus } from '../domain/vocabulary';
import { base64urlDecode } from './base64url';
import { keyNumberOfKid, kidFor } from './format';

export interface PrivateKeyJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  d?: string;
  kid: string;
  alg?: 'EdDSA';
  use?: 'sig';
  /** ISO 8601 date or date-time. */
  created?: string;
}

export interface PublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
}

export interface KeyEntry {
  kid: string;
  keyNumber: number;
  status: KeyStatus;
  publicJwk: PublicJwk;
  publicKey: CryptoKey;
  privateKey?: CryptoKey;
  created?: string;
}

const ED25519 = { name: 'Ed25519' } as const;

const key32 = (what: string) =>
  z
    .string({ error: `${what} phải là chuỗi base64url / must be a base64url string` })
    .refine((s) => s.length === 43 && base64urlDecode(s)?.length === 32, {
      message: `${what} phải là 32 byte base64url (43 ký tự) / must be 32 bytes of base64url (43 characters)`,
    });

const jwkSchema = z
  .object({
    kty: z.literal('OKP', { error: 'kty phải là "OKP" / kty must be "OKP"' }),
    crv: z.literal('Ed25519', { error: 'crv phải là "Ed25519" / crv must be "Ed25519"' }),
    x: key32('x'),
    d: key32('d').optional(),
    kid: z.string({ error: 'thiếu kid / kid missing' }).refine((k) => keyNumberOfKid(k) !== null, {
      message: 'kid phải có dạng "ocop-<1..255>" / kid must be "ocop-<1..255>"',
    }),
    alg: z.literal('EdDSA', { error: 'alg phải là "EdDSA" / alg must be "EdDSA"' }).optional(),
    use: z.literal('sig', { error: 'use phải là "sig" / use must be "sig"' }).optional(),
    created: z
      .string()
      .refine((s) => /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(s) && !Number.isNaN(Date.parse(s)), {
        message: 'created phải là ngày ISO 8601 / created must be an ISO 8601 date',
      })
      .optional(),
  })
  .loose();

const statusSchema = z.enum(KEY_STATUSES);

/** Error text that names the offending key but never echoes key material. */
function keyError(index: number, raw: unknown, detail: string): Error {
  const kid = raw && typeof raw === 'object' && typeof (raw as { kid?: unknown }).kid === 'string' ? ` (kid "${(raw as { kid: string }).kid.slice(0, 20)}")` : '';
  return new Error(`Khóa ký sai / bad signing key: khóa thứ ${index + 1}${kid}: ${detail}`);
}

export class KeyRing {
  private readonly byNumber = new Map<number, KeyEntry>();

  private constructor(entries: KeyEntry[]) {
    for (const e of entries) this.byNumber.set(e.keyNumber, e);
  }

  /**
   * Validates every key (shape, kid, that `d` belongs to `x`) and imports it once.
   * Keys without `d` verify only. `statuses` (kid → status, e.g. from the database) default to 'active'.
   */
  static async fromJwkSet(set: unknown, statuses: Record<string, KeyStatus> = {}): Promise<KeyRing> {
    if (!set || typeof set !== 'object' || !Array.isArray((set as { keys?: unknown }).keys)) {
      throw new Error('Khóa ký sai / bad signing keys: cần một JWK Set {"keys":[...]} / expected a JWK Set {"keys":[...]}');
    }
    const rawKeys = (set as { keys: unknown[] }).keys;
    if (rawKeys.length === 0) throw new Error('Khóa ký sai / bad signing keys: JWK Set không có khóa nào / the JWK Set has no keys');
    const entries: KeyEntry[] = [];
    const seen = new Set<number>();
    for (const [i, raw] of rawKeys.entries()) {
      const parsed = jwkSchema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
        throw keyError(i, raw, `${where}${issue.message}`);
      }
      const jwk = parsed.data;
      const keyNumber = keyNumberOfKid(jwk.kid)!;
      if (seen.has(keyNumber)) throw keyError(i, raw, `kid trùng / duplicate kid`);
      seen.add(keyNumber);
      const status = statuses[jwk.kid] ?? 'active';
      if (!statusSchema.safeParse(status).success) throw keyError(i, raw, `trạng thái không hợp lệ / invalid status "${String(status)}"`);
      entries.push(await importEntry(jwk, keyNumber, status, (detail) => keyError(i, raw, detail)));
    }
    return new KeyRing(entries);
  }

  /** The key that signs new codes: the highest-numbered active key that has its private half. */
  signer(): KeyEntry {
    let best: KeyEntry | undefined;
    for (const e of this.byNumber.values()) {
      if (e.status === 'active' && e.privateKey && (!best || e.keyNumber > best.keyNumber)) best = e;
    }
    if (!best) {
      throw new Error(
        'Không có khóa ký đang hoạt động / no active signing key with a private part: run `npm run ocop -- keys rotate` (Node) or `keys generate` + `wrangler secret put SIGNING_KEYS` (Workers)',
      );
    }
    return best;
  }

  get(keyNumber: number): KeyEntry | undefined {
    return this.byNumber.get(keyNumber);
  }

  entries(): KeyEntry[] {
    return [...this.byNumber.values()].sort((a, b) => a.keyNumber - b.keyNumber);
  }

  /**
   * Adds a key known only by its public half (a key another process or the CLI created),
   * so codes it signed verify here without a restart. Never gives this ring a signer.
   */
  async addPublic(publicJwk: unknown, status: KeyStatus): Promise<KeyEntry> {
    const parsed = jwkSchema.safeParse(publicJwk);
    if (!parsed.success) throw new Error(`Khóa công khai sai / bad public key: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    const { d: _private, ...jwk } = parsed.data;
    const keyNumber = keyNumberOfKid(jwk.kid)!;
    const existing = this.byNumber.get(keyNumber);
    if (existing) return existing;
    const entry = await importEntry(jwk, keyNumber, status, (detail) => new Error(`Khóa công khai sai / bad public key ${jwk.kid}: ${detail}`));
    this.byNumber.set(keyNumber, entry);
    return entry;
  }

  setStatus(kid: string, status: KeyStatus): void {
    const n = keyNumberOfKid(kid);
    const entry = n === null ? undefined : this.byNumber.get(n);
    if (!entry) throw new Error(`Không có khóa / no such key in the ring: ${kid}`);
    if (!statusSchema.safeParse(status).success) throw new Error(`Trạng thái khóa không hợp lệ / invalid key status: ${String(status)}`);
    entry.status = status;
  }

  /** Every key that may still verify (active or retired); withdrawn keys disappear from the JWKS. */
  publicJwks(): { keys: PublicJwk[] } {
    return { keys: this.entries().filter((e) => e.status !== 'withdrawn').map((e) => ({ ...e.publicJwk })) };
  }
}

async function importEntry(
  jwk: z.infer<typeof jwkSchema>,
  keyNumber: number,
  status: KeyStatus,
  fail: (detail: string) => Error,
): Promise<KeyEntry> {
  const publicJwk: PublicJwk = { kty: 'OKP', crv: 'Ed25519', x: jwk.x, kid: jwk.kid, alg: 'EdDSA', use: 'sig' };
  let publicKey: CryptoKey;
  try {
    publicKey = await crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, ED25519, true, ['verify']);
  } catch (error) {
    throw fail(`không nhập được khóa công khai / cannot import public key (${error instanceof Error ? error.message : String(error)})`);
  }
  const entry: KeyEntry = { kid: jwk.kid, keyNumber, status, publicJwk, publicKey };
  if (jwk.created !== undefined) entry.created = jwk.created;
  if (jwk.d !== undefined) {
    let privateKey: CryptoKey;
    try {
      privateKey = await crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: jwk.x, d: jwk.d }, ED25519, false, ['sign']);
    } catch (error) {
      throw fail(`không nhập được khóa bí mật / cannot import private key, or d does not belong to x (${error instanceof Error ? error.message : String(error)})`);
    }
    // Some WebCrypto implementations import a d that does not belong to x; a mismatched
    // pair would sign codes nobody can verify, so prove the pair once here.
    const probe = new TextEncoder().encode(`ocop key check ${jwk.kid}`);
    const sig = await crypto.subtle.sign(ED25519, privateKey, probe);
    if (!(await crypto.subtle.verify(ED25519, publicKey, sig, probe))) {
      throw fail('d không khớp với x / d does not belong to x');
    }
    entry.privateKey = privateKey;
  }
  return entry;
}

/** A new extractable Ed25519 key as a private JWK with kid `ocop-<keyNumber>`. */
export async function generateSigningKey(keyNumber: number): Promise<PrivateKeyJwk> {
  const kid = kidFor(keyNumber);
  const { privateKey } = await generateKeyPair('Ed25519', { extractable: true });
  const jwk = await exportJWK(privateKey);
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || !jwk.x || !jwk.d) throw new Error('generateSigningKey: unexpected JWK from the runtime');
  return { kty: 'OKP', crv: 'Ed25519', x: jwk.x, d: jwk.d, kid, alg: 'EdDSA', use: 'sig', created: new Date().toISOString() };
}

/**
 * A batch needs a key that may sign today. Checked before the database is touched, so a
 * withdrawn or missing key gives a clear refusal instead of an internal error.
 */
export function requireSigningKey(ring: KeyRing): void {
  try {
    ring.signer();
  } catch {
    throw new DomainError('no_signing_key', 'No active signing key: the province admin must add one before batches can be issued', 'Chưa có khóa ký đang hoạt động: quản trị tỉnh cần bổ sung khóa mới trước khi tạo lô');
  }
}
