import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryMediaStore, sha256Hex, type MediaStore } from '../../../worker/media/store';
import { folderMediaStore } from '../../../worker/media/store-node';

// The two stores a test can run without workerd (R2 is tested in test/workers/): the same
// contract, files by content hash.

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ocop-media-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

for (const [name, make] of [['folder (Node)', () => folderMediaStore(path.join(dir, 'media'))], ['memory', memoryMediaStore]] as const) {
  describe(`${name} store`, () => {
    let store: MediaStore;
    beforeAll(() => {
      store = make();
    });

    it('keeps bytes and type under the hash; has/get answer for missing ones', async () => {
      const bytes = new TextEncoder().encode('%PDF-1.4 … %%EOF');
      const hash = await sha256Hex(bytes);
      expect(hash).toMatch(/^[0-9a-f]{64}$/);
      expect(await store.has(hash)).toBe(false);
      expect(await store.get(hash)).toBeNull();
      await store.put(hash, bytes, 'application/pdf');
      await store.put(hash, bytes, 'application/pdf'); // a second upload of the same file changes nothing
      expect(await store.has(hash)).toBe(true);
      expect(await store.get(hash)).toEqual({ bytes, contentType: 'application/pdf' });
    });
  });
}

describe('folder store', () => {
  it('writes owner-only files named <hash>.<ext> in a folder per first two hex digits, and refuses names that are not hashes', async () => {
    const store = folderMediaStore(path.join(dir, 'media2'));
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xd9]);
    const hash = await sha256Hex(bytes);
    await store.put(hash, bytes, 'image/jpeg');
    const file = path.join(dir, 'media2', hash.slice(0, 2), `${hash}.jpg`);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(file))).mode & 0o077).toBe(0);
    expect(await readdir(path.dirname(file))).toEqual([`${hash}.jpg`]); // no temporary file left
    await expect(store.put('../../etc/passwd', bytes, 'image/jpeg')).rejects.toThrow(RangeError);
    await expect(store.get('../' + hash)).rejects.toThrow(RangeError);
  });
});
