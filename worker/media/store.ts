// Where uploaded files live: content-addressed (the key is the SHA-256 of the bytes, in hex),
// so a file is written once however often it is uploaded, never changes under its name, and
// can be cached for a year. One small interface; an R2 bucket on Workers, a folder under
// DATA_DIR on Node (worker/media/store-node.ts), memory for tests and in-memory demos.

export type MediaContentType = 'image/jpeg' | 'application/pdf';

export interface StoredFile {
  bytes: Uint8Array;
  contentType: MediaContentType;
}

export interface MediaStore {
  put(hash: string, bytes: Uint8Array, contentType: MediaContentType): Promise<void>;
  get(hash: string): Promise<StoredFile | null>;
  has(hash: string): Promise<boolean>;
}

export const HASH_PATTERN = /^[0-9a-f]{64}$/;

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  return hex;
}

export function memoryMediaStore(): MediaStore {
  const files = new Map<string, StoredFile>();
  return {
    async put(hash, bytes, contentType) {
      if (!files.has(hash)) files.set(hash, { bytes: bytes.slice(), contentType });
    },
    async get(hash) {
      return files.get(hash) ?? null;
    },
    async has(hash) {
      return files.has(hash);
    },
  };
}

/** The part of an R2 bucket binding this store uses (the full type is @cloudflare/workers-types' R2Bucket). */
export interface R2BucketLike {
  put(key: string, value: ArrayBuffer | Uint8Array, options?: { httpMetadata?: { contentType?: string } }): Promise<unknown>;
  get(key: string): Promise<{ arrayBuffer(): Promise<ArrayBuffer>; httpMetadata?: { contentType?: string } } | null>;
  head(key: string): Promise<unknown>;
}

const CONTENT_TYPES: readonly MediaContentType[] = ['image/jpeg', 'application/pdf'];

/** Objects are keyed `media/<hash>`, with the content type in R2's HTTP metadata. */
export function r2MediaStore(bucket: R2BucketLike): MediaStore {
  const key = (hash: string) => `media/${hash}`;
  return {
    async put(hash, bytes, contentType) {
      await bucket.put(key(hash), bytes, { httpMetadata: { contentType } });
    },
    async get(hash) {
      const object = await bucket.get(key(hash));
      if (!object) return null;
      const type = object.httpMetadata?.contentType;
      const contentType = CONTENT_TYPES.find((t) => t === type) ?? 'application/pdf';
      return { bytes: new Uint8Array(await object.arrayBuffer()), contentType };
    },
    async has(hash) {
      return (await bucket.head(key(hash))) !== null;
    },
  };
}
