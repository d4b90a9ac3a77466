// Where WebCrypto has no Ed25519 (older Safari and Chromium builds), the scanner still runs
// the server's own verify.ts: this module teaches crypto.subtle's importKey and verify that
// one algorithm through @noble/ed25519 (audited, no dependencies), and leaves every other
// algorithm to the browser. Nothing changes where the browser has Ed25519.
import { verifyAsync } from '@noble/ed25519';
import { base64urlDecode } from '../../codes/base64url';

interface NobleKey {
  type: 'public';
  algorithm: { name: 'Ed25519' };
  extractable: boolean;
  usages: KeyUsage[];
  /** The 32-byte public key. */
  raw: Uint8Array;
}

const isEd25519 = (alg: unknown) => (typeof alg === 'string' ? alg : (alg as { name?: string } | null)?.name)?.toLowerCase() === 'ed25519';
const bytes = (data: BufferSource) => (data instanceof Uint8Array ? data : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data));

async function hasNativeEd25519(): Promise<boolean> {
  try {
    // RFC 8032 test 1's public key: a browser without the algorithm throws NotSupportedError.
    await crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' }, { name: 'Ed25519' }, true, ['verify']);
    return true;
  } catch {
    return false;
  }
}

/** 'webcrypto' or 'noble': which implementation verifies signatures from now on. `force` is for tests. */
export async function ensureEd25519(force = false): Promise<'webcrypto' | 'noble'> {
  if (!force && (await hasNativeEd25519())) return 'webcrypto';
  const subtle = crypto.subtle;
  const importKey = subtle.importKey.bind(subtle) as (...args: unknown[]) => Promise<CryptoKey>;
  const verify = subtle.verify.bind(subtle) as (...args: unknown[]) => Promise<boolean>;
  Object.defineProperty(subtle, 'importKey', {
    configurable: true,
    value: async (format: string, keyData: JsonWebKey | BufferSource, algorithm: unknown, extractable: boolean, usages: KeyUsage[]) => {
      if (!isEd25519(algorithm)) return importKey(format, keyData, algorithm, extractable, usages);
      let raw: Uint8Array | null = null;
      if (format === 'jwk') {
        const jwk = keyData as JsonWebKey;
        if (jwk.d !== undefined) throw new DOMException('Ed25519 private keys are not supported here', 'NotSupportedError');
        raw = jwk.kty === 'OKP' && jwk.crv === 'Ed25519' && typeof jwk.x === 'string' ? base64urlDecode(jwk.x) : null;
      } else if (format === 'raw') {
        raw = bytes(keyData as BufferSource).slice();
      }
      if (!raw || raw.length !== 32) throw new DOMException('Invalid Ed25519 public key', 'DataError');
      const key: NobleKey = { type: 'public', algorithm: { name: 'Ed25519' }, extractable, usages, raw };
      return key as unknown as CryptoKey;
    },
  });
  Object.defineProperty(subtle, 'verify', {
    configurable: true,
    value: async (algorithm: unknown, key: CryptoKey, signature: BufferSource, data: BufferSource) => {
      if (!isEd25519(algorithm)) return verify(algorithm, key, signature, data);
      const raw = (key as unknown as Partial<NobleKey>).raw;
      if (!(raw instanceof Uint8Array)) throw new DOMException('Not an Ed25519 key of this fallback', 'InvalidAccessError');
      try {
        // zip215: false = RFC 8032's strict rules, as WebCrypto applies them.
        return await verifyAsync(bytes(signature), bytes(data), raw, { zip215: false });
      } catch {
        return false;
      }
    },
  });
  return 'noble';
}
