// The Node media store: files under DATA_DIR/media, named by hash with the type as the
// extension (`ab/abcd….jpg`), written to a temporary name and renamed so a reader never sees
// half a file. Owner-only like the rest of the data folder. Node only.
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { HASH_PATTERN, type MediaContentType, type MediaStore } from './store';

const EXTENSIONS: Record<MediaContentType, string> = { 'image/jpeg': 'jpg', 'application/pdf': 'pdf' };

export function folderMediaStore(dir: string): MediaStore {
  const fileOf = (hash: string, type: MediaContentType) => {
    if (!HASH_PATTERN.test(hash)) throw new RangeError('not a SHA-256 hash');
    return path.join(dir, hash.slice(0, 2), `${hash}.${EXTENSIONS[type]}`);
  };
  const find = async (hash: string): Promise<{ file: string; type: MediaContentType } | null> => {
    for (const type of Object.keys(EXTENSIONS) as MediaContentType[]) {
      const file = fileOf(hash, type);
      try {
        if ((await stat(file)).isFile()) return { file, type };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    return null;
  };
  return {
    async put(hash, bytes, contentType) {
      const file = fileOf(hash, contentType);
      if (await find(hash)) return;
      await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(temporary, bytes, { mode: 0o600 });
      await rename(temporary, file);
    },
    async get(hash) {
      const found = await find(hash);
      return found ? { bytes: new Uint8Array(await readFile(found.file)), contentType: found.type } : null;
    },
    async has(hash) {
      return (await find(hash)) !== null;
    },
  };
}
